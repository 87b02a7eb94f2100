package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// A store keeps an ExpertIndex as rows: one ExpertCell per member and area,
// and per member their activity in any area. It builds the rows of one
// member at a time (a sync touches few members) with a reference moment
// shared by every member, so that rows built at different times add up,
// and answers a query by loading only the rows of the areas it names.

// ExpertCell is one member's standing in one area.
type ExpertCell struct {
	Area   string
	Member int64
	Weight float64 // decayed weight: sum of kind weight × 2^((at − ref) / half-life)
	Fixed  float64 // weight that never decays (tags given by hand)
	// First and Last are the dates of the work in the area, zero when
	// there is only a tag.
	First, Last time.Time
	Kinds       []KindCount
}

// NewExpertIndexAt returns an empty index whose weights are relative to
// ref, which it keeps unless evidence lies hundreds of half-lives after it
// (see Rebased).
func NewExpertIndexAt(p ExpertiseParams, ref time.Time) *ExpertIndex {
	ix := NewExpertIndex(p)
	ix.ref, ix.hasRef = ref, true
	return ix
}

// Ref is the moment the stored weights are relative to.
func (ix *ExpertIndex) Ref() time.Time { return ix.ref }

// Params are the index's parameters, defaults filled in.
func (ix *ExpertIndex) Params() ExpertiseParams { return ix.p }

// Cells lists every cell but those of the area of all evidence (that is
// the member's Activity row), by area then member.
func (ix *ExpertIndex) Cells() []ExpertCell {
	var out []ExpertCell
	for area, a := range ix.areas {
		if area == rootArea {
			continue
		}
		for m, c := range a.cells {
			out = append(out, cellOf(area, m, c))
		}
	}
	slices.SortFunc(out, func(a, b ExpertCell) int {
		if c := strings.Compare(a.Area, b.Area); c != 0 {
			return c
		}
		return cmp.Compare(a.Member, b.Member)
	})
	return out
}

// MemberActivity is a member's row: their cell in the area of all
// evidence and their activity, which says whether they are around now.
type MemberActivity struct {
	All    ExpertCell // Area is ""
	Active float64    // decayed with the activity half-life, relative to ref
}

// Members lists every member's activity row, by member.
func (ix *ExpertIndex) Members() []MemberActivity {
	root := ix.areas[rootArea]
	if root == nil {
		return nil
	}
	out := make([]MemberActivity, 0, len(root.cells))
	for m, c := range root.cells {
		out = append(out, MemberActivity{All: cellOf(rootArea, m, c), Active: ix.active[m]})
	}
	slices.SortFunc(out, func(a, b MemberActivity) int { return cmp.Compare(a.All.Member, b.All.Member) })
	return out
}

func cellOf(area string, m int64, c *expertCell) ExpertCell {
	return ExpertCell{Area: area, Member: m, Weight: c.w, Fixed: c.fixed, First: c.first, Last: c.last,
		Kinds: slices.Clone(c.kinds)}
}

// LoadCell puts a stored cell into the index (weights relative to the
// index's ref), adding to the area's totals.
func (ix *ExpertIndex) LoadCell(c ExpertCell) {
	a := ix.areas[c.Area]
	if a == nil {
		a = &expertArea{cells: map[int64]*expertCell{}}
		ix.areas[c.Area] = a
	}
	a.total += c.Weight
	a.fixed += c.Fixed
	a.cells[c.Member] = &expertCell{w: c.Weight, fixed: c.Fixed, first: c.First, last: c.Last, kinds: slices.Clone(c.Kinds)}
}

// LoadMember puts a member's stored activity row into the index.
func (ix *ExpertIndex) LoadMember(m MemberActivity) {
	m.All.Area = rootArea
	ix.LoadCell(m.All)
	ix.active[m.All.Member] = m.Active
}

// SetAreaTotal replaces an area's totals by those of every member, for an
// index loaded with some of the area's members only.
func (ix *ExpertIndex) SetAreaTotal(area string, total, fixed float64) {
	if a := ix.areas[area]; a != nil {
		a.total, a.fixed = total, fixed
	}
}

// SetTopActive gives the busiest member's activity, for an index loaded
// with some members only.
func (ix *ExpertIndex) SetTopActive(v float64) { ix.topActive = v }

// Rebased reports whether evidence lay so far after ref that the index
// moved its reference moment: its cells no longer add up with cells built
// against the old one.
func (ix *ExpertIndex) Rebased(ref time.Time) bool { return !ix.ref.Equal(ref) }

// Line says what the member did in the cell's area, as a suggestion's
// evidence does: "38 commits under engine/compaction/ since 2025-03, last
// 2026-11-02".
func (c ExpertCell) Line() string {
	return evidenceLine(c.Area, &expertCell{w: c.Weight, fixed: c.Fixed, first: c.First, last: c.Last, kinds: c.Kinds})
}

// ExpertArea is one of a member's areas, with how strongly it counts now
// and what they did there.
type ExpertArea struct {
	Name     string // a topic's name or a path
	Value    float64
	Evidence string
}

// AreaLabel is how an area reads in a list: a topic's name, or the path.
func AreaLabel(area string) string {
	if t, ok := strings.CutPrefix(area, "topic:"); ok {
		return t
	}
	return area
}
