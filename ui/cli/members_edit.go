package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

const membersEditUsage = `Usage: hearth members edit MEMBER [--note TEXT] [--tag T] [--untag T] [--flag F] [--unflag F]

Writes what you know about a member: adds a note, adds or removes tags and
flags. --tag, --untag, --flag and --unflag may be repeated. A new tag or flag
goes on the member's account MEMBER names (its most active one for an id);
one removed comes off every account of the member. Flags are speaker,
mentor, staff, do-not-contact, core and maintainer. Each change is recorded
on its own: hearth undo reverts the last one.

MEMBER is a member id, an @handle or an e-mail address.
`

// knownFlags are the flags a member may carry, as the Members tab offers
// them.
var knownFlags = []string{"speaker", "mentor", "staff", "do-not-contact", "core", "maintainer"}

func runMembersEdit(ctx context.Context, app *App, args []string) error {
	var note string
	var tags, untags, flags, unflags []string
	fs := newFlags("members edit")
	fs.StringVar(&note, "note", "", "add a note `TEXT`")
	fs.StringArrayVar(&tags, "tag", nil, "add the tag `T` (repeatable)")
	fs.StringArrayVar(&untags, "untag", nil, "remove the tag `T` (repeatable)")
	fs.StringArrayVar(&flags, "flag", nil, "set the flag `F` (repeatable)")
	fs.StringArrayVar(&unflags, "unflag", nil, "remove the flag `F` (repeatable)")
	help, err := app.parseCommand("members edit", membersEditUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("members edit: give one MEMBER (see hearth members edit --help)")
	}
	if !fs.Changed("note") && len(tags)+len(untags)+len(flags)+len(unflags) == 0 {
		return usageErrorf("members edit: nothing to change (give --note, --tag, --untag, --flag or --unflag)")
	}
	if fs.Changed("note") && strings.TrimSpace(note) == "" {
		return usageErrorf("members edit: the note is empty")
	}
	for _, l := range slices.Concat(tags, untags, flags, unflags) {
		if strings.TrimSpace(l) == "" {
			return usageErrorf("members edit: an empty tag or flag")
		}
	}
	for _, f := range slices.Concat(flags, unflags) {
		if !slices.Contains(knownFlags, f) {
			return usageErrorf("members edit: unknown flag %q (flags: %s)", f, strings.Join(knownFlags, ", "))
		}
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ref := fs.Arg(0)
	who, err := findMember(ctx, st, "members edit", ref)
	if err != nil {
		return err
	}
	// New labels and the note go on the account MEMBER names; removals
	// reach every account of the member.
	all := []string{who.Key()}
	if who.MemberID != 0 {
		d, err := st.MemberDetail(ctx, who.MemberID, 0)
		if err != nil {
			return fmt.Errorf("members edit: %w", err)
		}
		for _, i := range d.Identities {
			if k := i.Key(); k != who.Key() {
				all = append(all, k)
			}
		}
	}
	target := all[0]
	var done []string
	say := func(s string) { done = append(done, s) }
	// Each change is written on its own; what was written before a
	// failure stays written and is reported with the error.
	fail := func(err error) error {
		if len(done) > 0 {
			return fmt.Errorf("%w (done before it: %s)", err, strings.Join(done, ", "))
		}
		return err
	}
	if fs.Changed("note") {
		if _, err := w.AddNote(ctx, target, note); err != nil {
			return fail(err)
		}
		say("note added")
	}
	for _, t := range tags {
		if err := w.Tag(ctx, target, t); err != nil {
			return fail(err)
		}
		say("+" + clean(t))
	}
	for _, t := range untags {
		for _, k := range all {
			if err := w.Untag(ctx, k, t); err != nil {
				return fail(err)
			}
		}
		say("-" + clean(t))
	}
	for _, f := range flags {
		if err := w.Flag(ctx, target, f); err != nil {
			return fail(err)
		}
		say("flag +" + f)
	}
	for _, f := range unflags {
		for _, k := range all {
			if err := w.Unflag(ctx, k, f); err != nil {
				return fail(err)
			}
		}
		say("flag -" + f)
	}
	app.printf(app.Stdout, "member %d: %s · hearth undo reverts the last change\n", who.MemberID, strings.Join(done, ", "))
	return nil
}
