package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"hearth/themes"
)

// A form of the Events tab: a huh form shown in place of the list or the
// detail while it is open. huh validates each field as the user leaves
// it; the error is put in the field's title, next to the field, rather
// than under the whole group where huh shows it.

// formHost is a tab that may show a form: while one is open, the messages
// the form sends itself (next field, cursor blinks) are routed to it.
type formHost interface {
	formOpen() bool
}

// eventForm is an open form and what to do with its values.
type eventForm struct {
	form *huh.Form
	// inputs are the form's text fields with their titles, to show each
	// field's error next to it.
	inputs []titledInput
	// submit returns the write to run once the form is complete; its
	// values are read from the variables the fields are bound to.
	submit func() tea.Cmd
}

type titledInput struct {
	in    *huh.Input
	title string
}

// formBuilder collects the fields of a form.
type formBuilder struct {
	inputs []titledInput
}

// input is a text field bound to v, checked by check (nil: anything goes).
func (b *formBuilder) input(title string, v *string, placeholder string, check func(string) error) *huh.Input {
	in := huh.NewInput().Title(title).Value(v).Placeholder(placeholder)
	if check != nil {
		in.Validate(check)
	}
	b.inputs = append(b.inputs, titledInput{in, title})
	return in
}

// required checks that a field is not empty.
func required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s is required", what)
		}
		return nil
	}
}

// newEventForm builds the form of groups, sized and themed for the tab.
func newEventForm(c *Context, b *formBuilder, submit func() tea.Cmd, groups ...*huh.Group) *eventForm {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	f := huh.NewForm(groups...).
		WithTheme(formTheme(c.Theme)).
		WithKeyMap(km).
		WithShowErrors(false).
		WithShowHelp(true)
	return &eventForm{form: f, inputs: b.inputs, submit: submit}
}

// start initialises the form for a w×h area and returns its first command.
func (f *eventForm) start(w, h int) tea.Cmd {
	// Form.Init focuses the first field; its commands (cursor blink, a
	// window size request) come back through the root to this form.
	cmd := f.form.Init()
	f.resize(w, h)
	return cmd
}

func (f *eventForm) resize(w, h int) {
	if w > 0 && h > 0 {
		m, _ := f.form.Update(tea.WindowSizeMsg{Width: w, Height: h})
		f.form = m.(*huh.Form)
	}
}

// update passes msg to the form; done reports that it was completed or
// cancelled (see completed).
func (f *eventForm) update(msg tea.Msg) (cmd tea.Cmd, done bool) {
	m, cmd := f.form.Update(msg)
	f.form = m.(*huh.Form)
	for _, ti := range f.inputs {
		if err := ti.in.Error(); err != nil {
			ti.in.Title(ti.title + "  ✗ " + err.Error())
		} else {
			ti.in.Title(ti.title)
		}
	}
	if f.form.State != huh.StateNormal {
		return nil, true
	}
	return cmd, false
}

// completed reports that the form was filled in, not cancelled.
func (f *eventForm) completed() bool { return f.form.State == huh.StateCompleted }

func (f *eventForm) view() string { return f.form.View() }

// formTheme styles forms with the program's palette.
func formTheme(p themes.Palette) huh.Theme {
	return huh.ThemeFunc(func(bool) *huh.Styles {
		s := huh.ThemeBase(p.Dark)
		text := lipgloss.NewStyle().Foreground(p.Text)
		muted := lipgloss.NewStyle().Foreground(p.Muted)
		accent := lipgloss.NewStyle().Foreground(p.Accent)
		s.Group.Title = accent.Bold(true)
		s.Group.Description = muted
		// Recolour rather than replace: some styles carry their text
		// (the selector's "> ", the error indicator's " *").
		for _, fs := range []*huh.FieldStyles{&s.Focused, &s.Blurred} {
			fs.Title = text.Bold(true)
			fs.Description = muted
			fs.ErrorIndicator = fs.ErrorIndicator.Foreground(p.Error)
			fs.ErrorMessage = fs.ErrorMessage.Foreground(p.Error)
			fs.SelectSelector = fs.SelectSelector.Foreground(p.Accent)
			fs.Option = fs.Option.Foreground(p.Text)
			fs.TextInput.Text = text
			fs.TextInput.Placeholder = muted
			fs.TextInput.Prompt = fs.TextInput.Prompt.Foreground(p.Accent)
			fs.FocusedButton = fs.FocusedButton.Foreground(p.AccentText).Background(p.Accent)
			fs.BlurredButton = fs.BlurredButton.Foreground(p.Muted)
		}
		s.Focused.Title = accent.Bold(true)
		s.Focused.Base = s.Focused.Base.BorderForeground(p.Accent)
		s.Blurred.Base = s.Blurred.Base.BorderForeground(p.Muted)
		return s
	})
}
