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
	members []*model.Member // pointers: copying 100,000 rows took longer than the rest
}

// open lists the people behind the selected number.
func (t *funnelTab) open() tea.Cmd {
	d, ok := t.selected()
	if !ok || t.health == nil || t.health.Doors == nil {
		return nil
	}
	if d.questions {
		ids := append([]int64(nil), d.ids...)
		for _, k := range d.keys {
			ids = append(ids, t.health.Doors.Questions[k]...)
		}
		t.drill = t.newQuestionList(d.title, ids)
	} else {
		t.drill = t.newDrill(d)
	}
	t.drill.SetSize(t.width, t.height)
	return nil
}

// drillSample is how many rows the list's column widths are measured on:
// a list of everyone would otherwise measure 100,000 rows.
const drillSample = 2000

// newDrill lists the people behind door. A server's programs share the
// list (Directory.drill): at 100,000 members, building the list of
// everyone took 6 ms, which 100 sessions opening it together queued for.
func (t *funnelTab) newDrill(door door) *funnelDrill {
	d := &funnelDrill{c: t.c, title: door.title}
	d.browser = newBrowser[int64](t.c, memberColumns())
	dir, dirFilter, index := t.directoryIndex()
	rows := t.c.Directory.drill(newDrillKey(t.health, dir, door), func() drillRows {
		ids := append([]int64(nil), door.ids...)
		for _, k := range door.keys {
			ids = append(ids, t.health.Doors.IDs[k]...)
		}
		return t.drillRows(ids, dir, dirFilter, index)
	})
	d.members = rows.members
	d.list.setData(len(d.members), rows.filter.Share())
	d.list.table.setNatural(rows.natural, rows.widest)
	return d
}

// drillRows builds the list of ids, in their order: the Members tab's rows
// and filter once its directory has loaded (with handles and topics),
// else what the health figures know of each.
func (t *funnelTab) drillRows(ids []int64, dir []model.Member, dirFilter *model.Filter, index map[int64]int32) drillRows {
	var out drillRows
	roster := t.health.Roster() // in id order, as the store read them
	rows := make([]int32, 0, len(ids))
	out.members = make([]*model.Member, 0, len(ids))
	var fromRoster []model.Member
	for _, id := range ids {
		if i, ok := index[id]; ok {
			rows = append(rows, i)
			out.members = append(out.members, &dir[i])
			continue
		}
		if i, ok := slices.BinarySearchFunc(roster, id, func(m model.Member, id int64) int { return cmp.Compare(m.ID, id) }); ok {
			fromRoster = append(fromRoster, roster[i])
		}
	}
	if dirFilter != nil && len(fromRoster) == 0 {
		out.filter = dirFilter.Subset(rows)
	} else {
		// The directory has not loaded, or lacks some: the rows are what
		// the health figures know, indexed here.
		all := make([]model.Member, 0, len(ids))
		for _, m := range out.members {
			all = append(all, *m)
		}
		all = append(all, fromRoster...)
		if t.c.Private {
			all = publicMembers(all)
		}
		out.filter = memberFilter(all, nil)
		out.members = out.members[:0]
		for i := range all {
			out.members = append(out.members, &all[i])
		}
	}
	sample := out.members
	if len(sample) > drillSample {
		sample = make([]*model.Member, 0, drillSample)
		for i := 0; i < drillSample; i++ {
			sample = append(sample, out.members[i*len(out.members)/drillSample])
		}
	}
	now := t.c.Now()
	out.natural, out.widest = naturalWidths(len(sample), memberMeasured(), func(r, col int) string { return memberText(sample[r], col, now) })
	return out
}

// directoryIndex returns the Members tab's rows, their filter and their
// index by member id, built once per directory. A viewer's directory
// holds public rows only, so its rows can be shown as they are.
func (t *funnelTab) directoryIndex() ([]model.Member, *model.Filter, map[int64]int32) {
	if t.directory == nil {
		return nil, nil, nil
	}
	dir, filter, ok := t.directory()
	if !ok || len(dir) == 0 {
		return nil, nil, nil
	}
	if t.dirIndex == nil || t.dirFirst != &dir[0] || len(t.dirIndex) != len(dir) {
		// A server's programs share the index of a shared snapshot.
		t.dirIndex = t.c.Directory.rowIndex(dir)
		if t.dirIndex == nil {
			t.dirIndex = indexByID(dir)
		}
		t.dirFirst = &dir[0]
	}
	return dir, filter, t.dirIndex
}

// indexByID maps member ids to their rows in ms.
func indexByID(ms []model.Member) map[int64]int32 {
	index := make(map[int64]int32, len(ms))
	for i := range ms {
		index[ms[i].ID] = int32(i)
	}
	return index
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
	m := d.members[r]
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
