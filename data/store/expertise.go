package store

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// Expertise tables (migration 0010) are derived like member_stats: a full
// refresh rebuilds them from every activity and tag, an incremental one
// rewrites the rows of the members it refreshes only. Weights are stored
// relative to one reference moment (expertise_meta.ref) so rows written by
// different refreshes add up; the reference moves, with a rebuild, only
// when the half-life changes or time runs far past it.

// expertiseParams are the ranking parameters a store derives with: the
// model's defaults with the configured half-life.
func expertiseParams(rules model.Rules) model.ExpertiseParams {
	return model.ExpertiseParams{HalfLife: rules.TopicHalfLife}
}

// maxRefAge bounds, in activity half-lives, how far now may lie after the
// reference moment before a rebuild moves it: 2^300 is far from float64's
// limits, and the index itself rebases past 2^400.
const maxRefAge = 300

// expertiseMeta is what expertise_meta records.
type expertiseMeta struct {
	ref            time.Time
	halfLife       time.Duration
	activeHalfLife time.Duration
	total, fixed   float64 // all members' weights
	ok             bool    // the tables were built
	months         bool    // expertise_months was filled too
}

func readExpertiseMeta(ctx context.Context, q querier) (expertiseMeta, error) {
	rows, err := q.QueryContext(ctx, "SELECT key, value FROM expertise_meta")
	if err != nil {
		return expertiseMeta{}, err
	}
	defer rows.Close()
	var m expertiseMeta
	seen := 0
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return m, err
		}
		switch k {
		case "ref":
			m.ref, seen = time.Unix(int64(v), 0).UTC(), seen+1
		case "half_life":
			m.halfLife, seen = time.Duration(v)*time.Second, seen+1
		case "active_half_life":
			m.activeHalfLife, seen = time.Duration(v)*time.Second, seen+1
		case "total":
			m.total = v
		case "fixed":
			m.fixed = v
		case monthsKey:
			m.months = v == 1
		}
	}
	m.ok = seen == 3
	return m, rows.Err()
}

// expertiseFeed keeps expertise current during a refresh: it takes the
// activities the refresh reads anyway (loadMemberAggs calls add), so that
// keeping expertise adds no second read of them, then writes the rows.
type expertiseFeed struct {
	p    model.ExpertiseParams
	meta expertiseMeta
	now  time.Time
	// rebuild: every row is written again, from ix when the refresh read
	// every activity (full), else from a read of its own.
	rebuild, full bool
	ix            *model.ExpertIndex
}

// newExpertiseFeed prepares the refresh of expertise: of every member when
// full, else of the members in temp.refresh_members. It rebuilds
// everything instead when the tables were never built (or built before
// expertise_months was), the half-life changed, or now is far past the
// reference moment.
func newExpertiseFeed(ctx context.Context, tx execer, now time.Time, rules model.Rules, full bool) (*expertiseFeed, error) {
	p := model.NewExpertIndex(expertiseParams(rules)).Params()
	meta, err := readExpertiseMeta(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("read expertise: %w", err)
	}
	stale := !meta.ok || !meta.months || meta.halfLife != p.HalfLife.Truncate(time.Second) ||
		meta.activeHalfLife != p.ActiveHalfLife.Truncate(time.Second) ||
		now.Sub(meta.ref) > maxRefAge*p.ActiveHalfLife
	f := &expertiseFeed{p: p, meta: meta, now: now, rebuild: full || stale, full: full}
	ref := meta.ref
	if f.rebuild {
		ref = now.UTC().Truncate(24 * time.Hour)
	}
	f.ix = model.NewExpertIndexAt(p, ref)
	f.ix.KeepMonths()
	return f, nil
}

// add takes one activity of a member, as the activities table holds it.
func (f *expertiseFeed) add(member int64, kind string, at int64, topics, paths string) {
	if f.rebuild && !f.full {
		return // rebuilt from a read of its own
	}
	f.ix.Add(model.Evidence{Member: member, Kind: model.Kind(kind), At: time.Unix(at, 0).UTC(),
		Topics: splitList(topics, ","), Paths: splitList(paths, "\n")})
}

// write replaces the expertise rows of the refreshed members (or all).
func (f *expertiseFeed) write(ctx context.Context, tx execer) error {
	if f.rebuild && !f.full {
		return rebuildExpertise(ctx, tx, f.now, f.p)
	}
	if f.rebuild {
		if err := addTags(ctx, tx, f.ix, false); err != nil {
			return err
		}
		return rebuildFrom(ctx, tx, f.ix, f.p)
	}
	var refreshed int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM temp.refresh_members").Scan(&refreshed); err != nil {
		return fmt.Errorf("refresh expertise: %w", err)
	}
	if refreshed == 0 {
		return nil // a sync that brought nothing writes nothing
	}
	if err := addTags(ctx, tx, f.ix, true); err != nil {
		return err
	}
	if f.ix.Rebased(f.meta.ref) {
		return rebuildExpertise(ctx, tx, f.now, f.p)
	}
	// A member the people merge deleted is among those refreshed (the
	// merge marks it): its rows go as rows no longer derived.
	if err := writeChanged(ctx, tx, f.ix, f.meta, f.p); err != nil {
		return err
	}
	return writeMonths(ctx, tx, f.ix, false)
}

// refreshExpertise rebuilds the expertise tables from the activities, for
// the bulk loader, whose tallies come without a read of the activities.
func refreshExpertise(ctx context.Context, tx execer, now time.Time, rules model.Rules) error {
	return rebuildExpertise(ctx, tx, now, model.NewExpertIndex(expertiseParams(rules)).Params())
}

// memberSums adds up the weight and fixed weight of the members in
// temp.refresh_members.
func memberSums(ctx context.Context, tx execer) ([2]float64, error) {
	var s [2]float64
	err := tx.QueryRowContext(ctx, `SELECT total(weight), total(fixed) FROM expertise_members
		WHERE member_id IN (SELECT id FROM temp.refresh_members)`).Scan(&s[0], &s[1])
	if err != nil {
		return s, fmt.Errorf("refresh expertise: %w", err)
	}
	return s, nil
}

// rebuildExpertise builds the tables again from every activity and tag,
// relative to the start of today.
func rebuildExpertise(ctx context.Context, tx execer, now time.Time, p model.ExpertiseParams) error {
	ix := model.NewExpertIndexAt(p, now.UTC().Truncate(24*time.Hour))
	ix.KeepMonths()
	if err := loadEvidence(ctx, tx, ix); err != nil {
		return err
	}
	return rebuildFrom(ctx, tx, ix, p)
}

// rebuildFrom empties the tables and writes ix, which holds everything.
func rebuildFrom(ctx context.Context, tx execer, ix *model.ExpertIndex, p model.ExpertiseParams) error {
	for _, q := range []string{"DELETE FROM expertise", "DELETE FROM expertise_members", "DELETE FROM expertise_names", "DELETE FROM expertise_areas"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild expertise: %w", err)
		}
	}
	if err := writeExpertise(ctx, tx, ix); err != nil {
		return err
	}
	if err := writeMonths(ctx, tx, ix, true); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO expertise_areas(area, total, fixed, members)
		SELECT area, total(weight), total(fixed), count(*) FROM expertise GROUP BY area`); err != nil {
		return fmt.Errorf("rebuild expertise: %w", err)
	}
	var total, fixed float64
	if err := tx.QueryRowContext(ctx, "SELECT total(weight), total(fixed) FROM expertise_members").Scan(&total, &fixed); err != nil {
		return fmt.Errorf("rebuild expertise: %w", err)
	}
	return writeExpertiseMeta(ctx, tx, ix.Ref(), p, total, fixed)
}

// scanEvidence reads a row of member_id, kind, at, topics and paths: the
// evidence without its topics and paths, which the caller splits when it
// needs them.
func scanEvidence(sc scanner) (e model.Evidence, topics, paths string, err error) {
	var kind string
	var at int64
	if err := sc.Scan(&e.Member, &kind, &at, &topics, &paths); err != nil {
		return e, "", "", err
	}
	e.Kind, e.At = model.Kind(kind), time.Unix(at, 0).UTC()
	return e, topics, paths, nil
}

// loadEvidence adds every activity and tag of every member to ix.
func loadEvidence(ctx context.Context, tx execer, ix *model.ExpertIndex) error {
	rows, err := tx.QueryContext(ctx, `SELECT i.member_id, a.kind, a.at, a.topics, a.paths FROM activities a
		JOIN identities i ON i.id = a.identity_id WHERE i.member_id IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("load evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, topics, paths, err := scanEvidence(rows)
		if err != nil {
			return fmt.Errorf("load evidence: %w", err)
		}
		e.Topics, e.Paths = splitList(topics, ","), splitList(paths, "\n")
		ix.Add(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load evidence: %w", err)
	}
	rows.Close()
	return addTags(ctx, tx, ix, false)
}

// addTags adds the tags given by hand to every member, or with filtered
// set to those in temp.refresh_members.
func addTags(ctx context.Context, tx execer, ix *model.ExpertIndex, filtered bool) error {
	q := `SELECT i.member_id, t.tag FROM member_tags t
		JOIN identities i ON i.source = t.source AND i.external_id = t.external_id WHERE i.member_id IS NOT NULL`
	if filtered {
		// From the members to their identities to their tags, each step
		// by an index, rather than through every tag.
		q = `SELECT i.member_id, t.tag FROM temp.refresh_members r CROSS JOIN identities i ON i.member_id = r.id
			CROSS JOIN member_tags t ON t.source = i.source AND t.external_id = i.external_id`
	}
	type tag struct {
		member int64
		tag    string
	}
	ts, err := queryRows(ctx, tx, func(sc scanner, t *tag) error { return sc.Scan(&t.member, &t.tag) }, q)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	for _, t := range ts {
		ix.Add(model.Evidence{Member: t.member, Kind: model.KindTagged, Topics: []string{t.tag}})
	}
	return nil
}

// writeExpertise inserts the index's rows (its members' rows must be gone).
func writeExpertise(ctx context.Context, tx execer, ix *model.ExpertIndex) error {
	cell, err := tx.PrepareContext(ctx, `INSERT INTO expertise(area, member_id, weight, fixed, first, last, kinds)
		VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer cell.Close()
	name, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO expertise_names(name, area) VALUES (?,?)")
	if err != nil {
		return err
	}
	defer name.Close()
	member, err := tx.PrepareContext(ctx, `INSERT INTO expertise_members(member_id, weight, fixed, first, last, kinds, active)
		VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer member.Close()
	lastArea := ""
	for _, c := range ix.Cells() {
		if _, err := cell.ExecContext(ctx, c.Area, c.Member, c.Weight, c.Fixed, nullUnix(c.First), nullUnix(c.Last),
			encodeKinds(c.Kinds)); err != nil {
			return fmt.Errorf("write expertise: %w", err)
		}
		if c.Area != lastArea {
			if _, err := name.ExecContext(ctx, areaName(c.Area), c.Area); err != nil {
				return fmt.Errorf("write expertise: %w", err)
			}
		}
		lastArea = c.Area
	}
	for _, m := range ix.Members() {
		c := m.All
		if _, err := member.ExecContext(ctx, c.Member, c.Weight, c.Fixed, nullUnix(c.First), nullUnix(c.Last),
			encodeKinds(c.Kinds), m.Active); err != nil {
			return fmt.Errorf("write expertise: %w", err)
		}
	}
	return nil
}

// areaName is what a query word must equal to name an area: a topic's
// name, or a path's last segment without extension, lower-cased
// ("engine/Compaction.go" → "compaction").
func areaName(area string) string {
	if t, ok := strings.CutPrefix(area, "topic:"); ok {
		return t
	}
	seg := path.Base(strings.TrimSuffix(area, "/"))
	if i := strings.IndexByte(seg, '.'); i > 0 {
		seg = seg[:i]
	}
	return strings.ToLower(seg)
}

// writeExpertiseMeta records the reference moment, the half-lives and the
// totals over all members.
func writeExpertiseMeta(ctx context.Context, tx execer, ref time.Time, p model.ExpertiseParams, total, fixed float64) error {
	vals := map[string]float64{
		"ref": float64(ref.Unix()), "half_life": p.HalfLife.Seconds(), "active_half_life": p.ActiveHalfLife.Seconds(),
		"total": total, "fixed": fixed,
	}
	for k, v := range vals {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO expertise_meta(key, value) VALUES (?,?)", k, v); err != nil {
			return fmt.Errorf("write expertise: %w", err)
		}
	}
	return nil
}

// joinPaths stores an activity's paths one per line, leaving out the rare
// path that itself holds a line break.
func joinPaths(ps []string) string {
	var b strings.Builder
	for _, p := range ps {
		if p == "" || strings.ContainsAny(p, "\n\r") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// decodeKinds reads what encodeKinds wrote.
func decodeKinds(s string) []model.KindCount {
	var out []model.KindCount
	for _, part := range splitList(s, ",") {
		k, n, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		c, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		out = append(out, model.KindCount{Kind: model.Kind(k), N: c})
	}
	return out
}
