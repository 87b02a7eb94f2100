package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitWidthsNarrowsTheWidestColumnsFirst(t *testing.T) {
	got := fitWidths([]int{10, 4, 60, 30}, 60)
	if got[0] != 10 || got[1] != 4 {
		t.Errorf("narrow columns changed: %v", got)
	}
	total := 3 * tableGap
	for _, w := range got {
		total += w
	}
	if total > 60 {
		t.Errorf("%v is %d wide, want at most 60", got, total)
	}
	if got[2] != got[3] {
		t.Errorf("the two wide columns should share the space: %v", got)
	}
	if same := fitWidths([]int{5, 5}, 80); same[0] != 5 || same[1] != 5 {
		t.Errorf("a table that fits was changed: %v", same)
	}
}

func TestRenderTableTruncatesWideText(t *testing.T) {
	var b bytes.Buffer
	cells := [][]string{
		{"NAME", "N", "NOTE"},
		{"株式会社ハース", "12", strings.Repeat("long ", 30)},
		{"Ada", "3", "short"},
	}
	if err := renderTable(&b, cells, []bool{false, true, false}, 40); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %q is %d wide", l, w)
		}
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing blanks: %q", l)
		}
	}
	if !strings.Contains(lines[1], "…") {
		t.Errorf("truncated cell has no ellipsis: %q", lines[1])
	}
	if !strings.Contains(lines[2], "Ada") || !strings.Contains(lines[2], " 3") {
		t.Errorf("short row: %q", lines[2])
	}
}

func TestCleanListDropsControlAndEmpty(t *testing.T) {
	got := cleanList([]string{"go", "\x1b[31m", "a\x07b", " "})
	if len(got) != 2 || got[0] != "go" || got[1] != "ab" {
		t.Errorf("cleanList = %q", got)
	}
	if cleanList(nil) == nil {
		t.Error("cleanList(nil) is nil: JSON would print null")
	}
}
