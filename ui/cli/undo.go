package cli

import (
	"context"
	"errors"

	"hearth/data/store"
)

const undoUsage = `Usage: hearth undo [flags]

Reverts the last change made by hand (a triage, a note, a tag, a flag, a
link, an event planned or imported, a speaker, task or budget line),
whoever made it: the record gets back what it held before. Run it
again to revert the change before that. An undo is recorded like any other
change, but undo never reverts an undo. If someone changed the record
since, nothing is written and hearth says so. An import of user data is
not reverted by undo.
`

func runUndo(ctx context.Context, app *App, args []string) error {
	fs := newFlags("undo")
	help, err := app.parseCommand("undo", undoUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("undo: unexpected argument %q", fs.Arg(0))
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// An undone merge or split regroups the members at once (unless the
	// config cannot be read: then the next sync does).
	w = app.regrouping(ctx, st, w)
	ch, err := w.Undo(ctx)
	if errors.Is(err, store.ErrNothingToUndo) {
		return errors.New("nothing to undo")
	}
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "undone: %s (by %s, %s)\n", clean(ch.What), clean(ch.Actor),
		ch.At.In(app.zone()).Format("2006-01-02 15:04"))
	return nil
}
