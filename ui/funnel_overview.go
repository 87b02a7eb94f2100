package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/model"
	"hearth/themes"
)

// door is one number of the overview that opens a list: the people of a
// door key of the report (model.Doors), or of several keys together.
type door struct {
	title string
	keys  []string
	ids   []int64 // people named directly, besides those of keys
	// questions: keys name questions (Doors.Questions), not people.
	questions bool
}

// overviewWide is the width from which the overview is laid out in two
// columns, the trend as a table of numbers.
const overviewWide = 150

// minCohorts is how many of the latest cohorts the overview lists when
// the height does not allow them all.
const minCohorts = 3

// overviewBuilder renders the overview line by line and records the doors
// of each line: the lines with numbers are the rows of the selection grid.
type overviewBuilder struct {
	t     *funnelTab
	st    *lipgloss.Style // selected
	lines []string
	grid  [][]door
	cur   []door
	sel   int // line of the selected door; -1 when not drawn
}

// num renders a number that is a door, selected or not, and records it.
func (b *overviewBuilder) num(d door, text string) string {
	selected := len(b.grid) == b.t.row && len(b.cur) == b.t.col
	b.cur = append(b.cur, d)
	if selected {
		b.sel = len(b.lines)
		// A marker in the padding: without colour, bold alone hardly shows.
		if trimmed := strings.TrimLeft(text, " "); len(trimmed) < len(text) {
			text = text[:len(text)-len(trimmed)-1] + "›" + trimmed
		}
		return b.st.Render(text)
	}
	return text
}

// rowSelected reports whether the doors being recorded are on the
// selected row.
func (b *overviewBuilder) rowSelected() bool { return len(b.grid) == b.t.row }

func (b *overviewBuilder) line(s string) {
	if len(b.cur) > 0 {
		b.grid = append(b.grid, b.cur)
		b.cur = nil
	}
	b.lines = append(b.lines, s)
}

// relayout rebuilds the selection grid for the current size and figures,
// and keeps the selection within it.
func (t *funnelTab) relayout() {
	if t.health == nil || t.width <= 0 {
		return
	}
	b := t.build()
	t.grid = b.grid
	t.row = max(min(t.row, len(t.grid)-1), 0)
	if len(t.grid) > 0 {
		t.col = max(min(t.col, len(t.grid[t.row])-1), 0)
	}
	if t.drill != nil {
		t.drill.SetSize(t.width, t.height)
	}
}

// move changes the selected door: up and down change rows (keeping the
// column as near as the row allows), left and right move within a row.
func (t *funnelTab) move(k string) {
	if len(t.grid) == 0 {
		return
	}
	switch k {
	case "up", "k":
		t.row = max(t.row-1, 0)
	case "down", "j":
		t.row = min(t.row+1, len(t.grid)-1)
	case "left", "h":
		t.col = max(t.col-1, 0)
	case "right", "l":
		t.col++
	}
	t.col = min(t.col, len(t.grid[t.row])-1)
}

func (t *funnelTab) selected() (door, bool) {
	if t.row >= len(t.grid) || t.col >= len(t.grid[t.row]) {
		return door{}, false
	}
	return t.grid[t.row][t.col], true
}

// overview renders the figures, scrolled so the selection shows.
func (t *funnelTab) overview() string {
	st := &t.c.Styles
	switch {
	case t.health == nil && t.err != nil:
		return st.Error.Render("Could not compute the health figures: "+model.CleanLine(t.err.Error())) + "\n\n" + t.summaryView()
	case t.health == nil && t.computing:
		return t.summaryView() + "\n\n" + st.Muted.Render("Computing the health figures…")
	case t.health == nil:
		return t.summaryView()
	}
	b := t.build()
	lines := b.lines
	if len(lines) > t.height && t.height > 0 {
		top := t.scroll
		if b.sel >= 0 {
			top = min(max(top, b.sel-t.height+1), b.sel)
		}
		top = max(min(top, len(lines)-t.height), 0)
		lines = lines[top : top+t.height]
	}
	out := make([]string, len(lines)) // the build is kept (build): not written
	for i := range lines {
		out[i] = ansi.Truncate(lines[i], t.width, "")
	}
	return strings.Join(out, "\n")
}

// builtKey is everything a build of the overview reads.
type builtKey struct {
	health        *model.Health
	width, height int
	row, col      int
	window        model.Window
	computing     bool
	styles        themes.StylesID
}

// build lays the overview out for the tab's size, or returns the last
// layout when nothing it reads changed: a window switch lays it out for
// the grid and then for the frame, and a server draws it for every
// session.
func (t *funnelTab) build() *overviewBuilder {
	k := builtKey{t.health, t.width, t.height, t.row, t.col, t.window, t.computing, t.c.Styles.ID()}
	if t.built == nil || t.builtFor != k {
		t.built, t.builtFor = t.layOut(), k
	}
	return t.built
}

// layOut lays the overview out for the tab's size.
func (t *funnelTab) layOut() *overviewBuilder {
	st := &t.c.Styles
	if t.width >= overviewWide {
		lw := min(t.width/2-2, 78) // the stages need no more; the trend's months take the rest
		left := t.buildColumn(lw, []section{t.stagesSection, t.factorsSection, t.quartersSection, t.responseSection, t.peopleSection}, 0)
		right := t.buildColumn(t.width-lw-2, []section{t.trendSection, t.cohortsSection}, len(left.grid))
		b := &overviewBuilder{t: t, st: &st.Selected, sel: -1}
		b.grid = append(left.grid, right.grid...)
		b.sel = max(left.sel, right.sel)
		n := max(len(left.lines), len(right.lines))
		for i := range n {
			l, r := "", ""
			if i < len(left.lines) {
				l = left.lines[i]
			}
			if i < len(right.lines) {
				r = right.lines[i]
			}
			b.lines = append(b.lines, fitCell(l, lw)+"  "+r)
		}
		return b
	}
	return t.buildColumn(t.width, []section{t.stagesSection, t.trendSection, t.cohortsSection, t.responseSection}, 0)
}

// section renders part of the overview in width w.
type section func(b *overviewBuilder, w int)

// buildColumn renders sections one after the other; firstRow is the grid
// row its first door has in the whole overview.
func (t *funnelTab) buildColumn(w int, sections []section, firstRow int) *overviewBuilder {
	b := &overviewBuilder{t: t, st: &t.c.Styles.Selected, sel: -1}
	b.grid = make([][]door, 0, 32)
	offset := firstRow
	// The doors of this column count from firstRow: pad the grid so the
	// selection test (len(grid) == row) sees whole-overview rows.
	pad := make([][]door, offset)
	b.grid = append(b.grid, pad...)
	for i, s := range sections {
		if i > 0 {
			b.line("")
		}
		s(b, w)
	}
	if len(b.cur) > 0 {
		b.line("")
	}
	b.grid = b.grid[offset:]
	return b
}
