package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/themes"
)

// column describes one table column. Widths are laid out from the window:
// every visible column gets its minimum; the rest is shared by weight,
// first up to what the column's content needs (see naturalWidths; max when
// that is not known), then to the columns without a max. When even the
// minimums do not fit, the column with the highest drop number is hidden
// first.
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

// naturalWidths measures the text of n rows in the columns marked in
// measure: for each, natural is the width that fits all but the widest 2%
// of its cells, so a few outliers do not claim a narrow window's space
// before the others, and widest fits them all. Columns not measured
// report 0 (not known). text returns the cleaned text of a cell.
func naturalWidths(n int, measure []bool, text func(row, col int) string) (natural, widest []int) {
	cols := len(measure)
	const buckets = 256 // wider cells count as 255
	hist := make([][buckets]int32, cols)
	for r := 0; r < n; r++ {
		for c := range cols {
			if !measure[c] {
				continue
			}
			s := text(r, c)
			if s == "" {
				continue
			}
			w := len(s)
			if !isASCII(s) {
				w = ansi.StringWidth(s)
			}
			hist[c][min(w, buckets-1)]++
		}
	}
	natural, widest = make([]int, cols), make([]int, cols)
	keep := n - n/50
	for c := range cols {
		if !measure[c] {
			continue
		}
		// Empty cells fit any width.
		seen := n
		for _, k := range hist[c] {
			seen -= int(k)
		}
		for w := range buckets {
			seen += int(hist[c][w])
			if seen >= keep && natural[c] == 0 {
				natural[c] = max(w, 1)
			}
			if hist[c][w] > 0 {
				widest[c] = w
			}
		}
		widest[c] = max(widest[c], natural[c])
	}
	return natural, widest
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
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
	// natural is the width that fits nearly all of a column's cells and
	// widest the width of its widest cell (0: not known); a column grows
	// to natural, then to widest, before spare space goes elsewhere.
	natural []int
	widest  []int
	width   int
	height  int // rows in view, header excluded

	rows   []int32
	cursor int
	offset int

	buf []cell // reused for each row
	// painted holds the cells of this frame and before the cells of the
	// last one, fitted and styled: moving the cursor draws nearly all of
	// them again, for every session of a server.
	painted, before map[paintKey]string
	paintedWith     themes.StylesID // the styles of painted
}

// paintKey is a cell as a frame draws it.
type paintKey struct {
	text  string
	width int
	right bool
	style *lipgloss.Style
}

// paint fits and styles one cell, or finds it drawn by this frame or the
// last.
func (t *vtable) paint(k paintKey) string {
	if s, ok := t.painted[k]; ok {
		return s
	}
	s, ok := t.before[k]
	if !ok {
		if k.right {
			s = fitCellRight(k.text, k.width)
		} else {
			s = fitCell(k.text, k.width)
		}
		if k.style != nil {
			s = k.style.Render(s)
		}
	}
	t.painted[k] = s
	return s
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
	for i, c := range t.cols {
		t.widths[i] = 0
		if visible[i] {
			t.widths[i] = c.min
		}
	}
	// First every column grows towards what nearly all its cells need,
	// then towards its widest cell (its max when the content is not known),
	// so truncated columns get the space first; what is left goes to the
	// columns without a max, which absorb the rest of a wide window.
	want := func(ws []int) func(i int) int {
		return func(i int) int {
			if i < len(ws) && ws[i] > 0 {
				return ws[i]
			}
			return t.cols[i].max
		}
	}
	extra = t.grow(extra, visible, want(t.natural))
	extra = t.grow(extra, visible, want(t.widest))
	t.grow(extra, visible, func(i int) int {
		if t.cols[i].max == 0 {
			return 0
		}
		return t.widths[i] // full: takes nothing more
	})
	t.clamp()
}

// grow shares extra cells among the visible weighted columns by weight,
// each up to limit(i) (0: no limit); what a full column cannot take goes
// round again to the others. It returns what nobody could take.
func (t *vtable) grow(extra int, visible []bool, limit func(i int) int) int {
	open := func(i int) bool {
		lim := limit(i)
		return visible[i] && t.cols[i].weight > 0 && (lim == 0 || t.widths[i] < lim)
	}
	for extra > 0 {
		weights := 0
		for i, c := range t.cols {
			if open(i) {
				weights += c.weight
			}
		}
		if weights == 0 {
			break
		}
		given := 0
		for i, c := range t.cols {
			if given == extra || !open(i) {
				continue
			}
			add := max(extra*c.weight/weights, 1)
			if lim := limit(i); lim > 0 {
				add = min(add, lim-t.widths[i])
			}
			add = min(add, extra-given)
			t.widths[i] += add
			given += add
		}
		extra -= given
	}
	return extra
}

// setNatural records how wide each column's content is (0: not known),
// as measured by naturalWidths, and lays the columns out again.
func (t *vtable) setNatural(natural, widest []int) {
	t.natural, t.widest = natural, widest
	if t.width > 0 {
		t.setSize(t.width, t.height+1)
	}
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
	// The two maps trade places each frame rather than being made anew:
	// a frame's garbage is what a server's collector spends its time on.
	t.before, t.painted = t.painted, t.before
	if t.painted == nil {
		t.painted = make(map[paintKey]string, 2*t.height*len(t.cols))
	}
	clear(t.painted)
	if t.paintedWith != st.ID() {
		// The colours changed (the terminal's background was detected).
		clear(t.before)
		t.paintedWith = st.ID()
	}
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
			k := paintKey{text: t.buf[j].text, width: w, right: c.right}
			if !sel {
				k.style = t.buf[j].style
			}
			line.WriteString(t.paint(k))
		}
		if sel {
			// The selection spans the whole width so it reads as a bar.
			s := line.String()
			if pad := t.width - textWidth(s); pad > 0 {
				s += strings.Repeat(" ", pad)
			}
			b.WriteString(st.Selected.Render(s))
		} else {
			b.WriteString(line.String())
		}
	}
	return b.String()
}
