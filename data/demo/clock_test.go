package demo

import (
	"context"
	"hearth/data/store"
	"path/filepath"
	"testing"
	"time"
)

// TestStoreUsesItsClock: what the store compares with "now" (upcoming
// events) follows the clock it was opened with, not the machine's.
func TestStoreUsesItsClock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Generate(ctx, st, Options{Members: 40, Seed: 3, Now: today}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	upcoming := func(now time.Time) int {
		st, err := store.Open(ctx, path, store.Options{ReadOnly: true, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		sum, err := st.Summary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sum.UpcomingEvents
	}
	past, atDemo, future := upcoming(today.AddDate(-10, 0, 0)), upcoming(today), upcoming(today.AddDate(10, 0, 0))
	if future != 0 || !(past > atDemo && atDemo > 0) {
		t.Errorf("upcoming events: 10 years before %d, on the demo's day %d, 10 years after %d", past, atDemo, future)
	}
}
