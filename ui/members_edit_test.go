package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// The fake writer's notes, tags and flags: recorded as calls, and kept so
// that the fake store's member detail shows them (see newMemberModel).

func (w *fakeWriter) AddNote(_ context.Context, who, body string) (int64, error) {
	w.calls = append(w.calls, "note "+who+" "+body)
	if w.err != nil {
		return 0, w.err
	}
	w.notes = append(w.notes, body)
	return int64(len(w.notes)), nil
}

func (w *fakeWriter) Tag(_ context.Context, who, tag string) error {
	return w.label("tag", who, tag, true)
}

func (w *fakeWriter) Untag(_ context.Context, who, tag string) error {
	return w.label("untag", who, tag, false)
}

func (w *fakeWriter) Flag(_ context.Context, who, flag string) error {
	return w.label("flag", who, flag, true)
}

func (w *fakeWriter) Unflag(_ context.Context, who, flag string) error {
	return w.label("unflag", who, flag, false)
}

func (w *fakeWriter) label(verb, who, label string, on bool) error {
	w.calls = append(w.calls, verb+" "+who+" "+label)
	if w.err != nil {
		return w.err
	}
	if w.labels == nil {
		w.labels = map[string]bool{}
	}
	kind := strings.TrimPrefix(verb, "un")
	if on {
		w.labels[kind+" "+label] = true
	} else {
		delete(w.labels, kind+" "+label)
	}
	return nil
}

// labelsOf returns the writer's tags or flags, sorted.
func (w *fakeWriter) labelsOf(kind string) []string {
	var out []string
	for k := range w.labels {
		if l, ok := strings.CutPrefix(k, kind+" "); ok {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// newMemberModel is a program on the Members tab whose member details
// show what the fake writer wrote; member 1 has two identities.
func newMemberModel(t *testing.T, readOnly, viewer bool) (*Model, *fakeWriter) {
	t.Helper()
	s := newFakeStore(40)
	w := &fakeWriter{s: s, labels: map[string]bool{"tag speaker": true}}
	s.detail = func(m model.Member) model.MemberDetail {
		d := model.MemberDetail{Member: m, Identities: []model.Identity{{Source: "github", ExternalID: "ada", Username: "ada"}}}
		if m.ID == 1 {
			d.Identities = append(d.Identities, model.Identity{Source: "git", ExternalID: "ada@example.org"})
		}
		d.Tags, d.Flags = w.labelsOf("tag"), w.labelsOf("flag")
		for _, n := range w.notes {
			d.Notes = append(d.Notes, model.Note{Body: n, Created: testNow})
		}
		return d
	}
	m := New(Options{Store: s, Writer: w, ReadOnly: readOnly, Viewer: viewer, DBPath: "/srv/hearth/community.db",
		Theme: "dark", Now: nowFunc, Zone: time.UTC})
	m.Update(tea.WindowSizeMsg{Width: 110, Height: 30})
	drive(t, m, m.Init())
	return m, w
}

func pressMsg(t *testing.T, m *Model, msgs ...tea.KeyPressMsg) {
	t.Helper()
	for _, k := range msgs {
		_, cmd := m.Update(k)
		drive(t, m, cmd)
	}
}

var (
	spaceKey = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	rightKey = tea.KeyPressMsg{Code: tea.KeyRight}
)

func TestMemberNoteFromList(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	if got := screen(m); !strings.Contains(got, "n note") || !strings.Contains(got, "t tags") {
		t.Fatalf("the help does not offer the member keys:\n%s", got)
	}
	press(t, m, "n")
	if got := screen(m); !strings.Contains(got, "Note on Ada Lovelace") {
		t.Fatalf("note editor:\n%s", got)
	}
	// An empty note writes nothing.
	pressMsg(t, m, saveKey)
	wantCalls(t, w)
	press(t, m, "n")
	typeText(t, m, "Offered to speak in Berlin, q to quit")
	press(t, m, "enter")
	typeText(t, m, "(autumn)")
	pressMsg(t, m, saveKey)
	wantCalls(t, w, "note github:ada Offered to speak in Berlin, q to quit\n(autumn)")
	if got := statusLine(m); !strings.Contains(got, "note added · u undo") {
		t.Fatalf("status line: %q", got)
	}
	// The prompt closed; u still undoes.
	press(t, m, "u")
	wantCalls(t, w, w.calls[0], "undo")
	// The detail shows the note.
	press(t, m, "enter")
	if got := screen(m); !strings.Contains(got, "Offered to speak in Berlin") {
		t.Fatalf("detail after the note:\n%s", got)
	}
}

func TestMemberTagsFromDetail(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	press(t, m, "enter")
	if got := screen(m); !strings.Contains(got, "Tags") || !strings.Contains(got, "speaker") {
		t.Fatalf("detail before tagging:\n%s", got)
	}
	press(t, m, "t")
	if got := screen(m); !strings.Contains(got, "now: speaker") {
		t.Fatalf("tags prompt:\n%s", got)
	}
	typeText(t, m, "+berlin -speaker  rust")
	press(t, m, "enter")
	// A tag removed comes off both identities of the member.
	wantCalls(t, w, "tag github:ada berlin", "untag github:ada speaker", "untag git:ada@example.org speaker", "tag github:ada rust")
	if got := statusLine(m); !strings.Contains(got, "tags +berlin -speaker +rust") {
		t.Fatalf("status line: %q", got)
	}
	// The open detail was reloaded.
	if got := screen(m); !strings.Contains(got, "Tags          berlin, rust\n") {
		t.Fatalf("detail after tagging:\n%s", got)
	}
	// esc cancels without writing.
	press(t, m, "t")
	typeText(t, m, "+x")
	press(t, m, "esc")
	if len(w.calls) != 4 || m.members.edit != nil {
		t.Fatalf("esc wrote or kept the prompt: %v", w.calls)
	}
}

func TestMemberFlags(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	press(t, m, "f")
	if got := screen(m); !strings.Contains(got, "[ ] speaker") || !strings.Contains(got, "[ ] do-not-contact") {
		t.Fatalf("flag chooser:\n%s", got)
	}
	// Letters do not type into the chooser: q does not quit, n does not
	// open a note.
	press(t, m, "q", "n")
	pressMsg(t, m, spaceKey, rightKey, spaceKey, rightKey, spaceKey, spaceKey)
	if got := screen(m); !strings.Contains(got, "[x] speaker") || !strings.Contains(got, "[x] mentor") || !strings.Contains(got, "[ ] staff") {
		t.Fatalf("flag chooser after toggling:\n%s", got)
	}
	press(t, m, "enter")
	wantCalls(t, w, "flag github:ada speaker", "flag github:ada mentor")
	if got := statusLine(m); !strings.Contains(got, "flags +speaker +mentor") {
		t.Fatalf("status line: %q", got)
	}
	// The chooser starts from the member's flags; unsetting one removes it
	// from every identity.
	press(t, m, "f")
	pressMsg(t, m, spaceKey)
	press(t, m, "enter")
	wantCalls(t, w, w.calls[0], w.calls[1], "unflag github:ada speaker", "unflag git:ada@example.org speaker")
	// Nothing changed: nothing written.
	press(t, m, "f", "enter")
	if len(w.calls) != 4 {
		t.Fatalf("an unchanged chooser wrote: %v", w.calls)
	}
	if got := statusLine(m); !strings.Contains(got, "flags unchanged") {
		t.Fatalf("status line: %q", got)
	}
}

func TestMemberWriteError(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	w.err = errors.New("database is locked")
	press(t, m, "t")
	typeText(t, m, "berlin")
	press(t, m, "enter")
	if got := statusLine(m); !strings.Contains(got, "database is locked") {
		t.Fatalf("status line after a failed write: %q", got)
	}
}

func TestMemberKeysReadOnly(t *testing.T) {
	for _, c := range []struct {
		name             string
		readOnly, viewer bool
	}{{"read-only", true, false}, {"viewer", false, true}} {
		t.Run(c.name, func(t *testing.T) {
			m, w := newMemberModel(t, c.readOnly, c.viewer)
			if got := screen(m); strings.Contains(got, "t tags") || strings.Contains(got, "f flags") {
				t.Fatalf("a read-only program offers the member keys:\n%s", got)
			}
			for _, open := range []bool{false, true} {
				if open {
					press(t, m, "enter")
				}
				for _, k := range []string{"n", "t", "f"} {
					press(t, m, k)
					if c.viewer && !strings.Contains(statusLine(m), "read-only: viewers cannot edit members") {
						t.Fatalf("a viewer's %q says nothing: %q", k, statusLine(m))
					}
					if m.members.edit != nil || m.members.Capturing() {
						t.Fatalf("%q opened an edit", k)
					}
					typeText(t, m, "x")
					press(t, m, "enter")
				}
			}
			if len(w.calls) != 0 {
				t.Fatalf("a read-only program wrote: %v", w.calls)
			}
		})
	}
}

// The filter reads fields, tags and flags among them: the rows carry
// what people wrote about the members.
func TestMemberFilterFields(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	w.s.labels = map[int64]store.Labels{
		3: {Tags: []string{"speaker"}, Flags: []string{"mentor"}},
		7: {Tags: []string{"speaker", "rust"}},
	}
	drive(t, m, m.reload())
	press(t, m, "/")
	typeText(t, m, "stage:core")
	var stages []string
	for _, r := range m.members.list.filter.Match("stage:core") {
		stages = append(stages, m.members.members[r].Standing.Stage.String())
	}
	if len(stages) == 0 || slices.ContainsFunc(stages, func(s string) bool { return s != "core" }) {
		t.Fatalf("stage:core found %v", stages)
	}
	if got := screen(m); !strings.Contains(got, model.Thousands(len(stages))+" of 40") {
		t.Fatalf("filtered list:\n%s", got)
	}
	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"tag:speaker", []int64{3, 7}},
		{"flag:mentor", []int64{3}},
		{"tag:rust", []int64{7}},
		{"flag:staff", nil},
	} {
		press(t, m, "esc")
		press(t, m, "/")
		typeText(t, m, c.query)
		var got []int64
		for _, r := range m.members.list.filter.Match(c.query) {
			got = append(got, m.members.members[r].ID)
		}
		if !slices.Equal(got, c.want) {
			t.Fatalf("%s found %v, want %v", c.query, got, c.want)
		}
		if n := len(c.want); !strings.Contains(screen(m), fmt.Sprintf("%d of 40", n)) {
			t.Fatalf("%s: the filter line does not count %d:\n%s", c.query, n, screen(m))
		}
	}
	// The row shows them, before the topics.
	press(t, m, "esc")
	if got := screen(m); !strings.Contains(got, "mentor #speaker") {
		t.Fatalf("the row does not show the flags and tags:\n%s", got)
	}
}
