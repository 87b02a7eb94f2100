package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// keepBackups is how many copies made before a migration are kept: the
// newest ones, one per schema version they were taken at.
const keepBackups = 2

// BackupPath is where the copy of the database at path, taken at schema
// version v before migrating it, is kept.
func BackupPath(path string, v int) string { return path + ".bak-v" + strconv.Itoa(v) }

// backup copies the database, at schema version v, to BackupPath before a
// migration changes it, and deletes all but the newest keepBackups copies.
// VACUUM INTO writes a consistent copy, including what is still in the
// write-ahead log, which copying the file would miss.
func (s *Store) backup(ctx context.Context, conn *sql.Conn, v int) error {
	dst := BackupPath(s.path, v)
	// Written under a name of its own, then renamed: two programs (or two
	// opens in one program) migrating an old database at the same moment
	// each make a consistent copy, and neither writes into the other's.
	f, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("copy the database before migrating it: %w", err)
	}
	tmp := f.Name()
	f.Close() // VACUUM INTO writes into an empty file
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy the database to %s before migrating it: %w", dst, friendly(err))
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy the database before migrating it: %w", err)
	}
	old, _ := filepath.Glob(globEscape(s.path) + ".bak-v*")
	type bak struct {
		path string
		v    int
	}
	var copies []bak
	for _, p := range old {
		n, err := strconv.Atoi(strings.TrimPrefix(p, s.path+".bak-v"))
		if err == nil {
			copies = append(copies, bak{p, n})
		}
	}
	sort.Slice(copies, func(i, j int) bool { return copies[i].v > copies[j].v })
	for _, c := range copies[min(keepBackups, len(copies)):] {
		os.Remove(c.path)
	}
	return nil
}

// globEscape quotes the pattern characters of a path for filepath.Glob.
func globEscape(p string) string {
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
