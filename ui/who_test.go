package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestWhoLookup: w opens the lookup on the Topics view from any tab; a
// query ranks people with evidence; enter opens the first in Members; esc
// steps back and closes.
func TestWhoLookup(t *testing.T) {
	m := newTestModel(t, demoStore(t, 200), 120, 40)
	press(t, m, "3", "w")
	if m.lookup == nil || !strings.Contains(screen(m), "Who knows…") || !strings.Contains(screen(m), "ACTIVE") {
		t.Fatalf("w did not open the lookup on the topics:\n%s", screen(m))
	}
	typeText(t, m, "storage")
	press(t, m, "enter")
	s := screen(m)
	if !strings.Contains(s, " 1. ") || !strings.Contains(s, "on storage since") {
		t.Fatalf("no ranked people with evidence for storage:\n%s", s)
	}
	first := m.lookup.experts[0]
	press(t, m, "enter")
	if m.lookup != nil || m.active != tabMembers || m.members.opened != first.ID || !m.members.detail.open {
		t.Fatalf("enter did not open %s in Members (tab %d, opened %d)", first.Name, m.active, m.members.opened)
	}
	if s := screen(m); !strings.Contains(s, "Knows about") || !strings.Contains(s, "since") {
		t.Fatalf("the member's detail shows no areas:\n%s", s)
	}

	// A word nobody knows says so, with the closest topics.
	press(t, m, "esc", "w")
	typeText(t, m, "storag")
	press(t, m, "enter")
	if s := screen(m); !strings.Contains(s, "Nobody found") || !strings.Contains(s, "closest topics: storage") {
		t.Fatalf("no hint for a misspelt topic:\n%s", screen(m))
	}
	// esc clears the results, then closes.
	press(t, m, "esc", "esc", "esc")
	if m.lookup != nil {
		t.Fatalf("esc did not close the lookup:\n%s", screen(m))
	}
	// T opens the Topics view; enter asks who knows the topic under the cursor.
	press(t, m, "T", "enter")
	if m.lookup == nil || m.lookup.query == "" || len(m.lookup.experts) == 0 {
		t.Fatalf("enter on a topic asked nothing:\n%s", screen(m))
	}
}

// TestQuestionSuggestions: a question's detail suggests answerers, not its
// asker, and A assigns the first through the triage writer.
func TestQuestionSuggestions(t *testing.T) {
	st := demoStore(t, 200)
	m := New(Options{Store: st, Writer: st.Writer("test"), DBPath: "x", Theme: "dark", Now: func() time.Time { return testNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	drive(t, m, m.Init())
	press(t, m, "3", "enter")
	q := m.tabs[tabQuestions].(*questionsTab)
	if len(q.suggested) == 0 || !strings.Contains(screen(m), "Who could answer") {
		t.Fatalf("no suggestions on the question's detail:\n%s", screen(m))
	}
	for _, s := range q.suggested {
		if s.name == q.shown.Author {
			t.Errorf("the asker %s is suggested", s.name)
		}
	}
	want := q.suggested[0].assignee
	press(t, m, "A")
	if !strings.Contains(screen(m), "Assigned to   "+want) {
		t.Fatalf("A did not assign %s:\n%s", want, screen(m))
	}
}

// TestTopicsScroll: with more topics than lines, moving the cursor past
// the bottom scrolls the Topics view so the chosen topic stays on
// screen, under the headings that stay put; moving back up brings the
// first topic back.
func TestTopicsScroll(t *testing.T) {
	const height = 20
	m := newTestModel(t, demoStore(t, 200), 120, height)
	press(t, m, "T")
	if m.lookup == nil {
		t.Fatal("T did not open the Topics view")
	}
	stats := m.lookup.topics.stats
	// The tab bar, status line, footer, query line, a blank line and two
	// headings leave height-7 lines for topics.
	if len(stats) <= height-7 {
		t.Fatalf("the demo has %d topics: too few to need scrolling at %d lines", len(stats), height)
	}
	check := func(what string) {
		t.Helper()
		s := screen(m)
		if n := len(strings.Split(s, "\n")); n != height {
			t.Fatalf("%s: the screen has %d lines, want %d:\n%s", what, n, height, s)
		}
		if !strings.Contains(s, "Topics · ") || !strings.Contains(s, "ACTIVE") {
			t.Fatalf("%s: the headings scrolled away:\n%s", what, s)
		}
		name := stats[m.lookup.cursor].Name
		if !strings.Contains(s, name) {
			t.Fatalf("%s: the chosen topic %d (%s) is not on screen:\n%s", what, m.lookup.cursor, name, s)
		}
	}
	for i := range len(stats) + 2 {
		press(t, m, "down")
		if want := min(i+1, len(stats)-1); m.lookup.cursor != want {
			t.Fatalf("down %d times: cursor at %d, want %d", i+1, m.lookup.cursor, want)
		}
		check("going down")
	}
	if s := screen(m); strings.Contains(s, stats[0].Name+" ") {
		t.Errorf("the first topic %s is still shown at the last:\n%s", stats[0].Name, s)
	}
	for range len(stats) {
		press(t, m, "up")
		check("going up")
	}
	if m.lookup.cursor != 0 {
		t.Fatalf("cursor at %d after going back up", m.lookup.cursor)
	}
}

// TestScrollStart: the first row shown keeps the cursor's row on screen
// and never leaves blank lines at the end.
func TestScrollStart(t *testing.T) {
	for _, c := range []struct{ at, n, room, want int }{
		{0, 5, 10, 0}, {4, 5, 10, 0}, // everything fits
		{9, 30, 10, 0},   // the last line
		{10, 30, 10, 4},  // one past it: a third of a screen ahead
		{29, 30, 10, 20}, // the last row at the bottom
		{28, 30, 10, 20},
		{0, 30, 0, 0},
	} {
		got := scrollStart(c.at, c.n, c.room)
		if got != c.want {
			t.Errorf("scrollStart(%d, %d, %d) = %d, want %d", c.at, c.n, c.room, got, c.want)
		}
		if c.room > 0 && (c.at < got || c.at >= got+c.room) {
			t.Errorf("scrollStart(%d, %d, %d) = %d leaves the row off screen", c.at, c.n, c.room, got)
		}
	}
}
