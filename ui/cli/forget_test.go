package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestForgetFromTheCommandLine: off a terminal forget refuses without
// --yes and changes nothing; with --yes the member is gone, undo does not
// bring them back, and naming them again is one error line.
func TestForgetFromTheCommandLine(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	env["HEARTH_ACTOR"] = "tester"
	before := membersJSON(t, env, "members", "--db", path, "--format", "json", "--limit", "1000")
	id := fmt.Sprint(before[0]["id"])

	r := runCLI(t, env, 0, "forget", id, "--db", path)
	oneLineError(t, r, 2)
	if !strings.Contains(r.stderr, "--yes") {
		t.Errorf("the refusal does not say how to go on: %q", r.stderr)
	}
	if n := len(membersJSON(t, env, "members", "--db", path, "--format", "json", "--limit", "1000")); n != len(before) {
		t.Fatalf("a refused forget changed the members: %d, was %d", n, len(before))
	}

	r = runCLI(t, env, 0, "forget", id, "--db", path, "--yes")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "forgotten: ") {
		t.Fatalf("forget --yes: %d %q %q", r.code, r.stdout, r.stderr)
	}
	after := membersJSON(t, env, "members", "--db", path, "--format", "json", "--limit", "1000")
	if len(after) != len(before)-1 {
		t.Errorf("%d members after forgetting one of %d", len(after), len(before))
	}
	for _, m := range after {
		if fmt.Sprint(m["id"]) == id || m["name"] == before[0]["name"] {
			t.Errorf("member %s is still listed: %v", id, m)
		}
	}
	r = runCLI(t, env, 0, "undo", "--db", path)
	if r.code == 0 {
		t.Errorf("undo reverted a forget: %q", r.stdout)
	}
	r = runCLI(t, env, 0, "forget", id, "--db", path, "--yes")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "no member "+id) {
		t.Errorf("forgetting again: %q", r.stderr)
	}
	oneLineError(t, runCLI(t, env, 0, "forget", "@nobody-here", "--db", path, "--yes"), 1)
	oneLineError(t, runCLI(t, env, 0, "forget", "--db", path, "--yes"), 2)
}

func TestConfirmNeedsAYes(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, " yes ": true,
		"\n": false, "": false, "n\n": false, "yep\n": false} {
		var out bytes.Buffer
		if got := confirm(strings.NewReader(in), &out, "Forget Ann Example and 3 accounts? [y/N] "); got != want {
			t.Errorf("answer %q: %v, want %v", in, got, want)
		}
		if !strings.HasPrefix(out.String(), "Forget Ann Example and 3 accounts?") {
			t.Errorf("question not asked: %q", out.String())
		}
	}
	if got := plural(3, "account"); got != "3 accounts" {
		t.Errorf("plural: %q", got)
	}
}
