package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"hearth/model"
)

// The root model's rendering: tab bar, help footer, status line and the
// screen of an empty database. The state they read is changed only in
// Update (root.go).

// tabLabel is the text of a tab in the bar.
func (m *Model) tabLabel(i int) string {
	return fmt.Sprintf("%d %s", i+1, m.tabs[i].Title())
}

// tabAt finds the tab under column x of the tab bar.
func (m *Model) tabAt(x int) (tabID, bool) {
	pos := 0
	for i := range m.tabs {
		w := lipgloss.Width(m.tabLabel(i)) + 2 // padding of the tab styles
		if x >= pos && x < pos+w {
			return tabID(i), true
		}
		pos += w
	}
	return 0, false
}

// helpHeight is the footer's height in lines.
func (m *Model) helpHeight() int {
	if !m.showHelp {
		return 1
	}
	return max(lipgloss.Height(m.helpView()), 1)
}

// contentHeight is what is left for the tab: tab bar, status line and help
// take the rest.
func (m *Model) contentHeight() int {
	return max(m.c.Height-2-m.helpHeight(), 1)
}

func (m *Model) layout() {
	h := m.contentHeight()
	for _, t := range m.tabs {
		t.SetSize(m.c.Width, h)
	}
	if m.note != nil {
		m.note.setSize(m.c.Width, h)
	}
}

// shortHelp is the footer's one line: the active tab's keys, then the
// global ones. While a filter takes text, only its own keys apply.
func (m *Model) shortHelp() []helpEntry {
	k := &m.c.Keys
	if m.note != nil {
		var es []helpEntry
		for _, b := range m.note.help(k) {
			es = append(es, helpEntry{b, helpEssential})
		}
		return es
	}
	capturing := m.tabs[m.active].Capturing()
	var es []helpEntry
	for _, b := range m.tabs[m.active].ShortHelp() {
		p := helpTab
		switch {
		case sameKeys(b, k.Up), sameKeys(b, k.Down), sameKeys(b, k.Arrows):
			p = helpObvious
		case capturing && (sameKeys(b, k.Accept) || sameKeys(b, k.Erase)):
			p = helpEssential
		}
		es = append(es, helpEntry{b, p})
	}
	if capturing {
		return es
	}
	return append(es, helpEntry{k.NextTab, helpUseful}, helpEntry{k.Help, helpEssential}, helpEntry{k.Quit, helpEssential})
}

func (m *Model) fullHelp() [][]key.Binding {
	k := m.c.Keys
	if m.note != nil {
		return [][]key.Binding{m.note.help(&k)}
	}
	g := m.tabs[m.active].FullHelp()
	if m.tabs[m.active].Capturing() {
		return g
	}
	less := k.Help
	less.SetHelp("?", "fewer keys")
	last := []key.Binding{k.Sync, less, k.Quit}
	if m.c.Writer != nil {
		last = []key.Binding{k.Sync, k.Undo, less, k.Quit}
	}
	return append(g, []key.Binding{k.NextTab, k.PrevTab, k.Tabs}, last)
}

// sameKeys reports whether two bindings answer the same keys.
func sameKeys(a, b key.Binding) bool {
	ak, bk := a.Keys(), b.Keys()
	if len(ak) != len(bk) {
		return false
	}
	for i := range ak {
		if ak[i] != bk[i] {
			return false
		}
	}
	return true
}

// helpView renders the footer: one line, or every key with ?.
func (m *Model) helpView() string {
	if m.showHelp {
		return fullHelpView(m.c.Styles.Help, m.fullHelp(), m.c.Width)
	}
	return shortHelpLine(m.c.Styles.Help, m.shortHelp(), m.c.Width)
}

// View renders the whole window.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "hearth"
	return v
}

func (m *Model) render() string {
	w, h := m.c.Width, m.c.Height
	if w == 0 || h == 0 {
		return ""
	}
	if w < minWidth || h < minHeight {
		return cut(fmt.Sprintf("window too small: %d×%d, hearth needs %d×%d", w, h, minWidth, minHeight), w)
	}
	var b strings.Builder
	b.WriteString(m.tabBar())
	b.WriteByte('\n')
	ch := m.contentHeight()
	var content string
	switch {
	case m.note != nil:
		content = m.note.view(m.c, w)
	// The Events tab stays usable on an empty database when events can
	// be planned: the first one is made there.
	case m.summaryLoaded && m.summary.Empty() && (m.active != tabEvents || m.c.Writer == nil):
		content = m.emptyView()
	default:
		content = m.tabs[m.active].View()
	}
	b.WriteString(fitView(content, w, ch))
	b.WriteByte('\n')
	b.WriteString(m.statusLine())
	b.WriteByte('\n')
	b.WriteString(fitView(m.helpView(), w, m.helpHeight()))
	return b.String()
}

func (m *Model) tabBar() string {
	st := &m.c.Styles
	var b strings.Builder
	for i := range m.tabs {
		if tabID(i) == m.active {
			b.WriteString(st.TabActive.Render(m.tabLabel(i)))
		} else {
			b.WriteString(st.TabInactive.Render(m.tabLabel(i)))
		}
	}
	bar := b.String()
	brand := st.Muted.Render("hearth ")
	if pad := m.c.Width - lipgloss.Width(bar) - lipgloss.Width(brand); pad > 0 {
		bar += strings.Repeat(" ", pad) + brand
	}
	return cut(bar, m.c.Width)
}

func (m *Model) statusLine() string {
	st := &m.c.Styles
	w := m.c.Width
	lead := " "
	if m.loading() {
		lead = " " + m.spinner.View() + " "
	}
	if m.err != nil {
		msg := lead + "error: " + model.CleanLine(m.err.Error())
		return st.StatusError.Render(fitCell(msg, w))
	}
	if m.notice != "" {
		return st.Status.Render(fitCell(lead+m.notice, w))
	}
	if m.sync != nil {
		return st.Status.Render(fitCell(lead+m.sync.status(), w))
	}
	var parts []string
	if m.summaryLoaded {
		s := m.summary
		parts = append(parts,
			model.Plural(s.Members, "member", "members"),
			model.Plural(s.OpenQuestions, "unanswered", "unanswered"),
			model.Plural(s.Events, "event", "events"))
		switch {
		case s.Demo:
			parts = append(parts, "demo community")
		case s.LastSync.IsZero():
			parts = append(parts, "never synced")
		default:
			parts = append(parts, "last sync "+model.Ago(m.c.Now(), s.LastSync))
		}
	}
	// Who you are goes first, so that a narrow window keeps it; a
	// viewer's role already says read-only.
	if who := m.who(); who != "" {
		parts = append([]string{who}, parts...)
	}
	if m.c.ReadOnly && (m.c.User == "" || !m.c.Private) {
		parts = append(parts, "read-only")
	}
	// The facts go right, the database path left; the path yields first
	// when the window is narrow.
	right := strings.Join(parts, " · ") + " "
	left := lead + m.shortPath
	if gap := w - lipgloss.Width(left) - lipgloss.Width(right); gap >= 2 {
		return st.Status.Render(left + strings.Repeat(" ", gap) + right)
	}
	return st.Status.Render(fitCell(lead+right, w))
}

// who is the status line's "ana · manager" or "guest · viewer"; "" when
// the program has no user (the local view).
func (m *Model) who() string {
	if m.c.User == "" {
		return ""
	}
	role := "manager"
	if m.c.Private {
		role = "viewer"
	}
	return model.CleanLine(m.c.User) + " · " + role
}

// emptyView is what a new, empty database shows instead of empty tables.
func (m *Model) emptyView() string {
	st := &m.c.Styles
	lines := []string{
		"",
		st.Title.Render("  No community here yet."),
		"",
		"  Fill this database from your community's sources:",
		"",
		"    " + st.Heading.Render("hearth sync git PATH") + "            a local git repository",
		"    " + st.Heading.Render("hearth sync github OWNER/REPO") + "   issues, pull requests, discussions",
		"",
		"  or explore a generated demo community:",
		"",
		"    " + st.Heading.Render("hearth --demo"),
	}
	if m.syncFn != nil && !m.c.ReadOnly {
		lines = append(lines, "", "  Your config file lists sources: press "+st.Heading.Render("r")+" to sync them now.")
	}
	return strings.Join(lines, "\n")
}
