package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLoadedIndexMatchesFull stores a full index as cells, loads back only
// what a store loads for each query (the query's areas, the members found
// there, the totals of all members) and compares the rankings.
func TestLoadedIndexMatchesFull(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	dirs := []string{"a/", "a/b/", "a/b/c/", "d/", "d/e/"}
	ref := exNow.AddDate(-1, 0, 0)
	full := NewExpertIndexAt(ExpertiseParams{}, ref)
	for range 500 {
		var paths []string
		for range 1 + r.IntN(3) {
			paths = append(paths, dirs[r.IntN(len(dirs))]+fmt.Sprintf("f%d.go", r.IntN(4)))
		}
		full.Add(Evidence{Member: int64(1 + r.IntN(30)), At: exNow.Add(-time.Duration(r.IntN(20000)) * time.Hour),
			Kind: []Kind{KindCommit, KindReview, KindComment}[r.IntN(3)], Paths: paths,
			Topics: []string{[]string{"x", "y", "z"}[r.IntN(3)]}})
	}
	full.Add(Evidence{Member: 7, Kind: KindTagged, Topics: []string{"x"}})
	if full.Rebased(ref) {
		t.Fatal("the index moved its reference moment")
	}
	cells, rows := full.Cells(), full.Members()
	var total, fixed, top float64
	for _, m := range rows {
		total, fixed, top = total+m.All.Weight, fixed+m.All.Fixed, max(top, m.Active)
	}
	for _, q := range []ExpertQuery{
		{Paths: []string{"a/b/f1.go"}}, {Paths: []string{"d/"}, Words: []string{"x"}}, {Words: []string{"y", "e"}},
		{Words: []string{"x"}, Exclude: func(m int64) bool { return m%3 == 0 }}, {Paths: []string{"q/new.go"}},
	} {
		q.Now, q.Limit = exNow, 15
		want := full.Rank(q)

		wanted := map[string]bool{}
		for _, p := range q.Paths {
			for _, a := range PathAreas(p) {
				wanted[a] = true
			}
		}
		loaded := NewExpertIndexAt(ExpertiseParams{}, ref)
		found := map[int64]bool{}
		for _, c := range cells {
			name := strings.TrimSuffix(c.Area, "/")
			name = name[strings.LastIndexByte(name, '/')+1:]
			name, _, _ = strings.Cut(name, ".")
			if wanted[c.Area] || slices.ContainsFunc(q.Words, func(w string) bool { return c.Area == "topic:"+w || name == w }) {
				loaded.LoadCell(c)
				found[c.Member] = true
			}
		}
		for _, m := range rows {
			if found[m.All.Member] {
				loaded.LoadMember(m)
			}
		}
		loaded.SetAreaTotal(rootArea, total, fixed)
		loaded.SetTopActive(top)
		got := loaded.Rank(q)
		if len(got) != len(want) {
			t.Fatalf("%v %v: %d suggestions loaded, %d in full", q.Paths, q.Words, len(got), len(want))
		}
		for i := range want {
			if got[i].Member != want[i].Member || math.Abs(got[i].Score-want[i].Score) > 1e-9*want[i].Score ||
				!slices.Equal(got[i].Evidence, want[i].Evidence) {
				t.Fatalf("%v %v: rank %d: loaded %v, full %v", q.Paths, q.Words, i, got[i], want[i])
			}
		}
	}
}

func TestEvidenceLineNamesTopKinds(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }
	c := ExpertCell{Area: "engine/compaction/", First: day(2025, 3, 4), Last: day(2026, 11, 2),
		Kinds: []KindCount{{KindReview, 1}, {KindCommit, 38}, {KindPROpened, 5}, {KindComment, 2}, {KindStar, 1}, {KindTagged, 1}}}
	want := "38 commits, 5 PRs opened, 2 comments and 2 more under engine/compaction/ since 2025-03, last 2026-11-02; tagged under engine/compaction/ by hand"
	if got := c.Line(); got != want {
		t.Errorf("line = %q\nwant   %q", got, want)
	}
	// A tag alone has no dates to show.
	tag := ExpertCell{Area: "topic:storage", Fixed: 5, Kinds: []KindCount{{KindTagged, 1}}}
	if got := tag.Line(); got != "tagged storage by hand" {
		t.Errorf("tag line = %q", got)
	}
	one := ExpertCell{Area: "src/server.c", First: day(2026, 1, 2), Last: day(2026, 1, 20), Kinds: []KindCount{{KindMergedOther, 1}}}
	if got := one.Line(); got != "1 merge of others' work to src/server.c, 2026-01-20" {
		t.Errorf("one line = %q", got)
	}
}
