package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hearth/data/store"
)

// emptyDB creates an empty hearth database and returns its path.
func emptyDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hearth.db")
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

func mustRun(t *testing.T, env testEnv, args ...string) string {
	t.Helper()
	r := runCLI(t, env, 0, args...)
	if r.code != 0 {
		t.Fatalf("hearth %s: exit %d, %q %q", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

var dtstamp = regexp.MustCompile(`(?m)^DTSTAMP:.*$`)

// TestEventsPlanAndICSRoundTrip: plan an event with a speaker, a task and
// a budget line from the command line; export it as iCalendar, import
// that into an empty database and export again: the same calendar.
// Importing into the first database changes nothing, plans included.
func TestEventsPlanAndICSRoundTrip(t *testing.T) {
	env := newTestEnv(t)
	env["HEARTH_ACTOR"] = "tester"
	db := emptyDB(t)
	long := strings.Repeat("Talks about compilers, caches; and the rest — ", 4)
	uid := strings.TrimSpace(mustRun(t, env, "events", "add", "--db", db, "--name", "Berlin meetup", "--kind", "Meetup",
		"--start", "2026-03-05 18:30", "--end", "2026-03-05 21:00", "--tz", "Europe/Berlin", "--place", "c-base, Berlin",
		"--description", long+"\nsecond line", "--cfp-opens", "2026-01-01", "--cfp-closes", "2026-02-01 23:59",
		"--cfp-url", "https://example.org/cfp", "--capacity", "80"))
	if !strings.HasSuffix(uid, "@hearth") {
		t.Fatalf("add printed %q", uid)
	}
	mustRun(t, env, "events", "speaker", uid, "--db", db, "--name", "Grace", "--talk", "Compilers")
	task := strings.TrimSpace(mustRun(t, env, "events", "task", uid, "--db", db, "--title", "Book the room", "--due", "2026-02-15"))
	mustRun(t, env, "events", "task", uid, "--db", db, "--done", task)
	mustRun(t, env, "events", "budget", uid, "--db", db, "--label", "Pizza", "--amount", "120.50", "--currency", "eur")
	mustRun(t, env, "events", "speaker", uid, "--db", db, "--id", "1", "--status", "confirmed")

	ics1 := mustRun(t, env, "events", "--db", db, "--format", "ics")
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "UID:" + uid + "\r\n", "DTSTART;TZID=Europe/Berlin:20260305T183000\r\n",
		"DTEND;TZID=Europe/Berlin:20260305T210000\r\n", "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n", "TZOFFSETTO:+0200\r\n", "LOCATION:c-base\\, Berlin\r\n", "X-HEARTH-TZ:Europe/Berlin\r\n",
		"UID:cfp-" + uid + "\r\n", "DTSTART;VALUE=DATE:20260201\r\n", "CATEGORIES:meetup\r\n"} {
		if !strings.Contains(ics1, want) {
			t.Errorf("export lacks %q:\n%s", want, ics1)
		}
	}
	for _, l := range strings.Split(ics1, "\r\n") {
		if len(l) > 75 {
			t.Errorf("unfolded line of %d octets: %q", len(l), l)
		}
	}
	file := filepath.Join(t.TempDir(), "events.ics")
	if err := os.WriteFile(file, []byte(ics1), 0o644); err != nil {
		t.Fatal(err)
	}

	db2 := emptyDB(t)
	if out := mustRun(t, env, "events", "import", "--db", db2, file); !strings.HasPrefix(out, "1 added, 0 updated") {
		t.Fatalf("import: %q", out)
	}
	ics2 := mustRun(t, env, "events", "--db", db2, "--format", "ics")
	if a, b := dtstamp.ReplaceAllString(ics1, ""), dtstamp.ReplaceAllString(ics2, ""); a != b {
		t.Fatalf("round trip changed the calendar:\n%s\n---\n%s", a, b)
	}

	// Importing into the first database changes nothing, plans included.
	before := mustRun(t, env, "events", "--db", db, "--format", "json")
	if out := mustRun(t, env, "events", "import", "--db", db, file); !strings.HasPrefix(out, "0 added, 0 updated, 1 unchanged") {
		t.Fatalf("re-import: %q", out)
	}
	if after := mustRun(t, env, "events", "--db", db, "--format", "json"); after != before || !strings.Contains(after, `"speaker_names":["Grace"]`) {
		t.Fatalf("re-import changed the listing:\n%s\n%s", before, after)
	}

	// Edit, delete and undo.
	mustRun(t, env, "events", "edit", uid, "--db", db, "--place", "Online")
	mustRun(t, env, "events", "delete", uid, "--db", db)
	if out := mustRun(t, env, "events", "--db", db, "--format", "csv"); strings.Contains(out, uid) {
		t.Fatalf("deleted event listed: %s", out)
	}
	if out := mustRun(t, env, "undo", "--db", db); !strings.Contains(out, "delete event "+uid) {
		t.Fatalf("undo: %q", out)
	}
	if out := mustRun(t, env, "events", "--db", db, "--format", "json"); !strings.Contains(out, `"place":"Online"`) || !strings.Contains(out, "Grace") {
		t.Fatalf("after undo: %s", out)
	}
}

// TestEventsBadInput: every mistake is one line, and nothing is written.
func TestEventsBadInput(t *testing.T) {
	env := newTestEnv(t)
	db := emptyDB(t)
	uid := strings.TrimSpace(mustRun(t, env, "events", "add", "--db", db, "--name", "M", "--start", "2026-03-05"))
	for _, c := range []struct {
		code int
		want string
		args []string
	}{
		{2, "--name is required", []string{"events", "add", "--db", db, "--start", "2026-03-05"}},
		{2, "--start is required", []string{"events", "add", "--db", db, "--name", "x"}},
		{2, "not a time", []string{"events", "add", "--db", db, "--name", "x", "--start", "tomorrow-ish"}},
		{2, "unknown time zone", []string{"events", "add", "--db", db, "--name", "x", "--start", "2026-03-05", "--tz", "Mars/Base"}},
		{1, "end must be after the start", []string{"events", "add", "--db", db, "--name", "x", "--start", "2026-03-05 18:00", "--end", "2026-03-05 17:00"}},
		{2, "unknown currency", []string{"events", "budget", uid, "--db", db, "--label", "x", "--amount", "1", "--currency", "EUX"}},
		{2, "at most 2 decimals", []string{"events", "budget", uid, "--db", db, "--label", "x", "--amount", "1.234"}},
		{2, "is not an amount", []string{"events", "budget", uid, "--db", db, "--label", "x", "--amount", "12,50"}},
		{1, "unknown speaker status", []string{"events", "speaker", uid, "--db", db, "--name", "x", "--status", "maybe"}},
		{1, "not found", []string{"events", "task", "nope@hearth", "--db", db, "--title", "x"}},
		{1, "not found", []string{"events", "delete", "nope@hearth", "--db", db}},
	} {
		r := runCLI(t, env, 0, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
			continue
		}
		oneLineError(t, r, c.code)
	}
	bad := filepath.Join(t.TempDir(), "bad.ics")
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:good@example.org\r\nDTSTART:20260101T100000Z\r\nSUMMARY:Good\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:bad@example.org\r\nthis line is broken\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := os.WriteFile(bad, []byte(ics), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env, 0, "events", "import", "--db", db, bad)
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, bad+":10:") {
		t.Errorf("malformed file: %q, want the file and line 10", r.stderr)
	}
	if out := mustRun(t, env, "events", "--db", db, "--format", "csv"); strings.Contains(out, "good@example.org") {
		t.Errorf("a malformed file imported an event:\n%s", out)
	}
}
