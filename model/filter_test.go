package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// bruteForce is the obvious implementation the filter must agree with.
func bruteForce(texts []string, query string) []int32 {
	words := strings.Fields(strings.ToLower(query))
	var out []int32
	for i, t := range texts {
		if matchAll(strings.ToLower(t), words) {
			out = append(out, int32(i))
		}
	}
	return out
}

func TestFilterMatches(t *testing.T) {
	texts := []string{"Ada Lovelace\nAnalytical Engines", "Zoë Müller\n@zoe", "Grace Hopper\nNavy", "ÉMILE Zola\nParis"}
	f := NewFilter(texts)
	cases := map[string][]int32{
		"":               nil,
		"ada":            {0},
		"ZOË":            {1},
		"émile":          {3},
		"a":              {0, 2, 3},
		"  grace   NAVY": {2},
		"ada navy":       {},
		"@zoe müller":    {1},
		"xyz":            {},
	}
	for q, want := range cases {
		got := f.Match(q)
		if len(got) == 0 && len(want) == 0 {
			if (got == nil) != (want == nil) {
				t.Errorf("Match(%q) = %v, want %v", q, got, want)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Match(%q) = %v, want %v", q, got, want)
		}
	}
}

// Typing, deleting and retyping must give exactly what a fresh scan gives,
// whatever the filter remembered on the way.
func TestFilterNarrowingAgreesWithFullScan(t *testing.T) {
	texts := syntheticTexts(3000, 7)
	f := NewFilter(texts)
	queries := []string{"m", "ma", "mar", "mari", "mar", "ma", "ma s", "ma st", "ma sto", "ar", "a", "an", "ann", "anna", "an", "a b", "ab", "abc", "ab", ""}
	for _, q := range queries {
		got := f.Match(q)
		want := bruteForce(texts, q)
		if q == "" {
			if got != nil {
				t.Fatalf("empty query should mean all rows")
			}
			continue
		}
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("Match(%q): %d rows, a full scan finds %d", q, len(got), len(want))
		}
	}
}

func TestMemberText(t *testing.T) {
	m := Member{Name: "Zoë Müller", Org: "Acme", Handles: []string{"@zoe"}, Emails: []string{"zoe@acme.io"},
		Standing: Standing{Stage: StageRegular, Lapsed: true}, Topics: []string{"networking"}}
	f := NewFilter([]string{MemberText(&m)})
	for _, q := range []string{"zoë", "acme", "@zoe", "zoe@acme", "regular", "lapsed", "networking"} {
		if len(f.Match(q)) != 1 {
			t.Errorf("%q does not find the member", q)
		}
	}
}

var firstNames = []string{"Maria", "Ana", "Sofia", "Mohammed", "Wei", "Yuki", "Olga", "Kwame", "Lucas", "Emma", "Noah", "Priya", "Zoë", "José", "Łukasz", "Ngozi"}
var lastNames = []string{"Garcia", "Smith", "Müller", "Kowalski", "Okafor", "Chen", "Tanaka", "Ivanova", "Silva", "Martin", "Brown", "Patel"}
var orgNames = []string{"Acme", "Initech", "Globex", "Umbrella", "Stark", "Wayne", "Hooli", ""}
var topicNames = []string{"networking", "storage", "docs", "ci", "security", "ui", "api"}

func syntheticTexts(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]string, n)
	for i := range out {
		fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		m := Member{
			Name: fn + " " + ln, Org: orgNames[r.IntN(len(orgNames))],
			Handles:  []string{fmt.Sprintf("@%s%s%d", fn[:1], ln, i)},
			Emails:   []string{fmt.Sprintf("%s.%s%d@example.org", fn, ln, i)},
			Topics:   []string{topicNames[r.IntN(len(topicNames))]},
			Standing: Standing{Stage: Stage(1 + r.IntN(4))},
		}
		out[i] = MemberText(&m)
	}
	return out
}

// BenchmarkFilterMembers100k measures one keystroke of the member filter
// over 100,000 members: queries of 1 to 6 characters typed in sequence,
// each narrowing the previous result.
func BenchmarkFilterMembers100k(b *testing.B) {
	texts := syntheticTexts(100_000, 1)
	words := []string{"mullerx", "garcia", "kowals", "chen", "sofia"}
	f := NewFilter(texts)
	b.ResetTimer()
	keystrokes := 0
	for i := 0; i < b.N; i++ {
		f.recent, f.shared = f.recent[:0], &filterMemo{} // each word is typed into an empty filter
		w := words[i%len(words)]
		for n := 1; n <= 6 && n <= len(w); n++ {
			f.Match(w[:n])
			keystrokes++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(keystrokes)/1000, "ms/keystroke")
}

// BenchmarkFilterFirstKeystroke100k is the worst case: one character over
// all 100,000 members with nothing remembered.
func BenchmarkFilterFirstKeystroke100k(b *testing.B) {
	texts := syntheticTexts(100_000, 1)
	f := NewFilter(texts)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.recent, f.shared = f.recent[:0], &filterMemo{}
		f.Match("e")
	}
}

func matchAll(h string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

// Filters sharing one index reuse each other's results, from many
// goroutines at once, and every result is what a full scan finds.
func TestSharedFiltersAgreeAndReuse(t *testing.T) {
	texts := syntheticTexts(3000, 11)
	base := NewFilter(texts)
	queries := []string{"a", "an", "ana", "m", "ma", "mar", "ma s", "e", "ex", "ok", "x"}
	done := make(chan []int32, 8)
	for g := range 8 {
		go func() {
			f := base.Share()
			for j := range queries {
				q := queries[(j+g)%len(queries)]
				got := f.Match(q)
				if want := bruteForce(texts, q); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
					t.Errorf("Match(%q): %d rows, a full scan finds %d", q, len(got), len(want))
				}
			}
			done <- f.Match("ana")
		}()
	}
	first := <-done
	for range 7 {
		if got := <-done; len(got) == 0 || &got[0] != &first[0] {
			t.Fatal("filters of one index computed the same query twice")
		}
	}
}

// The shared results stay within their bounds, oldest dropped first.
func TestSharedFilterMemoBounded(t *testing.T) {
	f := NewFilter(syntheticTexts(500, 3))
	for i := range memoResults + 10 {
		f.Share().Match(fmt.Sprintf("%d", i))
	}
	m := f.shared
	if len(m.order) != memoResults || len(m.results) != memoResults {
		t.Fatalf("memo holds %d results (%d in order), want %d", len(m.results), len(m.order), memoResults)
	}
	if _, ok := m.results[queryKey(ParseQuery("0"))]; ok {
		t.Fatal("the oldest result was kept")
	}
}

// A scan that fails leaves nothing behind: the query is computed again.
func TestSharedFilterMemoForgetsFailedScan(t *testing.T) {
	var m filterMemo
	func() {
		defer func() { _ = recover() }()
		m.get("q", nil, func([]filterResult) []int32 { panic("boom") })
	}()
	if got := m.get("q", nil, func([]filterResult) []int32 { return []int32{7} }); !reflect.DeepEqual(got, []int32{7}) {
		t.Fatalf("after a failed scan: %v", got)
	}
}
