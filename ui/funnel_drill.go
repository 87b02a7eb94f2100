package ui

import (
	"cmp"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// funnelDrill lists the people behind one number of the overview, in the
// list of the Members tab: filterable with /, enter opens a member, esc
// goes back to the overview.
type funnelDrill struct {
	c *Context
	browser[int64]
	title   string
	members []model.Member
}

// open lists the people behind the selected number.
func (t *funnelTab) open() tea.Cmd {
	d, ok := t.selected()
	if !ok || t.health == nil || t.health.Doors == nil {
		return nil
	}
	var ids []int64
	for _, k := range d.keys {
		ids = append(ids, t.health.Doors.IDs[k]...)
	}
	ms := t.rowsFor(ids)
	if t.c.Private {
		ms = publicMembers(ms)
	}
	t.drill = newFunnelDrill(t.c, d.title, ms)
	t.drill.SetSize(t.width, t.height)
	return nil
}

// rowsFor returns the member rows of ids, in their order: the Members
// tab's rows once its directory has loaded (with handles and topics),
// else what the health figures know of each.
func (t *funnelTab) rowsFor(ids []int64) []model.Member {
	dir := t.directoryIndex()
	roster := t.health.Roster() // in id order, as the store read them
	out := make([]model.Member, 0, len(ids))
	for _, id := range ids {
		if m, ok := dir[id]; ok {
			out = append(out, *m)
			continue
		}
		if i, ok := slices.BinarySearchFunc(roster, id, func(m model.Member, id int64) int { return cmp.Compare(m.ID, id) }); ok {
			out = append(out, roster[i])
		}
	}
	return out
}

// directoryIndex maps member ids to the Members tab's rows, built once
// per directory.
func (t *funnelTab) directoryIndex() map[int64]*model.Member {
	if t.directory == nil {
		return nil
	}
	dir, _, ok := t.directory()
	if !ok || len(dir) == 0 {
		return nil
	}
	if t.dirIndex != nil && t.dirFirst == &dir[0] && len(t.dirIndex) == len(dir) {
		return t.dirIndex
	}
	t.dirIndex = make(map[int64]*model.Member, len(dir))
	for i := range dir {
		t.dirIndex[dir[i].ID] = &dir[i]
	}
	t.dirFirst = &dir[0]
	return t.dirIndex
}

func newFunnelDrill(c *Context, title string, ms []model.Member) *funnelDrill {
	d := &funnelDrill{c: c, title: title, members: ms}
	d.browser = newBrowser[int64](c, []column{
		{title: "Name", min: 14, max: 30, weight: 3},
		{title: "Handles", min: 10, max: 28, weight: 2, drop: 1},
		{title: "Organisation", min: 12, max: 24, weight: 1, drop: 3},
		{title: "Stage", min: 17, max: 17, weight: 1},
		{title: "Active", min: 8, max: 8},
		{title: "Topics", min: 10, weight: 2, drop: 2},
	})
	p := memberRows(ms, true, c.Now())
	d.list.setData(len(ms), p.filter)
	d.list.table.setNatural(p.natural, p.widest)
	return d
}

// SetSize leaves the first line to the list's title.
func (d *funnelDrill) SetSize(w, h int) { d.browser.SetSize(w, max(h-1, 1)) }

// update handles a message; back reports that the user left the list.
func (d *funnelDrill) update(msg tea.Msg) (back bool, cmd tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && !d.detail.open && !d.list.filtering() && key.Matches(km, d.c.Keys.Back) {
		return true, nil
	}
	r, chosen, cmd := d.navigate(msg)
	if !chosen {
		return false, cmd
	}
	id := d.members[r].ID
	d.browser.open(id)
	store, ctx, private := d.c.Store, d.c.Ctx, d.c.Private
	return false, func() tea.Msg {
		det, err := store.MemberDetail(ctx, id, recentActivity)
		if private {
			det = publicDetail(det)
		}
		return loadedMsg{Tab: tabFunnel, Err: err, Payload: memberDetailPayload{id: id, detail: det}}
	}
}

func (d *funnelDrill) loadedDetail(p memberDetailPayload, err error) {
	det := p.detail
	pages := &membersTab{c: d.c} // the Members tab's detail page, unchanged
	d.loaded(p.id, err, func(w int) page { return pages.detailPage(&det, w) })
}

func (d *funnelDrill) view() string {
	st := &d.c.Styles
	head := st.Title.Render(model.CleanLine(d.title)) + st.Muted.Render("  "+model.Plural(len(d.members), "person", "people")+" · esc back")
	body := d.browser.view(st.Muted.Render("Nobody."), d.fill, nil)
	return fitCell(head, d.list.width) + "\n" + body
}

func (d *funnelDrill) fill(r int32, cells []cell) {
	m := &d.members[r]
	now := d.c.Now()
	for i := range cells {
		cells[i].text = memberText(m, i, now)
	}
	if s := m.Standing.Stage; s >= 0 && int(s) < len(d.c.Styles.Stage) {
		cells[memberStage].style = &d.c.Styles.Stage[s]
	}
}

func (d *funnelDrill) shortHelp() []key.Binding {
	if d.detail.open {
		return d.detail.shortHelp()
	}
	return append(d.list.shortHelp("details"), d.c.Keys.Back)
}

func (d *funnelDrill) fullHelp() [][]key.Binding {
	if d.detail.open {
		return d.detail.fullHelp()
	}
	return append(d.list.fullHelp("details"), []key.Binding{d.c.Keys.Back})
}
