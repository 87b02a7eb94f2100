package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// list is a filterable virtual table, shared by the Members, Questions and
// Events tabs: `/` starts typing a filter that narrows the rows on every
// keystroke, enter stops typing and keeps it, esc clears it.
type list struct {
	c      *Context
	table  vtable
	filter *model.Filter
	n      int     // rows in the data
	all    []int32 // 0..n-1, built once per data set
	query  string
	typing bool
	// note, when set, replaces the count of the filter line: the rows are
	// not the whole data set, so counting them would not be the answer.
	note string
	// arrange, when set, turns the matching rows (nil: all) into the rows
	// shown, e.g. adding section headings.
	arrange func(match []int32) []int32
	width   int
	height  int
}

func newList(c *Context, cols []column) list {
	return list{c: c, table: newTable(cols)}
}

// setData installs new rows and their filter, applying the current query.
func (l *list) setData(n int, f *model.Filter) {
	l.n, l.filter = n, f
	l.all = l.c.Directory.rowNumbers(n) // shared by a server's programs (shared.go)
	l.apply()
}

// apply recomputes the rows shown from the query.
func (l *list) apply() {
	var match []int32
	if l.filter != nil && strings.TrimSpace(l.query) != "" {
		match = l.filter.Match(l.query)
		if match == nil {
			match = []int32{}
		}
	}
	if l.arrange != nil {
		l.table.setRows(l.arrange(match))
		return
	}
	if match == nil {
		l.table.setRows(l.all)
	} else {
		l.table.setRows(match)
	}
}

// shown counts the data rows (not headings) on screen after filtering.
func (l *list) shown() int {
	n := 0
	for _, r := range l.table.rows {
		if r >= 0 {
			n++
		}
	}
	return n
}

func (l *list) filtering() bool { return l.typing || l.query != "" }

func (l *list) setSize(w, h int) {
	l.width, l.height = w, h
	th := h
	if l.filtering() {
		th--
	}
	l.table.setSize(w, th)
}

// update handles a key or mouse message; open reports that enter asked to
// open the selected row.
func (l *list) update(msg tea.Msg) (open bool) {
	k := &l.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if l.typing {
			switch {
			case key.Matches(msg, k.Erase):
				l.setQuery("", false)
				return false
			case key.Matches(msg, k.Accept):
				l.typing = false
				if l.query == "" {
					l.setSize(l.width, l.height)
				}
				return false
			case msg.String() == "backspace":
				if l.query != "" {
					_, size := utf8.DecodeLastRuneInString(l.query)
					l.setQuery(l.query[:len(l.query)-size], true)
				}
				return false
			case msg.String() == "ctrl+w":
				q := strings.TrimRight(l.query, " ")
				if i := strings.LastIndex(q, " "); i >= 0 {
					l.setQuery(q[:i+1], true)
				} else {
					l.setQuery("", true)
				}
				return false
			case msg.String() == "ctrl+u":
				l.setQuery("", true)
				return false
			case msg.Text != "" && msg.Mod&^tea.ModShift == 0:
				l.setQuery(l.query+model.CleanLine(msg.Text), true)
				return false
			}
		}
		switch {
		case key.Matches(msg, k.Up):
			l.table.moveBy(-1)
		case key.Matches(msg, k.Down):
			l.table.moveBy(1)
		case key.Matches(msg, k.Top):
			l.table.top()
		case key.Matches(msg, k.Bottom):
			l.table.bottom()
		case key.Matches(msg, k.PageUp):
			l.table.pageUp()
		case key.Matches(msg, k.PageDown):
			l.table.pageDown()
		case key.Matches(msg, k.Filter):
			l.typing = true
			l.setSize(l.width, l.height)
		case key.Matches(msg, k.Clear) && l.query != "":
			l.setQuery("", false)
		case key.Matches(msg, k.Open):
			_, ok := l.table.selected()
			return ok
		}
	case tea.MouseClickMsg:
		y := msg.Y
		if l.filtering() {
			y--
		}
		if msg.Button == tea.MouseLeft {
			_, again := l.table.click(y)
			return again
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.table.scroll(-3)
		case tea.MouseWheelDown:
			l.table.scroll(3)
		}
	}
	return false
}

func (l *list) setQuery(q string, typing bool) {
	wasFiltering := l.filtering()
	l.query, l.typing = q, typing
	if wasFiltering != l.filtering() {
		l.setSize(l.width, l.height)
	}
	l.table.cursor, l.table.offset = 0, 0
	l.apply()
}

// view renders the filter line (when filtering) and the table.
func (l *list) view(fill func(row int32, cells []cell), heading func(row int32) string) string {
	st := &l.c.Styles
	tbl := l.table.view(st, fill, heading)
	if !l.filtering() {
		return tbl
	}
	cursor := ""
	if l.typing {
		cursor = "▏"
	}
	count := fmt.Sprintf("  %s of %s", model.Thousands(l.shown()), model.Thousands(l.n))
	if l.note != "" {
		count = "  " + l.note
	}
	count = st.Muted.Render(count)
	return st.FilterKey.Render("/ ") + l.query + cursor + count + "\n" + tbl
}

// listHelp is the help of a list in its current state.
func (l *list) shortHelp(open string) []key.Binding {
	k := l.c.Keys
	if l.typing {
		return []key.Binding{k.Accept, k.Erase, k.Arrows, k.DeleteWord, k.Interrupt}
	}
	o := k.Open
	o.SetHelp("enter", open)
	b := []key.Binding{k.Up, k.Down, k.Filter, o}
	if l.query != "" {
		b = append(b, k.Clear)
	}
	return b
}

func (l *list) fullHelp(open string) [][]key.Binding {
	k := l.c.Keys
	if l.typing {
		return [][]key.Binding{{k.Accept, k.Erase, k.Arrows}, {k.DeleteWord, k.EraseAll, k.Interrupt}}
	}
	o := k.Open
	o.SetHelp("enter", open)
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.PageUp, k.PageDown},
		{k.Filter, k.Clear, o},
	}
}
