package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

func TestSyncKeyRunsInTheBackgroundAndRefreshes(t *testing.T) {
	store := newFakeStore(50)
	proceed := make(chan struct{})
	var gotCtx context.Context
	syncFn := func(ctx context.Context, progress func(SyncProgress)) error {
		gotCtx = ctx
		progress(SyncProgress{Source: "github:acme/widgets", Done: 1, Total: 2, What: "issues"})
		<-proceed
		return nil
	}
	m := New(Options{Store: store, Theme: "dark", Now: nowFunc, Sync: syncFn})
	m.Update(windowMsg(100, 30))
	drive(t, m, m.Init())

	_, start := m.Update(keyMsg("r"))
	if start == nil {
		t.Fatal("r started nothing")
	}
	_, next := m.Update(start()) // the first progress report
	if s := screen(m); !strings.Contains(s, "syncing github:acme/widgets 1/2 issues") {
		t.Fatalf("status line does not show the running sync:\n%s", s)
	}
	// A second r while running does not start another sync.
	running := m.sync
	m.Update(keyMsg("r"))
	if m.sync != running || !strings.Contains(screen(m), "already running") {
		t.Fatal("a second sync was started")
	}
	// The sync changes the database; when it ends every view reloads.
	store.members = append([]model.Member{{ID: 999, Name: "Newcomer Person", Activities: 9999,
		Standing: model.Standing{Stage: model.StageParticipant, New: true}}}, store.members...)
	store.sum.Members++
	close(proceed)
	drive(t, m, next)
	s := screen(m)
	if !strings.Contains(s, "Newcomer Person") || m.summary.Members != 51 {
		t.Fatalf("views did not refresh after the sync:\n%s", s)
	}
	if !strings.Contains(s, "sync finished") {
		t.Fatalf("no word that the sync finished:\n%s", s)
	}
	press(t, m, "j")
	if !strings.Contains(screen(m), "51 members") {
		t.Fatalf("status line counts did not refresh:\n%s", screen(m))
	}
	if m.sync != nil || gotCtx.Err() == nil {
		t.Fatal("the finished sync's context was not released")
	}
}

func TestSyncErrorsAndUnconfigured(t *testing.T) {
	m := newTestModel(t, newFakeStore(20), 100, 30)
	press(t, m, "r")
	if !strings.Contains(screen(m), "no sources configured") {
		t.Fatalf("r without sources should explain how to configure them:\n%s", screen(m))
	}
	press(t, m, "j") // any key clears the notice
	if strings.Contains(screen(m), "no sources configured") {
		t.Fatal("the notice stays forever")
	}

	failing := func(ctx context.Context, progress func(SyncProgress)) error {
		return errors.New("github:acme/widgets: rate limited until 15:04")
	}
	m = New(Options{Store: newFakeStore(20), Theme: "dark", Now: nowFunc, Sync: failing})
	m.Update(windowMsg(100, 30))
	drive(t, m, m.Init())
	press(t, m, "r")
	if s := screen(m); !strings.Contains(s, "error: sync: github:acme/widgets: rate limited until 15:04") {
		t.Fatalf("sync error not shown:\n%s", s)
	}

	ro := New(Options{Store: newFakeStore(20), Theme: "dark", Now: nowFunc, ReadOnly: true, Sync: failing})
	ro.Update(windowMsg(100, 30))
	drive(t, ro, ro.Init())
	// Before any key, the status line says the database is read-only.
	if lines := strings.Split(screen(ro), "\n"); !strings.Contains(lines[len(lines)-2], "read-only") {
		t.Errorf("status line of a read-only program: %q", lines[len(lines)-2])
	}
	press(t, ro, "r")
	if !strings.Contains(screen(ro), "read-only") {
		t.Fatal("a read-only program must not sync")
	}
}

// Quitting while a sync runs cancels it; it resumes from its last batch
// next time.
func TestQuitCancelsSync(t *testing.T) {
	cancelled := make(chan struct{})
	syncFn := func(ctx context.Context, progress func(SyncProgress)) error {
		progress(SyncProgress{Source: "git:/src"})
		<-ctx.Done()
		close(cancelled)
		return ctx.Err()
	}
	m := New(Options{Store: newFakeStore(5), Theme: "dark", Now: nowFunc, Sync: syncFn})
	m.Update(windowMsg(80, 24))
	drive(t, m, m.Init())
	_, start := m.Update(keyMsg("r"))
	m.Update(start())
	m.Update(keyMsg("q"))
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("quitting did not cancel the running sync")
	}
}

func windowMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
