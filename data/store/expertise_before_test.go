package store_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"hearth/data/demo/demotest"
	"hearth/data/store"
	"hearth/model"
)

// sameExperts fails unless two answers name the same people in the same
// order with the same evidence, scores equal but for float rounding.
// Members whose scores are equal within that rounding may trade places.
func sameExperts(t *testing.T, what string, got, want []store.Expert) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d experts, the full scan finds %d:\n got  %v\n want %v", what, len(got), len(want), got, want)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.ID {
			j := slices.IndexFunc(want, func(e store.Expert) bool { return e.ID == g.ID })
			if !close(g.Score, w.Score) || j < 0 || !close(want[j].Score, g.Score) {
				t.Fatalf("%s: rank %d is %d (%g), the full scan has %d (%g)", what, i, g.ID, g.Score, w.ID, w.Score)
			}
			w = want[j]
		}
		if !close(g.Score, w.Score) || !slices.Equal(g.Evidence, w.Evidence) || g.Name != w.Name || g.Lapsed != w.Lapsed {
			t.Fatalf("%s: rank %d:\n got  %+v\n want %+v", what, i, g, w)
		}
	}
}

// TestWhoKnowsBeforeMatchesScan: on a demo community, answers as of
// several dates (mid-month, the first second of a month, before any
// activity, after all of it) from the monthly tables equal those of the
// full scan of the activities.
func TestWhoKnowsBeforeMatchesScan(t *testing.T) {
	ctx := context.Background()
	s := demotest.Fresh(t, 400, demotest.Now)
	rules := model.DefaultRules()
	dates := []time.Time{
		demotest.Now.AddDate(0, -6, 0),                  // mid-month, mid-day
		time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),    // a month's first second
		time.Date(2025, 11, 1, 0, 0, 1, 0, time.UTC),    // its second second
		demotest.Now.AddDate(-2, 0, 3),                  // early in the history
		demotest.Now.AddDate(-10, 0, 0),                 // before any activity
		demotest.Now.AddDate(0, 1, 0),                   // after all of it
		time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC), // a month's last second
	}
	queries := []store.WhoQuery{
		{Words: []string{"storage"}},
		{Words: []string{"docs", "kubernetes"}, Limit: 25},
		{Words: []string{"Networking"}},
		{Words: []string{"no-such-topic"}},
		{Paths: []string{"storage/"}},
	}
	answered := 0
	for _, at := range dates {
		for _, q := range queries {
			q.Before = at
			what := fmt.Sprintf("%v before %s", append(q.Words, q.Paths...), at.Format(time.DateTime))
			got, err := s.WhoKnows(ctx, q, demotest.Now, rules)
			if err != nil {
				t.Fatal(what, err)
			}
			want, err := s.WhoKnowsByScan(ctx, q, demotest.Now, rules)
			if err != nil {
				t.Fatal(what, err)
			}
			sameExperts(t, what, got, want)
			if len(got) > 0 {
				answered++
			}
		}
	}
	if answered < 10 {
		t.Fatalf("only %d answers had anyone: the comparison says little", answered)
	}
}
