package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"hearth/data/demo/demotest"
	"hearth/data/people"
	"hearth/data/store"
	"hearth/model"
)

// TestMergesAndSplitsAgreeWithFullMerge: merges, splits and undos by hand
// regroup and rederive only what they touch. After a random sequence of
// them, the member list is what a full people merge and a full refresh
// (the reference) make of the same links: same members, same ids, same
// counts and stages.
func TestMergesAndSplitsAgreeWithFullMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo community")
	}
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { mergeSplitUndoAgree(t, seed) })
	}
}

func mergeSplitUndoAgree(t *testing.T, seed uint64) {
	ctx := context.Background()
	s := demotest.Fresh(t, 300, time.Now().UTC())
	w := s.Writer("tester").WithRules(people.Rules{}, model.DefaultRules())
	rng := rand.New(rand.NewPCG(seed, 8))
	list := func() []string {
		ms, err := s.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = fmt.Sprintf("%d %s %v a=%d c=%d %v %v", m.ID, m.Name, m.Handles, m.Activities, m.Contributions, m.Standing.Stage, m.LastActive.Unix())
		}
		return out
	}
	keys := func() map[int64][]string {
		k, err := s.MemberIdentityKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for step := range 40 {
		ms, err := s.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		switch op := rng.IntN(5); {
		case op < 2:
			a, b := ms[rng.IntN(len(ms))], ms[rng.IntN(len(ms))]
			if a.ID != b.ID {
				if err := w.MergeMembers(ctx, a.ID, b.ID); err != nil {
					t.Fatalf("step %d: merge %d %d: %v", step, a.ID, b.ID, err)
				}
			}
		case op < 4:
			var many [][]string
			for _, ks := range keys() {
				if len(ks) > 1 {
					many = append(many, ks)
				}
			}
			if len(many) > 0 {
				ks := many[rng.IntN(len(many))]
				if _, err := w.SplitIdentity(ctx, ks[rng.IntN(len(ks))]); err != nil {
					t.Fatalf("step %d: split: %v", step, err)
				}
			}
		default:
			if _, err := w.Undo(ctx); err != nil && err != store.ErrNothingToUndo {
				t.Fatalf("step %d: undo: %v", step, err)
			}
		}
	}
	got := list()
	if err := s.MergePeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(ctx, time.Now().UTC(), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if want := list(); !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("row %d after the writes:\n got %s\nwant %s (%d and %d members)", i, got[i], want[i], len(got), len(want))
			}
		}
		t.Fatalf("%d members after the writes, %d after a full merge", len(got), len(want))
	}
}
