package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"hearth/data"
	"hearth/model"
)

const demoUsage = `Usage: hearth demo --db PATH [flags]

Writes a generated demo community (members, activity, questions, events) into
a database, to try hearth without syncing anything. An existing database is
replaced only when it is itself a demo or empty; --force replaces any file.

"hearth --demo" keeps its own demo in the cache directory; this command is
for a demo at a path of your choice.
`

// Demo sizes: the built-in demo is big enough to show what a real community
// looks like and small enough to generate in well under a second.
const (
	demoMembers = 2000
	demoSeed    = 1
	// demoMinMembers is the smallest community the generator makes: fewer
	// people cannot fill every funnel stage.
	demoMinMembers = 20
)

func runDemo(ctx context.Context, app *App, args []string) error {
	fs := pflag.NewFlagSet("demo", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	db := fs.String("db", "", "database `path` to write (default $HEARTH_DB)")
	members := fs.Int("members", demoMembers, "generate `n` members")
	seed := fs.Int64("seed", demoSeed, "random seed `n`: the same seed gives the same community")
	force := fs.Bool("force", false, "replace the file even if it is not a demo database")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", demoUsage, flagUsages(fs))
			return nil
		}
		return usageErrorf("demo: %v (see hearth demo --help)", err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("demo: unexpected argument %q", fs.Arg(0))
	}
	if *members < demoMinMembers {
		return usageErrorf("demo: --members must be at least %d", demoMinMembers)
	}
	if app.Demo {
		return usageErrorf("demo: --demo already uses its own demo database; give --db PATH instead")
	}
	path := *db
	if path == "" {
		path = app.DBFlag
	}
	if path == "" {
		path = app.Getenv("HEARTH_DB")
	}
	// Unlike the other commands, demo does not fall back to the default
	// database: writing a demo there should be a deliberate choice.
	if path == "" {
		return usageErrorf("demo: give the database to write with --db PATH (or try hearth --demo)")
	}

	state, err := inspectDB(ctx, path)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	switch state {
	case dbMissing, dbDemo, dbOldDemo, dbEmpty:
	default:
		if !*force {
			return fmt.Errorf("%s %s; use --force to replace it", path, state)
		}
	}
	start := time.Now()
	sum, err := writeDemo(ctx, path, *members, *seed)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "demo community in %s: %s members, %s activities, %s questions, %s events (%s)\n",
		path, model.Thousands(sum.Members), model.Thousands(sum.Activities), model.Thousands(sum.Questions),
		model.Thousands(sum.Events), time.Since(start).Round(time.Millisecond))
	return nil
}

// openDemo opens the built-in demo community, generating it when it does
// not exist yet, was written by an older schema, or is broken: it lives in
// the cache directory and can always be made again.
func (a *App) openDemo(ctx context.Context) (*data.Store, string, error) {
	path, err := a.DemoPath()
	if err != nil {
		return nil, "", err
	}
	state, err := inspectDB(ctx, path)
	if err != nil {
		return nil, "", err
	}
	if state != dbDemo {
		fmt.Fprintln(a.Stderr, "hearth: generating demo community…")
		if _, err := writeDemo(ctx, path, demoMembers, demoSeed); err != nil {
			return nil, "", err
		}
	}
	st, err := data.Open(ctx, path, data.Options{})
	if err != nil {
		return nil, "", err
	}
	return st, path, nil
}

// dbState is what an existing file at a database path holds.
type dbState int

const (
	dbMissing dbState = iota // no file
	dbEmpty                  // a hearth database with nothing in it, or an empty file
	dbDemo                   // a demo written by this schema version
	dbOldDemo                // a demo written by an older schema version
	dbData                   // a hearth database with real data
	dbForeign                // not a hearth database this version can read
)

func (s dbState) String() string {
	switch s {
	case dbMissing:
		return "does not exist"
	case dbEmpty:
		return "is empty"
	case dbDemo:
		return "is a demo database"
	case dbOldDemo:
		return "is a demo database from an older version"
	case dbData:
		return "holds a community that is not a demo"
	default:
		return "is not a hearth database"
	}
}

// inspectDB looks at the file at path without changing it: opened read-only,
// so that a foreign SQLite file is not given hearth's schema just by being
// looked at.
func inspectDB(ctx context.Context, path string) (dbState, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return dbMissing, nil
	}
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s is a directory", path)
	}
	if fi.Size() == 0 {
		return dbEmpty, nil
	}
	st, err := data.Open(ctx, path, data.Options{ReadOnly: true})
	if err != nil {
		return dbForeign, nil
	}
	defer st.Close()
	v, err := st.Version(ctx)
	if err != nil || v == 0 || v > data.SchemaVersion() {
		return dbForeign, nil
	}
	demo, err := st.IsDemo(ctx)
	if err != nil {
		return dbForeign, nil
	}
	if demo {
		if v < data.SchemaVersion() {
			return dbOldDemo, nil
		}
		return dbDemo, nil
	}
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return dbForeign, nil
	}
	if empty {
		return dbEmpty, nil
	}
	return dbData, nil
}

// writeDemo generates a demo community into a new file next to path and
// then moves it into place, so that an interrupted run never leaves half a
// demo where a database was expected. It returns the new community's
// summary.
func writeDemo(ctx context.Context, path string, members int, seed int64) (model.Summary, error) {
	var sum model.Summary
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return sum, fmt.Errorf("create database directory: %w", err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".new-"+strconv.Itoa(os.Getpid()))
	removeDB(tmp)
	err := func() error {
		st, err := data.Open(ctx, tmp, data.Options{})
		if err != nil {
			return err
		}
		err = data.GenerateDemo(ctx, st, data.DemoOptions{Members: members, Seed: seed})
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
