package ui

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"hearth/data/ical"
	"hearth/data/store"
	"hearth/model"
)

// eventsDriver drives a real program through its forms.
type eventsDriver struct {
	t  *testing.T
	tm *teatest.TestModel
}

func startEventsProgram(t *testing.T, st *store.Store) *eventsDriver {
	t.Helper()
	m := New(Options{Store: st, Writer: st.Writer("tester"), DBPath: "/srv/hearth/community.db", Theme: "dark",
		Now: func() time.Time { return testNow }, Zone: time.UTC})
	tm := teatest.NewTestModel(t, probed{m},
		teatest.WithInitialTermSize(100, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	return &eventsDriver{t, tm}
}

// frame waits for a settled frame that contains want and returns it.
func (d *eventsDriver) frame(want string) string {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		done := make(chan string, 1)
		d.tm.Send(probeMsg{done})
		select {
		case s := <-done:
			if s != "" && strings.Contains(s, want) {
				return s
			}
			if s != "" {
				last = s
			}
		case <-time.After(5 * time.Second):
		}
		time.Sleep(5 * time.Millisecond)
	}
	d.t.Fatalf("no frame with %q; the last one:\n%s", want, last)
	return ""
}

func (d *eventsDriver) keys(s string) {
	for _, r := range s {
		d.tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *eventsDriver) enter() { d.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) }

// fill waits until the field titled title has the focus (huh marks it
// with a bar), clears it, types text and moves on.
func (d *eventsDriver) fill(title, text string) {
	d.t.Helper()
	d.frame("┃ " + title)
	d.tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.keys(text)
	d.frame("┃ > " + text)
	d.enter()
}

// choose waits for a choice in a select and takes it with enter after
// moving down n times.
func (d *eventsDriver) choose(title string, down int) {
	d.t.Helper()
	d.frame("┃ " + title)
	for range down {
		d.tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	d.enter()
}

// TestProgramPlansAnEvent drives the real program on a real database:
// plan an event through the forms with a speaker, a task and a budget
// line, tick the task, confirm the speaker, quit; a new program on the
// same file shows it all, and deletes the event and undoes that; the
// event exported as iCalendar and imported
// into a fresh database is the same event.
func TestProgramPlansAnEvent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hearth.db")
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := startEventsProgram(t, st)
	d.keys("4")
	d.frame("No events yet: a plans one.")

	// A bad value is refused next to its field, and nothing is lost.
	d.keys("a")
	d.fill("Name", "Gopher night")
	d.fill("Kind", "Meetup")
	d.fill("Time zone", "Europe/Berlin")
	d.fill("Start", "2026-07-02 18:30")
	d.frame("┃ End")
	d.keys("2026-07-02 17:00")
	d.enter()
	d.frame("End  ✗ must be after the start")
	d.fill("End", "2026-07-02 21:00")
	d.fill("Place", "c-base, Berlin")
	d.fill("Link", "https://gophers.example.org")
	d.fill("Description", "Lightning talks and pizza")
	d.fill("CFP opens", "2026-06-01")
	d.fill("CFP closes", "2026-06-20 23:59")
	d.fill("CFP link", "https://gophers.example.org/cfp")
	d.fill("Capacity", "80")
	d.frame("event added · u undo")
	d.frame("Capacity      80")

	d.keys("a")
	d.choose("Add to this event", 0)
	d.fill("Name", "Grace")
	d.fill("Member", "github:grace")
	d.fill("Talk", "Compilers for everyone")
	d.choose("Status", 0)
	d.frame("Grace: Compilers for everyone  [invited]")

	d.keys("a")
	d.choose("Add to this event", 1)
	d.fill("Title", "Book the room")
	d.fill("Owner", "Ana")
	d.fill("Due", "2026-06-10")
	d.choose("Done", 0)
	d.frame("[ ] Book the room · Ana · due 2026-06-10 (overdue)")

	d.keys("a")
	d.choose("Add to this event", 2)
	d.fill("Label", "Pizza")
	d.fill("Category", "catering")
	d.fill("Currency", "eur")
	d.frame("┃ Amount")
	d.keys("120.505")
	d.enter()
	d.frame("at most 2 decimals")
	d.fill("Amount", "120.50")
	d.frame("Total EUR")

	// ↓ chooses the speaker, then the task: space ticks the task, and on
	// the speaker moves invited to confirmed.
	d.keys("jj ")
	d.frame("› [x] Book the room")
	d.keys("k ")
	d.frame("› Grace: Compilers for everyone  [confirmed]")
	d.keys("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: everything is there, in the store and on the screen.
	st, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.Events(ctx, testNow)
	if err != nil || len(evs) != 1 {
		t.Fatalf("events after reopening: %v, %v", evs, err)
	}
	e, err := st.Event(ctx, evs[0].UID)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Speakers) != 1 || e.Speakers[0] != (model.Speaker{ID: e.Speakers[0].ID, Name: "Grace", MemberKey: "github:grace", Talk: "Compilers for everyone", Status: "confirmed"}) {
		t.Errorf("speakers: %+v", e.Speakers)
	}
	due := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	if len(e.Tasks) != 1 || e.Tasks[0] != (model.Task{ID: e.Tasks[0].ID, Title: "Book the room", Owner: "Ana", Due: due, Done: true}) {
		t.Errorf("tasks: %+v", e.Tasks)
	}
	if len(e.Budget) != 1 || e.Budget[0] != (model.BudgetLine{ID: e.Budget[0].ID, Item: "Pizza", Category: "catering", AmountCents: 12050, Currency: "EUR"}) {
		t.Errorf("budget: %+v", e.Budget)
	}
	plan, err := st.EventPlan(ctx, e.UID)
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	want := store.EventPlan{UID: e.UID, Source: store.PlannedSource, Name: "Gopher night", Kind: "meetup", Place: "c-base, Berlin",
		URL: "https://gophers.example.org", Description: "Lightning talks and pizza",
		Start: time.Date(2026, 7, 2, 18, 30, 0, 0, berlin).UTC(), End: time.Date(2026, 7, 2, 21, 0, 0, 0, berlin).UTC(),
		Zone: "Europe/Berlin", CFPOpens: time.Date(2026, 6, 1, 0, 0, 0, 0, berlin).UTC(),
		CFPCloses: time.Date(2026, 6, 20, 23, 59, 0, 0, berlin).UTC(), CFPURL: "https://gophers.example.org/cfp", Capacity: 80, Version: plan.Version}
	if !reflect.DeepEqual(plan, want) {
		t.Errorf("the event reads back as\n%+v\nwant\n%+v", plan, want)
	}

	d = startEventsProgram(t, st)
	d.keys("4")
	d.frame("Gopher night")
	d.enter()
	page := d.frame("Total EUR")
	for _, s := range []string{"Grace: Compilers for everyone  [confirmed]", "[x] Book the room · Ana · due 2026-06-10",
		"Pizza (catering)", "EUR 120.50", "Local time    2026-07-02 18:30 to 2026-07-02 21:00 Europe/Berlin"} {
		if !strings.Contains(page, s) {
			t.Errorf("the reopened detail lacks %q:\n%s", s, page)
		}
	}
	// Deleting the event asks first; u brings it back with its plan.
	d.keys("x")
	d.frame("Delete the event Gopher night and its plans?")
	d.keys("y")
	d.frame("event deleted · u undo")
	d.frame("No events yet")
	d.keys("u")
	d.frame("undone: delete event")
	d.frame("Gopher night")
	d.enter()
	d.frame("› Gopher night")
	d.frame("Grace: Compilers for everyone  [confirmed]")
	d.keys("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	// Export, import into a fresh database: the same event.
	var buf bytes.Buffer
	if err := ical.WriteCalendar(&buf, []ical.Planned{ical.FromPlan(&plan)}, testNow); err != nil {
		t.Fatal(err)
	}
	read, err := ical.ReadCalendar("export.ics", buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	fresh, err := store.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	plans := make([]store.EventPlan, len(read))
	for i := range read {
		plans[i] = read[i].Plan()
	}
	if added, _, _, err := fresh.Writer("tester").ImportEvents(ctx, "export.ics", plans); err != nil || added != 1 {
		t.Fatalf("import: %d added, %v", added, err)
	}
	got, err := fresh.EventPlan(ctx, plan.UID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, plan) {
		t.Errorf("imported\n%+v\nexported\n%+v", got, plan)
	}
}
