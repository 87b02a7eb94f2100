package demo

import (
	"math"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// What demo members do: commits, pull requests, issues, comments, forum
// posts, mail and chat.

func (g *demoGen) sha() string {
	var b [40]byte
	const hexd = "0123456789abcdef"
	x, y, z := g.rng.Uint64(), g.rng.Uint64(), g.rng.Uint64()
	for i := range 16 {
		b[i], b[16+i] = hexd[x>>(4*i)&15], hexd[y>>(4*i)&15]
	}
	for i := range 8 {
		b[32+i] = hexd[z>>(4*i)&15]
	}
	return string(b[:])
}

func (g *demoGen) changeTitle(t demoTopic, dir string) string {
	return dir + ": " + pickOne(g.rng, demoVerbs) + " " + pickOne(g.rng, t.objects)
}

func (g *demoGen) commit(mi int32, at int64, docs bool) error {
	ti := g.topicOf(mi)
	kind := model.KindCommit
	if docs {
		ti = demoTopicIndex("docs")
		kind = model.KindDocChange
	}
	t := demoTopics[ti]
	dir := pickOne(g.rng, t.dirs)
	topics := g.topicOne[ti]
	// Some changes touch a second area (tests, docs, CI config).
	if !docs && g.chance(0.2) {
		if o := g.rng.IntN(len(demoTopics)); o != ti && demoTopics[o].repo == t.repo {
			topics = []string{t.name, demoTopics[o].name}
		}
	}
	sha := g.sha()
	repo := demoGitHubOrg + "/" + t.repo
	title := g.changeTitle(t, dir)
	if docs {
		title = "docs: " + pickOne(g.rng, []string{"clarify", "update", "fix typos in", "expand", "restructure"}) + " " + pickOne(g.rng, t.objects)
	}
	return g.emit(mi, srcGit, sha, kind, at, repo, "https://github.com/"+repo+"/commit/"+sha, title, topics)
}

func demoTopicIndex(name string) int {
	for i, t := range demoTopics {
		if t.name == name {
			return i
		}
	}
	return 0
}

func (g *demoGen) newGitHubThread(mi int32, repo, title string, ti int, pr bool) *demoThread {
	g.numbers[repo]++
	n := g.numbers[repo] + 100
	kind := "/issues/"
	if pr {
		kind = "/pull/"
	}
	th := &demoThread{src: srcGitHub, channel: repo, number: n, title: title,
		url: "https://github.com/" + repo + kind + strconv.Itoa(n), author: mi}
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

// delay draws how long someone takes to react: minutes to days.
func (g *demoGen) delay(median, hi float64) int64 {
	d := median * math.Exp(g.rng.NormFloat64()*1.1)
	return int64(math.Min(d, hi)) + 60
}

func (g *demoGen) pickFrom(members []int32, cum []float64, at int64, not ...int32) int32 {
	if len(members) == 0 {
		return -1
	}
	for range 40 {
		i := members[g.weighted(cum)]
		m := &g.members[i]
		if at < m.join || at > m.end+30*demoDay {
			continue
		}
		ok := true
		for _, n := range not {
			ok = ok && n != i
		}
		if ok {
			return i
		}
	}
	return -1
}

func (g *demoGen) openPR(mi int32, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	repo := demoGitHubOrg + "/" + t.repo
	th := g.newGitHubThread(mi, repo, g.changeTitle(t, pickOne(g.rng, t.dirs)), ti, true)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, th.topics); err != nil {
		return err
	}
	g.prs.add(th)
	if g.chance(0.6) {
		g.schedule(at+g.between(120, 2400), g.ciBot, opCIComment, th, -1)
	}
	decided := at
	reviewer := int32(-1)
	if g.chance(0.85) {
		if reviewer = g.pickFrom(g.stewards, g.stewCum, at, mi); reviewer >= 0 {
			decided = at + g.delay(8*3600, 10*demoDay)
			g.schedule(decided, reviewer, opReview, th, -1)
			if g.chance(0.25) {
				if second := g.pickFrom(g.stewards, g.stewCum, at, mi, reviewer); second >= 0 {
					g.schedule(at+g.delay(20*3600, 14*demoDay), second, opReview, th, -1)
				}
			}
		}
	}
	switch u := g.rng.Float64(); {
	case u < 0.74:
		merger := reviewer
		if merger < 0 || g.chance(0.35) {
			merger = g.pickFrom(g.stewards, g.stewCum, at, mi)
		}
		if merger >= 0 {
			g.schedule(decided+g.delay(6*3600, 8*demoDay), mi, opMerge, th, merger)
		}
	case u < 0.86:
		g.schedule(at+g.between(2, 40)*demoDay, mi, opClose, th, -1)
	}
	return nil
}

func (g *demoGen) botPR(mi int32, at int64) error {
	dep := pickOne(g.rng, demoDependencies)
	a, b, c := g.rng.IntN(4), g.rng.IntN(40), g.rng.IntN(12)
	from := strconv.Itoa(a) + "." + strconv.Itoa(b) + "." + strconv.Itoa(c)
	to := strconv.Itoa(a) + "." + strconv.Itoa(b+1) + ".0"
	repo := demoGitHubOrg + "/" + pickOne(g.rng, []string{"kestrel", "kestrel", "kestrel", "kestrel-console", "kestrel-operator", "kestrel-py"})
	th := g.newGitHubThread(mi, repo, "build(deps): bump "+dep+" from "+from+" to "+to, -1, true)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, nil); err != nil {
		return err
	}
	g.schedule(at+g.between(120, 1800), g.ciBot, opCIComment, th, -1)
	if g.chance(0.8) {
		if merger := g.pickFrom(g.stewards, g.stewCum, at); merger >= 0 {
			g.schedule(at+g.delay(10*3600, 6*demoDay), mi, opMerge, th, merger)
		}
	} else {
		g.schedule(at+g.between(3, 20)*demoDay, mi, opClose, th, -1)
	}
	return nil
}

func (g *demoGen) openIssue(mi int32, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	repo := demoGitHubOrg + "/" + t.repo
	title := pickOne(g.rng, t.bugs)
	if g.chance(0.3) {
		title += " (v3." + strconv.Itoa(g.rng.IntN(4)) + ")"
	}
	th := g.newGitHubThread(mi, repo, title, ti, false)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindIssueOpened, at, repo, th.url, th.title, th.topics); err != nil {
		return err
	}
	g.issues.add(th)
	if g.chance(0.55) {
		if h := g.pickFrom(g.helpers[srcGitHub], g.helpCum[srcGitHub], at, mi); h >= 0 {
			g.schedule(at+g.delay(10*3600, 20*demoDay), h, opComment, th, -1)
		}
	}
	return nil
}

func (g *demoGen) commentOn(mi int32, th *demoThread, at int64, kind model.Kind) error {
	id := g.id()
	return g.emit(mi, srcGitHub, ref(th)+"/comment/"+id, kind, at, th.channel,
		th.url+"#issuecomment-"+id, th.title, th.topics)
}

func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// forumTopic returns a recent forum topic to reply to, or starts one.
func (g *demoGen) forumTopic(mi int32, at int64) *demoThread {
	if th := g.forum.pick(g.rng); th != nil && g.chance(0.75) {
		return th
	}
	cat := pickOne(g.rng, demoForumCategories[1:])
	title := pickOne(g.rng, demoForumTalk)
	ti := -1
	if cat.topic != "" {
		ti = demoTopicIndex(cat.topic)
		if g.chance(0.5) {
			title = "Thoughts on " + pickOne(g.rng, demoTopics[ti].objects)
		}
	}
	th := g.newForumThread(mi, cat.name, title, ti)
	g.forum.add(th)
	return th
}

func (g *demoGen) newForumThread(mi int32, category, title string, ti int) *demoThread {
	g.questionN++
	n := 4000 + g.questionN
	th := &demoThread{src: srcDiscourse, channel: category, number: n, title: title, slug: slug(title), author: mi}
	th.url = "https://discuss.kestrel-db.org/t/" + th.slug + "/" + strconv.Itoa(n)
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

func (g *demoGen) mailThread(mi int32, at int64) *demoThread {
	if th := g.mail.pick(g.rng); th != nil && g.chance(0.7) {
		return th
	}
	ti := g.topicOf(mi)
	list := pickOne(g.rng, demoMailingLists[:2])
	title := pickOne(g.rng, []string{"[RFC] ", "Proposal: ", "", "[DISCUSS] "}) + "rework " + pickOne(g.rng, demoTopics[ti].objects)
	if list == "kestrel-users" {
		title = pickOne(g.rng, demoTopics[ti].bugs)
	}
	th := g.newMailThread(mi, list, title, at, ti)
	g.mail.add(th)
	return th
}

func (g *demoGen) newMailThread(mi int32, list, title string, at int64, ti int) *demoThread {
	g.questionN++
	th := &demoThread{src: srcMail, channel: list, number: g.questionN, title: title, author: mi}
	th.url = "https://lists.kestrel-db.org/archives/" + list + "/" + time.Unix(at, 0).UTC().Format("2006-01") + "/"
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

// reply posts in a forum topic or mail thread (an answer when answer is
// set and the thread is a question).
func (g *demoGen) reply(mi int32, th *demoThread, at int64, answer bool) error {
	th.posts++
	id := g.id()
	switch th.src {
	case srcGitHub:
		return g.commentOn(mi, th, at, model.KindComment)
	case srcDiscourse:
		kind := model.KindPost
		if answer {
			kind = model.KindAnswer
		}
		return g.emit(mi, srcDiscourse, "post/"+id, kind, at, th.channel, th.url+"/"+strconv.Itoa(th.posts+1),
			th.title, th.topics)
	default:
		title := th.title
		kind := model.KindMessage
		if th.posts > 0 || th.author != mi {
			title = "Re: " + title
		}
		if answer {
			kind = model.KindAnswer
		}
		return g.emit(mi, srcMail, "<"+id+"."+strconv.FormatInt(at, 36)+"@lists.kestrel-db.org>", kind, at, th.channel,
			th.url+"msg"+id+".html", title, th.topics)
	}
}

func (g *demoGen) chat(mi int32, at int64) error {
	room := pickOne(g.rng, demoChatRooms)
	id := g.id()
	var topics []string
	if room.topic != "" {
		ti := demoTopicIndex(room.topic)
		topics = g.topicOne[ti]
	}
	return g.emit(mi, srcChat, room.name+"/"+id, model.KindMessage, at, "#"+room.name,
		"https://chat.kestrel-db.org/#/room/"+room.name+"/"+id, pickOne(g.rng, demoChatLines), topics)
}
