package ui

import (
	"context"
	"path/filepath"
	"testing"

	"hearth/data/demo"
	"hearth/data/store"
)

// The real store is what the program runs on.
var _ Store = (*store.Store)(nil)

// demoStore opens a new database holding the deterministic demo community.
func demoStore(t testing.TB, members int) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := demo.Generate(ctx, s, demo.Options{Members: members, Seed: 1, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	return s
}
