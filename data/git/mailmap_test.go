package git

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
)

const (
	patOld     = "Pat Old <pat@old.example>"
	patNew     = "Pat New <pat@new.example>"
	quinnOld   = "Quinn <quinn@old.example>"
	quinnNew   = "Quinn <quinn@new.example>"
	oldCanonMM = "Pat Canon <pat@old.example> <pat@new.example>\nQuinn <quinn@new.example> <quinn@old.example>\n"
	newCanonMM = "Pat Canon <pat@new.example> <pat@old.example>\nQuinn <quinn@new.example> <quinn@old.example>\n"
)

// swapHistory builds a history in which Pat commits and co-authors under
// two addresses, and Quinn under two, joined by a .mailmap that makes
// pat@old.example Pat's canonical address.
func swapHistory(t *testing.T, name string) *testRepo {
	r := newTestRepo(t, name)
	r.commit(bob, "mailmap", map[string]string{".mailmap": oldCanonMM, "a": "1"})
	r.commit(patOld, "one", map[string]string{"a": "2"})
	r.commit(patNew, "two\n\nCo-authored-by: Quinn Q <quinn@old.example>", map[string]string{"b": "1"})
	r.commit(bob, "three\n\nCo-authored-by: Pat Trailer <pat@new.example>", map[string]string{"c": "1"})
	r.commit(quinnNew, "four\n\nCo-authored-by: Pat Trailer <PAT@old.example>", map[string]string{"d": "1"})
	return r
}

// swapCanonical makes pat@new.example Pat's canonical address and adds
// commits after the change.
func swapCanonical(r *testRepo) {
	r.commit(bob, "swap Pat's address", map[string]string{".mailmap": newCanonMM})
	r.commit(patOld, "five\n\nCo-authored-by: Pat Again <pat@new.example>", map[string]string{"a": "3"})
	r.commit(quinnOld, "six\n\nCo-authored-by: Pat Trailer <pat@old.example>", map[string]string{"e": "1"})
}

// patMembers returns the e-mails of each member with one of Pat's.
func patMembers(s stored) [][]string {
	var out [][]string
	for _, m := range s.members {
		for _, e := range m.Emails {
			if strings.HasPrefix(e, "pat@") {
				out = append(out, m.Emails)
				break
			}
		}
	}
	return out
}

// When the .mailmap swaps a person's canonical address between two tips,
// an incremental sync ends as a fresh import of the new tip: one member,
// the same identities and activities.
func TestMailmapSwapMatchesFreshImport(t *testing.T) {
	isolate(t)
	for _, bare := range []bool{false, true} {
		r := swapHistory(t, "swap")
		dir := r.dir
		if bare {
			dir = filepath.Join(t.TempDir(), "swap.git")
			r.git(nil, "clone", "-q", "--bare", r.dir, dir)
		}
		opts := Options{BatchSize: 2}
		db := filepath.Join(t.TempDir(), "hearth.db")
		syncStore(t, dir, db, opts)
		if got := patMembers(readStored(t, db)); len(got) != 1 || !reflect.DeepEqual(got[0], []string{"pat@old.example"}) {
			t.Fatalf("bare %v: before the change, Pat's members %v", bare, got)
		}
		swapCanonical(r)
		if bare {
			r.git(nil, "push", "-q", dir, "main:main")
		}
		got := sameAsFreshImport(t, &testRepo{t: t, dir: dir}, db, opts)
		if pats := patMembers(got); len(pats) != 1 || !reflect.DeepEqual(pats[0], []string{"pat@new.example"}) {
			t.Errorf("bare %v: after the change, Pat's members %v, want one with pat@new.example", bare, pats)
		}
	}
}

// killAfter is a Source whose run is cancelled once its n-th batch is
// committed.
type killAfter struct {
	*Source
	n       int
	cancel  context.CancelFunc
	batches []connector.Batch
}

func (k *killAfter) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	return k.Source.Sync(ctx, state, func(b connector.Batch) error {
		err := emit(b)
		k.batches = append(k.batches, b)
		if len(k.batches) == k.n {
			k.cancel()
		}
		return err
	})
}

// syncKilled syncs the repository at dir into db and cancels the run once
// its n-th batch is committed. It returns the batches emitted.
func syncKilled(t *testing.T, dir, db string, opts Options, n int) []connector.Batch {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k := &killAfter{Source: mustNew(t, dir, opts), n: n, cancel: cancel}
	res := engine.Run(ctx, st, []connector.Source{k}, engine.Options{Now: func() time.Time { return syncNow }})
	if len(res) != 1 || !errors.Is(res[0].Err, context.Canceled) {
		t.Fatalf("killed after %d batches: %+v", n, res)
	}
	if len(k.batches) != n {
		t.Fatalf("killed after %d batches, %d emitted", n, len(k.batches))
	}
	return k.batches
}

// A sync through a .mailmap change killed after its first batches (the
// removals alone, then the first commits again) resumes to a fresh import.
func TestMailmapSwapResumedAfterKill(t *testing.T) {
	isolate(t)
	for _, n := range []int{1, 2} {
		r := swapHistory(t, "killed")
		opts := Options{BatchSize: 2}
		db := filepath.Join(t.TempDir(), "hearth.db")
		syncStore(t, r.dir, db, opts)
		swapCanonical(r)
		first := syncKilled(t, r.dir, db, opts, n)[0]
		if len(first.RemovedActivities) == 0 || len(first.Activities) != 0 {
			t.Errorf("first batch: %d removals, %d activities; want removals alone",
				len(first.RemovedActivities), len(first.Activities))
		}
		got := sameAsFreshImport(t, r, db, opts)
		if pats := patMembers(got); len(pats) != 1 {
			t.Errorf("killed after %d batches: Pat's members %v, want one", n, pats)
		}
	}
}

// A run killed before the .mailmap changed leaves a partial cursor, whose
// tip's .mailmap mapped the stored commits: resumed after the change, it
// ends as a fresh import.
func TestMailmapSwapAfterPartialRun(t *testing.T) {
	isolate(t)
	r := swapHistory(t, "partial")
	opts := Options{BatchSize: 2}
	db := filepath.Join(t.TempDir(), "hearth.db")
	syncKilled(t, r.dir, db, opts, 1)
	swapCanonical(r)
	got := sameAsFreshImport(t, r, db, opts)
	if pats := patMembers(got); len(pats) != 1 {
		t.Errorf("Pat's members %v, want one", pats)
	}
}

// A .mailmap added where there was none joins a person's two addresses
// as a fresh import does.
func TestMailmapAdded(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "added")
	r.commit(patOld, "one", map[string]string{"a": "1"})
	r.commit(patNew, "two\n\nCo-authored-by: Quinn <quinn@old.example>", map[string]string{"b": "1"})
	r.commit(bob, "three\n\nCo-authored-by: Pat Trailer <pat@new.example>", map[string]string{"c": "1"})
	opts := Options{BatchSize: 2}
	db := filepath.Join(t.TempDir(), "hearth.db")
	syncStore(t, r.dir, db, opts)
	if got := patMembers(readStored(t, db)); len(got) != 2 {
		t.Fatalf("before the .mailmap, Pat's members %v, want two", got)
	}
	r.commit(bob, "mailmap", map[string]string{".mailmap": newCanonMM})
	got := sameAsFreshImport(t, r, db, opts)
	if pats := patMembers(got); len(pats) != 1 || !reflect.DeepEqual(pats[0], []string{"pat@new.example"}) {
		t.Errorf("after the .mailmap, Pat's members %v, want one with pat@new.example", pats)
	}
}

// Without a .mailmap change, an incremental sync removes nothing, even
// when a partial cursor is resumed on a tip that moved; with one, the
// removals come alone in the first batch.
func TestMailmapUnchangedRemovesNothing(t *testing.T) {
	isolate(t)
	r := swapHistory(t, "same")
	s := mustNew(t, r.dir, Options{BatchSize: 2})
	first := sync(t, s, "")
	r.commit(patNew, "more", map[string]string{"f": "1"})
	r.commit(bob, "mailmap untouched\n\nCo-authored-by: Pat <pat@old.example>", map[string]string{"a": "9", ".mailmap": oldCanonMM})
	c := sync(t, s, first.cursor())
	if len(c.batches) == 0 || len(c.batches[0].RemovedActivities) != 0 || len(c.removed()) != 0 {
		t.Fatalf("unchanged .mailmap: removed %v", c.removed())
	}
	if len(c.activities()) != 3 {
		t.Errorf("unchanged .mailmap: emitted %v, want the 2 new commits and a co-author", c.ids())
	}

	killed := errors.New("killed")
	part := &collector{fail: func(n int) error {
		if n == 1 {
			return killed
		}
		return nil
	}}
	if err := s.Sync(context.Background(), connector.SyncState{}, part.emit); !errors.Is(err, killed) {
		t.Fatalf("Sync returned %v", err)
	}
	r.commit(quinnOld, "after the kill", map[string]string{"g": "1"})
	if rest := sync(t, s, part.cursor()); len(rest.removed()) != 0 {
		t.Errorf("resumed with an unchanged .mailmap: removed %v", rest.removed())
	}

	tip := sync(t, s, "").cursor()
	r.commit(bob, "swap", map[string]string{".mailmap": newCanonMM})
	c = sync(t, s, tip)
	if len(c.batches) < 2 || len(c.batches[0].RemovedActivities) == 0 || len(c.batches[0].Activities) != 0 {
		t.Fatalf("changed .mailmap: first batch %+v", c.batches[0])
	}
}
