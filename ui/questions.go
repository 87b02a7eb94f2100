package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

type questionsPayload struct {
	questions []model.Question
	shared    *questionsShare // the server's share questions is, or nil (shared_questions.go)
	me        mine
}

// mine is who the user is, for the mine queue: the names questions are
// assigned to them by.
type mine struct {
	set   bool // the config names the user (me)
	names []string
	err   error // me names nobody, or the lookup failed
}

type questionDetailPayload struct {
	id      int64
	q       model.Question
	suggest []suggestion // questions_suggest.go
}

// queue is a view of the Questions tab over the open questions.
type queue int

const (
	queueWaiting    queue = iota // what the store calls unanswered: not done, not snoozed
	queueMine                    // waiting, and assigned to the user (the config's me)
	queueUnassigned              // waiting, and nobody is assigned
	queueSnoozed                 // snoozed into the future
	queueDone                    // marked done (but not answered)
	queueAll                     // every open question nobody answered
	queueCount
)

var queueNames = [queueCount]string{"waiting", "mine", "unassigned", "snoozed", "done", "all"}

// holds reports whether q belongs in the queue at now; me are the names
// the user is assigned questions by.
func (v queue) holds(q *model.Question, now time.Time, me []string) bool {
	switch v {
	case queueWaiting:
		return !q.Triage.Hidden(now)
	case queueMine:
		return !q.Triage.Hidden(now) && model.AssignedTo(q.Triage.Assignee, me)
	case queueUnassigned:
		return !q.Triage.Hidden(now) && q.Triage.Assignee == ""
	case queueSnoozed:
		return q.Triage.Status == model.TriageSnoozed && q.Triage.Hidden(now)
	case queueDone:
		return q.Triage.Status == model.TriageDone
	}
	return true
}

// questionsTab is the triage inbox: every open question nobody but its
// author answered, oldest first, across all sources, in queues (waiting,
// mine, unassigned, snoozed, done, all), with keys that triage the one
// selected.
type questionsTab struct {
	c *Context
	browser[int64]
	all       []model.Question // every open question, as loaded
	shared    *questionsShare  // the share all is, while unchanged; nil in the local TUI
	rows      []int32          // the list's rows: indices in all of the queue's questions
	counts    [queueCount]int
	queue     queue
	me        mine
	loading   bool
	done      bool           // the first load finished
	shown     model.Question // the question of the detail page
	suggested []suggestion   // who could answer it (questions_suggest.go)
	width     int
	height    int

	prompt    *triagePrompt
	picker    *memberPicker
	pickerSeq int
	// directory returns the Members tab's whole directory and its filter
	// once loaded, for the member picker.
	directory func() ([]model.Member, *model.Filter, bool)
}

// Columns of the questions table.
const (
	questionAge = iota
	questionSource
	questionChannel
	questionTitle
	questionTriage
	questionAuthor
)

func newQuestionsTab(c *Context) *questionsTab {
	t := &questionsTab{c: c}
	t.browser = newBrowser[int64](c, []column{
		{title: "Age", min: 5, max: 5, right: true},
		{title: "Source", min: 6, max: 10, weight: 1, drop: 2},
		{title: "Channel", min: 8, max: 22, weight: 2, drop: 1},
		{title: "Title", min: 20, weight: 5},
		{title: "Triage", min: 10, max: 22, weight: 1},
		{title: "Author", min: 8, max: 18, weight: 1, drop: 3},
	})
	return t
}

func (t *questionsTab) Title() string { return "Questions" }
func (t *questionsTab) Loading() bool { return t.loading }

// Init loads the open questions, and the detail page again when one is
// shown (after a write, it shows the new triage).
func (t *questionsTab) Init() tea.Cmd {
	t.loading = true
	store, ctx, private, whoAmI, dir := t.c.Store, t.c.Ctx, t.c.Private, t.c.Mine, t.c.Directory
	load := func() tea.Msg {
		var p questionsPayload
		var err error
		if dir != nil {
			// A server's programs share the questions (shared_questions.go).
			if p.shared, err = dir.openQuestions(ctx, private); err == nil {
				p.questions = p.shared.qs
			}
		} else {
			p.questions, err = store.OpenQuestions(ctx, 0)
			if private {
				for i := range p.questions {
					p.questions[i] = publicQuestion(p.questions[i])
				}
			}
		}
		// Who "me" is, read again with the questions: a merge since may
		// have given the user another name.
		if whoAmI != nil {
			p.me.set = true
			p.me.names, p.me.err = whoAmI(ctx)
		}
		return loadedMsg{Tab: tabQuestions, Err: err, Payload: p}
	}
	if t.detail.open && !t.detail.loading {
		return tea.Batch(load, t.loadDetail(t.opened))
	}
	return load
}

// setQueue shows the questions of queue v.
func (t *questionsTab) setQueue(v queue) {
	if v != t.queue {
		t.list.table.cursor, t.list.table.offset = 0, 0
	}
	t.queue = v
	now := t.c.Now()
	t.counts = [queueCount]int{}
	t.rows = nil
	for i := range t.all {
		q := &t.all[i]
		for w := range queueCount {
			if w.holds(q, now, t.me.names) {
				t.counts[w]++
			}
		}
		if v.holds(q, now, t.me.names) {
			t.rows = append(t.rows, int32(i))
		}
	}
	rows := t.rows
	// Everything but the age follows its text.
	natural, widest := naturalWidths(len(rows), []bool{false, true, true, true, true, true}, func(r, col int) string {
		return t.cellText(&t.all[rows[r]], col, now)
	})
	// A column with no text at all would count as unknown and grow to
	// its max: an untriaged queue keeps the triage column narrow.
	if widest[questionTriage] == 0 {
		natural[questionTriage], widest[questionTriage] = 1, 1
	}
	t.list.setData(len(rows), t.filter(rows))
	t.list.table.setNatural(natural, widest)
}

// filter indexes the questions of rows for the list's filter: a subset of
// the server's shared index while all is the share, else its own.
func (t *questionsTab) filter(rows []int32) *model.Filter {
	if t.shared == nil {
		return questionsFilter(t.all, rows)
	}
	f := t.shared.filter()
	if len(rows) == f.Len() {
		return f.Share() // every question, in order
	}
	return f.Subset(rows)
}

// question is the question on row r of the list.
func (t *questionsTab) question(r int32) *model.Question {
	return &t.all[t.rows[r]]
}

func (t *questionsTab) cellText(q *model.Question, col int, now time.Time) string {
	switch col {
	case questionAge:
		return model.Age(now, q.Created)
	case questionSource:
		return model.CleanLine(q.Source)
	case questionChannel:
		return model.CleanLine(q.Channel)
	case questionTitle:
		return model.CleanLine(q.Title)
	case questionTriage:
		return triageCell(q.Triage, now, t.c.Zone)
	case questionAuthor:
		return model.CleanLine(q.Author)
	}
	return ""
}

func (t *questionsTab) loadDetail(id int64) tea.Cmd {
	store, ctx, private, now := t.c.Store, t.c.Ctx, t.c.Private, t.c.Now()
	return func() tea.Msg {
		q, err := store.Question(ctx, id)
		if private {
			q = publicQuestion(q)
		}
		sug := suggestAnswerers(ctx, store, id, now)
		return loadedMsg{Tab: tabQuestions, Err: err, Payload: questionDetailPayload{id: id, q: q, suggest: sug}}
	}
}

func (t *questionsTab) SetSize(w, h int) {
	t.width, t.height = w, h
	t.browser.SetSize(w, max(h-1, 1)) // the queue bar or a prompt takes a line
	t.sizePicker()
}

// Capturing: the filter, a prompt and the picker take text.
func (t *questionsTab) Capturing() bool {
	return t.picker != nil || t.prompt != nil || t.browser.Capturing()
}

func (t *questionsTab) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(loadedMsg); ok {
		switch p := msg.Payload.(type) {
		case questionsPayload:
			t.loading, t.done = false, t.done || msg.Err == nil
			if msg.Err == nil {
				t.all, t.shared, t.me = p.questions, p.shared, p.me
				t.setQueue(t.queue)
			}
		case questionDetailPayload:
			q := p.q
			if msg.Err == nil && p.id == t.opened {
				t.shown, t.suggested = q, p.suggest
			}
			t.loaded(p.id, msg.Err, func(w int) page { return t.detailPage(&q, w) })
		case pickerPayload:
			t.pickerLoaded(p, msg.Err)
		}
		return nil
	}
	switch {
	case t.picker != nil:
		return t.updatePicker(msg)
	case t.prompt != nil:
		return t.updatePrompt(msg)
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && !t.list.typing {
		if cmd, ok := t.triageKey(km); ok {
			return cmd
		}
		if cmd, ok := t.suggestKey(km); ok {
			return cmd
		}
		k := &t.c.Keys
		switch {
		case !t.detail.open && key.Matches(km, k.NextView):
			t.setQueue(t.nextQueue(1))
			return nil
		case !t.detail.open && key.Matches(km, k.PrevView):
			t.setQueue(t.nextQueue(queueCount - 1))
			return nil
		}
	}
	if m, ok := msg.(tea.MouseClickMsg); ok {
		if m.Y == 0 {
			return nil // the queue bar
		}
		m.Y--
		msg = m
	}
	r, ok, cmd := t.navigate(msg)
	if ok {
		id := t.question(r).ID
		t.open(id)
		return t.loadDetail(id)
	}
	return cmd
}

func (t *questionsTab) View() string {
	if t.picker != nil {
		return t.pickerView()
	}
	st := &t.c.Styles
	empty := st.Good.Render(queueEmpty[t.queue])
	if t.queue == queueMine {
		if msg := t.mineProblem(); msg != "" {
			empty = st.Muted.Render(msg)
		}
	}
	if !t.done {
		empty = st.Muted.Render("Loading questions…")
	}
	top := t.queueBar()
	if t.prompt != nil {
		top = t.promptView()
	}
	return cut(top, t.width) + "\n" + t.view(empty, t.fill, nil)
}

var queueEmpty = [queueCount]string{
	"Every question has an answer. Nothing is waiting.",
	"Nothing waiting is assigned to you.",
	"Every waiting question has someone assigned.",
	"Nothing is snoozed.",
	"No question is marked done.",
	"Every question has an answer.",
}

// shows reports whether the queue bar offers v: a viewer's questions carry
// no assignee, so "unassigned" would only repeat "waiting", and none is
// theirs.
func (t *questionsTab) shows(v queue) bool {
	return v != queueUnassigned && v != queueMine || !t.c.Private
}

// mineProblem says why the mine queue cannot know what is the user's, and
// how to fix it; "" when it can.
func (t *questionsTab) mineProblem() string {
	switch {
	case !t.me.set && t.c.User != "":
		// An SSH session: the config's me is whoever runs the server.
		return "Over SSH, hearth does not know which member you are:\n" +
			"the mine queue is for the view opened on this machine (hearth)."
	case !t.me.set:
		return "The mine queue needs to know who you are.\n" +
			`Add me = "@your-handle" (or your e-mail address) to the config file` + "\n" +
			"(hearth config path shows where), then open hearth again."
	case t.me.err != nil:
		return "Check the config file: " + model.CleanLine(t.me.err.Error()) // says what me names
	}
	return ""
}

// nextQueue is the queue step places after the one shown, among those
// offered.
func (t *questionsTab) nextQueue(step queue) queue {
	v := t.queue
	for {
		v = (v + step) % queueCount
		if t.shows(v) {
			return v
		}
	}
}

// queueBar names the queues with their sizes, the one shown highlighted.
func (t *questionsTab) queueBar() string {
	st := &t.c.Styles
	var b strings.Builder
	for v := range queueCount {
		if !t.shows(v) {
			continue
		}
		label := fmt.Sprintf("%s %s", queueNames[v], model.Thousands(t.counts[v]))
		if v == queueMine && t.mineProblem() != "" {
			label = queueNames[v] + " ?" // nobody is "me": a count would say none is
		}
		if v == t.queue {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.Muted.Render(" " + label + " "))
		}
	}
	if !t.detail.open {
		b.WriteString(st.Muted.Render("  v/V: queue"))
	}
	return b.String()
}

func (t *questionsTab) fill(r int32, cells []cell) {
	q := t.question(r)
	now := t.c.Now()
	for i := range cells {
		cells[i].text = t.cellText(q, i, now)
	}
	if q.Triage.Hidden(now) {
		cells[questionTitle].style = &t.c.Styles.Muted // snoozed or done: still listed, quieter
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
	status := "waiting"
	switch {
	case tr.Status == model.TriageDone:
		status = "done"
	case tr.Status == model.TriageSnoozed && tr.Hidden(now):
		status = "snoozed until " + t.c.Day(tr.SnoozedUntil)
	case tr.Status == model.TriageSnoozed:
		status = "waiting (was snoozed until " + t.c.Day(tr.SnoozedUntil) + ")"
	}
	p.field("Status", status)
	if !t.c.Private { // a viewer's questions carry no assignee
		assignee := "nobody"
		if tr.Assignee != "" {
			assignee = model.CleanLine(tr.Assignee)
		}
		p.field("Assigned to", assignee)
	}
	switch {
	case strings.Contains(tr.Note, "\n"):
		p.heading("Note")
		p.text(model.CleanText(tr.Note))
	case tr.Note != "":
		p.field("Note", model.CleanLine(tr.Note))
	}
	suggestSection(&p, t.suggested, t.c.Private) // questions_suggest.go
	if q.Body != "" {
		p.heading("Question")
		p.text(model.CleanText(q.Body))
	}
	return p
}

// ShortHelp: the picker's and prompts' keys while they are open, else the
// list's or the detail's, then the triage keys (disabled, so hidden,
// without a writer).
func (t *questionsTab) ShortHelp() []key.Binding {
	k := t.c.Keys
	switch {
	case t.picker != nil:
		return t.pickerHelp()
	case t.prompt != nil:
		return t.promptHelp()
	case t.detail.open:
		return append(t.detail.shortHelp(), t.triageHelp()...)
	case t.list.typing:
		return t.list.shortHelp("read")
	}
	queue := k.NextView
	queue.SetHelp("v", "queue")
	return append(append(t.list.shortHelp("read"), t.triageHelp()...), queue)
}

func (t *questionsTab) triageHelp() []key.Binding {
	if t.c.Writer == nil || t.detail.open && (t.detail.loading || t.detail.err != nil) {
		return nil
	}
	k := t.c.Keys
	return []key.Binding{k.Assign, k.Snooze, k.Done, k.Note}
}

func (t *questionsTab) FullHelp() [][]key.Binding {
	k := t.c.Keys
	switch {
	case t.picker != nil:
		return [][]key.Binding{t.pickerHelp()}
	case t.prompt != nil:
		return [][]key.Binding{t.promptHelp()}
	case t.detail.open:
		return append(t.detail.fullHelp(), t.triageHelp())
	case t.list.typing:
		return t.list.fullHelp("read")
	}
	return append(t.list.fullHelp("read"), t.triageHelp(), []key.Binding{k.NextView})
}
