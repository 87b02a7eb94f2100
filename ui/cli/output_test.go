package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestFitWidthsNarrowsTheWidestColumnsFirst(t *testing.T) {
	got := fitWidths([]int{10, 4, 60, 30}, make([]tableCol, 4), 60)
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
	if same := fitWidths([]int{5, 5}, make([]tableCol, 2), 80); same[0] != 5 || same[1] != 5 {
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
	if err := renderTable(&b, cells, []tableCol{{}, {right: true}, {}}, 40); err != nil {
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

// TestNarrowTableDropsColumnsInsteadOfSqueezing: at 80 columns the members
// table leaves out its least useful columns and cuts none below a readable
// width; the stage, with "lapsed", is never cut; a wide terminal shows all.
func TestNarrowTableDropsColumnsInsteadOfSqueezing(t *testing.T) {
	recs := []memberRecord{{
		Name: "Bartłomiej Kamiński-Wiśniewski", Handles: []string{"@bartlomiejkaminski", "@bkam"},
		Org: "Larkspur Educational Trust", Stage: "core", Lapsed: true, Activities: 12345,
		FirstActive: time.Date(2021, 3, 4, 12, 0, 0, 0, time.UTC), LastActive: time.Date(2025, 5, 6, 12, 0, 0, 0, time.UTC),
		Topics: []string{"storage", "networking", "observability"},
	}}
	render := func(width int) []string {
		var b bytes.Buffer
		if err := writeTable(&b, memberColumns(time.UTC), recs, width); err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	}
	narrow := render(80)
	for _, l := range narrow {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %q is %d wide", l, w)
		}
	}
	head := strings.Fields(narrow[0])
	for _, want := range []string{"NAME", "STAGE", "ACTIVITIES", "LAST"} {
		if !slices.Contains(head, want) {
			t.Errorf("80 columns lost %s: %q", want, narrow[0])
		}
	}
	if slices.Contains(head, "FIRST") {
		t.Errorf("80 columns kept FIRST rather than dropping it: %q", narrow[0])
	}
	if !strings.Contains(narrow[1], "core, lapsed") {
		t.Errorf("stage cut at 80 columns: %q", narrow[1])
	}
	if !strings.Contains(narrow[1], "Bartłomiej Kamiński") {
		t.Errorf("name squeezed below a readable width: %q", narrow[1])
	}
	wide := render(200)
	for _, want := range []string{"HANDLES", "ORG", "FIRST", "TOPICS"} {
		if !strings.Contains(wide[0], want) {
			t.Errorf("200 columns lost %s: %q", want, wide[0])
		}
	}
	if strings.Contains(wide[1], "…") {
		t.Errorf("200 columns cut a cell: %q", wide[1])
	}
}

// TestJSONStreamsOneRecordAtATime: every record reaches the writer as soon
// as it is written, and the whole output is one valid JSON array with the
// records' keys, also when empty.
func TestJSONStreamsOneRecordAtATime(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		var b bytes.Buffer
		w := newJSONWriter[memberRecord](&b)
		var want []memberRecord
		for i := range n {
			rec := memberRecord{ID: int64(i + 1), Name: "Zoë <&> \"q\"", Handles: []string{"@z"}, Emails: []string{}, Topics: []string{}}
			before := b.Len()
			if err := w.write(&rec); err != nil {
				t.Fatal(err)
			}
			if b.Len() == before || !strings.Contains(b.String()[before:], fmt.Sprintf(`"id":%d`, i+1)) {
				t.Fatalf("record %d was not written at once: %q", i, b.String()[before:])
			}
			want = append(want, rec)
		}
		if err := w.close(); err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		if err := json.Unmarshal(b.Bytes(), &got); err != nil || got == nil {
			t.Fatalf("%d records: %v\n%s", n, err, b.String())
		}
		if len(got) != n {
			t.Fatalf("%d objects, want %d", len(got), n)
		}
		for i, g := range got {
			if g["name"] != want[i].Name || g["id"] != float64(want[i].ID) || g["stage"] != "" {
				t.Errorf("object %d: %v", i, g)
			}
		}
		if lines := strings.Count(b.String(), "\n"); n > 0 && lines != n+2 {
			t.Errorf("%d lines for %d records, want one object per line:\n%s", lines, n, b.String())
		}
	}
}

// TestCSVStreamsAndKeepsItsHeader: the header comes once, before the first
// record, and also when there is none.
func TestCSVStreamsAndKeepsItsHeader(t *testing.T) {
	cols := memberColumns(time.UTC)
	var b bytes.Buffer
	w := newCSVWriter(&b, cols)
	if err := w.close(); err != nil || !strings.HasPrefix(b.String(), "id,name,handles,") || strings.Count(b.String(), "\n") != 1 {
		t.Fatalf("empty CSV: %q (%v)", b.String(), err)
	}
	b.Reset()
	w = newCSVWriter(&b, cols)
	for i := range 3 {
		if err := w.write(&memberRecord{ID: int64(i + 1), Name: "a,b"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "id,name,") || !strings.HasPrefix(lines[3], `3,"a,b",`) {
		t.Fatalf("CSV:\n%s", b.String())
	}
}
