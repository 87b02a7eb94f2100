package ui

import (
	"strings"
	"testing"
)

// TestEventsReadOnlySaysWhy: without a writer no planning key is offered,
// and pressing one opens no form but says why in the status line.
func TestEventsReadOnlySaysWhy(t *testing.T) {
	m := newTestModel(t, newFakeStore(50), 100, 30)
	press(t, m, "4")
	if got := screen(m); strings.Contains(got, "a add") || strings.Contains(got, "x delete") {
		t.Fatalf("read-only help offers planning keys:\n%s", got)
	}
	for _, keys := range [][]string{{"a"}, {"e"}, {"x"}, {"enter", "a"}, {"e"}, {"x"}} {
		press(t, m, keys...)
		ev := m.tabs[tabEvents].(*eventsTab)
		if ev.form != nil {
			t.Fatalf("%v opened a form without a writer", keys)
		}
		if got := screen(m); !strings.Contains(got, "read-only: events cannot be planned in this session") {
			t.Fatalf("%v: the status line does not say why:\n%s", keys, got)
		}
	}
}
