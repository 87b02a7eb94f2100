package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// detail is a scrolling page of text about one row. Its lines are built by
// the tab for a width, so text re-wraps when the window is resized.
type detail struct {
	c       *Context
	open    bool
	loading bool
	err     error
	build   func(w int) []string
	lines   []string
	offset  int
	width   int
	height  int
}

func (d *detail) show(build func(w int) []string) {
	d.open, d.loading, d.err, d.build, d.offset = true, false, nil, build, 0
	d.relayout()
}

func (d *detail) startLoading() {
	d.open, d.loading, d.err, d.build, d.lines, d.offset = true, true, nil, nil, nil, 0
}

func (d *detail) fail(err error) {
	d.loading, d.err = false, err
}

func (d *detail) close() {
	*d = detail{c: d.c, width: d.width, height: d.height}
}

func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
	d.relayout()
}

func (d *detail) relayout() {
	if d.build != nil && d.width > 0 {
		d.lines = d.build(d.width)
	}
	d.offset = max(min(d.offset, len(d.lines)-d.height), 0)
}

// update scrolls; back reports that the user asked to leave the detail.
func (d *detail) update(msg tea.Msg) (back bool) {
	k := &d.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			return true
		case key.Matches(msg, k.Up):
			d.scroll(-1)
		case key.Matches(msg, k.Down):
			d.scroll(1)
		case key.Matches(msg, k.PageUp):
			d.scroll(-d.height + 1)
		case key.Matches(msg, k.PageDown):
			d.scroll(d.height - 1)
		case key.Matches(msg, k.Top):
			d.offset = 0
		case key.Matches(msg, k.Bottom):
			d.scroll(len(d.lines))
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			d.scroll(-3)
		case tea.MouseWheelDown:
			d.scroll(3)
		}
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseRight {
			return true
		}
	}
	return false
}

func (d *detail) scroll(n int) {
	d.offset = max(min(d.offset+n, len(d.lines)-d.height), 0)
}

func (d *detail) view() string {
	st := &d.c.Styles
	switch {
	case d.err != nil:
		return st.Error.Render(cut("Could not load: "+d.err.Error(), d.width)) + "\n" +
			st.Muted.Render("esc to go back")
	case d.loading:
		return st.Muted.Render("Loading…")
	}
	end := min(d.offset+d.height, len(d.lines))
	return strings.Join(d.lines[d.offset:end], "\n")
}

func (d *detail) shortHelp() []key.Binding {
	k := d.c.Keys
	return []key.Binding{k.Up, k.Down, k.Back}
}

func (d *detail) fullHelp() [][]key.Binding {
	k := d.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.PageUp, k.PageDown, k.Back}}
}

// page helps tabs build detail pages: headings, "label: value" lines and
// wrapped paragraphs, every piece of data cleaned before it is styled.
type page struct {
	c     *Context
	w     int
	lines []string
}

func (p *page) title(s string) {
	p.lines = append(p.lines, p.c.Styles.Title.Render(cut(s, p.w)))
}

func (p *page) heading(s string) {
	if len(p.lines) > 0 {
		p.lines = append(p.lines, "")
	}
	p.lines = append(p.lines, p.c.Styles.Heading.Render(cut(s, p.w)))
}

// field adds "label  value"; value must already be clean.
func (p *page) field(label, value string) {
	if value == "" {
		return
	}
	const lw = 14
	p.lines = append(p.lines, p.c.Styles.Label.Render(fitCell(label, lw))+cut(value, p.w-lw))
}

// line adds one clean line, cut to the width.
func (p *page) line(s string) {
	p.lines = append(p.lines, cut(s, p.w))
}

func (p *page) styled(s string) { p.lines = append(p.lines, s) }

// text adds a clean multi-line body, wrapped to the width.
func (p *page) text(s string) {
	if s == "" {
		return
	}
	for _, l := range strings.Split(ansi.Wrap(s, max(p.w-2, 10), " "), "\n") {
		p.lines = append(p.lines, cut("  "+l, p.w))
	}
}
