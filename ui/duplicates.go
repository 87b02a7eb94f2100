package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// The possible duplicates (D on the Members tab): pairs of members that
// are probably one person, each with its reason. m merges the pair under
// the cursor, x says they are two people; both are journaled writes that
// u undoes, and the list reloads after each.

// dupList is the open list of possible duplicates.
type dupList struct {
	list    list
	rows    []store.Duplicate
	loading bool
	err     error
}

// dupsPayload is the list as the store answered it.
type dupsPayload struct {
	rows   []store.Duplicate
	filter *model.Filter
}

var dupColumns = []column{
	{title: "Member", min: 14, max: 32, weight: 2},
	{title: "Possibly the same as", min: 14, max: 32, weight: 2},
	{title: "Why", min: 20, weight: 3},
}

// dupsKey opens the list; ok is false when the key is not the one.
func (t *membersTab) dupsKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if !key.Matches(msg, t.c.Keys.Duplicates) {
		return nil, false
	}
	if t.c.Private {
		// The pairs name e-mail addresses and accounts a viewer may not see.
		return notify("read-only: viewers cannot review duplicates"), true
	}
	t.dups = &dupList{list: newList(t.c, dupColumns), loading: true}
	t.dups.list.setSize(t.list.width, max(t.list.height-1, 1))
	return t.loadDups(), true
}

func (t *membersTab) loadDups() tea.Cmd {
	st, ctx := t.c.Store, t.c.Ctx
	return func() tea.Msg {
		rows, err := st.Duplicates(ctx)
		if err != nil {
			return loadedMsg{Tab: tabMembers, Err: err, Payload: dupsPayload{}}
		}
		texts := make([]string, len(rows))
		for i := range rows {
			texts[i] = dupText(&rows[i])
		}
		return loadedMsg{Tab: tabMembers, Payload: dupsPayload{rows: rows, filter: model.NewFilter(texts)}}
	}
}

// dupText is what the filter searches in a pair: both members and why.
func dupText(d *store.Duplicate) string {
	return model.MemberText(&d.A) + " " + model.MemberText(&d.B) + " " + strings.Join(d.Reasons, " ")
}

func (t *membersTab) dupsLoaded(p dupsPayload, err error) {
	if t.dups == nil {
		return
	}
	d := t.dups
	d.loading, d.err = false, err
	if err == nil {
		d.rows = p.rows
		d.list.setData(len(p.rows), p.filter)
	}
}

// updateDups handles a message while the list is open.
func (t *membersTab) updateDups(msg tea.Msg) tea.Cmd {
	d := t.dups
	k := &t.c.Keys
	if km, ok := msg.(tea.KeyPressMsg); ok && !d.list.typing {
		switch {
		case key.Matches(km, k.Back) && d.list.query == "":
			t.dups = nil
			return nil
		case anyKey(km, k.Merge, k.NotSame):
			return t.settlePair(km)
		}
	}
	d.list.update(msg) // enter opens nothing here
	return nil
}

// settlePair merges the pair under the cursor (m) or says they are two
// people (x).
func (t *membersTab) settlePair(km tea.KeyPressMsg) tea.Cmd {
	if t.c.Writer == nil {
		return notify("read-only: this database cannot be changed here")
	}
	d := t.dups
	r, ok := d.list.table.selected()
	if !ok || int(r) >= len(d.rows) {
		return notify("no pair selected")
	}
	p := d.rows[r]
	if anyKey(km, t.c.Keys.Merge) {
		return t.writeMerge(p.A, p.B)
	}
	w, ctx := t.c.Writer, t.c.Ctx
	said := memberLabel(&p.A) + " and " + memberLabel(&p.B)
	return func() tea.Msg {
		if err := w.NotDuplicates(ctx, p.A.ID, p.B.ID); err != nil {
			return wroteMsg{err: err, all: true}
		}
		return wroteMsg{notice: said + " are two people · u undo", all: true}
	}
}

func (t *membersTab) dupsView() string {
	st := &t.c.Styles
	d := t.dups
	w := t.list.width
	var head, body string
	switch {
	case d.err != nil:
		head = st.Label.Render("Possible duplicates")
		body = st.Error.Render(cut("Could not find them: "+d.err.Error(), w))
	case d.loading:
		head = st.Label.Render("Possible duplicates")
		body = st.Muted.Render("Looking for members who are probably one person…")
	case len(d.rows) == 0:
		head = st.Label.Render("Possible duplicates")
		body = st.Muted.Render("None found: nobody looks like anybody else.")
	default:
		head = st.Label.Render("Possible duplicates ") + st.Muted.Render(model.Plural(len(d.rows), "pair", "pairs")+
			" · m merges them · x: not the same person")
		body = d.list.view(func(r int32, cells []cell) {
			p := &d.rows[r]
			cells[0].text = pairSide(&p.A)
			cells[1].text = pairSide(&p.B)
			cells[2].text = model.CleanLine(strings.Join(p.Reasons, "; "))
		}, nil)
	}
	return cut(head, w) + "\n" + body
}

// pairSide is one member of a pair: name and first handle.
func pairSide(m *model.Member) string {
	s := memberLabel(m)
	if len(m.Handles) > 0 && model.CleanLine(m.Handles[0]) != s {
		s += " " + model.CleanLine(m.Handles[0])
	}
	return s
}

func (t *membersTab) dupsHelp() []key.Binding {
	k := t.c.Keys
	if t.dups.list.typing {
		return []key.Binding{k.Accept, k.Erase, k.Arrows}
	}
	back := k.Back
	back.SetHelp("esc", "back")
	return []key.Binding{k.Up, k.Down, k.Merge, k.NotSame, k.Filter, back}
}
