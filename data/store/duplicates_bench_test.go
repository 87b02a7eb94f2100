package store_test

import (
	"context"
	"testing"

	"hearth/data/demo/demotest"
)

// BenchmarkDuplicates100k lists the possible duplicates of a
// 100,000-member demo community, and reports how many pairs it found (a
// benchmark that finds nothing measures nothing).
func BenchmarkDuplicates100k(b *testing.B) {
	s := demotest.Open(b, 100_000)
	ctx := context.Background()
	var pairs int
	for b.Loop() {
		dups, err := s.Duplicates(ctx)
		if err != nil {
			b.Fatal(err)
		}
		pairs = len(dups)
	}
	if pairs == 0 {
		b.Fatal("the demo has no possible duplicates")
	}
	b.ReportMetric(float64(pairs), "pairs")
}

// BenchmarkMemberLabels100k reads the tags, flags and note counts the
// Members list loads beside the directory (BenchmarkMembersLoad100k in ui),
// and reports how many members have any.
func BenchmarkMemberLabels100k(b *testing.B) {
	s := demotest.Open(b, 100_000)
	ctx := context.Background()
	var n int
	for b.Loop() {
		ls, err := s.MemberLabels(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n = len(ls)
	}
	if n == 0 {
		b.Fatal("the demo has no tags, flags or notes")
	}
	b.ReportMetric(float64(n), "members")
}
