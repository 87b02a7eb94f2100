package model

import (
	"fmt"
	"testing"
	"time"
)

// overviewCommunity is a small mixed community: people arriving over a
// year, some contributing, some reviewing, one flagged core.
func overviewCommunity() []HealthMember {
	var ms []HealthMember
	for i := range 40 {
		var acts []Act
		start := healthNow.AddDate(0, -(i % 14), -(i % 9))
		acts = append(acts, Act{At: start.Unix(), Kind: ActKindOf(KindQuestion)})
		for j := range i % 7 {
			k := KindComment
			switch {
			case i%3 == 0:
				k = KindCommit
			case i%5 == 0 && j > 1:
				k = KindReview
			}
			acts = append(acts, Act{At: start.AddDate(0, j, 3).Unix(), Kind: ActKindOf(k)})
		}
		orgs := []string{"", "Kestrel", "Osprey"}
		ms = append(ms, HealthMember{ID: int64(i + 1), Name: fmt.Sprintf("m%02d", i), Org: orgs[i%3], Acts: acts, Staff: i%11 == 0})
	}
	ms[5].Flags.Core = true
	return ms
}

// TestDoorsMatchFigures: every number of the overview has a door whose
// people are exactly as many as the number says.
func TestDoorsMatchFigures(t *testing.T) {
	o := DefaultHealthOptions(healthNow)
	o.Doors, o.Top = true, 0
	at := func(d, hr int) time.Time { return healthNow.AddDate(0, 0, -d).Add(time.Duration(hr) * time.Hour) }
	qs := []QuestionTiming{
		{ID: 1, Source: "a", Created: at(10, 0), FirstResponse: at(10, 2)},
		{ID: 2, Source: "a", Created: at(40, 0)},
		{ID: 3, Source: "b", Created: at(5, 0), FirstResponse: at(5, 4), SelfReply: true},
		{ID: 4, Source: "b", Created: at(3, 0), Closed: at(2, 0)},
		{ID: 5, Source: "b", Created: at(2, 0), AuthorBot: true},
		{ID: 6, Source: "b", Created: at(500, 0)},
	}
	h := ComputeHealth(overviewCommunity(), qs, o)
	if got, want := len(h.Doors.Questions[DoorUnanswered]), h.Unanswered[len(h.Unanswered)-1].N; got != want || want != 3 {
		t.Errorf("unanswered door %d, figure %d (want 3)", got, want)
	}
	for _, m := range ResponseAll(qs, h.Since, h.AsOf).Months {
		if got := len(h.Doors.Questions[DoorAsked(m.Month)]); got != m.Asked {
			t.Errorf("asked in %s: door %d, figure %d", m.Month, got, m.Asked)
		}
	}
	check := func(key string, want int) {
		t.Helper()
		if got := len(h.Doors.IDs[key]); got != want {
			t.Errorf("door %s: %d people, the figure says %d", key, got, want)
		}
	}
	for _, s := range Stages {
		check(DoorReached(s), h.Funnel.Reached(s))
	}
	check(DoorNew, h.Funnel.New)
	check(DoorLapsed, h.Funnel.Lapsed)
	active := 0
	for _, m := range h.Months {
		check(DoorMonth("active", m.Month), m.Active)
		check(DoorMonth("new", m.Month), m.New)
		check(DoorMonth("contributors", m.Month), m.NewContributors)
		active += m.Active
	}
	if active == 0 {
		t.Fatal("no active members in any month")
	}
	for _, c := range h.Conversion {
		check(DoorConversion(c.From, c.Quarter, false), c.Entered)
		check(DoorConversion(c.From, c.Quarter, true), c.Advanced)
	}
	for _, c := range h.Cohorts {
		check(DoorCohort(c.Month, 0), c.Size)
		for j, n := range c.Retained {
			check(DoorCohort(c.Month, 1+j), max(n, 0))
		}
		check(DoorCohort(c.Month, 5), c.Contributors)
	}
	check(DoorBus, h.Bus.N)
	check(DoorReady, len(h.Ready))
	check(DoorAtRisk, len(h.AtRisk))
	if len(h.Roster()) != h.Members {
		t.Errorf("roster %d, members %d", len(h.Roster()), h.Members)
	}
}

// TestWindow: each window moves the start of the series and the factors'
// window; all time starts with the first activity's month.
func TestWindow(t *testing.T) {
	o := DefaultHealthOptions(healthNow)
	ms := overviewCommunity()
	if w := o.ForWindow(12, ms); !w.Since.Equal(DefaultSince(healthNow)) || w.FactorWindow != 365*day {
		t.Errorf("12 months: since %v, factors over %v", w.Since, w.FactorWindow)
	}
	if w := o.ForWindow(3, ms); !w.Since.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("3 months: since %v", w.Since)
	}
	if w := o.ForWindow(AllTime, ms); !w.Since.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)) { // 13 months and a week ago
		t.Errorf("all time: since %v", w.Since)
	}
	for _, s := range []string{"3m", "6", "12m", "all"} {
		if _, err := ParseWindow(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "0m", "x", "-3m"} {
		if _, err := ParseWindow(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

// TestResponseAll: every source together is the sum of the sources'
// counts, and its median lies within theirs.
func TestResponseAll(t *testing.T) {
	at := func(d, h int) time.Time { return healthNow.AddDate(0, 0, -d).Add(time.Duration(h) * time.Hour) }
	qs := []QuestionTiming{
		{Source: "a", Created: at(10, 0), FirstResponse: at(10, 2)},
		{Source: "a", Created: at(40, 0), FirstResponse: at(40, 6)},
		{Source: "b", Created: at(5, 0), FirstResponse: at(5, 4)},
		{Source: "b", Created: at(3, 0)},
		{Source: "b", Created: at(2, 0), AuthorBot: true},
	}
	since := DefaultSince(healthNow)
	all := ResponseAll(qs, since, healthNow)
	if all.Total.Asked != 4 || all.Total.Answered != 3 || all.Total.Unanswered != 1 || all.Total.Median != 4*time.Hour {
		t.Errorf("all sources %+v", all.Total)
	}
	n := 0
	for _, m := range all.Months {
		n += m.Asked
	}
	if n != 4 || len(all.Months) != 13 {
		t.Errorf("%d asked over %d months", n, len(all.Months))
	}
}

func TestFilterSubset(t *testing.T) {
	f := NewFieldFilter([]string{"Ann Kestrel", "Bo Osprey", "Cy Kestrel"}, []string{"stage:core", "stage:regular", "stage:core"})
	s := f.Subset([]int32{2, 1})
	if got := s.Match("kestrel"); len(got) != 1 || got[0] != 0 {
		t.Errorf("kestrel in the subset: %v", got)
	}
	if got := s.Match("stage:regular"); len(got) != 1 || got[0] != 1 {
		t.Errorf("stage:regular in the subset: %v", got)
	}
}
