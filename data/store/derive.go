package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
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
	return writeSummary(ctx, tx, now.Unix(), rules)
}

// writeMemberStats writes (or replaces) the member_stats rows of members.
// A member without a single activity gets no row: it is not listed and not
// counted. That is the state a force-push that dropped all of someone's
// commits leaves, and the same rule holds for a first import, so the
// incremental and the full derivation agree.
func writeMemberStats(ctx context.Context, tx execer, members []memberAgg, rules model.Rules) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO member_stats(member_id, name, org, handles, emails,
		bot, stage, is_new, is_lapsed, activities, contributions, first_active, last_active, topics, evidence,
		kinds, first_contrib, last_contrib, first_contrib_kind, contrib_months, steward_months)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range members {
		m := &members[i]
		h := &m.tally.History
		if h.Activities == 0 {
			continue
		}
		st := m.tally.Standing(m.flags)
		if _, err := stmt.ExecContext(ctx, m.ID, m.Name, m.Org,
			strings.Join(m.Handles, ","), strings.Join(m.Emails, ","),
			m.Bot, int(st.Stage), st.New, st.Lapsed, h.Activities, h.Contributions,
			nullUnix(h.First), nullUnix(h.Last),
			strings.Join(m.tally.Topics(rules.TopTopics), ","), strings.Join(st.Evidence, "\n"),
			encodeKinds(h.Kinds), nullUnix(h.FirstContrib), nullUnix(h.LastContrib), string(h.FirstContribK),
			encodeMonths(h.ContribMonths), encodeMonthCounts(h.StewardMonths)); err != nil {
			return fmt.Errorf("write member stats: %w", err)
		}
	}
	return writeMemberMonths(ctx, tx, members) // the health figures' input; member_months.go
}

// writeSummary recomputes the summary counters from member_stats and
// questions: one pass over 100k small rows, cheap next to re-tallying
// activities, so the full and the incremental refresh share it. Bots are
// left out of every count but their own. asOf (Unix seconds, 0 for not
// known) is when the standings were last all derived: RefreshMembers
// passes the time of the last such refresh on, never its own, or a day of
// its small refreshes would pass for standings judged as of that day.
// "rules" records the definitions the rows were derived with (rulesKey).
func writeSummary(ctx context.Context, tx execer, asOf int64, rules model.Rules) error {
	vals := map[string]int64{"rules": rulesKey(rules)}
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
	// Two counts, each from an index (the narrowest, and the partial index
	// of unanswered questions), rather than one pass over every question's
	// row with its body.
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM questions),
		(SELECT count(*) FROM questions WHERE first_response_at IS NULL AND closed_at IS NULL)`).
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
	var asOf, derivedWith sql.NullInt64
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM summary WHERE key = 'as_of'),
		(SELECT value FROM summary WHERE key = 'rules'), (SELECT count(*) FROM members)`).
		Scan(&asOf, &derivedWith, &members); err != nil {
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
		full = !asOf.Valid || !derivedWith.Valid || derivedWith.Int64 != rulesKey(rules) ||
			float64(dirty) > fullRefreshShare*float64(members)
	}
	// Expertise is kept current from the same read of the activities.
	feed, err := newExpertiseFeed(ctx, tx, now, rules, full)
	if err != nil {
		return err
	}
	aggs, err := loadMemberAggs(ctx, tx, now, rules, !full, feed.add)
	if err != nil {
		return err
	}
	if err := feed.write(ctx, tx); err != nil {
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
	if mode != refreshDirty {
		return writeSummary(ctx, tx, asOf.Int64, rules)
	}
	for _, q := range []string{"DELETE FROM dirty_identities", "DELETE FROM dirty_members"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	// The members the sync touched are judged as of now; the others were
	// judged as of asOf and are judged again from their history.
	if err := rejudgeSince(ctx, tx, time.Unix(asOf.Int64, 0), now, rules); err != nil {
		return err
	}
	return writeSummary(ctx, tx, now.Unix(), rules)
}

// rejudgeSince brings the standings judged as of prev to now, from the
// member_stats rows alone (see rejudge). Once the date has moved on, every
// member is judged again: the months of the window may have moved, and
// flags set by hand meanwhile take effect. Within the same day only two
// things can change, both found from the row's times: a member whose first
// activity is now older than NewWithin is no longer new, one whose last is
// now older than LapsedAfter may have lapsed. The ranges are a second wider
// on each side than needed (asOf is stored in whole seconds); a row read
// needlessly is judged the same and not written.
func rejudgeSince(ctx context.Context, tx execer, prev, now time.Time, rules model.Rules) error {
	if now.Unix() == prev.Unix() {
		return nil
	}
	y1, m1, d1 := prev.UTC().Date()
	y2, m2, d2 := now.UTC().Date()
	if now.Before(prev) || y1 != y2 || m1 != m2 || d1 != d2 {
		_, err := rejudge(ctx, tx, now, rules, "")
		return err
	}
	secs := func(d time.Duration) int64 { return int64(d / time.Second) }
	from, to := prev.Unix()-1, now.Unix()+1
	_, err := rejudge(ctx, tx, now, rules, `WHERE first_active BETWEEN ? AND ? OR last_active BETWEEN ? AND ?`,
		from-secs(rules.NewWithin)-1, to-secs(rules.NewWithin)+1, from-secs(rules.LapsedAfter)-1, to-secs(rules.LapsedAfter)+1)
	return err
}

// RefreshDaily judges every member's standing (stage, new, lapsed and
// their evidence) again as of now from the history kept in member_stats
// and the flags, without reading activities, and rewrites the summary. It
// is what RefreshDirty does once the date has moved on; exported for the
// benchmark of that step. It returns how many rows changed.
func (s *Store) RefreshDaily(ctx context.Context, now time.Time, rules model.Rules) (int, error) {
	var changed int
	err := s.immediate(ctx, func(tx execer) error {
		var err error
		if changed, err = rejudge(ctx, tx, now, rules, ""); err != nil {
			return err
		}
		return writeSummary(ctx, tx, now.Unix(), rules)
	})
	if err != nil {
		return 0, fmt.Errorf("derive summaries: %w", friendly(err))
	}
	return changed, nil
}

// rejudge judges the standing of the members whose member_stats rows match
// where ("" for all) again as of now, from the history those rows keep
// (model.History) and the members' flags, and writes the rows whose
// standing changed. It reads no activity: the daily refresh of 100,000
// members costs a read of their rows, not of their millions of activities.
// Topics are left alone: their ranking does not depend on the date.
func rejudge(ctx context.Context, tx execer, now time.Time, rules model.Rules, where string, args ...any) (int, error) {
	flags, err := loadFlags(ctx, tx)
	if err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT member_id, stage, is_new, is_lapsed, evidence, activities, contributions,
		first_active, last_active, first_contrib, last_contrib, first_contrib_kind, contrib_months, steward_months
		FROM member_stats `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("read member history: %w", err)
	}
	type change struct {
		id       int64
		standing model.Standing
		evidence string
	}
	var changes []change
	for rows.Next() {
		var id int64
		var stage int
		var isNew, lapsed bool
		var evidence, kind, months, steward string
		var first, last, firstC, lastC sql.NullInt64
		var h model.History
		if err := rows.Scan(&id, &stage, &isNew, &lapsed, &evidence, &h.Activities, &h.Contributions,
			&first, &last, &firstC, &lastC, &kind, &months, &steward); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read member history: %w", err)
		}
		h.First, h.Last, h.FirstContrib, h.LastContrib = unixTime(first), unixTime(last), unixTime(firstC), unixTime(lastC)
		h.FirstContribK = model.Kind(kind)
		if h.ContribMonths, err = decodeMonths(months); err == nil {
			h.StewardMonths, err = decodeMonthCounts(steward)
		}
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("read history of member %d: %w", id, err)
		}
		st := h.Standing(flags[id], now, rules)
		ev := strings.Join(st.Evidence, "\n")
		if int(st.Stage) != stage || st.New != isNew || st.Lapsed != lapsed || ev != evidence {
			changes = append(changes, change{id, st, ev})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read member history: %w", err)
	}
	if len(changes) == 0 {
		return 0, nil
	}
	stmt, err := tx.PrepareContext(ctx, "UPDATE member_stats SET stage = ?, is_new = ?, is_lapsed = ?, evidence = ? WHERE member_id = ?")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	for _, c := range changes {
		if _, err := stmt.ExecContext(ctx, int(c.standing.Stage), c.standing.New, c.standing.Lapsed, c.evidence, c.id); err != nil {
			return 0, fmt.Errorf("write member stats: %w", err)
		}
	}
	return len(changes), nil
}

// loadFlags reads the flags that bear on stages, per member.
func loadFlags(ctx context.Context, tx execer) (map[int64]model.Flags, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.member_id, f.flag FROM member_flags f
		JOIN identities i ON i.source = f.source AND i.external_id = f.external_id
		WHERE i.member_id IS NOT NULL AND f.flag IN ('core', 'maintainer')`)
	if err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}
	defer rows.Close()
	out := map[int64]model.Flags{}
	for rows.Next() {
		var id int64
		var flag string
		if err := rows.Scan(&id, &flag); err != nil {
			return nil, fmt.Errorf("load flags: %w", err)
		}
		f := out[id]
		if flag == "core" {
			f.Core = true
		} else {
			f.Maintainer = true
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}
	return out, nil
}

// rulesKey is a fingerprint of the definitions. Rows derived with other
// ones (other topic counts or half-lives) cannot be judged again from
// their history: a change of the definitions makes the next refresh a
// full one.
func rulesKey(r model.Rules) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d %d %d %d %d %d %d", r.RegularMonths, r.WindowMonths, r.CoreStewardAct,
		r.NewWithin, r.LapsedAfter, r.TopicHalfLife, r.TopTopics)
	return int64(h.Sum64() >> 1)
}

// unixTime reads a time stored as Unix seconds; NULL is the zero time.
func unixTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

// encodeKinds writes per-kind counts as "comment:3,commit:12", by kind, so
// the same counts give the same text whatever order activities came in.
func encodeKinds(ks []model.KindCount) string {
	ks = slices.Clone(ks)
	slices.SortFunc(ks, func(a, b model.KindCount) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(k.Kind))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(k.N))
	}
	return b.String()
}

// encodeMonths writes ascending months as the first, then the distance of
// each from the one before: "24300,1,4".
func encodeMonths(ms []int) string {
	var b strings.Builder
	prev := 0
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(m - prev))
		prev = m
	}
	return b.String()
}

func decodeMonths(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]int, 0, strings.Count(s, ",")+1)
	prev := 0
	for f := range strings.SplitSeq(s, ",") {
		d, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("months %q: %w", s, err)
		}
		prev += d
		out = append(out, prev)
	}
	return out, nil
}

// encodeMonthCounts writes ascending month counts as encodeMonths does,
// each month followed by ":count": "24300:5,1:3".
func encodeMonthCounts(ms []model.MonthCount) string {
	var b strings.Builder
	prev := 0
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(m.Month - prev))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(m.N))
		prev = m.Month
	}
	return b.String()
}

func decodeMonthCounts(s string) ([]model.MonthCount, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]model.MonthCount, 0, strings.Count(s, ",")+1)
	prev := 0
	for f := range strings.SplitSeq(s, ",") {
		ds, ns, ok := strings.Cut(f, ":")
		d, err1 := strconv.Atoi(ds)
		n, err2 := strconv.Atoi(ns)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("month counts %q: bad entry %q", s, f)
		}
		prev += d
		out = append(out, model.MonthCount{Month: prev, N: n})
	}
	return out, nil
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
// temp.refresh_members. Each activity of a member also goes to each.
func loadMemberAggs(ctx context.Context, tx execer, now time.Time, rules model.Rules, filtered bool,
	each func(member int64, kind string, at int64, topics, paths string)) ([]memberAgg, error) {
	memberFilter, identityFilter, activities := "", "", "SELECT identity_id, kind, at, topics, paths FROM activities"
	if filtered {
		memberFilter = " WHERE m.id IN (SELECT id FROM temp.refresh_members)"
		identityFilter = " AND member_id IN (SELECT id FROM temp.refresh_members)"
		activities = `SELECT a.identity_id, a.kind, a.at, a.topics, a.paths FROM identities i
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
	if filtered && len(members) == 0 {
		return nil, nil // nothing dirty: read no activity
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
		var kind, topics, paths string
		if err := arows.Scan(&iid, &kind, &at, &topics, &paths); err != nil {
			return nil, fmt.Errorf("load activities: %w", err)
		}
		i, ok := identityMember[iid]
		if !ok {
			continue
		}
		members[i].tally.Add(model.Kind(kind), time.Unix(at, 0).UTC(), splitList(topics, ","))
		each(members[i].ID, kind, at, topics, paths)
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
