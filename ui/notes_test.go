package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

var saveKey = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}

// fakeEditor writes a shell script that stands for $EDITOR: it records the
// file it was given, then runs body on it ($1).
func fakeEditor(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "editor")
	script := "#!/bin/sh\ncp \"$1\" " + filepath.Join(dir, "seen") + "\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEditorRunEditsATemporaryFile(t *testing.T) {
	ed := fakeEditor(t, `printf 'first line\nsecond line\n' > "$1"`)
	run := &editorRun{argv: []string{ed}, initial: "the old note"}
	if err := run.Run(); err != nil {
		t.Fatal(err)
	}
	if run.text != "first line\nsecond line\n" {
		t.Fatalf("read back %q", run.text)
	}
	seen, err := os.ReadFile(filepath.Join(filepath.Dir(ed), "seen"))
	if err != nil || string(seen) != "the old note" {
		t.Fatalf("the editor was given %q (%v), want the old note", seen, err)
	}
}

// An editor that fails after the user wrote something keeps the file and
// says where it is; one that fails on an untouched file leaves nothing.
func TestEditorFailureLosesNothing(t *testing.T) {
	run := &editorRun{argv: []string{fakeEditor(t, `echo "typed" >> "$1"; exit 3`)}, initial: "old"}
	err := run.Run()
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "kept in ") {
		t.Fatalf("error %v", err)
	}
	kept := err.Error()[strings.LastIndex(err.Error(), "kept in ")+len("kept in "):]
	t.Cleanup(func() { os.Remove(kept) })
	if body, rerr := os.ReadFile(kept); rerr != nil || string(body) != "oldtyped\n" {
		t.Fatalf("kept file %q: %q %v", kept, body, rerr)
	}

	run = &editorRun{argv: []string{fakeEditor(t, "exit 1")}, initial: "old"}
	if err := run.Run(); err == nil || strings.Contains(err.Error(), "kept in") {
		t.Fatalf("untouched file: %v", err)
	}
}

// With an editor command, n runs it instead of opening the text area, and
// what it leaves is saved as the note, line breaks included.
func TestNoteWithEditorCommand(t *testing.T) {
	m, _, w := newTriageModel(t, false)
	m.c.Editor = fakeEditor(t, "true") + " --wait"
	_, cmd := m.Update(keyMsg("n"))
	if cmd == nil {
		t.Fatal("n gave no command")
	}
	ask, ok := cmd().(editNoteMsg)
	if !ok {
		t.Fatalf("n asked for %T", cmd())
	}
	_, cmd = m.Update(ask)
	if m.note != nil || cmd == nil {
		t.Fatalf("with an editor, the text area opened (%v) or nothing runs (%v)", m.note != nil, cmd == nil)
	}
	_, cmd = m.Update(noteEditedMsg{req: ask.req, text: "  line one\nline two\n\n"})
	drive(t, m, cmd)
	wantCalls(t, w, "triage github#1 v0 assignee= status= until= note=line one\nline two")

	// A failed run writes nothing and says so.
	_, cmd = m.Update(noteEditedMsg{req: ask.req, err: os.ErrPermission})
	drive(t, m, cmd)
	if len(w.calls) != 1 || !strings.Contains(statusLine(m), "note not saved: permission denied") {
		t.Fatalf("after a failed run: calls %v, status %q", w.calls, statusLine(m))
	}
}

// esc on a changed note asks again before it discards; pasted text keeps
// its lines.
func TestNoteAreaEscTwiceDiscards(t *testing.T) {
	m, _, w := newTriageModel(t, false)
	press(t, m, "n")
	_, cmd := m.Update(tea.PasteMsg{Content: "pasted\nlines"})
	drive(t, m, cmd)
	press(t, m, "esc")
	if m.note == nil || !strings.Contains(statusLine(m), "esc again discards") {
		t.Fatalf("one esc closed the editor on changed text: %q", statusLine(m))
	}
	if got := screen(m); !strings.Contains(got, "pasted") || !strings.Contains(got, "lines") || !strings.Contains(got, "esc discard") {
		t.Fatalf("editor after esc:\n%s", got)
	}
	press(t, m, "esc")
	if m.note != nil || len(w.calls) != 0 {
		t.Fatalf("second esc: open %v, calls %v", m.note != nil, w.calls)
	}
	// Nothing typed: one esc is enough.
	press(t, m, "n", "esc")
	if m.note != nil {
		t.Fatal("esc on an untouched note did not close it")
	}
}

// A note is stored as typed and cleaned only when shown.
func TestMultiLineNoteShownClean(t *testing.T) {
	m, s, _ := newTriageModel(t, false)
	s.questions[0].Triage.Note = "first \x1b[31mred\x1b[0m\nsecond\x07 line"
	drive(t, m, m.reload())
	press(t, m, "enter")
	got := screen(m)
	if !strings.Contains(got, "Note\n  first red\n  second line\n") || strings.Contains(got, "\x1b[31m") {
		t.Fatalf("detail:\n%q", got)
	}
}
