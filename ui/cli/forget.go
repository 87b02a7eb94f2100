package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

const forgetUsage = `Usage: hearth forget MEMBER [--yes]

Erases a person from the database, for a request to be forgotten: every
account of the member, their activities, the questions they asked, their
name as the one who answered others' questions, and everything typed by
hand about them (notes, tags, flags, merges and splits, triage
assignments, speakers and attendees linked to them). A one-way hash of
each account is kept so that no later sync brings them back.

MEMBER is a member id, an @handle or an e-mail address. hearth asks before
it forgets; --yes skips the question, and is required when the input is
not a terminal. This cannot be undone, not even by hearth undo.
`

func runForget(ctx context.Context, app *App, args []string) error {
	var yes bool
	var cfgPath string
	fs := newFlags("forget")
	fs.BoolVar(&yes, "yes", false, "do not ask for confirmation")
	fs.StringVar(&cfgPath, "config", "", "config file `path` (its people rules regroup the members after)")
	help, err := app.parseCommand("forget", forgetUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("forget: give one MEMBER (see hearth forget --help)")
	}
	interactive := inputTerminal(app.Stdin)
	if !yes && !interactive {
		return usageErrorf("forget: the input is not a terminal; give --yes to forget without asking")
	}
	cfg, err := app.env().LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ref := fs.Arg(0)
	who, err := findMember(ctx, st, "forget", ref)
	if err != nil {
		return err
	}
	sc, err := st.ForgetScope(ctx, who)
	if err != nil {
		return err
	}
	if !yes {
		q := fmt.Sprintf("Forget %s and %s? This cannot be undone. [y/N] ", clean(sc.Name), plural(len(sc.IDs), "account"))
		if !confirm(app.Stdin, app.Stderr, q) {
			return errors.New("forget: nothing forgotten")
		}
	}
	got, err := w.Forget(ctx, sc, cfg.PeopleRules(), cfg.Rules())
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "forgotten: %s, %s, %s asked, %s typed by hand\n",
		plural(got.Identities, "account"), plural(got.Activities, "activity"),
		plural(got.Questions, "question"), plural(got.UserData, "record"))
	return nil
}

// inputTerminal reports whether r is a terminal a person can answer on.
func inputTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks question on out and reports whether the answer read from
// in is yes ("y" or "yes", any case); anything else, or no answer, is no.
func confirm(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(out)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// plural says n things: "1 account", "3 accounts", "2 activities".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
