package ui

import (
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// textWidth agrees with ansi.StringWidth on what frames hold: plain and
// styled text, links, wide and combining characters, and sequences cut
// short.
func TestTextWidthAgrees(t *testing.T) {
	bold := lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ff8800")).Background(lipgloss.Color("4"))
	cases := []string{
		"", "Ana Araújo", "plain ascii", "tab\there", "\x1b[1mbold\x1b[m",
		bold.Render("styled") + " and " + bold.Render("again"),
		ansi.SetHyperlink("https://example.org/a b") + "link" + ansi.ResetHyperlink(),
		"\x1b]8;;https://example.org\x07link\x1b]8;;\x07",
		"王鹏 @pengx", "e\u0301", "👩‍💻 dev", "\x1b[", "\x1b[1", "\x1b]8;;x", "\x1b]8;;x\x1b", "bell\x07", "del\x7f",
		"\x1bc", "\x1b[?25l", strings.Repeat("─", 10),
	}
	r := rand.New(rand.NewPCG(1, 2))
	parts := []string{"a", "Z", " ", "~", "é", "…", "─", "王", "\u0301", "\u200d", "\x1b[31m", "\x1b[m", "\x1b[38;2;1;2;3m", "\x1b]8;;u\x1b\\", "\x1b]8;;\x07", "\t", "\x1b", "[", "]", "中"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		cases = append(cases, b.String())
	}
	// Every rune runeWidth measures, alone, between letters and before a
	// combining accent.
	for _, rg := range [][2]rune{{0xa0, 0x4ff}, {0x2000, 0x2600}, {0x3040, 0x3100}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}} {
		for r := rg[0]; r <= rg[1]; r++ {
			cases = append(cases, string(r), "a"+string(r)+"b", string(r)+"\u0301", string(r)+"\ufe0f")
		}
	}
	for _, s := range cases {
		if got, want := textWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("textWidth(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}
