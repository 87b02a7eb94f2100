package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// expertiseWorld is a small community whose commits touch a few paths
// and topics, changing batch by batch: new commits, commits moving to
// another author, commits removed, tags given and taken away.
type expertiseWorld struct {
	r      *rand.Rand
	now    time.Time
	stored []string
	next   int
}

var worldPaths = []string{"net/tls/conn.go", "net/http/server.go", "storage/wal/log.go", "storage/lsm/compact.go", "README.md", "docs/intro.md"}

func (w *expertiseWorld) batch() connector.Batch {
	var b connector.Batch
	for n := 1 + w.r.IntN(6); n > 0; n-- {
		who := fmt.Sprintf("dev%d@example.org", w.r.IntN(120))
		b.Identities = append(b.Identities, model.Identity{Source: "git", ExternalID: who, Email: who, Name: who})
		ext := ""
		if len(w.stored) > 0 && w.r.IntN(4) == 0 {
			ext = w.stored[w.r.IntN(len(w.stored))] // changes hands or content
		} else {
			w.next++
			ext = fmt.Sprintf("c%d", w.next)
			w.stored = append(w.stored, ext)
		}
		var paths []string
		for k := 1 + w.r.IntN(3); k > 0; k-- {
			paths = append(paths, worldPaths[w.r.IntN(len(worldPaths))])
		}
		b.Activities = append(b.Activities, model.Activity{Source: "git", ExternalID: ext, Actor: who,
			Kind: []model.Kind{model.KindCommit, model.KindReview}[w.r.IntN(2)],
			At:   w.now.Add(-time.Duration(w.r.IntN(900*24)) * time.Hour), Paths: paths,
			Topics: []string{[]string{"networking", "storage", "docs"}[w.r.IntN(3)]}})
	}
	if len(w.stored) > 10 && w.r.IntN(3) == 0 {
		i := w.r.IntN(len(w.stored))
		if !slices.ContainsFunc(b.Activities, func(a model.Activity) bool { return a.ExternalID == w.stored[i] }) {
			b.RemovedActivities = append(b.RemovedActivities, w.stored[i])
			w.stored = slices.Delete(w.stored, i, i+1)
		}
	}
	return b
}

// expertiseTables dumps the expertise tables, weights rounded to nine
// significant digits: sums in another order differ in the last bits.
// Weights are stored relative to a reference moment that a full rebuild
// moves, so they are compared as of a common moment, at.
func expertiseTables(t *testing.T, s *Store, at time.Time) []string {
	t.Helper()
	meta, err := readExpertiseMeta(context.Background(), s.db)
	if err != nil || !meta.ok {
		t.Fatalf("expertise meta: %+v, %v", meta, err)
	}
	round := func(v float64) string { return fmt.Sprintf("%.9g", v) }
	asOf := func(w float64, hl time.Duration) float64 {
		return w * math.Exp2(-float64(at.Sub(meta.ref))/float64(hl))
	}
	out := []string{fmt.Sprintf("totals %.6f %.6f", asOf(meta.total, meta.halfLife), meta.fixed)}
	rows, err := s.db.Query("SELECT area, member_id, weight, fixed, coalesce(first, 0), coalesce(last, 0), kinds FROM expertise ORDER BY area, member_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var area, kinds string
		var m, first, last int64
		var w, f float64
		if err := rows.Scan(&area, &m, &w, &f, &first, &last, &kinds); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %s %s %d %d %s", area, m, round(asOf(w, meta.halfLife)), round(f), first, last, kinds))
	}
	rows.Close()
	rows, err = s.db.Query("SELECT member_id, weight, fixed, active, kinds FROM expertise_members ORDER BY member_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m int64
		var w, f, a float64
		var kinds string
		if err := rows.Scan(&m, &w, &f, &a, &kinds); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("member %d %s %s %s %s", m, round(asOf(w, meta.halfLife)), round(f), round(asOf(a, meta.activeHalfLife)), kinds))
	}
	rows.Close()
	rows, err = s.db.Query("SELECT area, total, fixed, members FROM expertise_areas ORDER BY area")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var area string
		var w, f float64
		var n int
		if err := rows.Scan(&area, &w, &f, &n); err != nil {
			t.Fatal(err)
		}
		// Sums kept by adding and taking away differ from fresh sums in
		// the last bits, which %.9g of a value near zero would show.
		out = append(out, fmt.Sprintf("area %s %.6f %.6f %d", area, asOf(w, meta.halfLife), f, n))
	}
	rows.Close()
	return append(out, monthRows(t, s, asOf, meta)...)
}

// monthRows dumps expertise_months, one line per cell and month, weights
// as of the moment asOf judges them at.
func monthRows(t *testing.T, s *Store, asOf func(float64, time.Duration) float64, meta expertiseMeta) []string {
	t.Helper()
	if !meta.months {
		t.Fatal("expertise_months is not marked filled")
	}
	rows, err := s.db.Query("SELECT area, member_id, months FROM expertise_months ORDER BY area, member_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	r := monthReader{kinds: map[string]model.Kind{}}
	var out []string
	for rows.Next() {
		var area string
		var m int64
		var blob []byte
		if err := rows.Scan(&area, &m, &blob); err != nil {
			t.Fatal(err)
		}
		months, err := r.decode(blob)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range months {
			kinds := slices.Clone(b.Kinds)
			slices.SortFunc(kinds, func(x, y model.KindCount) int { return strings.Compare(string(x.Kind), string(y.Kind)) })
			out = append(out, fmt.Sprintf("month %q %d %d %d %d %.9g %.9g %v", area, m, b.Month, b.First, b.Last,
				asOf(b.Weight, meta.halfLife), asOf(b.Active, meta.activeHalfLife), kinds))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExpertiseIncrementalMatchesFull applies the same random batches and
// tags to two stores, refreshing one as a sync does (only the members
// touched, sometimes interrupted before the refresh) and the other in
// full, and compares the expertise tables and a few answers.
func TestExpertiseIncrementalMatchesFull(t *testing.T) {
	ctx := context.Background()
	rules := model.DefaultRules()
	steps := 40
	if testing.Short() {
		steps = 20
	}
	for seed := range 3 {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			inc, _ := openTemp(t)
			ref, _ := openTemp(t)
			w := &expertiseWorld{r: rand.New(rand.NewPCG(uint64(seed), 11)), now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
			// A first import large enough that later batches are small.
			var first connector.Batch
			for range 60 {
				b := w.batch()
				first.Identities = append(first.Identities, b.Identities...)
				first.Activities = append(first.Activities, b.Activities...)
			}
			for _, s := range []*Store{inc, ref} {
				if err := s.ApplyBatch(ctx, "git:/r", first); err != nil {
					t.Fatal(err)
				}
			}
			incremental, answeredBefore := 0, 0
			for step := range steps {
				w.now = w.now.Add(5 * time.Hour)
				b := w.batch()
				for _, s := range []*Store{inc, ref} {
					if err := s.ApplyBatch(ctx, "git:/r", b); err != nil {
						t.Fatal(err)
					}
				}
				if w.r.IntN(3) == 0 {
					who := b.Identities[0].Key()
					tag := []string{"storage", "tls"}[w.r.IntN(2)]
					untag := w.r.IntN(4) == 0
					for _, s := range []*Store{inc, ref} {
						wr := s.Writer("test")
						if untag {
							err := wr.Untag(ctx, who, tag)
							_ = err // untagging what is not there changes nothing
						} else if err := wr.Tag(ctx, who, tag); err != nil {
							t.Fatal(err)
						}
					}
				}
				if w.r.IntN(4) == 0 {
					continue // interrupted: the next refresh catches up
				}
				if queryInt(t, inc, "SELECT count(*) FROM expertise_meta") > 0 &&
					queryInt(t, inc, "SELECT count(*) FROM dirty_identities")+queryInt(t, inc, "SELECT count(*) FROM dirty_members") <
						queryInt(t, inc, "SELECT count(*) FROM members")/5 {
					incremental++
				}
				if err := inc.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
					t.Fatal(err)
				}
				if err := inc.RefreshDirty(ctx, w.now, rules); err != nil {
					t.Fatal(err)
				}
				if err := ref.MergePeople(ctx, people.Rules{}); err != nil {
					t.Fatal(err)
				}
				if err := ref.RefreshDerived(ctx, w.now, rules); err != nil {
					t.Fatal(err)
				}
				got, want := expertiseTables(t, inc, w.now), expertiseTables(t, ref, w.now)
				if !slices.Equal(got, want) {
					t.Fatalf("step %d: incremental expertise differs from a full rebuild:\n got  %q\n want %q", step, diff(got, want), diff(want, got))
				}
				answeredBefore += whoBeforeMatchesScan(t, inc, w.now, w.r, fmt.Sprintf("step %d", step))
				for _, q := range []WhoQuery{{Words: []string{"storage"}}, {Paths: []string{"net/tls/record.go"}}} {
					a, err := inc.WhoKnows(ctx, q, w.now, rules)
					if err != nil {
						t.Fatal(err)
					}
					b, err := ref.WhoKnows(ctx, q, w.now, rules)
					if err != nil {
						t.Fatal(err)
					}
					if len(a) != len(b) {
						t.Fatalf("step %d %v: %d vs %d experts", step, q, len(a), len(b))
					}
					for i := range a {
						if a[i].ID != b[i].ID && math.Abs(a[i].Score-b[i].Score) > 1e-9*b[i].Score {
							t.Fatalf("step %d %v: rank %d: %v vs %v", step, q, i, a[i], b[i])
						}
					}
				}
			}
			if incremental == 0 {
				t.Fatal("no refresh was incremental: the test compared full rebuilds only")
			}
			if answeredBefore == 0 {
				t.Fatal("no answer as of a date named anyone: the comparison says little")
			}
		})
	}
}

// whoBeforeMatchesScan compares, for a few dates and queries, the answers
// of a store as of a date with those of the full scan of its activities,
// and returns how many answers named anyone.
func whoBeforeMatchesScan(t *testing.T, s *Store, now time.Time, r *rand.Rand, what string) (answered int) {
	t.Helper()
	ctx := context.Background()
	rules := model.DefaultRules()
	dates := []time.Time{
		now.Add(-time.Duration(r.IntN(900*24)) * time.Hour),
		model.MonthStart(model.MonthIndex(now.AddDate(0, -r.IntN(30), 0))),
		now.AddDate(-5, 0, 0),
	}
	queries := []WhoQuery{
		{Words: []string{"storage"}}, {Words: []string{"tls", "docs"}}, {Words: []string{"compact"}},
		{Paths: []string{"net/tls/record.go"}}, {Paths: []string{"storage/", "README.md"}},
	}
	for _, at := range dates {
		for _, q := range queries {
			q.Before = at
			got, err := s.WhoKnows(ctx, q, now, rules)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.WhoKnowsByScan(ctx, q, now, rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %v before %s: %d experts, the scan finds %d", what, q, at, len(got), len(want))
			}
			if len(got) > 0 {
				answered++
			}
			for i := range got {
				g, w := got[i], want[i]
				// Members equal but for float rounding may trade places.
				if math.Abs(g.Score-w.Score) > 1e-9*w.Score || g.ID == w.ID && !slices.Equal(g.Evidence, w.Evidence) {
					t.Fatalf("%s: %v before %s: rank %d:\n got  %+v\n want %+v", what, q, at, i, g, w)
				}
			}
		}
	}
	return answered
}

// diff lists the first few rows a holds that b does not.
func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) && len(out) < 5 {
			out = append(out, x)
		}
	}
	return out
}

func TestJoinPaths(t *testing.T) {
	if got := joinPaths([]string{"a/b.go", "", "bad\nname", "c"}); got != "a/b.go\nc" {
		t.Fatalf("joinPaths = %q", got)
	}
	if got := strings.Join(splitList(joinPaths(nil), "\n"), ","); got != "" {
		t.Fatalf("no paths = %q", got)
	}
}
