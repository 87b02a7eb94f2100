package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/data/people"
	"hearth/model"
)

// The records of the user-authored tables as the journal keeps them. Keys
// are stable: identities and questions by source and external id, rows
// without a natural key (notes, links) by their id, which export and
// import keep.

type questionRef struct {
	Source     string `json:"source"`
	ExternalID string `json:"external_id"`
}

type triageRow struct {
	Assignee     string `json:"assignee,omitempty"`
	Status       string `json:"status,omitempty"`
	SnoozedUntil int64  `json:"snoozed_until,omitempty"`
	Note         string `json:"note,omitempty"`
	Updated      int64  `json:"updated"`
}

func (r *triageRow) empty() bool {
	return r.Assignee == "" && r.Status == "" && r.SnoozedUntil == 0 && r.Note == ""
}

// triageTable: a question's triage. A cleared triage keeps its row (empty,
// with its version), so that its version never starts again from 1 under
// a writer who read an older one.
var triageTable = typedTable[questionRef, triageRow]{
	name: "question_triage",
	load: func(ctx context.Context, tx execer, k questionRef) (*triageRow, int64, error) {
		var r triageRow
		var snoozed sql.NullInt64
		var version int64
		err := tx.QueryRowContext(ctx, `SELECT assignee, status, snoozed_until, note, updated, version
			FROM question_triage WHERE source = ? AND external_id = ?`, k.Source, k.ExternalID).
			Scan(&r.Assignee, &r.Status, &snoozed, &r.Note, &r.Updated, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		r.SnoozedUntil = snoozed.Int64
		if r.empty() {
			return nil, version, nil
		}
		return &r, version, nil
	},
	save: func(ctx context.Context, tx execer, k questionRef, r *triageRow, at int64) error {
		if r == nil {
			r = &triageRow{Updated: at}
		}
		var snoozed any
		if r.SnoozedUntil != 0 {
			snoozed = r.SnoozedUntil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO question_triage(source, external_id, assignee, status, snoozed_until, note, updated, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT(source, external_id) DO UPDATE SET assignee = excluded.assignee, status = excluded.status,
				snoozed_until = excluded.snoozed_until, note = excluded.note, updated = excluded.updated,
				version = question_triage.version + 1`,
			k.Source, k.ExternalID, r.Assignee, r.Status, snoozed, r.Note, r.Updated)
		return err
	},
}

type idRef struct {
	ID int64 `json:"id"`
}

type noteRow struct {
	Source     string `json:"source"`
	ExternalID string `json:"external_id"`
	Body       string `json:"body"`
	Created    int64  `json:"created"`
	Updated    int64  `json:"updated"`
}

var notesTable = typedTable[idRef, noteRow]{
	name: "member_notes",
	load: func(ctx context.Context, tx execer, k idRef) (*noteRow, int64, error) {
		var r noteRow
		var version int64
		err := tx.QueryRowContext(ctx, `SELECT source, external_id, body, created, updated, version
			FROM member_notes WHERE id = ?`, k.ID).Scan(&r.Source, &r.ExternalID, &r.Body, &r.Created, &r.Updated, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		return &r, version, nil
	},
	save: func(ctx context.Context, tx execer, k idRef, r *noteRow, _ int64) error {
		if r == nil {
			_, err := tx.ExecContext(ctx, "DELETE FROM member_notes WHERE id = ?", k.ID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO member_notes(id, source, external_id, body, created, updated, version)
			VALUES (?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT(id) DO UPDATE SET source = excluded.source, external_id = excluded.external_id,
				body = excluded.body, created = excluded.created, updated = excluded.updated,
				version = member_notes.version + 1`,
			k.ID, r.Source, r.ExternalID, r.Body, r.Created, r.Updated)
		return err
	},
}

// labelRef names one tag or flag of one identity. Tags and flags are
// sets: adding one twice or removing one that is gone changes nothing, so
// they carry no version.
type labelRef struct {
	Source     string `json:"source"`
	ExternalID string `json:"external_id"`
	Label      string `json:"label"`
}

func labelTable(name, col string, after func(ctx context.Context, tx execer, k labelRef) error) typedTable[labelRef, bool] {
	return typedTable[labelRef, bool]{
		name: name,
		load: func(ctx context.Context, tx execer, k labelRef) (*bool, int64, error) {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+name+" WHERE source = ? AND external_id = ? AND "+col+" = ?",
				k.Source, k.ExternalID, k.Label).Scan(&n); err != nil {
				return nil, 0, err
			}
			if n == 0 {
				return nil, 0, nil
			}
			yes := true
			return &yes, 0, nil
		},
		save: func(ctx context.Context, tx execer, k labelRef, r *bool, _ int64) error {
			q := "DELETE FROM " + name + " WHERE source = ? AND external_id = ? AND " + col + " = ?"
			if r != nil {
				q = "INSERT OR IGNORE INTO " + name + "(source, external_id, " + col + ") VALUES (?, ?, ?)"
			}
			if _, err := tx.ExecContext(ctx, q, k.Source, k.ExternalID, k.Label); err != nil {
				return err
			}
			if after != nil {
				return after(ctx, tx, k)
			}
			return nil
		},
	}
}

// tagsTable: tags are expertise given by hand, so a change marks the
// identity's member for the next refresh, as flags do.
var tagsTable = labelTable("member_tags", "tag", markLabelled)

// flagsTable: flags bear on stages ('core', 'maintainer'), so a change
// marks the identity's member for the refresh the next sync runs.
var flagsTable = labelTable("member_flags", "flag", markLabelled)

func markLabelled(ctx context.Context, tx execer, k labelRef) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_members(id)
		SELECT member_id FROM identities WHERE source = ? AND external_id = ? AND member_id IS NOT NULL`,
		k.Source, k.ExternalID)
	return err
}

type linkRow struct {
	Kind        string `json:"kind"`
	ASource     string `json:"a_source"`
	AExternalID string `json:"a_external_id"`
	BSource     string `json:"b_source"`
	BExternalID string `json:"b_external_id"`
	Created     int64  `json:"created"`
}

func (r *linkRow) link() people.Link {
	return people.Link{Kind: r.Kind, ASource: r.ASource, AExt: r.AExternalID, BSource: r.BSource, BExt: r.BExternalID}
}

// linksTable: manual merges and splits. Any change marks the identities
// it names for the next people merge, as LinkIdentities does.
var linksTable = typedTable[idRef, linkRow]{
	name: "identity_links",
	load: func(ctx context.Context, tx execer, k idRef) (*linkRow, int64, error) {
		var r linkRow
		err := tx.QueryRowContext(ctx, `SELECT kind, a_source, a_external_id, b_source, b_external_id, created
			FROM identity_links WHERE id = ?`, k.ID).Scan(&r.Kind, &r.ASource, &r.AExternalID, &r.BSource, &r.BExternalID, &r.Created)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		return &r, 0, nil
	},
	save: func(ctx context.Context, tx execer, k idRef, r *linkRow, _ int64) error {
		var old linkRow
		err := tx.QueryRowContext(ctx, `DELETE FROM identity_links WHERE id = ?
			RETURNING kind, a_source, a_external_id, b_source, b_external_id, created`, k.ID).
			Scan(&old.Kind, &old.ASource, &old.AExternalID, &old.BSource, &old.BExternalID, &old.Created)
		switch {
		case err == nil:
			if err := markLinked(ctx, tx, old.link()); err != nil {
				return err
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if r == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO identity_links(id, kind, a_source, a_external_id, b_source, b_external_id, created)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, k.ID, r.Kind, r.ASource, r.AExternalID, r.BSource, r.BExternalID, r.Created); err != nil {
			return err
		}
		return markLinked(ctx, tx, r.link())
	},
}

// SetTriage writes the triage of the question source#externalID. read is
// the version of the triage the caller read (model.Triage.Version, 0 for
// a question never triaged): if the triage was written since, nothing is
// written and the error wraps ErrConflict. Status must be "", "snoozed"
// (with a SnoozedUntil) or "done". It returns the triage as written.
func (w *Writer) SetTriage(ctx context.Context, source, externalID string, read int64, t model.Triage) (model.Triage, error) {
	key := model.QuestionKey(source, externalID)
	switch t.Status {
	case model.TriageOpen, model.TriageDone:
	case model.TriageSnoozed:
		if t.SnoozedUntil.IsZero() {
			return t, fmt.Errorf("triage %s: snoozed needs a date", key)
		}
	default:
		return t, fmt.Errorf("triage %s: unknown status %q (choose snoozed or done, or none)", key, t.Status)
	}
	if t.Status != model.TriageSnoozed {
		t.SnoozedUntil = time.Time{}
	}
	k := questionRef{source, externalID}
	var out model.Triage
	err := w.write(ctx, "triage "+key, func(c *change) error {
		var n int
		if err := c.tx.QueryRowContext(ctx, "SELECT count(*) FROM questions WHERE source = ? AND external_id = ?",
			source, externalID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("no question %s", key)
		}
		before, version, err := triageTable.load(ctx, c.tx, k)
		if err != nil {
			return err
		}
		if version != read {
			return ErrConflict
		}
		after := &triageRow{Assignee: t.Assignee, Status: t.Status, Note: t.Note, Updated: c.at}
		if !t.SnoozedUntil.IsZero() {
			after.SnoozedUntil = t.SnoozedUntil.Unix()
		}
		if after.empty() {
			after = nil
		}
		if before != nil && after != nil && *before == (triageRow{after.Assignee, after.Status, after.SnoozedUntil, after.Note, before.Updated}) {
			after = before // nothing changes: not even the time of the last change
		}
		if err := put(c, triageTable, k, before, after); err != nil {
			return err
		}
		r, v, err := triageTable.load(ctx, c.tx, k)
		if err != nil {
			return err
		}
		out = triageModel(r, v)
		return nil
	})
	return out, err
}

func triageModel(r *triageRow, version int64) model.Triage {
	if r == nil {
		return model.Triage{Version: version}
	}
	t := model.Triage{Assignee: r.Assignee, Status: r.Status, Note: r.Note, Version: version}
	if r.SnoozedUntil != 0 {
		t.SnoozedUntil = time.Unix(r.SnoozedUntil, 0).UTC()
	}
	return t
}

// splitIdentity splits "source:external_id" at its first colon: an
// identity's source is a connector's name (git, github, mail, discourse,
// slack, chat), never with a colon, while external ids may hold them (a
// chat id such as "@ann:example.org").
func splitIdentity(who string) (source, ext string, err error) {
	i := strings.IndexByte(who, ':')
	if i <= 0 || i == len(who)-1 {
		return "", "", fmt.Errorf("%q is not source:external_id", who)
	}
	return who[:i], who[i+1:], nil
}

// AddNote adds a note about the identity who ("source:external_id") and
// returns its id.
func (w *Writer) AddNote(ctx context.Context, who, body string) (int64, error) {
	src, ext, err := splitIdentity(who)
	if err != nil {
		return 0, fmt.Errorf("add note: %w", err)
	}
	if strings.TrimSpace(body) == "" {
		return 0, errors.New("add note: the note is empty")
	}
	var id int64
	err = w.write(ctx, "note on "+who, func(c *change) error {
		if err := c.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM member_notes").Scan(&id); err != nil {
			return err
		}
		return put(c, notesTable, idRef{id}, nil, &noteRow{Source: src, ExternalID: ext, Body: body, Created: c.at, Updated: c.at})
	})
	return id, err
}

// EditNote replaces the body of note id; read is the version the caller
// read (model.Note.Version). An empty body deletes the note.
func (w *Writer) EditNote(ctx context.Context, id, read int64, body string) error {
	return w.write(ctx, fmt.Sprintf("edit note %d", id), func(c *change) error {
		before, version, err := notesTable.load(ctx, c.tx, idRef{id})
		if err != nil {
			return err
		}
		if before == nil {
			return fmt.Errorf("note %d: %w", id, ErrNotFound)
		}
		if version != read {
			return ErrConflict
		}
		var after *noteRow
		if strings.TrimSpace(body) != "" {
			n := *before
			n.Body, n.Updated = body, c.at
			after = &n
		}
		return put(c, notesTable, idRef{id}, before, after)
	})
}

// Tag tags the identity who ("source:external_id"); Untag removes the tag.
func (w *Writer) Tag(ctx context.Context, who, tag string) error {
	return w.label(ctx, tagsTable, "tag", who, tag, true)
}

// Untag removes a tag; removing one that is not there changes nothing.
func (w *Writer) Untag(ctx context.Context, who, tag string) error {
	return w.label(ctx, tagsTable, "untag", who, tag, false)
}

// Flag sets a flag on the identity who ("source:external_id") and marks
// its member for the next refresh: flags bear on stages.
func (w *Writer) Flag(ctx context.Context, who, flag string) error {
	return w.label(ctx, flagsTable, "flag", who, flag, true)
}

// Unflag removes a flag.
func (w *Writer) Unflag(ctx context.Context, who, flag string) error {
	return w.label(ctx, flagsTable, "unflag", who, flag, false)
}

func (w *Writer) label(ctx context.Context, t typedTable[labelRef, bool], verb, who, label string, on bool) error {
	src, ext, err := splitIdentity(who)
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	if strings.TrimSpace(label) == "" {
		return fmt.Errorf("%s %s: empty %s", verb, who, strings.TrimPrefix(verb, "un"))
	}
	k := labelRef{src, ext, label}
	return w.write(ctx, verb+" "+who+" "+label, func(c *change) error {
		before, _, err := t.load(ctx, c.tx, k)
		if err != nil {
			return err
		}
		var after *bool
		if on {
			after = &on
		}
		if err := put(c, t, k, before, after); err != nil {
			return err
		}
		if t.name != flagsTable.name {
			return nil // a tag reaches expertise at the next refresh
		}
		return w.rejudgeFlagged(ctx, c.tx, src, ext)
	})
}

// rejudgeFlagged judges the standing of the member holding identity
// src:ext again, from the history kept in member_stats and the flags as
// they now are, and rewrites the summary: with the sync's rules, a flag
// changes the stage in the write's own transaction, without re-reading
// the member's activities (a flag changes none of them). The mark put
// left stays, so the next refresh rederives the member whole as well.
// Without rules, nothing is judged until the next sync.
func (w *Writer) rejudgeFlagged(ctx context.Context, tx execer, src, ext string) error {
	if w.rules == nil {
		return nil
	}
	var member, asOf sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT member_id FROM identities WHERE source = ? AND external_id = ?),
		(SELECT value FROM summary WHERE key = 'as_of')`, src, ext).Scan(&member, &asOf); err != nil {
		return err
	}
	if !member.Valid || !asOf.Valid {
		return nil // no such account yet, or nothing derived yet: the next refresh judges it
	}
	// As of the moment every other member was judged, so the counts agree.
	at := time.Unix(asOf.Int64, 0)
	n, err := rejudge(ctx, tx, at, w.rules.model, "WHERE member_id = ?", member.Int64)
	if err != nil || n == 0 {
		return err
	}
	return writeSummary(ctx, tx, asOf.Int64, w.rules.model)
}

// Link records that two identities ("source:external_id") are one person
// (kind "merge") or never are ("split"), journaled; it returns the link's
// id. Like LinkIdentities, it takes effect at the next people merge.
func (w *Writer) Link(ctx context.Context, kind, a, b string) (int64, error) {
	if kind != "merge" && kind != "split" {
		return 0, fmt.Errorf("link identities: kind %q is neither merge nor split", kind)
	}
	aSrc, aExt, err := splitIdentity(a)
	if err != nil {
		return 0, fmt.Errorf("link identities: %w", err)
	}
	bSrc, bExt, err := splitIdentity(b)
	if err != nil {
		return 0, fmt.Errorf("link identities: %w", err)
	}
	if a == b {
		return 0, fmt.Errorf("link identities: %s with itself", a)
	}
	var id int64
	err = w.write(ctx, kind+" "+a+" "+b, func(c *change) error {
		if err := c.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM identity_links").Scan(&id); err != nil {
			return err
		}
		return put(c, linksTable, idRef{id}, nil, &linkRow{kind, aSrc, aExt, bSrc, bExt, c.at})
	})
	return id, err
}

// Unlink deletes the manual link id, journaled.
func (w *Writer) Unlink(ctx context.Context, id int64) error {
	return w.write(ctx, fmt.Sprintf("unlink %d", id), func(c *change) error {
		before, _, err := linksTable.load(ctx, c.tx, idRef{id})
		if err != nil {
			return err
		}
		if before == nil {
			return fmt.Errorf("identity link %d: %w", id, ErrNotFound)
		}
		return put(c, linksTable, idRef{id}, before, nil)
	})
}
