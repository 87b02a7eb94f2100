package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

const ellipsis = "…"

// textWidth is ansi.StringWidth, which reads s by grapheme clusters, with
// a shortcut for what most cells and lines hold: printable ASCII and the
// runes of runeWidth, styled with SGR sequences and linked with OSC 8. Frames are
// measured line by line and cell by cell, for every session of a server.
// Anything else (other bytes, other sequences) is measured by
// ansi.StringWidth.
func textWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x7e:
			n++
			i++
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[': // CSI: ESC [ params final
			j := i + 2
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
				j++
			}
			if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return ansi.StringWidth(s)
			}
			i = j + 1
		case c == 0x1b && i+1 < len(s) && s[i+1] == ']': // OSC: ESC ] text BEL or ESC \
			j := i + 2
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x7e {
				j++
			}
			switch {
			case j < len(s) && s[j] == 0x07:
				i = j + 1
			case j+1 < len(s) && s[j] == 0x1b && s[j+1] == '\\':
				i = j + 2
			default:
				return ansi.StringWidth(s)
			}
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			w := runeWidth(r)
			if w == 0 {
				return ansi.StringWidth(s)
			}
			n += w
			i += size
		default:
			return ansi.StringWidth(s)
		}
	}
	return n
}

// runeWidth is the width of the letters, punctuation, arrows and box
// drawing that names and frames are made of, characters that never join
// their neighbours into one cluster; 0 for any other rune, which only
// ansi.StringWidth measures right (a combining accent, an emoji).
func runeWidth(r rune) int {
	switch {
	case r >= 0xa0 && r <= 0x24f && r != 0xad, // Latin, less the soft hyphen
		r >= 0x370 && r <= 0x482, r >= 0x48a && r <= 0x4ff, // Greek, Cyrillic, less combining marks
		r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e, // punctuation: – — … ‹ ›
		r >= 0x2190 && r <= 0x21ff, // arrows
		r >= 0x2500 && r <= 0x25fc: // box drawing, blocks, shapes, less two emoji
		return 1
	case r >= 0x3041 && r <= 0x3096, r >= 0x30a1 && r <= 0x30fa, // kana
		r >= 0x4e00 && r <= 0x9fff, // CJK ideographs
		r >= 0xac00 && r <= 0xd7a3: // Hangul syllables
		return 2
	}
	return 0
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
