package store

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

// writeDerived replaces member_stats and summary inside tx, and, everything
// being fresh, empties the dirty tables.
func writeDerived(ctx context.Context, tx execer, now time.Time, members []memberAgg, rules model.Rules) error {
	for _, q := range []string{"DELETE FROM member_stats", "DELETE FROM dirty_identities", "DELETE FROM dirty_members"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := writeMemberStats(ctx, tx, members, rules); err != nil {
		return err
	}
	return writeSummary(ctx, tx, now.Unix())
}

// writeMemberStats writes (or replaces) the member_stats rows of members.
// A member without a single activity gets no row: it is not listed and not
// counted. That is the state a force-push that dropped all of someone's
// commits leaves, and the same rule holds for a first import, so the
// incremental and the full derivation agree.
func writeMemberStats(ctx context.Context, tx execer, members []memberAgg, rules model.Rules) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO member_stats(member_id, name, org, handles, emails,
		bot, stage, is_new, is_lapsed, activities, contributions, first_active, last_active, topics, evidence)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range members {
		m := &members[i]
		if m.tally.Activities == 0 {
			continue
		}
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
// left out of every count but their own. asOf (Unix seconds, 0 for not
// known) is when the standings were last all derived: the incremental
// refresh passes the time of the last full one on, never its own, or a
// daily run of small syncs would keep new and lapsed from ever being
// recomputed for the members it did not touch.
func writeSummary(ctx context.Context, tx execer, asOf int64) error {
	vals := map[string]int64{}
	if asOf != 0 {
		vals["as_of"] = asOf
	}
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
	return s.refresh(ctx, now, rules, refreshAll, nil)
}

// RefreshMembers recomputes the member_stats rows of the given members
// (dropping rows of members that no longer exist) and the summary: what a
// small sync needs, reading only those members' activities through the
// activities_identity index. It leaves the dirty tables and the time of
// the last full refresh alone.
func (s *Store) RefreshMembers(ctx context.Context, now time.Time, rules model.Rules, ids []int64) error {
	return s.refresh(ctx, now, rules, refreshList, ids)
}

// refreshMode says which members a refresh rederives.
type refreshMode int

const (
	refreshAll   refreshMode = iota // every member
	refreshList                     // the ids given
	refreshDirty                    // the members marked dirty, or all when a full refresh is due
)

// refresh rederives members in one IMMEDIATE transaction: the dirty set it
// reads cannot grow between the read and the commit that clears it (a
// batch of another process waits for the lock), so nothing marked is ever
// cleared without having been refreshed.
func (s *Store) refresh(ctx context.Context, now time.Time, rules model.Rules, mode refreshMode, ids []int64) error {
	err := s.immediate(ctx, func(tx execer) error {
		return refreshIn(ctx, tx, now, rules, mode, ids)
	})
	if err != nil {
		return fmt.Errorf("derive summaries: %w", friendly(err))
	}
	return nil
}

func refreshIn(ctx context.Context, tx execer, now time.Time, rules model.Rules, mode refreshMode, ids []int64) error {
	var asOf sql.NullInt64
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM summary WHERE key = 'as_of'),
		(SELECT count(*) FROM members)`).Scan(&asOf, &members); err != nil {
		return err
	}
	full := mode == refreshAll
	switch mode {
	case refreshList:
		if err := selectMembers(ctx, tx, ids); err != nil {
			return err
		}
	case refreshDirty:
		if err := selectDirtyMembers(ctx, tx); err != nil {
			return err
		}
		var dirty int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM temp.refresh_members").Scan(&dirty); err != nil {
			return err
		}
		full = !asOf.Valid || now.Sub(time.Unix(asOf.Int64, 0)) > fullRefreshAge ||
			float64(dirty) > fullRefreshShare*float64(members)
	}
	aggs, err := loadMemberAggs(ctx, tx, now, rules, !full)
	if err != nil {
		return err
	}
	if full {
		return writeDerived(ctx, tx, now, aggs, rules)
	}
	// Rows of members that were merged away or deleted go too.
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_stats WHERE member_id IN (SELECT id FROM temp.refresh_members)
		OR member_id NOT IN (SELECT id FROM members)`); err != nil {
		return err
	}
	if err := writeMemberStats(ctx, tx, aggs, rules); err != nil {
		return err
	}
	if mode == refreshDirty {
		for _, q := range []string{"DELETE FROM dirty_identities", "DELETE FROM dirty_members"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	}
	return writeSummary(ctx, tx, asOf.Int64)
}

// createRefreshMembers makes the connection's temp.refresh_members empty,
// the filter loadMemberAggs joins on.
func createRefreshMembers(ctx context.Context, tx execer) error {
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS refresh_members (id INTEGER PRIMARY KEY)"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM temp.refresh_members")
	return err
}

// selectMembers fills temp.refresh_members with ids.
func selectMembers(ctx context.Context, tx execer, ids []int64) error {
	if err := createRefreshMembers(ctx, tx); err != nil {
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

// selectDirtyMembers fills temp.refresh_members with the members marked
// dirty and the members of the identities marked dirty, in one statement.
// A dirty identity without a member yet is left out: the people merge
// that gives it one marks that member.
func selectDirtyMembers(ctx context.Context, tx execer) error {
	if err := createRefreshMembers(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO temp.refresh_members(id)
		SELECT i.member_id FROM dirty_identities d JOIN identities i ON i.id = d.id WHERE i.member_id IS NOT NULL
		UNION SELECT id FROM dirty_members`)
	return err
}

// loadMemberAggs reads members with their identities, flags and a tally of
// all their activities: every member, or with filtered set those listed in
// temp.refresh_members.
func loadMemberAggs(ctx context.Context, tx execer, now time.Time, rules model.Rules, filtered bool) ([]memberAgg, error) {
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
