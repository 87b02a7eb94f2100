package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

// The ingest benchmarks measure the sync engine's write path at the scale
// of a large community: a million activities in batches of 50k, as a
// connector would hand them over. Batches are built with the timer stopped,
// so the figure is the database's, not the generator's. Run once:
//
//	go test ./data/store -run '^$' -bench 'Ingest|Resync1M' -benchtime 1x

const (
	benchRows   = 1_000_000
	benchBatch  = 50_000
	benchPeople = 2_000
)

func benchBatchAt(n int) connector.Batch {
	var b connector.Batch
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if n == 0 {
		for p := 0; p < benchPeople; p++ {
			b.Identities = append(b.Identities, model.Identity{Source: "git",
				ExternalID: fmt.Sprintf("dev%d@example.com", p), Name: fmt.Sprintf("Dev %d", p),
				Email: fmt.Sprintf("dev%d@example.com", p)})
		}
	}
	b.Activities = make([]model.Activity, 0, benchBatch)
	for j := 0; j < benchBatch; j++ {
		i := n*benchBatch + j
		b.Activities = append(b.Activities, model.Activity{
			Source:     "git",
			ExternalID: fmt.Sprintf("%040x", uint64(i)*0x9e3779b97f4a7c15),
			Actor:      fmt.Sprintf("dev%d@example.com", (i*7919)%benchPeople),
			Kind:       "commit",
			At:         base.Add(time.Duration(i) * time.Minute),
			Channel:    "project",
			Title:      fmt.Sprintf("Fix the widget, part %d", i),
			Topics:     []string{"core", "docs"},
		})
	}
	b.Cursor = fmt.Sprint(n + 1)
	b.Items = benchBatch
	return b
}

func openBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), Options{CacheMiB: 64})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// ingestAll applies every batch, timing only ApplyBatch.
func ingestAll(b *testing.B, s *Store) time.Duration {
	ctx := context.Background()
	var spent time.Duration
	for n := 0; n < benchRows/benchBatch; n++ {
		batch := benchBatchAt(n)
		start := time.Now()
		if err := s.ApplyBatch(ctx, "git:/bench", batch); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
	}
	return spent
}

// BenchmarkIngest1M is a first import as Sync runs it: the identity index
// is dropped, the batches are written, the index is built again; all of it
// is timed.
func BenchmarkIngest1M(b *testing.B) {
	ctx := context.Background()
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openBench(b)
		b.StartTimer()
		start := time.Now()
		if bulk, err := s.BeginBulk(ctx); err != nil || !bulk {
			b.Fatalf("bulk import not started: %v", err)
		}
		spent += time.Since(start)
		spent += ingestAll(b, s)
		start = time.Now()
		if err := s.ensureIndexes(ctx); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
	}
	b.ReportMetric(float64(benchRows*b.N)/spent.Seconds(), "rows/s")
}

// BenchmarkIngestIndexed1M writes the same rows keeping every index up to
// date row by row, as a sync into a database that already has activities
// does.
func BenchmarkIngestIndexed1M(b *testing.B) {
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openBench(b)
		b.StartTimer()
		spent += ingestAll(b, s)
	}
	b.ReportMetric(float64(benchRows*b.N)/spent.Seconds(), "rows/s")
}

func BenchmarkResync1M(b *testing.B) {
	s := openBench(b)
	ingestAll(b, s)
	var n int
	s.db.QueryRow("SELECT count(*) FROM activities").Scan(&n)
	if n != benchRows {
		b.Fatalf("%d rows after ingest", n)
	}
	b.ResetTimer()
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		spent += ingestAll(b, s)
	}
	b.ReportMetric(float64(benchRows*b.N)/spent.Seconds(), "rows/s")
	s.db.QueryRow("SELECT count(*) FROM activities").Scan(&n)
	if n != benchRows {
		b.Fatalf("%d rows after resync", n)
	}
}
