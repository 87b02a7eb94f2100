package backend

import (
	"context"
	"fmt"
	"sync"
	"time"

	"hearth/data/connector"
	"hearth/data/discourse"
	"hearth/data/github"
	"hearth/model"
)

// NewGitHub returns the GitHub connector with its rate-limit waits turned
// into progress notes, so every front end (bars, log lines, the TUI's
// status line) shows why a sync stands still and until when.
func NewGitHub(repo string, opts github.Options, zone *time.Location) (connector.Source, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &rateWait{service: "GitHub", now: opts.Now, zone: zone, tick: time.Second}
	opts.OnWait = w.wait
	src, err := github.New(repo, opts)
	if err != nil {
		return nil, err
	}
	return &githubWithWaits{Source: src, waits: w}, nil
}

// githubWithWaits is a GitHub source whose rate-limit waits are reported
// through the run's progress callback.
type githubWithWaits struct {
	*github.Source
	waits *rateWait
}

func (s *githubWithWaits) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	return s.waits.around(ctx, state, emit, s.Source.Sync)
}

// NewDiscourse returns the Discourse connector with its rate-limit waits
// shown as the same countdown as GitHub's.
func NewDiscourse(forum string, opts discourse.Options, zone *time.Location) (connector.Source, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &rateWait{service: "Discourse", now: opts.Now, zone: zone, tick: time.Second}
	opts.OnWait = w.wait
	src, err := discourse.New(forum, opts)
	if err != nil {
		return nil, err
	}
	return &discourseWithWaits{Source: src, waits: w}, nil
}

// discourseWithWaits is a Discourse source whose rate-limit waits are
// reported through the run's progress callback.
type discourseWithWaits struct {
	*discourse.Source
	waits *rateWait
}

func (s *discourseWithWaits) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	return s.waits.around(ctx, state, emit, s.Source.Sync)
}

// around runs sync with the run's progress going through w.
func (w *rateWait) around(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error,
	sync func(context.Context, connector.SyncState, func(connector.Batch) error) error) error {
	w.begin(ctx, state.Progress)
	defer w.end()
	if state.Progress != nil {
		state.Progress = w.report
	}
	return sync(ctx, state, emit)
}

// ProgressNote is the done value of a progress report that is a note with
// no count: what says it all ("rate limited by GitHub, resuming in 42s (at
// 15:04:05)"). Views keep the source's last count and show the note in
// place of its status until the next ordinary report.
const ProgressNote = -1

// rateWait shows a rate-limit wait as a countdown: one note when the wait
// starts, then one every tick until the wait ends, the connector reports
// progress again, the run ends or its context is cancelled.
type rateWait struct {
	service string // who limits: "GitHub", "Discourse"
	now     func() time.Time
	zone    *time.Location // the display zone of the resume time
	tick    time.Duration

	mu       sync.Mutex
	ctx      context.Context
	progress func(done, total int, what string) // of the running Sync; nil between runs
	stop     chan struct{}                      // closed to end the countdown; nil when none runs
	ticker   sync.WaitGroup
}

func (w *rateWait) begin(ctx context.Context, progress func(done, total int, what string)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx, w.progress = ctx, progress
}

// end stops the countdown and waits for its goroutine, so that no note
// arrives after Sync has returned.
func (w *rateWait) end() {
	w.mu.Lock()
	w.stopCountdown()
	w.ctx, w.progress = nil, nil
	w.mu.Unlock()
	w.ticker.Wait()
}

// report forwards the connector's progress: the wait, if any, is over.
func (w *rateWait) report(done, total int, what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopCountdown()
	if w.progress != nil {
		w.progress(done, total, what)
	}
}

// wait is github.Options.OnWait: the connector is about to sit until until.
func (w *rateWait) wait(until time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopCountdown()
	if w.progress == nil {
		return
	}
	w.note(until)
	if until.Sub(w.now()) <= 0 {
		return
	}
	stop := make(chan struct{})
	w.stop = stop
	ctx := w.ctx
	w.ticker.Add(1)
	go func() {
		defer w.ticker.Done()
		t := time.NewTicker(w.tick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			w.mu.Lock()
			// A report or a newer wait may have come in while this tick
			// waited for the lock.
			if w.stop != stop {
				w.mu.Unlock()
				return
			}
			w.note(until)
			if until.Sub(w.now()) <= 0 {
				w.stop = nil
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
		}
	}()
}

// note reports the wait; w.mu is held.
func (w *rateWait) note(until time.Time) {
	left := max(until.Sub(w.now()), 0).Round(time.Second)
	w.progress(ProgressNote, 0, fmt.Sprintf("rate limited by %s, resuming in %s (at %s)",
		w.service, left, model.Clock(until, w.zone)))
}

// stopCountdown ends the running countdown, if any; w.mu is held.
func (w *rateWait) stopCountdown() {
	if w.stop != nil {
		close(w.stop)
		w.stop = nil
	}
}
