package ui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the program. It lives in the per-program
// Context so that a future config file can rebind keys per user.
type KeyMap struct {
	Quit     key.Binding
	NextTab  key.Binding
	PrevTab  key.Binding
	Tabs     key.Binding // help entry for 1–4
	Tab1     key.Binding
	Tab2     key.Binding
	Tab3     key.Binding
	Tab4     key.Binding
	Help     key.Binding
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Filter   key.Binding
	Clear    key.Binding
	Open     key.Binding
	Back     key.Binding
	Accept   key.Binding // ends typing in a filter, keeping it
	Erase    key.Binding // clears the filter while typing
	// Help-only entries for typing a filter, where letters are text.
	Arrows     key.Binding
	DeleteWord key.Binding
	EraseAll   key.Binding
	Interrupt  key.Binding
	Sync       key.Binding // syncs the configured sources in the background
	CopyLink   key.Binding // copies the link shown in a detail page (OSC 52)
	// Triage of a question (list or detail); disabled without a writer.
	Assign key.Binding
	Snooze key.Binding
	Done   key.Binding // done, or open again when done
	Note   key.Binding // a question's note; on a member, adds a note
	// On a member (list or detail); disabled without a writer.
	Tags  key.Binding
	Flags key.Binding
	Undo  key.Binding // reverts the last change, on any tab
	// On a member: merge with another, split an account off; the list of
	// possible duplicates, where NotSame says two are two people.
	Merge      key.Binding
	Split      key.Binding
	Duplicates key.Binding
	NotSame    key.Binding
	Sort       key.Binding // cycles the order of the Members list
	// The Questions tab's queues: waiting, mine, unassigned, snoozed, done, all.
	NextView key.Binding
	PrevView key.Binding
	// In the member picker and the triage prompts.
	Pick     key.Binding
	Cancel   key.Binding
	Unassign key.Binding
	Preset   key.Binding // cycles the snooze presets
	SaveNote key.Binding // in the note editor
	// On the Events tab (list or detail); disabled without a writer.
	Add    key.Binding
	Edit   key.Binding
	Delete key.Binding
	// In a form's member field: picks the member from the directory.
	PickMember key.Binding
	// In the flag chooser; on an event's detail, ticks a task.
	Toggle key.Binding
	Move   key.Binding // help only: left and right move between flags
	// Who knows what (who.go): the lookup, the Topics view, and on a
	// question the assignment of the first suggested answerer.
	Who     key.Binding
	Topics  key.Binding
	Suggest key.Binding
}

// writeKeys are the bindings that write; a program without a writer
// disables them, so they neither work nor show in the help.
func (k *KeyMap) writeKeys() []*key.Binding {
	return []*key.Binding{&k.Assign, &k.Snooze, &k.Done, &k.Note, &k.Tags, &k.Flags, &k.Undo, &k.Unassign, &k.Add, &k.Edit, &k.Delete,
		&k.Suggest, &k.Merge, &k.Split, &k.NotSame}
}

// DefaultKeyMap returns the standard bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		NextTab:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Tabs:     key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "go to tab")),
		Tab1:     key.NewBinding(key.WithKeys("1")),
		Tab2:     key.NewBinding(key.WithKeys("2")),
		Tab3:     key.NewBinding(key.WithKeys("3")),
		Tab4:     key.NewBinding(key.WithKeys("4")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Erase:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		// Only the arrows move while typing: j and k are letters then.
		Arrows:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
		DeleteWord: key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "delete word")),
		EraseAll:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "delete all")),
		Interrupt:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Sync:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "sync sources")),
		CopyLink:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy link")),
		Assign:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "assign")),
		Snooze:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "snooze")),
		Done:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "done/reopen")),
		Note:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Tags:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tags")),
		Flags:      key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "flags")),
		Undo:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Merge:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "merge")),
		Split:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "split")),
		Duplicates: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "duplicates")),
		NotSame:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "not the same person")),
		Sort:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort: activity")),
		NextView:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v/V", "next/previous queue")),
		PrevView:   key.NewBinding(key.WithKeys("V")),
		Pick:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Unassign:   key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "unassign")),
		Preset:     key.NewBinding(key.WithKeys("tab", "right", "left", "shift+tab"), key.WithHelp("tab", "next preset")),
		SaveNote:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Toggle:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle")),
		Add:        key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Delete:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete")),
		PickMember: key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "pick a member")),
		Move:       key.NewBinding(key.WithKeys("left", "right", "tab", "shift+tab", "h", "l"), key.WithHelp("←/→", "move")),
		Who:        key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "who knows…")),
		Topics:     key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "topics")),
		Suggest:    key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "assign suggested")),
	}
}
