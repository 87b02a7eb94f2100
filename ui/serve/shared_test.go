package serve

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/data/store"
	"hearth/model"
	"hearth/ui"
)

// countingStore counts how often the whole directory and the health
// input are read.
type countingStore struct {
	*store.Store
	members atomic.Int32
	health  atomic.Int32
}

func (c *countingStore) HealthInput(ctx context.Context) (store.HealthInput, error) {
	c.health.Add(1)
	return c.Store.HealthInput(ctx)
}

func (c *countingStore) Members(ctx context.Context) ([]model.Member, error) {
	c.members.Add(1)
	return c.Store.Members(ctx)
}

// Summary says the store is not the demo: a demo cannot be synced, and
// these tests sync.
func (c *countingStore) Summary(ctx context.Context) (model.Summary, error) {
	s, err := c.Store.Summary(ctx)
	s.Demo = false
	return s, err
}

// waitUntil waits (bounded) until ok.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func quit(t *testing.T, terms ...*term) {
	t.Helper()
	for _, tm := range terms {
		tm.in.Write([]byte("q"))
		tm.waitEnd(t)
	}
}

func TestSessionsShareOneDirectory(t *testing.T) {
	st := &countingStore{Store: demoStore(t)}
	ts := start(t, Config{Store: st, DBName: "demo.db", Open: true, AuthorizedKeys: writeKeys(t)})
	var terms []*term
	for i := range 4 {
		tm := ts.open(t, newSigner(t), "guest", 100, 30)
		tm.waitFor(t, "Members")
		terms = append(terms, tm)
		if i == 0 {
			// The first session reads the directory; the others find it
			// read.
			waitUntil(t, "the directory is read", func() bool { return st.members.Load() == 1 })
		}
	}
	// Every session has its rows and filters on its own.
	terms[1].in.Write([]byte("/zzzz-nobody"))
	terms[1].waitFor(t, "0 of ")
	terms[2].in.Write([]byte("j"))
	time.Sleep(200 * time.Millisecond)
	if strings.Contains(terms[2].screen(), "zzzz-nobody") {
		t.Error("one session's filter showed in another")
	}
	if n := st.members.Load(); n != 1 {
		t.Errorf("4 viewers read the directory %d times, want once", n)
	}
	terms[1].in.Write([]byte("\r")) // stop typing, so q quits
	quit(t, terms...)
}

func TestSyncToldToEverySession(t *testing.T) {
	st := &countingStore{Store: demoStore(t)}
	ana, bo := newSigner(t), newSigner(t)
	release := make(chan struct{})
	var runs atomic.Int32
	ts := start(t, Config{
		Store: st, DBName: "hearth.db", Open: true,
		Users: []User{{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
			{Name: "bo", Role: Manager, Keys: []string{authorizedLine(bo)}}},
		Sync: func(ctx context.Context, progress func(ui.SyncProgress)) error {
			runs.Add(1)
			progress(ui.SyncProgress{Source: "forum", Done: 1, Total: 2})
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	})
	a := ts.open(t, ana, "ana", 100, 30)
	b := ts.open(t, bo, "bo", 100, 30)
	v := ts.open(t, newSigner(t), "guest", 100, 30)
	for _, tm := range []*term{a, b, v} {
		tm.waitFor(t, "Members")
	}
	waitUntil(t, "both views of the directory are read", func() bool { return st.members.Load() == 2 })

	a.in.Write([]byte("r"))
	for _, tm := range []*term{a, b, v} {
		tm.waitShown(t, 100, 30, "syncing forum 1/2")
	}
	b.in.Write([]byte("r"))
	b.waitShown(t, 100, 30, "a sync is already running")
	release <- struct{}{}
	a.waitShown(t, 100, 30, "sync finished")
	b.waitShown(t, 100, 30, "sync by ana finished")
	v.waitShown(t, 100, 30, "sync by ana finished")
	// Everyone reloaded: the directory was read again, once per view.
	waitUntil(t, "the directory is read again", func() bool { return st.members.Load() == 4 })
	if n := runs.Load(); n != 1 {
		t.Errorf("the sync ran %d times, want once", n)
	}
	quit(t, a, b, v)
}

func TestScheduledSync(t *testing.T) {
	st := &countingStore{Store: demoStore(t)}
	var mu sync.Mutex
	runs := 0
	ts := start(t, Config{
		Store: st, DBName: "hearth.db", Open: true,
		SyncEvery: 300 * time.Millisecond,
		Sync: func(ctx context.Context, progress func(ui.SyncProgress)) error {
			mu.Lock()
			runs++
			mu.Unlock()
			return nil
		},
	})
	v := ts.open(t, newSigner(t), "guest", 100, 30)
	// Resized only once its program runs: the SSH library races a
	// resize against the start of a session.
	v.waitFor(t, "Members")
	v.waitShown(t, 100, 30, "sync by schedule finished")
	waitUntil(t, "two scheduled syncs", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return runs >= 2
	})
	quit(t, v)
	if logs := ts.log.String(); !strings.Contains(logs, "scheduled sync finished") {
		t.Errorf("log:\n%s", logs)
	}
}

func TestScheduleNeedsSync(t *testing.T) {
	_, err := New(Config{Store: demoStore(t), HostKey: newSigner(t), SyncEvery: time.Hour})
	if err == nil || !strings.Contains(err.Error(), "a sync schedule needs sources") {
		t.Fatalf("got %v", err)
	}
}

// slowWriter holds each tag until released, and records the context it
// was given.
type slowWriter struct {
	ui.Writer
	started chan struct{}
	release chan struct{}
	done    atomic.Bool
	ctxErr  atomic.Value
}

func (w *slowWriter) Tag(ctx context.Context, who, tag string) error {
	w.started <- struct{}{}
	<-w.release
	if err := ctx.Err(); err != nil {
		w.ctxErr.Store(err)
	}
	w.done.Store(true)
	return nil
}

func TestShutdownLetsWritesFinish(t *testing.T) {
	slow := &slowWriter{started: make(chan struct{}), release: make(chan struct{})}
	s := &Server{dir: ui.NewDirectory(context.Background(), demoStore(t), nil)}
	w := &gatedWriter{w: slow, gate: &s.writes, dir: s.dir}

	// The session that writes leaves at once: its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	wrote := make(chan error, 1)
	go func() { wrote <- w.Tag(ctx, "github:1", "go") }()
	<-slow.started
	cancel()

	closed := make(chan int, 1)
	go func() { closed <- s.writes.close() }()
	select {
	case <-closed:
		t.Fatal("the shutdown did not wait for the write in flight")
	case <-time.After(100 * time.Millisecond):
	}
	close(slow.release)
	if err := <-wrote; err != nil {
		t.Errorf("the write failed: %v", err)
	}
	if n := <-closed; n != 1 || !slow.done.Load() {
		t.Errorf("the shutdown waited for %d writes, the write done %v", n, slow.done.Load())
	}
	if err := slow.ctxErr.Load(); err != nil {
		t.Errorf("the write ran on an ended context: %v", err)
	}
	// After the shutdown began, nothing more is written.
	if err := w.Tag(context.Background(), "github:1", "go"); err != errClosing {
		t.Errorf("a write after the shutdown: %v", err)
	}
}
