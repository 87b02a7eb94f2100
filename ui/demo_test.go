package ui

import (
	"context"
	"path/filepath"
	"testing"

	"hearth/data"
)

// The real store is what the program runs on.
var _ Store = (*data.Store)(nil)

// demoStore opens a new database holding the deterministic demo community.
func demoStore(t testing.TB, members int) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := data.GenerateDemo(ctx, s, data.DemoOptions{Members: members, Seed: 1, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	return s
}
