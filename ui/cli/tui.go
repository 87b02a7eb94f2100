package cli

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"hearth/data/store"
	"hearth/ui"
)

// tuiRequest is everything the interactive program is opened with.
type tuiRequest struct {
	Store   *store.Store
	DBPath  string
	Demo    bool
	Theme   string
	NoColor bool
}

// runTUI opens the interactive view on the user's database, or on the demo
// community with --demo. A database that does not exist yet is created
// empty: the TUI then explains how to sync or try the demo.
func runTUI(ctx context.Context, app *App) error {
	// Checked first, before a database is created or a demo generated for
	// a view that cannot be shown.
	if tty, _ := app.terminal(); !tty {
		return fmt.Errorf("the interactive view needs a terminal (for scripts: hearth members, questions, events)")
	}
	var (
		st   *store.Store
		path string
		err  error
	)
	if app.Demo {
		st, path, err = app.openDemo(ctx)
	} else {
		path, err = app.DBPath()
		if err == nil {
			st, err = app.env().OpenView(ctx, path)
		}
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return app.tui(ctx, app, tuiRequest{
		Store:   st,
		DBPath:  path,
		Demo:    app.Demo,
		Theme:   app.Theme,
		NoColor: app.NoColor,
	})
}

// startTUI runs the Bubble Tea program until the user quits.
func startTUI(ctx context.Context, app *App, req tuiRequest) error {
	m := ui.New(app.tuiOptions(ctx, req))
	opts := []tea.ProgramOption{
		tea.WithContext(ctx),
		tea.WithInput(app.Stdin),
		tea.WithOutput(app.Stdout),
	}
	if req.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if _, err := tea.NewProgram(m, opts...).Run(); err != nil {
		return fmt.Errorf("interactive view: %w", err)
	}
	return nil
}

// tuiOptions are what the interactive program is built with (the end-to-end
// test builds the same).
func (a *App) tuiOptions(ctx context.Context, req tuiRequest) ui.Options {
	var syncFn ui.SyncFunc
	if !req.Demo {
		syncFn = a.tuiSync(req.Store)
	}
	// A read-only store has no writer; pass no interface at all then, not
	// one holding a nil pointer.
	var writer ui.Writer
	if w := req.Store.Writer(a.actor()); w != nil {
		writer = a.regrouping(ctx, req.Store, w)
	}
	return ui.Options{
		Store:    req.Store,
		DBPath:   req.DBPath,
		Theme:    req.Theme,
		Now:      a.Now,
		Context:  ctx,
		Sync:     syncFn,
		Demo:     req.Demo,
		ReadOnly: req.Store.ReadOnly(),
		Writer:   writer,
		Zone:     a.zone(),
		Mine:     a.tuiMine(req.Store),
		Editor:   a.editor(),
		Health:   a.healthOptions(a.Now()),
		Topics:   a.topicMap(),
	}
}

// tuiSync is what the TUI's sync key runs: every source of the config file,
// with progress going to the status line instead of the terminal; nil when
// the config lists no sources.
func (a *App) tuiSync(st *store.Store) ui.SyncFunc {
	return a.syncOf(st, "")
}

// syncOf is tuiSync over the config file cfgFlag ("" the default one).
func (a *App) syncOf(st *store.Store, cfgFlag string) ui.SyncFunc {
	run := a.env().ConfiguredSync(st, cfgFlag)
	if run == nil {
		return nil
	}
	return func(ctx context.Context, progress func(ui.SyncProgress)) error {
		return run(ctx, func(source string, done, total int, what string) {
			progress(ui.SyncProgress{Source: source, Done: done, Total: total, What: what})
		})
	}
}

// editor is the command that edits a note: $VISUAL, else $EDITOR; "" lets
// the TUI edit it in the window.
func (a *App) editor() string {
	if v := strings.TrimSpace(a.Getenv("VISUAL")); v != "" {
		return v
	}
	return strings.TrimSpace(a.Getenv("EDITOR"))
}
