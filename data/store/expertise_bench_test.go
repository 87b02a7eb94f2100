package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/demo"
	"hearth/data/demo/demotest"
	"hearth/data/store"
	"hearth/data/store/storetest"
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

// BenchmarkWhoKnowsBeforeMonthEnd100k asks as of the last hour of a
// month, the slowest date: every activity of the month before it is read
// one by one (expertise_before.go).
func BenchmarkWhoKnowsBeforeMonthEnd100k(b *testing.B) {
	benchWho(b, store.WhoQuery{Words: []string{"storage"}, Before: time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)})
}

// whoDemo is the 100,000-member demo (demotest's seed and date) in a file
// of these benchmarks' own, named by the newest migration: demotest.Cached
// names its file by schema version only, which branches adding different
// migrations share.
func whoDemo(b *testing.B) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-who-bench-100k-%s.db", store.LastMigration()))
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
// the incremental refresh it is part of, after a small sync: per
// iteration a batch brings one new activity to each of 100 members of a
// demo, and the whole refresh (expertise included) is timed; a second
// batch is then read as the refresh reads it, alone and with the expertise
// feed and its writes. Their difference is what expertise adds, reported
// as a share of the refresh without it.
func BenchmarkRefreshExpertiseShare10k(b *testing.B)  { benchRefreshShare(b, 10_000) }
func BenchmarkRefreshExpertiseShare100k(b *testing.B) { benchRefreshShare(b, 100_000) }

func benchRefreshShare(b *testing.B, members int) {
	ctx := context.Background()
	s := demotest.Fresh(b, members, demotest.Now)
	rules := model.DefaultRules()
	type who struct {
		member           int64
		source, external string
	}
	var ws []who
	for i := range 100 {
		var w who
		w.member = int64(1 + i*members/100)
		if err := storetest.DB(b, s).QueryRowContext(ctx, `SELECT source, external_id FROM identities
			WHERE member_id = ? ORDER BY id LIMIT 1`, w.member).Scan(&w.source, &w.external); err != nil {
			b.Fatal(err)
		}
		ws = append(ws, w)
	}
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.member
	}
	n := 0
	news := func() {
		n++
		for _, w := range ws {
			batch := connector.Batch{Activities: []model.Activity{{Source: w.source, ExternalID: fmt.Sprintf("bench-%d", n),
				Actor: w.external, Kind: model.KindCommit, At: demotest.Now.Add(-time.Duration(n) * time.Minute),
				Topics: []string{"bench"}, Paths: []string{fmt.Sprintf("bench/f%d.go", n%7)}}}}
			if err := s.ApplyBatch(ctx, w.source, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	var whole, plain, with time.Duration
	for b.Loop() {
		b.StopTimer()
		news()
		b.StartTimer()
		t0 := time.Now()
		if err := s.RefreshMembers(ctx, demotest.Now, rules, ids); err != nil {
			b.Fatal(err)
		}
		whole += time.Since(t0)
		b.StopTimer()
		news()
		b.StartTimer()
		t1 := time.Now()
		if err := s.ReadMembersOf(ctx, demotest.Now, rules, ids, false); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := s.ReadMembersOf(ctx, demotest.Now, rules, ids, true); err != nil {
			b.Fatal(err)
		}
		plain, with = plain+t2.Sub(t1), with+time.Since(t2)
	}
	added := with - plain
	b.ReportMetric(float64(whole.Microseconds())/float64(b.N)/1000, "refresh-ms/op")
	b.ReportMetric(float64(added.Microseconds())/float64(b.N)/1000, "expertise-ms/op")
	b.ReportMetric(100*float64(added)/float64(whole-added), "added-%")
}

// BenchmarkRefreshFull10k times a full refresh of every derived table
// (expertise among them) of the 10,000-member demo: what a first import
// or a change of rules costs.
func BenchmarkRefreshFull10k(b *testing.B) {
	ctx := context.Background()
	s := demotest.Fresh(b, 10_000, demotest.Now)
	rules := model.DefaultRules()
	for b.Loop() {
		if err := s.RefreshDerived(ctx, demotest.Now, rules); err != nil {
			b.Fatal(err)
		}
	}
}
