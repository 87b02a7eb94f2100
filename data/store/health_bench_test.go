package store_test

import (
	"context"
	"testing"
	"time"

	"hearth/data/demo/demotest"
	"hearth/model"
)

// BenchmarkHealthInput100k reads everything the health report needs from
// a 100,000-member demo (about five million activities), then computes the
// report, and reports each part.
func BenchmarkHealthInput100k(b *testing.B) {
	s := demotest.Open(b, 100_000)
	ctx := context.Background()
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

// BenchmarkHealthMembers100k compares reading every member's activities
// from member_months with reading them from the activities table (the
// path before member_months), under the same conditions.
func BenchmarkHealthMembers100k(b *testing.B) {
	s := demotest.Open(b, 100_000)
	ctx := context.Background()
	b.Run("member_months", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.HealthInput(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("activities", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.HealthMembersScan(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
