package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"hearth/config"
	"hearth/data/backend"
)

const configUsage = `Usage:
  hearth config init [--config PATH]   write a commented example configuration
  hearth config path                   print where hearth looks for its configuration
  hearth config check [FILE]           check the configuration (FILE, else --config
                                       or the default file): its syntax, that each
                                       git path is a repository and each GitHub
                                       repo is owner/name; one line per problem

The configuration lives in $XDG_CONFIG_HOME/hearth/config.toml (by default
~/.config/hearth/config.toml). init never replaces an existing file.
`

func runConfig(ctx context.Context, app *App, args []string) error {
	fs := newFlags("config")
	cfgPath := fs.String("config", "", "configuration `file` (default $XDG_CONFIG_HOME/hearth/config.toml)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", configUsage, flagUsages(fs))
			return nil
		}
		return usageErrorf("config: %v (see hearth config --help)", err)
	}
	if fs.NArg() == 2 && fs.Arg(0) == "check" {
		if *cfgPath != "" {
			return usageErrorf("config check: give the file once, as FILE or --config")
		}
		*cfgPath = fs.Arg(1)
	} else if fs.NArg() != 1 {
		return usageErrorf("config: say init, path or check (see hearth config --help)")
	}
	path, err := app.env().ConfigPath(*cfgPath)
	if err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "init":
		if err := config.WriteExample(path); err != nil {
			return err
		}
		app.printf(app.Stdout, "wrote %s\n", path)
	case "path":
		app.printf(app.Stdout, "%s\n", path)
	case "check":
		c, err := config.Load(path)
		if err != nil {
			return err
		}
		if c.Path == "" {
			if fs.NArg() == 2 {
				return fmt.Errorf("config check: %s does not exist", path)
			}
			app.printf(app.Stdout, "%s does not exist: using the defaults\n", path)
			return nil
		}
		switch problems := c.Check(ctx); len(problems) {
		case 0:
		case 1:
			return errors.New(problems[0].String())
		default:
			for _, p := range problems {
				app.printf(app.Stderr, "hearth: %s\n", errorLine(p.String()))
			}
			return fmt.Errorf("%s: %d problems", path, len(problems))
		}
		app.printf(app.Stdout, "%s: ok (%s)\n", path, sourceCounts(c))
	default:
		return usageErrorf("config: unknown subcommand %q (init, path or check)", fs.Arg(0))
	}
	return nil
}

// sourceCounts says how many sources of each kind a config lists:
// "1 git, 1 github source".
func sourceCounts(c *config.Config) string {
	n := map[string]int{}
	for _, s := range backend.ConfiguredSources(c) {
		n[s.Kind]++
	}
	var parts []string
	total := 0
	for _, k := range backend.Kinds() {
		parts = append(parts, fmt.Sprintf("%d %s", n[k.Name], k.Name))
		total += n[k.Name]
	}
	word := "sources"
	if total == 1 {
		word = "source"
	}
	return strings.Join(parts, ", ") + " " + word
}
