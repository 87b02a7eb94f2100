package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// questionByKey finds one question of the listing by its key.
func questionByKey(rows []map[string]any, key string) map[string]any {
	for _, q := range rows {
		if q["key"] == key {
			return q
		}
	}
	return nil
}

// TestTriageFromTheCommandLine: assign, snooze and undo through the
// commands, and see it in the listing's JSON.
func TestTriageFromTheCommandLine(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	env["HEARTH_ACTOR"] = "tester"
	rows := membersJSON(t, env, "questions", "--db", path, "--format", "json")
	var key string
	for _, q := range rows {
		if q["status"] == "" && q["assignee"] == "" {
			key = q["key"].(string)
			break
		}
	}
	if key == "" {
		t.Fatal("no untriaged question with a key in the demo")
	}
	members := membersJSON(t, env, "members", "--db", path, "--format", "json", "--limit", "1")
	id := fmt.Sprint(members[0]["id"])

	r := runCLI(t, env, 0, "questions", "triage", key, "--db", path, "--assign", id, "--note", "ask the storage folks")
	if r.code != 0 || !strings.Contains(r.stdout, "assigned to ") {
		t.Fatalf("triage: %d %q %q", r.code, r.stdout, r.stderr)
	}
	q := questionByKey(membersJSON(t, env, "questions", "--db", path, "--format", "json"), key)
	if q == nil || q["assignee"] == "" || q["note"] != "ask the storage folks" || q["status"] != "" {
		t.Fatalf("after assigning: %v", q)
	}
	// Flags may come before the subcommand too.
	r = runCLI(t, env, 0, "questions", "--db", path, "triage", key, "--snooze", "3d")
	if r.code != 0 || !strings.Contains(r.stdout, "snoozed until") {
		t.Fatalf("snooze: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if q := questionByKey(membersJSON(t, env, "questions", "--db", path, "--format", "json"), key); q != nil {
		t.Fatalf("a snoozed question is still listed: %v", q)
	}
	r = runCLI(t, env, 0, "undo", "--db", path)
	if r.code != 0 || !strings.Contains(r.stdout, "undone: triage "+key) || !strings.Contains(r.stdout, "by tester") {
		t.Fatalf("undo: %d %q %q", r.code, r.stdout, r.stderr)
	}
	q = questionByKey(membersJSON(t, env, "questions", "--db", path, "--format", "json"), key)
	if q == nil || q["assignee"] == "" || q["status"] != "" {
		t.Fatalf("after undoing the snooze: %v", q)
	}
	// CSV carries the key and the triage too.
	r = runCLI(t, env, 0, "questions", "--db", path, "--format", "csv", "--limit", "1")
	if head := strings.SplitN(r.stdout, "\n", 2)[0]; !strings.HasPrefix(head, "id,key,") || !strings.Contains(head, ",snoozed_until,note,") {
		t.Fatalf("csv header %q", head)
	}
}

func TestTriageMistakes(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"questions", "triage", "--db", path, "--done"}, 2},
		{[]string{"questions", "triage", "nokey", "--db", path, "--done"}, 2},
		{[]string{"questions", "triage", "git#x", "--db", path}, 2},
		{[]string{"questions", "triage", "git#x", "--db", path, "--done", "--reopen"}, 2},
		{[]string{"questions", "triage", "git#x", "--db", path, "--snooze", "someday"}, 2},
		{[]string{"questions", "triage", "git#nope", "--db", path, "--done"}, 1},
		{[]string{"userdata", "--db", path, "send", "x"}, 2},
	} {
		r := runCLI(t, env, 0, c.args...)
		oneLineError(t, r, c.code)
	}
}

// TestUserdataRoundTripCLI: export, import --replace, export again: the
// same bytes; a malformed file is one line naming the file and line.
func TestUserdataRoundTripCLI(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one.json"), filepath.Join(dir, "two.json")
	if r := runCLI(t, env, 0, "userdata", "export", one, "--db", path); r.code != 0 {
		t.Fatalf("export: %q", r.stderr)
	}
	if r := runCLI(t, env, 0, "userdata", "import", one, "--replace", "--db", path); r.code != 0 {
		t.Fatalf("import: %q", r.stderr)
	}
	if r := runCLI(t, env, 0, "userdata", "export", two, "--db", path); r.code != 0 {
		t.Fatalf("export: %q", r.stderr)
	}
	a, _ := os.ReadFile(one)
	b, _ := os.ReadFile(two)
	if len(a) < 100 || string(a) != string(b) {
		t.Fatalf("exports differ or are empty (%d, %d bytes)", len(a), len(b))
	}
	lines := strings.Split(string(a), "\n")
	lines[5] = "  {oops"
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	r := runCLI(t, env, 0, "userdata", "import", bad, "--db", path)
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, bad+":6: ") {
		t.Fatalf("error does not name the file and line: %q", r.stderr)
	}
}
