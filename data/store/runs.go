package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

// What the sync engine needs of the store around the batches: the state of
// each source in sync_state (cursor, when it last ran, how it went), HTTP
// validators, the first-import index trick and the refresh after a run.

// Status is one row of `hearth sync --status`.
type Status struct {
	Source      string
	Cursor      string
	LastRun     time.Time
	LastSuccess time.Time
	LastError   string
	Items       int
}

// StartRun marks the source as running and returns its cursor.
func (s *Store) StartRun(ctx context.Context, name string, at time.Time) (string, error) {
	var cursor string
	err := s.db.QueryRowContext(ctx, `INSERT INTO sync_state(source, last_run) VALUES (?, ?)
		ON CONFLICT(source) DO UPDATE SET last_run = excluded.last_run RETURNING cursor`, name, at.Unix()).Scan(&cursor)
	return cursor, friendly(err)
}

// RecordRun stores the outcome of a run. It must be written even when the
// run was cancelled, hence the context without cancellation.
func (s *Store) RecordRun(ctx context.Context, name string, at time.Time, runErr error) error {
	ctx = context.WithoutCancel(ctx)
	if runErr != nil {
		msg := oneLine(runErr.Error())
		if errors.Is(runErr, context.Canceled) {
			msg = "interrupted: " + msg
		}
		_, err := s.db.ExecContext(ctx, `INSERT INTO sync_state(source, last_run, last_error) VALUES (?, ?, ?)
			ON CONFLICT(source) DO UPDATE SET last_error = excluded.last_error`, name, at.Unix(), msg)
		return friendly(err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sync_state(source, last_run, last_success) VALUES (?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET last_success = excluded.last_success, last_error = ''`, name, at.Unix(), at.Unix())
	return friendly(err)
}

// Validator returns the stored HTTP validators of url; none means an
// unconditional request.
func (s *Store) Validator(ctx context.Context, url string) connector.Validator {
	var v connector.Validator
	err := s.db.QueryRowContext(ctx, "SELECT etag, last_modified FROM http_cache WHERE url = ?", url).
		Scan(&v.ETag, &v.LastModified)
	if err != nil {
		// No validator simply means an unconditional request.
		return connector.Validator{}
	}
	return v
}

// BeginBulk prepares a first import: with no activities stored yet, the
// activities_identity index is dropped and built once at the end with one
// sort, instead of being kept up to date row by row, which costs about 40%
// of the ingest. Should the process die before the rebuild, the next Open
// builds the index (ensureIndexes), and a reader opening the database
// meanwhile does the same, after which the import just goes on slower.
func (s *Store) BeginBulk(ctx context.Context) (bool, error) {
	var stored bool
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM activities)").Scan(&stored); err != nil {
		return false, friendly(err)
	}
	if stored {
		return false, nil
	}
	if _, err := s.db.ExecContext(ctx, "DROP INDEX IF EXISTS activities_identity"); err != nil {
		return false, friendly(err)
	}
	return true, nil
}

// fullRefreshShare: when more than this share of the members is dirty
// (a first import, a merge that regrouped many), one scan of all
// activities is cheaper than a lookup per member, and RefreshDirty makes
// the refresh a full one.
const fullRefreshShare = 0.2

// RefreshDirty brings the derived tables up to date after a sync, as of
// now: the members marked dirty, by this run or by any earlier one that
// stopped before its refresh, from their activities; every other member's
// standing from the history kept in member_stats (see rejudgeSince), which
// reads no activity however much the date moved on. It refreshes
// everything from the activities (RefreshDerived) when nothing was derived
// yet, when the definitions changed since, or when a large share of the
// members is dirty.
func (s *Store) RefreshDirty(ctx context.Context, now time.Time, rules model.Rules) error {
	return s.refresh(ctx, now, rules, refreshDirty, nil)
}

// EndBulk rebuilds what BeginBulk dropped. It runs even when the import
// was cancelled: every reader needs the index.
func (s *Store) EndBulk(ctx context.Context) error {
	return s.ensureIndexes(context.WithoutCancel(ctx))
}

// oneLine keeps the first line of a message, cleaned, so sync_state and
// the status table never hold a multi-line dump or escape sequences.
func oneLine(s string) string { return model.CleanLine(model.FirstLine(s)) }

// SyncStatus lists every source ever synced, by name.
func (s *Store) SyncStatus(ctx context.Context) ([]Status, error) {
	out, err := queryRows(ctx, s.db, func(sc scanner, st *Status) error {
		var run, ok sql.NullInt64
		err := sc.Scan(&st.Source, &st.Cursor, &run, &ok, &st.LastError, &st.Items)
		st.LastRun, st.LastSuccess = unix(run), unix(ok)
		return err
	}, "SELECT source, cursor, last_run, last_success, last_error, items FROM sync_state ORDER BY source")
	if err != nil {
		return nil, fmt.Errorf("read sync status: %w", friendly(err))
	}
	return out, nil
}
