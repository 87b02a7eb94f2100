// Package store is hearth's SQLite store: the schema and its migrations,
// the typed queries the front ends read through, the writes a sync makes
// (batches, the people merge's plan, the derived tables) and the bulk
// loader the demo generator writes through.
//
// No SQL lives outside this package.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite" // pure-Go SQLite driver, registers "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open hearth database.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	now      func() time.Time
}

// Options tune Open.
type Options struct {
	// ReadOnly opens without migrating or writing; the file must exist.
	ReadOnly bool
	// CacheMiB is the page cache per connection; 0 means the default (16).
	CacheMiB int
	// Now is the clock of what the store records and compares (upcoming
	// events, when a link was made); nil means time.Now. Elapsed times and
	// lock timeouts use the monotonic clock instead.
	Now func() time.Time
}

// Open opens (creating if needed) the database at path, in WAL mode with a
// busy timeout so the TUI, a running sync and SSH sessions can share it, and
// brings its schema up to date.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database path")
	}
	// Refuse another program's database before anything could write to
	// it, and a missing directory before SQLite says "unable to open".
	probe, err := ProbeFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if !probe.Hearth() {
		return nil, fmt.Errorf("%s is %w: it holds another program's tables, and hearth leaves it unchanged", path, ErrForeign)
	}
	if opt.ReadOnly && !probe.Exists {
		return nil, fmt.Errorf("open database: %s does not exist", path)
	}
	if dir := filepath.Dir(path); !opt.ReadOnly {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("cannot create %s: the directory %s does not exist", path, dir)
		}
	}
	cache := opt.CacheMiB
	if cache <= 0 {
		cache = 16
	}
	q := url.Values{}
	for _, p := range []string{
		"busy_timeout(10000)",
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"synchronous(NORMAL)",
		"cache_size(-" + strconv.Itoa(cache*1024) + ")",
		"temp_store(MEMORY)",
		// Checkpoint every 64 MiB of WAL rather than every 4 MiB: a sync
		// rewrites the same index pages in every batch, and fewer
		// checkpoints copy each page back fewer times (ingest +7%).
		"wal_autocheckpoint(16384)",
	} {
		q.Add("_pragma", p)
	}
	if opt.ReadOnly {
		q.Set("mode", "ro")
		// A reader never switches the journal mode: the switch is a write.
		q["_pragma"] = slices.DeleteFunc(q["_pragma"], func(p string) bool { return strings.HasPrefix(p, "journal_mode") })
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{db: db, path: path, readOnly: opt.ReadOnly, now: now}
	if err := connect(ctx, db); err != nil {
		db.Close()
		if !opt.ReadOnly {
			return nil, fmt.Errorf("open database %s: %w", path, friendly(err))
		}
		// A WAL database in a directory hearth cannot write has no -shm
		// file to share, and SQLite can then read it only as immutable:
		// fine for a view of a file nobody here can change.
		q.Set("immutable", "1")
		db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		if err := connect(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, friendly(err))
		}
		s.db = db
	}
	if !opt.ReadOnly {
		if err := s.migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		if err := s.ensureIndexes(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	return s, nil
}

// busyWait bounds how long opening waits for other processes, as the
// busy_timeout pragma does for statements.
const busyWait = 10 * time.Second

// connect makes the first connection. Switching a new file to WAL mode
// needs a lock that SQLite does not wait for through the busy handler, so
// two processes creating the same database at once (the TUI and a sync,
// say) would see "database is locked"; retry while that is the reason.
func connect(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyWait)
	pause := 5 * time.Millisecond
	for {
		err := db.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's "another connection holds the
// lock" (SQLITE_BUSY, or one of its extended codes).
func isBusy(err error) bool { return sqliteCode(err) == sqlite3.SQLITE_BUSY }

// sqliteCode returns the primary result code of a SQLite error anywhere in
// err's chain (extended codes carry it in their low byte), 0 when err is
// not one.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		body, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies every migration newer than PRAGMA user_version, each in
// its own transaction together with the version bump, so a crash leaves the
// schema at a version it really has. BEGIN IMMEDIATE serialises processes
// that open a new database at the same moment.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var start int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&start); err != nil {
		return friendly(err)
	}
	if start > 0 && start < ms[len(ms)-1].version {
		// A database with nothing in it (one another program is creating
		// at this moment, say) has nothing to lose.
		empty, err := isEmpty(ctx, conn)
		if err != nil {
			return err
		}
		if !empty {
			if err := s.backup(ctx, conn, start); err != nil {
				return err
			}
		}
	}
	for _, m := range ms {
		var current int
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
			return friendly(err)
		}
		if m.version <= current {
			continue
		}
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return friendly(err)
		}
		// Another process may have migrated while we waited for the lock.
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return friendly(err)
		}
		if m.version <= current {
			conn.ExecContext(ctx, "ROLLBACK")
			continue
		}
		if _, err := conn.ExecContext(ctx, m.sql); err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return fmt.Errorf("migration %s: %w", m.name, friendly(err))
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return fmt.Errorf("migration %s: %w", m.name, friendly(err))
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return fmt.Errorf("migration %s: %w", m.name, friendly(err))
		}
	}
	var current int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return friendly(err)
	}
	if want := ms[len(ms)-1].version; current > want {
		return fmt.Errorf("database schema version %d is newer than this hearth understands (%d); upgrade hearth", current, want)
	}
	return nil
}

// activityIndexes are the indexes of the activities table, as the
// migration creates them. Bulk loads (the demo, a first import) drop them
// and build them again with one sort each, much faster than keeping them up
// to date row by row.
var activityIndexes = [...]struct{ name, create string }{
	{"activities_key", "CREATE UNIQUE INDEX activities_key ON activities(key)"},
	{"activities_identity", "CREATE INDEX activities_identity ON activities(identity_id, at)"},
}

// ensureIndexes builds the activity indexes that are missing: after a bulk
// load was killed before it could rebuild them, the next Open repairs the
// schema.
func (s *Store) ensureIndexes(ctx context.Context) error {
	for _, ix := range activityIndexes {
		var n int
		if err := s.db.QueryRowContext(ctx,
			"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?", ix.name).Scan(&n); err != nil {
			return friendly(err)
		}
		if n == 0 {
			if _, err := s.db.ExecContext(ctx, ix.create); err != nil {
				return fmt.Errorf("rebuild index %s: %w", ix.name, friendly(err))
			}
		}
	}
	return nil
}

// Version returns the schema version recorded in the database.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", friendly(err))
	}
	return v, nil
}

// friendly turns SQLite's most common failures into one clear line,
// recognised by their result codes. The driver's error stays in the chain,
// so callers can still ask for its code.
func friendly(err error) error {
	var msg string
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB:
		msg = "not a hearth database (the file is not SQLite)"
	case sqlite3.SQLITE_FULL:
		msg = "disk is full: nothing was written"
	case sqlite3.SQLITE_CANTOPEN:
		msg = "cannot open the database file (check the path and permissions)"
	case sqlite3.SQLITE_READONLY:
		msg = "the database is read-only"
	case sqlite3.SQLITE_BUSY:
		msg = "the database is busy: another hearth is writing to it (try again when it has finished)"
	case sqlite3.SQLITE_LOCKED:
		msg = "the database is locked by another statement of this hearth (try again)"
	default:
		return err
	}
	return &dbError{msg: msg, err: err}
}

// dbError is a SQLite failure said in one line; it wraps the driver's error.
type dbError struct {
	msg string
	err error
}

func (e *dbError) Error() string { return e.msg }
func (e *dbError) Unwrap() error { return e.err }

// Meta reads one value of the meta table; "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", key, friendly(err))
	}
	return v, nil
}

// SetMeta writes one value of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("write %s: %w", key, friendly(err))
	}
	return nil
}

// immediate runs fn in a BEGIN IMMEDIATE transaction on one connection.
// IMMEDIATE takes the write lock up front (waiting on busy_timeout): a
// transaction that reads before it writes could otherwise fail half-way,
// when it upgrades, because another process wrote in between.
func (s *Store) immediate(ctx context.Context, fn func(tx execer) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return friendly(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return friendly(err)
	}
	defer func() {
		if err != nil {
			// The context may be what failed: roll back regardless of it.
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if err := fn(conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return friendly(err)
	}
	return nil
}
