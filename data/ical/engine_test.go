package ical

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine/enginetest"
	"hearth/data/store"
	"hearth/data/store/storetest"
)

var syncNow = time.Date(2025, 5, 14, 9, 0, 0, 0, time.UTC)

var paris, _ = time.LoadLocation("Europe/Paris")

// calendar builds a calendar from VEVENT bodies (and other components).
func calendar(components ...string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n")
	for _, c := range components {
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(c), "\n", "\r\n"))
		b.WriteString("\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

func vevent(lines ...string) string {
	return "BEGIN:VEVENT\n" + strings.Join(lines, "\n") + "\nEND:VEVENT"
}

// The fixture: a timed event in a TZID zone, one in UTC, a floating one,
// an all-day conference, a weekly meetup with an exception, a moved and a
// cancelled occurrence, a cancelled event and an Outlook-style zone.
var fixture = calendar(
	vevent("UID:talk-1@example.org", "SEQUENCE:0", "SUMMARY:Old title", "DTSTART;TZID=Europe/Paris:20250610T190000", "DTEND;TZID=Europe/Paris:20250610T210000"),
	vevent("UID:talk-1@example.org", "SEQUENCE:2", "SUMMARY:Rust night", "LOCATION:Lyon\\, FR", "CATEGORIES:Meetup,Rust",
		"URL:https://example.org/rust", "DESCRIPTION:Two talks\\nand pizza", "DTSTART;TZID=Europe/Paris:20250610T190000", "DTEND;TZID=Europe/Paris:20250610T210000"),
	vevent("UID:utc@example.org", "SUMMARY:Call", "DTSTART:20250701T150000Z", "DURATION:PT45M"),
	vevent("UID:floating@example.org", "SUMMARY:Floating", "DTSTART:20250702T090000"),
	vevent("UID:conf@example.org", "SUMMARY:Conf", "DTSTART;VALUE=DATE:20250915", "DTEND;VALUE=DATE:20250917"),
	vevent("UID:weekly@example.org", "SUMMARY:Office hours", "DTSTART;TZID=Europe/Paris:20250303T180000", "DURATION:PT1H",
		"RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=Europe/Paris:20250317T180000"),
	vevent("UID:weekly@example.org", "RECURRENCE-ID;TZID=Europe/Paris:20250324T180000", "SUMMARY:Office hours (moved)",
		"DTSTART;TZID=Europe/Paris:20250325T180000", "DURATION:PT1H"),
	vevent("UID:weekly@example.org", "RECURRENCE-ID;TZID=Europe/Paris:20250331T180000", "STATUS:CANCELLED",
		"DTSTART;TZID=Europe/Paris:20250331T180000"),
	vevent("UID:gone@example.org", "SUMMARY:Called off", "STATUS:CANCELLED", "DTSTART:20250801T100000Z"),
	`BEGIN:VTIMEZONE
TZID:Custom Zone
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE`,
	vevent("UID:outlook@example.org", "SUMMARY:Custom", "DTSTART;TZID=Custom Zone:20250110T100000", "DTEND;TZID=Custom Zone:20250710T100000"),
)

func writeFeed(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "team.ics")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func newSource(t *testing.T, target string, opts Options) *Source {
	t.Helper()
	if opts.Name == "" {
		opts.Name = "team"
	}
	if opts.Zone == nil {
		opts.Zone = paris
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return syncNow }
	}
	opts.Backoff = -1
	src, err := New(target, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func events(t *testing.T, st *store.Store) []string {
	t.Helper()
	return storetest.Rows(t, st, `SELECT uid, source, name, kind, place, url, description,
		datetime(starts, 'unixepoch'), coalesce(datetime(ends, 'unixepoch'), '-') FROM events ORDER BY uid`)
}

func TestSyncFixture(t *testing.T) {
	st, _ := storetest.Open(t)
	src := newSource(t, writeFeed(t, t.TempDir(), fixture), Options{})
	if res := enginetest.Run(t, context.Background(), st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		"conf@example.org ical:team Conf     2025-09-14 22:00:00 2025-09-16 22:00:00",
		"floating@example.org ical:team Floating     2025-07-02 07:00:00 -",
		"outlook@example.org ical:team Custom     2025-01-10 09:00:00 2025-07-10 08:00:00",
		"talk-1@example.org ical:team Rust night meetup Lyon, FR https://example.org/rust Two talks\nand pizza 2025-06-10 17:00:00 2025-06-10 19:00:00",
		"utc@example.org ical:team Call     2025-07-01 15:00:00 2025-07-01 15:45:00",
		"weekly@example.org#20250303T170000Z ical:team Office hours     2025-03-03 17:00:00 2025-03-03 18:00:00",
		"weekly@example.org#20250310T170000Z ical:team Office hours     2025-03-10 17:00:00 2025-03-10 18:00:00",
		"weekly@example.org#20250324T170000Z ical:team Office hours (moved)     2025-03-25 17:00:00 2025-03-25 18:00:00",
		"weekly@example.org#20250407T160000Z ical:team Office hours     2025-04-07 16:00:00 2025-04-07 17:00:00",
	}
	if got := events(t, st); !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := src.Stats().SkippedTotal(); n != 0 {
		t.Errorf("skipped %v", src.Stats().Skipped)
	}
}

// writesCounter counts rows written to events and http_cache from now on.
func writesCounter(t *testing.T, st *store.Store) func() int {
	t.Helper()
	storetest.Exec(t, st, `CREATE TABLE writes (tbl TEXT)`)
	for _, tbl := range []string{"events", "http_cache", "event_speakers"} {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			storetest.Exec(t, st, "CREATE TRIGGER w_"+op+"_"+tbl+" AFTER "+op+" ON "+tbl+" BEGIN INSERT INTO writes VALUES ('"+tbl+"'); END")
		}
	}
	return func() int { return storetest.Int(t, st, `SELECT count(*) FROM writes`) }
}

// Plans attached to a synced event by UID survive a resync that changes
// the event, and its removal from the feed; an unchanged feed writes
// nothing; cancelling an event removes it.
func TestResyncKeepsPlans(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.Open(t)
	dir := t.TempDir()
	path := writeFeed(t, dir, fixture)
	src := newSource(t, path, Options{})
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	storetest.Exec(t, st, `INSERT INTO event_speakers(event_uid, name, talk, status) VALUES ('talk-1@example.org', 'Ada', 'Engines', 'confirmed')`)
	storetest.Exec(t, st, `INSERT INTO event_tasks(event_uid, title) VALUES ('utc@example.org', 'Book a room')`)
	written := writesCounter(t, st)

	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Batches != 0 {
		t.Fatalf("unchanged resync: %+v", res)
	}
	if n := written(); n != 0 {
		t.Errorf("an unchanged resync wrote %d rows", n)
	}

	changed := strings.Replace(fixture, "SUMMARY:Rust night", "SUMMARY:Rust night (new room)", 1)
	changed = strings.Replace(changed, "LOCATION:Lyon\\, FR", "LOCATION:Grenoble", 1)
	changed = strings.Replace(changed, "UID:utc@example.org\r\n", "UID:utc@example.org\r\nSTATUS:CANCELLED\r\n", 1)
	writeFeed(t, dir, changed)
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	got := storetest.Rows(t, st, `SELECT name, place FROM events WHERE uid = 'talk-1@example.org'`)
	if !slices.Equal(got, []string{"Rust night (new room) Grenoble"}) {
		t.Errorf("updated event: %q", got)
	}
	if n := storetest.Int(t, st, `SELECT count(*) FROM events WHERE uid = 'utc@example.org'`); n != 0 {
		t.Error("a cancelled event is still listed")
	}
	// The event disappears from the feed altogether.
	gone := strings.Replace(changed, "UID:talk-1@example.org", "UID:talk-2@example.org", 2)
	writeFeed(t, dir, gone)
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	if n := storetest.Int(t, st, `SELECT count(*) FROM events WHERE uid = 'talk-1@example.org'`); n != 0 {
		t.Error("an event gone from the feed is still listed")
	}
	if n := storetest.Int(t, st, `SELECT count(*) FROM events WHERE uid = 'talk-2@example.org'`); n != 1 {
		t.Error("the new event is missing")
	}
	plans := storetest.Rows(t, st, `SELECT event_uid, name, talk, status FROM event_speakers
		UNION ALL SELECT event_uid, title, '', '' FROM event_tasks ORDER BY 1`)
	want := []string{"talk-1@example.org Ada Engines confirmed", "utc@example.org Book a room  "}
	if !slices.Equal(plans, want) {
		t.Errorf("plans: %q, want %q", plans, want)
	}
}

// A sync stopped after its first batch, then resumed, stores what a clean
// sync stores — also when the feed changed in between.
func TestInterruptedEqualsClean(t *testing.T) {
	for _, changeBetween := range []bool{false, true} {
		dir := t.TempDir()
		path := writeFeed(t, dir, fixture)
		final := fixture
		if changeBetween {
			final = strings.Replace(fixture, "UID:conf@example.org", "UID:conf-2025@example.org", 1)
		}
		clean, _ := storetest.Open(t)
		cleanPath := writeFeed(t, t.TempDir(), final)
		if res := enginetest.Run(t, context.Background(), clean, syncNow, newSource(t, cleanPath, Options{BatchSize: 2})); res.Err != nil {
			t.Fatal(res.Err)
		}

		st, _ := storetest.Open(t)
		ctx, cancel := context.WithCancel(context.Background())
		src := newSource(t, path, Options{BatchSize: 2})
		stop := &stopAfter{Source: src, cancel: cancel}
		res := enginetest.Run(t, ctx, st, syncNow, stop)
		cancel()
		if res.Err == nil || res.Batches != 1 {
			t.Fatalf("interrupted run: %+v", res)
		}
		writeFeed(t, dir, final)
		if res := enginetest.Run(t, context.Background(), st, syncNow, src); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got, want := events(t, st), events(t, clean); !slices.Equal(got, want) {
			t.Errorf("change between=%v: resumed\n%s\nclean\n%s", changeBetween, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// stopAfter cancels the run once the first batch is committed.
type stopAfter struct {
	*Source
	cancel func()
}

func (s *stopAfter) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	return s.Source.Sync(ctx, state, func(b connector.Batch) error {
		err := emit(b)
		s.cancel()
		return err
	})
}
