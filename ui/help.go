package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The footer's help is laid out here rather than by the help bubble, which
// cuts whatever does not fit at the end: quit and help are last, so they
// were the first to go.

// helpPriority orders short help entries for dropping when the line is too
// narrow: lower goes first, and essential entries never go.
type helpPriority int

const (
	helpObvious   helpPriority = iota // arrow keys: everyone tries them
	helpUseful                        // switching tabs
	helpTab                           // what the tab offers
	helpEssential                     // leave, get more help, end typing
)

// helpEntry is one key of the short help with its priority.
type helpEntry struct {
	b    key.Binding
	prio helpPriority
}

// shortHelpLine renders entries on one line of at most w cells, dropping
// the lowest-priority entries (the later one first among equals; the
// obvious ones all at once, so up never stays without down) until the
// rest fits. Essential entries stay even if the line must be cut.
func shortHelpLine(st help.Styles, entries []helpEntry, w int) string {
	sep := st.ShortSeparator.Render(" • ")
	render := func(es []helpEntry) string {
		var b strings.Builder
		for i, e := range es {
			if i > 0 {
				b.WriteString(sep)
			}
			h := e.b.Help()
			b.WriteString(st.ShortKey.Render(h.Key) + " " + st.ShortDesc.Render(h.Desc))
		}
		return b.String()
	}
	es := make([]helpEntry, 0, len(entries))
	for _, e := range entries {
		if e.b.Enabled() && e.b.Help().Key != "" {
			es = append(es, e)
		}
	}
	for {
		line := render(es)
		if lipgloss.Width(line) <= w {
			return line
		}
		drop := -1
		for i, e := range es {
			if e.prio < helpEssential && (drop < 0 || e.prio <= es[drop].prio) {
				drop = i
			}
		}
		if drop < 0 {
			return cut(line, w)
		}
		if es[drop].prio == helpObvious {
			es = slices.DeleteFunc(es, func(e helpEntry) bool { return e.prio == helpObvious })
			continue
		}
		es = slices.Delete(es, drop, drop+1)
	}
}

// fullHelpView lays the groups of keys out in columns no taller than they
// need to be to fit in w cells: groups flow down a column and a group that
// does not fit in what is left of one starts the next, split if it is
// taller than a whole column. The smallest height that fits wins, so a
// narrow window gets more rows instead of losing keys.
func fullHelpView(st help.Styles, groups [][]key.Binding, w int) string {
	var all [][]key.Binding
	total := 0
	for _, g := range groups {
		var kept []key.Binding
		for _, b := range g {
			if b.Enabled() && b.Help().Key != "" {
				kept = append(kept, b)
			}
		}
		if len(kept) > 0 {
			all = append(all, kept)
			total += len(kept)
		}
	}
	if total == 0 {
		return ""
	}
	const gap = 4
	var best []string
	for h := 1; h <= total; h++ {
		cols := flowColumns(all, h)
		blocks := make([]string, len(cols))
		width := 0
		for i, c := range cols {
			blocks[i] = helpColumn(st, c)
			width += lipgloss.Width(blocks[i])
		}
		width += gap * (len(cols) - 1)
		best = blocks
		if width <= w {
			break
		}
	}
	sep := st.FullSeparator.Render(strings.Repeat(" ", gap))
	parts := make([]string, 0, 2*len(best))
	for i, b := range best {
		if i > 0 {
			parts = append(parts, sep)
		}
		parts = append(parts, b)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, parts...)
}

// flowColumns fills columns of at most h keys with the groups in order.
func flowColumns(groups [][]key.Binding, h int) [][]key.Binding {
	var cols [][]key.Binding
	var cur []key.Binding
	for _, g := range groups {
		if len(cur) > 0 && len(cur)+len(g) > h {
			cols = append(cols, cur)
			cur = nil
		}
		for len(g) > 0 {
			n := min(h-len(cur), len(g))
			cur = append(cur, g[:n]...)
			g = g[n:]
			if len(cur) == h {
				cols = append(cols, cur)
				cur = nil
			}
		}
	}
	if len(cur) > 0 {
		cols = append(cols, cur)
	}
	return cols
}

// helpColumn renders keys above each other: keys left, aligned, then what
// they do.
func helpColumn(st help.Styles, bs []key.Binding) string {
	kw := 0
	for _, b := range bs {
		kw = max(kw, lipgloss.Width(b.Help().Key))
	}
	lines := make([]string, len(bs))
	for i, b := range bs {
		h := b.Help()
		lines[i] = st.FullKey.Render(fitCell(h.Key, kw)) + " " + st.FullDesc.Render(h.Desc)
	}
	return strings.Join(lines, "\n")
}
