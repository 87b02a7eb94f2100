package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hearth/data/connector"
	"hearth/model"
	"slices"
	"strings"
)

// The rows of one batch, written table by table inside applyBatch's
// transaction with prepared statements that live as long as the batch.

// batchWriter holds the statements of one batch, prepared once and reused
// for every row.
type batchWriter struct {
	conn   execer
	source string
	ids    map[string]map[string]int64 // source → external id → identities.id
	curSrc string
	curIDs map[string]int64
	lookup *sql.Stmt
	stmts  []*sql.Stmt
	// touched holds the identities whose activities this batch inserted,
	// changed or removed (an activity re-read unchanged marks nothing),
	// dirtyMembers the members of identities it deleted: both are marked
	// dirty with the batch.
	touched, dirtyMembers map[int64]bool
	// For the people merge: identities whose merge input changed (new,
	// changed fields or activity count) and members that lost an identity
	// (dirty_people, dirty_groups), and each identity's change of activity
	// count, saved with the batch (saveCounts).
	people, groups map[int64]bool
	counts         map[int64]int
	// maxActivity is the largest activity id before the batch wrote any,
	// -1 until read: a row with a larger id is one the batch inserted.
	maxActivity int64
	// forgotten holds the tombstones of forgotten identities (see
	// forget.go), read once per batch; nil until read.
	forgotten map[string]bool
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
		if gone, err := w.isForgotten(ctx, src, i.ExternalID); err != nil || gone {
			if err != nil {
				return err
			}
			continue
		}
		res, err := up.ExecContext(ctx, src, i.ExternalID, i.Username, i.Name, i.Email, i.URL,
			i.Company, i.Location, i.Bio, i.Bot, i.Website)
		if err != nil {
			return fmt.Errorf("write identity %s:%s: %w", src, i.ExternalID, friendly(err))
		}
		id, err := w.resolve(ctx, src, i.ExternalID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			w.people[id] = true // new or changed: the merge looks again
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
		if gone, ferr := w.isForgotten(ctx, src, ext); ferr != nil || gone {
			if ferr != nil {
				return 0, ferr
			}
			return 0, errForgotten
		}
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
	paths                       string // "\n"-separated
}

func (r *actRow) args(dst []any) []any {
	return append(dst, r.key, r.source, r.ext, r.identity, r.kind, r.at, r.channel, r.url, r.title, r.topics, r.paths)
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
	existingID := make(map[int64]int64, activityChunk)
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
		clear(existingID)
		for res.Next() {
			var r actRow
			var id int64
			if err := res.Scan(&id, &r.key, &r.source, &r.ext, &r.identity, &r.kind, &r.at,
				&r.channel, &r.url, &r.title, &r.topics, &r.paths); err != nil {
				return fmt.Errorf("read activities: %w", friendly(err))
			}
			existing[r.key] = r
			existingID[r.key] = id
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
			w.touched[r.identity] = true
			if old.identity != r.identity {
				w.counts[old.identity]--
				w.counts[r.identity]++
			}
			if update == nil {
				var err error
				if update, err = w.prepare(ctx, `UPDATE activities SET source = ?2, external_id = ?3,
					identity_id = ?4, kind = ?5, at = ?6, channel = ?7, url = ?8, title = ?9, topics = ?10, paths = ?11
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
			if errors.Is(err, errForgotten) {
				continue
			}
			if err != nil {
				return fmt.Errorf("activity %s:%s: %w", src, a.ExternalID, err)
			}
			chunk = append(chunk, actRow{keys[n], src, a.ExternalID, iid, string(a.Kind), a.At.Unix(),
				a.Channel, a.URL, a.Title, strings.Join(a.Topics, ","), joinPaths(a.Paths)})
		}
		if insertFirst {
			if err := w.readMaxActivity(ctx); err != nil {
				return err
			}
			added, err := insert(chunk)
			if err != nil {
				return err
			}
			if int(added) == len(chunk) {
				for _, r := range chunk {
					w.counts[r.identity]++
					w.touched[r.identity] = true
				}
				continue
			}
			// Some rows existed: compare them (the ones just inserted
			// compare equal to themselves, and have the larger ids).
			if err := lookup(chunk); err != nil {
				return err
			}
			for _, r := range chunk {
				if existingID[r.key] > w.maxActivity {
					w.counts[r.identity]++
					w.touched[r.identity] = true
				}
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
		for _, r := range fresh {
			w.counts[r.identity]++
			w.touched[r.identity] = true
		}
		insertFirst = len(fresh) == len(chunk)
	}
	return nil
}

// readMaxActivity reads, once per batch and before its first insert, the
// largest activity id so far.
func (w *batchWriter) readMaxActivity(ctx context.Context) error {
	if w.maxActivity >= 0 {
		return nil
	}
	err := w.conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM activities").Scan(&w.maxActivity)
	return friendly(err)
}

// saveCounts adds the batch's changes of activity counts to identities,
// and marks the identities whose count changed for the people merge (the
// count weighs their names and organisations).
func (w *batchWriter) saveCounts(ctx context.Context) error {
	var up *sql.Stmt
	for id, n := range w.counts {
		if n == 0 {
			continue
		}
		if up == nil {
			var err error
			if up, err = w.prepare(ctx, "UPDATE identities SET activities = activities + ? WHERE id = ?"); err != nil {
				return err
			}
		}
		if _, err := up.ExecContext(ctx, n, id); err != nil {
			return fmt.Errorf("count activities: %w", friendly(err))
		}
		w.people[id] = true
	}
	return nil
}

func activityLookup(n int) string {
	return `SELECT id, key, source, external_id, identity_id, kind, at, channel, url, title, topics, paths
		FROM activities WHERE key IN (` + placeholders(n) + ")"
}

func activityInsert(n int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO activities(key, source, external_id, identity_id, kind, at, channel, url, title, topics, paths) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?)")
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
		if errors.Is(err, errForgotten) {
			continue // what a forgotten person asked stays out
		}
		if err != nil {
			return fmt.Errorf("question %s:%s: author: %w", src, q.ExternalID, err)
		}
		responder, err := optional(src, q.ResponderID)
		if errors.Is(err, errForgotten) {
			responder, err = nil, nil // answered, by nobody we may name
		}
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
			w.counts[iid]--
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
	var gone []int64 // identities deleted
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
			delete(w.counts, id)
			delete(w.people, id)
			if member.Valid {
				w.dirtyMembers[member.Int64] = true
				w.groups[member.Int64] = true
			}
			gone = append(gone, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("remove identities: %w", friendly(err))
		}
	}
	// Their merge keys go with them. Those who shared a website with them
	// are marked: a site one sharer fewer names may join them now (a site of
	// many is a company's; see people.MaxSiteSharers).
	return inChunks(gone, func(part []any) error {
		in := placeholders(len(part))
		_, err := w.conn.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_people(id)
			SELECT o.identity_id FROM identity_keys g JOIN identity_keys o ON o.key = g.key
			WHERE g.key >= 'site:' AND g.key < 'site;' AND g.identity_id IN (`+in+`)
			AND o.identity_id NOT IN (`+in+`)`, append(part, part...)...)
		if err == nil {
			_, err = w.conn.ExecContext(ctx, "DELETE FROM identity_keys WHERE identity_id IN ("+in+")", part...)
		}
		if err != nil {
			return fmt.Errorf("remove identities: %w", friendly(err))
		}
		return nil
	})
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
