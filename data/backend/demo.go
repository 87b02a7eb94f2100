package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"hearth/data/demo"
	"hearth/data/store"
	"hearth/model"
)

// The built-in demo: big enough to show what a real community looks like
// and small enough to generate in well under a second.
const (
	DemoMembers = 2000
	DemoSeed    = 1
	// DemoMinMembers and DemoMaxMembers bound what the generator makes:
	// fewer people cannot fill every funnel stage; more take minutes and
	// gigabytes (300,000 members: about 2.5 GB and three minutes).
	DemoMinMembers = demo.MinMembers
	DemoMaxMembers = demo.MaxMembers
)

// OpenDemo opens the built-in demo community, generating it when it does
// not exist yet, was written by an older schema, or is broken: it lives in
// the cache directory and can always be made again. notify, when not nil,
// hears that a generation starts (it takes a moment).
func (e Env) OpenDemo(ctx context.Context, notify func(string)) (*store.Store, string, error) {
	path, err := e.DemoPath()
	if err != nil {
		return nil, "", err
	}
	state, err := Inspect(ctx, path)
	if err != nil {
		return nil, "", err
	}
	if state != DBDemo {
		if notify != nil {
			notify("generating demo community…")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, "", fmt.Errorf("create the cache directory: %w", err)
		}
		if _, err := WriteDemo(ctx, path, DemoMembers, DemoSeed); err != nil {
			return nil, "", err
		}
	}
	st, err := store.Open(ctx, path, store.Options{Now: e.Now})
	if err != nil {
		return nil, "", err
	}
	return st, path, nil
}

// DBState is what an existing file at a database path holds.
type DBState int

const (
	DBMissing DBState = iota // no file
	DBEmpty                  // a hearth database with nothing in it, or an empty file
	DBDemo                   // a demo written by this schema version
	DBOldDemo                // a demo written by an older schema version
	DBData                   // a hearth database with real data
	DBForeign                // not a hearth database this version can read
)

func (s DBState) String() string {
	switch s {
	case DBMissing:
		return "does not exist"
	case DBEmpty:
		return "is empty"
	case DBDemo:
		return "is a demo database"
	case DBOldDemo:
		return "is a demo database from an older version"
	case DBData:
		return "holds a community that is not a demo"
	default:
		return "is not a hearth database"
	}
}

// Inspect looks at the file at path without changing it: opened read-only,
// so that a foreign SQLite file is not given hearth's schema just by being
// looked at.
func Inspect(ctx context.Context, path string) (DBState, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DBMissing, nil
	}
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s is a directory", path)
	}
	if fi.Size() == 0 {
		return DBEmpty, nil
	}
	st, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return DBForeign, nil
	}
	defer st.Close()
	v, err := st.Version(ctx)
	if err != nil || v == 0 || v > store.SchemaVersion() {
		return DBForeign, nil
	}
	isDemo, err := st.IsDemo(ctx)
	if err != nil {
		return DBForeign, nil
	}
	if isDemo {
		if v < store.SchemaVersion() {
			return DBOldDemo, nil
		}
		return DBDemo, nil
	}
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return DBForeign, nil
	}
	if empty {
		return DBEmpty, nil
	}
	return DBData, nil
}

// WriteDemo generates a demo community into a new file next to path and
// then moves it into place, so that an interrupted run (Ctrl-C, SIGTERM:
// ctx is cancelled) never leaves half a demo where a database was expected,
// nor the half-written file beside it. It returns the new community's
// summary.
func WriteDemo(ctx context.Context, path string, members int, seed int64) (model.Summary, error) {
	var sum model.Summary
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return sum, fmt.Errorf("cannot create %s: the directory %s does not exist", path, dir)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".new-"+strconv.Itoa(os.Getpid()))
	removeDB(tmp)
	err := func() error {
		st, err := store.Open(ctx, tmp, store.Options{})
		if err != nil {
			return err
		}
		err = demo.Generate(ctx, st, demo.Options{Members: members, Seed: seed})
		if err == nil {
			sum, err = st.Summary(ctx)
		}
		// Closing checkpoints the write-ahead log into the file, so the
		// single file can be renamed.
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write demo: %w", cerr)
		}
		return err
	}()
	if err != nil {
		removeDB(tmp)
		return sum, fmt.Errorf("generate demo: %w", err)
	}
	// The old file's -wal and -shm belong to it: left in place they would
	// be replayed into the new database.
	if err := removeDB(path); err != nil {
		removeDB(tmp)
		return sum, fmt.Errorf("replace %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		removeDB(tmp)
		return sum, fmt.Errorf("replace %s: %w", path, err)
	}
	return sum, nil
}

// removeDB removes a database file and its -wal and -shm companions.
func removeDB(path string) error {
	var first error
	for _, p := range []string{path + "-wal", path + "-shm", path} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	return first
}
