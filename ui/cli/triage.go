package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const triageUsage = `Usage: hearth questions triage KEY [flags]

Triages one question: assign it, snooze it, mark it done or open again,
note something about it. KEY is the question's key, as the key column of
"hearth questions --format json" (or csv) shows it: source#id. MEMBER is a
member id, an @handle or an e-mail address.

A snoozed or done question leaves the list of unanswered questions; a
snoozed one comes back on its date. Every change is recorded and "hearth
undo" reverts it. If someone else triaged the question since it was read,
nothing is written and hearth says so.
`

// triageFlags are what triage was asked to change.
type triageFlags struct {
	assign   string
	unassign bool
	snooze   string
	done     bool
	reopen   bool
	note     string
}

func runTriage(ctx context.Context, app *App, args []string) error {
	var f triageFlags
	fs := newFlags("questions triage")
	fs.StringVar(&f.assign, "assign", "", "assign the question to `MEMBER` (id, @handle or e-mail)")
	fs.BoolVar(&f.unassign, "unassign", false, "remove the assignee")
	fs.StringVar(&f.snooze, "snooze", "", "hide it until `DATE` (2006-01-02) or for a DURATION (3d, 1w, 12h)")
	fs.BoolVar(&f.done, "done", false, "mark it done")
	fs.BoolVar(&f.reopen, "reopen", false, "open it again (neither done nor snoozed)")
	fs.StringVar(&f.note, "note", "", "set the note to `TEXT` (\"\" clears it)")
	help, err := app.parseCommand("questions triage", triageUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("questions triage: give one question key (see hearth questions triage --help)")
	}
	key := fs.Arg(0)
	if _, _, ok := model.ParseQuestionKey(key); !ok {
		return usageErrorf("questions triage: %q is not a question key (source#id, as hearth questions --format json shows it)", key)
	}
	changes := 0
	for _, name := range []string{"assign", "unassign", "snooze", "done", "reopen", "note"} {
		if fs.Changed(name) {
			changes++
		}
	}
	switch {
	case changes == 0:
		return usageErrorf("questions triage: nothing to change (give --assign, --snooze, --done, --reopen or --note)")
	case fs.Changed("assign") && f.unassign:
		return usageErrorf("questions triage: --assign and --unassign cannot be used together")
	case boolCount(fs.Changed("snooze"), f.done, f.reopen) > 1:
		return usageErrorf("questions triage: choose one of --snooze, --done and --reopen")
	}
	now := app.Now()
	var until time.Time
	if fs.Changed("snooze") {
		until, err = model.ParseSnooze(f.snooze, now, app.zone())
		if err != nil {
			return usageErrorf("questions triage: --snooze: %v", err)
		}
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	q, err := st.QuestionByKey(ctx, key)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no question %s (see hearth questions --format json for the keys)", key)
		}
		return err
	}
	t := q.Triage
	switch {
	case fs.Changed("assign"):
		who, err := st.FindMember(ctx, f.assign)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("questions triage: no member %s", f.assign)
			}
			return fmt.Errorf("questions triage: %w", err)
		}
		t.Assignee = assigneeName(who)
	case f.unassign:
		t.Assignee = ""
	}
	switch {
	case fs.Changed("snooze"):
		t.Status, t.SnoozedUntil = model.TriageSnoozed, until
	case f.done:
		t.Status, t.SnoozedUntil = model.TriageDone, time.Time{}
	case f.reopen:
		t.Status, t.SnoozedUntil = model.TriageOpen, time.Time{}
	}
	if fs.Changed("note") {
		t.Note = f.note
	}
	got, err := w.SetTriage(ctx, q.Source, q.ExternalID, q.Triage.Version, t)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "%s: %s\n", clean(key), triageState(got, app.zone()))
	return nil
}

func boolCount(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// assigneeName is how a triage names the member it is assigned to: the
// @handle of the identity the person typed, else its address or id.
func assigneeName(i model.Identity) string {
	switch {
	case i.Username != "":
		return "@" + i.Username
	case i.Email != "":
		return i.Email
	}
	return i.Source + ":" + i.ExternalID
}

// triageState says a triage in words, as the Questions tab does.
func triageState(t model.Triage, zone *time.Location) string {
	var parts []string
	switch t.Status {
	case model.TriageDone:
		parts = append(parts, "done")
	case model.TriageSnoozed:
		parts = append(parts, "snoozed until "+model.Day(t.SnoozedUntil, zone))
	default:
		parts = append(parts, "open")
	}
	if t.Assignee != "" {
		parts = append(parts, "assigned to "+clean(t.Assignee))
	} else {
		parts = append(parts, "unassigned")
	}
	if t.Note != "" {
		parts = append(parts, "note: "+clean(t.Note))
	}
	return strings.Join(parts, ", ")
}
