package model

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestMonthOfUnix(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	edges := []int64{0, -1, 1, 86399, 86400, -86400, -86401, 951782400, 951868800, 4107542399, 4107542400}
	for i := range 200_000 {
		var x int64
		if i < len(edges) {
			x = edges[i]
		} else {
			x = r.Int64N(1<<37) - 1<<36 // about ±2,000 years
		}
		if got, want := monthOfUnix(x), MonthIndex(time.Unix(x, 0)); got != want {
			t.Fatalf("%d (%v): month %d, want %d", x, time.Unix(x, 0).UTC(), got, want)
		}
	}
}

// TestHistoryMatchesTally: the history built for the health figures is
// what a tally keeps, so the standing is the same.
func TestHistoryMatchesTally(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	kinds := []Kind{KindCommit, KindReview, KindComment, KindMergedOther, KindPRMerged, KindQuestion}
	for range 300 {
		var acts []Act
		for range r.IntN(30) {
			acts = append(acts, Act{At: healthNow.Unix() - r.Int64N(3*365*86400), Kind: ActKindOf(kinds[r.IntN(len(kinds))])})
		}
		slices.SortFunc(acts, func(a, b Act) int { return int(a.At - b.At) })
		tl := NewTally(healthNow, DefaultRules())
		for _, a := range acts {
			tl.Add(a.Kind.Kind(), time.Unix(a.At, 0).UTC(), nil)
		}
		h := history(acts)
		want := tl.History
		h.Kinds, want.Kinds = nil, nil // not kept: no figure reads them
		if h.Activities != want.Activities || h.Contributions != want.Contributions || !h.First.Equal(want.First) ||
			!h.Last.Equal(want.Last) || !h.FirstContrib.Equal(want.FirstContrib) || !h.LastContrib.Equal(want.LastContrib) ||
			h.FirstContribK != want.FirstContribK || !slices.Equal(h.ContribMonths, want.ContribMonths) ||
			!slices.Equal(h.StewardMonths, want.StewardMonths) {
			t.Fatalf("history %+v\nwant %+v", h, want)
		}
		f := Flags{}
		if !equalStanding(h.Standing(f, healthNow, DefaultRules()), tl.Standing(f)) {
			t.Fatalf("standing differs")
		}
	}
}

func equalStanding(a, b Standing) bool {
	return a.Stage == b.Stage && a.New == b.New && a.Lapsed == b.Lapsed && slices.Equal(a.Evidence, b.Evidence)
}

// TestStandingQuick: the standing without evidence agrees with
// History.Standing on random histories, flags and dates.
func TestStandingQuick(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	kinds := []Kind{KindCommit, KindReview, KindComment, KindMergedOther}
	for range 2000 {
		var acts []Act
		for range r.IntN(40) {
			acts = append(acts, Act{At: healthNow.Unix() - r.Int64N(2*365*86400), Kind: ActKindOf(kinds[r.IntN(len(kinds))])})
		}
		slices.SortFunc(acts, func(a, b Act) int { return int(a.At - b.At) })
		h := history(acts)
		f := Flags{Core: r.IntN(20) == 0, Maintainer: r.IntN(20) == 0}
		now := healthNow.Add(-time.Duration(r.IntN(200)) * 24 * time.Hour)
		want := h.Standing(f, now, DefaultRules())
		got := quickStanding(&h, f, now, DefaultRules())
		if got.Stage != want.Stage || got.New != want.New || got.Lapsed != want.Lapsed {
			t.Fatalf("standing %+v, want %+v", got, want)
		}
	}
}

func TestMonthCursor(t *testing.T) {
	var c monthCursor
	r := rand.New(rand.NewPCG(7, 8))
	x := healthNow.Unix() - 3*365*86400
	for range 100_000 {
		x += r.Int64N(86400 * 3)
		if r.IntN(50) == 0 {
			x -= r.Int64N(86400 * 90) // out of order now and then
		}
		if got, want := c.of(x), MonthIndex(time.Unix(x, 0)); got != want {
			t.Fatalf("%v: %d, want %d", time.Unix(x, 0).UTC(), got, want)
		}
	}
}

func TestMonthStartUnix(t *testing.T) {
	for m := -24000; m < 30000; m += 7 {
		if got, want := monthStartUnix(m), monthStart(m).Unix(); got != want {
			t.Fatalf("month %d: %d, want %d", m, got, want)
		}
	}
}
