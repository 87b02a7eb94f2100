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
