package model

import (
	"strings"
	"unicode/utf8"
)

// CleanLine makes untrusted text safe to put on one line of a terminal:
// escape sequences (CSI, OSC such as OSC 52 clipboard writes, DCS, APC, ...)
// are removed whole, other control characters and bidirectional overrides
// are dropped, line breaks and tabs become spaces and invalid UTF-8 becomes
// U+FFFD. Everything that came from a source passes through here (or
// CleanText) before it reaches a view.
func CleanLine(s string) string { return clean(s, false) }

// CleanText is CleanLine for multi-line text: it keeps line breaks.
func CleanText(s string) string { return clean(s, true) }

func clean(s string, keepNewlines bool) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x1b: // ESC: skip the whole sequence it introduces
			i += escapeLen(s[i:])
			continue
		case r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f || r == 0x98:
			// 8-bit CSI, OSC, DCS, PM, APC, SOS: same as their ESC forms
			i += size + stringTerminated(s[i+size:], r == 0x9b)
			continue
		case r == '\n' || r == '\r':
			if keepNewlines {
				if r == '\n' {
					b.WriteByte('\n')
				}
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// other C0 and C1 controls: dropped
		case isBidiControl(r):
			// dropped: they can reorder what the reader sees
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escapeLen returns the length of the escape sequence at the start of s,
// which begins with ESC. An unterminated sequence runs to the end of s.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then one final byte
		return 2 + stringTerminated(s[2:], true)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: until BEL or ST
		return 2 + stringTerminated(s[2:], false)
	default:
		// two-byte sequences (ESC c, ESC 7, ...), plus intermediates ESC ( B
		n := 1
		for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
			n++
		}
		if n < len(s) {
			n++
		}
		return n
	}
}

// stringTerminated returns how many bytes of s belong to the sequence body.
// For CSI the body ends with a final byte in 0x40–0x7e; for string
// sequences it ends with BEL, ESC \ or the 8-bit ST.
func stringTerminated(s string, csi bool) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if csi {
			if c >= 0x40 && c <= 0x7e {
				return i + 1
			}
			if c < 0x20 || c > 0x7e { // not a CSI byte: sequence is broken
				return i
			}
			continue
		}
		switch {
		case c == 0x07:
			return i + 1
		case c == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
	}
	return len(s)
}
