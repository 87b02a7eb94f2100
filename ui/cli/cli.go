// Package cli is hearth's command line: it parses the global flags and
// dispatches to one command per file; everything a command needs travels in
// an *App so that tests run commands in-process with captured output and a
// fake environment. Everything that is not about the command line (paths,
// opening the store, sources, syncing, the demo) is asked of package app.
package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"
)

// Run is the whole program behind main: it returns the exit code (0 ok,
// 1 failure, 2 usage) instead of exiting so tests can call it. version is
// what `hearth version` prints. Ctrl-C and SIGTERM cancel the context, so
// every command stops at a safe point and cleans up after itself.
func Run(version string, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(stdin, stdout, stderr, getenv)
	a.Version = version
	return a.run(ctx, args)
}

// commandFunc runs one subcommand with the arguments after its name.
type commandFunc func(ctx context.Context, app *App, args []string) error

// command returns the subcommand called name.
func command(name string) (commandFunc, bool) {
	switch name {
	case "members":
		return runMembers, true
	case "questions":
		return runQuestions, true
	case "events":
		return runEvents, true
	case "health":
		return runHealth, true
	case "report":
		return runReport, true
	case "who":
		return runWho, true
	case "undo":
		return runUndo, true
	case "userdata":
		return runUserdata, true
	case "forget":
		return runForget, true
	case "people":
		return runPeople, true
	case "demo":
		return runDemo, true
	case "serve":
		return runServe, true
	case "version":
		return runVersion, true
	case "sync":
		return runSync, true
	case "config":
		return runConfig, true
	case "help":
		return runHelp, true
	}
	return nil, false
}

// run parses the global flags, then runs the subcommand or the TUI.
func (a *App) run(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	return a.exit(err)
}

func (a *App) dispatch(ctx context.Context, args []string) error {
	fs := newFlags("hearth")
	// Stop at the subcommand: its own flags are parsed by its FlagSet.
	fs.SetInterspersed(false)
	var g globalFlags
	g.register(fs)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			a.printf(a.Stdout, "%s", mainUsage(fs))
			return nil
		}
		return usageErrorf("%v (see hearth --help)", err)
	}
	if err := a.applyGlobals(fs, &g); err != nil {
		return err
	}
	if *showVersion {
		return runVersion(ctx, a, nil)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runTUI(ctx, a)
	}
	name := rest[0]
	cmd, ok := command(name)
	if !ok {
		return usageErrorf("unknown command %q (see hearth --help)", name)
	}
	return cmd(ctx, a, rest[1:])
}
