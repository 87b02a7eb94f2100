package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hearth/model"
)

// evidenceBefore builds an index that answers as the history stood at
// q.Before: for the query's areas and every member's row of all evidence
// (what Rank reads: the areas' members, each member's share of all
// activity, and how active each was), the months before q.Before's month
// are added up from expertise_months, and the activities of that month
// before q.Before are read and added one by one (of the members who
// also did something there after it; the others' month counts whole).
// At 100,000 members, "storage" as of mid-December reads 147,000 rows of
// expertise_months and the 91,000 activities of 10,000 members instead of
// the 3.7 million before the date: 0.9 s instead of 16 s
// (BenchmarkWhoKnowsBefore100k).
// A database whose expertise_months is not filled yet, or was filled with
// other half-lives, is read in full.
func (s *Store) evidenceBefore(ctx context.Context, q WhoQuery, p model.ExpertiseParams) (*model.ExpertIndex, error) {
	fail := func(err error) (*model.ExpertIndex, error) { return nil, fmt.Errorf("who knows: %w", friendly(err)) }
	meta, err := readExpertiseMeta(ctx, s.db)
	if err != nil {
		return fail(err)
	}
	p = model.NewExpertIndex(p).Params()
	if !meta.ok || !meta.months || meta.halfLife != p.HalfLife.Truncate(time.Second) ||
		meta.activeHalfLife != p.ActiveHalfLife.Truncate(time.Second) {
		return s.scanBefore(ctx, q, p)
	}
	areas, err := s.queryAreas(ctx, q)
	if err != nil {
		return fail(err)
	}
	if len(areas) == 0 {
		return nil, nil
	}
	// The stored weights are relative to meta.ref; Rank judges them at
	// q.Before.
	ix := model.NewExpertIndexAt(p, meta.ref)
	month, before := model.MonthIndex(q.Before), q.Before.Unix()
	// Of the members with work in q.Before's month, those whose work
	// there all came before it count the whole month (full), and only
	// those with work on both sides of q.Before have that month's
	// activities read (boundary): in a month's last hour that is a few
	// members, in its middle a third of them.
	full := map[int64]bool{}
	var boundary []int64
	r := monthReader{kinds: map[string]model.Kind{}}
	for _, area := range append([]string{rootArea}, areas...) {
		rows, err := s.db.QueryContext(ctx, "SELECT member_id, months FROM expertise_months WHERE area = ?", area)
		if err != nil {
			return fail(err)
		}
		for rows.Next() {
			h := model.CellMonths{Area: area}
			var blob []byte
			if err := rows.Scan(&h.Member, &blob); err != nil {
				rows.Close()
				return fail(err)
			}
			if h.Months, err = r.decode(blob); err != nil {
				rows.Close()
				return fail(err)
			}
			if area == rootArea {
				if b, ok := h.Bucket(month); ok && b.Last < before {
					full[h.Member] = true
				} else if ok && b.First < before {
					boundary = append(boundary, h.Member)
				}
			}
			upTo := month
			if full[h.Member] {
				upTo++
			}
			c, active, ok := h.Before(upTo)
			if ok && area == rootArea {
				ix.LoadMember(model.MemberActivity{All: c, Active: active})
			} else if ok {
				ix.LoadCell(c)
			}
		}
		if err := rows.Close(); err != nil {
			return fail(err)
		}
	}
	if err := s.addMonthBefore(ctx, ix, boundary, q.Before); err != nil {
		return fail(err)
	}
	// Tags given by hand have no date: they count whatever the moment.
	if err := addTags(ctx, s.db, ix, false); err != nil {
		return fail(err)
	}
	return ix, nil
}

// rootArea is the area of every member's evidence in expertise_months.
const rootArea = ""

// addMonthBefore adds the activities of the given members from the start
// of t's month to just before t: by member, identity and time, each an
// index lookup.
func (s *Store) addMonthBefore(ctx context.Context, ix *model.ExpertIndex, members []int64, t time.Time) error {
	from := model.MonthStart(model.MonthIndex(t))
	if len(members) == 0 || !from.Before(t) {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.member_id, a.kind, a.at, a.topics, a.paths
		FROM json_each(?) m CROSS JOIN identities i ON i.member_id = m.value
		CROSS JOIN activities a ON a.identity_id = i.id AND a.at >= ? AND a.at < ?`,
		jsonIDs(members), from.Unix(), t.Unix())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, topics, paths, err := scanEvidence(rows)
		if err != nil {
			return err
		}
		e.Topics, e.Paths = splitList(topics, ","), splitList(paths, "\n")
		ix.Add(e)
	}
	return rows.Err()
}

// scanBefore builds an index from every activity strictly before
// q.Before: the reference evidenceBefore must agree with, and its answer
// while expertise_months is not filled yet. Only the activities that may
// touch the query's areas are added in full; every other one counts only
// towards its member's total and activity, which is all Rank reads of it.
func (s *Store) scanBefore(ctx context.Context, q WhoQuery, p model.ExpertiseParams) (*model.ExpertIndex, error) {
	var needles []string
	for _, path := range q.Paths {
		for _, a := range model.PathAreas(path) {
			needles = append(needles, strings.TrimSuffix(a, "/"))
		}
	}
	for _, w := range q.Words {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			needles = append(needles, w)
		}
	}
	if len(needles) == 0 {
		return nil, nil
	}
	mayTouch := func(topics, paths string) bool {
		for _, n := range needles {
			if containsFold(topics, n) || containsFold(paths, n) {
				return true
			}
		}
		return false
	}
	ix := model.NewExpertIndex(p)
	rows, err := s.db.QueryContext(ctx, `SELECT i.member_id, a.kind, a.at, a.topics, a.paths FROM activities a
		JOIN identities i ON i.id = a.identity_id WHERE i.member_id IS NOT NULL AND a.at < ?`, q.Before.Unix())
	if err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	defer rows.Close()
	for rows.Next() {
		e, topics, paths, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("who knows: %w", friendly(err))
		}
		if mayTouch(topics, paths) {
			e.Topics, e.Paths = splitList(topics, ","), splitList(paths, "\n")
		}
		ix.Add(e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	// Tags given by hand have no date: they count whatever the moment.
	tags, err := queryRows(ctx, s.db, func(sc scanner, e *model.Evidence) error {
		var tag string
		e.Kind = model.KindTagged
		err := sc.Scan(&e.Member, &tag)
		e.Topics = []string{tag}
		return err
	}, `SELECT i.member_id, t.tag FROM member_tags t
		JOIN identities i ON i.source = t.source AND i.external_id = t.external_id WHERE i.member_id IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("who knows: %w", friendly(err))
	}
	for _, e := range tags {
		ix.Add(e)
	}
	return ix, nil
}

// containsFold reports whether s contains the lower-case needle, ignoring
// case, without allocating for the common all-lower-case s.
func containsFold(s, needle string) bool {
	if strings.Contains(s, needle) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.Contains(strings.ToLower(s), needle)
		}
	}
	return false
}
