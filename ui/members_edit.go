package ui

import (
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// What you know about people: keys on a member (list or detail) that add
// a note, change the tags and choose the flags, and the writes they run.
// Like triage, every write runs in a command and comes back as a wroteMsg
// to the root, which shows it in the status line and reloads the list and
// the open detail.

// editKind is what a member edit changes.
type editKind int

const (
	editNote editKind = iota
	editTags
	editFlags
	editSplit // choose the account to split off
)

// memberFlags are the flags the chooser offers, in its order.
var memberFlags = []string{"speaker", "mentor", "staff", doNotContact, "core", "maintainer"}

// memberEdit is an open edit of one member, shown on the line above the
// list or the detail.
type memberEdit struct {
	kind   editKind
	d      model.MemberDetail // as read when the edit opened
	in     lineInput          // the note, or the tag changes
	cursor int                // the flag (or, splitting, the account) under the cursor
	on     map[string]bool    // the flags chosen
}

// memberEditPayload is a member's detail loaded to edit it from the list.
type memberEditPayload struct {
	kind   editKind
	detail model.MemberDetail
}

// editKey starts the edit a key asks for; ok is false when the key is not
// one.
func (t *membersTab) editKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &t.c.Keys
	var kind editKind
	switch {
	case anyKey(msg, k.Note):
		kind = editNote
	case anyKey(msg, k.Tags):
		kind = editTags
	case anyKey(msg, k.Flags):
		kind = editFlags
	case anyKey(msg, k.Split):
		kind = editSplit
	default:
		return nil, false
	}
	if t.c.Private {
		return notify("read-only: viewers cannot edit members"), true
	}
	if t.c.Writer == nil {
		if kind == editSplit {
			return notify("read-only: this database cannot be changed here"), true
		}
		return nil, true
	}
	if t.detail.open {
		if t.detail.loading || t.detail.err != nil || t.shown.ID != t.opened {
			return notify("the member has not loaded"), true
		}
		return t.startEdit(kind, t.shown), true
	}
	r, sel := t.list.table.selected()
	if !sel || int(r) >= len(t.members) {
		return notify("no member selected"), true
	}
	// The list rows do not carry identities, tags or flags: read them.
	st, ctx, id := t.c.Store, t.c.Ctx, t.members[r].ID
	return func() tea.Msg {
		d, err := st.MemberDetail(ctx, id, 0)
		return loadedMsg{Tab: tabMembers, Err: err, Payload: memberEditPayload{kind: kind, detail: d}}
	}, true
}

func (t *membersTab) startEdit(kind editKind, d model.MemberDetail) tea.Cmd {
	if len(d.Identities) == 0 {
		return notify("this member has no identity to write to")
	}
	if kind == editSplit && len(d.Identities) < 2 {
		return notify("this member has one account: nothing to split")
	}
	if kind == editNote {
		return t.editNote(d) // multi-line: the note editor (notes.go)
	}
	e := &memberEdit{kind: kind, d: d}
	if kind == editFlags {
		e.on = map[string]bool{}
		for _, f := range d.Flags {
			e.on[f] = true
		}
	}
	t.edit = e
	return nil
}

// updateEdit handles a message while an edit is open.
func (t *membersTab) updateEdit(msg tea.Msg) tea.Cmd {
	e := t.edit
	k := &t.c.Keys
	km, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(km, k.Cancel):
		t.edit = nil
		return nil
	case isKey && key.Matches(km, k.Pick):
		return t.submitEdit()
	case (e.kind == editFlags || e.kind == editSplit) && isKey:
		n := len(memberFlags)
		if e.kind == editSplit {
			n = len(e.d.Identities)
		}
		switch {
		case e.kind == editFlags && key.Matches(km, k.Toggle):
			f := memberFlags[e.cursor]
			e.on[f] = !e.on[f]
		case slices.Contains([]string{"right", "l", "tab"}, km.String()):
			e.cursor = (e.cursor + 1) % n
		case slices.Contains([]string{"left", "h", "shift+tab"}, km.String()):
			e.cursor = (e.cursor + n - 1) % n
		}
		return nil
	case e.kind != editFlags:
		e.in.update(msg)
	}
	return nil
}

// labelOp is one tag or flag to set (on) or remove.
type labelOp struct {
	label string
	on    bool
}

// parseTagOps reads the tag prompt: "+tag" adds, "-tag" removes, a bare
// word adds; several are separated by spaces.
func parseTagOps(s string) []labelOp {
	var ops []labelOp
	for _, w := range strings.Fields(s) {
		on := !strings.HasPrefix(w, "-")
		w = strings.TrimLeft(w, "+-")
		if w != "" {
			ops = append(ops, labelOp{w, on})
		}
	}
	return ops
}

func (t *membersTab) submitEdit() tea.Cmd {
	e := t.edit
	switch e.kind {
	case editNote:
		body := strings.TrimSpace(e.in.value)
		if body == "" {
			return notify("the note is empty: type it, or esc")
		}
		t.edit = nil
		return t.writeNote(e.d, body)
	case editTags:
		ops := parseTagOps(e.in.value)
		if len(ops) == 0 {
			return notify("type +tag to add, -tag to remove, or esc")
		}
		t.edit = nil
		return t.writeLabels(e.d, ops, false)
	case editSplit:
		t.edit = nil
		return t.writeSplit(e.d.Identities[e.cursor])
	default:
		var ops []labelOp
		for _, f := range memberFlags {
			if had := slices.Contains(e.d.Flags, f); had != e.on[f] {
				ops = append(ops, labelOp{f, e.on[f]})
			}
		}
		t.edit = nil
		if len(ops) == 0 {
			return notify("flags unchanged")
		}
		return t.writeLabels(e.d, ops, true)
	}
}

// writeNote adds a note about d, on its first identity.
func (t *membersTab) writeNote(d model.MemberDetail, body string) tea.Cmd {
	w, ctx, who := t.c.Writer, t.c.Ctx, d.Identities[0].Key()
	return func() tea.Msg {
		if _, err := w.AddNote(ctx, who, body); err != nil {
			return wroteMsg{err: err}
		}
		return wroteMsg{notice: "note added · u undo", all: true}
	}
}

// writeLabels sets and removes tags (or flags) of d: a new one goes on
// its first identity, one removed comes off every identity that may hold
// it (removing one that is not there changes nothing).
func (t *membersTab) writeLabels(d model.MemberDetail, ops []labelOp, flags bool) tea.Cmd {
	w, ctx := t.c.Writer, t.c.Ctx
	keys := labelKeys(d.Identities)
	if len(keys) == 0 {
		return notify("hearth cannot label this member's accounts yet (their keys hold a colon)")
	}
	set, unset, noun := w.Tag, w.Untag, "tag"
	if flags {
		set, unset, noun = w.Flag, w.Unflag, "flag"
	}
	var said []string
	for _, op := range ops {
		sign := "+"
		if !op.on {
			sign = "-"
		}
		said = append(said, sign+model.CleanLine(op.label))
	}
	done := noun + "s " + strings.Join(said, " ")
	if len(ops) == 1 {
		done += " · u undo"
	} else {
		done += " · u undoes one at a time"
	}
	return func() tea.Msg {
		for _, op := range ops {
			if err := applyLabel(ctx, op, keys, set, unset); err != nil {
				return wroteMsg{err: err, all: true}
			}
		}
		return wroteMsg{notice: done, all: true}
	}
}

func applyLabel(ctx context.Context, op labelOp, keys []string, set, unset func(context.Context, string, string) error) error {
	if op.on {
		return set(ctx, keys[0], op.label)
	}
	for _, k := range keys {
		if err := unset(ctx, k, op.label); err != nil {
			return err
		}
	}
	return nil
}

// editView is the edit's line.
func (t *membersTab) editView() string {
	st := &t.c.Styles
	e := t.edit
	name := model.CleanLine(e.d.Name)
	if name == "" && len(e.d.Handles) > 0 {
		name = model.CleanLine(e.d.Handles[0])
	}
	switch e.kind {
	case editNote:
		return st.Label.Render("Note on "+name+" ") + e.in.view()
	case editSplit:
		var b strings.Builder
		b.WriteString(st.Label.Render("Split off "))
		for i, id := range e.d.Identities {
			item := accountLabel(id)
			if i == e.cursor {
				b.WriteString(st.TabActive.Render(item))
			} else {
				b.WriteString(st.Muted.Render(" " + item + " "))
			}
		}
		return b.String()
	case editTags:
		now := "no tags"
		if len(e.d.Tags) > 0 {
			now = model.CleanLine(strings.Join(e.d.Tags, " "))
		}
		return st.Label.Render("Tags ") + e.in.view() + st.Muted.Render("  +tag adds, -tag removes · now: "+now)
	default:
		var b strings.Builder
		b.WriteString(st.Label.Render("Flags "))
		for i, f := range memberFlags {
			box := "[ ] "
			if e.on[f] {
				box = "[x] "
			}
			item := box + f
			if i == e.cursor {
				b.WriteString(st.TabActive.Render(item))
			} else {
				b.WriteString(st.Muted.Render(" " + item + " "))
			}
		}
		return b.String()
	}
}

func (t *membersTab) editHelp() []key.Binding {
	k := t.c.Keys
	pick := k.Pick
	if t.edit.kind == editFlags {
		return []key.Binding{k.Toggle, k.Move, pick, k.Cancel}
	}
	if t.edit.kind == editSplit {
		pick.SetHelp("enter", "split off")
		return []key.Binding{k.Move, pick, k.Cancel}
	}
	return []key.Binding{pick, k.EraseAll, k.Cancel}
}

// writeHelp are the member keys that write, when a writer is present and
// there is a member to act on.
func (t *membersTab) writeHelp() []key.Binding {
	if t.c.Writer == nil || t.detail.open && (t.detail.loading || t.detail.err != nil) {
		return nil
	}
	k := t.c.Keys
	return []key.Binding{k.Note, k.Tags, k.Flags, k.Merge, k.Split}
}

// refreshDetail reloads the open detail and the open list of possible
// duplicates after a write.
func (t *membersTab) refreshDetail() tea.Cmd {
	var cmds []tea.Cmd
	if t.dups != nil {
		cmds = append(cmds, t.loadDups())
	}
	if t.detail.open {
		cmds = append(cmds, t.loadDetail(t.opened))
	}
	return tea.Batch(cmds...)
}

// writeSplit takes the account id out of its member.
func (t *membersTab) writeSplit(id model.Identity) tea.Cmd {
	w, ctx, key := t.c.Writer, t.c.Ctx, id.Key()
	said := accountLabel(id)
	return func() tea.Msg {
		if _, err := w.SplitIdentity(ctx, key); err != nil {
			return wroteMsg{err: err, all: true}
		}
		if !w.Regroups() {
			return wroteMsg{notice: "split of " + said + " recorded: the next sync applies it · u undo", all: true}
		}
		return wroteMsg{notice: "split off " + said + " · u undo", all: true}
	}
}

// accountLabel names an account in one line: "github @ada",
// "git ada@example.org".
func accountLabel(id model.Identity) string {
	h := id.Handle()
	if h == "" {
		h = id.ExternalID
	}
	return model.CleanLine(id.Source + " " + h)
}
