package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// Merging two members by hand (m, on the list or a member's page): a
// picker of the directory chooses the other member, and the write is a
// journaled link that u undoes (store.Writer.MergeMembers).

// mergePicker chooses the member to merge from with (picker.go).
type mergePicker struct {
	from model.Member
	pickerList
}

// mergeKey opens the merge picker for the member shown or under the
// cursor; ok is false when the key is not the merge key.
func (t *membersTab) mergeKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if !anyKey(msg, t.c.Keys.Merge) {
		return nil, false
	}
	switch {
	case t.c.Private:
		return notify("read-only: viewers cannot edit members"), true
	case t.c.Writer == nil:
		return notify("read-only: this database cannot be changed here"), true
	}
	var from model.Member
	if t.detail.open {
		if t.detail.loading || t.detail.err != nil || t.shown.ID != t.opened {
			return notify("the member has not loaded"), true
		}
		from = t.shown.Member
	} else {
		r, sel := t.list.table.selected()
		if !sel || int(r) >= len(t.members) {
			return notify("no member selected"), true
		}
		from = t.members[r]
	}
	return t.startMerge(from), true
}

func (t *membersTab) startMerge(from model.Member) tea.Cmd {
	t.pickerSeq++
	t.merge = &mergePicker{from: from, pickerList: newPickerList(t.c, t.pickerSeq)}
	t.merge.list.setSize(t.list.width, max(t.list.height-1, 1))
	return t.merge.start(t.c, tabMembers, t.directory)
}

// updateMerge handles a message while the merge picker is open.
func (t *membersTab) updateMerge(msg tea.Msg) tea.Cmd {
	p := t.merge
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, t.c.Keys.Cancel):
			t.merge = nil
			return nil
		case key.Matches(km, t.c.Keys.Pick):
			return t.pickMerge()
		}
	}
	if p.update(msg) {
		return t.pickMerge()
	}
	return nil
}

func (t *membersTab) pickMerge() tea.Cmd {
	p := t.merge
	other, ok := p.selected()
	if !ok {
		return notify("no member matches")
	}
	if other.ID == p.from.ID {
		return notify("that is the same member: pick the other one")
	}
	t.merge = nil
	return t.writeMerge(p.from, *other)
}

// writeMerge makes a and b one member. The merged member keeps the
// smaller id, so an open detail follows it there.
func (t *membersTab) writeMerge(a, b model.Member) tea.Cmd {
	w, ctx := t.c.Writer, t.c.Ctx
	if t.detail.open {
		t.opened = min(a.ID, b.ID)
	}
	said := memberLabel(&a) + " and " + memberLabel(&b)
	return func() tea.Msg {
		if err := w.MergeMembers(ctx, a.ID, b.ID); err != nil {
			return wroteMsg{err: err, all: true}
		}
		if !w.Regroups() {
			return wroteMsg{notice: "merge of " + said + " recorded: the next sync applies it · u undo", all: true}
		}
		return wroteMsg{notice: "merged " + said + " · u undo", all: true}
	}
}

// memberLabel names a member in a status line.
func memberLabel(m *model.Member) string {
	return memberText(m, memberName, m.LastActive)
}

func (t *membersTab) mergeView() string {
	st := &t.c.Styles
	head := st.Label.Render("Merge ") + memberLabel(&t.merge.from) + st.Muted.Render(" with… type to find the other member")
	return t.merge.view(t.c, cut(head, t.list.width), t.list.width)
}

func (t *membersTab) mergeHelp() []key.Binding {
	k := t.c.Keys
	pick := k.Pick
	pick.SetHelp("enter", "merge")
	return []key.Binding{pick, k.Arrows, k.Cancel}
}
