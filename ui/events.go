package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// cfpSoon is how close a CFP deadline must be to be highlighted.
const cfpSoon = 14 * 24 * time.Hour

// Heading rows of the events table.
const (
	headUpcoming int32 = -1
	headPast     int32 = -2
)

type eventsPayload struct {
	events          []model.Event
	overdue         map[string]int // open tasks past due, by event UID
	filter          *model.Filter
	natural, widest []int
}

type eventDetailPayload struct {
	uid     string
	e       model.Event
	plan    store.EventPlan
	hasPlan bool
}

// eventsTab lists meetups and conferences: upcoming soonest first, then
// past ones, most recent first.
type eventsTab struct {
	c *Context
	browser[string]
	events   []model.Event
	upcoming []bool
	overdue  map[string]int
	loading  bool
	done     bool // the first load finished
	w, h     int

	form *eventForm // the open form, if any (events_form.go)
	// directory returns the Members tab's whole directory and its filter
	// once loaded, for the forms' member picker.
	directory func() ([]model.Member, *model.Filter, bool)
	// The detail shown, for planning: the event with its plan rows, its
	// plan (hasPlan: read), the choice (-1: the event itself, else an
	// index into items()) and the page line of each item.
	shown     model.Event
	plan      store.EventPlan
	hasPlan   bool
	sel       int
	itemLines []int
}

func newEventsTab(c *Context) *eventsTab {
	t := &eventsTab{c: c}
	t.browser = newBrowser[string](c, []column{
		{title: "Date", min: 10, max: 10},
		{title: "Name", min: 16, weight: 3},
		{title: "Place", min: 8, max: 28, weight: 2, drop: 2},
		{title: "CFP", min: 10, max: 10},
		{title: "Speakers", min: 8, max: 8, right: true, drop: 1},
		{title: "Overdue", min: 7, max: 7, right: true, drop: 3}, // tasks past due
	})
	t.list.arrange = t.arrange
	return t
}

func (t *eventsTab) Title() string { return "Events" }
func (t *eventsTab) Loading() bool { return t.loading }

// Init loads the list, and the open detail again (after a write or an
// undo, the root reloads every tab through Init).
func (t *eventsTab) Init() tea.Cmd {
	t.loading = true
	st, ctx, now, zone := t.c.Store, t.c.Ctx, t.c.Now(), t.c.Zone
	pr, _ := st.(planReader)
	list := func() tea.Msg {
		es, err := st.Events(ctx, now)
		if err != nil {
			return loadedMsg{Tab: tabEvents, Err: err, Payload: eventsPayload{}}
		}
		var overdue map[string]int
		if pr != nil {
			if overdue, err = pr.OverdueTasks(ctx, now); err != nil {
				return loadedMsg{Tab: tabEvents, Err: err, Payload: eventsPayload{}}
			}
		}
		texts := make([]string, len(es))
		for i := range es {
			texts[i] = model.EventText(&es[i], zone)
		}
		// Name and Place follow their text; the others have fixed widths.
		natural, widest := naturalWidths(len(es), []bool{false, true, true, false, false, false}, func(r, col int) string {
			if col == 1 {
				return model.CleanLine(es[r].Name)
			}
			return model.CleanLine(es[r].Place)
		})
		return loadedMsg{Tab: tabEvents, Payload: eventsPayload{events: es, overdue: overdue, filter: model.NewFilter(texts), natural: natural, widest: widest}}
	}
	if t.detail.open && !t.detail.loading {
		return tea.Batch(list, t.loadDetail(t.opened))
	}
	return list
}

func (t *eventsTab) loadDetail(uid string) tea.Cmd {
	st, ctx := t.c.Store, t.c.Ctx
	pr, _ := st.(planReader)
	return func() tea.Msg {
		e, err := st.Event(ctx, uid)
		p := eventDetailPayload{uid: uid, e: e}
		if err == nil && pr != nil {
			p.plan, err = pr.EventPlan(ctx, uid)
			p.hasPlan = err == nil
		}
		return loadedMsg{Tab: tabEvents, Err: err, Payload: p}
	}
}

func (t *eventsTab) SetSize(w, h int) {
	t.w, t.h = w, h
	t.layout()
	if t.form != nil {
		t.form.resize(w, h)
	}
}

// layout gives the list what the deadlines line leaves.
func (t *eventsTab) layout() {
	lh := t.h
	if t.deadlines() != "" {
		lh--
	}
	t.browser.SetSize(t.w, max(lh, 1))
	t.detail.setSize(t.w, t.h)
}

// Capturing: a form takes every key, as does the list's filter.
func (t *eventsTab) Capturing() bool { return t.form != nil || t.browser.Capturing() }

// arrange puts a heading above the upcoming and the past events.
func (t *eventsTab) arrange(match []int32) []int32 {
	n := len(t.events)
	if match != nil {
		n = len(match)
	}
	rows := make([]int32, 0, n+2)
	section := 0 // 1 upcoming, 2 past
	add := func(r int32) {
		want := 2
		if t.upcoming[r] {
			want = 1
		}
		if want != section {
			section = want
			if want == 1 {
				rows = append(rows, headUpcoming)
			} else {
				rows = append(rows, headPast)
			}
		}
		rows = append(rows, r)
	}
	if match == nil {
		for i := range t.events {
			add(int32(i))
		}
	} else {
		for _, r := range match {
			add(r)
		}
	}
	return rows
}

func (t *eventsTab) heading(r int32) string {
	if r == headUpcoming {
		return "Upcoming"
	}
	return "Past"
}

func (t *eventsTab) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(loadedMsg); ok {
		switch p := msg.Payload.(type) {
		case eventsPayload:
			t.loading, t.done = false, msg.Err == nil
			if msg.Err == nil {
				now := t.c.Now()
				t.events, t.overdue = p.events, p.overdue
				t.upcoming = make([]bool, len(p.events))
				for i, e := range p.events {
					t.upcoming[i] = e.Upcoming(now)
				}
				t.list.setData(len(p.events), p.filter)
				t.list.table.setNatural(p.natural, p.widest)
				t.layout()
			}
		case eventDetailPayload:
			if p.uid == t.opened && msg.Err == nil {
				// Keep the same row chosen: ticking a task reorders them.
				kind, id := t.chosen()
				t.shown, t.plan, t.hasPlan = p.e, p.plan, p.hasPlan
				t.choose(kind, id)
			}
			if notFound(msg.Err) && p.uid == t.opened && t.detail.open {
				t.detail.close() // the event is gone (deleted, or an undo took it back)
				return nil
			}
			t.loaded(p.uid, msg.Err, func(w int) page { return t.detailPage(&t.shown, w) })
			t.moveSel(0)
		case eventEditPayload:
			if msg.Err == nil {
				return t.openForm(t.eventForm(p.plan))
			}
		case eventWrote:
			return t.wrote(p)
		}
		return nil
	}
	if t.form != nil {
		return t.updateForm(msg)
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && !t.list.typing {
		if cmd, ok := t.editKey(km); ok {
			return cmd
		}
		// With a writer, ↑/↓ on a detail choose what the planning keys
		// act on; without one they scroll as on every detail.
		if t.c.Writer != nil && t.detail.open && !t.detail.loading && t.detail.err == nil && len(t.items()) > 0 {
			switch {
			case anyKey(km, t.c.Keys.Up):
				t.moveSel(-1)
				return nil
			case anyKey(km, t.c.Keys.Down):
				t.moveSel(1)
				return nil
			}
		}
	}
	r, ok, cmd := t.navigate(msg)
	if ok {
		t.open(t.events[r].UID)
		t.sel = -1
		return t.loadDetail(t.events[r].UID)
	}
	return cmd
}

func (t *eventsTab) View() string {
	st := &t.c.Styles
	if t.form != nil {
		return t.form.view()
	}
	empty := st.Muted.Render("No events yet.")
	if t.c.Writer != nil {
		empty = st.Muted.Render("No events yet: a plans one.")
	}
	if !t.done {
		empty = st.Muted.Render("Loading events…")
	}
	body := t.view(empty, t.fill, t.heading)
	if d := t.deadlines(); d != "" && !t.detail.open {
		return st.Warn.Render(cut(d, t.w)) + "\n" + body
	}
	return body
}

// deadlines is the line above the list about what is due: calls for
// papers closing soon and tasks past their due time, of upcoming events,
// soonest first as the list is ordered; "" when nothing is. (The Tasks
// column shows overdue tasks of past events too.)
func (t *eventsTab) deadlines() string {
	now := t.c.Now()
	var parts []string
	for i := range t.events {
		e := &t.events[i]
		if !t.upcoming[i] {
			continue
		}
		if e.CFPOpen(now) && e.CFPDeadline.Sub(now) <= cfpSoon {
			parts = append(parts, "CFP "+model.CleanLine(e.Name)+" closes in "+model.ShortDuration(e.CFPDeadline.Sub(now)))
		}
	}
	for i := range t.events {
		if n := t.overdue[t.events[i].UID]; n > 0 && t.upcoming[i] {
			parts = append(parts, fmt.Sprintf("%s: %d overdue", model.CleanLine(t.events[i].Name), n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Due: " + strings.Join(parts, " · ")
}

func (t *eventsTab) fill(r int32, cells []cell) {
	e := &t.events[r]
	now := t.c.Now()
	cells[0].text = t.c.Day(e.Start)
	cells[1].text = model.CleanLine(e.Name)
	cells[2].text = model.CleanLine(e.Place)
	switch {
	case e.CFPDeadline.IsZero():
		cells[3].text = "—"
	case e.CFPOpen(now) && e.CFPDeadline.Sub(now) <= cfpSoon:
		// Open and closing soon: say how soon, loudly.
		cells[3] = cell{text: "closes " + model.ShortDuration(e.CFPDeadline.Sub(now)), style: &t.c.Styles.Warn}
		if e.CFPDeadline.Sub(now) < 24*time.Hour {
			cells[3].text = "closes today"
		}
	case e.CFPOpen(now):
		cells[3].text = t.c.Day(e.CFPDeadline)
	default:
		cells[3] = cell{text: "closed", style: &t.c.Styles.Muted}
	}
	cells[4].text = fmt.Sprint(e.SpeakerCount)
	cells[5].text = "—"
	if n := t.overdue[e.UID]; n > 0 {
		cells[5] = cell{text: fmt.Sprint(n), style: &t.c.Styles.Warn}
	}
	if !t.upcoming[r] {
		for i := range 3 {
			if cells[i].style == nil {
				cells[i].style = &t.c.Styles.Muted
			}
		}
	}
}
