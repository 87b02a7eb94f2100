package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"hearth/model"
)

// TestFunnelOverviewDoors: on a demo, the overview fits 80×24, each number
// selected and opened lists as many people as it says, the list filters
// and opens a member, esc goes back, and the window switch recomputes.
func TestFunnelOverviewDoors(t *testing.T) {
	m := newTestModel(t, demoStore(t, 200), 80, 24)
	press(t, m, "2")
	f := m.funnel
	if f.health == nil || f.health.Doors == nil {
		t.Fatalf("no health figures: %v", f.err)
	}
	got := screen(m)
	for _, want := range []string{"Community health", "last 12 months", "Participant", "Active members", "Cohort", "First response", "Bus factor"} {
		if !strings.Contains(got, want) {
			t.Errorf("overview lacks %q:\n%s", want, got)
		}
	}
	if lines := strings.Split(got, "\n"); len(lines) > 24 {
		t.Errorf("%d lines at 80×24", len(lines))
	}

	// The first door is Participant reached; its list has that many people.
	reached := f.health.Funnel.Reached(model.StageParticipant)
	press(t, m, "enter")
	drill, ok := f.drill.(*funnelDrill)
	if !ok {
		t.Fatal("enter opened no list of people")
	}
	if n := len(drill.members); n != reached || !strings.Contains(screen(m), model.Plural(reached, "person", "people")) {
		t.Fatalf("participants: list of %d, figure %d\n%s", n, reached, screen(m))
	}
	typeText(t, m, "/core")
	press(t, m, "enter")
	for _, r := range drill.list.table.rows {
		if drill.members[r].Standing.Stage != model.StageCore {
			t.Fatalf("filter core left %+v", drill.members[r])
		}
	}
	press(t, m, "enter") // open the first core member
	if !drill.detail.open || !strings.Contains(screen(m), "Why core") {
		t.Fatalf("no member detail:\n%s", screen(m))
	}
	press(t, m, "esc", "esc", "esc") // detail, filter, list
	if f.drill != nil {
		t.Fatalf("esc did not return to the overview:\n%s", screen(m))
	}

	// Walk every door: each list holds as many people as the door's keys.
	rows := len(f.grid)
	opened, questionDoors := 0, 0
	for r := range rows {
		for c := range f.grid[r] {
			f.row, f.col = r, c
			d, _ := f.selected()
			want := len(d.ids)
			for _, k := range d.keys {
				if d.questions {
					want += len(f.health.Doors.Questions[k])
				} else {
					want += len(f.health.Doors.IDs[k])
				}
			}
			press(t, m, "enter")
			got := -1
			switch l := f.drill.(type) {
			case *funnelDrill:
				got = len(l.members)
			case *funnelQuestions:
				got = len(l.qs)
				questionDoors++
			}
			if got != want {
				t.Fatalf("door %q: list of %d, want %d", d.title, got, want)
			}
			press(t, m, "esc")
			opened++
		}
	}
	if opened < 20 || questionDoors < 2 {
		t.Errorf("only %d doors, %d of questions", opened, questionDoors)
	}

	// Moving: down from the first row reaches the next; right moves along.
	f.row, f.col = 0, 0
	press(t, m, "j", "l")
	if f.row != 1 || f.col != 1 {
		t.Errorf("after j l: row %d col %d", f.row, f.col)
	}

	// The window: 3 months changes the series and the header.
	before := len(f.health.Months)
	press(t, m, "p", "p", "p") // 12 → all → 3 → 6
	press(t, m, "p", "p")      // → 12 → all
	press(t, m, "p")           // → 3
	if f.window != 3 || len(f.health.Months) != 4 || before != 13 || !strings.Contains(screen(m), "last 3 months") {
		t.Errorf("window %v: %d months (was %d)\n%s", f.window, len(f.health.Months), before, screen(m))
	}
}

// TestFunnelOverviewWide: at 200×50 the overview uses two columns and the
// trend as a table of numbers per month.
func TestFunnelOverviewWide(t *testing.T) {
	m := newTestModel(t, demoStore(t, 200), 200, 50)
	press(t, m, "2")
	got := screen(m)
	if !regexp.MustCompile(`Contributor .*%.*New members +[0-9]`).MatchString(got) || !strings.Contains(got, "2025-06 2025-07") {
		t.Errorf("no two columns:\n%s", got)
	}
	h := m.funnel.health
	last := h.Months[len(h.Months)-1]
	if !strings.Contains(got, fmt.Sprintf("%7s", model.Thousands(last.Active))) || !strings.Contains(got, "Elephant factor") {
		t.Errorf("wide overview:\n%s", got)
	}
}
