package ui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// lineInput is a one-line text field with the editing keys of the list's
// filter: letters type, backspace, ctrl+w deletes a word, ctrl+u all.
// The value is kept as typed and cleaned only when shown.
type lineInput struct {
	value string
}

// update edits the value; it reports whether msg was an editing key or
// pasted text.
func (in *lineInput) update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.value += strings.Join(strings.Fields(msg.Content), " ")
		return true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "backspace":
			if in.value != "" {
				_, size := utf8.DecodeLastRuneInString(in.value)
				in.value = in.value[:len(in.value)-size]
			}
			return true
		case "ctrl+w":
			v := strings.TrimRight(in.value, " ")
			if i := strings.LastIndex(v, " "); i >= 0 {
				in.value = v[:i+1]
			} else {
				in.value = ""
			}
			return true
		case "ctrl+u":
			in.value = ""
			return true
		}
		if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
			in.value += msg.Text
			return true
		}
	}
	return false
}

// view is the value, cleaned, with a cursor after it.
func (in *lineInput) view() string {
	return model.CleanLine(in.value) + "▏"
}
