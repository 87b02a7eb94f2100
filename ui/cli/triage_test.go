package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

// writeConfig writes the config file hearth reads in env.
func writeConfig(t *testing.T, env testEnv, text string) string {
	t.Helper()
	path := filepath.Join(env["HOME"], ".config", "hearth", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestQuestionsMine: --mine lists the waiting questions assigned to the
// config's me, whichever of their names the assignment used.
func TestQuestionsMine(t *testing.T) {
	env := newTestEnv(t)
	path := filepath.Join(t.TempDir(), "demo.db")
	if r := runCLI(t, env, 0, "demo", "--db", path, "--members", "300", "--seed", "7"); r.code != 0 {
		t.Fatalf("demo: %q", r.stderr) // 300: enough waiting questions for four cases
	}
	r := runCLI(t, env, 0, "questions", "--db", path, "--mine")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, `Add me = "@your-handle"`) {
		t.Fatalf("without me: %q", r.stderr)
	}

	// A member with both a handle and an address, and someone else.
	var me, other map[string]any
	for _, m := range membersJSON(t, env, "members", "--db", path, "--format", "json") {
		switch {
		case me == nil && len(m["handles"].([]any)) > 0 && len(m["emails"].([]any)) > 0:
			me = m
		case other == nil && len(m["handles"].([]any)) > 0:
			other = m
		}
	}
	if me == nil || other == nil {
		t.Fatal("no member with a handle and an address in the demo")
	}
	handle, email := me["handles"].([]any)[0].(string), me["emails"].([]any)[0].(string)
	writeConfig(t, env, "me = "+strconv.Quote(handle)+"\n")
	qs := membersJSON(t, env, "questions", "--db", path, "--format", "json")
	if len(qs) < 4 {
		t.Fatalf("only %d questions in the demo", len(qs))
	}
	keys := []string{qs[0]["key"].(string), qs[1]["key"].(string), qs[2]["key"].(string), qs[3]["key"].(string)}
	for i, flags := range [][]string{
		{"--assign", handle},
		{"--assign", email},
		{"--assign", other["handles"].([]any)[0].(string)}, // someone else's
		{"--assign", fmt.Sprint(me["id"]), "--done"},       // mine, but done: not waiting
	} {
		args := append([]string{"questions", "triage", keys[i], "--db", path}, flags...)
		if r := runCLI(t, env, 0, args...); r.code != 0 {
			t.Fatalf("%v: %q", args, r.stderr)
		}
	}
	var got []string
	for _, q := range membersJSON(t, env, "questions", "--mine", "--db", path, "--format", "json") {
		got = append(got, q["key"].(string))
	}
	if strings.Join(got, " ") != keys[0]+" "+keys[1] {
		t.Fatalf("--mine listed %v, want %v", got, keys[:2])
	}

	writeConfig(t, env, "me = \"@nobody-here\"\n")
	r = runCLI(t, env, 0, "questions", "--mine", "--db", path)
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, `me = "@nobody-here" names no member`) {
		t.Fatalf("a me that names nobody: %q", r.stderr)
	}
}
