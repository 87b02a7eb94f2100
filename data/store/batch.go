package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/model"
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

const activityCols = 10

// An empty text field of an identity means "not known in this batch", not
// "cleared": a GitHub login seen on a comment has no profile, and must not
// erase the profile read elsewhere. A connector can raise bot, never lower
// it (the people merge may have marked the identity from a rule).
const identityUpsert = `INSERT INTO identities(source, external_id, username, name, email, url, company, location, bio, bot)
	VALUES (?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT(source, external_id) DO UPDATE SET
	username = CASE WHEN excluded.username <> '' THEN excluded.username ELSE username END,
	name     = CASE WHEN excluded.name     <> '' THEN excluded.name     ELSE name END,
	email    = CASE WHEN excluded.email    <> '' THEN excluded.email    ELSE email END,
	url      = CASE WHEN excluded.url      <> '' THEN excluded.url      ELSE url END,
	company  = CASE WHEN excluded.company  <> '' THEN excluded.company  ELSE company END,
	location = CASE WHEN excluded.location <> '' THEN excluded.location ELSE location END,
	bio      = CASE WHEN excluded.bio      <> '' THEN excluded.bio      ELSE bio END,
	bot      = max(bot, excluded.bot)
	WHERE (excluded.username <> '' AND excluded.username IS NOT username)
	   OR (excluded.name     <> '' AND excluded.name     IS NOT name)
	   OR (excluded.email    <> '' AND excluded.email    IS NOT email)
	   OR (excluded.url      <> '' AND excluded.url      IS NOT url)
	   OR (excluded.company  <> '' AND excluded.company  IS NOT company)
	   OR (excluded.location <> '' AND excluded.location IS NOT location)
	   OR (excluded.bio      <> '' AND excluded.bio      IS NOT bio)
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
func (s *Store) applyBatch(ctx context.Context, source string, b connector.Batch, now time.Time) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return friendly(err)
	}
	defer conn.Close()
	// IMMEDIATE takes the write lock up front (waiting on busy_timeout), so
	// a concurrent writer in another process cannot make this transaction
	// fail half-way when it upgrades from reading to writing.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return friendly(err)
	}
	defer func() {
		if err != nil {
			// The context may be what failed: roll back regardless of it.
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	w := batchWriter{conn: conn, source: source, ids: map[string]map[string]int64{},
		touched: map[int64]bool{}, dirtyMembers: map[int64]bool{}}
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
	if err := w.validators(ctx, b.Validators); err != nil {
		return err
	}
	if err := markDirty(ctx, conn, "dirty_identities", w.touched); err != nil {
		return err
	}
	if err := markDirty(ctx, conn, "dirty_members", w.dirtyMembers); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO sync_state(source, cursor, last_run, items) VALUES (?, ?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, last_run = excluded.last_run,
		items = items + excluded.items`, source, b.Cursor, now.Unix(), b.Items); err != nil {
		return fmt.Errorf("save cursor: %w", friendly(err))
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return friendly(err)
	}
	return nil
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

// batchWriter holds the statements of one batch, prepared once and reused
// for every row.
type batchWriter struct {
	conn   *sql.Conn
	source string
	ids    map[string]map[string]int64 // source → external id → identities.id
	curSrc string
	curIDs map[string]int64
	lookup *sql.Stmt
	stmts  []*sql.Stmt
	// touched holds the identities whose activities this batch wrote or
	// removed, dirtyMembers the members of identities it deleted: both
	// are marked dirty with the batch.
	touched, dirtyMembers map[int64]bool
}

func (w *batchWriter) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	st, err := w.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, friendly(err)
	}
	w.stmts = append(w.stmts, st)
	return st, nil
}

func (w *batchWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// defaultSource is the identity/activity source used when a connector left
// it empty: the kind of the sync source ("git" of "git:/src/x").
func (w *batchWriter) defaultSource(src string) string {
	if src != "" {
		return src
	}
	kind, _, _ := strings.Cut(w.source, ":")
	return kind
}

func (w *batchWriter) identities(ctx context.Context, ids []model.Identity) error {
	if len(ids) == 0 {
		return nil
	}
	up, err := w.prepare(ctx, identityUpsert)
	if err != nil {
		return err
	}
	for _, i := range ids {
		src := w.defaultSource(i.Source)
		if i.ExternalID == "" {
			return fmt.Errorf("identity of %s without an external id", src)
		}
		if _, err := up.ExecContext(ctx, src, i.ExternalID, i.Username, i.Name, i.Email, i.URL,
			i.Company, i.Location, i.Bio, i.Bot); err != nil {
			return fmt.Errorf("write identity %s:%s: %w", src, i.ExternalID, friendly(err))
		}
		if _, err := w.resolve(ctx, src, i.ExternalID); err != nil {
			return err
		}
	}
	return nil
}

// resolve maps an identity's natural key to its row id, from the batch's
// cache or the database. The cache is per source, with the last source at
// hand, so that finding the actor of every activity hashes one string.
func (w *batchWriter) resolve(ctx context.Context, src, ext string) (int64, error) {
	m := w.curIDs
	if m == nil || src != w.curSrc {
		if m = w.ids[src]; m == nil {
			m = map[string]int64{}
			w.ids[src] = m
		}
		w.curSrc, w.curIDs = src, m
	}
	if id, ok := m[ext]; ok {
		return id, nil
	}
	if w.lookup == nil {
		st, err := w.prepare(ctx, "SELECT id FROM identities WHERE source = ? AND external_id = ?")
		if err != nil {
			return 0, err
		}
		w.lookup = st
	}
	var id int64
	err := w.lookup.QueryRowContext(ctx, src, ext).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("unknown identity %s:%s", src, ext)
	}
	if err != nil {
		return 0, friendly(err)
	}
	m[ext] = id
	return id, nil
}

// actRow is one activity as stored.
type actRow struct {
	key                         int64
	source, ext                 string
	identity                    int64
	kind                        string
	at                          int64
	channel, url, title, topics string
}

func (r *actRow) args(dst []any) []any {
	return append(dst, r.key, r.source, r.ext, r.identity, r.kind, r.at, r.channel, r.url, r.title, r.topics)
}

// activities writes the batch's activities. It is an upsert by key that
// writes a row only when a column differs, done without INSERT ... ON
// CONFLICT DO UPDATE: a multi-row upsert may abort half-way in its UPDATE
// branch, so SQLite copies every page it touches to a statement journal,
// which costs more than the upsert itself. Instead each chunk of rows is
// either looked up by key first (new rows are then inserted, changed rows
// updated, unchanged rows left alone: an unchanged re-sync only reads), or,
// while the rows keep turning out new as in a first import, inserted
// straight away with INSERT OR IGNORE, looking up only the chunks where
// some row already existed.
func (w *batchWriter) activities(ctx context.Context, acts []model.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	// The last occurrence of an activity in a batch wins.
	last := make(map[int64]int, len(acts))
	keys := make([]int64, len(acts))
	for n, a := range acts {
		keys[n] = ActivityKey(w.defaultSource(a.Source), a.ExternalID)
		last[keys[n]] = n
	}
	// Key order keeps the lookups and inserts of one chunk on neighbouring
	// pages of the key index.
	order := make([]int, 0, len(last))
	for n := range acts {
		if last[keys[n]] == n {
			order = append(order, n)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })

	lookups := map[int]*sql.Stmt{}
	inserts := map[int]*sql.Stmt{}
	stmt := func(cache map[int]*sql.Stmt, n int, build func(int) string) (*sql.Stmt, error) {
		if st, ok := cache[n]; ok {
			return st, nil
		}
		st, err := w.prepare(ctx, build(n))
		if err != nil {
			return nil, err
		}
		cache[n] = st
		return st, nil
	}
	var update *sql.Stmt
	args := make([]any, 0, activityChunk*activityCols)
	insert := func(rows []actRow) (int64, error) {
		if len(rows) == 0 {
			return 0, nil
		}
		st, err := stmt(inserts, len(rows), activityInsert)
		if err != nil {
			return 0, err
		}
		args = args[:0]
		for i := range rows {
			args = rows[i].args(args)
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return 0, fmt.Errorf("write activities: %w", friendly(err))
		}
		return res.RowsAffected()
	}
	existing := make(map[int64]actRow, activityChunk)
	lookup := func(rows []actRow) error {
		st, err := stmt(lookups, len(rows), activityLookup)
		if err != nil {
			return err
		}
		args = args[:0]
		for i := range rows {
			args = append(args, rows[i].key)
		}
		res, err := st.QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("read activities: %w", friendly(err))
		}
		defer res.Close()
		clear(existing)
		for res.Next() {
			var r actRow
			if err := res.Scan(&r.key, &r.source, &r.ext, &r.identity, &r.kind, &r.at,
				&r.channel, &r.url, &r.title, &r.topics); err != nil {
				return fmt.Errorf("read activities: %w", friendly(err))
			}
			existing[r.key] = r
		}
		if err := res.Err(); err != nil {
			return fmt.Errorf("read activities: %w", friendly(err))
		}
		return nil
	}
	// updateChanged rewrites the rows of the last lookup that differ.
	updateChanged := func(rows []actRow) error {
		for _, r := range rows {
			old, ok := existing[r.key]
			if !ok || old == r {
				continue
			}
			// An activity that changed hands leaves its old identity too.
			w.touched[old.identity] = true
			if update == nil {
				var err error
				if update, err = w.prepare(ctx, `UPDATE activities SET source = ?2, external_id = ?3,
					identity_id = ?4, kind = ?5, at = ?6, channel = ?7, url = ?8, title = ?9, topics = ?10
					WHERE key = ?1`); err != nil {
					return err
				}
			}
			if _, err := update.ExecContext(ctx, r.args(args[:0])...); err != nil {
				return fmt.Errorf("write activities: %w", friendly(err))
			}
		}
		return nil
	}

	insertFirst := false
	chunk := make([]actRow, 0, activityChunk)
	fresh := make([]actRow, 0, activityChunk)
	for start := 0; start < len(order); start += activityChunk {
		chunk = chunk[:0]
		for _, n := range order[start:min(start+activityChunk, len(order))] {
			a := &acts[n]
			src := w.defaultSource(a.Source)
			if a.ExternalID == "" {
				return fmt.Errorf("activity of %s without an external id", src)
			}
			iid, err := w.resolve(ctx, src, a.Actor)
			if err != nil {
				return fmt.Errorf("activity %s:%s: %w", src, a.ExternalID, err)
			}
			w.touched[iid] = true
			chunk = append(chunk, actRow{keys[n], src, a.ExternalID, iid, string(a.Kind), a.At.Unix(),
				a.Channel, a.URL, a.Title, strings.Join(a.Topics, ",")})
		}
		if insertFirst {
			added, err := insert(chunk)
			if err != nil {
				return err
			}
			if int(added) == len(chunk) {
				continue
			}
			// Some rows existed: compare them (the ones just inserted
			// compare equal to themselves).
			if err := lookup(chunk); err != nil {
				return err
			}
			if err := updateChanged(chunk); err != nil {
				return err
			}
			insertFirst = added > 0
			continue
		}
		if err := lookup(chunk); err != nil {
			return err
		}
		fresh = fresh[:0]
		for _, r := range chunk {
			if _, ok := existing[r.key]; !ok {
				fresh = append(fresh, r)
			}
		}
		if err := updateChanged(chunk); err != nil {
			return err
		}
		if _, err := insert(fresh); err != nil {
			return err
		}
		insertFirst = len(fresh) == len(chunk)
	}
	return nil
}

func activityLookup(n int) string {
	return `SELECT key, source, external_id, identity_id, kind, at, channel, url, title, topics
		FROM activities WHERE key IN (` + placeholders(n) + ")"
}

func activityInsert(n int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO activities(key, source, external_id, identity_id, kind, at, channel, url, title, topics) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?)")
	}
	return b.String()
}

func (w *batchWriter) questions(ctx context.Context, qs []connector.QuestionRecord) error {
	if len(qs) == 0 {
		return nil
	}
	up, err := w.prepare(ctx, questionUpsert)
	if err != nil {
		return err
	}
	optional := func(src, ext string) (any, error) {
		if ext == "" {
			return nil, nil
		}
		return w.resolve(ctx, src, ext)
	}
	for _, q := range qs {
		src := w.defaultSource(q.Source)
		if q.ExternalID == "" {
			return fmt.Errorf("question of %s without an external id", src)
		}
		author, err := optional(src, q.AuthorID)
		if err != nil {
			return fmt.Errorf("question %s:%s: author: %w", src, q.ExternalID, err)
		}
		responder, err := optional(src, q.ResponderID)
		if err != nil {
			return fmt.Errorf("question %s:%s: responder: %w", src, q.ExternalID, err)
		}
		var first any
		if !q.FirstResponse.IsZero() {
			first = q.FirstResponse.Unix()
		}
		if _, err := up.ExecContext(ctx, src, q.ExternalID, q.Channel, q.URL, q.Title, q.Body, author,
			q.Created.Unix(), first, responder, q.Accepted, nullUnix(q.Closed),
			strings.Join(q.Topics, ",")); err != nil {
			return fmt.Errorf("write question %s:%s: %w", src, q.ExternalID, friendly(err))
		}
	}
	return nil
}

// removed deletes the batch's removed activities, then the identities they
// leave with nothing: no activity and no question asked or answered. Such
// an identity existed only through what was removed (the author of commits
// a force-push dropped), and a first import of the source as it is now
// would not have it; keeping it would let its name, login and address
// speak for a member it no longer contributes to. Its member is marked
// dirty, since a member that lost an identity may lose its name, handles
// or organisation, or (with no identity left) disappear. User data about
// it is keyed by (source, external id) and comes back if it does.
func (w *batchWriter) removed(ctx context.Context, ext []string) error {
	if len(ext) == 0 {
		return nil
	}
	del, err := w.prepare(ctx, "DELETE FROM activities WHERE key = ? AND source = ? AND external_id = ? RETURNING identity_id")
	if err != nil {
		return err
	}
	src := w.defaultSource("")
	left := map[int64]bool{} // identities that lost an activity
	for _, e := range ext {
		var iid int64
		err := del.QueryRowContext(ctx, ActivityKey(src, e), src, e).Scan(&iid)
		switch {
		case err == nil:
			w.touched[iid] = true
			left[iid] = true
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("remove activity %s:%s: %w", src, e, friendly(err))
		}
	}
	if len(left) == 0 {
		return nil
	}
	ids := make([]any, 0, len(left))
	for id := range left {
		ids = append(ids, id)
	}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		rows, err := w.conn.QueryContext(ctx, `DELETE FROM identities WHERE id IN (`+placeholders(len(part))+`)
			AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.identity_id = identities.id)
			AND id NOT IN (SELECT author_id FROM questions WHERE author_id IS NOT NULL
				UNION SELECT responder_id FROM questions WHERE responder_id IS NOT NULL)
			RETURNING id, member_id`, part...)
		if err != nil {
			return fmt.Errorf("remove identities: %w", friendly(err))
		}
		for rows.Next() {
			var id int64
			var member sql.NullInt64
			if err := rows.Scan(&id, &member); err != nil {
				rows.Close()
				return fmt.Errorf("remove identities: %w", err)
			}
			delete(w.touched, id)
			if member.Valid {
				w.dirtyMembers[member.Int64] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("remove identities: %w", friendly(err))
		}
	}
	return nil
}

func (w *batchWriter) validators(ctx context.Context, vs map[string]connector.Validator) error {
	if len(vs) == 0 {
		return nil
	}
	up, err := w.prepare(ctx, `INSERT INTO http_cache(url, etag, last_modified) VALUES (?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified
		WHERE etag IS NOT excluded.etag OR last_modified IS NOT excluded.last_modified`)
	if err != nil {
		return err
	}
	del, err := w.prepare(ctx, "DELETE FROM http_cache WHERE url = ?")
	if err != nil {
		return err
	}
	for u, v := range vs {
		if v.ETag == "" && v.LastModified == "" {
			if _, err := del.ExecContext(ctx, u); err != nil {
				return fmt.Errorf("forget validator: %w", friendly(err))
			}
			continue
		}
		if _, err := up.ExecContext(ctx, u, v.ETag, v.LastModified); err != nil {
			return fmt.Errorf("save validator: %w", friendly(err))
		}
	}
	return nil
}

// Run bookkeeping in sync_state, for the engine.

// StartRun marks the source as running and returns its cursor.
func (s *Store) StartRun(ctx context.Context, name string, at time.Time) (string, error) {
	return s.startRun(ctx, name, at)
}

// RecordRun stores the outcome of a run (runErr nil for a success).
func (s *Store) RecordRun(ctx context.Context, name string, at time.Time, runErr error) error {
	return s.recordRun(ctx, name, at, runErr)
}

// Validator returns the stored HTTP validators of url; none means an
// unconditional request.
func (s *Store) Validator(ctx context.Context, url string) connector.Validator {
	return s.validator(ctx, url)
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

// Full refreshes: when the last full one is older than fullRefreshAge
// (new and lapsed depend on the date, not only on the data), or when more
// than a fullRefreshShare of the members are dirty, for which one scan of
// all activities is cheaper than many index lookups.
const (
	fullRefreshAge   = 24 * time.Hour
	fullRefreshShare = 0.2
)

// RefreshDirty brings the derived tables up to date after a sync: the
// members marked dirty, by this run or by any earlier one that stopped
// before its refresh, unless a full refresh is due.
func (s *Store) RefreshDirty(ctx context.Context, now time.Time, rules model.Rules) error {
	return s.refresh(ctx, now, rules, refreshDirty, nil)
}

// EndBulk rebuilds what BeginBulk dropped. It runs even when the import
// was cancelled: every reader needs the index.
func (s *Store) EndBulk(ctx context.Context) error {
	return s.ensureIndexes(context.WithoutCancel(ctx))
}

// ApplyBatchAt is ApplyBatch with the time the batch is recorded at (the
// engine's clock).
func (s *Store) ApplyBatchAt(ctx context.Context, source string, b connector.Batch, at time.Time) error {
	return s.applyBatch(ctx, source, b, at)
}

// startRun marks the source as running and returns its cursor.
func (s *Store) startRun(ctx context.Context, name string, at time.Time) (string, error) {
	var cursor string
	err := s.db.QueryRowContext(ctx, `INSERT INTO sync_state(source, last_run) VALUES (?, ?)
		ON CONFLICT(source) DO UPDATE SET last_run = excluded.last_run RETURNING cursor`, name, at.Unix()).Scan(&cursor)
	return cursor, friendly(err)
}

// recordRun stores the outcome of a run. It must be written even when the
// run was cancelled, hence the context without cancellation.
func (s *Store) recordRun(ctx context.Context, name string, at time.Time, runErr error) error {
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

func (s *Store) validator(ctx context.Context, url string) connector.Validator {
	var v connector.Validator
	err := s.db.QueryRowContext(ctx, "SELECT etag, last_modified FROM http_cache WHERE url = ?", url).
		Scan(&v.ETag, &v.LastModified)
	if err != nil {
		// No validator simply means an unconditional request.
		return connector.Validator{}
	}
	return v
}

// oneLine keeps the first line of a message, cleaned, so sync_state and
// the status table never hold a multi-line dump or escape sequences.
func oneLine(s string) string { return model.CleanLine(model.FirstLine(s)) }

// SyncStatus lists every source ever synced, by name.
func (s *Store) SyncStatus(ctx context.Context) ([]Status, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, cursor, last_run, last_success, last_error, items
		FROM sync_state ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("read sync status: %w", friendly(err))
	}
	defer rows.Close()
	var out []Status
	for rows.Next() {
		var st Status
		var run, ok sql.NullInt64
		if err := rows.Scan(&st.Source, &st.Cursor, &run, &ok, &st.LastError, &st.Items); err != nil {
			return nil, fmt.Errorf("read sync status: %w", friendly(err))
		}
		st.LastRun, st.LastSuccess = unix(run), unix(ok)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sync status: %w", friendly(err))
	}
	return out, nil
}
