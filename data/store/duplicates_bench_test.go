package store_test

import (
	"context"
	"testing"

	"hearth/data/demo/demotest"
	"hearth/data/store"
)

// BenchmarkDuplicates100k lists the possible duplicates of a
// 100,000-member demo community, and reports how many pairs it found (a
// benchmark that finds nothing measures nothing).
func BenchmarkDuplicates100k(b *testing.B) {
	path := demotest.Cached(b, 100_000)
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
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
