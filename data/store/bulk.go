package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// ErrNotEmpty is returned by NewBulkLoader (and so by the demo generator)
// for a store that already holds a community: a bulk load never mixes with
// existing data.
var ErrNotEmpty = errors.New("the database already holds a community; generate the demo into a new file")

// IsDemo reports whether the store holds a demo community (meta "demo" present).
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM meta WHERE key = 'demo'").Scan(&n); err != nil {
		return false, fmt.Errorf("read meta: %w", friendly(err))
	}
	return n > 0, nil
}

// IsEmpty reports whether the store holds no members, questions or events.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	return isEmpty(ctx, s.db)
}

func isEmpty(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (bool, error) {
	var found int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM questions)
		OR EXISTS (SELECT 1 FROM events)`).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("check for existing data: %w", friendly(err))
	}
	return found == 0, nil
}

// BulkLoader writes a whole community into an empty store in one
// transaction: the demo generator's way in, and the place that owns every
// column list it writes. Nothing is visible to other connections until
// Commit; Close without Commit leaves the store as it was.
//
// It does not go through the sync engine (ApplyBatch): the store is empty,
// so there is nothing to upsert against, and plain multi-row inserts, with
// the activity indexes built once at the end, are several times faster.
// Rows are buffered per table and written by a second goroutine, so SQLite
// works on one batch while the caller builds the next.
//
// The caller chooses the ids of orgs, members and identities, and refers
// to them in later rows. Rows that refer to others must come after them:
// orgs before the members that work there, members before their
// identities. A BulkLoader is not safe for concurrent use.
type BulkLoader struct {
	ctx     context.Context
	conn    *sql.Conn
	tx      *sql.Tx
	restore func() // puts the connection's pragmas back
	w       *bulkWriter
	all     []*bulkTable
	demo    string // meta "demo" value written at Commit, when set
	done    bool   // committed
	over    bool   // committed or closed: no more rows

	orgs, members, identities, activities, questions *bulkTable
	events, speakers, tasks, budget, attendees       *bulkTable
	flags, tags, notes, triage                       *bulkTable
}

// NewBulkLoader opens the load's transaction on an empty store; it returns
// ErrNotEmpty when the store already holds members, questions or events.
// Call Close when done, after Commit or instead of it.
func (s *Store) NewBulkLoader(ctx context.Context) (*BulkLoader, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, friendly(err)
	}
	l := &BulkLoader{ctx: ctx, conn: conn}
	if err := l.begin(); err != nil {
		l.Close()
		return nil, err
	}
	l.defineTables()
	return l, nil
}

// begin tunes the connection for a load and opens the transaction.
//
// The file is new and holds nothing else: durability of each page is
// worthless until the whole community is there, and a large cache keeps
// the index rebuilds in memory. A rollback journal instead of the WAL
// writes each page once rather than twice (log, then checkpoint) and costs
// nothing here: pages appended to a file need no journal entry. Close
// restores all three.
func (l *BulkLoader) begin() error {
	ctx, conn := l.ctx, l.conn
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return friendly(err)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return friendly(err)
	}
	l.restore = func() {
		restore := context.WithoutCancel(ctx)
		if mode == "delete" {
			conn.QueryRowContext(restore, "PRAGMA journal_mode = WAL").Scan(&mode)
		}
		conn.ExecContext(restore, "PRAGMA synchronous = NORMAL")
		conn.ExecContext(restore, "PRAGMA cache_size = "+strconv.FormatInt(cache, 10))
	}
	for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return friendly(err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return friendly(err)
	}
	l.tx = tx
	empty, err := isEmpty(ctx, tx)
	if err != nil {
		return err
	}
	if !empty {
		return ErrNotEmpty
	}
	// Building each index from one sort of all rows costs a fraction of
	// keeping it up to date row by row (measured: about half the time of
	// the whole demo generation at 30,000 members). Commit builds them.
	for _, ix := range activityIndexes {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+ix.name); err != nil {
			return friendly(err)
		}
	}
	return nil
}

// defineTables lists every table the loader writes, with its columns and
// how many rows go into one statement.
func (l *BulkLoader) defineTables() {
	t := func(table string, per int, cols ...string) *bulkTable {
		b := newBulkTable(l, table, cols, per)
		l.all = append(l.all, b)
		return b
	}
	l.orgs = t("orgs", 100, "id", "name", "domains")
	l.members = t("members", 200, "id", "name", "org_id", "bot")
	l.identities = t("identities", 80, "id", "source", "external_id", "username", "name",
		"email", "url", "company", "location", "bio", "bot", "member_id")
	l.activities = t("activities", 100, "key", "source", "external_id", "identity_id",
		"kind", "at", "channel", "url", "title", "topics", "paths")
	l.questions = t("questions", 50, "source", "external_id", "channel", "url", "title", "body",
		"author_id", "created", "first_response_at", "responder_id", "accepted", "closed_at", "topics")
	l.events = t("events", 25, "uid", "source", "name", "kind", "place", "url", "description",
		"starts", "ends", "cfp_deadline", "cfp_url")
	l.speakers = t("event_speakers", 50, "event_uid", "name", "member_key", "talk", "status")
	l.tasks = t("event_tasks", 50, "event_uid", "title", "owner", "due", "done")
	l.budget = t("event_budget", 50, "event_uid", "item", "category", "amount_cents", "currency")
	l.attendees = t("event_attendees", 100, "event_uid", "name", "member_key", "status")
	l.flags = t("member_flags", 100, "source", "external_id", "flag")
	l.tags = t("member_tags", 100, "source", "external_id", "tag")
	l.notes = t("member_notes", 100, "source", "external_id", "body", "created", "updated")
	l.triage = t("question_triage", 50, "source", "external_id", "assignee", "status",
		"snoozed_until", "note", "updated")
	// Foreign keys are checked row by row: parents reach SQLite first.
	l.members.parents = []*bulkTable{l.orgs}
	l.identities.parents = []*bulkTable{l.members}
}

// AddOrg adds an organisation; o.ID is the id members refer to.
func (l *BulkLoader) AddOrg(o model.Org) error {
	return l.orgs.add(o.ID, o.Name, strings.Join(o.Domains, ","))
}

// AddMember adds a person. orgID is an id given to AddOrg, or 0 for none.
func (l *BulkLoader) AddMember(id int64, name string, orgID int64, bot bool) error {
	return l.members.add(id, name, nullID(orgID), bot)
}

// AddIdentity adds an account; id.ID is the id activities and questions
// refer to, id.MemberID one given to AddMember (0 for none).
func (l *BulkLoader) AddIdentity(id *model.Identity) error {
	return l.identities.add(id.ID, id.Source, id.ExternalID, id.Username, id.Name, id.Email,
		id.URL, id.Company, id.Location, id.Bio, id.Bot, nullID(id.MemberID))
}

// AddActivity adds what the identity with the given id did; a.Actor is
// not consulted. The activity key is computed here (ActivityKey), as sync
// does.
func (l *BulkLoader) AddActivity(identityID int64, a *model.Activity) error {
	return l.activities.add(ActivityKey(a.Source, a.ExternalID), a.Source, a.ExternalID, identityID,
		string(a.Kind), a.At.Unix(), a.Channel, a.URL, a.Title, strings.Join(a.Topics, ","), joinPaths(a.Paths))
}

// AddQuestion adds a question asked by the identity authorID and first
// answered by responderID (0 while unanswered). q.Author, q.Responder and
// q.Triage are not consulted: triage is the user's, see AddTriage.
func (l *BulkLoader) AddQuestion(q *model.Question, authorID, responderID int64) error {
	return l.questions.add(q.Source, q.ExternalID, q.Channel, q.URL, q.Title, q.Body,
		nullID(authorID), q.Created.Unix(), nullUnix(q.FirstResponse), nullID(responderID), q.Accepted,
		nullUnix(q.Closed), strings.Join(q.Topics, ","))
}

// AddEvent adds an event with its plan: speakers, tasks, budget lines and
// attendees, in the order given.
func (l *BulkLoader) AddEvent(e *model.Event) error {
	if err := l.events.add(e.UID, e.Source, e.Name, e.Kind, e.Place, e.URL, e.Description,
		e.Start.Unix(), nullUnix(e.End), nullUnix(e.CFPDeadline), e.CFPURL); err != nil {
		return err
	}
	for _, s := range e.Speakers {
		if err := l.speakers.add(e.UID, s.Name, s.MemberKey, s.Talk, s.Status); err != nil {
			return err
		}
	}
	for _, t := range e.Tasks {
		if err := l.tasks.add(e.UID, t.Title, t.Owner, nullUnix(t.Due), t.Done); err != nil {
			return err
		}
	}
	for _, b := range e.Budget {
		if err := l.budget.add(e.UID, b.Item, b.Category, b.AmountCents, b.Currency); err != nil {
			return err
		}
	}
	for _, a := range e.Attendees {
		if err := l.attendees.add(e.UID, a.Name, a.MemberKey, a.Status); err != nil {
			return err
		}
	}
	return nil
}

// AddFlag flags the identity (source, externalID): "speaker", "mentor",
// "staff", "core" or "maintainer".
func (l *BulkLoader) AddFlag(source, externalID, flag string) error {
	return l.flags.add(source, externalID, flag)
}

// AddTag tags the identity (source, externalID).
func (l *BulkLoader) AddTag(source, externalID, tag string) error {
	return l.tags.add(source, externalID, tag)
}

// AddNote adds a note about the identity (source, externalID); n.ID is
// not consulted.
func (l *BulkLoader) AddNote(source, externalID string, n model.Note) error {
	return l.notes.add(source, externalID, n.Body, n.Created.Unix(), n.Updated.Unix())
}

// AddTriage sets the triage of the question (source, externalID).
func (l *BulkLoader) AddTriage(source, externalID string, t model.Triage, updated time.Time) error {
	return l.triage.add(source, externalID, t.Assignee, t.Status, nullUnix(t.SnoozedUntil), t.Note, updated.Unix())
}

// MemberTally is what the derived tables need about one member: the
// member's directory fields (ID, Name, Org, Handles, Emails, Bot), the
// tally of their activities and their hand-set flags.
type MemberTally struct {
	model.Member
	Tally *model.Tally
	Flags model.Flags
}

// Derive writes member_stats and summary from tallies the caller kept
// while adding activities, through the same writer RefreshDerived uses,
// so both give the same rows for the same community. Call it after every
// question has been added: the summary counts them.
func (l *BulkLoader) Derive(now time.Time, rules model.Rules, members []MemberTally) error {
	if err := l.drain(); err != nil {
		return err
	}
	aggs := make([]memberAgg, len(members))
	for i := range members {
		aggs[i] = memberAgg{Member: members[i].Member, tally: members[i].Tally, flags: members[i].Flags}
	}
	if err := refreshExpertise(l.ctx, l.tx, now, rules); err != nil {
		return friendly(err)
	}
	return friendly(writeDerived(l.ctx, l.tx, now, aggs, rules))
}

// MarkDemo records, at Commit, that the store holds a demo community
// (see IsDemo); about says how it was made.
func (l *BulkLoader) MarkDemo(about string) { l.demo = about }

// Commit writes what is still buffered, builds the activity indexes,
// counts each identity's activities and commits the transaction.
func (l *BulkLoader) Commit() error {
	if l.over {
		return errLoadOver
	}
	if err := l.drain(); err != nil {
		return err
	}
	for _, ix := range activityIndexes {
		if _, err := l.tx.ExecContext(l.ctx, ix.create); err != nil {
			return friendly(err)
		}
	}
	// Each identity's activity count, as the batch writer keeps it: one
	// pass over the index just built. The merge keys and the rules'
	// fingerprint are left to the first merge, which finds none and
	// regroups everyone.
	if _, err := l.tx.ExecContext(l.ctx, `UPDATE identities SET activities = c.n
		FROM (SELECT identity_id, count(*) AS n FROM activities GROUP BY identity_id) AS c
		WHERE c.identity_id = identities.id`); err != nil {
		return friendly(err)
	}
	if l.demo != "" {
		if _, err := l.tx.ExecContext(l.ctx, "INSERT INTO meta(key, value) VALUES ('demo', ?)", l.demo); err != nil {
			return friendly(err)
		}
	}
	if err := l.tx.Commit(); err != nil {
		return friendly(err)
	}
	l.done, l.over = true, true
	return nil
}

// Close rolls back what was not committed, restores the connection's
// settings and gives it back. It is safe to call more than once.
func (l *BulkLoader) Close() error {
	if l.conn == nil {
		return nil
	}
	l.over = true
	if l.w != nil {
		l.w.wait()
		l.w = nil
	}
	if l.tx != nil && !l.done {
		l.tx.Rollback()
	}
	if l.restore != nil {
		l.restore()
	}
	err := l.conn.Close()
	l.conn = nil
	return err
}

// drain writes every buffered row and waits for the writer, which gives the
// transaction back to this goroutine.
func (l *BulkLoader) drain() error {
	for _, b := range l.all {
		if err := b.flush(); err != nil {
			return err
		}
	}
	if l.w == nil {
		return nil
	}
	err := l.w.wait()
	l.w = nil
	return friendly(err)
}

// writer returns the running writer, starting one if needed.
func (l *BulkLoader) writer() *bulkWriter {
	if l.w == nil {
		l.w = newBulkWriter(l.ctx, l.conn)
	}
	return l.w
}

// errLoadOver is returned for rows added after Commit or Close: they
// would not be part of the load.
var errLoadOver = errors.New("bulk load already committed or closed")

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
