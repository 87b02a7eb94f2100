package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/themes"
)

// checkFits asserts the frame is exactly h lines of at most w cells.
func checkFits(t *testing.T, m *Model, w, h int, where string) {
	t.Helper()
	content := m.View().Content
	lines := strings.Split(content, "\n")
	if len(lines) != h {
		t.Fatalf("%s at %dx%d: %d lines, want %d", where, w, h, len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Fatalf("%s at %dx%d: line %d is %d cells wide: %q", where, w, h, i, n, ansi.Strip(l))
		}
	}
}

func TestEveryScreenFitsTheWindow(t *testing.T) {
	for _, sz := range [][2]int{{60, 15}, {80, 24}, {200, 50}, {61, 16}} {
		w, h := sz[0], sz[1]
		m := newTestModel(t, newFakeStore(200), w, h)
		steps := []struct {
			name string
			keys []string
		}{
			{"members", nil},
			{"members detail", []string{"enter"}},
			{"members filter", []string{"esc", "/", "z"}},
			{"full help", []string{"enter", "?"}},
			{"funnel", []string{"2"}},
			{"questions", []string{"3"}},
			{"question detail", []string{"enter"}},
			{"events", []string{"esc", "4"}},
			{"event detail", []string{"down", "enter"}},
			{"short help again", []string{"?"}},
		}
		for _, s := range steps {
			press(t, m, s.keys...)
			checkFits(t, m, w, h, s.name)
		}
	}
}

func TestResizeRelayouts(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 200, 50)
	wide := screen(m)
	if !strings.Contains(wide, "Organisation") || !strings.Contains(wide, "/srv/hearth/community.db") {
		t.Fatalf("a wide window shows every column and the path:\n%s", wide)
	}
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 15})
	checkFits(t, m, 60, 15, "shrunk")
	if narrow := screen(m); strings.Contains(narrow, "Organisation") {
		t.Fatalf("a narrow window hides the organisation column:\n%s", narrow)
	}
	m.Update(tea.WindowSizeMsg{Width: 59, Height: 30})
	if got := screen(m); !strings.Contains(got, "window too small") || strings.Count(got, "\n") != 0 {
		t.Fatalf("below 60x15 one line says the window is too small, got %q", got)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 14})
	if got := screen(m); !strings.Contains(got, "too small") {
		t.Fatalf("14 lines are too few, got %q", got)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	checkFits(t, m, 80, 24, "grown back")
}

func TestHostileNamesNeverReachTheTerminal(t *testing.T) {
	m := newTestModel(t, newFakeStore(50), 120, 30)
	raw := m.View().Content
	if strings.Contains(raw, "]52;") || strings.Contains(raw, "\x07") {
		t.Fatalf("an OSC 52 sequence reached the view: %q", raw)
	}
	if strings.Contains(raw, "\x1b[31m") {
		t.Fatal("injected colour reached the view")
	}
	if !strings.Contains(screen(m), "evil") {
		t.Fatal("the member with a hostile name disappeared instead of being cleaned")
	}
	// Her detail page too.
	typeText(t, m, "/")
	typeText(t, m, "evil")
	press(t, m, "enter", "enter")
	raw = m.View().Content
	if !strings.Contains(ansi.Strip(raw), "Why core") {
		t.Fatalf("detail not open:\n%s", ansi.Strip(raw))
	}
	if strings.Contains(raw, "]52;") || strings.Contains(raw, "\x07") || strings.Contains(raw, "\x1b[31m") || strings.Contains(raw, "\x1b[2J") {
		t.Fatalf("escape sequence in the detail view: %q", raw)
	}
}

func TestFilterNarrowsAsYouType(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 100, 30)
	press(t, m, "/")
	if !m.tabs[tabMembers].Capturing() {
		t.Fatal("/ does not start typing a filter")
	}
	counts := []int{}
	for _, r := range "zoë tan" {
		typeText(t, m, string(r))
		counts = append(counts, m.members.list.shown())
	}
	for i := 1; i < len(counts); i++ {
		if counts[i] > counts[i-1] {
			t.Fatalf("typing widened the result: %v", counts)
		}
	}
	if last := counts[len(counts)-1]; last == 0 || last >= 200 {
		t.Fatalf("zoë tan matches %d members", last)
	}
	for _, line := range strings.Split(screen(m), "\n")[3:] {
		if strings.HasPrefix(strings.TrimSpace(line), "Zoë") && !strings.Contains(line, "Tanaka") {
			t.Fatalf("a row that does not match: %q", line)
		}
	}
	// q and 2 are text while typing, not quit and tab switch.
	_, cmd := m.Update(keyMsg("q"))
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("q quit while typing a filter")
		}
	}
	if m.members.list.query != "zoë tanq" {
		t.Fatalf("query %q", m.members.list.query)
	}
	press(t, m, "backspace", "enter")
	if m.tabs[tabMembers].Capturing() || m.members.list.query != "zoë tan" {
		t.Fatalf("enter keeps the filter and stops typing: query %q", m.members.list.query)
	}
	press(t, m, "esc")
	if m.members.list.query != "" || m.members.list.shown() != 200 {
		t.Fatalf("esc clears the filter: %q, %d shown", m.members.list.query, m.members.list.shown())
	}
}

// TestFilterTypedBeforeTheDirectoryArrives: while only the first page of
// the directory is loaded, a filter is answered by the store over every
// member; the filter line never presents a count of the page as the
// answer, and the whole directory, when it arrives, takes over.
func TestFilterTypedBeforeTheDirectoryArrives(t *testing.T) {
	s := newFakeStore(1200)
	s.held = make(chan struct{}) // the whole directory is slow to come
	m := New(Options{Store: s, Theme: "dark", Now: func() time.Time { return testNow }})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(m.loadSummary()())
	_, next := m.Update(m.members.load(false)())
	if m.members.full || len(m.members.members) != firstPage {
		t.Fatalf("first page: %d members, full %v", len(m.members.members), m.members.full)
	}
	press(t, m, "/")
	if line := filterLine(t, m); !strings.Contains(line, "first 100 of 1,200 · loading") {
		t.Fatalf("an empty filter over the first page says %q", line)
	}
	typeText(t, m, "@user2")
	// One more key: the matches of the page show at once, the count waits
	// for the store.
	_, search := m.Update(keyMsg("9"))
	line := filterLine(t, m)
	if !strings.Contains(line, "searching all 1,200…") || strings.Contains(line, " of ") {
		t.Fatalf("while the search runs the filter line says %q", line)
	}
	if got := m.members.list.shown(); got != 1 || !strings.Contains(screen(m), "@user29") {
		t.Fatalf("the first page's match is not shown at once (%d rows)", got)
	}
	drive(t, m, search)
	// @user29 plus @user290..299, all beyond the first page.
	if line := filterLine(t, m); !strings.Contains(line, "11 of 1,200") || strings.Contains(line, "first") {
		t.Fatalf("after the search the filter line says %q", line)
	}
	if got := m.members.list.shown(); got != 11 || !strings.Contains(screen(m), "@user299") {
		t.Fatalf("search over all members shows %d rows, want 11 with @user299", got)
	}
	// More matches than a search shows: the line says so.
	press(t, m, "ctrl+u")
	typeText(t, m, "example.org")
	if line := filterLine(t, m); !strings.Contains(line, "1,200 of 1,200 · first 500 shown") {
		t.Fatalf("a broad search says %q", line)
	}
	if m.members.list.shown() != searchPage {
		t.Fatalf("%d rows shown, want %d", m.members.list.shown(), searchPage)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "@user29")
	// A search answered after the directory arrived is ignored.
	_, late := m.Update(keyMsg("backspace"))
	// Now the whole directory arrives (next loads it).
	close(s.held)
	drive(t, m, next)
	if !m.members.full || len(m.members.members) != 1200 {
		t.Fatalf("the whole directory did not load after the first page: %d", len(m.members.members))
	}
	drive(t, m, tea.Cmd(func() tea.Msg {
		return loadedMsg{Tab: tabMembers, Payload: memberSearchPayload{query: "@user2", total: 1}}
	}))
	drive(t, m, late)
	if line := filterLine(t, m); !strings.Contains(line, "111 of 1,200") {
		t.Fatalf("over the whole directory the filter line says %q", line)
	}
	if got := m.members.list.shown(); got != 111 {
		t.Fatalf("@user2 over all members shows %d, want 111", got)
	}
	// Typing now filters in memory: no more searches.
	before := s.searches.Load()
	typeText(t, m, "9")
	if s.searches.Load() != before || m.members.list.shown() != 11 {
		t.Fatalf("after the load: %d searches more, %d shown", s.searches.Load()-before, m.members.list.shown())
	}
}

// filterLine is the line of the screen that shows the filter.
func filterLine(t *testing.T, m *Model) string {
	t.Helper()
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "/ ") {
			return l
		}
	}
	t.Fatalf("no filter line on the screen:\n%s", screen(m))
	return ""
}

func TestKeysMoveSwitchAndQuit(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 80, 24)
	press(t, m, "j", "j", "down")
	if m.members.list.table.cursor != 3 {
		t.Fatalf("cursor %d after three downs", m.members.list.table.cursor)
	}
	press(t, m, "k")
	if m.members.list.table.cursor != 2 {
		t.Fatalf("cursor %d after up", m.members.list.table.cursor)
	}
	press(t, m, "G")
	tb := &m.members.list.table
	if tb.cursor != 199 || tb.cursor < tb.offset || tb.cursor >= tb.offset+tb.height {
		t.Fatalf("G: cursor %d offset %d height %d", tb.cursor, tb.offset, tb.height)
	}
	if !strings.Contains(screen(m), "@user200") {
		t.Fatal("the last member is not on screen after G")
	}
	press(t, m, "g")
	if tb.cursor != 0 || tb.offset != 0 {
		t.Fatalf("g: cursor %d offset %d", tb.cursor, tb.offset)
	}
	press(t, m, "pgdown")
	if tb.cursor == 0 || tb.cursor >= tb.offset+tb.height {
		t.Fatalf("pgdown: cursor %d offset %d", tb.cursor, tb.offset)
	}
	for _, c := range []struct {
		key  string
		want tabID
	}{{"tab", tabFunnel}, {"tab", tabQuestions}, {"shift+tab", tabFunnel}, {"4", tabEvents}, {"tab", tabMembers}, {"3", tabQuestions}} {
		press(t, m, c.key)
		if m.active != c.want {
			t.Fatalf("after %s the active tab is %d, want %d", c.key, m.active, c.want)
		}
	}
	if !strings.Contains(screen(m), "How do I configure widget 1?") {
		t.Fatal("questions are not shown, oldest first")
	}
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q does nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q does not quit")
	}
}

func TestMouseSelectsTabsAndRows(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 100, 30)
	// "1 Members" is 11 cells with padding; the second tab starts after.
	_, cmd := m.Update(tea.MouseClickMsg{X: 13, Y: 0, Button: tea.MouseLeft})
	drive(t, m, cmd)
	if m.active != tabFunnel {
		t.Fatalf("click on the second tab: active %d", m.active)
	}
	press(t, m, "1")
	// Row 5 of the window: tab bar, header, then rows 0..3.
	m.Update(tea.MouseClickMsg{X: 10, Y: 5, Button: tea.MouseLeft})
	if got := m.members.list.table.cursor; got != 3 {
		t.Fatalf("click selected row %d, want 3", got)
	}
	_, cmd = m.Update(tea.MouseClickMsg{X: 10, Y: 5, Button: tea.MouseLeft})
	drive(t, m, cmd)
	if !m.members.detail.open {
		t.Fatal("a second click on the selected row does not open it")
	}
	press(t, m, "esc")
	m.Update(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	if m.members.list.table.offset != 3 {
		t.Fatalf("wheel scrolled to %d, want 3", m.members.list.table.offset)
	}
}

func TestDetailsShowWhatTheySay(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 100, 40)
	press(t, m, "enter")
	got := screen(m)
	for _, want := range []string{"Ada Lovelace", "Why participant", "Identities", "Recent activity", "Fix the bug", "Great reviewer.", "Ask about storage.", "speaker"} {
		if !strings.Contains(got, want) {
			t.Errorf("member detail lacks %q:\n%s", want, got)
		}
	}
	press(t, m, "esc")
	if m.members.detail.open {
		t.Fatal("esc does not close the detail")
	}
	press(t, m, "3", "enter")
	got = screen(m)
	for _, want := range []string{"How do I configure widget 1?", "github", "acme/widgets", "user5", "2026-04-16", "https://example.org/q/1", "waiting", "nobody", "I tried the docs.", "It did not work."} {
		if !strings.Contains(got, want) {
			t.Errorf("question detail lacks %q:\n%s", want, got)
		}
	}
	press(t, m, "esc", "4")
	got = screen(m)
	if strings.Index(got, "Upcoming") > strings.Index(got, "Past") || !strings.Contains(got, "closes 5d") {
		t.Fatalf("events: upcoming then past, open CFP closing soon highlighted:\n%s", got)
	}
	press(t, m, "enter")
	got = screen(m)
	for _, want := range []string{"Widgets meetup #3", "Ada: Widgets at scale  [confirmed]", "[ ] Book venue · Grace", "(overdue)", "[x] Order pizza", "EUR 120.50", "Total", "EUR 219.50", "Attendees     2"} {
		if !strings.Contains(got, want) {
			t.Errorf("event detail lacks %q:\n%s", want, got)
		}
	}
}

func TestFunnelShowsStagesAndConversion(t *testing.T) {
	m := newTestModel(t, newFakeStore(200), 100, 30)
	press(t, m, "2")
	got := screen(m)
	for _, want := range []string{"Participant", "200 reached  50 here", "↓ 75.0% became contributors", "↓ 66.7% became regulars", "↓ 50.0% became core", "Core", "New          12"} {
		if !strings.Contains(got, want) {
			t.Errorf("funnel lacks %q:\n%s", want, got)
		}
	}
	// Bars scale with the window.
	bar := func(s string) int {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "Participant") {
				return strings.Count(l, "█")
			}
		}
		return 0
	}
	narrow := bar(got)
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 30})
	if wide := bar(screen(m)); wide <= narrow {
		t.Fatalf("bar %d cells at 200 wide, %d at 100", wide, narrow)
	}
}

func TestEmptyDatabaseExplainsWhatToDo(t *testing.T) {
	m := newTestModel(t, &fakeStore{}, 80, 24)
	got := screen(m)
	for _, want := range []string{"hearth sync git PATH", "hearth sync github OWNER/REPO", "hearth --demo"} {
		if !strings.Contains(got, want) {
			t.Errorf("empty screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(strings.ToLower(got), "error") {
		t.Fatalf("an empty database is not an error:\n%s", got)
	}
	checkFits(t, m, 80, 24, "empty")
}

func TestLoadErrorShowsInTheStatusLine(t *testing.T) {
	s := newFakeStore(10)
	s.err = errors.New("read members: disk on fire")
	m := newTestModel(t, s, 80, 24)
	lines := strings.Split(screen(m), "\n")
	if status := lines[len(lines)-2]; !strings.Contains(status, "disk on fire") {
		t.Fatalf("status line %q does not show the error", status)
	}
}

func TestThemes(t *testing.T) {
	for _, name := range themes.Names() {
		m := New(Options{Store: newFakeStore(5), Theme: name, Now: func() time.Time { return testNow }})
		if m.c.Theme.Name != name {
			t.Fatalf("theme %s built %s", name, m.c.Theme.Name)
		}
	}
	m := New(Options{Store: newFakeStore(5), Now: func() time.Time { return testNow }})
	if !m.c.Theme.Auto {
		t.Fatal("the default theme is not adaptive")
	}
	m.Update(tea.BackgroundColorMsg{Color: ansi.White})
	if m.c.Theme.Dark || !m.c.Theme.Auto {
		t.Fatalf("a white background did not switch to light colours: %+v", m.c.Theme.Name)
	}
	m.Update(tea.BackgroundColorMsg{Color: ansi.Black})
	if !m.c.Theme.Dark {
		t.Fatal("a black background did not switch to dark colours")
	}
	d := New(Options{Store: newFakeStore(5), Theme: "light"})
	d.Update(tea.BackgroundColorMsg{Color: ansi.Black})
	if d.c.Theme.Name != "light" {
		t.Fatal("an explicit theme was overridden by the terminal background")
	}
}

func TestStaleDetailIsIgnored(t *testing.T) {
	m := newTestModel(t, newFakeStore(20), 80, 24)
	_, cmd := m.Update(keyMsg("enter"))
	press(t, m, "esc", "j")
	_, cmd2 := m.Update(keyMsg("enter"))
	m.Update(cmd()) // the first, abandoned request answers late
	if got := screen(m); !strings.Contains(got, "Loading") {
		t.Fatalf("a stale answer replaced the pending detail:\n%s", got)
	}
	m.Update(cmd2())
	if got := screen(m); !strings.Contains(got, "Grace Hopper") {
		t.Fatalf("the detail of the selected member:\n%s", got)
	}
}
