package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

const ellipsis = "…"

// fitCell makes s exactly w cells wide: cut with an ellipsis or padded with
// spaces. Widths are display widths, so wide characters count double.
func fitCell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
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
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, ellipsis)
	}
	return strings.Repeat(" ", w-n) + s
}

// cut shortens a (possibly styled) line to at most w cells.
func cut(s string, w int) string {
	if ansi.StringWidth(s) <= w {
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
