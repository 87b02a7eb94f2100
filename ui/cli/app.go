package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"hearth/data/backend"
	"hearth/data/store"
	"hearth/model"
	"hearth/themes"
)

// App is what every command needs from the outside world. main builds one
// from the real process; tests build one with buffers and a fake
// environment.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Version is what hearth version prints.
	Version string
	Now     func() time.Time

	// Global flags, after the environment has been applied.
	DBFlag  string // --db; "" when not given
	Demo    bool   // --demo
	Theme   string // --theme, validated
	NoColor bool   // --no-color or NO_COLOR

	displayZone *time.Location // see zone

	// terminal reports whether stdout is a terminal and, if so, its width.
	terminal func() (bool, int)
	// tui starts the interactive program; tests replace it to see what
	// would have been opened.
	tui func(ctx context.Context, app *App, req tuiRequest) error
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *App {
	a := &App{
		Stdin:   stdin,
		Stdout:  stdout,
		Stderr:  stderr,
		Getenv:  getenv,
		Now:     time.Now,
		Theme:   "auto",
		Version: "dev",
		tui:     startTUI,
	}
	a.terminal = func() (bool, int) { return fileTerminal(a.Stdout) }
	// NO_COLOR (https://no-color.org): any non-empty value disables colour.
	a.NoColor = getenv("NO_COLOR") != ""
	return a
}

// fileTerminal reports whether w is a terminal, and its width.
func fileTerminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return true, width
}

// globalFlags are accepted before any command and, for the listing
// commands, after it too. They are parsed into this struct and applied to
// the App only when given, so that a flag after the command overrides the
// same flag before it and an absent one changes nothing.
type globalFlags struct {
	db      string
	demo    bool
	theme   string
	noColor bool
}

// register adds the global flags called names to fs (all of them when
// names is empty), so that a command's help lists only the flags that
// change what it does.
func (g *globalFlags) register(fs *pflag.FlagSet, names ...string) {
	want := func(name string) bool { return len(names) == 0 || slices.Contains(names, name) }
	if want("db") {
		fs.StringVar(&g.db, "db", "", "database `path` (default $HEARTH_DB, else $XDG_DATA_HOME/hearth/hearth.db)")
	}
	if want("demo") {
		fs.BoolVar(&g.demo, "demo", false, "use the built-in demo community")
	}
	if want("theme") {
		fs.StringVar(&g.theme, "theme", "auto", "colour `theme`: "+strings.Join(themeNames(), ", "))
	}
	if want("no-color") {
		fs.BoolVar(&g.noColor, "no-color", false, "do not use colour (also: NO_COLOR=1)")
	}
}

func (a *App) applyGlobals(fs *pflag.FlagSet, g *globalFlags) error {
	if fs.Changed("db") {
		if g.db == "" {
			return usageErrorf("--db needs a path")
		}
		a.DBFlag = g.db
	}
	if fs.Changed("demo") {
		a.Demo = g.demo
	}
	if fs.Changed("theme") {
		if !validTheme(g.theme) {
			return usageErrorf("unknown theme %q (choose from %s)", g.theme, strings.Join(themeNames(), ", "))
		}
		a.Theme = strings.ToLower(g.theme)
	}
	if fs.Changed("no-color") && g.noColor {
		a.NoColor = true
	}
	if a.Demo && a.DBFlag != "" {
		return usageErrorf("--demo and --db cannot be used together")
	}
	return nil
}

// themeNames lists the themes --theme accepts.
func themeNames() []string { return themes.Names() }

func validTheme(name string) bool {
	_, err := themes.Lookup(name)
	return err == nil && name != ""
}

// zone is the display zone of the config file (display_timezone), else the
// local zone. A config that does not load leaves dates local: listing
// commands do not fail for a setting they barely use; sync and config
// check report the problem.
func (a *App) zone() *time.Location {
	if a.displayZone == nil {
		a.displayZone = time.Local
		if cfg, err := a.env().LoadConfig(""); err == nil {
			a.displayZone = cfg.Zone()
		}
	}
	return a.displayZone
}

// env is the application layer's view of this process.
func (a *App) env() backend.Env { return backend.Env{Getenv: a.Getenv, Now: a.Now} }

// DBPath is the user's database: --db, else $HEARTH_DB, else the default.
func (a *App) DBPath() (string, error) { return a.env().DBPath(a.DBFlag) }

// DemoPath is where --demo keeps its generated community.
func (a *App) DemoPath() (string, error) { return a.env().DemoPath() }

// openDemo opens the built-in demo community, generating it first if
// needed (and saying so: it takes a moment).
func (a *App) openDemo(ctx context.Context) (*store.Store, string, error) {
	return a.env().OpenDemo(ctx, func(msg string) { fmt.Fprintf(a.Stderr, "hearth: %s\n", msg) })
}

// openExisting opens the database the listing commands read: the demo with
// --demo (generated if needed), otherwise the user's database, which must
// already exist.
func (a *App) openExisting(ctx context.Context) (*store.Store, error) {
	if a.Demo {
		st, _, err := a.openDemo(ctx)
		return st, err
	}
	path, err := a.DBPath()
	if err != nil {
		return nil, err
	}
	return a.env().OpenExisting(ctx, path)
}

func (a *App) printf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, args...)
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errorLine makes an error message one clean line, whatever it carries:
// wrapped errors from drivers may contain line breaks or text from the
// database.
func errorLine(msg string) string {
	return strings.Join(strings.Fields(model.CleanLine(msg)), " ")
}

// exit reports err as one line on stderr and returns the exit code.
func (a *App) exit(err error) int {
	if err == nil {
		return 0
	}
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "interrupted"
	}
	fmt.Fprintf(a.Stderr, "hearth: %s\n", errorLine(msg))
	var ue *usageError
	var be *backend.UsageError
	if errors.As(err, &ue) || errors.As(err, &be) {
		return 2
	}
	return 1
}
