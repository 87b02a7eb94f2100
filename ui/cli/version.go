package cli

import (
	"context"
	"runtime"

	"hearth/data/store"
)

func runVersion(ctx context.Context, app *App, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			app.printf(app.Stdout, "Usage: hearth version\n\nPrints the version of hearth, the Go version it was built with and the\ndatabase schema version it writes.\n")
			return nil
		}
	}
	if len(args) > 0 {
		return usageErrorf("version: unexpected argument %q", args[0])
	}
	app.printf(app.Stdout, "hearth %s\n%s %s/%s\nschema %d\n",
		app.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH, store.SchemaVersion())
	return nil
}
