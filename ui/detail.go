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
	build   func(w int) page
	lines   []string
	links   []pageLink
	offset  int
	width   int
	height  int
}

func (d *detail) show(build func(w int) page) {
	d.open, d.loading, d.err, d.build, d.offset = true, false, nil, build, 0
	d.relayout()
}

func (d *detail) startLoading() {
	d.open, d.loading, d.err, d.build, d.lines, d.links, d.offset = true, true, nil, nil, nil, nil, 0
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
		p := d.build(d.width)
		d.lines, d.links = p.lines, p.links
	}
	d.offset = max(min(d.offset, len(d.lines)-d.height), 0)
}

// update scrolls and copies links; back reports that the user asked to
// leave the detail.
func (d *detail) update(msg tea.Msg) (back bool, cmd tea.Cmd) {
	k := &d.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			return true, nil
		case key.Matches(msg, k.CopyLink) && !d.loading && d.err == nil:
			return false, d.copyLink()
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
			return true, nil
		}
	}
	return false, nil
}

// currentLink is the link the copy key takes: the first one in view, else
// the nearest above the view, else the first on the page.
func (d *detail) currentLink() (pageLink, bool) {
	if len(d.links) == 0 {
		return pageLink{}, false
	}
	above := -1
	for i, l := range d.links {
		if l.line >= d.offset && l.line < d.offset+d.height {
			return l, true
		}
		if l.line < d.offset {
			above = i
		}
	}
	if above >= 0 {
		return d.links[above], true
	}
	return d.links[0], true
}

// copyLink puts the current link on the clipboard with OSC 52, which
// works over SSH too, and says so in the status line.
func (d *detail) copyLink() tea.Cmd {
	l, ok := d.currentLink()
	if !ok {
		return notify("no link on this page")
	}
	return tea.Batch(tea.SetClipboard(l.url), notify("copied "+shortenURL(l.url, max(d.width-9, 20))))
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
	b := []key.Binding{k.Up, k.Down, k.Back}
	if len(d.links) > 0 {
		b = append(b, k.CopyLink)
	}
	return b
}

func (d *detail) fullHelp() [][]key.Binding {
	k := d.c.Keys
	g := [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.PageUp, k.PageDown, k.Back}}
	if len(d.links) > 0 {
		g[1] = append(g[1], k.CopyLink)
	}
	return g
}

// page helps tabs build detail pages: headings, "label: value" lines and
// wrapped paragraphs, every piece of data cleaned before it is styled.
type page struct {
	c     *Context
	w     int
	lines []string
	links []pageLink
}

// pageLink is a link shown on line of a page; url is safe (see safeURL).
type pageLink struct {
	line int
	url  string
}

// labelWidth is the width of the labels of fields.
const labelWidth = 14

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
	p.lines = append(p.lines, p.c.Styles.Label.Render(fitCell(label, labelWidth))+cut(value, p.w-labelWidth))
}

// linkField adds "label  URL" for an untrusted URL: shortened in the middle
// to fit, clickable where the terminal supports OSC 8, and copyable.
func (p *page) linkField(label, raw string) {
	p.addLink(p.c.Styles.Label.Render(fitCell(label, labelWidth)), labelWidth, raw)
}

// linkLine adds an untrusted URL on a line of its own, indented.
func (p *page) linkLine(indent int, raw string) {
	p.addLink(strings.Repeat(" ", indent), indent, raw)
}

func (p *page) addLink(prefix string, prefixWidth int, raw string) {
	u, linkable := safeURL(raw)
	if u == "" {
		return
	}
	text := p.c.Styles.Link.Render(shortenURL(u, max(p.w-prefixWidth, 10)))
	if linkable {
		text = hyperlink(u, text)
	}
	p.links = append(p.links, pageLink{line: len(p.lines), url: u})
	p.lines = append(p.lines, prefix+text)
}

// line adds one clean line, cut to the width with an ellipsis.
func (p *page) line(s string) {
	if ansi.StringWidth(s) > p.w {
		s = ansi.Truncate(s, p.w, ellipsis)
	}
	p.lines = append(p.lines, s)
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
