package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"hearth/data/store"
	"hearth/model"
	"hearth/ui"
)

// TestActEndToEnd is the whole of "act, not only look" through the real
// program on a real database file: triage questions and write about a
// member from the keyboard, quit, open the file again and find it all,
// sync a source into it and find it all still, then carry it to a fresh
// database with userdata export and import and find it identical.
func TestActEndToEnd(t *testing.T) {
	env := newTestEnv(t)
	env["HEARTH_ACTOR"] = "tester"
	dir := t.TempDir()
	path, fresh := filepath.Join(dir, "community.db"), filepath.Join(dir, "fresh.db")
	// 300 members: enough waiting questions for every step below. A copy
	// made now is the fresh database step 4 imports into.
	if r := runCLI(t, env, 0, "demo", "--db", path, "--members", "300", "--seed", "7"); r.code != 0 {
		t.Fatalf("demo: %q", r.stderr)
	}
	copyFile(t, path, fresh)
	me := pickMember(t, path)
	other := pickMember(t, path, me.ID)
	writeConfig(t, env, "me = "+strconv.Quote(me.Handles[0])+"\n")

	// 1. The first session: assign, snooze, close, note; tag, flag and
	// note a member; quit.
	s := openTUI(t, env, path)
	s.keys("3")
	s.wait("waiting 5")
	s.keys("a")
	s.keys(strings.TrimPrefix(me.Handles[0], "@"))
	s.wait(me.Handles[0])
	s.press(tea.KeyEnter)
	s.wait("assigned to " + me.Handles[0] + " · u undo")
	// Each step waits for the list to reload too: a key pressed before
	// acts on the row as it was read, and the store refuses it as a
	// conflict.
	s.wait("mine 1")
	s.keys("j", "s")
	s.wait("Snooze until")
	s.press(tea.KeyTab) // 3d
	s.press(tea.KeyEnter)
	s.wait("snoozed until ")
	s.wait("snoozed 1")
	s.keys("d")
	s.wait("marked done · u undo")
	s.wait("done 1")
	s.keys("n")
	s.wait("ctrl+s save")
	s.keys("Ask the storage folks.")
	s.press(tea.KeyEnter)
	s.keys("Then write it up.")
	s.send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	s.wait("note saved · u undo")
	s.keys("v")
	s.wait("mine 1")

	s.keys("1", "/")
	s.keys(strings.TrimPrefix(me.Handles[0], "@"))
	s.press(tea.KeyEnter)
	s.keys("t")
	s.wait("Tags ")
	s.keys("+berlin")
	s.press(tea.KeyEnter)
	s.wait("tags +berlin · u undo")
	s.keys("f")
	s.wait("[ ] staff")
	s.press(tea.KeyRight)
	s.press(tea.KeyRight)
	s.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	s.press(tea.KeyEnter)
	s.wait("flags +staff · u undo")
	s.keys("n")
	s.wait("Note on ")
	s.keys("Met at FOSDEM.")
	s.press(tea.KeyEnter)
	s.keys("Wants to mentor.")
	s.send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	s.wait("note added · u undo")

	// Merge this member with another from the keyboard: the detail shows
	// the other's account; u makes them two again; merging once more
	// keeps them one for the rest of the test.
	merge := func() {
		s.keys("m")
		s.wait("Merge ")
		s.keys(strings.TrimPrefix(other.Handles[0], "@"))
		s.wait(other.Handles[0])
		s.press(tea.KeyEnter)
		s.wait("merged ")
		s.wait(other.Handles[0]) // the merged member's detail lists both
	}
	merge()
	s.keys("u")
	s.wait("undone: ")
	s.waitGone(other.Handles[0])
	merge()

	s.press(tea.KeyEscape)
	s.keys("q")
	s.done()

	written := userTables(t, path)
	for _, want := range []string{
		"|" + me.Handles[0] + "||0|\n", // assigned, waiting
		"|snoozed|",
		"|done|0|",
		"|Ask the storage folks.\nThen write it up.\n",
		"|berlin\n",
		"|staff\n",
		"|Met at FOSDEM.\nWants to mentor.|",
		"link|merge|",
	} {
		if !strings.Contains(written, want) {
			t.Fatalf("after the first session the user tables lack %q:\n%s", want, written)
		}
	}

	// 2. Open the file again: the program shows it all.
	s = openTUI(t, env, path)
	s.keys("3")
	s.wait("mine 1")
	s.wait("snoozed 1  done 1")
	s.keys("v", "v", "v", "v", "v") // to "all"
	s.wait("all 5")
	s.keys("1", "/")
	s.keys(strings.TrimPrefix(me.Handles[0], "@"))
	s.press(tea.KeyEnter)
	s.press(tea.KeyEnter)
	s.wait("Tags          berlin")
	s.wait("Flags         staff")
	s.keys("G") // the notes are at the bottom of the detail
	s.wait("Met at FOSDEM.\n  Wants to mentor.")
	s.wait("• manual merge") // still one person, and why
	s.press(tea.KeyEscape)
	s.press(tea.KeyEscape)
	s.keys("q")
	s.done()
	if got := userTables(t, path); got != written {
		t.Fatalf("reopening changed the user tables:\n%s\nwant:\n%s", got, written)
	}

	// 3. A sync rewrites synced rows: the user's stay as they were.
	repo := gitRepo(t)
	if r := runCLI(t, env, 0, "sync", "git", repo, "--db", path); r.code != 0 {
		t.Fatalf("sync: %q", r.stderr)
	}
	if got := userTables(t, path); got != written {
		t.Fatalf("the sync changed the user tables:\n%s\nwant:\n%s", got, written)
	}
	mine := runCLI(t, env, 0, "questions", "--mine", "--db", path, "--format", "csv")
	if mine.code != 0 || strings.Count(mine.stdout, "\n") != 2 || !strings.Contains(mine.stdout, me.Handles[0]) {
		t.Fatalf("questions --mine after the sync: %d %q %q", mine.code, mine.stdout, mine.stderr)
	}

	// 4. Export; wipe and import into a fresh copy synced the same way
	// (import --replace); export again: the same bytes, the same tables.
	one, two := filepath.Join(dir, "one.json"), filepath.Join(dir, "two.json")
	if r := runCLI(t, env, 0, "userdata", "export", one, "--db", path); r.code != 0 {
		t.Fatalf("export: %q", r.stderr)
	}
	if r := runCLI(t, env, 0, "sync", "git", repo, "--db", fresh); r.code != 0 {
		t.Fatalf("sync of the fresh database: %q", r.stderr)
	}
	if got := userTables(t, fresh); strings.Contains(got, "Met at FOSDEM") {
		t.Fatal("the fresh database already holds the notes")
	}
	if r := runCLI(t, env, 0, "userdata", "import", one, "--replace", "--db", fresh); r.code != 0 {
		t.Fatalf("import: %q", r.stderr)
	}
	if r := runCLI(t, env, 0, "userdata", "export", two, "--db", fresh); r.code != 0 {
		t.Fatalf("export of the fresh database: %q", r.stderr)
	}
	a, _ := os.ReadFile(one)
	b, _ := os.ReadFile(two)
	if len(a) < 100 || !bytes.Equal(a, b) {
		t.Fatalf("the exports differ (%d and %d bytes)", len(a), len(b))
	}
	if got := userTables(t, fresh); got != written {
		t.Fatalf("the imported user tables differ:\n%s\nwant:\n%s", got, written)
	}
}

// pickMember is a member with an @handle and an address, whose handle no
// other member's name or handle contains (so typing it finds them first).
func pickMember(t *testing.T, path string, skip ...int64) model.Member {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, err := st.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if len(m.Handles) == 0 || len(m.Emails) == 0 || !strings.HasPrefix(m.Handles[0], "@") || slices.Contains(skip, m.ID) {
			continue
		}
		word := strings.ToLower(strings.TrimPrefix(m.Handles[0], "@"))
		shared := false
		for _, o := range ms {
			if o.ID != m.ID && strings.Contains(strings.ToLower(o.Name+" "+strings.Join(o.Handles, " ")+" "+o.Org), word) {
				shared = true
				break
			}
		}
		if !shared {
			return m
		}
	}
	t.Fatal("no member with a handle of their own in the demo")
	return model.Member{}
}

// userTables is every row of the user-authored tables this test writes,
// one per line, in key order; the columns a write or an import may renumber
// (row ids, versions, update times) are left out.
func userTables(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT 'triage', source, external_id, assignee, status, COALESCE(snoozed_until, 0), note FROM question_triage ORDER BY 2, 3`,
		`SELECT 'tag', source, external_id, tag FROM member_tags ORDER BY 2, 3, 4`,
		`SELECT 'flag', source, external_id, flag FROM member_flags ORDER BY 2, 3, 4`,
		`SELECT 'note', source, external_id, body, created FROM member_notes ORDER BY 2, 3, 5, 4`,
		`SELECT 'link', kind, a_source, a_external_id, b_source, b_external_id FROM identity_links ORDER BY 2, 3, 4, 5, 6`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, "%s\n", strings.Join(parts, "|"))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// tuiSession is the real program, as hearth opens it, run by teatest.
type tuiSession struct {
	t  *testing.T
	tm *teatest.TestModel
	st *store.Store
}

// openTUI opens the interactive program on path with the options hearth
// itself builds (writer, me, no $EDITOR: the note editor is in the window).
func openTUI(t *testing.T, env testEnv, path string) *tuiSession {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, env.get)
	m := ui.New(app.tuiOptions(ctx, tuiRequest{Store: st, DBPath: path, Theme: "dark"}))
	tm := teatest.NewTestModel(t, framed{m},
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	return &tuiSession{t: t, tm: tm, st: st}
}

func (s *tuiSession) send(msg tea.Msg) { s.tm.Send(msg) }

func (s *tuiSession) press(code rune) { s.tm.Send(tea.KeyPressMsg{Code: code}) }

// keys types each string, rune by rune.
func (s *tuiSession) keys(texts ...string) {
	for _, text := range texts {
		for _, r := range text {
			s.tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
}

// wait waits until the frame shows want.
func (s *tuiSession) wait(want string) {
	s.t.Helper()
	s.waitFor(func(frame string) bool { return strings.Contains(frame, want) }, fmt.Sprintf("no frame shows %q", want))
}

// waitFor asks for frames until one satisfies ok, for up to ten seconds;
// then it fails with failure and the last frame.
func (s *tuiSession) waitFor(ok func(frame string) bool, failure string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		out := make(chan string, 1)
		s.tm.Send(frameMsg{out})
		select {
		case last = <-out:
			if ok(last) {
				return
			}
		case <-time.After(time.Second):
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.t.Fatalf("%s; the last:\n%s", failure, last)
}

// done waits for the program to end and closes its store.
func (s *tuiSession) done() {
	s.t.Helper()
	s.tm.WaitFinished(s.t, teatest.WithFinalTimeout(10*time.Second))
	if err := s.st.Close(); err != nil {
		s.t.Fatal(err)
	}
}

// frameMsg asks the running program for its frame as plain text.
type frameMsg struct{ out chan<- string }

// framed answers frameMsg on the program's own goroutine, where reading
// the model is safe.
type framed struct{ *ui.Model }

func (f framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if fm, ok := msg.(frameMsg); ok {
		fm.out <- ansi.Strip(f.View().Content)
		return f, nil
	}
	_, cmd := f.Model.Update(msg)
	return f, cmd
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitGone waits for a frame that no longer shows gone.
func (s *tuiSession) waitGone(gone string) {
	s.t.Helper()
	s.waitFor(func(frame string) bool { return !strings.Contains(frame, gone) }, fmt.Sprintf("every frame still shows %q", gone))
}
