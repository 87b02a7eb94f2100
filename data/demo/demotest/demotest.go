// Package demotest gives benchmarks a large demo community without paying
// for it every run. Only tests import it.
package demotest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/demo"
	"hearth/data/store"
)

// Now is the demo's "today" in every cached community, so that benchmarks
// of different packages share one file.
var Now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// Cached returns a demo database of the given size (seed 1, Now),
// generated once into the temporary directory — 100,000 members take
// about a minute — and reused by later runs and other packages. The
// schema version is in the name, so a migration never reuses a stale file,
// and the file is renamed into place only when complete, so an
// interrupted run never leaves a half-written one behind.
func Cached(tb testing.TB, members int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-bench-%dk-v%d.db", members/1000, store.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".partial"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	s, err := store.Open(ctx, tmp, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := demo.Generate(ctx, s, demo.Options{Members: members, Seed: 1, Now: Now}); err != nil {
		s.Close()
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Fresh generates a demo community of the given size (seed 1, "today" now)
// into a new store of the test's own, which it may change; the store is
// closed when the test ends.
func Fresh(tb testing.TB, members int, now time.Time) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(tb.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := demo.Generate(ctx, s, demo.Options{Members: members, Seed: 1, Now: now}); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Copy returns a copy of the cached demo database of the given size in the
// test's own temporary directory, for benchmarks that write: the shared
// file must stay as generated.
func Copy(tb testing.TB, members int) string {
	tb.Helper()
	from := Cached(tb, members)
	to := filepath.Join(tb.TempDir(), "demo.db")
	in, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return to
}

// Open opens the cached demo database of the given size read-only, for
// benchmarks that only read; it is closed when the benchmark ends.
func Open(tb testing.TB, members int) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), Cached(tb, members), store.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
