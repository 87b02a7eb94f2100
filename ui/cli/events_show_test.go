package cli

import (
	"context"
	"strings"
	"testing"

	"hearth/data/store"
	"hearth/data/store/storetest"
)

// TestEventsAttendeesBudgetAndShow: attendees are added and moved on,
// budget lines edited, and show prints the plan with ids and the totals
// per currency, which the listing carries too.
func TestEventsAttendeesBudgetAndShow(t *testing.T) {
	env := newTestEnv(t)
	env["HEARTH_ACTOR"] = "tester"
	db := emptyDB(t)
	uid := strings.TrimSpace(mustRun(t, env, "events", "add", "--db", db, "--name", "Tokyo meetup", "--start", "2026-09-01 19:00",
		"--tz", "Asia/Tokyo", "--capacity", "40"))
	pizza := strings.TrimSpace(mustRun(t, env, "events", "budget", uid, "--db", db, "--label", "Pizza", "--amount", "120.50", "--category", "catering"))
	mustRun(t, env, "events", "budget", uid, "--db", db, "--label", "Stickers", "--amount", "99", "--currency", "usd")
	mustRun(t, env, "events", "budget", uid, "--db", db, "--label", "Room", "--amount", "15000", "--currency", "JPY")
	mustRun(t, env, "events", "budget", uid, "--db", db, "--id", pizza, "--amount", "80.25")
	ana := strings.TrimSpace(mustRun(t, env, "events", "attendee", uid, "--db", db, "--name", "Ana"))
	mustRun(t, env, "events", "attendee", uid, "--db", db, "--name", "Bo", "--member", "github:bo")
	mustRun(t, env, "events", "attendee", uid, "--db", db, "--id", ana, "--status", "attended")

	out := mustRun(t, env, "events", "show", uid, "--db", db)
	for _, want := range []string{"Tokyo meetup\n", "Local time  2026-09-01 19:00 Asia/Tokyo", "Capacity    40",
		"Budget (3)", "Pizza (catering)", "EUR 80.25", "Total EUR", "Total JPY", "JPY 15,000", "Total USD", "USD 99.00",
		"Attendees (2)", ana + "  attended   Ana", "registered Bo"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if js := mustRun(t, env, "events", "--db", db, "--format", "json"); !strings.Contains(js, `"budget_totals":["EUR 80.25","JPY 15,000","USD 99.00"]`) {
		t.Errorf("the listing's totals:\n%s", js)
	}

	// Changing only the currency keeps the amount's value.
	mustRun(t, env, "events", "budget", uid, "--db", db, "--id", pizza, "--currency", "GBP")
	if out := mustRun(t, env, "events", "show", uid, "--db", db); !strings.Contains(out, "GBP 80.25") || strings.Contains(out, "Total EUR") {
		t.Errorf("after the currency change:\n%s", out)
	}
	if out := mustRun(t, env, "undo", "--db", db); !strings.Contains(out, "edit budget line "+pizza) {
		t.Errorf("undo: %q", out)
	}
	if out := mustRun(t, env, "events", "show", uid, "--db", db); !strings.Contains(out, "EUR 80.25") {
		t.Errorf("after undo:\n%s", out)
	}

	for _, c := range []struct {
		code int
		want string
		args []string
	}{
		{1, "unknown status", []string{"events", "attendee", uid, "--db", db, "--name", "x", "--status", "maybe"}},
		{2, "--name or --member is required", []string{"events", "attendee", uid, "--db", db}},
		{2, "unknown currency", []string{"events", "budget", uid, "--db", db, "--id", pizza, "--currency", "EUX"}},
		{2, "at most 0 decimals", []string{"events", "budget", uid, "--db", db, "--label", "x", "--amount", "1.5", "--currency", "JPY"}},
		{1, "has no budget line 999", []string{"events", "budget", uid, "--db", db, "--id", "999", "--amount", "1"}},
		{1, "not found", []string{"events", "show", "nope@hearth", "--db", db}},
	} {
		r := runCLI(t, env, 0, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
			continue
		}
		oneLineError(t, r, c.code)
	}
	if out := mustRun(t, env, "events", "show", uid, "--db", db); !strings.Contains(out, "Attendees (2)") || !strings.Contains(out, "Budget (3)") {
		t.Errorf("bad input changed the plan:\n%s", out)
	}
}

// TestEventsMemberByHandle: --member takes an @handle as the TUI's form
// does, stored as the identity's key, with the member's name when no
// --name is given.
func TestEventsMemberByHandle(t *testing.T) {
	env := newTestEnv(t)
	db := emptyDB(t)
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Exec(t, st, "INSERT INTO identities(source, external_id, username, name) VALUES ('github', 'ghopper', 'grace', 'Grace Hopper')")
	st.Close()
	uid := strings.TrimSpace(mustRun(t, env, "events", "add", "--db", db, "--name", "M", "--start", "2026-03-05"))
	mustRun(t, env, "events", "speaker", uid, "--db", db, "--member", "@grace", "--talk", "Compilers")
	mustRun(t, env, "events", "attendee", uid, "--db", db, "--member", "github:someone", "--name", "Someone")
	out := mustRun(t, env, "events", "show", uid, "--db", db)
	for _, want := range []string{"invited    Grace Hopper (github:ghopper): Compilers", "registered Someone"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	r := runCLI(t, env, 0, "events", "speaker", uid, "--db", db, "--member", "@nobody")
	if r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("an unknown handle: exit %d, %q", r.code, r.stderr)
	}
	oneLineError(t, r, 1)
}
