package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store/storetest"
	"hearth/model"
)

// Synced events are upserted by UID within their source: a changed event
// is updated, an unchanged one is not written, a removed one is deleted,
// and neither an event planned in hearth with the same UID nor the plans
// attached by UID are ever touched.
func TestBatchEvents(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.Open(t)
	start := time.Date(2025, 3, 4, 18, 0, 0, 0, time.UTC)
	ev := model.Event{UID: "meetup-1@example.org", Name: "Meetup", Place: "Lyon", Start: start, End: start.Add(2 * time.Hour)}
	apply := func(b connector.Batch) {
		t.Helper()
		if err := s.ApplyBatch(ctx, "ical:team", b); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Exec(t, s, `INSERT INTO events(uid, source, name, starts) VALUES ('planned@example.org', 'hearth', 'Ours', 1)`)
	storetest.Exec(t, s, `INSERT INTO event_speakers(event_uid, name, talk) VALUES ('meetup-1@example.org', 'Ada', 'Engines')`)
	apply(connector.Batch{Events: []model.Event{ev, {UID: "planned@example.org", Name: "Theirs", Start: start}}})

	rows := func() []string {
		return storetest.Rows(t, s, `SELECT uid, source, name, place, starts, coalesce(ends, 0) FROM events ORDER BY uid`)
	}
	want := []string{
		"meetup-1@example.org ical:team Meetup Lyon 1741111200 1741118400",
		"planned@example.org hearth Ours  1 0",
	}
	if got := rows(); !slices.Equal(got, want) {
		t.Fatalf("events:\n%q\nwant\n%q", got, want)
	}

	// Unchanged: no row is written.
	storetest.Exec(t, s, `CREATE TABLE writes (n INTEGER)`)
	storetest.Exec(t, s, `CREATE TRIGGER ev_upd AFTER UPDATE ON events BEGIN INSERT INTO writes VALUES (1); END`)
	apply(connector.Batch{Events: []model.Event{ev}})
	if n := storetest.Int(t, s, `SELECT count(*) FROM writes`); n != 0 {
		t.Errorf("an unchanged event was written %d times", n)
	}

	// Changed, then removed: the speaker stays throughout; another source
	// cannot remove the planned event.
	ev.Place = "Grenoble"
	apply(connector.Batch{Events: []model.Event{ev}})
	if got := rows()[0]; got != "meetup-1@example.org ical:team Meetup Grenoble 1741111200 1741118400" {
		t.Errorf("updated event: %s", got)
	}
	apply(connector.Batch{RemovedEvents: []string{"meetup-1@example.org", "planned@example.org"}})
	if got := rows(); !slices.Equal(got, want[1:]) {
		t.Errorf("after removal: %q", got)
	}
	if got := storetest.Rows(t, s, `SELECT event_uid, name, talk FROM event_speakers`); !slices.Equal(got, []string{"meetup-1@example.org Ada Engines"}) {
		t.Errorf("speakers: %q", got)
	}
}
