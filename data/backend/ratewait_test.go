package backend

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/github"
	"hearth/data/github/githubtest"
	"hearth/data/store"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// progressLog records what a sync reported, safely for the test goroutine.
type progressLog struct {
	mu   sync.Mutex
	what []string // notes as "note: ...", progress as its what
}

func (l *progressLog) add(done int, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if done == ProgressNote {
		what = "note: " + what
	}
	l.what = append(l.what, what)
}

func (l *progressLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.what)
}

// waitFor polls until some report contains s.
func (l *progressLog) waitFor(t *testing.T, s string) bool {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, w := range l.snapshot() {
			if strings.Contains(w, s) {
				return true
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("no report contains %q: %q", s, l.snapshot())
	return false
}

// TestRateLimitCountdown: while the connector waits, the seconds count
// down in the progress reports, and the countdown stops when the wait is over.
func TestRateLimitCountdown(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	srv.Inject("/issues?", 1, githubtest.RetryAfter(3))
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.Local)
	clock := &fakeClock{t: start}
	var log progressLog
	// The resume time is shown in the display zone, not the machine's.
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	src, err := NewGitHub(srv.Repo, github.Options{
		APIURL: srv.URL,
		Token:  "t",
		Now:    clock.now,
		// The wait moves the clock a second at a time and lets the
		// countdown show each second before moving on.
		Sleep: func(ctx context.Context, d time.Duration) error {
			if d != 3*time.Second {
				t.Errorf("waits %s, want the 3s of Retry-After", d)
			}
			for _, left := range []string{"2s", "1s"} {
				clock.advance(time.Second)
				if !log.waitFor(t, "resuming in "+left+" ") {
					break
				}
			}
			clock.advance(time.Second)
			return nil
		},
	}, tokyo)
	if err != nil {
		t.Fatal(err)
	}
	src.(*githubWithWaits).waits.tick = time.Millisecond

	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res := engine.Run(context.Background(), st, []connector.Source{src}, engine.Options{
		Now: clock.now,
		OnProgress: func(source string, done, total int, what string) {
			log.add(done, what)
		},
	})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	got := log.snapshot()
	at := "(at " + start.Add(3*time.Second).In(tokyo).Format("15:04:05") + ")"
	// The first note comes before any tick, then the seconds count down.
	var order []string
	for _, w := range got {
		if strings.HasPrefix(w, "note: ") && !slices.Contains(order, w) {
			order = append(order, w)
		}
	}
	if len(order) < 3 || order[0] != "note: rate limited by GitHub, resuming in 3s "+at ||
		!strings.Contains(order[1], "in 2s "+at) || !strings.Contains(order[2], "in 1s "+at) {
		t.Errorf("countdown %q", order)
	}
	if last := got[len(got)-1]; strings.HasPrefix(last, "note: ") {
		t.Errorf("the sync ended on a note: %q", got)
	}
	// Nothing reports after Sync returned: the countdown is gone.
	n := len(got)
	time.Sleep(20 * time.Millisecond)
	if len(log.snapshot()) != n {
		t.Errorf("reports after the sync ended: %q", log.snapshot()[n:])
	}
}

// TestRateLimitCountdownStopsOnCancel: an interrupted wait ends its
// countdown goroutine even before the run is torn down.
func TestRateLimitCountdownStopsOnCancel(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	w := &rateWait{now: clock.now, tick: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var log progressLog
	w.begin(ctx, func(done, _ int, what string) { log.add(done, what) })
	w.wait(clock.now().Add(time.Minute))
	log.waitFor(t, "resuming in 1m0s")
	cancel()
	stopped := make(chan struct{})
	go func() { w.ticker.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("countdown still running after cancel")
	}
	w.end()
}
