package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

const ellipsis = "…"

// textWidth is ansi.StringWidth, which reads s by grapheme clusters, with
// a shortcut for what most cells hold, printable ASCII: a byte a cell.
// Frames are measured cell by cell, for every session of a server.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// fitCell makes s exactly w cells wide: cut with an ellipsis or padded with
// spaces. Widths are display widths, so wide characters count double.
func fitCell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := textWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, ellipsis)
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fitCellRight is fitCell aligned right.
func fitCellRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := textWidth(s)
	if n > w {
		return ansi.Truncate(s, w, ellipsis)
	}
	return strings.Repeat(" ", w-n) + s
}

// cut shortens a (possibly styled) line to at most w cells.
func cut(s string, w int) string {
	// No character is wider than its bytes: a line of at most w bytes fits.
	if len(s) <= w || textWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "")
}

// fitView makes a block exactly h lines of at most w cells: the guarantee
// that no window from 60×15 up ever wraps or scrolls.
func fitView(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = cut(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
