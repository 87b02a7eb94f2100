package ui

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// Planning events from the Events tab. On the list: a adds an event, e
// edits the selected one, x deletes it. On an event's detail, ↑/↓ choose
// the event or one of its speakers, tasks, budget lines and attendees; a
// adds to the plan, e edits the choice, x deletes it, space ticks a task
// or moves a speaker on (invited → confirmed → declined). Every write
// goes through the store's writer in a command, so u undoes it, and
// comes back as a wroteMsg that reloads the tab.

// EventWriter is the part of the writer that plans events; *store.Writer
// has it. A program whose writer lacks it cannot plan events.
type EventWriter interface {
	AddEvent(ctx context.Context, p store.EventPlan) (string, error)
	EditEvent(ctx context.Context, p store.EventPlan) error
	DeleteEvent(ctx context.Context, uid string) error
	AddSpeaker(ctx context.Context, uid string, sp model.Speaker) (int64, error)
	EditSpeaker(ctx context.Context, id, read int64, sp model.Speaker) error
	AddTask(ctx context.Context, uid string, t model.Task) (int64, error)
	EditTask(ctx context.Context, id, read int64, t model.Task) error
	SetTaskDone(ctx context.Context, id int64, done bool) error
	AddBudgetLine(ctx context.Context, uid string, b model.BudgetLine) (int64, error)
	EditBudgetLine(ctx context.Context, id, read int64, b model.BudgetLine) error
	AddAttendee(ctx context.Context, uid string, a model.Attendee) (int64, error)
	EditAttendee(ctx context.Context, id, read int64, a model.Attendee) error
	DeletePlan(ctx context.Context, kind string, id int64) error
}

// planReader is what the tab reads beyond the UI's Store when the store
// has it (*store.Store does): an event as a plan (zone, CFP opening,
// capacity, version) and the overdue tasks per event.
type planReader interface {
	EventPlan(ctx context.Context, uid string) (store.EventPlan, error)
	OverdueTasks(ctx context.Context, now time.Time) (map[string]int, error)
}

// eventWrote is a write of the tab that succeeded: the root is told
// through a wroteMsg after the tab opened (uid) or closed (gone) the
// event's detail.
type eventWrote struct {
	uid    string
	notice string
	gone   bool
}

// eventEditPayload is an event's plan, read to open its form from the list.
type eventEditPayload struct {
	plan store.EventPlan
}

// planItem is one row of an event's plan on its detail page.
type planItem struct {
	kind string // "speaker", "task", "budget", "attendee"
	i    int    // index in the event's slice of that kind
}

// items lists the plan rows of the shown event in page order.
func (t *eventsTab) items() []planItem {
	e := &t.shown
	var out []planItem
	for i := range e.Speakers {
		out = append(out, planItem{"speaker", i})
	}
	for i := range e.Tasks {
		out = append(out, planItem{"task", i})
	}
	for i := range e.Budget {
		out = append(out, planItem{"budget", i})
	}
	for i := range e.Attendees {
		out = append(out, planItem{"attendee", i})
	}
	return out
}

func (t *eventsTab) formOpen() bool { return t.form != nil }

// eventWriter returns the writer, or why there is none.
func (t *eventsTab) eventWriter() (EventWriter, string) {
	if t.c.Writer == nil {
		return nil, "read-only: events cannot be planned in this session"
	}
	w, ok := t.c.Writer.(EventWriter)
	if !ok {
		return nil, "this session cannot plan events"
	}
	return w, ""
}

// write runs fn with the writer in a command; uid is the event to show
// afterwards ("" keeps what is shown).
func (t *eventsTab) write(notice string, fn func(ctx context.Context, w EventWriter) (uid string, err error)) tea.Cmd {
	w, why := t.eventWriter()
	if w == nil {
		return notify(why)
	}
	ctx := t.c.Ctx
	return func() tea.Msg {
		uid, err := fn(ctx, w)
		if err != nil {
			return wroteMsg{err: err}
		}
		return loadedMsg{Tab: tabEvents, Payload: eventWrote{uid: uid, notice: notice}}
	}
}

// wrote shows the event a write was about and hands the notice to the
// root, which reloads every tab.
func (t *eventsTab) wrote(p eventWrote) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case p.gone:
		t.detail.close()
	case p.uid != "" && (!t.detail.open || t.opened != p.uid):
		t.open(p.uid)
		t.sel = -1
		cmd = t.loadDetail(p.uid)
	}
	return tea.Batch(cmd, func() tea.Msg { return wroteMsg{notice: p.notice, all: true} })
}

// openForm shows f in place of the list or the detail.
func (t *eventsTab) openForm(f *eventForm) tea.Cmd {
	t.form = f
	f.directory = t.directory
	return f.start(t.w, t.h)
}

// updateForm passes msg to the open form, or its picker, and saves the
// form when it is complete.
func (t *eventsTab) updateForm(msg tea.Msg) tea.Cmd {
	f := t.form
	switch msg := msg.(type) {
	case formSaved:
		if msg.form == f {
			t.form = nil
		}
		if msg.msg == nil {
			return nil
		}
		return func() tea.Msg { return msg.msg }
	case formRefused:
		if msg.form != f {
			return nil
		}
		f.saving = false
		return f.refuse(msg.err)
	case formPickerMsg:
		f.pickerLoaded(msg)
		return nil
	}
	if f.saving {
		return nil // keys wait for the save's answer
	}
	if f.pick != nil {
		if cmd, ok := f.updatePick(msg); ok {
			return cmd
		}
	} else if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, t.c.Keys.PickMember) {
		if fi := f.focusedMember(); fi != nil {
			return f.startPick(fi)
		}
	}
	cmd, done := f.update(msg)
	if !done {
		return cmd
	}
	if !f.completed() {
		t.form = nil
		return notify("cancelled")
	}
	return t.save(f)
}

// save runs the write of the completed form f. A form with text fields
// stays until the write answers: when it fails the form comes back as
// typed, with the error (formRefused); otherwise it closes and the
// write's message goes on (formSaved). A form with nothing typed (the
// chooser, a confirmation) closes at once.
func (t *eventsTab) save(f *eventForm) tea.Cmd {
	if len(f.inputs) == 0 {
		t.form = nil
		return f.submit() // may open the next form
	}
	cmd := f.submit()
	if cmd == nil {
		t.form = nil
		return nil
	}
	f.saving = true
	return func() tea.Msg {
		msg := cmd()
		if w, ok := msg.(wroteMsg); ok && w.err != nil {
			return formRefused{form: f, err: w.err}
		}
		return formSaved{form: f, msg: msg}
	}
}

// editKey handles the keys that plan; ok is false for any other key.
func (t *eventsTab) editKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &t.c.Keys
	if !anyKey(msg, k.Add, k.Edit, k.Delete, k.Toggle) {
		return nil, false
	}
	if anyKey(msg, k.Toggle) && (!t.detail.open || t.sel < 0) {
		return nil, false // space acts on a plan row only
	}
	if _, why := t.eventWriter(); why != "" {
		return notify(why), true
	}
	if t.detail.open {
		return t.detailKey(msg), true
	}
	if anyKey(msg, k.Add) {
		return t.openForm(t.eventForm(store.EventPlan{})), true
	}
	r, sel := t.list.table.selected()
	if !sel || int(r) >= len(t.events) {
		return notify("no event selected"), true
	}
	e := t.events[r]
	if e.Source != store.PlannedSource {
		return notify("this event comes from a calendar feed: open it to plan speakers, tasks and budget"), true
	}
	if anyKey(msg, k.Delete) {
		return t.deleteEvent(e.UID, e.Name), true
	}
	pr, ok := t.c.Store.(planReader)
	if !ok {
		return notify("this session cannot plan events"), true
	}
	ctx, uid := t.c.Ctx, e.UID
	return func() tea.Msg {
		p, err := pr.EventPlan(ctx, uid)
		return loadedMsg{Tab: tabEvents, Err: err, Payload: eventEditPayload{plan: p}}
	}, true
}

// detailKey handles a planning key on an event's detail.
func (t *eventsTab) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &t.c.Keys
	if t.detail.loading || t.detail.err != nil || t.shown.UID != t.opened {
		return notify("the event has not loaded")
	}
	uid := t.shown.UID
	if anyKey(msg, k.Add) {
		return t.openForm(t.addChooser(uid))
	}
	items := t.items()
	if t.sel < 0 || t.sel >= len(items) {
		// The event itself is chosen.
		if t.shown.Source != store.PlannedSource || !t.hasPlan {
			return notify("this event comes from a calendar feed: only its plan can change here")
		}
		if anyKey(msg, k.Delete) {
			return t.deleteEvent(uid, t.shown.Name)
		}
		return t.openForm(t.eventForm(t.plan))
	}
	it := items[t.sel]
	e := &t.shown
	switch {
	case anyKey(msg, k.Toggle):
		return t.toggle(it)
	case anyKey(msg, k.Delete):
		id, what := t.itemRef(it)
		return t.openForm(t.deleteForm(what, func() tea.Cmd {
			return t.write(it.kind+" deleted · u undo", func(ctx context.Context, w EventWriter) (string, error) {
				return uid, w.DeletePlan(ctx, it.kind, id)
			})
		}))
	}
	switch it.kind {
	case "speaker":
		return t.openForm(t.speakerForm(uid, e.Speakers[it.i]))
	case "task":
		return t.openForm(t.taskForm(uid, e.Tasks[it.i]))
	case "budget":
		return t.openForm(t.budgetForm(uid, e.Budget[it.i]))
	default:
		return t.openForm(t.attendeeForm(uid, e.Attendees[it.i]))
	}
}

// itemRef is a plan row's id and how a question names it.
func (t *eventsTab) itemRef(it planItem) (int64, string) {
	e := &t.shown
	switch it.kind {
	case "speaker":
		return e.Speakers[it.i].ID, "speaker " + model.CleanLine(e.Speakers[it.i].Name)
	case "task":
		return e.Tasks[it.i].ID, "task " + model.CleanLine(e.Tasks[it.i].Title)
	case "budget":
		return e.Budget[it.i].ID, "budget line " + model.CleanLine(e.Budget[it.i].Item)
	default:
		return e.Attendees[it.i].ID, "attendee " + model.CleanLine(e.Attendees[it.i].Name)
	}
}

// toggle ticks a task, or moves a speaker or an attendee to the next status.
func (t *eventsTab) toggle(it planItem) tea.Cmd {
	e, uid := &t.shown, t.shown.UID
	switch it.kind {
	case "task":
		tk := e.Tasks[it.i]
		notice := "task done · u undo"
		if tk.Done {
			notice = "task open again · u undo"
		}
		return t.write(notice, func(ctx context.Context, w EventWriter) (string, error) {
			return uid, w.SetTaskDone(ctx, tk.ID, !tk.Done)
		})
	case "speaker":
		sp := e.Speakers[it.i]
		sp.Status = nextStatus(sp.Status, "invited", "confirmed", "declined")
		return t.write("speaker "+sp.Status+" · u undo", func(ctx context.Context, w EventWriter) (string, error) { return uid, w.EditSpeaker(ctx, sp.ID, 0, sp) })
	case "attendee":
		a := e.Attendees[it.i]
		a.Status = nextStatus(a.Status, "registered", "attended", "cancelled")
		return t.write("attendee "+a.Status+" · u undo", func(ctx context.Context, w EventWriter) (string, error) { return uid, w.EditAttendee(ctx, a.ID, 0, a) })
	}
	return notify("space ticks tasks and moves speakers and attendees on")
}

// nextStatus is the status after s in order, wrapping round.
func nextStatus(s string, order ...string) string {
	for i, o := range order {
		if o == s {
			return order[(i+1)%len(order)]
		}
	}
	return order[0]
}

// deleteEvent asks, then deletes a planned event with its plans.
func (t *eventsTab) deleteEvent(uid, name string) tea.Cmd {
	return t.openForm(t.deleteForm("the event "+model.CleanLine(name)+" and its plans", func() tea.Cmd {
		w, why := t.eventWriter()
		if w == nil {
			return notify(why)
		}
		ctx := t.c.Ctx
		return func() tea.Msg {
			if err := w.DeleteEvent(ctx, uid); err != nil {
				return wroteMsg{err: err}
			}
			return loadedMsg{Tab: tabEvents, Payload: eventWrote{notice: "event deleted · u undo", gone: true}}
		}
	}))
}

// chosen is the kind and id of the chosen plan row ("", 0: the event).
func (t *eventsTab) chosen() (string, int64) {
	items := t.items()
	if t.sel < 0 || t.sel >= len(items) {
		return "", 0
	}
	id, _ := t.itemRef(items[t.sel])
	return items[t.sel].kind, id
}

// choose chooses the plan row kind id again, else the nearest row.
func (t *eventsTab) choose(kind string, id int64) {
	items := t.items()
	for i, it := range items {
		if got, _ := t.itemRef(it); it.kind == kind && got == id {
			t.sel = i
			return
		}
	}
	t.sel = min(t.sel, len(items)-1)
}

// moveSel moves the detail's choice by n and keeps it in view.
func (t *eventsTab) moveSel(n int) {
	items := t.items()
	t.sel = max(min(t.sel+n, len(items)-1), -1)
	t.detail.relayout()
	if t.sel < 0 {
		t.detail.offset = 0
		return
	}
	if t.sel < len(t.itemLines) {
		line := t.itemLines[t.sel]
		d := &t.detail
		if line < d.offset {
			d.offset = line
		}
		if line >= d.offset+d.height {
			d.offset = line - d.height + 1
		}
	}
}

// notFound reports a detail that failed because its event is gone (an
// undo removed it, say).
func notFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
