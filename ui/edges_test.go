package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/model"
)

func TestSafeURL(t *testing.T) {
	for _, c := range []struct {
		raw, want string
		linkable  bool
	}{
		{"https://example.org/a?b=c#d", "https://example.org/a?b=c#d", true},
		{"  http://example.org/x  ", "http://example.org/x", true},
		{"mailto:ada@example.org", "mailto:ada@example.org", true},
		{"https://example.org/päth with space", "https://example.org/p%C3%A4th%20with%20space", true},
		// Escape sequences are removed whole; BEL and ESC can never end the
		// OSC 8 sequence early.
		{"https://example.org/\x1b]8;;https://evil.example\x1b\\x\x07y", "https://example.org/xy", true},
		{"https://example.org/\x1b]52;c;SGVsbG8=\x07z", "https://example.org/z", true},
		{"javascript:alert(1)", "javascript:alert(1)", false},
		{"file:///etc/passwd", "file:///etc/passwd", false},
		{"https://example.org/" + strings.Repeat("a", maxLinkLen), "https://example.org/" + strings.Repeat("a", maxLinkLen), false},
		{"", "", false},
	} {
		got, linkable := safeURL(c.raw)
		if got != c.want || linkable != c.linkable {
			t.Errorf("safeURL(%q) = %q, %v; want %q, %v", c.raw, got, linkable, c.want, c.linkable)
		}
	}
}

func FuzzSafeURL(f *testing.F) {
	f.Add("https://example.org/a b", 30)
	f.Add("https://example.org/\x1b]8;;x\x1b\\\x9d\u202e", 10)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, raw string, w int) {
		u, _ := safeURL(raw)
		for i := 0; i < len(u); i++ {
			if u[i] <= 0x20 || u[i] >= 0x7f {
				t.Fatalf("safeURL(%q) = %q: byte %#x", raw, u, u[i])
			}
		}
		w = (w%200+200)%200 + 1
		if s := shortenURL(u, w); ansi.StringWidth(s) > w || (len(u) <= w && s != u) {
			t.Fatalf("shortenURL(%q, %d) = %q", u, w, s)
		}
	})
}

func TestShortenURLKeepsHostAndEnd(t *testing.T) {
	u := "https://github.com/kestrel-db/kestrel/issues/12345/comments/987654321"
	got := shortenURL(u, 40)
	if got != "https://github.com/…comments/987654321" && ansi.StringWidth(got) != 40 {
		t.Fatalf("%q is %d wide", got, ansi.StringWidth(got))
	}
	if !strings.HasPrefix(got, "https://github.com/…") || !strings.HasSuffix(got, "/comments/987654321") || ansi.StringWidth(got) != 40 {
		t.Fatalf("shortenURL = %q", got)
	}
	if got := shortenURL(u, len(u)); got != u {
		t.Fatalf("a URL that fits was changed: %q", got)
	}
	// A host too long to keep: cut in the middle.
	long := "https://" + strings.Repeat("h", 50) + ".example/x"
	if got := shortenURL(long, 20); ansi.StringWidth(got) != 20 || !strings.HasPrefix(got, "https://") || !strings.HasSuffix(got, "example/x") {
		t.Fatalf("shortenURL = %q", got)
	}
}

// longURL is a hostile, too long link as a forum might send it.
const longURL = "https://forum.example.org/t/\x1b]52;c;SGVsbG8=\x07how-do-i-configure-the-widgets-for-a-very-long-title/päge/12345"

func TestLongLinkIsShortenedClickableAndCopied(t *testing.T) {
	s := newFakeStore(20)
	s.questions[0].URL = longURL
	m := newTestModel(t, s, 80, 24)
	press(t, m, "3", "enter")
	want := "https://forum.example.org/t/how-do-i-configure-the-widgets-for-a-very-long-title/p%C3%A4ge/12345"
	raw := m.View().Content
	if !strings.Contains(raw, "\x1b]8;;"+want+"\x1b\\") || !strings.Contains(raw, "\x1b]8;;\x1b\\") {
		t.Fatalf("no OSC 8 hyperlink to %s in %q", want, raw)
	}
	if strings.Contains(raw, "]52;") || strings.Contains(raw, "\x07") {
		t.Fatalf("an escape sequence from the URL reached the view: %q", raw)
	}
	var link string
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.HasPrefix(l, "Link") {
			link = l
		}
	}
	if !strings.Contains(link, "https://forum.example.org/…") || !strings.HasSuffix(strings.TrimRight(link, " "), "/p%C3%A4ge/12345") {
		t.Fatalf("link line %q does not keep the host and the end of the path", link)
	}
	checkFits(t, m, 80, 24, "question with a long link")

	_, cmd := m.Update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y does nothing in a detail with a link")
	}
	var clip string
	var notice tea.Msg
	for _, c := range cmd().(tea.BatchMsg) {
		msg := c()
		if typeName(msg) == "tea.setClipboardMsg" {
			clip = fmt.Sprint(msg)
		} else {
			notice = msg
		}
	}
	if clip != want {
		t.Fatalf("clipboard got %q, want %q", clip, want)
	}
	m.Update(notice)
	if !strings.Contains(screen(m), "copied https://forum.example.org/") {
		t.Fatalf("no word that the link was copied:\n%s", screen(m))
	}
	if !strings.Contains(lastLine(screen(m)), "y copy link") {
		t.Fatalf("the footer does not mention the copy key: %q", lastLine(screen(m)))
	}
}

func TestOnlyWebLinksAreClickable(t *testing.T) {
	m := New(Options{Store: newFakeStore(1), Theme: "dark"})
	p := page{c: m.c, w: 80}
	p.linkField("Link", "javascript:alert(1)")
	p.linkField("Link", "https://example.org/ok")
	if strings.Contains(p.lines[0], "\x1b]8;") || !strings.Contains(ansi.Strip(p.lines[0]), "javascript:alert(1)") {
		t.Fatalf("a javascript: URL became a hyperlink: %q", p.lines[0])
	}
	if !strings.Contains(p.lines[1], "\x1b]8;;https://example.org/ok\x1b\\") || len(p.links) != 2 {
		t.Fatalf("an https URL is not a hyperlink: %q", p.lines[1])
	}
}

func TestCopyTakesTheLinkInView(t *testing.T) {
	m := New(Options{Store: newFakeStore(1), Theme: "dark"})
	d := detail{c: m.c}
	d.setSize(80, 5)
	d.show(func(w int) page {
		p := page{c: m.c, w: w}
		p.linkField("Link", "https://example.org/first")
		for range 10 {
			p.line("text")
		}
		p.linkField("CFP link", "https://example.org/second")
		p.line("end")
		return p
	})
	if l, _ := d.currentLink(); l.url != "https://example.org/first" {
		t.Fatalf("at the top: %q", l.url)
	}
	d.scroll(4) // both out of view: the one above
	if l, _ := d.currentLink(); l.url != "https://example.org/first" {
		t.Fatalf("between links: %q", l.url)
	}
	d.scroll(10)
	if l, _ := d.currentLink(); l.url != "https://example.org/second" {
		t.Fatalf("at the bottom: %q", l.url)
	}
	empty := detail{c: m.c}
	empty.setSize(80, 5)
	empty.show(func(w int) page { return page{c: m.c, w: w, lines: []string{"no links"}} })
	if msg := empty.copyLink()(); msg != noticeMsg("no link on this page") {
		t.Fatalf("copy without a link: %v", msg)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func TestStageLabelsAreNeverCut(t *testing.T) {
	s := newFakeStore(40)
	s.members[2].Standing.Lapsed = true // regular
	s.members[3].Standing.Lapsed = true // core
	m := newTestModel(t, s, 80, 24)
	got := screen(m)
	for _, want := range []string{"participant · new", "regular · lapsed", "core · lapsed", "Organisation", "Topics"} {
		if !strings.Contains(got, want) {
			t.Errorf("at 80 columns the members list lacks %q:\n%s", want, got)
		}
	}
}

func TestWideWindowsGiveSpaceToCutColumns(t *testing.T) {
	s := newFakeStore(40)
	org := "Larkspur Education and Research Foundation"
	place := "Pakhuis de Zwijger, Piet Heinkade 179, 1019 HC Amsterdam"
	s.members[0].Org = org
	s.members[0].Handles = []string{"@ada", "@lovelace", "@countess-of-lovelace"}
	for i := range s.events {
		s.events[i].Place = place
	}
	m := newTestModel(t, s, 200, 50)
	got := screen(m)
	for _, want := range []string{org, "@ada @lovelace @countess-of-lovelace"} {
		if !strings.Contains(got, want) {
			t.Errorf("at 200 columns the members list cuts %q:\n%s", want, got)
		}
	}
	press(t, m, "4")
	if got := screen(m); !strings.Contains(got, place) {
		t.Errorf("at 200 columns the events list cuts the place:\n%s", got)
	}
	// At 80 they are cut again, and everything still fits.
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	checkFits(t, m, 80, 24, "events")
}

func TestLayoutFeedsCutColumnsFirst(t *testing.T) {
	tb := newTable([]column{
		{title: "Name", min: 10, weight: 3},
		{title: "Place", min: 8, max: 20, weight: 1},
		{title: "N", min: 3, max: 3},
	})
	tb.setNatural([]int{12, 40, 0}, []int{15, 40, 0})
	tb.setSize(100, 10)
	// 98 cells: 10+8+3 and two gaps leave 75. Name needs 12 and Place 40
	// (beyond its max, since its text is cut); the rest goes to Name, the
	// column without a max.
	if tb.widths[1] != 40 || tb.widths[0] != 98-40-3-2 {
		t.Fatalf("widths %v", tb.widths)
	}
	tb.setSize(40, 10)
	// 38 cells: 10+8+3+2 leave 15, shared by weight up to what each needs.
	if tb.widths[0]+tb.widths[1]+tb.widths[2]+2 != 38 || tb.widths[0] < 12 {
		t.Fatalf("narrow widths %v", tb.widths)
	}
}

func TestNaturalWidthsIgnoreOutliers(t *testing.T) {
	texts := make([]string, 100)
	for i := range texts {
		texts[i] = "abcde"
	}
	texts[7] = strings.Repeat("x", 80)
	texts[8] = "王小明王小明" // 12 cells
	texts[9] = texts[8]
	// 2% may be cut: the one 80-cell text, and one of the two 12-cell ones.
	natural, widest := naturalWidths(len(texts), []bool{true, false}, func(r, _ int) string { return texts[r] })
	if natural[0] != 12 || widest[0] != 80 || natural[1] != 0 || widest[1] != 0 {
		t.Fatalf("natural %v widest %v", natural, widest)
	}
}

func TestFooterKeepsQuitAndHelp(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 15}} {
		w, h := sz[0], sz[1]
		m := newTestModel(t, newFakeStore(50), w, h)
		for _, s := range []struct {
			name string
			keys []string
		}{
			{"members", nil},
			{"member detail", []string{"enter"}},
			{"filter applied", []string{"esc", "/", "a", "enter"}},
			{"funnel", []string{"2"}},
			{"questions", []string{"3"}},
			{"question detail", []string{"enter"}},
			{"events", []string{"esc", "4"}},
		} {
			press(t, m, s.keys...)
			foot := lastLine(screen(m))
			if !strings.Contains(foot, "q quit") || !strings.Contains(foot, "? more keys") {
				t.Errorf("%s at %d columns: footer %q lacks q or ?", s.name, w, foot)
			}
		}
		press(t, m, "1", "/", "a")
		foot := lastLine(screen(m))
		if !strings.Contains(foot, "enter apply") || !strings.Contains(foot, "esc clear") || strings.Contains(foot, "q quit") {
			t.Errorf("typing a filter at %d columns: footer %q", w, foot)
		}
		press(t, m, "esc")
	}
}

func TestFullHelpFitsSixtyColumns(t *testing.T) {
	m := newTestModel(t, newFakeStore(50), 60, 20)
	press(t, m, "?")
	checkFits(t, m, 60, 20, "full help")
	got := screen(m)
	for _, g := range m.fullHelp() {
		for _, b := range g {
			h := b.Help()
			if !strings.Contains(got, h.Key) || !strings.Contains(got, h.Desc) {
				t.Errorf("full help at 60 columns lacks %q %q:\n%s", h.Key, h.Desc, got)
			}
		}
	}
	// The list still shows some rows above it.
	if !strings.Contains(got, "Ada Lovelace") {
		t.Errorf("the full help left no room for the list:\n%s", got)
	}
	// While typing, the full help lists the filter's keys.
	press(t, m, "/")
	if got := screen(m); !strings.Contains(got, "ctrl+w") || !strings.Contains(got, "enter apply") || strings.Contains(got, "q quit") {
		t.Errorf("full help while typing:\n%s", got)
	}
}

func TestSpeakerCountsAgree(t *testing.T) {
	s := newFakeStore(10)
	m := newTestModel(t, s, 100, 30)
	et := m.tabs[tabEvents].(*eventsTab)
	cells := make([]cell, len(et.list.table.cols))
	for r := range et.events {
		et.fill(int32(r), cells)
		e, err := s.Event(context.Background(), et.events[r].UID)
		if err != nil {
			t.Fatal(err)
		}
		pg := et.detailPage(&e, 100)
		want := "of " + cells[4].text
		found := false
		for _, l := range pg.lines {
			l = ansi.Strip(l)
			if strings.HasPrefix(l, "Speakers (") {
				found = strings.Contains(l, " confirmed "+want+";") || strings.HasSuffix(l, " confirmed "+want+")")
			}
		}
		if !found {
			t.Errorf("%s: the list says %s speakers, the page says otherwise:\n%s", e.Name, cells[4].text, ansi.Strip(strings.Join(pg.lines, "\n")))
		}
	}
}

func TestDemoCannotBeSynced(t *testing.T) {
	sync := func(context.Context, func(SyncProgress)) error { return nil }
	m := New(Options{Store: newFakeStore(10), Theme: "dark", Now: nowFunc, Demo: true, Sync: sync})
	m.Update(windowMsg(100, 30))
	drive(t, m, m.Init())
	press(t, m, "r")
	if got := screen(m); m.sync != nil || !strings.Contains(got, "the demo community cannot be synced; run hearth without --demo") {
		t.Fatalf("r in the demo:\n%s", got)
	}
	// A demo database says so itself, even when the option is not set.
	s := newFakeStore(10)
	s.sum.Demo = true
	m = newTestModel(t, s, 100, 30)
	press(t, m, "r")
	if got := screen(m); strings.Contains(got, "config init") || !strings.Contains(got, "cannot be synced") {
		t.Fatalf("r on a demo database:\n%s", got)
	}
}

func TestPluralsAndAlignedColumns(t *testing.T) {
	m := newTestModel(t, newFakeStore(1), 100, 30)
	press(t, m, "2")
	if got := screen(m); !strings.Contains(got, "1 person,") && !strings.HasSuffix(strings.Split(got, "\n")[1], "1 person") {
		t.Fatalf("funnel of one member:\n%s", got)
	}
	m = newTestModel(t, newFakeStore(200), 100, 30)
	press(t, m, "2")
	// Numbers right-aligned: every "reached" and "here" ends in the same column.
	var reached, here []int
	for _, l := range strings.Split(screen(m), "\n") {
		if i := strings.Index(l, " reached"); i >= 0 {
			reached = append(reached, ansi.StringWidth(l[:i]))
			here = append(here, ansi.StringWidth(l[:strings.Index(l, " here")]))
		}
	}
	if len(reached) != 4 || reached[0] != reached[3] || here[0] != here[3] {
		t.Fatalf("funnel numbers not aligned: reached at %v, here at %v\n%s", reached, here, screen(m))
	}

	s := newFakeStore(5)
	s.recent = []model.Activity{
		{Kind: model.KindCommit, At: testNow.Add(-time.Hour), Channel: "acme/widgets", Title: "Fix the bug"},
		{Kind: model.KindAcceptedAnswer, At: testNow.Add(-48 * time.Hour), Channel: "Help", Title: "How to configure"},
		{Kind: model.KindPRMerged, At: testNow.Add(-72 * time.Hour), Channel: "acme/a-much-longer-repository", Title: "Add docs"},
	}
	m = newTestModel(t, s, 100, 30)
	press(t, m, "enter")
	var titles []int
	for _, l := range strings.Split(screen(m), "\n") {
		for _, title := range []string{"Fix the bug", "How to configure", "Add docs"} {
			if i := strings.Index(l, title); i >= 0 {
				titles = append(titles, ansi.StringWidth(l[:i]))
			}
		}
	}
	if len(titles) != 3 || titles[0] != titles[1] || titles[1] != titles[2] {
		t.Fatalf("activity titles start at columns %v:\n%s", titles, screen(m))
	}
}
