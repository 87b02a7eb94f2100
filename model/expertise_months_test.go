package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestMonthsBeforeMatchRank: an index loaded with the months before a
// month, from an index that kept months, answers as the full computation
// with the evidence before that month's first moment, for random evidence
// whose times come in any order (and far enough apart to rebase once).
func TestMonthsBeforeMatchRank(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	paths := []string{"net/tls/conn.go", "net/http/server.go", "storage/wal.go", "docs/storage.md"}
	topics := []string{"storage", "networking", "docs"}
	kinds := []Kind{KindCommit, KindReview, KindComment, KindMessage, KindAnswer}
	var evidence []Evidence
	for range 600 {
		e := Evidence{Member: int64(1 + r.IntN(25)), Kind: kinds[r.IntN(len(kinds))],
			At:    exNow.Add(-time.Duration(r.IntN(3*365*24*3600)) * time.Second),
			Paths: []string{paths[r.IntN(len(paths))]}, Topics: []string{topics[r.IntN(len(topics))]}}
		evidence = append(evidence, e)
	}
	// Forty years earlier, added first: the index takes its moment as the
	// reference and rebases when it meets the rest.
	evidence = append([]Evidence{{Member: 7, Kind: KindCommit, At: exNow.AddDate(-40, 0, 0), Topics: []string{"storage"}}}, evidence...)
	tags := []Evidence{{Member: 3, Kind: KindTagged, Topics: []string{"storage"}}, {Member: 30, Kind: KindTagged, Topics: []string{"docs"}}}

	kept := NewExpertIndex(ExpertiseParams{})
	kept.KeepMonths()
	for _, e := range evidence {
		kept.Add(e)
	}
	var cells []CellMonths
	err := kept.EachCellMonths(func(h CellMonths) error {
		h.Months = slices.Clone(h.Months)
		for i := range h.Months {
			h.Months[i].Kinds = slices.Clone(h.Months[i].Kinds)
		}
		cells = append(cells, h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queries := []ExpertQuery{
		{Words: []string{"storage"}}, {Words: []string{"tls", "docs"}}, {Paths: []string{"net/tls/record.go"}},
		{Paths: []string{"storage/"}, Limit: 30},
	}
	answered := 0
	for _, month := range []int{MonthIndex(exNow) - 30, MonthIndex(exNow) - 13, MonthIndex(exNow) - 1, MonthIndex(exNow) + 1} {
		loaded := NewExpertIndexAt(ExpertiseParams{}, kept.Ref())
		for _, h := range cells {
			c, active, ok := h.Before(month)
			if ok && h.Area == rootArea {
				loaded.LoadMember(MemberActivity{All: c, Active: active})
			} else if ok {
				loaded.LoadCell(c)
			}
		}
		for _, e := range tags {
			loaded.Add(e)
		}
		for _, q := range queries {
			q.Before = MonthStart(month)
			got := loaded.Rank(q)
			want := RankExperts(append(slices.Clone(evidence), tags...), q, ExpertiseParams{})
			what := fmt.Sprintf("%v before %s", append(q.Words, q.Paths...), q.Before.Format(time.DateOnly))
			if len(got) != len(want) {
				t.Fatalf("%s: %d suggestions, want %d", what, len(got), len(want))
			}
			for i := range got {
				g, w := got[i], want[i]
				if math.Abs(g.Score-w.Score) > 1e-9*w.Score || g.Member == w.Member && !slices.Equal(g.Evidence, w.Evidence) {
					t.Fatalf("%s: rank %d: got %+v, want %+v", what, i, g, w)
				}
			}
			if len(got) > 0 {
				answered++
			}
		}
	}
	if answered < 10 {
		t.Fatalf("only %d answers named anyone", answered)
	}
}

func TestMonthStart(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.FixedZone("x", 5*3600)),
	} {
		m := MonthIndex(at)
		s := MonthStart(m)
		if MonthIndex(s) != m || s.After(at) || MonthIndex(s.Add(-time.Second)) != m-1 {
			t.Errorf("MonthStart(MonthIndex(%s)) = %s", at, s)
		}
	}
}
