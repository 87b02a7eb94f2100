package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"hearth/data/store"
)

// testEnv is a fake process environment rooted in a temporary directory,
// so no test reads or writes the real home.
type testEnv map[string]string

func newTestEnv(t *testing.T) testEnv {
	t.Helper()
	home := t.TempDir()
	return testEnv{"HOME": home}
}

func (e testEnv) get(k string) string { return e[k] }

// result is what one in-process run printed.
type result struct {
	code           int
	stdout, stderr string
	tui            *tuiRequest // what the interactive view was opened with
}

// runCLI runs hearth in-process with the given environment; the TUI is
// replaced by a recorder, and stdout is not a terminal unless width > 0.
func runCLI(t *testing.T, env testEnv, width int, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, env.get)
	var r result
	app.tui = func(ctx context.Context, a *App, req tuiRequest) error {
		// The store is closed when the TUI returns; keep only the facts.
		if req.Store == nil {
			t.Error("TUI opened without a store")
		}
		req.Store = nil
		r.tui = &req
		return nil
	}
	app.terminal = func() (bool, int) { return width > 0, width }
	r.code = app.run(context.Background(), args)
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// oneLineError checks the failure contract: a single "hearth: " line on
// stderr and nothing on stdout.
func oneLineError(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "hearth: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one 'hearth: ' line: %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
		t.Errorf("stderr looks like a stack trace: %q", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty on error: %q", r.stdout)
	}
}

// smallDemo writes a 150-member demo community and returns its path.
func smallDemo(t *testing.T, env testEnv) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	r := runCLI(t, env, 0, "demo", "--db", path, "--members", "150", "--seed", "7")
	if r.code != 0 {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	return path
}

// execSQL changes a database behind hearth's back, as another program (or
// a hostile source) could.
func execSQL(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func summary(t *testing.T, path string) (members, questions, events int) {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.Members, s.OpenQuestions, s.Events
}

func TestUsageErrorsExit2WithOneLine(t *testing.T) {
	env := newTestEnv(t)
	for _, args := range [][]string{
		{"bogus"},
		{"--bogus"},
		{"--db"},
		{"--theme", "neon"},
		{"--demo", "--db", "x.db"},
		{"members", "--format", "xml"},
		{"members", "--limit", "-1"},
		{"members", "--limit", "many"},
		{"members", "alice"},
		{"questions", "--nope"},
		{"events", "--theme", "neon"},
		{"demo"},
		{"demo", "--db", "x.db", "--members", "0"},
		{"demo", "--db", "x.db", "--members", "100000000"},
		{"demo", "--db", "x.db", "extra"},
		{"version", "extra"},
		{"help", "bogus"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			oneLineError(t, runCLI(t, env, 0, args...), 2)
		})
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	env := newTestEnv(t)
	type helpCase struct {
		args []string
		want string // the command the usage line names
	}
	cases := []helpCase{{[]string{"--help"}, "hearth"}, {[]string{"-h"}, "hearth"}, {[]string{"help"}, "hearth"}}
	for _, cmd := range []string{"members", "questions", "events", "sync", "config", "demo", "version"} {
		want := "hearth " + cmd
		cases = append(cases, helpCase{[]string{cmd, "--help"}, want}, helpCase{[]string{cmd, "-h"}, want},
			helpCase{[]string{"help", cmd}, want})
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runCLI(t, env, 0, c.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if !strings.HasPrefix(r.stdout, "Usage:") || !strings.Contains(r.stdout, c.want) {
				t.Errorf("no usage line for %s: %q", c.want, r.stdout)
			}
		})
	}
	// The top-level help lists the commands and the global flags.
	r := runCLI(t, env, 0, "--help")
	for _, want := range []string{"members", "questions", "events", "sync", "config", "demo", "--db", "--demo", "--theme", "--no-color", "NO_COLOR"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("hearth --help does not mention %s", want)
		}
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, newTestEnv(t), 0, "version")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if lines[0] != "hearth dev" {
		t.Errorf("first line %q, want %q", lines[0], "hearth dev")
	}
	if !strings.Contains(r.stdout, "go1.") || !strings.Contains(r.stdout, "schema ") {
		t.Errorf("version lacks Go or schema version: %q", r.stdout)
	}
}

func TestDemoWritesAndRefusesToOverwriteRealData(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	if m, _, _ := summary(t, path); m < 100 || m > 150 {
		t.Fatalf("demo has %d people, want about 150", m)
	}

	// A demo may be replaced by another demo.
	r := runCLI(t, env, 0, "demo", "--db", path, "--members", "120")
	if r.code != 0 {
		t.Fatalf("replacing a demo: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "members") || !strings.Contains(r.stdout, "questions") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("summary line: %q", r.stdout)
	}
	before, _, _ := summary(t, path)

	// Once it no longer says it is a demo, it is someone's data.
	execSQL(t, path, "DELETE FROM meta WHERE key = 'demo'")
	r = runCLI(t, env, 0, "demo", "--db", path, "--members", "30")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "--force") {
		t.Errorf("refusal does not mention --force: %q", r.stderr)
	}
	if after, _, _ := summary(t, path); after != before {
		t.Fatalf("refused demo still changed the database: %d members, was %d", after, before)
	}
	// Stale companions of the old file must not survive into the new one.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.WriteFile(path+suffix, []byte("stale"), 0o644)
	}
	r = runCLI(t, env, 0, "demo", "--db", path, "--members", "30", "--force")
	if r.code != 0 {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if b, err := os.ReadFile(path + suffix); err == nil && string(b) == "stale" {
			t.Errorf("stale %s left behind", suffix)
		}
	}
	if after, _, _ := summary(t, path); after == before || after > 30 {
		t.Errorf("--force did not replace the database: %d members", after)
	}

	// A file that is not a database at all is not overwritten either.
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("my precious notes\n"), 0o644)
	oneLineError(t, runCLI(t, env, 0, "demo", "--db", notes), 1)
	if b, _ := os.ReadFile(notes); string(b) != "my precious notes\n" {
		t.Errorf("file changed after refusal: %q", b)
	}
}

func TestDemoPathFromGlobalFlagOrEnvironment(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	if r := runCLI(t, env, 0, "--db", filepath.Join(dir, "a.db"), "demo", "--members", "20"); r.code != 0 {
		t.Fatalf("global --db: exit %d: %s", r.code, r.stderr)
	}
	env["HEARTH_DB"] = filepath.Join(dir, "b.db")
	if r := runCLI(t, env, 0, "demo", "--members", "20"); r.code != 0 {
		t.Fatalf("HEARTH_DB: exit %d: %s", r.code, r.stderr)
	}
	for _, f := range []string{"a.db", "b.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

func TestMembersJSON(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	people, _, _ := summary(t, path)
	r := runCLI(t, env, 0, "members", "--db", path, "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(rows) != people {
		t.Fatalf("%d rows, want %d members", len(rows), people)
	}
	for _, k := range []string{"id", "name", "handles", "emails", "org", "stage", "new", "lapsed",
		"activities", "contributions", "first_active", "last_active", "topics"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("member has no %q: %v", k, rows[0])
		}
	}
	if _, err := time.Parse(time.RFC3339, rows[0]["last_active"].(string)); err != nil {
		t.Errorf("last_active is not RFC 3339: %v", err)
	}
	// Most active first, like the tab.
	for i := 1; i < len(rows); i++ {
		if rows[i]["activities"].(float64) > rows[i-1]["activities"].(float64) {
			t.Fatalf("row %d more active than row %d", i, i-1)
		}
	}
}

func TestMembersCSV(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	people, _, _ := summary(t, path)
	// Not a terminal: CSV is the default.
	r := runCLI(t, env, 0, "--db", path, "members")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(recs) != people+1 {
		t.Fatalf("%d records, want header + %d", len(recs), people)
	}
	header := strings.Join(recs[0], ",")
	if header != "id,name,handles,emails,org,stage,new,lapsed,activities,contributions,first_active,last_active,topics,tags,flags,note_count,identities" {
		t.Errorf("header %q", header)
	}
	for _, rec := range recs[1:] {
		if rec[1] == "" || rec[5] == "" {
			t.Fatalf("member without name or stage: %q", rec)
		}
	}
}

func TestMembersTable(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	people, _, _ := summary(t, path)

	// A terminal: table by default, no line wider than the terminal.
	r := runCLI(t, env, 70, "members", "--db", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != people+1 {
		t.Fatalf("%d lines, want header + %d", len(lines), people)
	}
	if !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[0], "STAGE") {
		t.Errorf("header %q", lines[0])
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 70 {
			t.Fatalf("line %d is %d wide on a 70-column terminal: %q", i, w, l)
		}
	}

	// Not a terminal: columns sized to content, aligned on the header.
	r = runCLI(t, env, 0, "members", "--db", path, "--format", "table", "--limit", "20")
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 21 {
		t.Fatalf("%d lines, want 21", len(lines))
	}
	col := strings.Index(lines[0], "ACTIVITIES") + len("ACTIVITIES") - 1
	for _, l := range lines[1:] {
		// Right-aligned counts end under the header's last letter, counted
		// in terminal cells: names may be in wide scripts.
		if c := ansi.Cut(l, col, col+1); c < "0" || c > "9" {
			t.Fatalf("activity count not aligned at cell %d (%q): %q", col, c, l)
		}
		if c := ansi.Cut(l, col+1, col+2); c != " " {
			t.Fatalf("activity count runs past cell %d: %q", col, l)
		}
	}
}

func TestMembersFilterAndLimit(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	all := membersJSON(t, env, "members", "--db", path, "--format", "json")
	name := all[len(all)/2]["name"].(string)
	word := strings.Fields(name)[0]

	got := membersJSON(t, env, "members", "--db", path, "--format", "json", "--filter", strings.ToUpper(word))
	if len(got) == 0 || len(got) >= len(all) {
		t.Fatalf("--filter %q: %d of %d rows", word, len(got), len(all))
	}
	// Every word must match: adding the member's stage narrows further or
	// keeps the same rows, never adds any.
	stage := all[len(all)/2]["stage"].(string)
	both := membersJSON(t, env, "members", "--db", path, "--format", "json", "--filter", word+" "+stage)
	if len(both) == 0 || len(both) > len(got) {
		t.Errorf("--filter %q %q: %d rows, %q alone %d", word, stage, len(both), word, len(got))
	}
	if none := membersJSON(t, env, "members", "--db", path, "--format", "json", "--filter", "zzqqxx-nobody"); len(none) != 0 {
		t.Errorf("nonsense filter matched %d rows", len(none))
	}
	if five := membersJSON(t, env, "members", "--db", path, "--format", "json", "--limit", "5"); len(five) != 5 {
		t.Errorf("--limit 5 gave %d rows", len(five))
	}
}

func membersJSON(t *testing.T, env testEnv, args ...string) []map[string]any {
	t.Helper()
	r := runCLI(t, env, 0, args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("%v: not JSON: %v\n%s", args, err, r.stdout)
	}
	return rows
}

func TestQuestionsOldestFirst(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	_, open, _ := summary(t, path)
	rows := membersJSON(t, env, "questions", "--db", path, "--format", "json")
	if len(rows) == 0 {
		t.Fatal("demo has no unanswered questions")
	}
	if len(rows) > open {
		t.Errorf("%d unanswered questions, more than %d open", len(rows), open)
	}
	var prev time.Time
	for i, q := range rows {
		for _, k := range []string{"source", "url", "title", "author", "created", "age"} {
			if _, ok := q[k]; !ok {
				t.Fatalf("question has no %q: %v", k, q)
			}
		}
		if _, ok := q["first_response"]; ok {
			t.Errorf("unanswered question %d has a first response", i)
		}
		c, err := time.Parse(time.RFC3339, q["created"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if c.Before(prev) {
			t.Fatalf("question %d created %v, before the previous one %v", i, c, prev)
		}
		prev = c
	}
	// CSV keeps the same order and has an empty first_response column.
	r := runCLI(t, env, 0, "questions", "--db", path, "--format", "csv", "--limit", "3")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	// Done and snoozed questions are not listed: a small demo may have
	// fewer than three waiting.
	if err != nil || len(recs) != 1+min(3, len(rows)) {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[h] = i
	}
	if recs[1][idx["first_response"]] != "" || recs[1][idx["title"]] != rows[0]["title"] {
		t.Errorf("first csv row %q, want %v unanswered", recs[1], rows[0]["title"])
	}
}

func TestEventsUpcomingFirst(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	_, _, total := summary(t, path)
	rows := membersJSON(t, env, "events", "--db", path, "--format", "json")
	if len(rows) != total || total == 0 {
		t.Fatalf("%d events, want %d", len(rows), total)
	}
	start := func(i int) time.Time {
		s, err := time.Parse(time.RFC3339, rows[i]["start"].(string))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	seenPast := false
	for i, e := range rows {
		up := e["upcoming"].(bool)
		if up && seenPast {
			t.Fatalf("upcoming event %d after a past one", i)
		}
		if !up {
			seenPast = true
		}
		if i > 0 && up && start(i).Before(start(i-1)) {
			t.Errorf("upcoming event %d starts before the one above it", i)
		}
		if i > 0 && !up && rows[i-1]["upcoming"] == false && start(i).After(start(i-1)) {
			t.Errorf("past event %d more recent than the one above it", i)
		}
		names := e["speaker_names"].([]any)
		if int(e["speakers"].(float64)) != len(names) {
			t.Errorf("event %d: %v speakers but %d names", i, e["speakers"], len(names))
		}
	}
	hasSpeakers := false
	for _, e := range rows {
		hasSpeakers = hasSpeakers || len(e["speaker_names"].([]any)) > 0
	}
	if !hasSpeakers {
		t.Error("no event lists speaker names")
	}
	name := rows[0]["name"].(string)
	got := membersJSON(t, env, "events", "--db", path, "--format", "json", "--filter", name)
	if len(got) == 0 || len(got) > len(rows) || got[0]["name"] != name {
		t.Errorf("--filter %q: %d rows", name, len(got))
	}
}

func TestHostileTextNeverReachesTheTerminalRaw(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	hostile := "Mallory\x1b]52;c;SGk=\x07 \x1b[2J\u202eevil"
	execSQL(t, path, "UPDATE member_stats SET name = ?, org = ? WHERE member_id = (SELECT min(member_id) FROM member_stats WHERE bot = 0)", hostile, "Org\r\nInjected")
	for _, format := range []string{"table", "csv", "json"} {
		r := runCLI(t, env, 0, "members", "--db", path, "--format", format, "--filter", "mallory")
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "Mallory") {
			t.Fatalf("%s: hostile member not listed: %q", format, r.stdout)
		}
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\r", "]52;"} {
			if strings.Contains(r.stdout, bad) {
				t.Errorf("%s output contains %q: %q", format, bad, r.stdout)
			}
		}
		if format != "json" && strings.Count(r.stdout, "\n") != 2 {
			t.Errorf("%s: a line break in the data split the row: %q", format, r.stdout)
		}
	}
}

func TestCorruptDatabaseIsOneLineFailure(t *testing.T) {
	env := newTestEnv(t)
	path := filepath.Join(t.TempDir(), "broken.db")
	junk := bytes.Repeat([]byte("this is not a database\n"), 400)
	if err := os.WriteFile(path, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--db", path},
		{"--db", path, "members"},
		{"questions", "--db", path},
		{"events", "--db", path, "--format", "json"},
	} {
		r := runCLI(t, env, 80, args...)
		oneLineError(t, r, 1)
		if r.tui != nil {
			t.Errorf("%v: TUI opened on a corrupt database", args)
		}
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, junk) {
		t.Error("the corrupt file was modified")
	}
}

func TestTUINeedsATerminal(t *testing.T) {
	env := newTestEnv(t)
	r := runCLI(t, env, 0)
	oneLineError(t, r, 1)
	if r.tui != nil {
		t.Error("TUI started without a terminal")
	}
	if _, err := os.Stat(filepath.Join(env["HOME"], ".local", "share", "hearth", "hearth.db")); err == nil {
		t.Error("a database was created for a view that could not open")
	}
}

func TestListingMissingDatabaseFails(t *testing.T) {
	env := newTestEnv(t)
	r := runCLI(t, env, 0, "members")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "--demo") {
		t.Errorf("no hint towards the demo: %q", r.stderr)
	}
}

func TestDBPathResolution(t *testing.T) {
	cases := []struct {
		name string
		flag string
		env  testEnv
		want string
	}{
		{"flag wins", "/x/flag.db", testEnv{"HEARTH_DB": "/x/env.db", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/x/flag.db"},
		{"HEARTH_DB next", "", testEnv{"HEARTH_DB": "/x/env.db", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/x/env.db"},
		{"XDG_DATA_HOME next", "", testEnv{"XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/hearth/hearth.db"},
		{"relative XDG ignored", "", testEnv{"XDG_DATA_HOME": "rel", "HOME": "/home/u"}, "/home/u/.local/share/hearth/hearth.db"},
		{"HOME last", "", testEnv{"HOME": "/home/u"}, "/home/u/.local/share/hearth/hearth.db"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}, c.env.get)
			app.DBFlag = c.flag
			got, err := app.DBPath()
			if err != nil || got != c.want {
				t.Errorf("DBPath() = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	app := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}, testEnv{}.get)
	if _, err := app.DBPath(); err == nil {
		t.Error("no HOME and no override: want an error")
	}
	app = newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}, testEnv{"XDG_CACHE_HOME": "/cache", "HOME": "/h"}.get)
	if p, _ := app.DemoPath(); p != "/cache/hearth/demo.db" {
		t.Errorf("DemoPath() = %q", p)
	}
}

func TestTUIOpensTheResolvedDatabase(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	env["XDG_DATA_HOME"] = dir

	// Nothing synced yet: an empty database is created and opened anyway.
	r := runCLI(t, env, 80)
	if r.code != 0 || r.tui == nil {
		t.Fatalf("exit %d, tui %v: %s", r.code, r.tui, r.stderr)
	}
	if want := filepath.Join(dir, "hearth", "hearth.db"); r.tui.DBPath != want {
		t.Errorf("opened %q, want %q", r.tui.DBPath, want)
	}
	if r.tui.Theme != "auto" || r.tui.NoColor || r.tui.Demo {
		t.Errorf("defaults: %+v", *r.tui)
	}

	env["HEARTH_DB"] = filepath.Join(dir, "env.db")
	if r := runCLI(t, env, 80); r.tui == nil || r.tui.DBPath != env["HEARTH_DB"] {
		t.Errorf("HEARTH_DB not used: %+v", r.tui)
	}
	flag := filepath.Join(dir, "flag.db")
	if r := runCLI(t, env, 80, "--db", flag, "--theme", "light"); r.tui == nil || r.tui.DBPath != flag || r.tui.Theme != "light" {
		t.Errorf("--db/--theme not used: %+v", r.tui)
	}
}

func TestNoColor(t *testing.T) {
	env := newTestEnv(t)
	env["HEARTH_DB"] = filepath.Join(t.TempDir(), "h.db")
	if r := runCLI(t, env, 80, "--no-color"); r.tui == nil || !r.tui.NoColor {
		t.Errorf("--no-color: %+v", r.tui)
	}
	env["NO_COLOR"] = "1"
	if r := runCLI(t, env, 80); r.tui == nil || !r.tui.NoColor {
		t.Errorf("NO_COLOR=1: %+v", r.tui)
	}
	env["NO_COLOR"] = ""
	if r := runCLI(t, env, 80); r.tui == nil || r.tui.NoColor {
		t.Errorf("empty NO_COLOR turned colour off: %+v", r.tui)
	}
}

func TestBuiltInDemoIsGeneratedOnceAndRepaired(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full demo community")
	}
	env := newTestEnv(t)
	cache := t.TempDir()
	env["XDG_CACHE_HOME"] = cache
	demo := filepath.Join(cache, "hearth", "demo.db")

	r := runCLI(t, env, 80, "--demo")
	if r.code != 0 || r.tui == nil || !r.tui.Demo || r.tui.DBPath != demo {
		t.Fatalf("exit %d, tui %+v: %s", r.code, r.tui, r.stderr)
	}
	if !strings.Contains(r.stderr, "generating demo community") {
		t.Errorf("no progress line on first use: %q", r.stderr)
	}
	if m, _, _ := summary(t, demo); m < 1000 {
		t.Errorf("built-in demo has %d members", m)
	}

	// Second use: no generation; global flags also work after a listing
	// command.
	r = runCLI(t, env, 0, "members", "--demo", "--limit", "3", "--format", "csv")
	if r.code != 0 || r.stderr != "" || strings.Count(r.stdout, "\n") != 4 {
		t.Fatalf("exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}

	// A broken demo file is regenerated, not reported.
	for _, p := range []string{demo + "-wal", demo + "-shm", demo} {
		os.Remove(p)
	}
	os.WriteFile(demo, []byte("garbage garbage garbage"), 0o644)
	r = runCLI(t, env, 80, "--demo")
	if r.code != 0 || !strings.Contains(r.stderr, "generating") {
		t.Fatalf("broken demo: exit %d: %s", r.code, r.stderr)
	}
	if m, _, _ := summary(t, demo); m < 1000 {
		t.Errorf("regenerated demo has %d members", m)
	}
}

// TestHelpListsOnlyFlagsThatApply: a command's help names only the flags
// that change what it does.
func TestHelpListsOnlyFlagsThatApply(t *testing.T) {
	for _, c := range []struct {
		cmd       string
		want, not []string
	}{
		{"sync", []string{"--db", "--status", "--config", "--api-url", "--no-color"}, []string{"--theme", "--demo", "--format"}},
		{"members", []string{"--db", "--demo", "--format", "--filter", "--limit"}, []string{"--theme", "--no-color", "--status"}},
	} {
		r := runCLI(t, newTestEnv(t), 0, c.cmd, "--help")
		if r.code != 0 {
			t.Fatalf("%s --help: exit %d: %s", c.cmd, r.code, r.stderr)
		}
		for _, f := range c.want {
			if !strings.Contains(r.stdout, f) {
				t.Errorf("%s --help does not list %s", c.cmd, f)
			}
		}
		for _, f := range c.not {
			if strings.Contains(r.stdout, f+" ") {
				t.Errorf("%s --help lists %s, which does nothing there", c.cmd, f)
			}
		}
	}
}

// TestFlagValuesIgnoreCase: --format and --theme take their values in any
// case, like every word value of hearth's flags.
func TestFlagValuesIgnoreCase(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	r := runCLI(t, env, 0, "members", "--db", db, "--format", "JSON", "--limit", "1")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "[") {
		t.Errorf("--format JSON: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, 80, "--db", db, "--theme", "Light")
	if r.code != 0 || r.tui == nil || r.tui.Theme != "light" {
		t.Errorf("--theme Light: exit %d: %s", r.code, r.stderr)
	}
}

// TestDisplayTimezoneMovesTableDates: the config's display_timezone decides
// the dates a table shows; CSV stays UTC. Kiritimati (UTC+14) and Pago Pago
// (UTC-11) are 25 hours apart, so every date differs between them.
func TestDisplayTimezoneMovesTableDates(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	cfgDir := filepath.Join(env["HOME"], ".config", "hearth")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	list := func(zone, format string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("display_timezone = \""+zone+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, env, 0, "events", "--db", db, "--format", format, "--limit", "3")
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", zone, r.code, r.stderr)
		}
		return r.stdout
	}
	east, west := list("Pacific/Kiritimati", "table"), list("Pacific/Pago_Pago", "table")
	if east == west || !strings.Contains(east, "START") {
		t.Errorf("the display zone does not move table dates:\n%s\n%s", east, west)
	}
	if list("Pacific/Kiritimati", "csv") != list("Pacific/Pago_Pago", "csv") {
		t.Error("CSV changed with the display zone; it should stay UTC")
	}
}
