package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// Erasure: `hearth forget` removes a person from the database for good.
//
// What goes, for every identity of the member, in one transaction:
//   - the identity row, its merge keys and its activities;
//   - the questions it asked (their title and body are its own words),
//     with their triage;
//   - on questions others asked, the link to it as the first responder:
//     responder_id becomes NULL, while first_response_at stays, so the
//     question still counts as answered and response times stay true;
//   - everything typed by hand about it: notes, tags, flags, manual merges
//     and splits naming it, speakers and attendees of events linked to it,
//     triage assignments to it (the assignee is cleared, the rest of the
//     triage stays);
//   - journal entries that hold any of the above, so that no before/after
//     copy of a note about the person survives.
//
// What is kept: a one-way hash of each identity's key in forgotten, so
// that a later sync skips the identity, its activities and its questions.
// The change is journaled under a table Undo cannot restore: a forget is
// never undone.

// forgottenTable is the journal's name for a forget, which Undo refuses.
const forgottenTable = "forgotten"

// forgetSalt is prefixed to every key before hashing, so that the hashes
// of forgotten are hearth's own and not plain SHA-256 of a login.
const forgetSalt = "hearth-forgotten-v1:"

// forgetHash is the tombstone of the identity source:externalID: SHA-256
// of forgetSalt and the key, lower-cased, in hex.
func forgetHash(source, externalID string) string {
	sum := sha256.Sum256([]byte(forgetSalt + strings.ToLower(source+":"+externalID)))
	return hex.EncodeToString(sum[:])
}

// ForgetScope is who a forget would remove: the member's name and the
// identities (accounts) it has.
type ForgetScope struct {
	MemberID int64 // 0 for an identity no member holds yet
	Name     string
	IDs      []int64 // identities.id
}

// Forgotten counts what a forget removed.
type Forgotten struct {
	Identities int
	Activities int
	Questions  int // questions the person asked, removed
	Responses  int // questions of others where they were the responder, unlinked
	UserData   int // notes, tags, flags, links, speakers, attendees, assignments
}

// ForgetScope returns the member of identity i with all of its
// identities: what Forget(i) would remove.
func (s *Store) ForgetScope(ctx context.Context, i model.Identity) (ForgetScope, error) {
	sc := ForgetScope{MemberID: i.MemberID, Name: i.Name}
	var rows *sql.Rows
	var err error
	if i.MemberID != 0 {
		var name sql.NullString
		if err := s.db.QueryRowContext(ctx, "SELECT name FROM members WHERE id = ?", i.MemberID).Scan(&name); err != nil &&
			!errors.Is(err, sql.ErrNoRows) {
			return sc, fmt.Errorf("forget: %w", friendly(err))
		}
		if name.String != "" {
			sc.Name = name.String
		}
		rows, err = s.db.QueryContext(ctx, "SELECT id FROM identities WHERE member_id = ? ORDER BY id", i.MemberID)
	} else {
		rows, err = s.db.QueryContext(ctx, "SELECT id FROM identities WHERE id = ?", i.ID)
	}
	if err != nil {
		return sc, fmt.Errorf("forget: %w", friendly(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return sc, fmt.Errorf("forget: %w", friendly(err))
		}
		sc.IDs = append(sc.IDs, id)
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("forget: %w", friendly(err))
	}
	if len(sc.IDs) == 0 {
		return sc, fmt.Errorf("forget: %w", ErrNotFound)
	}
	if sc.Name == "" {
		sc.Name = i.Username
	}
	return sc, nil
}

// forgetIdentity is one identity being forgotten.
type forgetIdentity struct {
	id                       int64
	source, ext, user, email string
	member                   sql.NullInt64
}

// Forget removes the identities of sc and everything about them (see the
// top of this file), keeps their tombstones, and then regroups and
// refreshes the members concerned with peopleRules and rules as of now. It
// cannot be undone.
func (w *Writer) Forget(ctx context.Context, sc ForgetScope, peopleRules people.Rules, rules model.Rules) (Forgotten, error) {
	var out Forgotten
	what := fmt.Sprintf("forget member %d (%d accounts)", sc.MemberID, len(sc.IDs))
	if len(sc.IDs) == 1 {
		what = fmt.Sprintf("forget member %d (1 account)", sc.MemberID)
	}
	err := w.write(ctx, what, func(c *change) error {
		ids, err := loadForgetIdentities(ctx, c.tx, sc.IDs)
		if err != nil {
			return err
		}
		if len(ids) != len(sc.IDs) {
			return ErrConflict // an identity went away since the scope was read
		}
		out, err = forget(ctx, c.tx, ids, c.at)
		if err != nil {
			return err
		}
		return c.record(forgottenTable, map[string]int{"accounts": len(ids)}, nil, nil)
	})
	if err != nil {
		return out, err
	}
	if err := w.s.MergeDirtyPeople(ctx, peopleRules); err != nil {
		return out, fmt.Errorf("forget: regroup people: %w", err)
	}
	if err := w.s.RefreshDirty(ctx, w.s.now(), rules); err != nil {
		return out, fmt.Errorf("forget: refresh members: %w", err)
	}
	return out, nil
}

func loadForgetIdentities(ctx context.Context, tx execer, ids []int64) ([]forgetIdentity, error) {
	var out []forgetIdentity
	err := inChunks(ids, func(part []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, source, external_id, username, email, member_id
			FROM identities WHERE id IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var i forgetIdentity
			if err := rows.Scan(&i.id, &i.source, &i.ext, &i.user, &i.email, &i.member); err != nil {
				return err
			}
			out = append(out, i)
		}
		return rows.Err()
	})
	return out, err
}

// forget does the removal inside the transaction tx.
func forget(ctx context.Context, tx execer, ids []forgetIdentity, at int64) (Forgotten, error) {
	var out Forgotten
	exec := func(q string, args ...any) (int, error) {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		return int(n), err
	}
	all := make([]int64, len(ids))
	for n, i := range ids {
		all[n] = i.id
	}
	// Who shared a website with them may be joined differently now.
	if err := inChunks(all, func(part []any) error {
		in := placeholders(len(part))
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_people(id)
			SELECT o.identity_id FROM identity_keys g JOIN identity_keys o ON o.key = g.key
			WHERE g.key >= 'site:' AND g.key < 'site;' AND g.identity_id IN (`+in+`)
			AND o.identity_id NOT IN (`+in+`)`, append(part, part...)...)
		return err
	}); err != nil {
		return out, err
	}
	for _, i := range ids {
		if _, err := exec("INSERT OR IGNORE INTO forgotten(hash, at) VALUES (?, ?)", forgetHash(i.source, i.ext), at); err != nil {
			return out, err
		}
		if i.member.Valid {
			for _, t := range []string{"dirty_members", "dirty_groups"} {
				if _, err := exec("INSERT OR IGNORE INTO "+t+"(id) VALUES (?)", i.member.Int64); err != nil {
					return out, err
				}
			}
		}
		n, err := exec("DELETE FROM activities WHERE identity_id = ?", i.id)
		if err != nil {
			return out, err
		}
		out.Activities += n
		// The questions they asked go, with their triage.
		if _, err := exec(`DELETE FROM question_triage WHERE (source, external_id) IN
			(SELECT source, external_id FROM questions WHERE author_id = ?)`, i.id); err != nil {
			return out, err
		}
		if n, err = exec("DELETE FROM questions WHERE author_id = ?", i.id); err != nil {
			return out, err
		}
		out.Questions += n
		if n, err = exec("UPDATE questions SET responder_id = NULL WHERE responder_id = ?", i.id); err != nil {
			return out, err
		}
		out.Responses += n
		// What was typed about them.
		key := i.source + ":" + i.ext
		for _, q := range []string{
			"DELETE FROM member_notes WHERE source = ?1 AND external_id = ?2",
			"DELETE FROM member_tags WHERE source = ?1 AND external_id = ?2",
			"DELETE FROM member_flags WHERE source = ?1 AND external_id = ?2",
			`DELETE FROM identity_links WHERE (a_source = ?1 AND a_external_id = ?2)
				OR (b_source = ?1 AND b_external_id = ?2)`,
			"DELETE FROM event_speakers WHERE member_key = ?3",
			"DELETE FROM event_attendees WHERE member_key = ?3",
		} {
			if n, err = exec(q, i.source, i.ext, key); err != nil {
				return out, err
			}
			out.UserData += n
		}
		names := assigneeNames(i)
		if n, err = exec(`UPDATE question_triage SET assignee = '', updated = ?, version = version + 1
			WHERE assignee IN (`+placeholders(len(names))+`)`, append([]any{at}, names...)...); err != nil {
			return out, err
		}
		out.UserData += n
		if err := scrubJournal(ctx, tx, i, names); err != nil {
			return out, err
		}
		if _, err := exec("DELETE FROM identity_keys WHERE identity_id = ?", i.id); err != nil {
			return out, err
		}
		for _, t := range []string{"dirty_people", "dirty_identities"} {
			if _, err := exec("DELETE FROM "+t+" WHERE id = ?", i.id); err != nil {
				return out, err
			}
		}
		if n, err = exec("DELETE FROM identities WHERE id = ?", i.id); err != nil {
			return out, err
		}
		out.Identities += n
	}
	return out, nil
}

// assigneeNames are the ways a triage may name identity i as its assignee
// (the command line writes the @handle, else the address, else the key).
func assigneeNames(i forgetIdentity) []any {
	out := []any{i.source + ":" + i.ext}
	if i.user != "" {
		out = append(out, "@"+i.user)
	}
	if i.email != "" {
		out = append(out, i.email)
	}
	return out
}

// scrubJournal deletes the journal entries whose key or before/after
// copy names identity i: its key as user data stores it (source and
// external id, or "source:external_id"), or its assignee names.
func scrubJournal(ctx context.Context, tx execer, i forgetIdentity, names []any) error {
	quote := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	text := "(coalesce(key, '') || coalesce(before, '') || coalesce(after, ''))"
	conds := []string{"(instr(" + text + ", ?) > 0 AND instr(" + text + ", ?) > 0)"}
	args := []any{`external_id":` + quote(i.ext), quote(i.source)}
	for _, n := range names {
		conds = append(conds, "instr("+text+", ?) > 0")
		args = append(args, quote(n.(string)))
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM journal WHERE "+strings.Join(conds, " OR "), args...)
	return err
}

// errForgotten is what the batch writer's resolve returns for an identity
// that was forgotten: the batch skips what refers to it.
var errForgotten = errors.New("forgotten identity")

// isForgotten reports whether source:externalID was forgotten. The
// tombstones are read once per batch; with none, nothing is hashed.
func (w *batchWriter) isForgotten(ctx context.Context, source, externalID string) (bool, error) {
	if w.forgotten == nil {
		w.forgotten = map[string]bool{}
		rows, err := w.conn.QueryContext(ctx, "SELECT hash FROM forgotten")
		if err != nil {
			return false, fmt.Errorf("read forgotten: %w", friendly(err))
		}
		defer rows.Close()
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				return false, fmt.Errorf("read forgotten: %w", friendly(err))
			}
			w.forgotten[h] = true
		}
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("read forgotten: %w", friendly(err))
		}
	}
	if len(w.forgotten) == 0 {
		return false, nil
	}
	return w.forgotten[forgetHash(source, externalID)], nil
}
