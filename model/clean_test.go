package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanLine(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Ada Lovelace", "Ada Lovelace"},
		{"non-ASCII kept", "Zoë Müller 王小明 🚀", "Zoë Müller 王小明 🚀"},
		{"SGR colour", "\x1b[31mred\x1b[0m", "red"},
		{"OSC 52 clipboard with BEL", "a\x1b]52;c;SGVsbG8=\x07b", "ab"},
		{"OSC 52 with ST", "a\x1b]52;c;SGVsbG8=\x1b\\b", "ab"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"DCS", "x\x1bPq#0;2;0;0;0\x1b\\y", "xy"},
		{"APC", "x\x1b_Gf=100;AAAA\x1b\\y", "xy"},
		{"cursor movement", "a\x1b[2J\x1b[Hb", "ab"},
		{"charset designation", "a\x1b(Bb", "ab"},
		{"8-bit CSI", "a\u009b31mb", "ab"},
		{"8-bit OSC", "a\u009d52;c;AAAA\u009cb", "ab"},
		{"unterminated OSC eats the rest", "ok\x1b]52;c;AAAA", "ok"},
		{"lone ESC at end", "ok\x1b", "ok"},
		{"C0 controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"newlines and tabs become spaces", "a\nb\r\nc\td", "a b  c d"},
		{"bidi override", "user\u202Egnp.exe", "usergnp.exe"},
		{"bidi isolates", "\u2066x\u2069\u200f", "x"},
		{"invalid UTF-8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"line separator", "a\u2028b", "a b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CleanLine(c.in)
			if got != c.want {
				t.Fatalf("CleanLine(%q) = %q, want %q", c.in, got, c.want)
			}
			if strings.ContainsAny(got, "\x1b\x07\n\r") || !utf8.ValidString(got) {
				t.Fatalf("unsafe output %q", got)
			}
		})
	}
}

func TestCleanTextKeepsLines(t *testing.T) {
	got := CleanText("line one\r\nline \x1b[1mtwo\x1b[0m\n\x1b]52;c;AAAA\x07three")
	if got != "line one\nline two\nthree" {
		t.Fatalf("got %q", got)
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]52;c;AAAA\x07", "\x1b[31m", "\u009b1m", "\xff\xfe", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanLine(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
				t.Fatalf("control %U survived in %q (from %q)", r, got, s)
			}
		}
	})
}
