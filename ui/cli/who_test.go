package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func whoJSON(t *testing.T, env testEnv, args ...string) ([]map[string]any, result) {
	t.Helper()
	r := runCLI(t, env, 0, append([]string{"who", "--format", "json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("who %v: exit %d: %s", args, r.code, r.stderr)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("who %v: not JSON: %v\n%s", args, err, r.stdout)
	}
	return out, r
}

func TestWhoOnTheDemo(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	got, _ := whoJSON(t, env, "--db", path, "storage", "--limit", "3")
	if len(got) == 0 || len(got) > 3 {
		t.Fatalf("%d suggestions for storage, want 1 to 3", len(got))
	}
	for _, key := range []string{"id", "name", "handles", "emails", "score", "evidence", "lapsed", "flags"} {
		if _, ok := got[0][key]; !ok {
			t.Errorf("JSON object has no %q: %v", key, got[0])
		}
	}
	ev, _ := got[0]["evidence"].([]any)
	if len(ev) == 0 || !strings.Contains(ev[0].(string), "on storage") {
		t.Errorf("evidence %v does not say what they did on storage", got[0]["evidence"])
	}
	if got[0]["score"].(float64) < got[len(got)-1]["score"].(float64) {
		t.Errorf("not best first: %v", got)
	}

	// Someone who asked not to be contacted is never suggested.
	id := int64(got[0]["id"].(float64))
	execSQL(t, path, `INSERT INTO member_flags(source, external_id, flag)
		SELECT source, external_id, 'do-not-contact' FROM identities WHERE member_id = ?`, id)
	again, _ := whoJSON(t, env, "--db", path, "storage", "--limit", "3")
	for _, s := range again {
		if int64(s["id"].(float64)) == id {
			t.Fatalf("member %d flagged do-not-contact was suggested", id)
		}
	}

	// CSV has the JSON keys as its header; a table names the columns.
	r := runCLI(t, env, 0, "who", "--db", path, "storage", "--format", "csv")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "id,name,handles,emails,score,lapsed,flags,evidence\n") {
		t.Errorf("csv: exit %d, %q", r.code, firstLine(r.stdout))
	}
	r = runCLI(t, env, 100, "who", "--db", path, "storage")
	if r.code != 0 || !strings.Contains(firstLine(r.stdout), "EVIDENCE") {
		t.Errorf("table: exit %d, %q", r.code, firstLine(r.stdout))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestWhoUnknownTopicHintsAndExitsZero(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	got, r := whoJSON(t, env, "--db", path, "storag")
	if len(got) != 0 {
		t.Fatalf("%d suggestions for a misspelt topic", len(got))
	}
	if !strings.Contains(r.stderr, "nobody found") || !strings.Contains(r.stderr, "storage") {
		t.Errorf("no hint naming storage: %q", r.stderr)
	}
	got, _ = whoJSON(t, env, "--db", path, "--path", "no/such/dir/")
	if len(got) != 0 {
		t.Fatalf("%d suggestions for an unknown path", len(got))
	}
}

func TestWhoUsageErrors(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	for _, args := range [][]string{
		{"who", "--db", path},
		{"who", "--db", path, "the", "of", "a"},
		{"who", "--db", path, "storage", "--before", "yesterday"},
		{"who", "--db", path, "storage", "--before", "2026-13-01"},
		{"who", "--db", path, "storage", "--limit", "0"},
		{"who", "--db", path, "storage", "--format", "xml"},
	} {
		r := runCLI(t, env, 0, args...)
		oneLineError(t, r, 2)
	}
}

func TestWhoBefore(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	now, _ := whoJSON(t, env, "--db", path, "storage", "--limit", "50")
	// Before the first activity there is nobody; a time works as a date does.
	none, _ := whoJSON(t, env, "--db", path, "storage", "--before", "1990-01-01T00:00:00Z")
	if len(none) != 0 {
		t.Fatalf("%d suggestions before 1990", len(none))
	}
	// Before tomorrow is everything: the same people as the tables give.
	all, _ := whoJSON(t, env, "--db", path, "storage", "--limit", "50", "--before", "2100-01-01")
	if len(all) != len(now) {
		t.Fatalf("before 2100: %d suggestions, from the tables %d", len(all), len(now))
	}
}

func TestWhoConfiguredTopic(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	cfg := filepath.Join(env["HOME"], ".config", "hearth", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[topics]\ndisks = [\"label:storage\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := whoJSON(t, env, "--db", path, "disks", "--limit", "3")
	want, _ := whoJSON(t, env, "--db", path, "storage", "--limit", "3")
	if len(got) == 0 || len(got) != len(want) || got[0]["id"] != want[0]["id"] {
		t.Fatalf("disks (mapped to label:storage) gave %v, storage %v", got, want)
	}
}
