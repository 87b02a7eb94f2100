package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
	"hearth/themes"
)

// Minimum window the layout is designed for; below it one line says so.
const (
	minWidth  = 60
	minHeight = 15
)

// Options configure a program's root model.
type Options struct {
	// Health holds the health figures' definitions (the configuration's);
	// zero means model.DefaultHealthOptions.
	Health model.HealthOptions
	Store  Store
	DBPath string
	// Theme is a name from themes.Names(); "" means auto. An unknown name
	// falls back to auto: validate it with themes.Lookup before calling New
	// to report it to the user.
	Theme string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnly hides anything that would write (for read-only SSH users).
	ReadOnly bool
	// Viewer is a guest's program (hearth serve's viewer role): read-only,
	// and without private data — no e-mail addresses, notes, tags, flags
	// other than speaker and mentor, merge reasons, triage notes or
	// assignees (see public.go).
	Viewer bool
	// User is who runs the program, shown with the role in the status line
	// ("ana · manager"); "" shows neither (the local view).
	User string
	// Writer writes triage and undoes changes; nil (always, when ReadOnly)
	// means no key that writes is offered. Pass a nil interface, not a nil
	// *store.Writer.
	Writer Writer
	// Context bounds every query the program runs (an SSH session's
	// context, say); nil means context.Background().
	Context context.Context
	// Sync, when set, is what the sync key runs in the background; nil
	// means the key explains how to configure sources.
	Sync SyncFunc
	// Demo says the store holds the generated demo community (--demo):
	// the sync key then explains that it cannot be synced.
	Demo bool
	// Zone is the display zone of every date; nil means local.
	Zone *time.Location
	// Mine returns the names the user (the config's me) is assigned
	// questions by, for the Questions tab's mine queue; nil means me is
	// not set.
	Mine func(ctx context.Context) ([]string, error)
	// Editor is the command that edits a note ($VISUAL or $EDITOR); ""
	// edits it in the window instead (always so over SSH).
	Editor string
	// Directory, when set, is the member directory shared by the
	// programs of a server (shared.go).
	Directory *Directory
	// Topics are the config's [topics], for the lookup (who.go).
	Topics model.TopicMap
}

type tabID int

const (
	tabMembers tabID = iota
	tabFunnel
	tabQuestions
	tabEvents
	tabCount
	tabRoot tabID = -1 // results for the root model itself (the summary)
)

// noticeMsg is a one-off message for the status line from a component.
type noticeMsg string

// notify returns a command that shows s in the status line.
func notify(s string) tea.Cmd {
	return func() tea.Msg { return noticeMsg(s) }
}

// loadedMsg carries the result of a load back to the tab that asked.
// Payload is set even when Err is, so the tab can tell which request failed.
type loadedMsg struct {
	Tab     tabID
	Err     error
	Payload any
}

// tab is what the root model needs from each tab.
type tab interface {
	Title() string
	// Init returns the command that loads the tab's data; the root calls it
	// once.
	Init() tea.Cmd
	SetSize(w, h int)
	Update(msg tea.Msg) tea.Cmd
	View() string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Capturing reports that the tab takes text input, so global keys
	// (q, 1–4, tab, ?) must reach it instead.
	Capturing() bool
	Loading() bool
}

// Model is the root model: tab bar, the active tab, status line and help.
type Model struct {
	c        *Context
	tabs     [tabCount]tab
	members  *membersTab
	funnel   *funnelTab
	started  [tabCount]bool
	active   tabID
	showHelp bool // the footer shows every key (?)
	spinner  spinner.Model
	spinning bool

	summary       model.Summary
	summaryLoaded bool
	loadingSum    bool
	err           error
	notice        string // one-off message in the status line, cleared by the next key
	shortPath     string
	syncFn        SyncFunc
	sync          *syncRun  // nil unless a sync is running
	note          *noteArea // the note being typed in the window (notes.go)
	lookup        *lookup   // the "Who knows…" view over the tab (who.go); nil when closed
	topics        model.TopicMap
}

// New builds the root model of one program.
func New(opts Options) *Model {
	pal, err := themes.Lookup(opts.Theme)
	if err != nil {
		pal = themes.Auto()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	c := &Context{
		Ctx: ctx, Store: opts.Store, DBPath: opts.DBPath, Now: now, ReadOnly: opts.ReadOnly || opts.Viewer, Demo: opts.Demo,
		Private: opts.Viewer, User: opts.User,
		Zone:  zoneOr(opts.Zone),
		Theme: pal, Styles: themes.NewStyles(pal), Keys: DefaultKeyMap(),
		Directory: opts.Directory,
	}
	if opts.Viewer {
		c.Store = publicStore{opts.Store} // public.go
	}
	if !c.ReadOnly {
		c.Writer = opts.Writer
	}
	if !c.Private { // a viewer's questions carry no assignee
		c.Mine = opts.Mine
	}
	c.Editor = opts.Editor
	if c.Writer == nil {
		for _, b := range c.Keys.writeKeys() {
			b.SetEnabled(false)
		}
	}
	m := &Model{c: c, shortPath: shortenPath(opts.DBPath), syncFn: opts.Sync, topics: opts.Topics}
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.members = newMembersTab(c)
	m.funnel = newFunnelTab(c)
	questions := newQuestionsTab(c)
	questions.directory = m.members.directory
	m.funnel.directory = m.members.directory
	m.funnel.options = opts.Health
	events := newEventsTab(c)
	events.directory = m.members.directory
	m.tabs = [tabCount]tab{m.members, m.funnel, questions, events}
	return m
}

// shortenPath shows the home directory as ~ and keeps long paths' tails.
func shortenPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(os.PathSeparator)) {
		p = "~" + p[len(home):]
	}
	p = model.CleanLine(p)
	if r := []rune(p); len(r) > 32 {
		p = "…" + string(r[len(r)-31:])
	}
	return p
}

// Init asks for the terminal background (auto theme), the summary and the
// first page of members.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.loadSummary(), m.activate(m.active)}
	if m.c.Theme.Auto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	m.loadingSum = true
	cmds = append(cmds, m.startSpinner())
	return tea.Batch(cmds...)
}

func (m *Model) loadSummary() tea.Cmd {
	store, ctx := m.c.Store, m.c.Ctx
	return func() tea.Msg {
		sum, err := store.Summary(ctx)
		return loadedMsg{Tab: tabRoot, Err: err, Payload: sum}
	}
}

// activate starts a tab's first load the first time it is needed.
func (m *Model) activate(id tabID) tea.Cmd {
	if m.started[id] {
		return nil
	}
	m.started[id] = true
	return m.tabs[id].Init()
}

func (m *Model) loading() bool {
	if m.loadingSum || m.sync != nil {
		return true
	}
	for i, t := range m.tabs {
		if m.started[i] && t.Loading() {
			return true
		}
	}
	return false
}

func (m *Model) startSpinner() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spinner.Tick
}

// Update routes messages: global keys here, everything else to the tab
// that owns it.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.loading() {
		cmd = tea.Batch(cmd, m.startSpinner())
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	k := &m.c.Keys
	if m.lookup != nil {
		if cmd, done := m.lookupUpdate(msg); done {
			return cmd
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.layout()
		return nil

	case tea.BackgroundColorMsg:
		if m.c.Theme.Auto {
			p := themes.ForBackground(msg.IsDark())
			p.Name, p.Auto = "auto", true
			m.c.Theme, m.c.Styles = p, themes.NewStyles(p)
		}
		return nil

	case spinner.TickMsg:
		if !m.loading() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return cmd

	case loadedMsg:
		if msg.Err != nil {
			m.err = msg.Err
		}
		if msg.Tab == tabRoot {
			m.loadingSum = false
			if msg.Err == nil {
				m.summary, m.summaryLoaded = msg.Payload.(model.Summary), true
				m.funnel.setSummary(m.summary)
				m.members.setDirectorySize(m.summary.Members)
				// Prefetch the other tabs so switching is instant.
				var cmds []tea.Cmd
				for i := range m.tabs {
					cmds = append(cmds, m.activate(tabID(i)))
				}
				return tea.Batch(cmds...)
			}
			return nil
		}
		if msg.Tab >= 0 && msg.Tab < tabCount {
			return m.tabs[msg.Tab].Update(msg)
		}
		return nil

	case syncMsg:
		return m.syncUpdate(msg)

	case SyncNews:
		return m.syncNews(msg)

	case noticeMsg:
		m.notice = string(msg)
		return nil

	case wroteMsg:
		return m.wrote(msg)

	case editNoteMsg:
		return m.openNote(msg.req)

	case noteEditedMsg:
		return m.noteEdited(msg)

	case tea.PasteMsg:
		if m.note != nil {
			return m.updateNote(msg)
		}
		return nil

	case tea.KeyPressMsg:
		m.notice = ""
		if msg.String() == "ctrl+c" {
			return m.quit()
		}
		if m.note != nil {
			return m.updateNote(msg)
		}
		if m.tabs[m.active].Capturing() {
			return m.tabs[m.active].Update(msg)
		}
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Sync):
			return m.startSync()
		case key.Matches(msg, k.Help):
			m.showHelp = !m.showHelp
			m.layout()
			return nil
		case key.Matches(msg, k.NextTab):
			return m.switchTo((m.active + 1) % tabCount)
		case key.Matches(msg, k.PrevTab):
			return m.switchTo((m.active + tabCount - 1) % tabCount)
		case key.Matches(msg, k.Tab1):
			return m.switchTo(tabMembers)
		case key.Matches(msg, k.Tab2):
			return m.switchTo(tabFunnel)
		case key.Matches(msg, k.Tab3):
			return m.switchTo(tabQuestions)
		case key.Matches(msg, k.Tab4):
			return m.switchTo(tabEvents)
		case key.Matches(msg, k.Undo):
			return m.undo()
		case key.Matches(msg, k.Who), key.Matches(msg, k.Topics):
			return m.openLookup(key.Matches(msg, k.Topics))
		}
		if m.err != nil && key.Matches(msg, k.Back) {
			m.err = nil // esc also dismisses an error shown in the status line
		}
		return m.tabs[m.active].Update(msg)

	case tea.MouseClickMsg:
		if msg.Y == 0 {
			if id, ok := m.tabAt(msg.X); ok {
				return m.switchTo(id)
			}
			return nil
		}
		msg.Y--
		return m.tabs[m.active].Update(msg)

	case tea.MouseWheelMsg:
		return m.tabs[m.active].Update(msg)
	}
	// A form's own messages (next field, cursor blink) go back to it.
	if f, ok := m.tabs[m.active].(formHost); ok && f.formOpen() {
		return m.tabs[m.active].Update(msg)
	}
	return nil
}

// quit stops a running sync (it resumes from its last committed batch
// next time) and ends the program.
func (m *Model) quit() tea.Cmd {
	if m.sync != nil {
		m.sync.cancel()
	}
	return tea.Quit
}

func (m *Model) startSync() tea.Cmd {
	switch {
	case m.sync != nil:
		m.notice = "a sync is already running"
		return nil
	case m.c.ReadOnly:
		m.notice = "read-only: sync is not available"
		return nil
	case m.c.Demo || (m.summaryLoaded && m.summary.Demo):
		// The summary knows a demo database even when the front end did
		// not say so.
		m.notice = "the demo community cannot be synced; run hearth without --demo"
		return nil
	case m.syncFn == nil:
		m.notice = "no sources configured: run hearth config init, then edit the file"
		return nil
	}
	m.err = nil
	var cmd tea.Cmd
	m.sync, cmd = startSync(m.c.Ctx, m.syncFn)
	return cmd
}

func (m *Model) syncUpdate(msg syncMsg) tea.Cmd {
	if m.sync == nil {
		return nil
	}
	if !msg.done {
		m.sync.last = msg.progress
		return m.sync.next()
	}
	m.sync.cancel()
	m.sync = nil
	if msg.err != nil {
		m.err = fmt.Errorf("sync: %w", msg.err)
	} else {
		m.notice = "sync finished"
	}
	return m.reload()
}

// reload reads everything again after the database changed underneath.
func (m *Model) reload() tea.Cmd {
	m.loadingSum = true
	cmds := []tea.Cmd{m.loadSummary()}
	for i := range m.tabs {
		if m.started[i] {
			cmds = append(cmds, m.tabs[i].Init())
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) switchTo(id tabID) tea.Cmd {
	m.active = id
	m.layout()
	return m.activate(id)
}

func zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return time.Local
	}
	return loc
}
