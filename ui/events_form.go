package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"hearth/model"
	"hearth/themes"
)

// A form of the Events tab: a huh form shown in place of the list or the
// detail while it is open. huh validates each field as the user leaves
// it; the error is put in the field's title, next to the field, rather
// than under the whole group where huh shows it.
//
// Some faults show only when the form is saved: a member that names
// nobody, a write the store refuses. The form then comes back with
// everything as typed and the error next to the field it is about (or
// above the form when it is about no field): nothing typed is lost. To
// come back, a form is built again from the same variables, which is
// also how a member chosen in the picker gets into its field.

// formHost is a tab that may show a form: while one is open, the messages
// the form sends itself (next field, cursor blinks) are routed to it.
type formHost interface {
	formOpen() bool
}

// eventForm is an open form and what to do with its values.
type eventForm struct {
	c *Context
	// directory is the Members tab's, which the member picker shows when
	// it has loaded; nil or not loaded: the picker reads the store.
	directory func() ([]model.Member, *model.Filter, bool)
	// build adds the form's fields, bound to variables it keeps, so the
	// form can be built again with what was typed.
	build func(b *formBuilder)
	// submit returns the write to run once the form is complete; its
	// values are read from the variables the fields are bound to. A
	// write that fails returns a wroteMsg with the error, a fieldError
	// when it is about one field.
	submit func() tea.Cmd
	form   *huh.Form
	// inputs are the form's text fields, to show each field's error next
	// to it; titles are the titles they show, with it.
	inputs []*formInput
	titles []string
	// refused holds what a save refused, by field title: shown next to
	// the field while it holds the value refused. failed is a refusal
	// about no field in particular, shown above the form.
	refused map[string]refusal
	failed  string
	// saving is set while the save runs: the form waits for its answer
	// (formSaved or formRefused) to close or come back.
	saving  bool
	pick    *formPicker // the member picker, when open (events_pick.go)
	pickSeq int
	w, h    int
}

// formInput is a text field of a form.
type formInput struct {
	in    *huh.Input
	title string
	v     *string
	// pick, when set, makes it a member field: the picker chooses a
	// member and pick turns them into the field's text.
	pick       func(m *model.Member, directory []model.Member) string
	group, pos int // where it is in the form
}

// refusal is a field's value a save refused, and why.
type refusal struct {
	value string
	err   error
}

// fieldError is an error about one field of a form, named by its title.
type fieldError struct {
	field string
	err   error
}

func (e fieldError) Error() string { return e.err.Error() }
func (e fieldError) Unwrap() error { return e.err }

// refuse is a failed save, as the form's submit returns it.
func refuse(field string, err error) tea.Cmd {
	return func() tea.Msg { return wroteMsg{err: fieldError{field, err}} }
}

// formRefused brings back a form whose save failed.
type formRefused struct {
	form *eventForm
	err  error
}

// formSaved closes a form whose save ran; msg is what the save said.
type formSaved struct {
	form *eventForm
	msg  tea.Msg
}

// formBuilder collects the fields of a form.
type formBuilder struct {
	f      *eventForm
	inputs []*formInput
	groups []*huh.Group
}

// input is a text field bound to v, checked by check (nil: anything goes).
func (b *formBuilder) input(title string, v *string, placeholder string, check func(string) error) *huh.Input {
	return b.add(title, v, placeholder, check, nil).in
}

// memberInput is a text field that the member picker can fill: pick
// turns the member chosen into its text.
func (b *formBuilder) memberInput(title string, v *string, placeholder string, check func(string) error,
	pick func(m *model.Member, directory []model.Member) string) *huh.Input {
	return b.add(title, v, placeholder, check, pick).in
}

func (b *formBuilder) add(title string, v *string, placeholder string, check func(string) error,
	pick func(*model.Member, []model.Member) string) *formInput {
	f := b.f
	in := huh.NewInput().Title(title).Value(v).Placeholder(placeholder).Validate(func(s string) error {
		if check != nil {
			if err := check(s); err != nil {
				return err
			}
		}
		// A value the last save refused is refused again until changed.
		if r, ok := f.refused[title]; ok && r.value == s {
			return r.err
		}
		return nil
	})
	fi := &formInput{in: in, title: title, v: v, pick: pick}
	b.inputs = append(b.inputs, fi)
	return fi
}

// group adds a group of fields (title "" for none).
func (b *formBuilder) group(title string, fields ...huh.Field) {
	g := huh.NewGroup(fields...)
	if title != "" {
		g.Title(title)
	}
	for pos, field := range fields {
		for _, fi := range b.inputs {
			if huh.Field(fi.in) == field {
				fi.group, fi.pos = len(b.groups), pos
			}
		}
	}
	b.groups = append(b.groups, g)
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

// newEventForm is the form build makes, themed for the tab.
func newEventForm(c *Context, submit func() tea.Cmd, build func(b *formBuilder)) *eventForm {
	f := &eventForm{c: c, build: build, submit: submit, refused: map[string]refusal{}}
	f.rebuild()
	return f
}

// rebuild makes the huh form afresh from the bound variables.
func (f *eventForm) rebuild() {
	b := formBuilder{f: f}
	f.build(&b)
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	f.form = huh.NewForm(b.groups...).
		WithTheme(formTheme(f.c.Theme)).
		WithKeyMap(km).
		WithShowErrors(false).
		WithShowHelp(true)
	f.inputs = b.inputs
	f.titles = make([]string, len(f.inputs))
	for i, fi := range f.inputs {
		f.titles[i] = fi.title
	}
}

// start initialises the form for a w×h area and returns its first command.
func (f *eventForm) start(w, h int) tea.Cmd {
	// Form.Init focuses the first field; its commands (cursor blink, a
	// window size request) come back through the root to this form.
	cmd := f.form.Init()
	f.resize(w, h)
	f.retitle()
	return cmd
}

func (f *eventForm) resize(w, h int) {
	f.w, f.h = w, h
	f.sizePick()
	if f.failed != "" {
		h-- // the line above the form
	}
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
	f.retitle()
	if f.form.State != huh.StateNormal {
		return nil, true
	}
	return cmd, false
}

// retitle puts each field's error, huh's or a save's, in its title.
func (f *eventForm) retitle() {
	changed := false
	for i, fi := range f.inputs {
		err := fi.in.Error()
		if r, ok := f.refused[fi.title]; ok && err == nil && r.value == *fi.v {
			err = r.err
		}
		title := fi.title
		if err != nil {
			title += "  ✗ " + err.Error()
		}
		if title != f.titles[i] {
			fi.in.Title(title)
			f.titles[i], changed = title, true
		}
	}
	if changed {
		// A group renders its fields when it updates: update it with a
		// message no field acts on, so the new titles show now rather
		// than at the next key or cursor blink.
		m, _ := f.form.Update(formRetitled{})
		f.form = m.(*huh.Form)
	}
}

// formRetitled refreshes a form's view after its titles changed.
type formRetitled struct{}

// completed reports that the form was filled in, not cancelled.
func (f *eventForm) completed() bool { return f.form.State == huh.StateCompleted }

// field is the text field titled title, nil when there is none.
func (f *eventForm) field(title string) *formInput {
	for _, fi := range f.inputs {
		if fi.title == title {
			return fi
		}
	}
	return nil
}

// focusedMember is the member field that has the focus, if one has.
func (f *eventForm) focusedMember() *formInput {
	focused := f.form.GetFocusedField()
	for _, fi := range f.inputs {
		if fi.pick != nil && huh.Field(fi.in) == focused {
			return fi
		}
	}
	return nil
}

// refuse brings the form back after a failed save: as typed, with the
// error next to its field, which has the focus.
func (f *eventForm) refuse(err error) tea.Cmd {
	f.failed = ""
	var fe fieldError
	at := ""
	if errors.As(err, &fe) && f.field(fe.field) != nil {
		at = fe.field
		f.refused[at] = refusal{value: *f.field(at).v, err: fe.err}
	} else {
		f.failed = "not saved: " + err.Error()
	}
	return f.reopen(at)
}

// reopen builds the form again from its variables, focused on the field
// titled at ("": the first).
func (f *eventForm) reopen(at string) tea.Cmd {
	f.rebuild()
	cmds := []tea.Cmd{f.start(f.w, f.h)}
	if fi := f.field(at); fi != nil {
		for range fi.group {
			cmds = append(cmds, f.form.NextGroup())
		}
		for range fi.pos {
			cmds = append(cmds, f.form.NextField())
		}
	}
	f.retitle()
	return tea.Batch(cmds...)
}

func (f *eventForm) view() string {
	switch {
	case f.pick != nil:
		return f.pickView()
	case f.saving:
		return f.c.Styles.Muted.Render("Saving…")
	case f.failed == "":
		return f.form.View()
	}
	return f.c.Styles.Error.Render(cut("✗ "+model.CleanLine(f.failed), f.w)) + "\n" + f.form.View()
}

// help are the keys of the form, with the picker's on a member field.
func (f *eventForm) help() []key.Binding {
	if f.pick != nil {
		return f.pickHelp()
	}
	k := f.c.Keys
	b := []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
	}
	if f.focusedMember() != nil {
		b = append(b, k.PickMember)
	}
	return append(b, k.Cancel)
}

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
