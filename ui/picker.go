package ui

import (
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// pickerList chooses a member: a list of the directory that filters as
// the user types. The triage's assign (triage.go) and the Members tab's
// merge (members_edit.go) open one; it reuses the directory the Members
// tab loaded when it has, else loads its own.
type pickerList struct {
	list    list
	members []model.Member
	loading bool
	err     error
	seq     int // tells its own directory load from an older picker's
}

// pickerPayload is the directory a picker loaded for itself.
type pickerPayload struct {
	seq     int
	members []model.Member
	filter  *model.Filter
}

var pickerColumns = []column{
	{title: "Name", min: 14, max: 30, weight: 3},
	{title: "Handles", min: 10, max: 28, weight: 2, drop: 1},
	{title: "Organisation", min: 12, max: 24, weight: 1, drop: 2},
}

// newPickerList is a picker numbered seq, typing from the start.
func newPickerList(c *Context, seq int) pickerList {
	p := pickerList{list: newList(c, pickerColumns), seq: seq}
	p.list.typing = true
	return p
}

// start fills the picker with the directory, when directory (the Members
// tab's) has it, else returns the command that loads it for tab.
func (p *pickerList) start(c *Context, tab tabID, directory func() ([]model.Member, *model.Filter, bool)) tea.Cmd {
	if directory != nil {
		if ms, f, ok := directory(); ok {
			p.members = ms
			p.list.setData(len(ms), f)
			return nil
		}
	}
	p.loading = true
	st, ctx, seq := c.Store, c.Ctx, p.seq
	return func() tea.Msg {
		ms, err := st.Members(ctx)
		if err != nil {
			return loadedMsg{Tab: tab, Err: err, Payload: pickerPayload{seq: seq}}
		}
		return loadedMsg{Tab: tab, Payload: pickerPayload{seq: seq, members: ms, filter: memberFilter(ms, nil)}}
	}
}

// loaded takes the directory the picker asked for; one that arrives for
// an older picker is dropped.
func (p *pickerList) loaded(pl pickerPayload, err error) {
	if p.seq != pl.seq {
		return
	}
	p.loading, p.err = false, err
	if err == nil {
		p.members = pl.members
		p.list.setData(len(pl.members), pl.filter)
	}
}

// update handles a message for the list: typing filters, arrows move. It
// reports whether the user chose the row under the cursor (enter, or a
// click).
func (p *pickerList) update(msg tea.Msg) bool {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		p.list.typing = true // enter never ends the typing here: it picks
	}
	return p.list.update(msg)
}

// selected is the member under the cursor.
func (p *pickerList) selected() (*model.Member, bool) {
	r, ok := p.list.table.selected()
	if !ok || int(r) >= len(p.members) {
		return nil, false
	}
	return &p.members[r], true
}

// view is the picker under a heading line (already styled and cut).
func (p *pickerList) view(c *Context, head string, width int) string {
	st := &c.Styles
	var body string
	switch {
	case p.err != nil:
		body = st.Error.Render(cut("Could not load the members: "+p.err.Error(), width))
	case p.loading:
		body = st.Muted.Render("Loading members…")
	default:
		now := c.Now()
		body = p.list.view(func(r int32, cells []cell) {
			m := &p.members[r]
			for i := range cells {
				cells[i].text = memberText(m, i, now) // the columns are the members table's first three
			}
		}, nil)
	}
	return head + "\n" + body
}
