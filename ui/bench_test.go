package ui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"hearth/data/demo/demotest"
	"hearth/data/store"
)

func openBench(b *testing.B, path string) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkOpenFirstFrame100k: open the database, build the model, load
// the summary and the first page of members, render the first frame.
func BenchmarkOpenFirstFrame100k(b *testing.B) {
	path := demotest.Cached(b, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := openBench(b, path)
		m := New(Options{Store: s, DBPath: path, Theme: "dark", Now: nowFunc})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		// Only the loads the first frame waits for; the whole directory
		// and the other tabs arrive later, in the background.
		m.Update(m.loadSummary()())
		m.Update(m.members.Init()())
		frame := m.View().Content
		b.StopTimer()
		if len(m.members.members) != firstPage || len(frame) == 0 {
			b.Fatalf("first page has %d members", len(m.members.members))
		}
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkMembersLoad100k: reading the whole directory, as the Members
// tab does in the background after its first page (target: 200 ms).
func BenchmarkMembersLoad100k(b *testing.B) {
	s := openBench(b, demotest.Cached(b, 100_000))
	defer s.Close()
	ctx := context.Background()
	for b.Loop() {
		ms, err := s.Members(ctx)
		if err != nil || len(ms) < 90_000 {
			b.Fatalf("loaded %d members (%v)", len(ms), err)
		}
	}
}

// loadedBench is a model over the 100k database with every tab loaded.
func loadedBench(b *testing.B) *Model {
	b.Helper()
	s := openBench(b, demotest.Cached(b, 100_000))
	b.Cleanup(func() { s.Close() })
	m := New(Options{Store: s, Theme: "dark", Now: nowFunc})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	drive(b, m, m.Init())
	if !m.members.full || len(m.members.members) < 90_000 {
		b.Fatalf("loaded %d members", len(m.members.members))
	}
	return m
}

// BenchmarkFilterKeystroke100k: one keystroke in the member filter,
// matching and re-render, over queries of 1 to 6 characters typed in
// sequence.
func BenchmarkFilterKeystroke100k(b *testing.B) {
	benchFilterKeystrokes(b, loadedBench(b))
}

// BenchmarkSwitchTab100k: switching tabs with all data loaded, including
// the render of the new tab.
func BenchmarkSwitchTab100k(b *testing.B) {
	m := loadedBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
		_ = m.View()
	}
}
