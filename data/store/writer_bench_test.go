package store_test

import (
	"context"
	"testing"

	"hearth/data/demo/demotest"
	"hearth/data/people"
	"hearth/data/store"
	"hearth/model"
)

// BenchmarkFlagRederive100k sets and clears a flag on a member of a
// 100,000-member demo with the writer the program uses (the sync's rules):
// the journaled write and the member rederived in its transaction.
func BenchmarkFlagRederive100k(b *testing.B) {
	path := demotest.Copy(b, 100_000)
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := s.Writer("bench").WithRules(people.Rules{}, model.DefaultRules())
	// The demo was never merged with these rules: the first write
	// regroups everyone, before the clock starts.
	if err := w.Flag(ctx, "bench:warm-up", "mentor"); err != nil {
		b.Fatal(err)
	}
	ms, err := s.TopMembers(ctx, 1)
	if err != nil || len(ms) == 0 {
		b.Fatal("no member", err)
	}
	d, err := s.MemberDetail(ctx, ms[0].ID, 1)
	if err != nil || len(d.Identities) == 0 {
		b.Fatal("no identity", err)
	}
	who := d.Identities[0].Source + ":" + d.Identities[0].ExternalID
	on := true
	for b.Loop() {
		if on {
			err = w.Flag(ctx, who, "mentor")
		} else {
			err = w.Unflag(ctx, who, "mentor")
		}
		if err != nil {
			b.Fatal(err)
		}
		on = !on
	}
}
