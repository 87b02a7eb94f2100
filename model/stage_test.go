package model

import (
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func daysAgo(d int) time.Time { return now.AddDate(0, 0, -d) }

type act struct {
	kind Kind
	at   time.Time
}

func standing(t *testing.T, flags Flags, acts ...act) (Standing, *Tally) {
	t.Helper()
	tl := NewTally(now, DefaultRules())
	for _, a := range acts {
		tl.Add(a.kind, a.at, nil)
	}
	return tl.Standing(flags), tl
}

func TestStageRules(t *testing.T) {
	monthly := func(kind Kind, months int, lastDaysAgo int) []act {
		var out []act
		for i := 0; i < months; i++ {
			out = append(out, act{kind, daysAgo(lastDaysAgo + 31*i)})
		}
		return out
	}
	cases := []struct {
		name       string
		acts       []act
		flags      Flags
		want       Stage
		wantNew    bool
		wantLapsed bool
		evidence   string
	}{
		{name: "nothing", want: StageNone},
		{name: "only stars", acts: []act{{KindStar, daysAgo(200)}, {KindStar, daysAgo(100)}}, want: StageParticipant, evidence: "2 activities"},
		{name: "asked a question", acts: []act{{KindQuestion, daysAgo(400)}}, want: StageParticipant},
		{name: "opened PR not merged", acts: []act{{KindPROpened, daysAgo(100)}}, want: StageParticipant},
		{name: "one commit", acts: []act{{KindComment, daysAgo(300)}, {KindCommit, daysAgo(200)}}, want: StageContributor, evidence: "first a commit"},
		{name: "accepted answer counts", acts: []act{{KindAcceptedAnswer, daysAgo(50)}}, want: StageContributor},
		{name: "talk counts", acts: []act{{KindTalk, daysAgo(50)}}, want: StageContributor},
		{name: "doc change counts", acts: []act{{KindDocChange, daysAgo(50)}}, want: StageContributor, evidence: "first a doc change"},
		{name: "two months is not regular", acts: monthly(KindCommit, 2, 10), want: StageContributor},
		{name: "three months is regular", acts: monthly(KindCommit, 3, 10), want: StageRegular, evidence: "contributed in 3 of the last 12 months"},
		{name: "three months but long ago", acts: monthly(KindCommit, 3, 500), want: StageContributor},
		{name: "many commits in one month is not regular", acts: []act{{KindCommit, daysAgo(1)}, {KindCommit, daysAgo(2)}, {KindCommit, daysAgo(3)}, {KindCommit, daysAgo(4)}}, want: StageContributor, wantNew: true},
		{name: "reviewer is core", acts: append(monthly(KindCommit, 1, 5), monthly(KindReview, 5, 3)...), want: StageCore, evidence: "5 reviews or merges"},
		{name: "four reviews is not core", acts: monthly(KindReview, 4, 3), want: StageParticipant},
		{name: "old reviews do not make core", acts: monthly(KindReview, 6, 400), want: StageParticipant},
		{name: "marked core", acts: []act{{KindComment, daysAgo(9)}}, flags: Flags{Core: true}, want: StageCore, wantNew: true, evidence: "marked as core"},
		{name: "maintainer without activity", flags: Flags{Maintainer: true}, want: StageCore},
		{name: "new participant", acts: []act{{KindComment, daysAgo(3)}}, want: StageParticipant, wantNew: true},
		{name: "31 days is not new", acts: []act{{KindComment, daysAgo(31)}}, want: StageParticipant},
		{name: "lapsed regular", acts: monthly(KindCommit, 4, 100), want: StageRegular, wantLapsed: true, evidence: "lapsed: nothing since"},
		{name: "lapsed contributor is just a contributor", acts: []act{{KindCommit, daysAgo(200)}}, want: StageContributor},
		{name: "regular active recently is not lapsed", acts: monthly(KindCommit, 4, 20), want: StageRegular},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := standing(t, c.flags, c.acts...)
			if s.Stage != c.want || s.New != c.wantNew || s.Lapsed != c.wantLapsed {
				t.Fatalf("got %v new=%v lapsed=%v, want %v new=%v lapsed=%v (evidence %q)",
					s.Stage, s.New, s.Lapsed, c.want, c.wantNew, c.wantLapsed, s.Evidence)
			}
			if c.evidence != "" && !strings.Contains(strings.Join(s.Evidence, "|"), c.evidence) {
				t.Fatalf("evidence %q does not mention %q", s.Evidence, c.evidence)
			}
			if s.Stage > StageNone && len(s.Evidence) == 0 {
				t.Fatal("a stage without evidence")
			}
		})
	}
}

func TestTallyCountsAndTopics(t *testing.T) {
	tl := NewTally(now, DefaultRules())
	tl.Add(KindCommit, daysAgo(400), []string{"storage", "docs"})
	tl.Add(KindCommit, daysAgo(1), []string{"networking"})
	tl.Add(KindComment, daysAgo(2), []string{"networking", ""})
	tl.Add(KindCommit, daysAgo(500), []string{"storage"})
	if tl.Activities != 4 || tl.Contributions != 3 || tl.Count(KindCommit) != 3 {
		t.Fatalf("counts: %d activities, %d contributions", tl.Activities, tl.Contributions)
	}
	if !tl.First.Equal(daysAgo(500)) || !tl.Last.Equal(daysAgo(1)) {
		t.Fatalf("first %v last %v", tl.First, tl.Last)
	}
	// Two recent networking items outweigh two old storage ones: decay works.
	got := tl.Topics(2)
	if len(got) != 2 || got[0] != "networking" || got[1] != "storage" {
		t.Fatalf("topics %v", got)
	}
	if _, ok := tl.TopicScores()[""]; ok {
		t.Fatal("empty topic recorded")
	}
}

func TestFunnelConversion(t *testing.T) {
	var f Funnel
	for i := 0; i < 60; i++ {
		f.Add(Standing{Stage: StageParticipant})
	}
	for i := 0; i < 30; i++ {
		f.Add(Standing{Stage: StageContributor, New: i < 5})
	}
	for i := 0; i < 8; i++ {
		f.Add(Standing{Stage: StageRegular, Lapsed: i < 2})
	}
	f.Add(Standing{Stage: StageCore})
	f.Add(Standing{Stage: StageCore})
	if f.Reached(StageParticipant) != 100 || f.Reached(StageContributor) != 40 || f.Reached(StageCore) != 2 {
		t.Fatalf("reached: %d %d %d", f.Reached(StageParticipant), f.Reached(StageContributor), f.Reached(StageCore))
	}
	if got := f.Conversion(StageParticipant); got != 0.4 {
		t.Fatalf("participant→contributor %v, want 0.4", got)
	}
	if got := f.Conversion(StageRegular); got != 0.2 {
		t.Fatalf("regular→core %v, want 0.2", got)
	}
	if f.Conversion(StageCore) != 0 || (Funnel{}).Conversion(StageParticipant) != 0 {
		t.Fatal("conversion beyond core or of nobody must be 0")
	}
	if f.New != 5 || f.Lapsed != 2 {
		t.Fatalf("new %d lapsed %d", f.New, f.Lapsed)
	}
}

func TestParseStage(t *testing.T) {
	for _, s := range Stages {
		got, err := ParseStage(s.Title())
		if err != nil || got != s {
			t.Fatalf("ParseStage(%q) = %v, %v", s.Title(), got, err)
		}
	}
	if _, err := ParseStage("wizard"); err == nil {
		t.Fatal("unknown stage accepted")
	}
}

// The same instants must give the same standing whatever zone the times
// carry: stages are derived on machines in any time zone.
func TestTallyIgnoresTimeZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	// Three instants just after midnight on the first of a month in Tokyo:
	// still the previous month in UTC, so UTC sees months 3, 4, 5, and
	// local months would be 4, 5, 6.
	instants := []time.Time{
		time.Date(2026, 4, 1, 0, 30, 0, 0, tokyo),
		time.Date(2026, 5, 1, 0, 30, 0, 0, tokyo),
		time.Date(2026, 6, 1, 0, 30, 0, 0, tokyo),
	}
	utc, local := NewTally(now, DefaultRules()), NewTally(now, DefaultRules())
	for _, at := range instants {
		utc.Add(KindCommit, at.UTC(), nil)
		local.Add(KindCommit, at, nil)
	}
	a, b := utc.Standing(Flags{}), local.Standing(Flags{})
	if a.Stage != b.Stage || strings.Join(a.Evidence, "|") != strings.Join(b.Evidence, "|") {
		t.Fatalf("zone changed the standing: %v %q vs %v %q", a.Stage, a.Evidence, b.Stage, b.Evidence)
	}
	if !strings.Contains(strings.Join(a.Evidence, "|"), "first a commit on 2026-03-31") {
		t.Fatalf("evidence dates must be UTC days: %q", a.Evidence)
	}
}

func BenchmarkTallyAdd(b *testing.B) {
	kinds := []Kind{KindCommit, KindComment, KindReview, KindPROpened, KindPRMerged, KindMessage}
	topics := [][]string{{"networking"}, {"storage", "docs"}, nil}
	tl := NewTally(now, DefaultRules())
	for i := 0; b.Loop(); i++ {
		tl.Add(kinds[i%len(kinds)], daysAgo(i%900), topics[i%len(topics)])
	}
}

// A history judged again at a later date gives what a tally of the same
// activities judged at that date gives, and topics rank the same at every
// date: what lets the store rederive standings without the activities.
func TestHistoryJudgedLaterMatchesNewTally(t *testing.T) {
	kinds := []Kind{KindCommit, KindReview, KindComment, KindMergedOther, KindDocChange, KindStar}
	topics := []string{"a", "b", "c", "d"}
	rules := DefaultRules()
	for seed := 0; seed < 200; seed++ {
		acts := []act{}
		for i := 0; i < 1+seed%40; i++ {
			k := (seed*7 + i*13) % len(kinds)
			acts = append(acts, act{kinds[k], daysAgo((seed*31 + i*i*17) % 700)})
		}
		early := NewTally(now, rules)
		for i, a := range acts {
			early.Add(a.kind, a.at, []string{topics[(i*i+seed)%len(topics)]})
		}
		for _, later := range []time.Time{now, now.Add(5 * time.Hour), now.AddDate(0, 0, 17), now.AddDate(0, 2, 3), now.AddDate(1, 1, 0)} {
			fresh := NewTally(later, rules)
			for i, a := range acts {
				fresh.Add(a.kind, a.at, []string{topics[(i*i+seed)%len(topics)]})
			}
			flags := Flags{Maintainer: seed%9 == 0}
			got, want := early.History.Standing(flags, later, rules), fresh.Standing(flags)
			if got.Stage != want.Stage || got.New != want.New || got.Lapsed != want.Lapsed ||
				strings.Join(got.Evidence, "|") != strings.Join(want.Evidence, "|") {
				t.Fatalf("seed %d at %v: history gives %+v, a new tally %+v", seed, later, got, want)
			}
			if g, w := strings.Join(early.Topics(3), ","), strings.Join(fresh.Topics(3), ","); g != w {
				t.Fatalf("seed %d at %v: topics %s, a new tally %s", seed, later, g, w)
			}
		}
	}
}

// Stewardship counts from the first month of the window on, and a month
// leaving the window takes its contributions and reviews with it.
func TestWindowMovesWithTheDate(t *testing.T) {
	rules := DefaultRules()
	tl := NewTally(now, rules)
	for i := 0; i < 3; i++ {
		tl.Add(KindCommit, now.AddDate(0, -9-i, 0), nil)
	}
	for i := 0; i < 5; i++ {
		tl.Add(KindReview, now.AddDate(0, -11, 0), nil)
	}
	if s := tl.Standing(Flags{}); s.Stage != StageCore || tl.ActiveMonths() != 3 || tl.Stewardship() != 5 {
		t.Fatalf("now: %v, %d months, %d reviews", s.Stage, tl.ActiveMonths(), tl.Stewardship())
	}
	s := tl.History.Standing(Flags{}, now.AddDate(0, 1, 0), rules)
	if s.Stage != StageContributor {
		t.Fatalf("a month later: %+v, want contributor", s)
	}
}
