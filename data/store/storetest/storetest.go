// Package storetest helps the tests of packages built on the store (the
// sync engine, the demo generator): a store in a temporary directory, and
// a second, plain SQL connection to the same file for looking at tables
// (and, in a few tests, breaking them on purpose) that the store's typed
// API does not expose. Only tests import it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hearth/data/store"
)

// Open opens a new store in a temporary directory, closed when the test
// ends, and returns it with its path.
func Open(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// conns keeps one plain connection per store file for the whole test
// binary: opening one per query would dominate the tests' time.
var conns sync.Map // path → *sql.DB

// DB is a plain SQL connection to s's file. SQLite's write-ahead log lets
// it read what the store committed and write while the store is idle.
func DB(t testing.TB, s *store.Store) *sql.DB {
	t.Helper()
	if db, ok := conns.Load(s.Path()); ok {
		return db.(*sql.DB)
	}
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if prev, loaded := conns.LoadOrStore(s.Path(), db); loaded {
		db.Close()
		return prev.(*sql.DB)
	}
	t.Cleanup(func() {
		conns.Delete(s.Path())
		db.Close()
	})
	return db
}

// Int runs a query that returns one integer.
func Int(t testing.TB, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := DB(t, s).QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Exec runs a statement, failing the test on error.
func Exec(t testing.TB, s *store.Store, q string, args ...any) {
	t.Helper()
	if _, err := DB(t, s).Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Rows renders every row of a query as one line of text, for comparing
// databases.
func Rows(t testing.TB, s *store.Store, q string, args ...any) []string {
	t.Helper()
	rows, err := DB(t, s).Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSuffix(fmt.Sprintln(vals...), "\n"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
