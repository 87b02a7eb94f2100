package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// The "Who knows…" lookup: w on any tab opens it over the tab. Typing a
// topic, a label or a path and pressing enter ranks the people who know
// it, each with the evidence; enter on a person opens their detail in
// Members. With no query it shows the Topics view (topics.go), which T
// opens directly.

// expertStore is what the lookup, the member areas and the question
// suggestions read; *store.Store has it. A store without it (the tests'
// fake) leaves those parts out.
type expertStore interface {
	WhoKnows(ctx context.Context, q store.WhoQuery, now time.Time, rules model.Rules) ([]store.Expert, error)
	ExpertNames(ctx context.Context) ([]string, error)
	MemberAreas(ctx context.Context, member int64, now time.Time, n int) ([]model.ExpertArea, error)
	Topics(ctx context.Context, topics model.TopicMap, now time.Time, rules model.Rules) ([]store.TopicStat, error)
	SuggestAnswerers(ctx context.Context, questionID int64, now time.Time, rules model.Rules, n int) ([]store.Expert, error)
}

// whoLimit is how many people a lookup lists.
const whoLimit = 15

// whoResultMsg is a lookup's answer; seq tells a stale one.
type whoResultMsg struct {
	seq     int
	query   string
	experts []store.Expert
	hint    string
	err     error
}

// lookup is the state of the open "Who knows…" view.
type lookup struct {
	c      *Context
	es     expertStore
	in     lineInput
	typing bool
	mapped model.TopicMap // the config's topics
	seq    int            // of the last query asked

	query   string // the query the results answer; "" shows the topics
	experts []store.Expert
	hint    string
	loading bool
	err     error
	cursor  int

	topics topicsView
}

// openLookup opens the lookup, typing a query, or on the Topics view.
func (m *Model) openLookup(topics bool) tea.Cmd {
	es, ok := m.c.Store.(expertStore)
	if !ok {
		return notify("who knows what is not available for this database")
	}
	m.lookup = &lookup{c: m.c, es: es, typing: !topics, mapped: m.topics, topics: topicsView{c: m.c, mapped: m.topics}}
	return m.lookup.topics.load(es)
}

// lookupUpdate handles msg while the lookup is open; done is false for
// what the root must still see (window size, ticks, other results).
func (m *Model) lookupUpdate(msg tea.Msg) (cmd tea.Cmd, done bool) {
	l := m.lookup
	switch msg := msg.(type) {
	case whoResultMsg:
		if msg.seq == l.seq {
			l.loading, l.experts, l.hint, l.err, l.cursor = false, msg.experts, msg.hint, msg.err, 0
		}
		return nil, true
	case topicsMsg:
		l.topics.loaded(msg)
		return nil, true
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return nil, false
		}
		id, open, cmd := l.key(msg)
		if l.closed() {
			m.lookup = nil
		}
		if open {
			m.lookup = nil
			return m.openMember(id), true
		}
		return cmd, true
	}
	return nil, false
}

// openMember shows a member's detail on the Members tab.
func (m *Model) openMember(id int64) tea.Cmd {
	cmd := m.switchTo(tabMembers)
	m.members.open(id)
	return tea.Batch(cmd, m.members.loadDetail(id))
}

// closed is set by esc on the lookup's first screen.
func (l *lookup) closed() bool { return l.es == nil }

// key handles a key; it returns the member to open, if one was chosen.
func (l *lookup) key(msg tea.KeyPressMsg) (member int64, open bool, cmd tea.Cmd) {
	k := &l.c.Keys
	n := len(l.experts)
	if l.query == "" {
		n = len(l.topics.stats)
	}
	switch {
	case msg.String() == "esc":
		switch {
		case l.typing && l.in.value != "":
			l.in.value = ""
		case l.typing && l.query != "":
			l.typing = false
		case l.query != "":
			l.query, l.experts, l.hint, l.err, l.cursor = "", nil, "", nil, 0
		default:
			l.es = nil // closes
		}
		return 0, false, nil
	case msg.String() == "enter":
		if l.typing {
			l.typing = false
			return 0, false, l.ask(l.in.value)
		}
		if l.query == "" {
			if l.cursor < len(l.topics.stats) {
				name := l.topics.stats[l.cursor].Name
				l.in.value = name
				return 0, false, l.ask(name)
			}
			return 0, false, nil
		}
		if l.cursor < len(l.experts) {
			return l.experts[l.cursor].ID, true, nil
		}
		return 0, false, nil
	case key.Matches(msg, k.Arrows) || !l.typing && (key.Matches(msg, k.Up) || key.Matches(msg, k.Down)):
		if key.Matches(msg, k.Up) {
			l.cursor = max(l.cursor-1, 0)
		} else {
			l.cursor = min(l.cursor+1, max(n-1, 0))
		}
		return 0, false, nil
	}
	if l.typing {
		l.in.update(msg)
		return 0, false, nil
	}
	if msg.String() == "/" || msg.String() == "w" {
		l.typing = true
	}
	return 0, false, nil
}

// ask runs a query in a command.
func (l *lookup) ask(text string) tea.Cmd {
	words, paths := model.QueryWords([]string{text})
	if len(words) == 0 && len(paths) == 0 {
		l.query, l.experts, l.hint = "", nil, ""
		if strings.TrimSpace(text) != "" {
			return notify("type a topic, a label or a path")
		}
		return nil
	}
	l.seq++
	l.query, l.loading, l.cursor = model.CleanLine(text), true, 0
	es, ctx, now, seq, query := l.es, l.c.Ctx, l.c.Now(), l.seq, l.query
	expanded, words := l.mapped.Expand(words)
	paths = append(paths, expanded...)
	return func() tea.Msg {
		q := store.WhoQuery{Words: words, Paths: paths, Limit: whoLimit}
		experts, err := es.WhoKnows(ctx, q, now, model.DefaultRules())
		msg := whoResultMsg{seq: seq, query: query, experts: experts, err: err}
		if err == nil && len(experts) == 0 {
			names, _ := es.ExpertNames(ctx)
			var close []string
			for _, w := range append(words, paths...) {
				close = append(close, model.Closest(strings.Trim(w, "/"), names, 4)...)
			}
			if len(close) > 0 {
				msg.hint = "closest topics: " + strings.Join(close, ", ")
			}
		}
		return msg
	}
}

// View renders the lookup: the query line, then the people or the topics.
func (l *lookup) View() string {
	st := &l.c.Styles
	w := l.c.Width
	prompt := st.Heading.Render("Who knows… ")
	if l.typing {
		prompt += l.in.view()
	} else {
		prompt += model.CleanLine(l.in.value)
	}
	lines := []string{cut(prompt, w), ""}
	switch {
	case l.query == "":
		lines = append(lines, l.topics.lines(l.cursor, !l.typing)...)
	case l.loading:
		lines = append(lines, st.Muted.Render("  Looking…"))
	case l.err != nil:
		lines = append(lines, st.Error.Render(cut("  error: "+model.CleanLine(l.err.Error()), w)))
	case len(l.experts) == 0:
		lines = append(lines, st.Muted.Render(cut("  Nobody found for "+l.query+".", w)))
		if l.hint != "" {
			lines = append(lines, cut("  "+model.CleanLine(l.hint), w))
		}
	default:
		people, at := l.expertLines()
		// Keep the cursor's person on screen: the list scrolls under the
		// query line once the cursor passes the bottom.
		room := max(l.height()-len(lines), 1)
		if at >= room {
			people = people[at-room+1+min(len(people)-at-1, room/3):]
		}
		lines = append(lines, people...)
	}
	return strings.Join(lines, "\n")
}

// height is the room the lookup has: the window less the tab bar, the
// status line and the footer.
func (l *lookup) height() int { return max(l.c.Height-3, 1) }

// expertLines lists the people: name, marks and handle, then the
// evidence indented, the cursor's person highlighted; at is the line of
// the cursor's person.
func (l *lookup) expertLines() (lines []string, at int) {
	st := &l.c.Styles
	w := l.c.Width
	for i, e := range l.experts {
		name := model.CleanLine(e.Name)
		var marks []string
		if e.Lapsed {
			marks = append(marks, "lapsed")
		}
		marks = append(marks, cleanAll(e.Flags)...)
		head := fmt.Sprintf("%2d. %s", i+1, name)
		if len(e.Handles) > 0 && !l.c.Private {
			head += "  " + model.CleanLine(e.Handles[0])
		}
		if len(marks) > 0 {
			head += "  [" + strings.Join(marks, ", ") + "]"
		}
		head = cut(head, w)
		if i == l.cursor {
			at = len(lines)
			if !l.typing {
				head = st.Selected.Render(fitCell(head, w))
			}
		}
		lines = append(lines, head)
		for _, ev := range e.Evidence {
			lines = append(lines, st.Muted.Render(cut("      "+model.CleanLine(ev), w)))
		}
	}
	return lines, at
}

func cleanAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = model.CleanLine(x)
	}
	return out
}

// help is the lookup's footer.
func (l *lookup) help() []key.Binding {
	k := l.c.Keys
	if l.typing {
		ask := k.Accept
		ask.SetHelp("enter", "ask")
		back := k.Erase
		back.SetHelp("esc", "clear/back")
		return []key.Binding{ask, back, k.Arrows}
	}
	open := k.Open
	if l.query == "" {
		open.SetHelp("enter", "who knows this topic")
	} else {
		open.SetHelp("enter", "open person")
	}
	back := k.Back
	back.SetHelp("esc", "back")
	return []key.Binding{k.Up, k.Down, open, key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "new query")), back}
}

// lookupHelp is the footer line of the lookup: its keys are all essential.
func lookupHelp(bs []key.Binding) []helpEntry {
	es := make([]helpEntry, len(bs))
	for i, b := range bs {
		es[i] = helpEntry{b, helpEssential}
	}
	return es
}
