package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
)

// ErrForeign is returned by Open for a file that is some other program's
// SQLite database: hearth never adds its tables to it.
var ErrForeign = errors.New("not a hearth database")

// Probe is what a database file holds, read without changing a byte of it.
type Probe struct {
	Exists  bool // the file exists
	Size    int64
	Version int // PRAGMA user_version: hearth's schema version, 0 for none
	Tables  int // tables of any program in the file
}

// Hearth reports whether the file may be opened as hearth's own: it does
// not exist yet, is empty, or carries hearth's schema version. A SQLite file
// with tables but no schema version belongs to another program.
func (p Probe) Hearth() bool {
	return !p.Exists || p.Size == 0 || p.Version > 0 || p.Tables == 0
}

// ProbeFile looks at the file at path: opened read-only, with no pragma
// that could write (no WAL switch), so that looking at another program's
// database leaves it byte-for-byte unchanged.
func ProbeFile(ctx context.Context, path string) (Probe, error) {
	var p Probe
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("open database: %w", err)
	}
	if fi.IsDir() {
		return p, fmt.Errorf("%s is a directory, not a database file", path)
	}
	p.Exists, p.Size = true, fi.Size()
	if p.Size == 0 {
		return p, nil
	}
	read := func(dsn string) error {
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&p.Version); err != nil {
			return err
		}
		return db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&p.Tables)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(10000)"
	if err := read(dsn); err != nil {
		// A WAL file in a directory nobody here can write: readable only
		// as immutable (see Open).
		if err2 := read(dsn + "&immutable=1"); err2 != nil {
			return p, fmt.Errorf("open database %s: %w", path, friendly(err))
		}
	}
	return p, nil
}
