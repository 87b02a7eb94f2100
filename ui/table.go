package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"hearth/themes"
)

// column describes one table column. Widths are laid out from the window:
// every visible column gets its minimum, the rest is shared by weight (up
// to max when set), and when even the minimums do not fit, the column with
// the highest drop number is hidden first.
type column struct {
	title  string
	min    int
	max    int // 0: no limit
	weight int
	right  bool
	drop   int // 0: never hidden
}

// cell is one rendered cell: plain (already cleaned) text and an optional
// style used when the row is not selected.
type cell struct {
	text  string
	style *lipgloss.Style
}

// heading rows are negative row numbers in a table's row list; the tab
// gives them a label. The cursor never rests on them.
const gutter = 2 // "› " before the selected row

// vtable is a virtual table: it holds row numbers (indices into the tab's
// own data) and renders only the rows in view, so 100,000 members cost the
// same per frame as 20.
type vtable struct {
	cols   []column
	widths []int // per column, 0 when hidden
	width  int
	height int // rows in view, header excluded

	rows   []int32
	cursor int
	offset int

	buf []cell // reused for each row
}

func newTable(cols []column) vtable {
	return vtable{cols: cols, widths: make([]int, len(cols)), buf: make([]cell, len(cols))}
}

// setSize lays the columns out for a width and sets how many rows show.
func (t *vtable) setSize(w, h int) {
	t.width, t.height = w, max(h-1, 1)
	avail := w - gutter
	visible := make([]bool, len(t.cols))
	for i := range visible {
		visible[i] = true
	}
	need := func() int {
		n, k := 0, 0
		for i, c := range t.cols {
			if visible[i] {
				n += c.min
				k++
			}
		}
		return n + max(k-1, 0)
	}
	for need() > avail {
		worst := -1
		for i, c := range t.cols {
			if visible[i] && c.drop > 0 && (worst < 0 || c.drop > t.cols[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		visible[worst] = false
	}
	extra := avail - need()
	weights := 0
	for i, c := range t.cols {
		t.widths[i] = 0
		if visible[i] {
			t.widths[i] = c.min
			weights += c.weight
		}
	}
	// Share the extra space by weight, respecting max; what a capped column
	// cannot take goes round again to the others.
	for extra > 0 && weights > 0 {
		given, nextWeights := 0, 0
		for i, c := range t.cols {
			if !visible[i] || c.weight == 0 || (c.max > 0 && t.widths[i] >= c.max) {
				continue
			}
			add := extra * c.weight / weights
			if add == 0 {
				add = 1
			}
			if c.max > 0 && t.widths[i]+add > c.max {
				add = c.max - t.widths[i]
			}
			if given+add > extra {
				add = extra - given
			}
			t.widths[i] += add
			given += add
			if c.max == 0 || t.widths[i] < c.max {
				nextWeights += c.weight
			}
		}
		extra -= given
		weights = nextWeights
		if given == 0 {
			break
		}
	}
	t.clamp()
}

// setRows replaces the rows, keeping the cursor where it was when it can.
func (t *vtable) setRows(rows []int32) {
	t.rows = rows
	t.clamp()
}

// selected returns the row under the cursor.
func (t *vtable) selected() (int32, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) || t.rows[t.cursor] < 0 {
		return 0, false
	}
	return t.rows[t.cursor], true
}

func (t *vtable) moveBy(d int) { t.moveTo(t.cursor+d, d) }

// moveTo puts the cursor on row i, stepping past headings in direction dir
// and keeping the cursor in view.
func (t *vtable) moveTo(i, dir int) {
	n := len(t.rows)
	if n == 0 {
		t.cursor, t.offset = 0, 0
		return
	}
	i = min(max(i, 0), n-1)
	if dir == 0 {
		dir = 1
	}
	for j := i; j >= 0 && j < n; j += dir {
		if t.rows[j] >= 0 {
			i = j
			goto found
		}
	}
	for j := i; j >= 0 && j < n; j -= dir {
		if t.rows[j] >= 0 {
			i = j
			break
		}
	}
found:
	t.cursor = i
	t.scrollToCursor()
}

func (t *vtable) scrollToCursor() {
	if t.cursor < t.offset {
		t.offset = t.cursor
		// Show the heading right above the first row of a section.
		if t.offset > 0 && t.rows[t.offset-1] < 0 {
			t.offset--
		}
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(min(t.offset, len(t.rows)-t.height), 0)
}

func (t *vtable) clamp() {
	if len(t.rows) == 0 {
		t.cursor, t.offset = 0, 0
		return
	}
	t.moveTo(t.cursor, 1)
}

func (t *vtable) top()    { t.offset = 0; t.moveTo(0, 1) }
func (t *vtable) bottom() { t.moveTo(len(t.rows)-1, -1) }
func (t *vtable) pageUp() { t.moveTo(t.cursor-t.height, -1) }
func (t *vtable) pageDown() {
	t.moveTo(t.cursor+t.height, 1)
}

// click selects the row at line y of the table (0 is the header); again
// reports that the row was already selected (a second click opens it).
func (t *vtable) click(y int) (hit, again bool) {
	i := t.offset + y - 1
	if y < 1 || i >= len(t.rows) || t.rows[i] < 0 {
		return false, false
	}
	again = i == t.cursor
	t.moveTo(i, 1)
	return true, again
}

// scroll moves the view by d rows, dragging the cursor along when it would
// leave the view.
func (t *vtable) scroll(d int) {
	t.offset = max(min(t.offset+d, len(t.rows)-t.height), 0)
	if t.cursor < t.offset {
		t.moveTo(t.offset, 1)
	} else if t.cursor >= t.offset+t.height {
		t.moveTo(t.offset+t.height-1, -1)
	}
}

// view renders the header and the rows in view: fill writes a row's cells
// into the buffer it is given; heading labels negative rows.
func (t *vtable) view(st *themes.Styles, fill func(row int32, cells []cell), heading func(row int32) string) string {
	var b strings.Builder
	b.Grow((t.height + 1) * (t.width + 16))
	hdr := make([]string, 0, len(t.cols))
	for i, c := range t.cols {
		if w := t.widths[i]; w > 0 {
			if c.right {
				hdr = append(hdr, fitCellRight(c.title, w))
			} else {
				hdr = append(hdr, fitCell(c.title, w))
			}
		}
	}
	b.WriteString(st.Header.Render(strings.Repeat(" ", gutter) + strings.Join(hdr, " ")))
	end := min(t.offset+t.height, len(t.rows))
	for i := t.offset; i < end; i++ {
		b.WriteByte('\n')
		row := t.rows[i]
		if row < 0 {
			label := "── " + heading(row) + " "
			b.WriteString(st.Heading.Render(fitCell(label+strings.Repeat("─", max(t.width-len([]rune(label)), 0)), t.width)))
			continue
		}
		for j := range t.buf {
			t.buf[j] = cell{}
		}
		fill(row, t.buf)
		sel := i == t.cursor
		var line strings.Builder
		if sel {
			line.WriteString("› ")
		} else {
			line.WriteString("  ")
		}
		first := true
		for j, c := range t.cols {
			w := t.widths[j]
			if w == 0 {
				continue
			}
			if !first {
				line.WriteByte(' ')
			}
			first = false
			var txt string
			if c.right {
				txt = fitCellRight(t.buf[j].text, w)
			} else {
				txt = fitCell(t.buf[j].text, w)
			}
			if !sel && t.buf[j].style != nil {
				txt = t.buf[j].style.Render(txt)
			}
			line.WriteString(txt)
		}
		if sel {
			// The selection spans the whole width so it reads as a bar.
			s := line.String()
			if pad := t.width - lipgloss.Width(s); pad > 0 {
				s += strings.Repeat(" ", pad)
			}
			b.WriteString(st.Selected.Render(s))
		} else {
			b.WriteString(line.String())
		}
	}
	return b.String()
}
