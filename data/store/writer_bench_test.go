package store_test

import (
	"context"
	"testing"

	"hearth/data/demo/demotest"
	"hearth/data/people"
	"hearth/data/store"
	"hearth/model"
)

// BenchmarkFlagRederive100k sets and clears the core flag on a member of a
// 100,000-member demo with the writer the program uses (the sync's rules):
// the journaled write, the member's stage judged again and the summary
// rewritten, in one transaction.
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
	// The most active member who is not core: flagging them core changes
	// their stage every time, and with it the summary.
	ms, err := s.Members(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var id int64
	for _, m := range ms {
		if m.Standing.Stage < model.StageCore {
			id = m.ID
			break
		}
	}
	d, err := s.MemberDetail(ctx, id, 1)
	if err != nil || len(d.Identities) == 0 {
		b.Fatal("no identity", err)
	}
	who := d.Identities[0].Source + ":" + d.Identities[0].ExternalID
	on := true
	for b.Loop() {
		if on {
			err = w.Flag(ctx, who, "core")
		} else {
			err = w.Unflag(ctx, who, "core")
		}
		if err != nil {
			b.Fatal(err)
		}
		on = !on
	}
}
