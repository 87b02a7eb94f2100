package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// WhoQuery asks who knows some paths or words.
type WhoQuery struct {
	Paths []string
	Words []string // topics, labels, categories, or the name of a directory or file
	// Before answers from the activity strictly before it only, as the
	// history stood then (expertise_before.go); zero answers as of now.
	Before time.Time
	Limit  int     // 10 when zero
	Skip   []int64 // members never to suggest, such as a question's asker
}

// Expert is one suggestion: who, how strongly, and why.
type Expert struct {
	ID       int64
	Name     string
	Handles  []string
	Emails   []string
	Score    float64
	Evidence []string
	Lapsed   bool
	Flags    []string // "speaker", "mentor" when set by hand
	Assigned int      // open questions assigned to them (SuggestAnswerers only)
}

// ErrNoExpertise means the expertise tables were never built: the store
// predates them and has not been refreshed since.
var ErrNoExpertise = errors.New("expertise is not derived yet: run hearth sync")

// lapsedFactor is how much a lapsed member's score counts: they are still
// shown, since they may answer, but below people who are around.
const lapsedFactor = 0.5

// doNotContact is the flag of people who asked not to be suggested.
const doNotContact = "do-not-contact"

// WhoKnows ranks the members who know what q names, as of now. Bots,
// members flagged do-not-contact and q.Skip are never suggested.
func (s *Store) WhoKnows(ctx context.Context, q WhoQuery, now time.Time, rules model.Rules) ([]Expert, error) {
	var ix *model.ExpertIndex
	var cands []int64 // the members found; nil: every member
	var err error
	if q.Before.IsZero() {
		ix, cands, err = s.loadExpertIndex(ctx, q)
	} else {
		ix, err = s.evidenceBefore(ctx, q, expertiseParams(rules))
	}
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, ix, cands, q, now)
}

// answer ranks the members of ix (cands, or all when nil) for q and says
// who they are.
func (s *Store) answer(ctx context.Context, ix *model.ExpertIndex, cands []int64, q WhoQuery, now time.Time) ([]Expert, error) {
	if ix == nil {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	skip, err := s.unsuggestable(ctx, cands, q.Skip)
	if err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	mq := model.ExpertQuery{Paths: q.Paths, Words: q.Words, Before: q.Before, Now: now,
		Limit: limit*4 + 10, Exclude: func(m int64) bool { return skip[m] }}
	return s.describeExperts(ctx, ix.Rank(mq), limit)
}

// unsuggestable is the set of members never to suggest, among cands (nil:
// among all members), with extra. Bots are looked up by id among the
// candidates: a scan of every member would cost more than the query.
func (s *Store) unsuggestable(ctx context.Context, cands, extra []int64) (map[int64]bool, error) {
	queries := []string{`SELECT id FROM members WHERE bot`, `SELECT member_id FROM member_stats WHERE bot`}
	var args []any
	if cands != nil {
		// The candidates drive the join, so each is one lookup by key.
		// (As one UNION, the same statements took 100 times longer.)
		queries = []string{
			`SELECT m.id FROM json_each(?) c JOIN members m ON m.id = c.value WHERE m.bot`,
			`SELECT m.member_id FROM json_each(?) c JOIN member_stats m ON m.member_id = c.value WHERE m.bot`,
		}
		args = []any{jsonIDs(cands)}
	}
	var ids []int64
	for _, q := range queries {
		some, err := queryIDs(ctx, s.db, q, args...)
		if err != nil {
			return nil, err
		}
		ids = append(ids, some...)
	}
	flagged, err := queryIDs(ctx, s.db, `SELECT i.member_id FROM member_flags f
		JOIN identities i ON i.source = f.source AND i.external_id = f.external_id
		WHERE f.flag = ? AND i.member_id IS NOT NULL`, doNotContact)
	if err != nil {
		return nil, err
	}
	ids = append(ids, flagged...)
	out := make(map[int64]bool, len(ids)+len(extra))
	for _, id := range append(ids, extra...) {
		out[id] = true
	}
	return out, nil
}

// queryAreas lists the stored areas a query may touch: every area each
// path lies in, and for each word its topic and the path areas it names.
func (s *Store) queryAreas(ctx context.Context, q WhoQuery) ([]string, error) {
	var areas []string
	for _, p := range q.Paths {
		areas = append(areas, model.PathAreas(p)...)
	}
	for _, w := range q.Words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		named, err := queryStrings(ctx, s.db, "SELECT area FROM expertise_names WHERE name = ?", w)
		if err != nil {
			return nil, err
		}
		areas = append(append(areas, "topic:"+w), named...)
	}
	slices.Sort(areas)
	return slices.Compact(areas), nil
}

// strongestPerArea is how many of an area's members a query reads, the
// strongest by decayed weight, with every member tagged with it. A member
// further down would need an activity over (strongest's weight / theirs)²
// times the busiest's to rank among them (the activity factor is a square
// root), so a few hundred are enough for ten suggestions, and a query on
// the 100k demo's "storage" reads 300 of its 46,915 rows
// (BenchmarkWhoKnows100k: 1.2 s reading them all, 50 ms reading these).
const strongestPerArea = 300

// loadExpertIndex loads what Rank needs for the query's areas: each area's
// strongest and tagged members with the area's sums over all of them, and
// those members' activity rows. It returns the members found.
func (s *Store) loadExpertIndex(ctx context.Context, q WhoQuery) (*model.ExpertIndex, []int64, error) {
	fail := func(err error) (*model.ExpertIndex, []int64, error) {
		return nil, nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	meta, err := readExpertiseMeta(ctx, s.db)
	if err != nil {
		return fail(err)
	}
	if !meta.ok {
		return nil, nil, ErrNoExpertise
	}
	areas, err := s.queryAreas(ctx, q)
	if err != nil {
		return fail(err)
	}
	ix := model.NewExpertIndexAt(model.ExpertiseParams{HalfLife: meta.halfLife, ActiveHalfLife: meta.activeHalfLife}, meta.ref)
	seen := map[int64]bool{}
	var ids []int64
	for _, area := range areas {
		cells, err := queryRows(ctx, s.db, scanCell, `SELECT area, member_id, weight, fixed, first, last, kinds
			FROM (SELECT * FROM expertise WHERE area = ?1 ORDER BY weight DESC LIMIT ?2)
			UNION SELECT area, member_id, weight, fixed, first, last, kinds FROM expertise WHERE area = ?1 AND fixed > 0`,
			area, strongestPerArea)
		if err != nil {
			return fail(err)
		}
		if len(cells) == 0 {
			continue
		}
		for _, c := range cells {
			ix.LoadCell(c)
			if !seen[c.Member] {
				seen[c.Member] = true
				ids = append(ids, c.Member)
			}
		}
		var total, fixed float64
		if err := s.db.QueryRowContext(ctx, "SELECT total, fixed FROM expertise_areas WHERE area = ?", area).Scan(&total, &fixed); err != nil {
			return fail(err)
		}
		ix.SetAreaTotal(area, total, fixed)
	}
	if len(ids) == 0 {
		return nil, nil, nil
	}
	ms, err := queryRows(ctx, s.db, scanMemberActivity, `SELECT member_id, weight, fixed, first, last, kinds, active
		FROM expertise_members WHERE member_id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
	if err != nil {
		return fail(err)
	}
	for _, m := range ms {
		ix.LoadMember(m)
	}
	var top float64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(active), 0) FROM expertise_members").Scan(&top); err != nil {
		return fail(err)
	}
	ix.SetAreaTotal("", meta.total, meta.fixed)
	ix.SetTopActive(top)
	return ix, ids, nil
}

// jsonIDs writes ids as a JSON array, one statement argument however many.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, len(ids)*8+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

func scanCell(sc scanner, c *model.ExpertCell) error {
	var first, last sql.NullInt64
	var kinds string
	if err := sc.Scan(&c.Area, &c.Member, &c.Weight, &c.Fixed, &first, &last, &kinds); err != nil {
		return err
	}
	c.First, c.Last, c.Kinds = unix(first), unix(last), decodeKinds(kinds)
	return nil
}

func scanMemberActivity(sc scanner, m *model.MemberActivity) error {
	var first, last sql.NullInt64
	var kinds string
	c := &m.All
	if err := sc.Scan(&c.Member, &c.Weight, &c.Fixed, &first, &last, &kinds, &m.Active); err != nil {
		return err
	}
	c.First, c.Last, c.Kinds = unix(first), unix(last), decodeKinds(kinds)
	return nil
}

// describeExperts adds who each suggested member is, marks and ranks
// lapsed members lower, and keeps the best limit.
func (s *Store) describeExperts(ctx context.Context, sug []model.Suggestion, limit int) ([]Expert, error) {
	if len(sug) == 0 {
		return nil, nil
	}
	args := make([]any, len(sug))
	for i := range sug {
		args[i] = sug[i].Member
	}
	type row struct {
		id                    int64
		name, handles, emails string
		lapsed                bool
	}
	rows, err := queryRows(ctx, s.db, func(sc scanner, r *row) error {
		return sc.Scan(&r.id, &r.name, &r.handles, &r.emails, &r.lapsed)
	}, `SELECT member_id, name, handles, emails, is_lapsed FROM member_stats WHERE member_id IN (`+placeholders(len(args))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	byID := make(map[int64]row, len(rows))
	for _, r := range rows {
		byID[r.id] = r
	}
	flags, err := s.memberFlagSet(ctx, args)
	if err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	out := make([]Expert, 0, len(sug))
	for _, g := range sug {
		r, ok := byID[g.Member]
		if !ok {
			continue // no activity left: not listed anywhere
		}
		e := Expert{ID: g.Member, Name: model.CleanLine(r.name), Handles: splitList(r.handles, ","),
			Emails: splitList(r.emails, ","), Score: g.Score, Evidence: g.Evidence, Lapsed: r.lapsed, Flags: flags[g.Member]}
		if e.Lapsed {
			e.Score *= lapsedFactor
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Expert) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// memberFlagSet reads the speaker and mentor flags of the given members.
func (s *Store) memberFlagSet(ctx context.Context, ids []any) (map[int64][]string, error) {
	type row struct {
		id   int64
		flag string
	}
	rows, err := queryRows(ctx, s.db, func(sc scanner, r *row) error { return sc.Scan(&r.id, &r.flag) },
		`SELECT DISTINCT i.member_id, f.flag FROM member_flags f
			JOIN identities i ON i.source = f.source AND i.external_id = f.external_id
			WHERE f.flag IN ('speaker', 'mentor') AND i.member_id IN (`+placeholders(len(ids))+`)
			ORDER BY f.flag`, ids...)
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.id] = append(out[r.id], r.flag)
	}
	return out, nil
}
