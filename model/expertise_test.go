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

var exNow = time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)

func ev(member int64, daysAgo int, paths ...string) Evidence {
	return Evidence{Member: member, At: exNow.AddDate(0, 0, -daysAgo), Kind: KindCommit, Paths: paths}
}

func members(s []Suggestion) []int64 {
	out := make([]int64, len(s))
	for i := range s {
		out[i] = s[i].Member
	}
	return out
}

func TestPathAreas(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"net/tls/conn.go", []string{"net/", "net/tls/", "net/tls/conn.go"}},
		{"net/tls/", []string{"net/", "net/tls/"}},
		{"./net//tls/../http/x.go", []string{"net/", "net/http/", "net/http/x.go"}},
		{"README", []string{"README"}},
		{"/", nil},
		{"", nil},
	} {
		if got := PathAreas(c.in); !slices.Equal(got, c.want) {
			t.Errorf("PathAreas(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDeeperSharedPrefixWins(t *testing.T) {
	evs := []Evidence{
		// 1 works a lot in net/http/, 2 a little in net/tls/.
		ev(1, 10, "net/http/a.go"), ev(1, 11, "net/http/b.go"), ev(1, 12, "net/http/c.go"),
		ev(2, 10, "net/tls/conn.go"),
		ev(3, 10, "docs/index.md"),
	}
	got := RankExperts(evs, ExpertQuery{Paths: []string{"net/tls/record.go"}, Now: exNow}, ExpertiseParams{})
	if m := members(got); len(m) < 2 || m[0] != 2 || m[1] != 1 {
		t.Fatalf("ranking for net/tls/record.go = %v, want 2 then 1", m)
	}
	// A directory query credits everyone below it by depth too.
	got = RankExperts(evs, ExpertQuery{Paths: []string{"net/http/"}, Now: exNow}, ExpertiseParams{})
	if m := members(got); m[0] != 1 {
		t.Fatalf("ranking for net/http/ = %v, want 1 first", m)
	}
	// The same file beats the same directory.
	evs = append(evs, ev(4, 10, "net/http/server.go"))
	got = RankExperts(evs, ExpertQuery{Paths: []string{"net/http/server.go"}, Now: exNow}, ExpertiseParams{})
	if m := members(got); m[0] != 4 {
		t.Fatalf("ranking for net/http/server.go = %v, want 4 first", m)
	}
}

func TestDecay(t *testing.T) {
	// Two old commits against one recent one: with the default half-life
	// of 180 days, two commits three years old weigh 2/64 of one today.
	evs := []Evidence{ev(1, 3*365, "a/x.go"), ev(1, 3*365, "a/y.go"), ev(2, 1, "a/z.go")}
	q := ExpertQuery{Paths: []string{"a/"}, Now: exNow}
	if m := members(RankExperts(evs, q, ExpertiseParams{})); m[0] != 2 {
		t.Fatalf("with the default half-life: %v, want 2 first", m)
	}
	// With a long half-life frequency wins.
	if m := members(RankExperts(evs, q, ExpertiseParams{HalfLife: 100 * 365 * 24 * time.Hour, Active: -1})); m[0] != 1 {
		t.Fatalf("with a century's half-life: %v, want 1 first", m)
	}
	// The weight halves per half-life: a single member's raw decayed value.
	for _, c := range []struct {
		days int
		want float64
	}{{180, 0.5}, {360, 0.25}, {0, 1}} {
		ix := NewExpertIndex(ExpertiseParams{})
		ix.Add(ev(1, c.days, "a/x.go"))
		cell := ix.areas["a/"].cells[1]
		if got := cell.w * math.Exp2(-ix.exponent(exNow)); math.Abs(got-c.want) > 0.01 {
			t.Errorf("weight after %d days = %.3f, want %.2f", c.days, got, c.want)
		}
	}
}

func TestTagsNeverDecay(t *testing.T) {
	evs := []Evidence{
		{Member: 1, At: exNow.AddDate(-10, 0, 0), Kind: KindTagged, Topics: []string{"Storage"}},
		{Member: 2, At: exNow.AddDate(0, 0, -1), Kind: KindAnswer, Topics: []string{"storage"}},
	}
	got := RankExperts(evs, ExpertQuery{Words: []string{"storage"}, Now: exNow}, ExpertiseParams{})
	if m := members(got); len(m) != 2 || m[0] != 1 {
		t.Fatalf("ranking = %v, want the tagged member first", m)
	}
	if !slices.Contains(got[0].Evidence, "tagged storage by hand") {
		t.Fatalf("evidence = %q", got[0].Evidence)
	}
}

func TestBefore(t *testing.T) {
	evs := []Evidence{ev(1, 400, "engine/a.go"), ev(2, 10, "engine/a.go"), ev(2, 5, "engine/b.go")}
	before := exNow.AddDate(0, 0, -30)
	got := RankExperts(evs, ExpertQuery{Paths: []string{"engine/a.go"}, Before: before}, ExpertiseParams{})
	if m := members(got); !slices.Equal(m, []int64{1}) {
		t.Fatalf("before %v: %v, want only 1", before, m)
	}
	// Evidence exactly at Before is excluded.
	got = RankExperts(evs, ExpertQuery{Paths: []string{"engine/"}, Before: evs[1].At}, ExpertiseParams{})
	if m := members(got); !slices.Equal(m, []int64{1}) {
		t.Fatalf("before the second commit: %v, want only 1", m)
	}
	got = RankExperts(evs, ExpertQuery{Paths: []string{"engine/"}, Now: exNow}, ExpertiseParams{})
	if m := members(got); !slices.Equal(m, []int64{2, 1}) {
		t.Fatalf("now: %v, want 2, 1", m)
	}
}

func TestEvidenceLines(t *testing.T) {
	var evs []Evidence
	for i := range 38 {
		evs = append(evs, Evidence{Member: 7, At: time.Date(2025, 3, 1+i%20, 0, 0, 0, 0, time.UTC), Kind: KindCommit,
			Paths: []string{fmt.Sprintf("engine/compaction/f%d.go", i)}})
	}
	evs = append(evs, Evidence{Member: 7, At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Kind: KindReview,
		Paths: []string{"engine/compaction/f1.go"}})
	got := RankExperts(evs, ExpertQuery{Paths: []string{"engine/compaction/"}, Now: exNow}, ExpertiseParams{})
	if len(got) != 1 {
		t.Fatalf("got %d suggestions", len(got))
	}
	want := []string{
		"38 commits, 1 review under engine/compaction/ since 2025-03, last 2026-11-02",
		"38 commits, 1 review under engine/ since 2025-03, last 2026-11-02",
	}
	if !slices.Equal(got[0].Evidence, want) {
		t.Fatalf("evidence =\n%q\nwant\n%q", got[0].Evidence, want)
	}
	// A file, one month: a single date.
	got = RankExperts([]Evidence{ev(3, 2, "README")}, ExpertQuery{Paths: []string{"README"}, Now: exNow}, ExpertiseParams{})
	if want := "1 commit to README, 2026-11-08"; len(got) != 1 || got[0].Evidence[0] != want {
		t.Fatalf("evidence = %q, want %q", got[0].Evidence, want)
	}
	// Hostile paths are cleaned.
	got = RankExperts([]Evidence{ev(3, 2, "a\x1b[31m/x")}, ExpertQuery{Paths: []string{"a\x1b[31m/"}, Now: exNow}, ExpertiseParams{})
	if len(got) != 1 || strings.ContainsRune(got[0].Evidence[0], 0x1b) {
		t.Fatalf("evidence = %v", got)
	}
}

func TestTiesAndLimit(t *testing.T) {
	var evs []Evidence
	for m := int64(20); m >= 1; m-- {
		evs = append(evs, ev(m, 3, "lib/x.c"))
	}
	got := RankExperts(evs, ExpertQuery{Paths: []string{"lib/x.c"}, Now: exNow, Limit: 5}, ExpertiseParams{})
	if m := members(got); !slices.Equal(m, []int64{1, 2, 3, 4, 5}) {
		t.Fatalf("ties: %v, want 1..5 by member id", m)
	}
	if len(RankExperts(evs, ExpertQuery{Paths: []string{"lib/"}, Now: exNow}, ExpertiseParams{})) != 10 {
		t.Fatal("the default limit is 10")
	}
}

func TestEmptyAndUnknownQueries(t *testing.T) {
	evs := []Evidence{ev(1, 3, "lib/x.c")}
	for _, q := range []ExpertQuery{
		{Now: exNow},
		{Paths: []string{"", "/"}, Words: []string{" "}, Now: exNow},
		{Paths: []string{"src/unknown.c"}, Now: exNow},
		{Words: []string{"storage"}, Now: exNow},
	} {
		if got := RankExperts(evs, q, ExpertiseParams{}); len(got) != 0 {
			t.Errorf("query %+v: %v, want nothing", q, got)
		}
	}
	if got := RankExperts(nil, ExpertQuery{Paths: []string{"lib/"}, Now: exNow}, ExpertiseParams{}); len(got) != 0 {
		t.Errorf("no evidence: %v", got)
	}
}

func TestWordsMatchTopicsAndPathSegments(t *testing.T) {
	evs := []Evidence{
		ev(1, 3, "src/storage/btree.c"),
		{Member: 2, At: exNow.AddDate(0, 0, -3), Kind: KindAnswer, Topics: []string{"btree"}},
		ev(3, 3, "src/net/http.c"),
	}
	got := RankExperts(evs, ExpertQuery{Words: []string{"BTree"}, Now: exNow}, ExpertiseParams{Prior: -1})
	if m := members(got); !slices.Equal(m, []int64{1, 2}) {
		t.Fatalf("btree: %v, want 1 and 2", m)
	}
}

func TestExclude(t *testing.T) {
	evs := []Evidence{ev(1, 3, "a/x"), ev(1, 4, "a/x"), ev(2, 3, "a/x")}
	got := RankExperts(evs, ExpertQuery{Paths: []string{"a/x"}, Now: exNow, Exclude: func(m int64) bool { return m == 1 }}, ExpertiseParams{})
	if m := members(got); !slices.Equal(m, []int64{2}) {
		t.Fatalf("%v, want only 2", m)
	}
}

// TestIndexMatchesFullComputation feeds the same evidence to an index in a
// random order, across a rebase of its reference moment, and compares with
// the full computation on sorted evidence.
func TestIndexMatchesFullComputation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dirs := []string{"a/", "a/b/", "a/b/c/", "d/", "d/e/"}
	var evs []Evidence
	for range 400 {
		var paths []string
		for range 1 + r.IntN(3) {
			paths = append(paths, dirs[r.IntN(len(dirs))]+fmt.Sprintf("f%d.go", r.IntN(4)))
		}
		evs = append(evs, Evidence{Member: int64(1 + r.IntN(12)), At: exNow.Add(-time.Duration(r.IntN(3000)) * time.Hour),
			Kind: KindCommit, Paths: paths, Topics: []string{[]string{"x", "y"}[r.IntN(2)]}})
	}
	// A short half-life forces rebases across 3000 hours.
	p := ExpertiseParams{HalfLife: 5 * time.Hour}
	sorted := slices.Clone(evs)
	slices.SortFunc(sorted, func(a, b Evidence) int { return a.At.Compare(b.At) })
	ix := NewExpertIndex(p)
	for _, i := range r.Perm(len(evs)) {
		ix.Add(evs[i])
	}
	for _, q := range []ExpertQuery{
		{Paths: []string{"a/b/f1.go"}}, {Paths: []string{"d/"}, Words: []string{"x"}}, {Words: []string{"y", "e"}},
	} {
		q.Now, q.Limit = exNow, 12
		want := RankExperts(sorted, q, p)
		got := ix.Rank(q)
		if len(got) != len(want) {
			t.Fatalf("%+v: %d vs %d suggestions", q, len(got), len(want))
		}
		for i := range want {
			if got[i].Member != want[i].Member && math.Abs(got[i].Score-want[i].Score) > 1e-9*want[i].Score {
				t.Fatalf("%+v: rank %d: %v vs %v", q, i, got[i], want[i])
			}
			if math.Abs(got[i].Score-want[i].Score) > 1e-9*want[i].Score {
				t.Fatalf("%+v: rank %d score %v vs %v", q, i, got[i].Score, want[i].Score)
			}
		}
	}
}

// TestActiveNowRanksHigher: with the same history in an area, the member
// still working elsewhere today outranks the one who left; without the
// activity factor they tie.
func TestActiveNowRanksHigher(t *testing.T) {
	evs := []Evidence{ev(2, 200, "a/x.c"), ev(1, 200, "a/x.c"), ev(2, 1, "b/y.c")}
	q := ExpertQuery{Paths: []string{"a/x.c"}, Now: exNow, Limit: 2}
	if m := members(RankExperts(evs, q, ExpertiseParams{Prior: -1})); !slices.Equal(m, []int64{2, 1}) {
		t.Fatalf("%v, want the active member 2 first", m)
	}
	got := RankExperts(evs, q, ExpertiseParams{Prior: -1, Active: -1})
	if m := members(got); !slices.Equal(m, []int64{1, 2}) || got[0].Score != got[1].Score {
		t.Fatalf("without activity: %v, want a tie broken by id", got)
	}
}
