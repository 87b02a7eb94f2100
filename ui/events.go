package ui

import (
	"fmt"
	"sort"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
	filter          *model.Filter
	natural, widest []int
}

type eventDetailPayload struct {
	uid string
	e   model.Event
}

// eventsTab lists meetups and conferences: upcoming soonest first, then
// past ones, most recent first.
type eventsTab struct {
	c *Context
	browser[string]
	events   []model.Event
	upcoming []bool
	loading  bool
	done     bool // the first load finished
}

func newEventsTab(c *Context) *eventsTab {
	t := &eventsTab{c: c}
	t.browser = newBrowser[string](c, []column{
		{title: "Date", min: 10, max: 10},
		{title: "Name", min: 16, weight: 3},
		{title: "Place", min: 8, max: 28, weight: 2, drop: 2},
		{title: "CFP", min: 10, max: 10},
		{title: "Speakers", min: 8, max: 8, right: true, drop: 1},
	})
	t.list.arrange = t.arrange
	return t
}

func (t *eventsTab) Title() string { return "Events" }
func (t *eventsTab) Loading() bool { return t.loading }

func (t *eventsTab) Init() tea.Cmd {
	t.loading = true
	store, ctx, now, zone := t.c.Store, t.c.Ctx, t.c.Now(), t.c.Zone
	return func() tea.Msg {
		es, err := store.Events(ctx, now)
		if err != nil {
			return loadedMsg{Tab: tabEvents, Err: err, Payload: eventsPayload{}}
		}
		texts := make([]string, len(es))
		for i := range es {
			texts[i] = model.EventText(&es[i], zone)
		}
		// Name and Place follow their text; the others have fixed widths.
		natural, widest := naturalWidths(len(es), []bool{false, true, true, false, false}, func(r, col int) string {
			if col == 1 {
				return model.CleanLine(es[r].Name)
			}
			return model.CleanLine(es[r].Place)
		})
		return loadedMsg{Tab: tabEvents, Payload: eventsPayload{events: es, filter: model.NewFilter(texts), natural: natural, widest: widest}}
	}
}

func (t *eventsTab) loadDetail(uid string) tea.Cmd {
	store, ctx := t.c.Store, t.c.Ctx
	return func() tea.Msg {
		e, err := store.Event(ctx, uid)
		return loadedMsg{Tab: tabEvents, Err: err, Payload: eventDetailPayload{uid: uid, e: e}}
	}
}

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
				t.events = p.events
				t.upcoming = make([]bool, len(p.events))
				for i, e := range p.events {
					t.upcoming[i] = e.Upcoming(now)
				}
				t.list.setData(len(p.events), p.filter)
				t.list.table.setNatural(p.natural, p.widest)
			}
		case eventDetailPayload:
			e := p.e
			t.loaded(p.uid, msg.Err, func(w int) page { return t.detailPage(&e, w) })
		}
		return nil
	}
	r, ok, cmd := t.navigate(msg)
	if ok {
		t.open(t.events[r].UID)
		return t.loadDetail(t.events[r].UID)
	}
	return cmd
}

func (t *eventsTab) View() string {
	st := &t.c.Styles
	empty := st.Muted.Render("No events yet.")
	if !t.done {
		empty = st.Muted.Render("Loading events…")
	}
	return t.view(empty, t.fill, t.heading)
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
	if !t.upcoming[r] {
		for i := range 3 {
			if cells[i].style == nil {
				cells[i].style = &t.c.Styles.Muted
			}
		}
	}
}

func (t *eventsTab) detailPage(e *model.Event, w int) page {
	p := page{c: t.c, w: w}
	now := t.c.Now()
	p.title(model.CleanLine(e.Name))
	when := t.c.Day(e.Start)
	if !e.End.IsZero() && t.c.Day(e.End) != when {
		when += " to " + t.c.Day(e.End)
	}
	p.field("When", when)
	p.field("Kind", model.CleanLine(e.Kind))
	p.field("Place", model.CleanLine(e.Place))
	p.linkField("Link", e.URL)
	if !e.CFPDeadline.IsZero() {
		cfp := t.c.Day(e.CFPDeadline)
		if e.CFPOpen(now) {
			cfp += " (open, closes in " + model.ShortDuration(e.CFPDeadline.Sub(now)) + ")"
		} else {
			cfp += " (closed)"
		}
		p.field("CFP", cfp)
		p.linkField("CFP link", e.CFPURL)
	}
	p.field("Attendees", fmt.Sprint(len(e.Attendees)))
	if e.Description != "" {
		p.heading("About")
		p.text(model.CleanText(e.Description))
	}
	// The same count as the list's Speakers column: everyone not declined.
	active, confirmed, declined := e.SpeakerTally()
	heading := fmt.Sprintf("Speakers (%d confirmed of %d)", confirmed, active)
	if declined > 0 {
		heading = fmt.Sprintf("Speakers (%d confirmed of %d; %d declined)", confirmed, active, declined)
	}
	p.heading(heading)
	if len(e.Speakers) == 0 {
		p.styled(t.c.Styles.Muted.Render("  none yet"))
	}
	for _, s := range e.Speakers {
		line := "  " + model.CleanLine(s.Name)
		if s.Talk != "" {
			line += ": " + model.CleanLine(s.Talk)
		}
		if s.Status != "" {
			line += "  [" + model.CleanLine(s.Status) + "]"
		}
		p.line(line)
	}
	if len(e.Tasks) > 0 {
		done := 0
		for _, tk := range e.Tasks {
			if tk.Done {
				done++
			}
		}
		p.heading(fmt.Sprintf("Tasks (%d of %d done)", done, len(e.Tasks)))
		for _, tk := range e.Tasks {
			box := "[ ]"
			if tk.Done {
				box = "[x]"
			}
			line := "  " + box + " " + model.CleanLine(tk.Title)
			if tk.Owner != "" {
				line += " · " + model.CleanLine(tk.Owner)
			}
			if !tk.Due.IsZero() {
				line += " · due " + t.c.Day(tk.Due)
			}
			if !tk.Done && !tk.Due.IsZero() && tk.Due.Before(now) {
				p.styled(t.c.Styles.Warn.Render(cut(line+" (overdue)", w)))
				continue
			}
			p.line(line)
		}
	}
	if len(e.Budget) > 0 {
		p.heading("Budget")
		for _, b := range e.Budget {
			item := model.CleanLine(b.Item)
			if b.Category != "" {
				item += " (" + model.CleanLine(b.Category) + ")"
			}
			p.line("  " + fitCell(item, max(w-24, 10)) + fitCellRight(money(b.AmountCents, model.CleanLine(b.Currency)), 20))
		}
		totals := e.BudgetTotal()
		curs := make([]string, 0, len(totals))
		for c := range totals {
			curs = append(curs, c)
		}
		sort.Strings(curs)
		for _, c := range curs {
			p.styled(t.c.Styles.Title.Render(cut("  "+fitCell("Total", max(w-24, 10))+fitCellRight(money(totals[c], model.CleanLine(c)), 20), w)))
		}
	}
	return p
}

func (t *eventsTab) ShortHelp() []key.Binding {
	if t.detail.open {
		return t.detail.shortHelp()
	}
	return t.list.shortHelp("details")
}

func (t *eventsTab) FullHelp() [][]key.Binding {
	if t.detail.open {
		return t.detail.fullHelp()
	}
	return t.list.fullHelp("details")
}
