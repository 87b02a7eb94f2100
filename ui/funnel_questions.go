package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// drillView is a list opened from the overview: of people (funnelDrill)
// or of questions (funnelQuestions).
type drillView interface {
	update(msg tea.Msg) (back bool, cmd tea.Cmd)
	view() string
	SetSize(w, h int)
	Capturing() bool
	shortHelp() []key.Binding
	fullHelp() [][]key.Binding
}

// funnelQuestions lists the questions behind a response-time number: the
// title, where and when it was asked, how long the first reply took.
// enter opens the question as the Questions tab shows it; esc goes back.
type funnelQuestions struct {
	c *Context
	browser[int64]
	title string
	qs    []model.QuestionTiming
}

// Columns of the questions list.
const (
	fqTitle = iota
	fqWhere
	fqAsked
	fqReply
)

func (t *funnelTab) newQuestionList(title string, ids []int64) *funnelQuestions {
	d := &funnelQuestions{c: t.c, title: title}
	d.browser = newBrowser[int64](t.c, []column{
		{title: "Question", min: 20, weight: 4},
		{title: "Where", min: 10, max: 28, weight: 1, drop: 1},
		{title: "Asked", min: 10, max: 10},
		{title: "First reply", min: 11, max: 11, right: true},
	})
	index := make(map[int64]int, len(t.in.Questions))
	for i := range t.in.Questions {
		index[t.in.Questions[i].ID] = i
	}
	texts := make([]string, 0, len(ids))
	for _, id := range ids {
		if i, ok := index[id]; ok {
			q := t.in.Questions[i]
			d.qs = append(d.qs, q)
			texts = append(texts, model.CleanLine(q.Title+" "+q.Source+" "+q.Channel))
		}
	}
	d.list.setData(len(d.qs), model.NewFilter(texts))
	natural, widest := naturalWidths(len(d.qs), []bool{true, true, false, false}, func(r, col int) string { return d.text(r, col) })
	d.list.table.setNatural(natural, widest)
	return d
}

func (d *funnelQuestions) text(r, col int) string {
	q := &d.qs[r]
	switch col {
	case fqTitle:
		return model.CleanLine(q.Title)
	case fqWhere:
		where := q.Source
		if q.Channel != "" {
			where += "/" + q.Channel
		}
		return model.CleanLine(where)
	case fqAsked:
		return d.c.Day(q.Created)
	case fqReply:
		switch {
		case q.FirstResponse.IsZero():
			return "none"
		case q.ResponderBot:
			return "bot only"
		case q.SelfReply:
			return "asker only"
		}
		return shortDuration(max(q.FirstResponse.Sub(q.Created), 0))
	}
	return ""
}

func (d *funnelQuestions) SetSize(w, h int) { d.browser.SetSize(w, max(h-1, 1)) }

func (d *funnelQuestions) update(msg tea.Msg) (back bool, cmd tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && !d.detail.open && !d.list.filtering() && key.Matches(km, d.c.Keys.Back) {
		return true, nil
	}
	r, chosen, cmd := d.navigate(msg)
	if !chosen {
		return false, cmd
	}
	id := d.qs[r].ID
	d.browser.open(id)
	store, ctx, private := d.c.Store, d.c.Ctx, d.c.Private
	return false, func() tea.Msg {
		q, err := store.Question(ctx, id)
		if private {
			q = publicQuestion(q)
		}
		return loadedMsg{Tab: tabFunnel, Err: err, Payload: questionDetailPayload{id: id, q: q}}
	}
}

func (d *funnelQuestions) loadedDetail(p questionDetailPayload, err error) {
	q := p.q
	pages := &questionsTab{c: d.c} // the Questions tab's detail page, unchanged
	d.loaded(p.id, err, func(w int) page { return pages.detailPage(&q, w) })
}

func (d *funnelQuestions) view() string {
	st := &d.c.Styles
	head := st.Title.Render(model.CleanLine(d.title)) + st.Muted.Render("  "+model.Plural(len(d.qs), "question", "questions")+" · esc back")
	body := d.browser.view(st.Muted.Render("No question."), func(r int32, cells []cell) {
		for i := range cells {
			cells[i].text = d.text(int(r), i)
		}
	}, nil)
	return fitCell(head, d.list.width) + "\n" + body
}

func (d *funnelQuestions) shortHelp() []key.Binding {
	if d.detail.open {
		return d.detail.shortHelp()
	}
	return append(d.list.shortHelp("read"), d.c.Keys.Back)
}

func (d *funnelQuestions) fullHelp() [][]key.Binding {
	if d.detail.open {
		return d.detail.fullHelp()
	}
	return append(d.list.fullHelp("read"), []key.Binding{d.c.Keys.Back})
}
