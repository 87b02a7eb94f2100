package store

import (
	"context"
	"fmt"
	"math"
	"slices"

	"hearth/model"
)

// writeChanged brings the expertise rows of the members in
// temp.refresh_members to what ix holds, writing only the rows that
// changed: a small sync adds an activity or two per member, which moves a
// few of their areas, so rewriting all their rows (and every index entry)
// cost a refresh more than the rest of it (BenchmarkRefreshExpertiseShare).
// The areas' sums and the totals move by the same differences.
func writeChanged(ctx context.Context, tx execer, ix *model.ExpertIndex, meta expertiseMeta, p model.ExpertiseParams) error {
	type key struct {
		area   string
		member int64
	}
	oldCells, err := queryRows(ctx, tx, scanCell, `SELECT area, member_id, weight, fixed, first, last, kinds
		FROM expertise WHERE member_id IN (SELECT id FROM temp.refresh_members)`)
	if err != nil {
		return fmt.Errorf("refresh expertise: %w", err)
	}
	old := make(map[key]model.ExpertCell, len(oldCells))
	for _, c := range oldCells {
		old[key{c.Area, c.Member}] = c
	}
	type sums struct {
		total, fixed float64
		members      int
	}
	deltas := map[string]*sums{}
	delta := func(area string, w, f float64, n int) {
		d := deltas[area]
		if d == nil {
			d = &sums{}
			deltas[area] = d
		}
		d.total, d.fixed, d.members = d.total+w, d.fixed+f, d.members+n
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO expertise(area, member_id, weight, fixed, first, last, kinds)
		VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(area, member_id) DO UPDATE SET weight = ?3, fixed = ?4,
		first = ?5, last = ?6, kinds = ?7`)
	if err != nil {
		return err
	}
	defer ins.Close()
	name, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO expertise_names(name, area) VALUES (?,?)")
	if err != nil {
		return err
	}
	defer name.Close()
	for _, c := range ix.Cells() {
		k := key{c.Area, c.Member}
		was, found := old[k]
		delete(old, k)
		if found && sameCell(was, c) {
			continue
		}
		if _, err := ins.ExecContext(ctx, c.Area, c.Member, c.Weight, c.Fixed, nullUnix(c.First), nullUnix(c.Last), encodeKinds(c.Kinds)); err != nil {
			return fmt.Errorf("refresh expertise: %w", err)
		}
		if found {
			delta(c.Area, c.Weight-was.Weight, c.Fixed-was.Fixed, 0)
			continue
		}
		delta(c.Area, c.Weight, c.Fixed, 1)
		if _, err := name.ExecContext(ctx, areaName(c.Area), c.Area); err != nil {
			return fmt.Errorf("refresh expertise: %w", err)
		}
	}
	// What is left was not derived again: the member lost that area.
	del, err := tx.PrepareContext(ctx, "DELETE FROM expertise WHERE area = ? AND member_id = ?")
	if err != nil {
		return err
	}
	defer del.Close()
	for k, c := range old {
		if _, err := del.ExecContext(ctx, k.area, k.member); err != nil {
			return fmt.Errorf("refresh expertise: %w", err)
		}
		delta(k.area, -c.Weight, -c.Fixed, -1)
	}
	areas := make([]string, 0, len(deltas))
	for a := range deltas {
		areas = append(areas, a)
	}
	slices.Sort(areas)
	up, err := tx.PrepareContext(ctx, `INSERT INTO expertise_areas(area, total, fixed, members) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT(area) DO UPDATE SET total = total + ?2, fixed = fixed + ?3, members = members + ?4`)
	if err != nil {
		return err
	}
	defer up.Close()
	for _, a := range areas {
		d := deltas[a]
		if _, err := up.ExecContext(ctx, a, d.total, d.fixed, d.members); err != nil {
			return fmt.Errorf("refresh expertise: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM expertise_areas WHERE members <= 0"); err != nil {
		return fmt.Errorf("refresh expertise: %w", err)
	}
	total, fixed, err := writeMemberRows(ctx, tx, ix)
	if err != nil {
		return err
	}
	return writeExpertiseMeta(ctx, tx, meta.ref, p, meta.total+total, meta.fixed+fixed)
}

// writeMemberRows replaces the refreshed members' activity rows and
// returns by how much their weights changed the totals.
func writeMemberRows(ctx context.Context, tx execer, ix *model.ExpertIndex) (total, fixed float64, err error) {
	old, err := memberSums(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM expertise_members WHERE member_id IN (SELECT id FROM temp.refresh_members)"); err != nil {
		return 0, 0, fmt.Errorf("refresh expertise: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO expertise_members(member_id, weight, fixed, first, last, kinds, active)
		VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		return 0, 0, err
	}
	defer ins.Close()
	for _, m := range ix.Members() {
		c := m.All
		if _, err := ins.ExecContext(ctx, c.Member, c.Weight, c.Fixed, nullUnix(c.First), nullUnix(c.Last),
			encodeKinds(c.Kinds), m.Active); err != nil {
			return 0, 0, fmt.Errorf("refresh expertise: %w", err)
		}
		total, fixed = total+c.Weight, fixed+c.Fixed
	}
	return total - old[0], fixed - old[1], nil
}

// sameCell reports whether a cell derived again equals the stored one:
// the same counts and dates, and weights equal but for the last bits that
// summing in another order changes.
func sameCell(a, b model.ExpertCell) bool {
	close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y)) }
	return close(a.Weight, b.Weight) && close(a.Fixed, b.Fixed) && a.First.Equal(b.First) && a.Last.Equal(b.Last) &&
		encodeKinds(a.Kinds) == encodeKinds(b.Kinds)
}
