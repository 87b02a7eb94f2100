package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// SyncFunc runs a sync of the community's configured sources. progress may
// be called from any goroutine. The UI never talks to a source itself: the
// caller (the CLI) builds this function from the config file.
type SyncFunc func(ctx context.Context, progress func(SyncProgress)) error

// SyncProgress is one progress report of a running sync.
type SyncProgress struct {
	Source      string
	Done, Total int
	What        string
}

// syncMsg carries progress (Done false) or the end of a sync (Done true)
// from the sync's goroutine to Update.
type syncMsg struct {
	progress SyncProgress
	done     bool
	err      error
}

// syncRun is the state of a sync started from the TUI.
type syncRun struct {
	events chan syncMsg
	cancel context.CancelFunc
	last   SyncProgress
}

// startSync runs fn in the background. Progress reports are dropped when
// the UI has not caught up (only the latest matters); the final message is
// always delivered.
func startSync(ctx context.Context, fn SyncFunc) (*syncRun, tea.Cmd) {
	ctx, cancel := context.WithCancel(ctx)
	run := &syncRun{events: make(chan syncMsg, 16), cancel: cancel}
	events := run.events
	start := func() tea.Msg {
		go func() {
			err := fn(ctx, func(p SyncProgress) {
				select {
				case events <- syncMsg{progress: p}:
				default:
				}
			})
			events <- syncMsg{done: true, err: err}
		}()
		return <-events
	}
	return run, start
}

// next waits for the sync's next message.
func (r *syncRun) next() tea.Cmd {
	events := r.events
	return func() tea.Msg { return <-events }
}

// status is the status line text of a running sync.
func (r *syncRun) status() string {
	p := r.last
	if p.Source == "" {
		return "syncing…"
	}
	s := "syncing " + model.CleanLine(p.Source)
	switch {
	case p.Total > 0:
		s += fmt.Sprintf(" %d/%d", p.Done, p.Total)
	case p.Done > 0:
		s += fmt.Sprintf(" %d", p.Done)
	}
	if p.What != "" {
		s += " " + model.CleanLine(p.What)
	}
	return s
}
