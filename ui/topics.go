package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// The Topics view: each topic with how many active experts it has, the
// topics with one or none flagged, since those are where a question goes
// unanswered and a departure hurts. It is the lookup's first screen (w
// with no query, or T); enter on a topic asks who knows it.

// topicsMsg carries the topics of the store.
type topicsMsg struct {
	stats []store.TopicStat
	err   error
}

type topicsView struct {
	c       *Context
	mapped  model.TopicMap // the config's topics; nil: labels and top-level directories
	stats   []store.TopicStat
	loading bool
	err     error
}

// load reads the topics in a command.
func (v *topicsView) load(es expertStore) tea.Cmd {
	v.loading = true
	ctx, now, mapped := v.c.Ctx, v.c.Now(), v.mapped
	return func() tea.Msg {
		stats, err := es.Topics(ctx, mapped, now, model.DefaultRules())
		return topicsMsg{stats: stats, err: err}
	}
}

func (v *topicsView) loaded(msg topicsMsg) {
	v.loading, v.stats, v.err = false, msg.stats, msg.err
}

// topicThin is how few active experts flag a topic.
const topicThin = 1

// room is how many lines the Topics view has in the lookup: the window
// less the tab bar, status line and footer (as lookup.height counts
// them), less the query line and the blank line under it.
func (v *topicsView) room() int { return v.c.Height - 3 - 2 }

// scrollStart is the first of n rows to show in room lines so that row
// at is on screen. Once the cursor passes the bottom the rows jump a
// third of a screen ahead, so the next few are in view too; the same
// rule as the lookup's list of people, and like it stateless, so the
// view follows the cursor wherever the keys moved it.
func scrollStart(at, n, room int) int {
	if room < 1 || at < room {
		return 0
	}
	start := at - room + 1 + min(n-at-1, room/3)
	return max(min(start, n-room), 0)
}

// lines renders the topics, fewest experts first; cursor marks a row when
// the list has the focus. The headings stay; the rows scroll to keep the
// cursor's topic on screen.
func (v *topicsView) lines(cursor int, focused bool) []string {
	st := &v.c.Styles
	w := v.c.Width
	switch {
	case v.loading:
		return []string{st.Muted.Render("  Loading topics…")}
	case v.err != nil:
		return []string{st.Error.Render(cut("  error: "+model.CleanLine(v.err.Error()), w))}
	case len(v.stats) == 0:
		return []string{st.Muted.Render("  No topics yet: they come from labels, categories and top-level directories.")}
	}
	thin := 0
	for _, s := range v.stats {
		if s.Active <= topicThin {
			thin++
		}
	}
	head := fmt.Sprintf("Topics · %d, %d with one active expert or none", len(v.stats), thin)
	lines := []string{st.Heading.Render(cut(head, w)), st.Header.Render(fitCell(fmt.Sprintf("  %-24s %7s  %s", "TOPIC", "ACTIVE", "EXPERTS"), w))}
	rows := max(v.room()-len(lines), 1)
	start := scrollStart(cursor, len(v.stats), rows)
	end := min(start+rows, len(v.stats))
	for i := start; i < end; i++ {
		s := v.stats[i]
		mark := "  "
		if s.Active <= topicThin {
			mark = "! "
		}
		names := model.CleanLine(strings.Join(s.Experts, ", "))
		if s.Active > len(s.Experts) {
			names += fmt.Sprintf(" +%d", s.Active-len(s.Experts))
		}
		row := fmt.Sprintf("%s%-24s %7d  %s", mark, fitCell(model.CleanLine(s.Name), 24), s.Active, names)
		switch {
		case i == cursor && focused:
			row = st.Selected.Render(fitCell(row, w))
		case s.Active <= topicThin:
			row = st.Warn.Render(cut(row, w))
		default:
			row = cut(row, w)
		}
		lines = append(lines, row)
	}
	return lines
}
