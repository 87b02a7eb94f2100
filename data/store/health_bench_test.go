package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/demo"
	"hearth/data/store"
	"hearth/model"
)

// BenchmarkHealthInput100k reads everything the health report needs from
// a 100,000-member demo (about five million activities), then computes the
// report, and reports each part.
func BenchmarkHealthInput100k(b *testing.B) {
	path := demo100k(b)
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	var load, compute time.Duration
	acts := 0
	for b.Loop() {
		t0 := time.Now()
		in, err := s.HealthInput(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		model.ComputeHealth(in.Members, in.Questions, model.DefaultHealthOptions(now))
		load, compute = load+t1.Sub(t0), compute+time.Since(t1)
		acts = 0
		for i := range in.Members {
			acts += len(in.Members[i].Acts)
		}
	}
	b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
	b.ReportMetric(float64(compute.Milliseconds())/float64(b.N), "compute-ms/op")
	b.ReportMetric(float64(acts), "activities")
}

// demo100k returns the 100,000-member demo database the ui and cli
// benchmarks generate once into the temporary directory and reuse.
func demo100k(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-bench-100k-v%d.db", store.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".partial"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	s, err := store.Open(ctx, tmp, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) // as the ui package's
	if err := demo.Generate(ctx, s, demo.Options{Members: 100_000, Seed: 1, Now: now}); err != nil {
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
