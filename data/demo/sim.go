package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"hearth/model"
)

// The demo's simulation: every member's activities come out of one
// time-ordered queue, so replies follow what they answer.

// demoThread is a pull request, issue, forum topic or mail thread that
// later activities refer to.
type demoThread struct {
	src     int
	channel string
	number  int
	title   string
	url     string
	slug    string
	topics  []string
	author  int32
	posts   int
}

type demoOp uint8

const (
	opTick demoOp = iota
	opReview
	opMerge
	opClose
	opCIComment
	opAnswer
	opAccept
	opComment
)

type demoItem struct {
	at  int64
	seq uint64
	m   int32
	m2  int32
	op  demoOp
	th  *demoThread
}

// demoQueue is a binary min-heap by (at, seq): activities come out in time
// order, so rowids follow time, and ties break by scheduling order, so the
// result is deterministic.
type demoQueue []demoItem

func (q demoQueue) less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}

func (q *demoQueue) push(it demoItem) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *demoQueue) pop() demoItem {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h.less(r, l) {
			c = r
		}
		if !h.less(c, i) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	*q = h
	return top
}

// demoRing keeps the most recent threads of one kind, for replies.
type demoRing struct {
	items []*demoThread
	next  int
}

func (r *demoRing) add(t *demoThread) {
	const size = 256
	if len(r.items) < size {
		r.items = append(r.items, t)
		return
	}
	r.items[r.next] = t
	r.next = (r.next + 1) % size
}

func (r *demoRing) pick(rng *rand.Rand) *demoThread {
	if len(r.items) == 0 {
		return nil
	}
	// Favour recent threads: most replies go to what is being discussed now.
	n := len(r.items)
	back := int(float64(n) * math.Pow(rng.Float64(), 2.5))
	idx := (r.next - 1 - back) % n
	if len(r.items) < 256 {
		idx = (n - 1 - back) % n
	}
	if idx < 0 {
		idx += n
	}
	return r.items[idx]
}

func (g *demoGen) schedule(at int64, m int32, op demoOp, th *demoThread, m2 int32) {
	if at > g.nowUnix {
		return // has not happened yet
	}
	g.seq++
	g.queue.push(demoItem{at: at, seq: g.seq, m: m, m2: m2, op: op, th: th})
}

func (g *demoGen) id() string {
	g.nextID++
	return strconv.FormatInt(g.nextID, 10)
}

// emit writes one activity and feeds it to its member's tally.
func (g *demoGen) emit(m int32, src int, ext string, kind model.Kind, at int64,
	channel, url, title string, topics []string) error {
	mem := &g.members[m]
	g.rows++
	when := time.Unix(at, 0).UTC()
	mem.tally.Add(kind, when, topics)
	if g.progress != nil && g.rows%20000 == 0 {
		g.progress(g.rows, max(g.estimate, g.rows))
	}
	return g.load.AddActivity(mem.ids[src], &model.Activity{Source: demoSourceNames[src], ExternalID: ext,
		Kind: kind, At: when, Channel: channel, URL: url, Title: title, Topics: topics})
}

func (g *demoGen) simulate() error {
	for i := range g.members {
		if g.members[i].arch != archCIBot {
			g.schedule(g.members[i].join, int32(i), opTick, nil, -1)
		}
	}
	for len(g.queue) > 0 {
		it := g.queue.pop()
		if err := g.step(it); err != nil {
			return err
		}
		if g.rows&0x3fff == 0 && g.ctx.Err() != nil {
			return g.ctx.Err()
		}
	}
	return nil
}

func (g *demoGen) step(it demoItem) error {
	switch it.op {
	case opTick:
		m := &g.members[it.m]
		if err := g.tick(it.m, it.at); err != nil {
			return err
		}
		next := it.at + int64(g.rng.ExpFloat64()*m.gap) + 1
		if next <= m.end {
			g.schedule(next, it.m, opTick, nil, -1)
		}
		return nil
	case opReview:
		th := it.th
		id := g.id()
		return g.emit(it.m, srcGitHub, ref(th)+"/review/"+id, model.KindReview, it.at,
			th.channel, th.url+"#pullrequestreview-"+id, th.title, th.topics)
	case opMerge:
		th := it.th
		ref := th.channel + "#" + strconv.Itoa(th.number)
		if err := g.emit(it.m, srcGitHub, ref+"/merged", model.KindPRMerged, it.at, th.channel, th.url, th.title, th.topics); err != nil {
			return err
		}
		return g.emit(it.m2, srcGitHub, ref+"/merge", model.KindMergedOther, it.at, th.channel, th.url, th.title, th.topics)
	case opClose:
		th := it.th
		return g.emit(it.m, srcGitHub, th.channel+"#"+strconv.Itoa(th.number)+"/closed", model.KindPRClosed, it.at,
			th.channel, th.url, th.title, th.topics)
	case opCIComment, opComment:
		return g.commentOn(it.m, it.th, it.at, model.KindComment)
	case opAnswer:
		return g.reply(it.m, it.th, it.at, true)
	case opAccept:
		th := it.th
		return g.emit(it.m, th.src, ref(th)+"/accepted", model.KindAcceptedAnswer, it.at, th.channel, th.url, th.title, th.topics)
	}
	return nil
}

func ref(th *demoThread) string {
	if th.src == srcGitHub {
		return th.channel + "#" + strconv.Itoa(th.number)
	}
	return "t/" + strconv.Itoa(th.number)
}

type demoMix struct {
	src    int
	kind   model.Kind
	weight float64
}

// What each archetype does with its own time, per source; a member only
// does what their identities allow.
var demoMixes = [...][]demoMix{
	archOneOff: {
		{srcGitHub, model.KindStar, 3}, {srcGitHub, model.KindIssueOpened, 2.5}, {srcGitHub, model.KindComment, 3}, {srcGitHub, model.KindQuestion, 0.5},
		{srcDiscourse, model.KindQuestion, 1.2}, {srcDiscourse, model.KindPost, 3},
		{srcMail, model.KindQuestion, 1}, {srcMail, model.KindMessage, 3},
		{srcChat, model.KindMessage, 6},
	},
	archCasual: {
		{srcGitHub, model.KindStar, 1}, {srcGitHub, model.KindIssueOpened, 2.5}, {srcGitHub, model.KindComment, 5}, {srcGitHub, model.KindQuestion, 0.25},
		{srcDiscourse, model.KindQuestion, 0.5}, {srcDiscourse, model.KindPost, 5},
		{srcMail, model.KindQuestion, 0.35}, {srcMail, model.KindMessage, 5},
		{srcChat, model.KindMessage, 6},
	},
	archContributor: {
		{srcGit, model.KindCommit, 6}, {srcGit, model.KindDocChange, 1.2},
		{srcGitHub, model.KindPROpened, 3}, {srcGitHub, model.KindIssueOpened, 1.5}, {srcGitHub, model.KindComment, 4}, {srcGitHub, model.KindStar, 0.3}, {srcGitHub, model.KindQuestion, 0.2},
		{srcDiscourse, model.KindPost, 3}, {srcDiscourse, model.KindQuestion, 0.4},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 4},
	},
	archRegular: {
		{srcGit, model.KindCommit, 8}, {srcGit, model.KindDocChange, 1.5},
		{srcGitHub, model.KindPROpened, 3.5}, {srcGitHub, model.KindComment, 6}, {srcGitHub, model.KindReview, 0.3}, {srcGitHub, model.KindIssueOpened, 1},
		{srcDiscourse, model.KindPost, 3}, {srcDiscourse, model.KindAnswer, 1.5},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 5},
	},
	archCore: {
		{srcGit, model.KindCommit, 6}, {srcGit, model.KindDocChange, 1},
		{srcGitHub, model.KindPROpened, 3}, {srcGitHub, model.KindComment, 6}, {srcGitHub, model.KindReview, 3}, {srcGitHub, model.KindIssueOpened, 1},
		{srcDiscourse, model.KindPost, 2}, {srcDiscourse, model.KindAnswer, 2},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 4},
	},
}

func (g *demoGen) tick(mi int32, at int64) error {
	m := &g.members[mi]
	switch m.arch {
	case archDependabot:
		return g.botPR(mi, at)
	case archStaleBot:
		if th := g.issues.pick(g.rng); th != nil {
			return g.commentOn(mi, th, at, model.KindComment)
		}
		return nil
	}
	pick, ok := g.pickMix(m)
	if !ok {
		return nil
	}
	return g.act(mi, pick, at)
}

// pickMix draws what m does next from their archetype's mix, among the
// sources they have an identity on.
func (g *demoGen) pickMix(m *demoMember) (demoMix, bool) {
	mix := demoMixes[m.arch]
	total := 0.0
	for _, x := range mix {
		if m.ext[x.src] != "" {
			total += x.weight
		}
	}
	if total == 0 {
		return demoMix{}, false
	}
	r := g.rng.Float64() * total
	pick := mix[0]
	for _, x := range mix {
		if m.ext[x.src] == "" {
			continue
		}
		pick = x
		if r -= x.weight; r < 0 {
			break
		}
	}
	return pick, true
}

// act does what pickMix chose, falling back to something close when there
// is nothing to act on yet.
func (g *demoGen) act(mi int32, pick demoMix, at int64) error {
	m := &g.members[mi]
	switch pick.kind {
	case model.KindCommit, model.KindDocChange:
		return g.commit(mi, at, pick.kind == model.KindDocChange)
	case model.KindPROpened:
		return g.openPR(mi, at)
	case model.KindIssueOpened:
		return g.openIssue(mi, at)
	case model.KindStar:
		if !m.starred {
			m.starred = true
			return g.emit(mi, srcGitHub, "star/"+m.ext[srcGitHub], model.KindStar, at, demoGitHubOrg+"/kestrel",
				"https://github.com/"+demoGitHubOrg+"/kestrel/stargazers", "Starred "+demoGitHubOrg+"/kestrel", nil)
		}
		return g.comment(mi, at)
	case model.KindComment:
		return g.comment(mi, at)
	case model.KindReview:
		th := g.prs.pick(g.rng)
		if th == nil || th.author == mi {
			return g.commit(mi, at, false)
		}
		g.schedule(at, mi, opReview, th, -1)
		return nil
	case model.KindQuestion:
		return g.ask(mi, pick.src, at)
	case model.KindAnswer:
		th := g.helpTopics.pick(g.rng)
		if th == nil || th.author == mi {
			return g.reply(mi, g.forumTopic(mi, at), at, false)
		}
		return g.reply(mi, th, at, true)
	case model.KindPost:
		return g.reply(mi, g.forumTopic(mi, at), at, false)
	case model.KindMessage:
		if pick.src == srcChat {
			return g.chat(mi, at)
		}
		return g.reply(mi, g.mailThread(mi, at), at, false)
	}
	return nil
}

// comment comments on a recent issue or pull request, or opens an issue
// when there is none yet.
func (g *demoGen) comment(mi int32, at int64) error {
	th := g.issues.pick(g.rng)
	if g.chance(0.5) || th == nil {
		th = g.prs.pick(g.rng)
	}
	if th == nil {
		return g.openIssue(mi, at)
	}
	return g.commentOn(mi, th, at, model.KindComment)
}

// topicOf picks the area of someone's next piece of work: mostly their own.
func (g *demoGen) topicOf(mi int32) int {
	m := &g.members[mi]
	switch u := g.rng.Float64(); {
	case u < 0.55:
		return m.area[0]
	case u < 0.8:
		return m.area[1]
	}
	return g.rng.IntN(len(demoTopics))
}
