package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RefreshPending reports whether RefreshDirty has anything to do: members
// or identities marked dirty, or a refresh due by date (refreshDueByDate).
// A sync that brought nothing new skips the refresh when it is false, and
// so never rewrites the summary or reads a table whole.
func (s *Store) RefreshPending(ctx context.Context, now time.Time) (bool, error) {
	var dirty bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dirty_identities)
		OR EXISTS (SELECT 1 FROM dirty_members)`).Scan(&dirty); err != nil {
		return false, fmt.Errorf("read dirty members: %w", friendly(err))
	}
	if dirty {
		return true, nil
	}
	due, err := refreshDueByDate(ctx, s.db, now)
	if err != nil {
		return false, fmt.Errorf("read summary: %w", friendly(err))
	}
	return due, nil
}

// refreshDueByDate is the hook for what the date alone makes stale (new
// and lapsed depend on today): true when no refresh was recorded or the
// last full one is older than fullRefreshAge, the rule RefreshDirty
// applies. It must stay a reading of a few rows; a cheaper daily refresh
// belongs in RefreshDirty, which this only decides to call.
func refreshDueByDate(ctx context.Context, db *sql.DB, now time.Time) (bool, error) {
	var asOf sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT (SELECT value FROM summary WHERE key = 'as_of')").Scan(&asOf); err != nil {
		return false, err
	}
	return !asOf.Valid || now.Sub(time.Unix(asOf.Int64, 0)) > fullRefreshAge, nil
}
