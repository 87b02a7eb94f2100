package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"

	"hearth/model"
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

func unix(v sql.NullInt64) time.Time {
	if !v.Valid || v.Int64 == 0 {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

func nullUnix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func splitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// Summary reads the derived counters: no activity is scanned.
func (s *Store) Summary(ctx context.Context) (model.Summary, error) {
	var sum model.Summary
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM summary")
	if err != nil {
		return sum, fmt.Errorf("read summary: %w", friendly(err))
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return sum, fmt.Errorf("read summary: %w", friendly(err))
		}
		switch k {
		case "members":
			sum.Members = int(v)
		case "bots":
			sum.Bots = int(v)
		case "activities":
			sum.Activities = int(v)
		case "questions":
			sum.Questions = int(v)
		case "open_questions":
			sum.OpenQuestions = int(v)
		case "new":
			sum.Funnel.New = int(v)
		case "lapsed":
			sum.Funnel.Lapsed = int(v)
		case "as_of":
			sum.AsOf = time.Unix(v, 0).UTC()
		default:
			var st int
			if _, err := fmt.Sscanf(k, "stage_%d", &st); err == nil && st >= 0 && st < len(sum.Funnel.AtStage) {
				sum.Funnel.AtStage[st] = int(v)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("read summary: %w", friendly(err))
	}
	now := s.now().Unix()
	var last sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM events),
		(SELECT count(*) FROM events WHERE coalesce(ends, starts) >= ?),
		(SELECT max(last_success) FROM sync_state),
		(SELECT count(*) FROM meta WHERE key = 'demo')`, now).
		Scan(&sum.Events, &sum.UpcomingEvents, &last, &sum.Demo)
	if err != nil {
		return sum, fmt.Errorf("read summary: %w", friendly(err))
	}
	sum.LastSync = unix(last)
	// The summary counts every unanswered question; those triaged out of
	// the queue (done, snoozed into the future) are few, and found from
	// the triage table, so the count follows the clock and every triage
	// without waiting for a refresh.
	var hidden int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM question_triage t
		JOIN questions q ON q.source = t.source AND q.external_id = t.external_id
		WHERE q.first_response_at IS NULL AND q.closed_at IS NULL AND `+triageHides, now).Scan(&hidden); err != nil {
		return sum, fmt.Errorf("read summary: %w", friendly(err))
	}
	sum.OpenQuestions = max(sum.OpenQuestions-hidden, 0)
	return sum, nil
}

const memberCols = `member_id, name, org, handles, emails, bot, stage, is_new, is_lapsed,
	activities, contributions, first_active, last_active, topics, evidence`

func scanMember(sc interface{ Scan(...any) error }, m *model.Member) error {
	var handles, emails, topics, evidence string
	var stage int
	var first, last sql.NullInt64
	if err := sc.Scan(&m.ID, &m.Name, &m.Org, &handles, &emails, &m.Bot, &stage,
		&m.Standing.New, &m.Standing.Lapsed, &m.Activities, &m.Contributions,
		&first, &last, &topics, &evidence); err != nil {
		return err
	}
	m.Standing.Stage = model.Stage(stage)
	m.Handles = splitList(handles, ",")
	m.Emails = splitList(emails, ",")
	m.Topics = splitList(topics, ",")
	m.Standing.Evidence = splitList(evidence, "\n")
	m.FirstActive, m.LastActive = unix(first), unix(last)
	return nil
}

// The directory: members who are not bots, most active first. With
// "WHERE bot = 0" it is read from the covering index member_stats_directory
// (migration 0005), so no row of the table is looked up.
const (
	directoryFrom    = " FROM member_stats WHERE bot = 0"
	directoryOrderBy = " ORDER BY activities DESC, member_id"
)

// directoryCols are the columns the directory shows, fewer than memberCols:
// the driver's cost is mostly per column read, so the standing comes packed
// in one integer, bot is known (0), and the evidence, which only the detail
// page shows (MemberDetail), is left out. At 100,000 members this took the
// load from 232 to 194 ms.
const directoryCols = `member_id, name, org, handles, emails, stage | (is_new << 8) | (is_lapsed << 9),
	activities, contributions, first_active, last_active, topics`

func scanDirectoryMember(sc interface{ Scan(...any) error }, m *model.Member) error {
	var handles, emails, topics string
	var standing int
	var first, last sql.NullInt64
	if err := sc.Scan(&m.ID, &m.Name, &m.Org, &handles, &emails, &standing,
		&m.Activities, &m.Contributions, &first, &last, &topics); err != nil {
		return err
	}
	m.Standing = model.Standing{Stage: model.Stage(standing & 0xff), New: standing&(1<<8) != 0, Lapsed: standing&(1<<9) != 0}
	m.Handles = splitList(handles, ",")
	m.Emails = splitList(emails, ",")
	m.Topics = splitList(topics, ",")
	m.FirstActive, m.LastActive = unix(first), unix(last)
	return nil
}

// scanDirectory reads directoryCols rows into a slice made for n members
// (it grows if there are more) and closes rows.
func scanDirectory(rows *sql.Rows, n int) ([]model.Member, error) {
	defer rows.Close()
	out := make([]model.Member, 0, max(n, 0))
	for rows.Next() {
		out = append(out, model.Member{})
		if err := scanDirectoryMember(rows, &out[len(out)-1]); err != nil {
			return nil, fmt.Errorf("read members: %w", friendly(err))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read members: %w", friendly(err))
	}
	return out, nil
}

// TopMembers returns the limit most active people (bots excluded): the
// first page of the directory. Like Members, it leaves out the evidence of
// each standing.
func (s *Store) TopMembers(ctx context.Context, limit int) ([]model.Member, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+directoryCols+directoryFrom+directoryOrderBy+" LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", friendly(err))
	}
	return scanDirectory(rows, limit)
}

// Members returns every person (bots excluded), most active first, as the
// directory shows them: without the evidence of their standing, which
// MemberDetail reads. The rows are read in the order of an index that
// holds every column read, into a slice sized from the summary's count,
// read in the same transaction (if the summary is out of date, the slice
// grows as usual).
func (s *Store) Members(ctx context.Context) ([]model.Member, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read members: %w", friendly(err))
	}
	defer tx.Rollback()
	var n int
	err = tx.QueryRowContext(ctx, "SELECT value FROM summary WHERE key = 'members'").Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read members: %w", friendly(err))
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+directoryCols+directoryFrom+directoryOrderBy)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", friendly(err))
	}
	return scanDirectory(rows, n)
}

// SearchMembers finds, among every member of the directory (bots
// excluded), those whose searchable text contains every word of query,
// ignoring case: the semantics of model.Filter over model.MemberText, so
// the TUI can answer a filter typed before the whole directory has loaded.
// It returns the first limit matches in directory order and how many
// there are in all; a blank query matches nothing.
//
// The text is assembled in SQL from the columns of the covering index
// member_stats_directory (so the scan never touches the table), and
// matched by hearth_match, which lower-cases as Go does: SQLite's lower()
// and LIKE fold ASCII only, and would miss "ZOË" for "zoë".
func (s *Store) SearchMembers(ctx context.Context, query string, limit int) ([]model.Member, int, error) {
	words := strings.Fields(strings.ToLower(strings.TrimSpace(query)))
	if len(words) == 0 {
		return nil, 0, nil
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("search members: %w", friendly(err))
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT member_id"+directoryFrom+
		" AND hearth_match("+memberTextSQL+", ?)"+directoryOrderBy, strings.Join(words, " "))
	if err != nil {
		return nil, 0, fmt.Errorf("search members: %w", friendly(err))
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("search members: %w", friendly(err))
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search members: %w", friendly(err))
	}
	total := len(ids)
	if limit >= 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	if len(ids) == 0 {
		return nil, total, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// By primary key, then put back in directory order here, so the plan
	// cannot turn into a walk of the whole directory index.
	rows, err = tx.QueryContext(ctx, "SELECT "+directoryCols+
		" FROM member_stats WHERE member_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("search members: %w", friendly(err))
	}
	found, err := scanDirectory(rows, len(ids))
	if err != nil {
		return nil, 0, err
	}
	at := make(map[int64]int, len(found))
	for i := range found {
		at[found[i].ID] = i
	}
	out := make([]model.Member, 0, len(found))
	for _, id := range ids {
		if i, ok := at[id]; ok {
			out = append(out, found[i])
		}
	}
	return out, total, nil
}

// memberTextSQL is model.MemberText in SQL: name, organisation, handles,
// e-mails, the standing's label and topics, one per line. The lists are
// stored comma-separated and split on commas when read, so a comma becomes
// a line break, as between the elements MemberText joins.
var memberTextSQL = `name || char(10) || org` +
	` || iif(handles = '', '', char(10) || replace(handles, ',', char(10)))` +
	` || iif(emails = '', '', char(10) || replace(emails, ',', char(10)))` +
	` || char(10) || ` + standingLabelSQL() +
	` || iif(topics = '', '', char(10) || replace(topics, ',', char(10)))`

// standingLabelSQL is model.Standing.Label in SQL, written out from the
// model for every stage and state, so the two cannot drift apart.
func standingLabelSQL() string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	state := "(is_new <> 0) + 2 * (is_lapsed <> 0)"
	var b strings.Builder
	b.WriteString("CASE")
	for st := model.StageNone; st <= model.StageCore; st++ {
		fmt.Fprintf(&b, " WHEN stage = %d THEN CASE %s", st, state)
		for k := range 4 {
			fmt.Fprintf(&b, " WHEN %d THEN %s", k, quote(model.Standing{Stage: st, New: k&1 != 0, Lapsed: k&2 != 0}.Label()))
		}
		b.WriteString(" END")
	}
	fmt.Fprintf(&b, " ELSE CASE %s", state)
	for k := range 4 {
		fmt.Fprintf(&b, " WHEN %d THEN %s", k, quote(model.Standing{Stage: -1, New: k&1 != 0, Lapsed: k&2 != 0}.Label()))
	}
	b.WriteString(" END END")
	return b.String()
}

// The SQL function hearth_match(text, words) reports whether text,
// lower-cased by Go's strings.ToLower, contains every one of words
// (lower-case, separated by single spaces): the test of model.Filter.
// Registering a function is the driver's own global table, filled once.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("hearth_match", 2, matchFunc)
}

func matchFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	text, _ := args[0].(string)
	words, _ := args[1].(string)
	if words == "" {
		return int64(0), nil
	}
	text = strings.ToLower(text)
	for words != "" {
		w := words
		if i := strings.IndexByte(words, ' '); i >= 0 {
			w, words = words[:i], words[i+1:]
		} else {
			words = ""
		}
		if !strings.Contains(text, w) {
			return int64(0), nil
		}
	}
	return int64(1), nil
}

// MemberDetail returns one member with identities, recent activity and
// what people wrote about them.
func (s *Store) MemberDetail(ctx context.Context, id int64, recent int) (model.MemberDetail, error) {
	var d model.MemberDetail
	row := s.db.QueryRowContext(ctx, "SELECT "+memberCols+" FROM member_stats WHERE member_id = ?", id)
	if err := scanMember(row, &d.Member); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return d, fmt.Errorf("member %d: %w", id, ErrNotFound)
		}
		return d, fmt.Errorf("read member %d: %w", id, friendly(err))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, external_id, username, name, email, url,
		website, company, location, bio, bot FROM identities WHERE member_id = ? ORDER BY source, external_id`, id)
	if err != nil {
		return d, fmt.Errorf("read identities: %w", friendly(err))
	}
	var ids []int64
	for rows.Next() {
		var i model.Identity
		if err := rows.Scan(&i.ID, &i.Source, &i.ExternalID, &i.Username, &i.Name, &i.Email, &i.URL,
			&i.Website, &i.Company, &i.Location, &i.Bio, &i.Bot); err != nil {
			rows.Close()
			return d, fmt.Errorf("read identities: %w", friendly(err))
		}
		i.MemberID = id
		d.Identities = append(d.Identities, i)
		ids = append(ids, i.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("read identities: %w", friendly(err))
	}
	rows, err = s.db.QueryContext(ctx, "SELECT reason FROM member_merge_reasons WHERE member_id = ? ORDER BY position", id)
	if err != nil {
		return d, fmt.Errorf("read merge reasons: %w", friendly(err))
	}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return d, fmt.Errorf("read merge reasons: %w", friendly(err))
		}
		d.MergeReasons = append(d.MergeReasons, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("read merge reasons: %w", friendly(err))
	}
	// Recent activity across all identities: a merge of per-identity index
	// ranges, each read newest first.
	if recent > 0 && len(ids) > 0 {
		q := `SELECT a.source, a.external_id, i.external_id, a.kind, a.at, a.channel, a.url, a.title, a.topics
			FROM activities a JOIN identities i ON i.id = a.identity_id
			WHERE a.identity_id IN (` + placeholders(len(ids)) + `) ORDER BY a.at DESC LIMIT ?`
		args := make([]any, 0, len(ids)+1)
		for _, x := range ids {
			args = append(args, x)
		}
		args = append(args, recent)
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return d, fmt.Errorf("read activity: %w", friendly(err))
		}
		for rows.Next() {
			var a model.Activity
			var kind, topics string
			var at int64
			if err := rows.Scan(&a.Source, &a.ExternalID, &a.Actor, &kind, &at, &a.Channel, &a.URL, &a.Title, &topics); err != nil {
				rows.Close()
				return d, fmt.Errorf("read activity: %w", friendly(err))
			}
			a.Kind, a.At, a.Topics = model.Kind(kind), time.Unix(at, 0).UTC(), splitList(topics, ",")
			d.Recent = append(d.Recent, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return d, fmt.Errorf("read activity: %w", friendly(err))
		}
	}
	// User-authored data hangs off identity keys.
	for _, i := range d.Identities {
		nrows, err := s.db.QueryContext(ctx, `SELECT id, body, created, updated, version FROM member_notes
			WHERE source = ? AND external_id = ? ORDER BY created`, i.Source, i.ExternalID)
		if err != nil {
			return d, fmt.Errorf("read notes: %w", friendly(err))
		}
		for nrows.Next() {
			var n model.Note
			var c, u int64
			if err := nrows.Scan(&n.ID, &n.Body, &c, &u, &n.Version); err != nil {
				nrows.Close()
				return d, fmt.Errorf("read notes: %w", friendly(err))
			}
			n.Created, n.Updated = time.Unix(c, 0).UTC(), time.Unix(u, 0).UTC()
			d.Notes = append(d.Notes, n)
		}
		nrows.Close()
		if err := nrows.Err(); err != nil {
			return d, fmt.Errorf("read notes: %w", friendly(err))
		}
		tags, err := s.strings(ctx, "SELECT tag FROM member_tags WHERE source = ? AND external_id = ? ORDER BY tag", i.Source, i.ExternalID)
		if err != nil {
			return d, fmt.Errorf("read tags: %w", err)
		}
		flags, err := s.strings(ctx, "SELECT flag FROM member_flags WHERE source = ? AND external_id = ? ORDER BY flag", i.Source, i.ExternalID)
		if err != nil {
			return d, fmt.Errorf("read flags: %w", err)
		}
		d.Tags, d.Flags = append(d.Tags, tags...), append(d.Flags, flags...)
	}
	d.Tags, d.Flags = dedupe(d.Tags), dedupe(d.Flags)
	return d, nil
}

// strings reads a one-column query.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	out, err := queryStrings(ctx, s.db, q, args...)
	return out, friendly(err)
}

func dedupe(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

const questionCols = `q.id, q.source, q.external_id, q.channel, q.url, q.title, q.body,
	coalesce(nullif(a.username, ''), nullif(a.name, ''), a.external_id, ''),
	q.created, q.first_response_at,
	coalesce(nullif(r.username, ''), nullif(r.name, ''), r.external_id, ''),
	q.accepted, q.closed_at, q.topics,
	coalesce(t.assignee, ''), coalesce(t.status, ''), t.snoozed_until, coalesce(t.note, ''),
	coalesce(t.version, 0)`

const questionFrom = ` FROM questions q
	LEFT JOIN identities a ON a.id = q.author_id
	LEFT JOIN identities r ON r.id = q.responder_id
	LEFT JOIN question_triage t ON t.source = q.source AND t.external_id = q.external_id`

func scanQuestion(sc scanner, q *model.Question) error {
	var created int64
	var first, closed, snoozed sql.NullInt64
	var topics string
	if err := sc.Scan(&q.ID, &q.Source, &q.ExternalID, &q.Channel, &q.URL, &q.Title, &q.Body,
		&q.Author, &created, &first, &q.Responder, &q.Accepted, &closed, &topics,
		&q.Triage.Assignee, &q.Triage.Status, &snoozed, &q.Triage.Note, &q.Triage.Version); err != nil {
		return err
	}
	q.Created = time.Unix(created, 0).UTC()
	q.FirstResponse, q.Closed, q.Triage.SnoozedUntil = unix(first), unix(closed), unix(snoozed)
	q.Topics = splitList(topics, ",")
	return nil
}

// triageHides is model.Triage.Hidden in SQL, for the triage t at the
// Unix time given as its one parameter: done, or snoozed into the future.
const triageHides = `(t.status = 'done' OR (t.status = 'snoozed' AND t.snoozed_until > ?))`

// UnansweredQuestions returns the questions waiting for an answer
// (model.Question.Waiting at the store's clock): open, answered by nobody
// but their author, and neither done nor snoozed into the future. A
// snoozed question comes back once its date has passed. Oldest first,
// read from a partial index.
func (s *Store) UnansweredQuestions(ctx context.Context, limit int) ([]model.Question, error) {
	if limit <= 0 {
		limit = -1
	}
	out, err := queryRows(ctx, s.db, scanQuestion, "SELECT "+questionCols+questionFrom+
		" WHERE q.first_response_at IS NULL AND q.closed_at IS NULL AND NOT coalesce("+triageHides+", 0)"+
		" ORDER BY q.created LIMIT ?", s.now().Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", friendly(err))
	}
	return out, nil
}

// OpenQuestions returns every question answered by nobody but its author
// and still open, whatever its triage (done and snoozed ones too), oldest
// first: the TUI's triage views (snoozed, done, all) filter it.
func (s *Store) OpenQuestions(ctx context.Context, limit int) ([]model.Question, error) {
	if limit <= 0 {
		limit = -1
	}
	out, err := queryRows(ctx, s.db, scanQuestion, "SELECT "+questionCols+questionFrom+
		" WHERE q.first_response_at IS NULL AND q.closed_at IS NULL ORDER BY q.created LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", friendly(err))
	}
	return out, nil
}

// Question returns one question by id.
func (s *Store) Question(ctx context.Context, id int64) (model.Question, error) {
	var q model.Question
	err := scanQuestion(s.db.QueryRowContext(ctx, "SELECT "+questionCols+questionFrom+" WHERE q.id = ?", id), &q)
	if errors.Is(err, sql.ErrNoRows) {
		return q, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return q, fmt.Errorf("read question %d: %w", id, friendly(err))
	}
	return q, nil
}

const eventCols = `e.id, e.uid, e.source, e.name, e.kind, e.place, e.url, e.description,
	e.starts, e.ends, e.cfp_deadline, e.cfp_url,
	(SELECT count(*) FROM event_speakers s WHERE s.event_uid = e.uid AND s.status <> 'declined')`

func scanEvent(sc scanner, e *model.Event) error {
	var starts int64
	var ends, cfp sql.NullInt64
	if err := sc.Scan(&e.ID, &e.UID, &e.Source, &e.Name, &e.Kind, &e.Place, &e.URL, &e.Description,
		&starts, &ends, &cfp, &e.CFPURL, &e.SpeakerCount); err != nil {
		return err
	}
	e.Start, e.End, e.CFPDeadline = time.Unix(starts, 0).UTC(), unix(ends), unix(cfp)
	return nil
}

// Events returns all events, upcoming first (soonest first), then past
// (most recent first).
func (s *Store) Events(ctx context.Context, now time.Time) ([]model.Event, error) {
	out, err := queryRows(ctx, s.db, scanEvent, "SELECT "+eventCols+` FROM events e
		ORDER BY coalesce(e.ends, e.starts) < ?, CASE WHEN coalesce(e.ends, e.starts) >= ? THEN e.starts ELSE -e.starts END`,
		now.Unix(), now.Unix())
	if err != nil {
		return nil, fmt.Errorf("read events: %w", friendly(err))
	}
	return out, nil
}

// Event returns one event with its speakers, tasks, budget and attendees.
func (s *Store) Event(ctx context.Context, uid string) (model.Event, error) {
	var e model.Event
	err := scanEvent(s.db.QueryRowContext(ctx, "SELECT "+eventCols+" FROM events e WHERE e.uid = ?", uid), &e)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("event %s: %w", uid, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("read event: %w", friendly(err))
	}
	plan := func(what string, err error) error {
		if err != nil {
			return fmt.Errorf("read event %s: %s: %w", uid, what, friendly(err))
		}
		return nil
	}
	e.Speakers, err = queryRows(ctx, s.db, func(sc scanner, sp *model.Speaker) error {
		return sc.Scan(&sp.ID, &sp.Name, &sp.MemberKey, &sp.Talk, &sp.Status)
	}, "SELECT id, name, member_key, talk, status FROM event_speakers WHERE event_uid = ? ORDER BY id", uid)
	if err := plan("speakers", err); err != nil {
		return e, err
	}
	e.Tasks, err = queryRows(ctx, s.db, func(sc scanner, t *model.Task) error {
		var due sql.NullInt64
		err := sc.Scan(&t.ID, &t.Title, &t.Owner, &due, &t.Done)
		t.Due = unix(due)
		return err
	}, "SELECT id, title, owner, due, done FROM event_tasks WHERE event_uid = ? ORDER BY done, due, id", uid)
	if err := plan("tasks", err); err != nil {
		return e, err
	}
	e.Budget, err = queryRows(ctx, s.db, func(sc scanner, b *model.BudgetLine) error {
		return sc.Scan(&b.ID, &b.Item, &b.Category, &b.AmountCents, &b.Currency)
	}, "SELECT id, item, category, amount_cents, currency FROM event_budget WHERE event_uid = ? ORDER BY id", uid)
	if err := plan("budget", err); err != nil {
		return e, err
	}
	e.Attendees, err = queryRows(ctx, s.db, func(sc scanner, a *model.Attendee) error {
		return sc.Scan(&a.ID, &a.Name, &a.MemberKey, &a.Status)
	}, "SELECT id, name, member_key, status FROM event_attendees WHERE event_uid = ? ORDER BY name", uid)
	if err := plan("attendees", err); err != nil {
		return e, err
	}
	return e, nil
}
