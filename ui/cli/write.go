package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"hearth/data/store"
)

// newFlags is a command's flag set: errors returned, not printed, and the
// flags listed in the order they are defined.
func newFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// parseCommand parses the arguments of a command that is not a listing:
// the flags fs defines plus the global --db and --demo, which may come
// after the command name. help is true when --help was asked for (and
// printed).
func (a *App) parseCommand(name, usage string, fs *pflag.FlagSet, args []string) (help bool, err error) {
	var g globalFlags
	g.register(fs, "db", "demo")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			a.printf(a.Stdout, "%s\nFlags:\n%s", usage, flagUsages(fs))
			return true, nil
		}
		return false, usageErrorf("%s: %v (see hearth %s --help)", name, err, name)
	}
	return false, a.applyGlobals(fs, &g)
}

// actor is the name changes are recorded under in the journal:
// $HEARTH_ACTOR, else the user's login name.
func (a *App) actor() string {
	if v := a.Getenv("HEARTH_ACTOR"); v != "" {
		return v
	}
	return store.DefaultActor()
}

// openWriter opens the database for a command that writes what a person
// typed. A database hearth may only read gives no writer, and the
// command says so.
func (a *App) openWriter(ctx context.Context) (*store.Store, *store.Writer, error) {
	st, err := a.openExisting(ctx)
	if err != nil {
		return nil, nil, err
	}
	w := st.Writer(a.actor())
	if w == nil {
		st.Close()
		return nil, nil, fmt.Errorf("%s is read-only: hearth can show it but not change it", st.Path())
	}
	return st, w, nil
}
