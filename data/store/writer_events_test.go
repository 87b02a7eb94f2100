package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

func eventStore(t *testing.T) *Store {
	t.Helper()
	clk := &clock{t: writeT0}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "hearth.db"), Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func planCounts(t *testing.T, s *Store, uid string) string {
	t.Helper()
	e, err := s.Event(context.Background(), uid)
	if err != nil {
		return "no event"
	}
	var b strings.Builder
	for _, sp := range e.Speakers {
		b.WriteString("speaker " + sp.Name + " " + sp.Status + ";")
	}
	for _, tk := range e.Tasks {
		b.WriteString("task " + tk.Title + map[bool]string{true: " done", false: ""}[tk.Done] + ";")
	}
	for _, bl := range e.Budget {
		b.WriteString("budget " + bl.Item + " " + bl.Currency + ";")
	}
	for _, a := range e.Attendees {
		b.WriteString("attendee " + a.Name + ";")
	}
	return b.String()
}

func TestPlannedEventLifecycle(t *testing.T) {
	ctx := context.Background()
	s := eventStore(t)
	w := s.Writer("ada")
	start := time.Date(2025, 6, 5, 16, 0, 0, 0, time.UTC)
	uid, err := w.AddEvent(ctx, EventPlan{Name: "Berlin meetup", Kind: "meetup", Start: start, End: start.Add(3 * time.Hour),
		Zone: "Europe/Berlin", CFPCloses: start.Add(-30 * 24 * time.Hour), Capacity: 80})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(uid, "@hearth") {
		t.Errorf("uid %q", uid)
	}
	p, err := s.EventPlan(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != PlannedSource || p.Zone != "Europe/Berlin" || p.Capacity != 80 || p.Version != 1 || !p.End.Equal(start.Add(3*time.Hour)) {
		t.Fatalf("read back %+v", p)
	}
	spID, err := w.AddSpeaker(ctx, uid, model.Speaker{Name: "Grace", Talk: "Compilers"})
	if err != nil {
		t.Fatal(err)
	}
	taskID, err := w.AddTask(ctx, uid, model.Task{Title: "Book room", Due: start.Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddBudgetLine(ctx, uid, model.BudgetLine{Item: "Pizza", AmountCents: 12000, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddAttendee(ctx, uid, model.Attendee{Name: "Linus"}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetTaskDone(ctx, taskID, true); err != nil {
		t.Fatal(err)
	}
	if err := w.EditSpeaker(ctx, spID, 1, model.Speaker{Name: "Grace", Talk: "Compilers", Status: "confirmed"}); err != nil {
		t.Fatal(err)
	}
	want := "speaker Grace confirmed;task Book room done;budget Pizza EUR;attendee Linus;"
	if got := planCounts(t, s, uid); got != want {
		t.Fatalf("plans: %s\nwant  %s", got, want)
	}

	// Edits state the version they read.
	p.Place = "c-base"
	if err := w.EditEvent(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := w.EditEvent(ctx, p); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale edit: %v", err)
	}
	if err := w.EditSpeaker(ctx, spID, 1, model.Speaker{Name: "Grace", Status: "declined"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale speaker edit: %v", err)
	}

	// Delete takes the plans along, and one undo brings all back.
	if err := w.DeleteEvent(ctx, uid); err != nil {
		t.Fatal(err)
	}
	if got := planCounts(t, s, uid); got != "no event" {
		t.Fatalf("after delete: %s", got)
	}
	if n := countRows(t, s, "SELECT count(*) FROM event_tasks"); n != 0 {
		t.Fatalf("%d tasks left", n)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := planCounts(t, s, uid); got != want {
		t.Fatalf("after undo: %s\nwant        %s", got, want)
	}
	if p, _ := s.EventPlan(ctx, uid); p.Place != "c-base" {
		t.Errorf("restored place %q", p.Place)
	}
	// Undo again reverts the edit, then the speaker's confirmation.
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.EventPlan(ctx, uid); p.Place != "" {
		t.Errorf("edit not undone: place %q", p.Place)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := planCounts(t, s, uid); !strings.HasPrefix(got, "speaker Grace invited;") {
		t.Errorf("confirmation not undone: %s", got)
	}
}

func countRows(t *testing.T, s *Store, q string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEventValidation(t *testing.T) {
	ctx := context.Background()
	s := eventStore(t)
	w := s.Writer("ada")
	start := time.Date(2025, 6, 5, 16, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		p    EventPlan
		want string
	}{
		{EventPlan{Start: start}, "needs a name"},
		{EventPlan{Name: "x"}, "needs a start"},
		{EventPlan{Name: "x", Start: start, End: start}, "end must be after"},
		{EventPlan{Name: "x", Start: start, Zone: "Mars/Olympus"}, "unknown time zone"},
		{EventPlan{Name: "x", Start: start, Capacity: -1}, "capacity"},
	} {
		if _, err := w.AddEvent(ctx, c.p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.p, err, c.want)
		}
	}
	uid, err := w.AddEvent(ctx, EventPlan{Name: "x", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddBudgetLine(ctx, uid, model.BudgetLine{Item: "Tea", AmountCents: 1, Currency: "EUX"}); err == nil || !strings.Contains(err.Error(), "ISO 4217") {
		t.Errorf("bad currency: %v", err)
	}
	if _, err := w.AddSpeaker(ctx, uid, model.Speaker{Name: "A", Status: "maybe"}); err == nil {
		t.Error("unknown speaker status accepted")
	}
	if _, err := w.AddTask(ctx, "nope@hearth", model.Task{Title: "t"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("task on a missing event: %v", err)
	}
	if n := countRows(t, s, "SELECT count(*) FROM journal"); n != 1 {
		t.Errorf("%d journal entries, want the one add", n)
	}
}

// Plans attached by UID survive a sync that changes or removes their
// synced event and an import that updates their planned event; a synced
// event cannot be deleted or edited, but its plans can.
func TestPlansSurviveSyncAndImport(t *testing.T) {
	ctx := context.Background()
	s := eventStore(t)
	w := s.Writer("ada")
	start := time.Date(2025, 6, 5, 16, 0, 0, 0, time.UTC)
	feed := model.Event{UID: "feed-1@example.org", Name: "Feed meetup", Start: start}
	if err := s.ApplyBatch(ctx, "ical:team", connector.Batch{Events: []model.Event{feed}}); err != nil {
		t.Fatal(err)
	}
	ours, err := w.AddEvent(ctx, EventPlan{UID: "ours@example.org", Name: "Ours", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range []string{feed.UID, ours} {
		if _, err := w.AddSpeaker(ctx, uid, model.Speaker{Name: "Ada", Status: "confirmed"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.AddTask(ctx, uid, model.Task{Title: "Slides"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.AddBudgetLine(ctx, uid, model.BudgetLine{Item: "Train", AmountCents: 4200, Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
	}
	want := "speaker Ada confirmed;task Slides;budget Train EUR;"
	check := func(when string) {
		t.Helper()
		for _, uid := range []string{feed.UID, ours} {
			var n int
			for _, tbl := range []string{"event_speakers", "event_tasks", "event_budget"} {
				n += countRows(t, s, "SELECT count(*) FROM "+tbl+" WHERE event_uid = '"+uid+"'")
			}
			if n != 3 {
				t.Fatalf("%s: %s has %d plan rows, want 3", when, uid, n)
			}
		}
		if got := planCounts(t, s, ours); got != want {
			t.Fatalf("%s: %s", when, got)
		}
	}
	check("planned")

	if err := w.DeleteEvent(ctx, feed.UID); err == nil || !strings.Contains(err.Error(), "synced") {
		t.Fatalf("deleting a synced event: %v", err)
	}
	p, err := s.EventPlan(ctx, feed.UID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.EditEvent(ctx, p); err == nil {
		t.Fatal("a synced event was edited")
	}

	feed.Name = "Renamed"
	if err := s.ApplyBatch(ctx, "ical:team", connector.Batch{Events: []model.Event{feed, {UID: ours, Name: "Theirs", Start: start}}}); err != nil {
		t.Fatal(err)
	}
	check("resync")
	if p, _ := s.EventPlan(ctx, ours); p.Name != "Ours" || p.Source != PlannedSource {
		t.Fatalf("sync overwrote a planned event: %+v", p)
	}
	added, updated, skipped, err := w.ImportEvents(ctx, "cal.ics", []EventPlan{
		{UID: ours, Name: "Ours, renamed", Start: start.Add(time.Hour)},
		{UID: feed.UID, Name: "Imported over a feed", Start: start},
		{UID: "new@example.org", Name: "New", Start: start},
	})
	if err != nil {
		t.Fatal(err)
	}
	if added != 1 || updated != 1 || skipped != 1 {
		t.Errorf("import: %d added, %d updated, %d skipped", added, updated, skipped)
	}
	check("import")
	if p, _ := s.EventPlan(ctx, feed.UID); p.Name != "Renamed" || p.Source != "ical:team" {
		t.Fatalf("import overwrote a synced event: %+v", p)
	}
	if err := s.ApplyBatch(ctx, "ical:team", connector.Batch{RemovedEvents: []string{feed.UID, ours}}); err != nil {
		t.Fatal(err)
	}
	check("removal from the feed")
	// The import is one change: undo reverts it whole.
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.EventPlan(ctx, ours); p.Name != "Ours" {
		t.Errorf("after undoing the import: %q", p.Name)
	}
	if _, err := s.EventPlan(ctx, "new@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("imported event still there after undo: %v", err)
	}
	check("undo of the import")
}
