package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"hearth/data/store"
)

// syncCacheMiB is the page cache for a sync: the activity key index of a
// large community then stays in memory during the upserts.
const syncCacheMiB = 64

// OpenView opens the database at path for the interactive view, creating
// it when it does not exist (the view then explains how to get started).
// The default database's directory is created; any other missing directory
// is an error, so that a typo in --db does not scatter files. A database
// hearth cannot write opens read-only (Store.ReadOnly says so) rather than
// failing: the directory can still be browsed.
func (e Env) OpenView(ctx context.Context, path string) (*store.Store, error) {
	if err := e.makeDefaultDir(path); err != nil {
		return nil, err
	}
	if !writable(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("cannot create %s: the directory is read-only", path)
		}
		return store.Open(ctx, path, store.Options{ReadOnly: true, Now: e.Now})
	}
	return store.Open(ctx, path, store.Options{Now: e.Now})
}

// OpenSync opens the database at path for a sync: created when missing (in
// the default directory, or in one that exists), and refused in one line
// when hearth cannot write it.
func (e Env) OpenSync(ctx context.Context, path string) (*store.Store, error) {
	if err := e.makeDefaultDir(path); err != nil {
		return nil, err
	}
	if err := CheckSyncable(path); err != nil {
		return nil, err
	}
	return store.Open(ctx, path, store.Options{CacheMiB: syncCacheMiB, Now: e.Now})
}

// OpenExisting opens the database the listing commands read, which must
// already exist: a script asking for members of a database that was never
// synced should hear so rather than get an empty list. It opens read-only
// when hearth cannot write the file.
func (e Env) OpenExisting(ctx context.Context, path string) (*store.Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s (run hearth sync, or try hearth --demo)", path)
		}
		return nil, fmt.Errorf("open database: %w", err)
	}
	return store.Open(ctx, path, store.Options{ReadOnly: !writable(path), Now: e.Now})
}

// makeDefaultDir creates the directory of the default database, the only
// one hearth creates by itself.
func (e Env) makeDefaultDir(path string) error {
	def, err := e.DefaultDBPath()
	if err != nil || filepath.Clean(path) != filepath.Clean(def) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create the data directory: %w", err)
	}
	return nil
}

// writable reports whether hearth can write the database at path: the file
// itself (when it exists) and its directory, where SQLite keeps the
// write-ahead log next to it. A directory that does not exist counts as
// writable: Open then says what is missing.
func writable(path string) bool {
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); err != nil {
		return true
	}
	f, err := os.CreateTemp(dir, ".hearth-write-test-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// CheckSyncable says, without creating or changing anything, why a sync
// into the database at path cannot run: it is read-only. Front ends ask it
// first, so that the user hears that before anything else about the sync.
func CheckSyncable(path string) error {
	if !writable(path) {
		return fmt.Errorf("%s is read-only: hearth can show it but not sync into it", path)
	}
	return nil
}
