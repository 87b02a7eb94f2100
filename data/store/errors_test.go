package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"hearth/data/people"
	"hearth/model"
)

// wantCode checks that err is the friendly one-line error for a SQLite
// result code and still carries the code.
func wantCode(t *testing.T, err error, code int, text string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", text)
	}
	if got := sqliteCode(err); got != code {
		t.Errorf("code %d, want %d (%v)", got, code, err)
	}
	if !strings.Contains(err.Error(), text) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q, want one line with %q", err, text)
	}
}

// single pins the store to one connection so that per-connection pragmas
// set by a test apply to every statement.
func single(t *testing.T, s *Store, pragmas ...string) {
	t.Helper()
	s.db.SetMaxOpenConns(1)
	for _, p := range pragmas {
		if _, err := s.db.Exec("PRAGMA " + p); err != nil {
			t.Fatal(err)
		}
	}
}

func TestErrorBusy(t *testing.T) {
	ctx := context.Background()
	a, path := openTemp(t)
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	single(t, b, "busy_timeout = 20")
	// a holds the write lock, as a running sync does.
	conn, err := a.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	err = b.SetMeta(ctx, "probe", "x")
	wantCode(t, err, sqlite3.SQLITE_BUSY, "the database is busy")
	if !isBusy(err) {
		t.Error("isBusy is false for a busy error")
	}
	if !strings.HasPrefix(err.Error(), "write probe: ") {
		t.Errorf("error %q lacks its context", err)
	}
	if _, err := b.mergePeople(ctx, people.Rules{}); err == nil || sqliteCode(err) != sqlite3.SQLITE_BUSY {
		t.Errorf("merge while locked: %v", err)
	}
}

func TestErrorLocked(t *testing.T) {
	// SQLITE_LOCKED is a conflict inside one connection: dropping a table
	// while a statement of the same connection still reads it.
	ctx := context.Background()
	s, _ := openTemp(t)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"CREATE TABLE scratch(x)", "INSERT INTO scratch VALUES (1), (2)"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, "SELECT x FROM scratch")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal("no row")
	}
	_, err = conn.ExecContext(ctx, "DROP TABLE scratch")
	wantCode(t, friendly(err), sqlite3.SQLITE_LOCKED, "locked by another statement")
	if isBusy(err) {
		t.Error("a LOCKED error is not BUSY: waiting cannot clear it")
	}
}

func TestErrorNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		_, err := Open(context.Background(), path, Options{ReadOnly: ro})
		wantCode(t, err, sqlite3.SQLITE_NOTADB, "not a hearth database")
	}
}

func TestErrorReadOnly(t *testing.T) {
	ctx := context.Background()
	_, path := openTemp(t)
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	wantCode(t, ro.SetMeta(ctx, "probe", "x"), sqlite3.SQLITE_READONLY, "the database is read-only")
	if _, err := ro.mergePeople(ctx, people.Rules{}); sqliteCode(err) != sqlite3.SQLITE_READONLY {
		t.Errorf("merge on a read-only store: %v", err)
	}
}

func TestErrorReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("file permissions do not bind root")
	}
	ctx := context.Background()
	s, path := openTemp(t)
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path, Options{})
	if err == nil {
		defer s2.Close()
		err = s2.SetMeta(ctx, "probe", "x")
	}
	wantCode(t, err, sqlite3.SQLITE_READONLY, "the database is read-only")
}

func TestErrorCantOpen(t *testing.T) {
	// A directory where the file should be. Open refuses it before SQLite
	// is asked, so ask SQLite directly to get its real CANTOPEN.
	dir := t.TempDir()
	if _, err := Open(context.Background(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Open of a directory: %v", err)
	}
	db, err := sql.Open("sqlite", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = fmt.Errorf("open database %s: %w", dir, friendly(db.Ping()))
	wantCode(t, err, sqlite3.SQLITE_CANTOPEN, "cannot open the database file")
}

func TestErrorFull(t *testing.T) {
	// A page limit makes the file "full" just as a full disk does.
	ctx := context.Background()
	s, _ := openTemp(t)
	var pages int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	single(t, s, "max_page_count = "+strconv.Itoa(pages))
	err := s.SetMeta(ctx, "probe", strings.Repeat("x", 1<<20))
	wantCode(t, err, sqlite3.SQLITE_FULL, "disk is full")
	if v, err := s.Meta(ctx, "probe"); err != nil || v != "" {
		t.Errorf("after a full disk: %q, %v", v, err)
	}
}

func TestFriendlyLeavesOthers(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.db.Exec("SELECT * FROM no_such_table")
	if err == nil || friendly(err) != err {
		t.Errorf("friendly(%v) = %v, want it unchanged", err, friendly(err))
	}
	if friendly(nil) != nil || sqliteCode(nil) != 0 {
		t.Error("friendly(nil) is not nil")
	}
}

// A failing read inside MemberDetail is an error, not a member without
// tags: the one-column helper used to drop it.
func TestMemberDetailReportsReadErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	seedPeople(t, s, []model.Identity{gitID("dee@acme.com", "Dee")}, map[string]int{"git:dee@acme.com": 1})
	p := merge(t, s, people.Rules{})
	id := p["git:dee@acme.com"].id
	if err := s.RefreshDerived(ctx, time.Now(), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MemberDetail(ctx, id, 5); err != nil {
		t.Fatal(err)
	}
	// Flags are read after tags: break them first.
	for _, tc := range []struct{ table, want string }{{"member_flags", "read flags: "}, {"member_tags", "read tags: "}} {
		table, want := tc.table, tc.want
		if _, err := s.db.Exec("ALTER TABLE " + table + " RENAME TO gone_" + table); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MemberDetail(ctx, id, 5); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("without %s: %v, want an error starting %q", table, err, want)
		}
	}
}
