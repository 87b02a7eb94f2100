package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

type questionsPayload struct {
	questions       []model.Question
	filter          *model.Filter
	natural, widest []int
}

type questionDetailPayload struct {
	id int64
	q  model.Question
}

// questionsTab lists every question nobody but its author answered,
// oldest first, across all sources.
type questionsTab struct {
	c *Context
	browser[int64]
	questions []model.Question
	loading   bool
	done      bool // the first load finished
}

func newQuestionsTab(c *Context) *questionsTab {
	t := &questionsTab{c: c}
	t.browser = newBrowser[int64](c, []column{
		{title: "Age", min: 5, max: 5, right: true},
		{title: "Source", min: 6, max: 10, weight: 1, drop: 2},
		{title: "Channel", min: 8, max: 22, weight: 2, drop: 1},
		{title: "Title", min: 20, weight: 5},
		{title: "Author", min: 8, max: 18, weight: 1, drop: 3},
	})
	return t
}

func (t *questionsTab) Title() string { return "Questions" }
func (t *questionsTab) Loading() bool { return t.loading }

func (t *questionsTab) Init() tea.Cmd {
	t.loading = true
	store, ctx := t.c.Store, t.c.Ctx
	return func() tea.Msg {
		qs, err := store.UnansweredQuestions(ctx, 0)
		if err != nil {
			return loadedMsg{Tab: tabQuestions, Err: err, Payload: questionsPayload{}}
		}
		texts := make([]string, len(qs))
		for i, q := range qs {
			texts[i] = strings.Join([]string{q.Title, q.Source, q.Channel, q.Author, strings.Join(q.Topics, " ")}, "\n")
		}
		// Everything but the age follows its text.
		natural, widest := naturalWidths(len(qs), []bool{false, true, true, true, true}, func(r, col int) string {
			q := &qs[r]
			return model.CleanLine([]string{"", q.Source, q.Channel, q.Title, q.Author}[col])
		})
		return loadedMsg{Tab: tabQuestions, Payload: questionsPayload{questions: qs, filter: model.NewFilter(texts), natural: natural, widest: widest}}
	}
}

func (t *questionsTab) loadDetail(id int64) tea.Cmd {
	store, ctx := t.c.Store, t.c.Ctx
	return func() tea.Msg {
		q, err := store.Question(ctx, id)
		return loadedMsg{Tab: tabQuestions, Err: err, Payload: questionDetailPayload{id: id, q: q}}
	}
}

func (t *questionsTab) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(loadedMsg); ok {
		switch p := msg.Payload.(type) {
		case questionsPayload:
			t.loading, t.done = false, msg.Err == nil
			if msg.Err == nil {
				t.questions = p.questions
				t.list.setData(len(p.questions), p.filter)
				t.list.table.setNatural(p.natural, p.widest)
			}
		case questionDetailPayload:
			q := p.q
			t.loaded(p.id, msg.Err, func(w int) page { return t.detailPage(&q, w) })
		}
		return nil
	}
	r, ok, cmd := t.navigate(msg)
	if ok {
		t.open(t.questions[r].ID)
		return t.loadDetail(t.questions[r].ID)
	}
	return cmd
}

func (t *questionsTab) View() string {
	st := &t.c.Styles
	empty := st.Good.Render("Every question has an answer. Nothing is waiting.")
	if !t.done {
		empty = st.Muted.Render("Loading questions…")
	}
	return t.view(empty, t.fill, nil)
}

func (t *questionsTab) fill(r int32, cells []cell) {
	q := &t.questions[r]
	cells[0].text = model.Age(t.c.Now(), q.Created)
	cells[1].text = model.CleanLine(q.Source)
	cells[2].text = model.CleanLine(q.Channel)
	cells[3].text = model.CleanLine(q.Title)
	cells[4].text = model.CleanLine(q.Author)
	if q.Triage.Status != "" {
		cells[3].style = &t.c.Styles.Muted // snoozed or done: still listed, quieter
	}
}

func (t *questionsTab) detailPage(q *model.Question, w int) page {
	p := page{c: t.c, w: w}
	now := t.c.Now()
	p.title(model.CleanLine(q.Title))
	p.field("Source", model.CleanLine(q.Source))
	p.field("Channel", model.CleanLine(q.Channel))
	p.field("Author", model.CleanLine(q.Author))
	p.field("Created", t.c.Day(q.Created)+" ("+model.Ago(now, q.Created)+")")
	p.linkField("Link", q.URL)
	if len(q.Topics) > 0 {
		p.field("Topics", model.CleanLine(strings.Join(q.Topics, ", ")))
	}
	tr := q.Triage
	state := "untriaged"
	if tr.Status != "" {
		state = model.CleanLine(tr.Status)
	}
	if tr.Assignee != "" {
		state += ", assigned to " + model.CleanLine(tr.Assignee)
	}
	if !tr.SnoozedUntil.IsZero() {
		state += ", snoozed until " + t.c.Day(tr.SnoozedUntil)
	}
	p.field("Triage", state)
	if tr.Note != "" {
		p.field("Note", model.CleanLine(tr.Note))
	}
	if q.Body != "" {
		p.heading("Question")
		p.text(model.CleanText(q.Body))
	}
	return p
}

func (t *questionsTab) ShortHelp() []key.Binding {
	if t.detail.open {
		return t.detail.shortHelp()
	}
	return t.list.shortHelp("read")
}

func (t *questionsTab) FullHelp() [][]key.Binding {
	if t.detail.open {
		return t.detail.fullHelp()
	}
	return t.list.fullHelp("read")
}
