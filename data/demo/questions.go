package demo

import (
	"strconv"
	"time"

	"hearth/model"
)

// Questions in the demo: who asks, who answers and how fast.

type openQuestion struct {
	src      int
	ext      string
	created  int64
	topicIdx int
}

// responseDelay is how long a question waits for its first answer: most
// within hours, some within the day, a tail of days and weeks.
func (g *demoGen) responseDelay() int64 {
	switch u := g.rng.Float64(); {
	case u < 0.5:
		return g.delay(2*3600, 20*3600)
	case u < 0.8:
		return g.between(6*3600, 23*3600)
	case u < 0.94:
		return g.between(demoDay, 7*demoDay)
	default:
		return g.between(7*demoDay, 40*demoDay)
	}
}

var demoQuestionBodies = []string{
	"I followed the quickstart but I'm stuck. Any pointers appreciated!",
	"We're evaluating Kestrel for production and this is the last open point.",
	"Searched the docs and the forum but couldn't find an answer.",
	"Running 3.1 on three nodes, Ubuntu 24.04. Happy to provide logs.",
	"Not sure if this is a bug or if I'm holding it wrong.",
}

func (g *demoGen) ask(mi int32, src int, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	title := pickOne(g.rng, t.asks)
	var th *demoThread
	var ext string
	switch src {
	case srcGitHub:
		repo := demoGitHubOrg + "/" + t.repo
		th = g.newGitHubThread(mi, repo, title, ti, false)
		th.topics = []string{t.name, "question"}
		ext = ref(th)
		g.issues.add(th)
	case srcDiscourse:
		th = g.newForumThread(mi, "Help", title, ti)
		ext = "t/" + strconv.Itoa(th.number)
		g.helpTopics.add(th)
	default:
		th = g.newMailThread(mi, "kestrel-users", title, at, ti)
		ext = "<q" + strconv.Itoa(th.number) + "." + strconv.FormatInt(at, 36) + "@lists.kestrel-db.org>"
		g.mail.add(th)
	}
	actExt := ext
	if src == srcDiscourse {
		actExt = "post/" + g.id()
	}
	url := th.url
	if src == srcMail {
		url = th.url + "q" + strconv.Itoa(th.number) + ".html"
	}
	if err := g.emit(mi, src, actExt, model.KindQuestion, at, th.channel, url, title, th.topics); err != nil {
		return err
	}

	q := model.Question{Source: demoSourceNames[src], ExternalID: ext, Channel: th.channel, URL: url,
		Title: title, Created: time.Unix(at, 0), Topics: th.topics}
	responder := g.answerQuestion(&q, mi, src, th, at)
	if q.FirstResponse.IsZero() && q.Closed.IsZero() {
		g.openQs = append(g.openQs, openQuestion{src: src, ext: ext, created: at, topicIdx: ti})
	}
	q.Body = pickOne(g.rng, demoQuestionBodies)
	var responderID int64
	if responder >= 0 {
		responderID = g.members[responder].ids[src]
	}
	return g.load.AddQuestion(&q, g.members[mi].ids[src], responderID)
}

// answerQuestion decides whether and when the question th, asked by mi at
// at, is answered, accepted or closed; it schedules the answer and sets
// q's outcome. It returns the responder, or -1.
func (g *demoGen) answerQuestion(q *model.Question, mi int32, src int, th *demoThread, at int64) int32 {
	if !g.chance(0.85) {
		if at < g.nowUnix-60*demoDay && g.chance(0.45) {
			// Nobody answered; the thread was closed as stale or by the asker.
			if c := at + g.between(30, 120)*demoDay; c <= g.nowUnix {
				q.Closed = time.Unix(c, 0)
			}
		}
		return -1
	}
	respAt := at + g.responseDelay()
	responder := g.pickFrom(g.helpers[src], g.helpCum[src], at, mi)
	if responder < 0 || respAt > g.nowUnix {
		return -1
	}
	q.FirstResponse = time.Unix(respAt, 0)
	g.schedule(respAt, responder, opAnswer, th, -1)
	pAccept := 0.3
	if src == srcDiscourse {
		pAccept = 0.45 // forum askers mark solutions more often than issue authors
	}
	if src != srcMail && g.chance(pAccept) {
		if acc := respAt + g.between(1800, 2*demoDay); acc <= g.nowUnix {
			q.Accepted = true
			g.schedule(acc, responder, opAccept, th, -1)
		}
	}
	if src == srcGitHub && g.chance(0.8) {
		if c := respAt + g.between(3600, 14*demoDay); c <= g.nowUnix {
			q.Closed = time.Unix(c, 0)
		}
	}
	return responder
}
