package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/data/connector"
)

// The sync engine. Connectors read their sources and hand over batches; the
// engine writes each batch together with the source's cursor and HTTP
// validators in one transaction, so a sync stopped at any moment (Ctrl-C,
// kill -9, power loss) leaves a database that is consistent and resumes
// from the last committed batch. Every write is an idempotent upsert that
// changes a row only when one of its columns really differs: re-reading a
// source that did not change writes nothing.

// activityChunk is how many activities one lookup or INSERT statement
// carries. Multi-row statements cut the per-call cost of the driver, which
// dominates single-row statements; 64 rows × 10 columns stays far below
// SQLite's parameter limit.
const activityChunk = 64

const activityCols = 11

// An empty text field of an identity means "not known in this batch", not
// "cleared": a GitHub login seen on a comment has no profile, and must not
// erase the profile read elsewhere. A connector can raise bot, never lower
// it (the people merge may have marked the identity from a rule).
const identityUpsert = `INSERT INTO identities(source, external_id, username, name, email, url, company, location, bio, bot, website)
	VALUES (?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT(source, external_id) DO UPDATE SET
	username = CASE WHEN excluded.username <> '' THEN excluded.username ELSE username END,
	name     = CASE WHEN excluded.name     <> '' THEN excluded.name     ELSE name END,
	email    = CASE WHEN excluded.email    <> '' THEN excluded.email    ELSE email END,
	url      = CASE WHEN excluded.url      <> '' THEN excluded.url      ELSE url END,
	company  = CASE WHEN excluded.company  <> '' THEN excluded.company  ELSE company END,
	location = CASE WHEN excluded.location <> '' THEN excluded.location ELSE location END,
	bio      = CASE WHEN excluded.bio      <> '' THEN excluded.bio      ELSE bio END,
	website  = CASE WHEN excluded.website  <> '' THEN excluded.website  ELSE website END,
	bot      = max(bot, excluded.bot)
	WHERE (excluded.username <> '' AND excluded.username IS NOT username)
	   OR (excluded.name     <> '' AND excluded.name     IS NOT name)
	   OR (excluded.email    <> '' AND excluded.email    IS NOT email)
	   OR (excluded.url      <> '' AND excluded.url      IS NOT url)
	   OR (excluded.company  <> '' AND excluded.company  IS NOT company)
	   OR (excluded.location <> '' AND excluded.location IS NOT location)
	   OR (excluded.bio      <> '' AND excluded.bio      IS NOT bio)
	   OR (excluded.website  <> '' AND excluded.website  IS NOT website)
	   OR (excluded.bot AND NOT bot)`

const questionUpsert = `INSERT INTO questions(source, external_id, channel, url, title, body, author_id,
	created, first_response_at, responder_id, accepted, closed_at, topics)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT(source, external_id) DO UPDATE SET
	channel = excluded.channel, url = excluded.url, title = excluded.title, body = excluded.body,
	author_id = excluded.author_id, created = excluded.created,
	first_response_at = excluded.first_response_at, responder_id = excluded.responder_id,
	accepted = excluded.accepted, closed_at = excluded.closed_at, topics = excluded.topics
	WHERE channel IS NOT excluded.channel OR url IS NOT excluded.url OR title IS NOT excluded.title
	OR body IS NOT excluded.body OR author_id IS NOT excluded.author_id OR created IS NOT excluded.created
	OR first_response_at IS NOT excluded.first_response_at OR responder_id IS NOT excluded.responder_id
	OR accepted IS NOT excluded.accepted OR closed_at IS NOT excluded.closed_at OR topics IS NOT excluded.topics`

// ApplyBatch writes one batch of source (a Source's Name) and, in the same
// transaction, its cursor, item count and HTTP validators. Identities are
// written first so that the batch's activities and questions can refer to
// them; an activity whose actor is neither in the batch nor in the database
// is an error naming it, and nothing of the batch is written.
func (s *Store) ApplyBatch(ctx context.Context, source string, b connector.Batch) error {
	if err := s.applyBatch(ctx, source, b, s.now()); err != nil {
		return fmt.Errorf("write batch of %s: %w", source, err)
	}
	return nil
}

// applyBatch writes one batch, and marks the identities whose activities
// it wrote or removed as dirty (dirty_identities) in the same transaction:
// whatever stops the run after this commit, the next refresh knows their
// members' summaries are stale.
func (s *Store) applyBatch(ctx context.Context, source string, b connector.Batch, now time.Time) error {
	return s.immediate(ctx, func(tx execer) error {
		w := batchWriter{conn: tx, source: source, ids: map[string]map[string]int64{},
			touched: map[int64]bool{}, dirtyMembers: map[int64]bool{},
			people: map[int64]bool{}, groups: map[int64]bool{}, counts: map[int64]int{}, maxActivity: -1}
		defer w.close()
		if err := w.identities(ctx, b.Identities); err != nil {
			return err
		}
		if err := w.activities(ctx, b.Activities); err != nil {
			return err
		}
		if err := w.questions(ctx, b.Questions); err != nil {
			return err
		}
		if err := w.removed(ctx, b.RemovedActivities); err != nil {
			return err
		}
		if err := w.events(ctx, b.Events, b.RemovedEvents); err != nil {
			return err
		}
		if err := w.validators(ctx, b.Validators); err != nil {
			return err
		}
		if err := w.saveCounts(ctx); err != nil {
			return err
		}
		if err := markDirty(ctx, tx, "dirty_people", w.people); err != nil {
			return err
		}
		if err := markDirty(ctx, tx, "dirty_groups", w.groups); err != nil {
			return err
		}
		if err := markDirty(ctx, tx, "dirty_identities", w.touched); err != nil {
			return err
		}
		if err := markDirty(ctx, tx, "dirty_members", w.dirtyMembers); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_state(source, cursor, last_run, items) VALUES (?, ?, ?, ?)
			ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, last_run = excluded.last_run,
			items = items + excluded.items`, source, b.Cursor, now.Unix(), b.Items); err != nil {
			return fmt.Errorf("save cursor: %w", friendly(err))
		}
		return nil
	})
}

// execer is what *sql.Conn and *sql.Tx share: the writers run inside
// either.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// dirtyChunk is how many ids one INSERT into a dirty table carries.
const dirtyChunk = 256

// markDirty records ids in table (dirty_identities or dirty_members), a
// few hundred per statement: a batch touches at most a few thousand.
func markDirty(ctx context.Context, db execer, table string, ids map[int64]bool) error {
	if len(ids) == 0 {
		return nil
	}
	all := make([]int64, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	slices.Sort(all)
	args := make([]any, 0, dirtyChunk)
	for start := 0; start < len(all); start += dirtyChunk {
		part := all[start:min(start+dirtyChunk, len(all))]
		args = args[:0]
		for _, id := range part {
			args = append(args, id)
		}
		q := "INSERT OR IGNORE INTO " + table + "(id) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?),", len(part)), ",")
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("mark %s: %w", table, friendly(err))
		}
	}
	return nil
}

// ApplyBatchAt is ApplyBatch with the time the batch is recorded at (the
// engine's clock).
func (s *Store) ApplyBatchAt(ctx context.Context, source string, b connector.Batch, at time.Time) error {
	return s.applyBatch(ctx, source, b, at)
}
