package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// The note editor, for a question's triage note and a note on a member.
// A tab asks for it with askNote; the root opens it over the tab. With an
// editor command (Options.Editor, from $VISUAL or $EDITOR) the program
// steps aside and runs it on a temporary file; without one (over SSH, or
// when neither is set) a text area takes the window. Either way the text is
// kept as typed — line breaks included — and cleaned only when shown.

// noteRequest is one note to edit.
type noteRequest struct {
	title   string // what the note is about, cleaned: "Note on …"
	initial string // the note as it is, to edit from
	// save is called in Update with the text as typed (surrounding blank
	// space trimmed) and returns the command that writes it.
	save func(text string) tea.Cmd
}

// editNoteMsg asks the root to open the note editor.
type editNoteMsg struct{ req noteRequest }

// askNote returns the command a tab gives to edit a note.
func askNote(req noteRequest) tea.Cmd {
	return func() tea.Msg { return editNoteMsg{req} }
}

// noteEditedMsg is the end of an editor run.
type noteEditedMsg struct {
	req  noteRequest
	text string
	err  error
}

// openNote starts editing: in the editor command when there is one, else
// in the window.
func (m *Model) openNote(req noteRequest) tea.Cmd {
	if argv := strings.Fields(m.c.Editor); len(argv) > 0 {
		run := &editorRun{argv: argv, initial: req.initial}
		return tea.Exec(run, func(err error) tea.Msg {
			return noteEditedMsg{req: req, text: run.text, err: err}
		})
	}
	m.note = newNoteArea(m.c, req)
	m.layout()
	return m.note.area.Focus()
}

// noteEdited saves what the editor left, or says why it cannot.
func (m *Model) noteEdited(msg noteEditedMsg) tea.Cmd {
	if msg.err != nil {
		m.err = fmt.Errorf("note not saved: %w", msg.err)
		return nil
	}
	return msg.req.save(strings.TrimSpace(msg.text))
}

// updateNote handles a message while the text area is open: ctrl+s saves,
// esc cancels (twice when something was typed), the rest edits.
func (m *Model) updateNote(msg tea.Msg) tea.Cmd {
	n, k := m.note, &m.c.Keys
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.SaveNote):
			m.note = nil
			m.layout()
			return n.req.save(strings.TrimSpace(n.area.Value()))
		case key.Matches(km, k.Cancel):
			if n.area.Value() != n.req.initial && !n.discard {
				n.discard = true
				m.notice = "esc again discards what you typed; ctrl+s saves it"
				return nil
			}
			m.note = nil
			m.layout()
			return nil
		}
		n.discard = false
	}
	var cmd tea.Cmd
	n.area, cmd = n.area.Update(msg)
	return cmd
}

// noteArea is the in-window note editor.
type noteArea struct {
	req     noteRequest
	area    textarea.Model
	discard bool // esc was pressed once on changed text: the next one discards
}

func newNoteArea(c *Context, req noteRequest) *noteArea {
	a := textarea.New()
	st := textarea.DefaultStyles(c.Theme.Dark)
	st.Cursor.Blink = false // a steady cursor: no timer running while one types
	a.SetStyles(st)
	a.ShowLineNumbers = false
	a.CharLimit = 0
	a.MaxHeight = 0
	a.Placeholder = "Type the note; enter starts a new line."
	a.SetValue(req.initial)
	return &noteArea{req: req, area: a}
}

// setSize gives the area the tab's room but its title line.
func (n *noteArea) setSize(w, h int) {
	n.area.SetWidth(w)
	n.area.SetHeight(max(h-1, 1))
}

func (n *noteArea) view(c *Context, w int) string {
	return cut(c.Styles.Label.Render(n.req.title), w) + "\n" + n.area.View()
}

func (n *noteArea) help(k *KeyMap) []key.Binding {
	cancel := k.Cancel
	if n.discard {
		cancel.SetHelp("esc", "discard")
	}
	newline := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new line"))
	return []key.Binding{k.SaveNote, cancel, newline}
}

// noteTitle is the editor's title for a note on something named name.
func noteTitle(name string) string {
	return "Note on " + model.CleanLine(name)
}

// editorRun runs the editor command on a temporary file that holds the
// note, then reads the file back (a tea.ExecCommand: the program gives the
// terminal to the editor while it runs).
type editorRun struct {
	argv    []string
	initial string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	text    string // the file after the editor exited
}

func (r *editorRun) SetStdin(in io.Reader)   { r.stdin = in }
func (r *editorRun) SetStdout(out io.Writer) { r.stdout = out }
func (r *editorRun) SetStderr(out io.Writer) { r.stderr = out }

// Run edits the note. When the editor fails after the file changed, the
// file is kept and the error names it, so nothing typed is lost.
func (r *editorRun) Run() error {
	f, err := os.CreateTemp("", "hearth-note-*.txt")
	if err != nil {
		return fmt.Errorf("editor: %w", err)
	}
	path := f.Name()
	_, err = f.WriteString(r.initial)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("editor: %w", err)
	}
	cmd := exec.Command(r.argv[0], append(r.argv[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r.stdin, r.stdout, r.stderr
	runErr := cmd.Run()
	body, readErr := os.ReadFile(path)
	switch {
	case readErr != nil:
		os.Remove(path)
		return fmt.Errorf("editor: %w", errors.Join(runErr, readErr))
	case runErr != nil && string(body) != r.initial:
		return fmt.Errorf("%s: %w; what you wrote is kept in %s", r.argv[0], runErr, path)
	case runErr != nil:
		os.Remove(path)
		return fmt.Errorf("%s: %w", r.argv[0], runErr)
	}
	r.text = string(body)
	os.Remove(path) // the note is read: a temporary file left behind loses nothing
	return nil
}

// editNote opens the note editor for a new note on the member d.
func (t *membersTab) editNote(d model.MemberDetail) tea.Cmd {
	name := d.Name
	if name == "" && len(d.Handles) > 0 {
		name = d.Handles[0]
	}
	return askNote(noteRequest{title: noteTitle(name), save: func(text string) tea.Cmd {
		if text == "" {
			return notify("the note is empty: nothing saved")
		}
		return t.writeNote(d, text)
	}})
}
