package ui

import (
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// The triage inbox: keys on a question (assign, snooze, done/reopen,
// note), the member picker, snooze prompt and note editor (notes.go) they
// open, and the writes they run. Every write runs in a command; its result comes back as a wroteMsg
// to the root, which shows it in the status line and reloads.

// wroteMsg is the result of a write or an undo.
type wroteMsg struct {
	err    error
	notice string // what happened, on success
	// all asks to reload every tab, not only the summary and the
	// questions: an undo may have reverted a note or a flag.
	all bool
	// triaged is the triage a write left on one question: the tab shows
	// it at once instead of reading every open question again.
	triaged *triaged
}

// triaged is a question's triage as a write left it.
type triaged struct {
	source, externalID string
	t                  model.Triage
}

// wrote shows the result of a write and reloads what it changed. A
// conflict reloads too, so the user sees what the other person wrote.
func (m *Model) wrote(msg wroteMsg) tea.Cmd {
	if msg.err != nil {
		m.err = msg.err
		if !errors.Is(msg.err, store.ErrConflict) {
			return nil
		}
	} else {
		m.err, m.notice = nil, msg.notice
	}
	if msg.all {
		return tea.Batch(m.reload(), m.members.refreshDetail())
	}
	m.loadingSum = true
	cmds := []tea.Cmd{m.loadSummary()}
	switch {
	case msg.err == nil && msg.triaged != nil:
		// Reading every open question again takes longer than a frame at
		// 100k members; the write returned all that changed.
		m.tabs[tabQuestions].(*questionsTab).applyTriage(*msg.triaged)
	case m.started[tabQuestions]:
		cmds = append(cmds, m.tabs[tabQuestions].Init())
	}
	return tea.Batch(cmds...)
}

// undo reverts the newest change in the journal, whoever made it.
func (m *Model) undo() tea.Cmd {
	w, ctx := m.c.Writer, m.c.Ctx
	if w == nil {
		return nil
	}
	return func() tea.Msg {
		ch, err := w.Undo(ctx)
		if errors.Is(err, store.ErrNothingToUndo) {
			return noticeMsg("nothing to undo")
		}
		if err != nil {
			return wroteMsg{err: err}
		}
		return wroteMsg{notice: "undone: " + model.CleanLine(ch.What), all: !strings.HasPrefix(ch.What, "triage ")}
	}
}

// promptKind is what a prompt asks for.
type promptKind int

const (
	promptSnooze promptKind = iota
)

// snoozePresets are offered by the snooze prompt before anything is typed.
var snoozePresets = []string{"1d", "3d", "1w"}

// triagePrompt is a one-line question about the question q, shown above
// the list or the detail: until when to snooze it.
type triagePrompt struct {
	kind   promptKind
	q      model.Question // as read when the prompt opened: its version is the one written against
	in     lineInput
	preset int // the snooze preset enter takes while nothing is typed
}

// memberPicker chooses the member a question is assigned to (picker.go).
type memberPicker struct {
	q model.Question
	pickerList
}

// current is the question the triage keys act on: the one shown in the
// detail, else the one under the cursor.
func (t *questionsTab) current() (model.Question, bool) {
	if t.detail.open {
		if t.detail.loading || t.detail.err != nil || t.shown.ID != t.opened {
			return model.Question{}, false
		}
		return t.shown, true
	}
	r, ok := t.list.table.selected()
	if !ok || int(r) >= len(t.rows) {
		return model.Question{}, false
	}
	return *t.question(r), true
}

// triageKey starts the triage action a key asks for; ok is false when the
// key is not one.
func (t *questionsTab) triageKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &t.c.Keys
	if t.c.Private && anyKey(msg, k.Assign, k.Snooze, k.Note, k.Done) {
		// A viewer's write keys are disabled; say why rather than nothing.
		return notify("read-only: viewers cannot triage questions"), true
	}
	var act func(q model.Question) tea.Cmd
	switch {
	case key.Matches(msg, k.Assign):
		act = t.startAssign
	case key.Matches(msg, k.Snooze):
		act = func(q model.Question) tea.Cmd {
			t.prompt = &triagePrompt{kind: promptSnooze, q: q}
			return nil
		}
	case key.Matches(msg, k.Note):
		act = t.editNote
	case key.Matches(msg, k.Done):
		act = t.toggleDone
	default:
		return nil, false
	}
	if t.c.Writer == nil {
		return nil, true
	}
	q, ok := t.current()
	if !ok {
		return notify("no question selected"), true
	}
	return act(q), true
}

// anyKey reports whether msg is one of the bindings' keys, enabled or not.
func anyKey(msg tea.KeyPressMsg, bs ...key.Binding) bool {
	for _, b := range bs {
		for _, k := range b.Keys() {
			if msg.String() == k {
				return true
			}
		}
	}
	return false
}

func (t *questionsTab) toggleDone(q model.Question) tea.Cmd {
	tr := q.Triage
	if tr.Status == model.TriageDone {
		tr.Status, tr.SnoozedUntil = model.TriageOpen, time.Time{}
		return t.write(q, tr, "reopened")
	}
	tr.Status, tr.SnoozedUntil = model.TriageDone, time.Time{}
	return t.write(q, tr, "marked done")
}

// write sets the triage of q to tr in a command, against the version of
// q that was read; done says what happened, for the status line.
func (t *questionsTab) write(q model.Question, tr model.Triage, done string) tea.Cmd {
	w, ctx, dir := t.c.Writer, t.c.Ctx, t.c.Directory
	if w == nil {
		return nil
	}
	src, ext, read := q.Source, q.ExternalID, q.Triage.Version
	return func() tea.Msg {
		got, err := w.SetTriage(ctx, src, ext, read, tr)
		if err != nil {
			return wroteMsg{err: err}
		}
		// Other programs of a server read the questions again when they
		// reload; this one shows the new triage at once (applyTriage).
		dir.dropQuestions()
		return wroteMsg{notice: done + " · u undo", triaged: &triaged{source: src, externalID: ext, t: got}}
	}
}

// applyTriage shows a question's new triage in the queues and in its open
// detail, as a reload would.
func (t *questionsTab) applyTriage(w triaged) {
	if t.shared != nil {
		// The share is other programs' too: change a copy of it, until
		// the next reload brings the share read after the write.
		t.all, t.shared = slices.Clone(t.all), nil
	}
	for i := range t.all {
		if q := &t.all[i]; q.Source == w.source && q.ExternalID == w.externalID {
			q.Triage = w.t
		}
	}
	t.setQueue(t.queue)
	if q := t.shown; t.detail.open && q.Source == w.source && q.ExternalID == w.externalID {
		q.Triage = w.t
		t.shown = q
		t.loaded(q.ID, nil, func(w int) page { return t.detailPage(&q, w) })
	}
}

// updatePrompt handles a key while a prompt is open.
func (t *questionsTab) updatePrompt(msg tea.Msg) tea.Cmd {
	p := t.prompt
	k := &t.c.Keys
	km, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(km, k.Cancel):
		t.prompt = nil
		return nil
	case isKey && key.Matches(km, k.Pick):
		return t.submitPrompt()
	case isKey && p.kind == promptSnooze && p.in.value == "" && key.Matches(km, k.Preset):
		step := 1
		if s := km.String(); s == "left" || s == "shift+tab" {
			step = len(snoozePresets) - 1
		}
		p.preset = (p.preset + step) % len(snoozePresets)
		return nil
	}
	p.in.update(msg)
	return nil
}

func (t *questionsTab) submitPrompt() tea.Cmd {
	p := t.prompt
	tr := p.q.Triage
	until, err := t.snoozeUntil(p)
	if err != nil {
		return notify("snooze: " + err.Error())
	}
	t.prompt = nil
	tr.Status, tr.SnoozedUntil = model.TriageSnoozed, until
	return t.write(p.q, tr, "snoozed until "+t.c.Day(until))
}

// editNote opens the note editor on q's note; saving writes it against the
// version read now, so a change made meanwhile is reported, not lost.
func (t *questionsTab) editNote(q model.Question) tea.Cmd {
	return askNote(noteRequest{title: noteTitle(q.Title), initial: q.Triage.Note, save: func(text string) tea.Cmd {
		if text == strings.TrimSpace(q.Triage.Note) {
			return notify("note unchanged")
		}
		tr := q.Triage
		tr.Note = text
		done := "note saved"
		if text == "" {
			done = "note cleared"
		}
		return t.write(q, tr, done)
	}})
}

// snoozeUntil is the time the snooze prompt stands for: what was typed,
// else the preset chosen.
func (t *questionsTab) snoozeUntil(p *triagePrompt) (time.Time, error) {
	s := strings.TrimSpace(p.in.value)
	if s == "" {
		s = snoozePresets[p.preset]
	}
	return model.ParseSnooze(s, t.c.Now(), t.c.Zone)
}

// promptView is the prompt's line.
func (t *questionsTab) promptView() string {
	st := &t.c.Styles
	p := t.prompt
	var b strings.Builder
	b.WriteString(st.Label.Render("Snooze until "))
	for i, s := range snoozePresets {
		switch {
		case i == p.preset && p.in.value == "":
			b.WriteString(st.TabActive.Render(s))
		default:
			b.WriteString(st.Muted.Render(" " + s + " "))
		}
	}
	b.WriteString(st.Muted.Render(" or type ") + p.in.view())
	if until, err := t.snoozeUntil(p); err == nil {
		b.WriteString(st.Muted.Render("  → " + t.c.Day(until)))
	} else if p.in.value != "" {
		b.WriteString(st.Error.Render("  " + err.Error()))
	}
	return b.String()
}

// startAssign opens the member picker for q, on the directory the Members
// tab loaded when it has, else on one it loads itself.
func (t *questionsTab) startAssign(q model.Question) tea.Cmd {
	t.pickerSeq++
	p := &memberPicker{q: q, pickerList: newPickerList(t.c, t.pickerSeq)}
	t.picker = p
	t.sizePicker()
	return p.start(t.c, tabQuestions, t.directory)
}

func (t *questionsTab) pickerLoaded(p pickerPayload, err error) {
	if t.picker != nil {
		t.picker.loaded(p, err)
	}
}

func (t *questionsTab) sizePicker() {
	if t.picker != nil {
		t.picker.list.setSize(t.width, max(t.height-1, 1))
	}
}

// updatePicker handles a message while the picker is open: typing
// filters, arrows move, enter assigns, esc cancels.
func (t *questionsTab) updatePicker(msg tea.Msg) tea.Cmd {
	p := t.picker
	k := &t.c.Keys
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Cancel):
			t.picker = nil
			return nil
		case key.Matches(km, k.Unassign):
			t.picker = nil
			if p.q.Triage.Assignee == "" {
				return notify("not assigned to anyone")
			}
			tr := p.q.Triage
			tr.Assignee = ""
			return t.write(p.q, tr, "unassigned")
		case key.Matches(km, k.Pick):
			return t.pick()
		}
	}
	if p.update(msg) {
		return t.pick()
	}
	return nil
}

func (t *questionsTab) pick() tea.Cmd {
	p := t.picker
	m, ok := p.selected()
	if !ok {
		return notify("no member matches")
	}
	who := assigneeOf(m)
	if who == "" {
		return notify("this member has neither a handle nor an address to assign to")
	}
	t.picker = nil
	tr := p.q.Triage
	tr.Assignee = who
	return t.write(p.q, tr, "assigned to "+model.CleanLine(who))
}

// assigneeOf is how a triage names a member, as hearth questions triage
// --assign does: an @handle, else an e-mail address.
func assigneeOf(m *model.Member) string {
	for _, h := range m.Handles {
		if strings.HasPrefix(h, "@") {
			return h
		}
	}
	if len(m.Handles) > 0 {
		return m.Handles[0]
	}
	if len(m.Emails) > 0 {
		return m.Emails[0]
	}
	return ""
}

func (t *questionsTab) pickerView() string {
	st := &t.c.Styles
	p := t.picker
	head := st.Label.Render("Assign ") + model.CleanLine(p.q.Title)
	if p.q.Triage.Assignee != "" {
		head += st.Muted.Render(" (now " + model.CleanLine(p.q.Triage.Assignee) + ")")
	}
	return p.view(t.c, cut(head, t.width), t.width)
}

func (t *questionsTab) pickerHelp() []key.Binding {
	k := t.c.Keys
	pick := k.Pick
	pick.SetHelp("enter", "assign")
	b := []key.Binding{pick, k.Arrows, k.Cancel}
	if t.picker.q.Triage.Assignee != "" {
		b = append(b, k.Unassign)
	}
	return b
}

func (t *questionsTab) promptHelp() []key.Binding {
	k := t.c.Keys
	pick := k.Pick
	pick.SetHelp("enter", "snooze")
	return []key.Binding{pick, k.Preset, k.Cancel}
}

// triageCell is the short triage state of the list's column, in words.
func triageCell(tr model.Triage, now time.Time, zone *time.Location) string {
	var parts []string
	switch {
	case tr.Status == model.TriageDone:
		parts = append(parts, "done")
	case tr.Status == model.TriageSnoozed && tr.Hidden(now):
		parts = append(parts, "snoozed "+tr.SnoozedUntil.In(zone).Format("01-02"))
	}
	if tr.Assignee != "" {
		parts = append(parts, model.CleanLine(tr.Assignee))
	}
	if tr.Note != "" && len(parts) == 0 {
		parts = append(parts, "note")
	}
	return strings.Join(parts, " ")
}
