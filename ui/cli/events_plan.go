package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hearth/data/ical"
	"hearth/data/store"
	"hearth/model"
)

const eventsPlanUsage = `Usage: hearth events add --name NAME --start TIME [flags]
       hearth events edit UID [flags]
       hearth events delete UID
       hearth events speaker UID --name NAME [--member @HANDLE|SOURCE:ID] [--talk T] [--status S]
       hearth events speaker UID --id ID --status confirmed
       hearth events task UID --title T [--owner O] [--due TIME]
       hearth events task UID --done ID | --undone ID
       hearth events budget UID --label L --amount 12.50 --currency EUR [--category C]
       hearth events budget UID --id ID [--label L] [--amount A] [--currency C] [--category C]
       hearth events attendee UID --name NAME [--member @HANDLE|SOURCE:ID] [--status S]
       hearth events attendee UID --id ID --status attended
       hearth events speaker|task|budget|attendee UID --delete ID
       hearth events show UID
       hearth events import FILE.ics

Plans events by hand. Times are "2026-03-05 18:30", "2026-03-05T18:30",
RFC 3339 or a date ("2026-03-05"), read in --tz (an IANA zone such as
Europe/Berlin; default the display zone). add prints the new event's UID;
edit changes only the flags given. Every change can be reverted with
hearth undo. Events synced from a calendar feed cannot be edited or
deleted, but speakers, tasks and budget lines may be attached to them.
show prints an event with its plan: every speaker, task, budget line and
attendee with the id the commands above take, and the budget's total per
currency. Amounts are in the currency's units (12.50 EUR, 1200 JPY);
attendees are registered, attended or cancelled.

import reads an iCalendar file and adds or updates its events by UID, as
planned events; the speakers, tasks and budget lines attached to them are
never changed, and events synced from a feed are left alone. A malformed
file imports nothing.
`

// eventsSubcommands are the words after "hearth events" that are not the
// listing.
var eventsSubcommands = map[string]func(ctx context.Context, app *App, args []string) error{
	"add":    runEventsAdd,
	"edit":   runEventsEdit,
	"delete": runEventsDelete,
	"speaker": func(ctx context.Context, app *App, args []string) error {
		return runEventsPlan(ctx, app, "speaker", args)
	},
	"task": func(ctx context.Context, app *App, args []string) error { return runEventsPlan(ctx, app, "task", args) },
	"budget": func(ctx context.Context, app *App, args []string) error {
		return runEventsPlan(ctx, app, "budget", args)
	},
	"attendee": func(ctx context.Context, app *App, args []string) error {
		return runEventsPlan(ctx, app, "attendee", args)
	},
	"show":   runEventsShow,
	"import": runEventsImport,
}

// eventFlags are the fields of an event as flags.
type eventFlags struct {
	name, kind, place, url, description string
	start, end, tz                      string
	cfpOpens, cfpCloses, cfpURL         string
	capacity                            int64
}

func (f *eventFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.name, "name", "", "the event's `name`")
	fs.StringVar(&f.start, "start", "", "when it starts (`time`)")
	fs.StringVar(&f.end, "end", "", "when it ends (`time`)")
	fs.StringVar(&f.tz, "tz", "", "the IANA time `zone` it is planned in (Europe/Berlin)")
	fs.StringVar(&f.kind, "kind", "", "meetup, conference, workshop… (`kind`)")
	fs.StringVar(&f.place, "place", "", "where (`place`)")
	fs.StringVar(&f.url, "url", "", "the event's `URL`")
	fs.StringVar(&f.description, "description", "", "a `description`")
	fs.StringVar(&f.cfpOpens, "cfp-opens", "", "when the call for papers opens (`time`)")
	fs.StringVar(&f.cfpCloses, "cfp-closes", "", "when the call for papers closes (`time`)")
	fs.StringVar(&f.cfpURL, "cfp-url", "", "where to submit talks (`URL`)")
	fs.Int64Var(&f.capacity, "capacity", 0, "how many people fit (`n`, 0 = not set)")
}

// apply writes the flags that were given onto p.
func (f *eventFlags) apply(fs *pflag.FlagSet, p *store.EventPlan, display *time.Location) error {
	set := fs.Changed
	if set("tz") {
		p.Zone = strings.TrimSpace(f.tz)
	}
	loc := display
	if p.Zone != "" {
		l, err := model.EventZone(p.Zone)
		if err != nil {
			return usageErrorf("events: %v", err)
		}
		loc = l
	}
	for _, t := range []struct {
		flag, val string
		to        *time.Time
	}{{"start", f.start, &p.Start}, {"end", f.end, &p.End}, {"cfp-opens", f.cfpOpens, &p.CFPOpens}, {"cfp-closes", f.cfpCloses, &p.CFPCloses}} {
		if !set(t.flag) {
			continue
		}
		v, err := model.ParseEventTime(t.val, loc)
		if err != nil {
			return usageErrorf("events: --%s: %v", t.flag, err)
		}
		*t.to = v
	}
	for _, s := range []struct {
		flag, val string
		to        *string
	}{{"name", f.name, &p.Name}, {"kind", strings.ToLower(f.kind), &p.Kind}, {"place", f.place, &p.Place},
		{"url", f.url, &p.URL}, {"description", f.description, &p.Description}, {"cfp-url", f.cfpURL, &p.CFPURL}} {
		if set(s.flag) {
			*s.to = strings.TrimSpace(s.val)
		}
	}
	if set("capacity") {
		if f.capacity < 0 {
			return usageErrorf("events: --capacity must be 0 (not set) or more")
		}
		p.Capacity = f.capacity
	}
	return nil
}

// eventsSubcommand finds a subcommand among args (global flags may come
// first) and returns it with the other arguments.
func eventsSubcommand(args []string) (func(context.Context, *App, []string) error, []string) {
	for i, a := range args {
		if run, ok := eventsSubcommands[a]; ok {
			return run, append(append([]string{}, args[:i]...), args[i+1:]...)
		}
		if !strings.HasPrefix(a, "-") && (i == 0 || !flagTakesValue(args[i-1])) {
			break
		}
	}
	return nil, nil
}

// oneUID parses the flags of a subcommand that takes one event UID.
func (a *App) oneUID(name string, fs *pflag.FlagSet, args []string) (uid string, help bool, err error) {
	help, err = a.parseCommand("events "+name, eventsPlanUsage, fs, args)
	if err != nil || help {
		return "", help, err
	}
	if fs.NArg() != 1 {
		return "", false, usageErrorf("events %s: give one event UID (see hearth events %s --help)", name, name)
	}
	return fs.Arg(0), false, nil
}

func runEventsAdd(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events add")
	var f eventFlags
	f.register(fs)
	help, err := app.parseCommand("events add", eventsPlanUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("events add: unexpected argument %q", fs.Arg(0))
	}
	if strings.TrimSpace(f.name) == "" {
		return usageErrorf("events add: --name is required")
	}
	if strings.TrimSpace(f.start) == "" {
		return usageErrorf("events add: --start is required")
	}
	var p store.EventPlan
	if err := f.apply(fs, &p, app.zone()); err != nil {
		return err
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	uid, err := w.AddEvent(ctx, p)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "%s\n", uid)
	return nil
}

func runEventsEdit(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events edit")
	var f eventFlags
	f.register(fs)
	uid, help, err := app.oneUID("edit", fs, args)
	if err != nil || help {
		return err
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.EventPlan(ctx, uid)
	if err != nil {
		return err
	}
	if err := f.apply(fs, &p, app.zone()); err != nil {
		return err
	}
	if err := w.EditEvent(ctx, p); err != nil {
		return err
	}
	app.printf(app.Stdout, "edited %s\n", clean(uid))
	return nil
}

func runEventsDelete(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events delete")
	uid, help, err := app.oneUID("delete", fs, args)
	if err != nil || help {
		return err
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := w.DeleteEvent(ctx, uid); err != nil {
		return err
	}
	app.printf(app.Stdout, "deleted %s and its plans (hearth undo brings them back)\n", clean(uid))
	return nil
}

// runEventsPlan adds, edits or deletes a speaker, task or budget line.
func runEventsPlan(ctx context.Context, app *App, kind string, args []string) error {
	fs := newFlags("events " + kind)
	var name, member, talk, status, title, owner, due, label, category, amount, currency string
	var id, del, done, undone int64
	fs.Int64Var(&del, "delete", 0, "delete the "+kind+" with this `id`")
	switch kind {
	case "speaker":
		fs.StringVar(&name, "name", "", "the speaker's `name`")
		fs.StringVar(&member, "member", "", "the speaker as a `member`: @handle, e-mail, member id or source:id")
		fs.StringVar(&talk, "talk", "", "the talk's `title`")
		fs.StringVar(&status, "status", "", "invited, confirmed or declined (`status`)")
		fs.Int64Var(&id, "id", 0, "change the speaker with this `id` instead of adding one")
	case "task":
		fs.StringVar(&title, "title", "", "what to do (`title`)")
		fs.StringVar(&owner, "owner", "", "who does it (`name`)")
		fs.StringVar(&due, "due", "", "when it is due (`time`)")
		fs.Int64Var(&done, "done", 0, "tick the task with this `id`")
		fs.Int64Var(&undone, "undone", 0, "untick the task with this `id`")
	case "budget":
		fs.StringVar(&label, "label", "", "what the money is for (`label`)")
		fs.StringVar(&category, "category", "", "travel, venue, catering, swag… (`category`)")
		fs.StringVar(&amount, "amount", "", "the `amount` in the currency's units (12.50)")
		fs.StringVar(&currency, "currency", "EUR", "ISO 4217 currency `code`")
		fs.Int64Var(&id, "id", 0, "change the budget line with this `id` instead of adding one")
	case "attendee":
		fs.StringVar(&name, "name", "", "the attendee's `name`")
		fs.StringVar(&member, "member", "", "the attendee as a `member`: @handle, e-mail, member id or source:id")
		fs.StringVar(&status, "status", "", "registered, attended or cancelled (`status`)")
		fs.Int64Var(&id, "id", 0, "change the attendee with this `id` instead of adding one")
	}
	uid, help, err := app.oneUID(kind, fs, args)
	if err != nil || help {
		return err
	}
	// set copies a flag's value into a row's field when the flag was given:
	// an edit changes only what was asked.
	set := func(flag string, dst *string, v string) {
		if fs.Changed(flag) {
			*dst = v
		}
	}
	// Check the flags before the database is opened.
	var add func(w *store.Writer) (int64, error)
	var edit func(st *store.Store, w *store.Writer) error
	switch {
	case del != 0:
		edit = func(st *store.Store, w *store.Writer) error { return w.DeletePlan(ctx, kind, del) }
	case kind == "speaker" && id != 0:
		edit = func(st *store.Store, w *store.Writer) error {
			return editPlanRow(ctx, st, uid, kind, id, func(e *model.Event) []model.Speaker { return e.Speakers },
				func(sp *model.Speaker) int64 { return sp.ID }, func(sp *model.Speaker) error {
					set("name", &sp.Name, name)
					set("member", &sp.MemberKey, member)
					set("talk", &sp.Talk, talk)
					set("status", &sp.Status, strings.ToLower(status))
					return w.EditSpeaker(ctx, id, 0, *sp)
				})
		}
	case kind == "speaker":
		if strings.TrimSpace(name) == "" && member == "" {
			return usageErrorf("events speaker: --name or --member is required")
		}
		add = func(w *store.Writer) (int64, error) {
			return w.AddSpeaker(ctx, uid, model.Speaker{Name: name, MemberKey: member, Talk: talk, Status: strings.ToLower(status)})
		}
	case kind == "task" && (done != 0 || undone != 0):
		edit = func(st *store.Store, w *store.Writer) error {
			if done != 0 {
				return w.SetTaskDone(ctx, done, true)
			}
			return w.SetTaskDone(ctx, undone, false)
		}
	case kind == "task":
		if strings.TrimSpace(title) == "" {
			return usageErrorf("events task: --title is required")
		}
		d, err := model.ParseEventTime(due, app.zone())
		if err != nil {
			return usageErrorf("events task: --due: %v", err)
		}
		add = func(w *store.Writer) (int64, error) {
			return w.AddTask(ctx, uid, model.Task{Title: title, Owner: owner, Due: d})
		}
	case kind == "budget" && id != 0:
		edit = func(st *store.Store, w *store.Writer) error {
			return editPlanRow(ctx, st, uid, "budget line", id, func(e *model.Event) []model.BudgetLine { return e.Budget },
				func(b *model.BudgetLine) int64 { return b.ID }, func(b *model.BudgetLine) error {
					set("label", &b.Item, label)
					set("category", &b.Category, category)
					if fs.Changed("currency") {
						code, err := model.CurrencyCode(currency)
						if err != nil {
							return usageErrorf("events budget: --currency: %v", err)
						}
						if !fs.Changed("amount") && code != b.Currency {
							// Keep the amount's value, not its minor units.
							amount, err := model.ParseAmount(model.AmountText(b.AmountCents, b.Currency), code)
							if err != nil {
								return usageErrorf("events budget: give --amount with --currency: %v", err)
							}
							b.AmountCents = amount
						}
						b.Currency = code
					}
					if fs.Changed("amount") {
						minor, err := model.ParseAmount(amount, b.Currency)
						if err != nil {
							return usageErrorf("events budget: --amount: %v", err)
						}
						b.AmountCents = minor
					}
					return w.EditBudgetLine(ctx, id, 0, *b)
				})
		}
	case kind == "attendee" && id != 0:
		edit = func(st *store.Store, w *store.Writer) error {
			return editPlanRow(ctx, st, uid, kind, id, func(e *model.Event) []model.Attendee { return e.Attendees },
				func(a *model.Attendee) int64 { return a.ID }, func(a *model.Attendee) error {
					set("name", &a.Name, name)
					set("member", &a.MemberKey, member)
					set("status", &a.Status, strings.ToLower(status))
					return w.EditAttendee(ctx, id, 0, *a)
				})
		}
	case kind == "attendee":
		if strings.TrimSpace(name) == "" && member == "" {
			return usageErrorf("events attendee: --name or --member is required")
		}
		add = func(w *store.Writer) (int64, error) {
			return w.AddAttendee(ctx, uid, model.Attendee{Name: name, MemberKey: member, Status: strings.ToLower(status)})
		}
	case kind == "budget":
		if strings.TrimSpace(label) == "" {
			return usageErrorf("events budget: --label is required")
		}
		code, err := model.CurrencyCode(currency)
		if err != nil {
			return usageErrorf("events budget: --currency: %v", err)
		}
		cents, err := model.ParseAmount(amount, code)
		if err != nil {
			return usageErrorf("events budget: --amount: %v", err)
		}
		currency = code
		add = func(w *store.Writer) (int64, error) {
			return w.AddBudgetLine(ctx, uid, model.BudgetLine{Item: label, Category: category, AmountCents: cents, Currency: currency})
		}
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if strings.TrimSpace(member) != "" {
		// An @handle, e-mail or member id names the member's identity.
		key, found, err := st.PlanMember(ctx, member)
		if err != nil {
			return err
		}
		member = key
		if strings.TrimSpace(name) == "" && !fs.Changed("name") {
			name = found
		}
	}
	if edit != nil {
		if err := edit(st, w); err != nil {
			return err
		}
		app.printf(app.Stdout, "done\n")
		return nil
	}
	newID, err := add(w)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "%d\n", newID)
	return nil
}

func runEventsImport(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events import")
	help, err := app.parseCommand("events import", eventsPlanUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("events import: give one .ics file")
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("events import: %w", err)
	}
	cal, err := ical.ReadCalendar(file, data)
	if err != nil {
		return fmt.Errorf("events import: %w", err)
	}
	plans := make([]store.EventPlan, len(cal))
	for i := range cal {
		plans[i] = cal[i].Plan()
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	added, updated, skipped, err := w.ImportEvents(ctx, file, plans)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "%d added, %d updated, %d unchanged", added, updated, len(plans)-added-updated-skipped)
	if skipped > 0 {
		app.printf(app.Stdout, ", %d left alone (synced from a feed)", skipped)
	}
	app.printf(app.Stdout, "\n")
	return nil
}

// isICS reports whether the listing's arguments ask for --format ics.
func isICS(args []string) bool {
	for i, a := range args {
		if strings.EqualFold(a, "--format=ics") || (a == "--format" && i+1 < len(args) && strings.EqualFold(args[i+1], "ics")) {
			return true
		}
	}
	return false
}

// runEventsICS writes the listing as an iCalendar file.
func runEventsICS(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events")
	var l listFlags
	l.register(fs)
	help, err := app.parseCommand("events", eventsUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("events: unexpected argument %q (to filter, use --filter)", fs.Arg(0))
	}
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	now := app.Now()
	evs, err := st.Events(ctx, now)
	if err != nil {
		return err
	}
	var out []ical.Planned
	err = matchRows(evs, func(e *model.Event) string { return model.EventText(e, app.zone()) }, l.filter, func(e *model.Event) (bool, error) {
		p, err := st.EventPlan(ctx, e.UID)
		if err != nil {
			return false, err
		}
		out = append(out, ical.FromPlan(&p))
		return l.limit == 0 || len(out) < l.limit, nil
	})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(app.Stdout)
	if err := ical.WriteCalendar(bw, out, now); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// editPlanRow finds the plan row id (a speaker, budget line or attendee,
// what) among rows of event uid and hands it to write, which changes the
// fields given and saves it.
func editPlanRow[T any](ctx context.Context, st *store.Store, uid, what string, id int64,
	rows func(*model.Event) []T, idOf func(*T) int64, write func(*T) error) error {
	e, err := st.Event(ctx, uid)
	if err != nil {
		return err
	}
	for _, r := range rows(&e) {
		if idOf(&r) == id {
			return write(&r)
		}
	}
	return fmt.Errorf("event %s has no %s %d", uid, what, id)
}
