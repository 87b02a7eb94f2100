package cli

import (
	"context"
	"strings"

	"github.com/spf13/pflag"
)

func mainUsage(fs *pflag.FlagSet) string {
	var b strings.Builder
	b.WriteString(`Usage: hearth [flags] [command]

hearth shows your community from the terminal: who knows what, how people
move from first question to maintainer, what is waiting for an answer and
which events are coming. Without a command it opens the interactive view.

Commands:
  members     list members, most active first; edit one (notes, tags, flags)
  people      merge and split members by hand; list possible duplicates
  questions   list unanswered questions, oldest first; triage one
  events      list events, upcoming first; plan them; iCalendar in and out
  health      report the community's health: funnel, retention, response times
  report      a period against the previous one, as Markdown, HTML or JSON
  who         who knows a topic, directory or file, with the evidence
  undo        revert the last change made by hand
  userdata    export or import everything typed by hand (JSON)
  forget      erase a person for good (right to erasure); cannot be undone
  sync        refresh the database from the community's sources
  config      write, locate or check the configuration file
  demo        write a demo community into a database
  serve       serve the interactive view over SSH
  version     print the version
  help        show help for a command

Flags:
`)
	b.WriteString(flagUsages(fs))
	b.WriteString(`
Environment:
  HEARTH_DB     database path when --db is not given
  NO_COLOR      any non-empty value turns colour off
  HEARTH_ACTOR  the name changes are recorded under (default: your login)

Run "hearth <command> --help" for the flags of a command.
`)
	return b.String()
}

// runHelp prints the help of a command: "hearth help members".
func runHelp(ctx context.Context, app *App, args []string) error {
	switch {
	case len(args) == 0:
		return app.dispatch(ctx, []string{"--help"})
	case len(args) > 1:
		return usageErrorf("help takes one command name")
	}
	cmd, ok := command(args[0])
	if !ok || args[0] == "help" {
		return usageErrorf("unknown command %q (see hearth --help)", args[0])
	}
	return cmd(ctx, app, []string{"--help"})
}

// flagUsages lists a FlagSet's flags, one per line: "--name value  usage
// (default x)". Boolean flags are shown bare, as they are typed.
func flagUsages(fs *pflag.FlagSet) string {
	type line struct{ left, usage string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		if f.Value.Type() != "bool" {
			if name != "" {
				left += " " + name
			}
			if f.DefValue != "" && f.DefValue != "0" {
				usage += " (default " + f.DefValue + ")"
			}
		}
		lines = append(lines, line{left, usage})
		width = max(width, len(left))
	})
	lines = append(lines, line{"  -h, --help", "show this help"})
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.left)
		b.WriteString(strings.Repeat(" ", width-len(l.left)+3))
		b.WriteString(l.usage)
		b.WriteByte('\n')
	}
	return b.String()
}
