package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// Possible duplicates (people.Duplicates decides; this file loads its
// input) and the pairs a person said are two people (not_duplicates,
// migration 0012).

// Duplicate is two members that are possibly one person.
type Duplicate struct {
	// A and B are the members as a list of pairs shows them: id, name,
	// handles and activities (the rest is unset).
	A, B model.Member
	// AKey and BKey are the identities ("source:external_id") that
	// matched, one of each member.
	AKey, BKey string
	Reasons    []string // why, strongest first
}

// Duplicates lists the members that are possibly one person, strongest
// reason first, leaving out bots and the pairs said to be two people.
func (s *Store) Duplicates(ctx context.Context) ([]Duplicate, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", friendly(err))
	}
	defer tx.Rollback()
	out, err := duplicates(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", friendly(err))
	}
	return out, nil
}

func duplicates(ctx context.Context, tx *sql.Tx) ([]Duplicate, error) {
	// Only what the rules read, and in one text column: the driver's cost
	// is mostly per column, and this reads every identity (150,000 for a
	// community of 100,000), into a slice sized up front.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM identities").Scan(&n); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT member_id, source || char(31) || external_id || char(31) || username || char(31) || name || char(31) || email
		FROM identities WHERE member_id IS NOT NULL AND bot = 0`)
	if err != nil {
		return nil, err
	}
	ids := make([]people.Account, 0, n)
	for rows.Next() {
		var p people.Account
		var text string
		if err := rows.Scan(&p.Member, &text); err != nil {
			rows.Close()
			return nil, err
		}
		p.Source, text, _ = strings.Cut(text, "\x1f")
		p.ExternalID, text, _ = strings.Cut(text, "\x1f")
		p.Username, text, _ = strings.Cut(text, "\x1f")
		p.Name, p.Email, _ = strings.Cut(text, "\x1f")
		ids = append(ids, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	apart := map[people.PairKey]bool{}
	said, err := queryRows(ctx, tx, func(sc scanner, k *people.PairKey) error {
		return sc.Scan(&k[0], &k[1])
	}, `SELECT ia.member_id, ib.member_id FROM not_duplicates n
		JOIN identities ia ON ia.source = n.a_source AND ia.external_id = n.a_external_id
		JOIN identities ib ON ib.source = n.b_source AND ib.external_id = n.b_external_id
		WHERE ia.member_id IS NOT NULL AND ib.member_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	for _, k := range said {
		apart[people.MakePairKey(k[0], k[1])] = true
	}
	pairs := people.Duplicates(ids, apart)
	need := map[int64]bool{}
	var list []int64
	for _, p := range pairs {
		for _, id := range []int64{p.A, p.B} {
			if !need[id] {
				need[id] = true
				list = append(list, id)
			}
		}
	}
	// The pair's members as a row of the list shows them: fewer columns
	// than the directory's, since every pair costs two lookups.
	members := make(map[int64]model.Member, len(list))
	if err := inChunks(list, func(part []any) error {
		got, err := queryRows(ctx, tx, func(sc scanner, m *model.Member) error {
			var handles string
			err := sc.Scan(&m.ID, &m.Name, &handles, &m.Activities)
			m.Handles = splitList(handles, ",")
			return err
		}, "SELECT member_id, name, handles, activities"+directoryFrom+" AND member_id IN ("+placeholders(len(part))+")", part...)
		for _, m := range got {
			members[m.ID] = m
		}
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]Duplicate, 0, len(pairs))
	for _, p := range pairs {
		a, okA := members[p.A]
		b, okB := members[p.B]
		if !okA || !okB {
			continue // a bot or a member without activity: not in the directory
		}
		out = append(out, Duplicate{A: a, B: b, AKey: p.AKey, BKey: p.BKey, Reasons: p.Reasons})
	}
	return out, nil
}

// pairRef is a pair of identities said to be two people, in key order.
type pairRef struct {
	ASource     string `json:"a_source"`
	AExternalID string `json:"a_external_id"`
	BSource     string `json:"b_source"`
	BExternalID string `json:"b_external_id"`
}

type notDuplicateRow struct {
	Created int64 `json:"created"`
}

// notDuplicatesTable: "not the same person". It bears on no member (the
// merge does not read it), only on what Duplicates offers.
var notDuplicatesTable = typedTable[pairRef, notDuplicateRow]{
	name: "not_duplicates",
	load: func(ctx context.Context, tx execer, k pairRef) (*notDuplicateRow, int64, error) {
		var r notDuplicateRow
		err := tx.QueryRowContext(ctx, `SELECT created FROM not_duplicates
			WHERE a_source = ? AND a_external_id = ? AND b_source = ? AND b_external_id = ?`,
			k.ASource, k.AExternalID, k.BSource, k.BExternalID).Scan(&r.Created)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		return &r, 0, nil
	},
	save: func(ctx context.Context, tx execer, k pairRef, r *notDuplicateRow, _ int64) error {
		if r == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM not_duplicates
				WHERE a_source = ? AND a_external_id = ? AND b_source = ? AND b_external_id = ?`,
				k.ASource, k.AExternalID, k.BSource, k.BExternalID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO not_duplicates(a_source, a_external_id, b_source, b_external_id, created)
			VALUES (?, ?, ?, ?, ?)`, k.ASource, k.AExternalID, k.BSource, k.BExternalID, r.Created)
		return err
	},
}

// NotDuplicates records that members a and b are two people, so that
// Duplicates no longer offers them as one: a pair of their most active
// identities, journaled. Saying it again changes nothing. A member that no
// longer exists is a conflict.
func (w *Writer) NotDuplicates(ctx context.Context, a, b int64) error {
	if a == b {
		return fmt.Errorf("not the same person: member %d with itself", a)
	}
	return w.write(ctx, fmt.Sprintf("not the same person: members %d and %d", a, b), func(c *change) error {
		var keys [2]memberIdentity
		for n, id := range []int64{a, b} {
			ids, err := memberIdentities(ctx, c.tx, id)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				return fmt.Errorf("member %d is gone (merged or removed since it was read): %w", id, ErrConflict)
			}
			keys[n] = ids[0]
		}
		x, y := keys[0], keys[1]
		if strings.Compare(x.key(), y.key()) > 0 {
			x, y = y, x
		}
		k := pairRef{x.source, x.ext, y.source, y.ext}
		before, _, err := notDuplicatesTable.load(ctx, c.tx, k)
		if err != nil || before != nil {
			return err
		}
		return put(c, notDuplicatesTable, k, nil, &notDuplicateRow{Created: c.at})
	})
}
