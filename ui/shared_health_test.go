package ui

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/data/store"
	"hearth/model"
)

// healthCountingStore counts the reads of the health input, and fails
// them while fail is set.
type healthCountingStore struct {
	*store.Store
	reads atomic.Int32
	fail  atomic.Bool
}

func (s *healthCountingStore) HealthInput(ctx context.Context) (store.HealthInput, error) {
	s.reads.Add(1)
	if s.fail.Load() {
		return store.HealthInput{}, errors.New("disk on fire")
	}
	return s.Store.HealthInput(ctx)
}

// Many programs asking at once for every window and both views: one read,
// one overview per window and view, each the same for everyone who asked.
func TestSharedHealthReadOnce(t *testing.T) {
	st := &healthCountingStore{Store: demoStore(t, 60)}
	d := NewDirectory(context.Background(), st, func() time.Time { return testNow })
	ctx := context.Background()
	type got struct {
		k healthKey
		p healthPayload
	}
	var mu sync.Mutex
	var all []got
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			k := healthKey{window: model.Windows[i%len(model.Windows)], private: i/len(model.Windows)%2 == 0}
			p, err := d.overview(ctx, k.private, k.window, model.HealthOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			all = append(all, got{k, p})
			mu.Unlock()
		})
	}
	wg.Wait()
	if n := st.reads.Load(); n != 1 || d.HealthReads() != 1 {
		t.Fatalf("24 programs read the health input %d times (counted %d), want once", n, d.HealthReads())
	}
	first := map[healthKey]healthPayload{}
	for _, g := range all {
		if g.p.window != g.k.window || g.p.health == nil || g.p.in == nil {
			t.Fatalf("asked for %v, got window %v, health %v", g.k, g.p.window, g.p.health != nil)
		}
		if f, ok := first[g.k]; ok && f.health != g.p.health {
			t.Errorf("%v was computed more than once", g.k)
		}
		first[g.k] = g.p
	}
	if len(first) != 2*len(model.Windows) {
		t.Errorf("%d overviews, want %d", len(first), 2*len(model.Windows))
	}
	// The views share the activities but not the names.
	pub, priv := first[healthKey{window: firstWindow, private: true}], first[healthKey{window: firstWindow}]
	if pub.in == priv.in {
		t.Error("viewers and managers share one input")
	}
	for i, m := range priv.in.Members {
		if len(m.Acts) > 0 && &pub.in.Members[i].Acts[0] != &m.Acts[0] {
			t.Fatal("the public view copied the activities")
		}
	}

	// Every window of a view lists people from one roster, the one an
	// overview computed alone has.
	for _, w := range model.Windows {
		for _, private := range []bool{false, true} {
			r, r0 := first[healthKey{window: w, private: private}].health.Roster(), first[healthKey{window: firstWindow, private: private}].health.Roster()
			if len(r) == 0 || &r[0] != &r0[0] {
				t.Fatalf("window %v (private %v) built a roster of its own", w, private)
			}
		}
	}
	alone := computeOverview(priv.in, testNow, model.Window(3), model.HealthOptions{})
	if !reflect.DeepEqual(alone.health.Roster(), priv.health.Roster()) {
		t.Error("the shared roster is not the roster of an overview computed alone")
	}

	d.Refresh()
	if _, err := d.overview(ctx, false, firstWindow, model.HealthOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := st.reads.Load(); n != 2 {
		t.Errorf("after a refresh the input was read %d times in all, want 2", n)
	}
}

// A failed read is reported to the programs that asked and tried again
// by the next.
func TestSharedHealthReadFails(t *testing.T) {
	st := &healthCountingStore{Store: demoStore(t, 30)}
	st.fail.Store(true)
	d := NewDirectory(context.Background(), st, func() time.Time { return testNow })
	if _, err := d.overview(context.Background(), true, firstWindow, model.HealthOptions{}); err == nil {
		t.Fatal("a failed read gave no error")
	}
	st.fail.Store(false)
	p, err := d.overview(context.Background(), true, firstWindow, model.HealthOptions{})
	if err != nil || p.health == nil {
		t.Fatalf("the read was not tried again: %v", err)
	}
	if n := st.reads.Load(); n != 2 {
		t.Errorf("%d reads, want 2", n)
	}
}

// publicHealthInput leaves out names and organisations that hold an
// e-mail address, and nothing else.
func TestPublicHealthInput(t *testing.T) {
	in := &store.HealthInput{Members: []model.HealthMember{
		{ID: 1, Name: "Ana <ana@example.org>", Org: "ana@example.org"},
		{ID: 2, Name: "Bo", Org: "Kestrel Labs"},
	}}
	out := publicHealthInput(in)
	if m := out.Members[0]; m.Name != noPublicHandle || m.Org != "" {
		t.Errorf("public view of a member named by address: %+v", m)
	}
	if m := out.Members[1]; m.Name != "Bo" || m.Org != "Kestrel Labs" {
		t.Errorf("public view of a member with a public name: %+v", m)
	}
	if in.Members[0].Name != "Ana <ana@example.org>" {
		t.Error("the public view changed the shared input")
	}
}

// The index by id of a shared snapshot is built once for every program;
// rows that are not a snapshot get none.
func TestSharedRowIndex(t *testing.T) {
	d := NewDirectory(context.Background(), demoStore(t, 40), func() time.Time { return testNow })
	p, err := d.get(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	a, b := d.rowIndex(p.members), d.rowIndex(p.members)
	if a == nil || reflect.ValueOf(a).Pointer() != reflect.ValueOf(b).Pointer() {
		t.Fatal("two programs got different indexes of one snapshot")
	}
	for i, m := range p.members {
		if a[m.ID] != int32(i) {
			t.Fatalf("member %d is at row %d, the index says %d", m.ID, i, a[m.ID])
		}
	}
	if d.rowIndex(slices.Clone(p.members)) != nil {
		t.Error("rows that are not a snapshot got its index")
	}
	var none *Directory
	if none.rowIndex(p.members) != nil {
		t.Error("no directory, yet an index")
	}
}

// A new day computes the overview again, as of that day, from the input
// already read.
func TestSharedHealthNewDay(t *testing.T) {
	st := &healthCountingStore{Store: demoStore(t, 30)}
	var now atomic.Int64
	now.Store(testNow.Unix())
	d := NewDirectory(context.Background(), st, func() time.Time { return time.Unix(now.Load(), 0).UTC() })
	ctx := context.Background()
	first, err := d.overview(ctx, false, firstWindow, model.HealthOptions{})
	if err != nil {
		t.Fatal(err)
	}
	same, _ := d.overview(ctx, false, firstWindow, model.HealthOptions{})
	now.Add(24 * 60 * 60)
	next, err := d.overview(ctx, false, firstWindow, model.HealthOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if same.health != first.health {
		t.Error("the same day computed the overview again")
	}
	if !next.health.AsOf.After(first.health.AsOf) {
		t.Errorf("the next day's overview is as of %v, the first's %v", next.health.AsOf, first.health.AsOf)
	}
	if n := st.reads.Load(); n != 1 {
		t.Errorf("%d reads, want 1", n)
	}
}
