package store

import (
	"context"
	"database/sql"
	"fmt"
	"hearth/model"
	"time"
)

// RefreshPending reports whether RefreshDirty has anything to do: members
// or identities marked dirty, or a refresh due by date (refreshDueByDate).
// A sync that brought nothing new skips the refresh when it is false, and
// so never rewrites the summary or reads a table whole.
func (s *Store) RefreshPending(ctx context.Context, now time.Time, rules model.Rules) (bool, error) {
	var dirty bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dirty_identities)
		OR EXISTS (SELECT 1 FROM dirty_members)`).Scan(&dirty); err != nil {
		return false, fmt.Errorf("read dirty members: %w", friendly(err))
	}
	if dirty {
		return true, nil
	}
	due, err := refreshDueByDate(ctx, s.db, now, rules)
	if err != nil {
		return false, fmt.Errorf("read summary: %w", friendly(err))
	}
	return due, nil
}

// refreshDueByDate reports what the date alone makes stale: standings are
// judged again (from member_stats, without reading activities) once the
// UTC date of the last refresh is not today's, and everything is derived
// again when the funnel settings changed. Within a day, a member who
// crosses the "new" or "lapsed" age is judged again by the next refresh
// (the next sync that brings anything, or tomorrow's first sync). It
// reads a few rows, so a sync with nothing new stays cheap.
func refreshDueByDate(ctx context.Context, db *sql.DB, now time.Time, rules model.Rules) (bool, error) {
	var asOf, derivedWith sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT value FROM summary WHERE key = 'as_of'),
		(SELECT value FROM summary WHERE key = 'rules')`).Scan(&asOf, &derivedWith); err != nil {
		return false, err
	}
	if !asOf.Valid || !derivedWith.Valid || derivedWith.Int64 != rulesKey(rules) {
		return true, nil
	}
	y1, m1, d1 := time.Unix(asOf.Int64, 0).UTC().Date()
	y2, m2, d2 := now.UTC().Date()
	return y1 != y2 || m1 != m2 || d1 != d2, nil
}
