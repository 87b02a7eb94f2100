package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Picking a member for a form's member field (the speaker's and the
// attendee's Member, the task's Owner): ctrl+p on the field opens the
// directory's picker (picker.go) in place of the form, filtered by what
// the field holds; enter fills the field with the member chosen and
// goes back to the form, esc goes back to it unchanged. Free text keeps
// working: a speaker need not be a member.

// formPicker is the open picker and the field it fills.
type formPicker struct {
	field string // the title of the field
	pickerList
}

// formPickerMsg is the directory a form's picker loaded.
type formPickerMsg struct {
	payload pickerPayload
	err     error
}

// startPick opens the picker for the member field fi.
func (f *eventForm) startPick(fi *formInput) tea.Cmd {
	f.pickSeq++
	p := &formPicker{field: fi.title, pickerList: newPickerList(f.c, f.pickSeq)}
	if q := strings.TrimSpace(*fi.v); q != "" && !strings.Contains(q, ":") {
		p.list.setQuery(strings.TrimPrefix(q, "@"), true)
	}
	f.pick = p
	f.sizePick()
	// The Members tab's directory when it has loaded; else the picker
	// loads it itself, and since the tab sees its own messages only while
	// the form is open, the load's answer comes back as one of the form's.
	load := p.start(f.c, tabEvents, f.directory)
	if load == nil {
		return nil
	}
	return func() tea.Msg {
		msg, _ := load().(loadedMsg)
		pl, _ := msg.Payload.(pickerPayload)
		return formPickerMsg{payload: pl, err: msg.Err}
	}
}

func (f *eventForm) sizePick() {
	if f.pick != nil {
		f.pick.list.setSize(f.w, max(f.h-1, 1))
	}
}

// pickerLoaded takes the directory the picker asked for.
func (f *eventForm) pickerLoaded(msg formPickerMsg) {
	if f.pick != nil {
		f.pick.loaded(msg.payload, msg.err)
	}
}

// updatePick handles msg while the picker is open: typing filters,
// arrows move, enter fills the field, esc goes back to the form. ok is
// false for what the form itself must see (its cursor's blinks).
func (f *eventForm) updatePick(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	p := f.pick
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, f.c.Keys.Cancel):
			f.pick = nil
			return nil, true
		case key.Matches(msg, f.c.Keys.Pick):
			return f.choose(), true
		}
	case tea.MouseClickMsg, tea.MouseWheelMsg:
	default:
		return nil, false
	}
	if p.update(msg) {
		return f.choose(), true
	}
	return nil, true
}

// choose fills the field with the member under the cursor and reopens
// the form on it.
func (f *eventForm) choose() tea.Cmd {
	p := f.pick
	m, ok := p.selected()
	if !ok {
		return notify("no member matches")
	}
	fi := f.field(p.field)
	if fi == nil || fi.pick == nil {
		f.pick = nil
		return nil
	}
	*fi.v = fi.pick(m, p.members)
	f.pick = nil
	return f.reopen(p.field)
}

func (f *eventForm) pickView() string {
	st := &f.c.Styles
	head := st.Label.Render("Pick a member") + st.Muted.Render(" for "+f.pick.field+" · type to find them")
	return f.pick.view(f.c, cut(head, f.w), f.w)
}

func (f *eventForm) pickHelp() []key.Binding {
	k := f.c.Keys
	pick := k.Pick
	pick.SetHelp("enter", "fill in "+f.pick.field)
	back := k.Cancel
	back.SetHelp("esc", "back to the form")
	return []key.Binding{pick, k.Arrows, back}
}
