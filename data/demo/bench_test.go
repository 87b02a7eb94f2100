package demo

import (
	"context"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"path/filepath"
	"testing"
	"time"
)

// benchmarkDemo generates a community of the given size into a new file
// per iteration and reports activities written per second, the whole
// generation (people, activity, index builds, summaries, commit) included.
func benchmarkDemo(b *testing.B, members int) {
	ctx := context.Background()
	now := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	var rows int
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s, err := store.Open(ctx, filepath.Join(b.TempDir(), "demo.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := Generate(ctx, s, Options{Members: members, Seed: int64(i + 1), Now: now}); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		var n int
		if err := storetest.DB(b, s).QueryRowContext(ctx, "SELECT count(*) FROM activities").Scan(&n); err != nil {
			b.Fatal(err)
		}
		rows += n
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

func BenchmarkGenerateDemo2k(b *testing.B)   { benchmarkDemo(b, 2000) }
func BenchmarkGenerateDemo100k(b *testing.B) { benchmarkDemo(b, 100000) }
