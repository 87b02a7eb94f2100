package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"hearth/data/backend"
	"hearth/model"
)

const demoUsage = `Usage: hearth demo --db PATH [flags]

Writes a generated demo community (members, activity, questions, events) into
a database, to try hearth without syncing anything. An existing database is
replaced only when it is itself a demo or empty; --force replaces any file.

"hearth --demo" keeps its own demo in the cache directory; this command is
for a demo at a path of your choice.
`

func runDemo(ctx context.Context, app *App, args []string) error {
	fs := newFlags("demo")
	db := fs.String("db", "", "database `path` to write (default $HEARTH_DB)")
	members := fs.Int("members", backend.DemoMembers, "generate `n` members")
	seed := fs.Int64("seed", backend.DemoSeed, "random seed `n`: the same seed gives the same community")
	force := fs.Bool("force", false, "replace the file even if it is not a demo database")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", demoUsage, flagUsages(fs))
			return nil
		}
		return usageErrorf("demo: %v (see hearth demo --help)", err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("demo: unexpected argument %q", fs.Arg(0))
	}
	if *members < backend.DemoMinMembers || *members > backend.DemoMaxMembers {
		return usageErrorf("demo: --members must be from %d to %s", backend.DemoMinMembers, model.Thousands(backend.DemoMaxMembers))
	}
	if app.Demo {
		return usageErrorf("demo: --demo already uses its own demo database; give --db PATH instead")
	}
	path := *db
	if path == "" {
		path = app.DBFlag
	}
	if path == "" {
		path = app.Getenv("HEARTH_DB")
	}
	// Unlike the other commands, demo does not fall back to the default
	// database: writing a demo there should be a deliberate choice.
	if path == "" {
		return usageErrorf("demo: give the database to write with --db PATH (or try hearth --demo)")
	}

	state, err := backend.Inspect(ctx, path)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	switch state {
	case backend.DBMissing, backend.DBDemo, backend.DBOldDemo, backend.DBEmpty:
	default:
		if !*force {
			return fmt.Errorf("%s %s; use --force to replace it", path, state)
		}
	}
	start := time.Now()
	sum, err := backend.WriteDemo(ctx, path, *members, *seed)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "demo community in %s: %s members, %s activities, %s questions, %s events (%s)\n",
		path, model.Thousands(sum.Members), model.Thousands(sum.Activities), model.Thousands(sum.Questions),
		model.Thousands(sum.Events), time.Since(start).Round(time.Millisecond))
	return nil
}
