package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// fakeWriter records the writes asked of it and applies them to the fake
// store's questions, with versions, so that undo and conflicts behave as
// the store's do.
type fakeWriter struct {
	s     *fakeStore
	calls []string
	undo  []model.Question // each write's question as it was before
	err   error            // returned by every write when set
	// notes and labels ("tag x", "flag y") are the member writes
	// (members_edit_test.go).
	notes  []string
	labels map[string]bool
}

func (w *fakeWriter) SetTriage(_ context.Context, source, ext string, read int64, t model.Triage) (model.Triage, error) {
	until := ""
	if !t.SnoozedUntil.IsZero() {
		until = t.SnoozedUntil.UTC().Format(time.RFC3339)
	}
	w.calls = append(w.calls, fmt.Sprintf("triage %s#%s v%d assignee=%s status=%s until=%s note=%s",
		source, ext, read, t.Assignee, t.Status, until, t.Note))
	if w.err != nil {
		return t, w.err
	}
	for i := range w.s.questions {
		q := &w.s.questions[i]
		if q.Source != source || q.ExternalID != ext {
			continue
		}
		if q.Triage.Version != read {
			return t, fmt.Errorf("triage %s#%s: %w", source, ext, store.ErrConflict)
		}
		w.undo = append(w.undo, *q)
		t.Version = read + 1
		q.Triage = t
		return t, nil
	}
	return t, fmt.Errorf("no question %s#%s", source, ext)
}

func (w *fakeWriter) Undo(context.Context) (store.Change, error) {
	w.calls = append(w.calls, "undo")
	if len(w.undo) == 0 {
		return store.Change{}, store.ErrNothingToUndo
	}
	before := w.undo[len(w.undo)-1]
	w.undo = w.undo[:len(w.undo)-1]
	for i := range w.s.questions {
		if w.s.questions[i].ID == before.ID {
			v := w.s.questions[i].Triage.Version
			w.s.questions[i].Triage = before.Triage
			w.s.questions[i].Triage.Version = v + 1
		}
	}
	return store.Change{What: "triage " + model.QuestionKey(before.Source, before.ExternalID)}, nil
}

func newTriageModel(t *testing.T, readOnly bool) (*Model, *fakeStore, *fakeWriter) {
	t.Helper()
	s := newFakeStore(40)
	for i := range s.questions {
		s.questions[i].ExternalID = fmt.Sprint(i + 1)
	}
	w := &fakeWriter{s: s}
	m := New(Options{Store: s, Writer: w, ReadOnly: readOnly, DBPath: "/srv/hearth/community.db", Theme: "dark",
		Now: nowFunc, Zone: time.UTC})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drive(t, m, m.Init())
	press(t, m, "3")
	return m, s, w
}

func statusLine(m *Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-2]
}

func wantCalls(t *testing.T, w *fakeWriter, want ...string) {
	t.Helper()
	if strings.Join(w.calls, "\n") != strings.Join(want, "\n") {
		t.Fatalf("writer calls:\n%s\nwant:\n%s", strings.Join(w.calls, "\n"), strings.Join(want, "\n"))
	}
}

func TestTriageKeysWrite(t *testing.T) {
	m, s, w := newTriageModel(t, false)

	// a: the picker filters the directory as one types; enter assigns.
	press(t, m, "a")
	typeText(t, m, "user7")
	if got := screen(m); !strings.Contains(got, "Assign How do I configure widget 1?") || !strings.Contains(got, "@user7") {
		t.Fatalf("picker:\n%s", got)
	}
	press(t, m, "enter")
	wantCalls(t, w, "triage github#1 v0 assignee=@user7 status= until= note=")
	if got := statusLine(m); !strings.Contains(got, "assigned to @user7 · u undo") {
		t.Fatalf("status line after assigning: %q", got)
	}
	if got := screen(m); !strings.Contains(got, "@user7") || !strings.Contains(got, "unassigned 29") {
		t.Fatalf("the list does not show the assignee:\n%s", got)
	}

	// s: enter takes the first preset, one day; the question leaves the
	// waiting queue and the next one is selected.
	press(t, m, "s")
	if got := screen(m); !strings.Contains(got, "→ 2026-06-16") {
		t.Fatalf("snooze prompt:\n%s", got)
	}
	press(t, m, "tab", "enter")
	wantCalls(t, w, w.calls[0], "triage github#1 v1 assignee=@user7 status=snoozed until=2026-06-18T12:00:00Z note=")
	if got := statusLine(m); !strings.Contains(got, "snoozed until 2026-06-18 · u undo") {
		t.Fatalf("status line after snoozing: %q", got)
	}
	if got := screen(m); strings.Contains(got, "widget 1?") || !strings.Contains(got, "waiting 29") || !strings.Contains(got, "snoozed 1") {
		t.Fatalf("the snoozed question is still waiting:\n%s", got)
	}

	// A typed date, and a typo that writes nothing.
	press(t, m, "s")
	typeText(t, m, "2026-13-01")
	press(t, m, "enter")
	if len(w.calls) != 2 || !strings.Contains(statusLine(m), "neither a date") {
		t.Fatalf("a bad date: calls %v, status %q", w.calls, statusLine(m))
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "2026-07-01")
	press(t, m, "enter")
	if got := w.calls[len(w.calls)-1]; got != "triage discourse#2 v0 assignee= status=snoozed until=2026-07-01T00:00:00Z note=" {
		t.Fatalf("typed date: %s", got)
	}

	// d in the detail: done, shown in words; d again reopens.
	press(t, m, "enter", "d")
	if got := screen(m); !strings.Contains(got, "Status        done") || !strings.Contains(got, "marked done · u undo") {
		t.Fatalf("detail after d:\n%s", got)
	}
	press(t, m, "d")
	if got := screen(m); !strings.Contains(got, "Status        waiting") || !strings.Contains(got, "reopened") {
		t.Fatalf("detail after d again:\n%s", got)
	}

	// n: the note editor; enter starts a new line, ctrl+s saves.
	press(t, m, "n")
	if got := screen(m); !strings.Contains(got, "Note on How do I configure widget 3?") || !strings.Contains(got, "ctrl+s save") {
		t.Fatalf("note editor:\n%s", got)
	}
	typeText(t, m, "ask Grace")
	press(t, m, "enter")
	typeText(t, m, "or Ada")
	pressMsg(t, m, saveKey)
	if got := w.calls[len(w.calls)-1]; !strings.HasSuffix(got, "note=ask Grace\nor Ada") {
		t.Fatalf("note written: %q", got)
	}
	if got := screen(m); !strings.Contains(got, "Note\n  ask Grace\n  or Ada\n") || !strings.Contains(got, "note saved · u undo") {
		t.Fatalf("detail after the note:\n%s", got)
	}
	// Saving it unchanged writes nothing.
	calls := len(w.calls)
	press(t, m, "n")
	pressMsg(t, m, saveKey)
	if len(w.calls) != calls || !strings.Contains(statusLine(m), "note unchanged") {
		t.Fatalf("an unchanged note: calls %v, status %q", w.calls[calls:], statusLine(m))
	}

	// u reverts the newest change, from any tab.
	press(t, m, "esc", "1", "u")
	if got := w.calls[len(w.calls)-1]; got != "undo" {
		t.Fatalf("u did not undo: %v", w.calls)
	}
	if got := statusLine(m); !strings.Contains(got, "undone: triage github#3") {
		t.Fatalf("status line after undo: %q", got)
	}
	if s.questions[2].Triage.Note != "" {
		t.Fatalf("undo left the note: %+v", s.questions[2].Triage)
	}
}

func TestTriageConflictShowsInStatusLine(t *testing.T) {
	m, _, w := newTriageModel(t, false)
	w.err = fmt.Errorf("triage github#1: %w", store.ErrConflict)
	press(t, m, "d")
	if got := statusLine(m); !strings.Contains(got, "error: triage github#1: changed by someone else since you read it") {
		t.Fatalf("status line after a conflict: %q", got)
	}
	w.err = nil
	press(t, m, "esc", "u")
	if got := statusLine(m); !strings.Contains(got, "nothing to undo") {
		t.Fatalf("status line of an undo with nothing to undo: %q", got)
	}
}

func TestQueuesSwitch(t *testing.T) {
	m, s, _ := newTriageModel(t, false)
	s.questions[0].Triage = model.Triage{Status: model.TriageDone}
	s.questions[1].Triage = model.Triage{Status: model.TriageSnoozed, SnoozedUntil: testNow.Add(time.Hour)}
	s.questions[2].Triage = model.Triage{Status: model.TriageSnoozed, SnoozedUntil: testNow.Add(-time.Hour)} // back
	s.questions[3].Triage = model.Triage{Assignee: "@ada"}
	drive(t, m, m.reload())
	for _, c := range []struct {
		key, bar string
		rows     int
		first    string
	}{
		{"", "waiting 28", 28, "widget 3?"},
		{"v", "mine ?", 0, `Add me = "@your-handle"`},
		{"v", "unassigned 27", 27, "widget 3?"},
		{"v", "snoozed 1", 1, "widget 2?"},
		{"v", "done 1", 1, "widget 1?"},
		{"v", "all 30", 30, "widget 1?"},
		{"v", "waiting 28", 28, "widget 3?"},
		{"V", "all 30", 30, "widget 1?"},
		{"V", "done 1", 1, "widget 1?"},
		{"v", "all 30", 30, "widget 1?"},
	} {
		if c.key != "" {
			press(t, m, c.key)
		}
		q := m.tabs[tabQuestions].(*questionsTab)
		if n := len(q.rows); n != c.rows || !strings.Contains(screen(m), c.bar) {
			t.Fatalf("after %q: %d rows, want %d, bar %q:\n%s", c.key, n, c.rows, c.bar, screen(m))
		}
		if got := strings.Split(screen(m), "\n")[3]; !strings.Contains(got, c.first) {
			t.Fatalf("after %q: first row %q, want %q", c.key, got, c.first)
		}
	}
	if got := screen(m); !strings.Contains(got, "done") || !strings.Contains(got, "snoozed 06-15") {
		t.Fatalf("the all queue does not say the triage in words:\n%s", got)
	}
}

// A read-only program, or one without a writer, offers no key that
// writes: they do nothing and the help does not show them.
func TestReadOnlyOffersNoWriteKeys(t *testing.T) {
	for _, name := range []string{"read-only", "no writer"} {
		m, _, w := newTriageModel(t, name == "read-only")
		if name == "no writer" {
			m = New(Options{Store: w.s, DBPath: "/x.db", Theme: "dark", Now: nowFunc})
			m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			drive(t, m, m.Init())
			press(t, m, "3")
		}
		press(t, m, "a", "s", "d", "n", "u", "enter", "a", "s", "d", "n")
		if len(w.calls) != 0 {
			t.Fatalf("%s: the writer was called: %v", name, w.calls)
		}
		q := m.tabs[tabQuestions].(*questionsTab)
		if q.picker != nil || q.prompt != nil {
			t.Fatalf("%s: a picker or prompt opened", name)
		}
		for _, view := range []string{"detail", "list"} {
			press(t, m, "?")
			got := screen(m)
			press(t, m, "?")
			got += screen(m)
			for _, word := range []string{"a assign", "s snooze", "d done/reopen", "n note", "u undo"} {
				if strings.Contains(got, word) {
					t.Fatalf("%s %s: the help offers %q:\n%s", name, view, word, got)
				}
			}
			press(t, m, "esc")
		}
	}
}

func TestParseSnooze(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1d", "2026-06-16T12:00:00Z"},
		{"3d", "2026-06-18T12:00:00Z"},
		{"1w", "2026-06-22T12:00:00Z"},
		{"12h", "2026-06-16T00:00:00Z"},
		{" 2026-07-01 ", "2026-07-01T00:00:00Z"},
		{"2026-06-15", "error"}, // today has begun: not in the future
		{"0d", "error"},
		{"-1d", "error"},
		{"d", "error"},
		{"soon", "error"},
		{"", "error"},
	} {
		got, err := model.ParseSnooze(c.in, testNow, time.UTC)
		s := got.Format(time.RFC3339)
		if err != nil {
			s = "error"
		}
		if s != c.want {
			t.Errorf("ParseSnooze(%q) = %s (%v), want %s", c.in, s, err, c.want)
		}
	}
}

var _ Writer = (*store.Writer)(nil)
var _ = errors.Is

// The mine queue holds the waiting questions assigned to any name of the
// user's member; a me that names nobody says so.
func TestMineQueue(t *testing.T) {
	m, s, _ := newTriageModel(t, false)
	s.questions[0].Triage = model.Triage{Assignee: "@ada"}
	s.questions[1].Triage = model.Triage{Assignee: "ADA@example.org"}
	s.questions[2].Triage = model.Triage{Assignee: "@ada", Status: model.TriageDone} // done: not waiting
	s.questions[3].Triage = model.Triage{Assignee: "@grace"}
	m.c.Mine = func(context.Context) ([]string, error) { return []string{"@ada", "ada@example.org"}, nil }
	drive(t, m, m.reload())
	press(t, m, "v")
	q := m.tabs[tabQuestions].(*questionsTab)
	if q.queue != queueMine || len(q.rows) != 2 || !strings.Contains(screen(m), "mine 2") {
		t.Fatalf("mine queue: %d rows:\n%s", len(q.rows), screen(m))
	}
	for _, r := range q.rows {
		if tr := q.all[r].Triage; !model.AssignedTo(tr.Assignee, []string{"@ada", "ada@example.org"}) {
			t.Fatalf("a question of someone else: %+v", tr)
		}
	}
	m.c.Mine = func(context.Context) ([]string, error) { return nil, errors.New("no member @nobody") }
	drive(t, m, m.reload())
	if got := screen(m); !strings.Contains(got, "mine ?") || !strings.Contains(got, "Check the config file: no member @nobody") {
		t.Fatalf("a me that names nobody:\n%s", got)
	}
}

// A write shows its result from what the writer returned, not from a
// reload: the list and the detail must be what a reload would show.
func TestTriageWriteShowsWhatAReloadWould(t *testing.T) {
	m, _, _ := newTriageModel(t, false)
	q := m.tabs[tabQuestions].(*questionsTab)
	steps := [][]string{{"d"}, {"s", "enter"}, {"v", "v", "v", "v", "v", "d"}, {"enter", "d"}, {"d"}}
	for _, keys := range steps {
		press(t, m, keys...)
		patched, rows := screen(m), len(q.rows)
		drive(t, m, m.reload())
		if got := screen(m); got != patched || len(q.rows) != rows {
			t.Fatalf("after %v the patched frame differs from a reload:\n%s\nreload:\n%s", keys, patched, got)
		}
	}
	if !q.detail.open || !strings.Contains(screen(m), "Status        waiting") || !strings.Contains(screen(m), "reopened") {
		t.Fatalf("the steps did not end on a reopened question's detail:\n%s", screen(m))
	}
}

// Over SSH (a program with a user), the mine queue does not send the
// manager to a config file that belongs to whoever runs the server.
func TestMineQueueOverSSH(t *testing.T) {
	m, _, _ := newTriageModel(t, false)
	m.c.User = "ana"
	press(t, m, "v")
	if got := screen(m); !strings.Contains(got, "Over SSH, hearth does not know which member you are") || strings.Contains(got, "config file") {
		t.Fatalf("mine queue over SSH:\n%s", got)
	}
}
