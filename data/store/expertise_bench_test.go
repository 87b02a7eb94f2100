package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/demo"
	"hearth/data/demo/demotest"
	"hearth/data/store"
	"hearth/model"
)

// BenchmarkWhoKnows100k answers `hearth who storage` from the expertise
// tables of the 100,000-member demo (about five million activities).
func BenchmarkWhoKnows100k(b *testing.B) {
	benchWho(b, store.WhoQuery{Words: []string{"storage"}})
}

// BenchmarkWhoKnowsBefore100k answers the same with --before, which reads
// the activities before the date instead of the tables.
func BenchmarkWhoKnowsBefore100k(b *testing.B) {
	benchWho(b, store.WhoQuery{Words: []string{"storage"}, Before: demotest.Now.AddDate(0, -6, 0)})
}

// whoDemo is the 100,000-member demo (demotest's seed and date) in a file
// of these benchmarks' own: demotest.Cached names its file by schema
// version only, which branches adding different migrations share.
func whoDemo(b *testing.B) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-who-bench-100k-v%d.db", store.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".partial"
	os.Remove(tmp)
	s, err := store.Open(ctx, tmp, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Generate(ctx, s, demo.Options{Members: 100_000, Seed: 1, Now: demotest.Now}); err != nil {
		s.Close()
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchWho(b *testing.B, q store.WhoQuery) {
	ctx := context.Background()
	s, err := store.Open(ctx, whoDemo(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var got []store.Expert
	for b.Loop() {
		if got, err = s.WhoKnows(ctx, q, demotest.Now, model.DefaultRules()); err != nil {
			b.Fatal(err)
		}
	}
	if len(got) == 0 {
		b.Fatal("nobody knows storage in the demo")
	}
}

// BenchmarkRefreshExpertiseShare weighs keeping expertise current against
// the whole incremental refresh it is part of: 100 members of a demo
// refreshed per iteration, first the whole refresh (expertise included),
// then the expertise part alone on the same members.
func BenchmarkRefreshExpertiseShare10k(b *testing.B)  { benchRefreshShare(b, 10_000) }
func BenchmarkRefreshExpertiseShare100k(b *testing.B) { benchRefreshShare(b, 100_000) }

func benchRefreshShare(b *testing.B, members int) {
	ctx := context.Background()
	s := demotest.Fresh(b, members, demotest.Now)
	rules := model.DefaultRules()
	ids := make([]int64, 0, 100)
	for i := range 100 {
		ids = append(ids, int64(1+i*members/100))
	}
	var whole, part time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := s.RefreshMembers(ctx, demotest.Now, rules, ids); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := s.RefreshExpertiseOf(ctx, demotest.Now, rules, ids); err != nil {
			b.Fatal(err)
		}
		whole, part = whole+t1.Sub(t0), part+time.Since(t1)
	}
	b.ReportMetric(float64(whole.Microseconds())/float64(b.N)/1000, "refresh-ms/op")
	b.ReportMetric(float64(part.Microseconds())/float64(b.N)/1000, "expertise-ms/op")
	b.ReportMetric(100*float64(part)/float64(whole-part), "added-%")
}
