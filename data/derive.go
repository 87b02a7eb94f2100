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
	if err := writeMemberStats(ctx, tx, members, rules); err != nil {
		return err
	}
	return writeSummary(ctx, tx, now)
}

// writeMemberStats writes (or replaces) the member_stats rows of members.
func writeMemberStats(ctx context.Context, tx *sql.Tx, members []memberAgg, rules model.Rules) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO member_stats(member_id, name, org, handles, emails,
		bot, stage, is_new, is_lapsed, activities, contributions, first_active, last_active, topics, evidence)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range members {
		m := &members[i]
		st := m.tally.Standing(m.flags)
		if _, err := stmt.ExecContext(ctx, m.ID, m.Name, m.Org,
			strings.Join(m.Handles, ","), strings.Join(m.Emails, ","),
			m.Bot, int(st.Stage), st.New, st.Lapsed, m.tally.Activities, m.tally.Contributions,
			nullUnix(m.tally.First), nullUnix(m.tally.Last),
			strings.Join(m.tally.Topics(rules.TopTopics), ","), strings.Join(st.Evidence, "\n")); err != nil {
			return fmt.Errorf("write member stats: %w", err)
		}
	}
	return nil
}

// writeSummary recomputes the summary counters from member_stats and
// questions: one pass over 100k small rows, cheap next to re-tallying
// activities, so the full and the incremental refresh share it. Bots are
// left out of every count but their own.
func writeSummary(ctx context.Context, tx *sql.Tx, now time.Time) error {
	vals := map[string]int64{"as_of": now.Unix()}
	for i := range len(model.Funnel{}.AtStage) {
		vals[fmt.Sprintf("stage_%d", i)] = 0
	}
	var people, bots, acts, isNew, lapsed, questions, open int64
	if err := tx.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE bot = 0), count(*) FILTER (WHERE bot <> 0),
		coalesce(sum(activities) FILTER (WHERE bot = 0), 0),
		coalesce(sum(is_new) FILTER (WHERE bot = 0), 0),
		coalesce(sum(is_lapsed) FILTER (WHERE bot = 0), 0)
		FROM member_stats`).Scan(&people, &bots, &acts, &isNew, &lapsed); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT stage, count(*) FROM member_stats WHERE bot = 0 GROUP BY stage")
	if err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	for rows.Next() {
		var stage, n int64
		if err := rows.Scan(&stage, &n); err != nil {
			rows.Close()
			return fmt.Errorf("write summary: %w", err)
		}
		vals[fmt.Sprintf("stage_%d", stage)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE first_response_at IS NULL AND closed_at IS NULL) FROM questions`).
		Scan(&questions, &open); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	vals["members"], vals["bots"], vals["activities"] = people, bots, acts
	vals["new"], vals["lapsed"], vals["questions"], vals["open_questions"] = isNew, lapsed, questions, open
	if _, err := tx.ExecContext(ctx, "DELETE FROM summary"); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	for k, v := range vals {
		if _, err := tx.ExecContext(ctx, "INSERT INTO summary(key, value) VALUES (?, ?)", k, v); err != nil {
			return fmt.Errorf("write summary: %w", err)
		}
	}
	return nil
}

// RefreshDerived recomputes member_stats and summary from the synced
// tables and the user's flags, in one transaction.
func (s *Store) RefreshDerived(ctx context.Context, now time.Time, rules model.Rules) error {
	return s.refresh(ctx, now, rules, nil)
}

// RefreshMembers recomputes the member_stats rows of the given members
// (dropping rows of members that no longer exist) and the summary: what a
// small sync needs, reading only those members' activities through the
// activities_identity index.
func (s *Store) RefreshMembers(ctx context.Context, now time.Time, rules model.Rules, ids []int64) error {
	if ids == nil {
		ids = []int64{}
	}
	return s.refresh(ctx, now, rules, ids)
}

// refresh rederives everything (only == nil) or only some members.
func (s *Store) refresh(ctx context.Context, now time.Time, rules model.Rules, only []int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return friendly(err)
	}
	defer tx.Rollback()
	if only != nil {
		if err := selectMembers(ctx, tx, only); err != nil {
			return fmt.Errorf("derive summaries: %w", friendly(err))
		}
	}
	members, err := loadMemberAggs(ctx, tx, now, rules, only != nil)
	if err != nil {
		return fmt.Errorf("derive summaries: %w", friendly(err))
	}
	if only == nil {
		err = writeDerived(ctx, tx, now, members, rules)
	} else {
		// Rows of members that were merged away or deleted go too.
		_, err = tx.ExecContext(ctx, `DELETE FROM member_stats WHERE member_id IN (SELECT id FROM temp.refresh_members)
			OR member_id NOT IN (SELECT id FROM members)`)
		if err == nil {
			err = writeMemberStats(ctx, tx, members, rules)
		}
		if err == nil {
			err = writeSummary(ctx, tx, now)
		}
	}
	if err != nil {
		return fmt.Errorf("derive summaries: %w", friendly(err))
	}
	return friendly(tx.Commit())
}

// selectMembers fills the connection's temp.refresh_members with ids, the
// filter loadMemberAggs joins on.
func selectMembers(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS refresh_members (id INTEGER PRIMARY KEY)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM temp.refresh_members"); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO temp.refresh_members(id) VALUES (?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, id := range ids {
		if _, err := ins.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// loadMemberAggs reads members with their identities, flags and a tally of
// all their activities: every member, or with filtered set those listed in
// temp.refresh_members.
func loadMemberAggs(ctx context.Context, tx *sql.Tx, now time.Time, rules model.Rules, filtered bool) ([]memberAgg, error) {
	memberFilter, identityFilter, activities := "", "", "SELECT identity_id, kind, at, topics FROM activities"
	if filtered {
		memberFilter = " WHERE m.id IN (SELECT id FROM temp.refresh_members)"
		identityFilter = " AND member_id IN (SELECT id FROM temp.refresh_members)"
		activities = `SELECT a.identity_id, a.kind, a.at, a.topics FROM identities i
			JOIN activities a ON a.identity_id = i.id
			WHERE i.member_id IN (SELECT id FROM temp.refresh_members)`
	}
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.name, coalesce(o.name, ''), m.bot
		FROM members m LEFT JOIN orgs o ON o.id = m.org_id`+memberFilter+` ORDER BY m.id`)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	var members []memberAgg
	index := map[int64]int{}
	for rows.Next() {
		var a memberAgg
		if err := rows.Scan(&a.ID, &a.Name, &a.Org, &a.Bot); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load members: %w", err)
		}
		a.tally = model.NewTally(now, rules)
		index[a.ID] = len(members)
		members = append(members, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}

	flags := map[string][]string{}
	frows, err := tx.QueryContext(ctx, "SELECT source, external_id, flag FROM member_flags")
	if err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}
	for frows.Next() {
		var src, ext, flag string
		if err := frows.Scan(&src, &ext, &flag); err != nil {
			frows.Close()
			return nil, fmt.Errorf("load flags: %w", err)
		}
		flags[src+":"+ext] = append(flags[src+":"+ext], flag)
	}
	frows.Close()
	if err := frows.Err(); err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}

	identityMember := map[int64]int{}
	irows, err := tx.QueryContext(ctx, `SELECT id, member_id, source, external_id, username, email
		FROM identities WHERE member_id IS NOT NULL`+identityFilter+` ORDER BY source, external_id`)
	if err != nil {
		return nil, fmt.Errorf("load identities: %w", err)
	}
	for irows.Next() {
		var id, mid int64
		var src, ext, user, email string
		if err := irows.Scan(&id, &mid, &src, &ext, &user, &email); err != nil {
			irows.Close()
			return nil, fmt.Errorf("load identities: %w", err)
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
		return nil, fmt.Errorf("load identities: %w", err)
	}

	arows, err := tx.QueryContext(ctx, activities)
	if err != nil {
		return nil, fmt.Errorf("load activities: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var iid, at int64
		var kind, topics string
		if err := arows.Scan(&iid, &kind, &at, &topics); err != nil {
			return nil, fmt.Errorf("load activities: %w", err)
		}
		i, ok := identityMember[iid]
		if !ok {
			continue
		}
		members[i].tally.Add(model.Kind(kind), time.Unix(at, 0).UTC(), splitList(topics, ","))
	}
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("load activities: %w", err)
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
