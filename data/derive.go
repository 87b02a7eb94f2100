package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"hearth/model"
)

// Derived data: member_stats and summary are what reading needs, computed
// when data is written so that opening the TUI never aggregates activities.
// The demo generator feeds its in-memory tallies to writeDerived; sync calls
// RefreshDerived, which tallies from the activities table. Both end in the
// same writer, so both produce the same rows for the same community.

// memberAgg is what the derivation knows about one member before the
// standing is computed.
type memberAgg struct {
	model.Member
	tally *model.Tally
	flags model.Flags
}

// writeDerived replaces member_stats and summary inside tx.
func writeDerived(ctx context.Context, tx *sql.Tx, now time.Time, members []memberAgg, rules model.Rules) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM member_stats"); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO member_stats(member_id, name, org, handles, emails,
		bot, stage, is_new, is_lapsed, activities, contributions, first_active, last_active, topics, evidence)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	var fun model.Funnel
	var people, bots, acts int
	for i := range members {
		m := &members[i]
		st := m.tally.Standing(m.flags)
		topics := m.tally.Topics(rules.TopTopics)
		if m.Bot {
			bots++
		} else {
			people++
			fun.Add(st)
			acts += m.tally.Activities
		}
		if _, err := stmt.ExecContext(ctx, m.ID, m.Name, m.Org,
			strings.Join(m.Handles, ","), strings.Join(m.Emails, ","),
			m.Bot, int(st.Stage), st.New, st.Lapsed, m.tally.Activities, m.tally.Contributions,
			nullUnix(m.tally.First), nullUnix(m.tally.Last),
			strings.Join(topics, ","), strings.Join(st.Evidence, "\n")); err != nil {
			return fmt.Errorf("write member stats: %w", err)
		}
	}
	var questions, open int
	if err := tx.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE first_response_at IS NULL AND closed_at IS NULL) FROM questions`).
		Scan(&questions, &open); err != nil {
		return err
	}
	vals := map[string]int64{
		"members": int64(people), "bots": int64(bots), "activities": int64(acts),
		"questions": int64(questions), "open_questions": int64(open),
		"new": int64(fun.New), "lapsed": int64(fun.Lapsed), "as_of": now.Unix(),
	}
	for i, n := range fun.AtStage {
		vals[fmt.Sprintf("stage_%d", i)] = int64(n)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM summary"); err != nil {
		return err
	}
	for k, v := range vals {
		if _, err := tx.ExecContext(ctx, "INSERT INTO summary(key, value) VALUES (?, ?)", k, v); err != nil {
			return err
		}
	}
	return nil
}

// RefreshDerived recomputes member_stats and summary from the synced
// tables and the user's flags, in one transaction.
func (s *Store) RefreshDerived(ctx context.Context, now time.Time, rules model.Rules) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return friendly(err)
	}
	defer tx.Rollback()
	members, err := loadMemberAggs(ctx, tx, now, rules)
	if err != nil {
		return fmt.Errorf("derive summaries: %w", err)
	}
	if err := writeDerived(ctx, tx, now, members, rules); err != nil {
		return fmt.Errorf("derive summaries: %w", friendly(err))
	}
	return friendly(tx.Commit())
}

// loadMemberAggs reads members with their identities, flags and a tally of
// all their activities.
func loadMemberAggs(ctx context.Context, tx *sql.Tx, now time.Time, rules model.Rules) ([]memberAgg, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.name, coalesce(o.name, ''), m.bot
		FROM members m LEFT JOIN orgs o ON o.id = m.org_id ORDER BY m.id`)
	if err != nil {
		return nil, err
	}
	var members []memberAgg
	index := map[int64]int{}
	for rows.Next() {
		var a memberAgg
		if err := rows.Scan(&a.ID, &a.Name, &a.Org, &a.Bot); err != nil {
			rows.Close()
			return nil, err
		}
		a.tally = model.NewTally(now, rules)
		index[a.ID] = len(members)
		members = append(members, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	flags := map[string][]string{}
	frows, err := tx.QueryContext(ctx, "SELECT source, external_id, flag FROM member_flags")
	if err != nil {
		return nil, err
	}
	for frows.Next() {
		var src, ext, flag string
		if err := frows.Scan(&src, &ext, &flag); err != nil {
			frows.Close()
			return nil, err
		}
		flags[src+":"+ext] = append(flags[src+":"+ext], flag)
	}
	frows.Close()

	identityMember := map[int64]int{}
	irows, err := tx.QueryContext(ctx, `SELECT id, member_id, source, external_id, username, email
		FROM identities WHERE member_id IS NOT NULL ORDER BY source, external_id`)
	if err != nil {
		return nil, err
	}
	for irows.Next() {
		var id, mid int64
		var src, ext, user, email string
		if err := irows.Scan(&id, &mid, &src, &ext, &user, &email); err != nil {
			irows.Close()
			return nil, err
		}
		i, ok := index[mid]
		if !ok {
			continue
		}
		identityMember[id] = i
		m := &members[i]
		if user != "" {
			m.Handles = appendUnique(m.Handles, "@"+user)
		}
		if email != "" {
			m.Emails = appendUnique(m.Emails, strings.ToLower(email))
		}
		for _, f := range flags[src+":"+ext] {
			switch f {
			case "core":
				m.flags.Core = true
			case "maintainer":
				m.flags.Maintainer = true
			}
		}
	}
	irows.Close()
	if err := irows.Err(); err != nil {
		return nil, err
	}

	arows, err := tx.QueryContext(ctx, "SELECT identity_id, kind, at, topics FROM activities")
	if err != nil {
		return nil, err
	}
	defer arows.Close()
	for arows.Next() {
		var iid, at int64
		var kind, topics string
		if err := arows.Scan(&iid, &kind, &at, &topics); err != nil {
			return nil, err
		}
		i, ok := identityMember[iid]
		if !ok {
			continue
		}
		members[i].tally.Add(model.Kind(kind), time.Unix(at, 0).UTC(), splitList(topics, ","))
	}
	if err := arows.Err(); err != nil {
		return nil, err
	}
	for i := range members {
		sort.Strings(members[i].Handles)
	}
	return members, nil
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
