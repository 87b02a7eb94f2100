package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrateFromEmpty(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	v, err := s.Version(ctx)
	if err != nil || v != SchemaVersion() || v < 1 {
		t.Fatalf("version %d (%v), want %d", v, err, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q %v", mode, err)
	}
	var fk int
	if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys %d %v", fk, err)
	}
	for _, table := range []string{"members", "identities", "activities", "questions", "events",
		"sync_state", "member_stats", "summary", "member_notes", "member_flags", "identity_links",
		"question_triage", "event_speakers", "event_tasks", "event_budget", "event_attendees", "saved_filters"} {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
	sum, err := s.Summary(ctx)
	if err != nil || !sum.Empty() {
		t.Fatalf("new database summary %+v %v", sum, err)
	}
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if err := s.SetMeta(ctx, "probe", "kept"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, _ := s2.Meta(ctx, "probe"); v != "kept" {
		t.Fatalf("meta after reopen %q", v)
	}
	if v, _ := s2.Version(ctx); v != SchemaVersion() {
		t.Fatalf("version after reopen %d", v)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

// Two processes (here: two stores) opening a brand-new file at once must
// both end up with one migrated schema.
func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s, err := Open(context.Background(), path, Options{})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Version(context.Background()); v != SchemaVersion() {
		t.Fatalf("version %d", v)
	}
}

func TestReadOnlyMissingFile(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing.db"), Options{ReadOnly: true})
	if err == nil {
		t.Fatal("read-only open of a missing file must fail")
	}
}

func queryInt(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// dumpTable renders every row of a query as text, for comparing databases.
func dumpTable(t *testing.T, s *Store, q string) string {
	t.Helper()
	rows, err := s.db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}
