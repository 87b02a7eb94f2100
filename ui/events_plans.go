package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"hearth/data/store"
	"hearth/model"
)

// The forms of the Events tab, one per thing a plan holds: the event
// itself, a speaker, a task, a budget line, an attendee. Each binds its
// fields to strings, checks them with the parsers the command line uses
// (model.ParseEventTime, model.ParseAmount, model.CurrencyCode,
// model.EventZone), and turns them into the value the writer takes.

// eventValues are the fields of the event form as typed.
type eventValues struct {
	name, kind, zone, start, end, place, link, description string
	cfpOpens, cfpCloses, cfpURL, capacity                  string
}

// eventValuesOf fills the form from a plan; times are shown in the
// event's zone, or in the display zone when it has none.
func eventValuesOf(p *store.EventPlan, display *time.Location) *eventValues {
	loc := planZone(p.Zone, display)
	v := &eventValues{name: p.Name, kind: p.Kind, zone: p.Zone, place: p.Place, link: p.URL, description: p.Description,
		start: model.EventTimeText(p.Start, loc), end: model.EventTimeText(p.End, loc),
		cfpOpens: model.EventTimeText(p.CFPOpens, loc), cfpCloses: model.EventTimeText(p.CFPCloses, loc), cfpURL: p.CFPURL}
	if p.Capacity > 0 {
		v.capacity = strconv.FormatInt(p.Capacity, 10)
	}
	return v
}

// planZone is where an event's times are read and shown: its zone, or
// the display zone when it has none (as the command line reads --start).
func planZone(zone string, display *time.Location) *time.Location {
	if zone == "" {
		return display
	}
	if loc, err := model.EventZone(zone); err == nil {
		return loc
	}
	return display
}

// apply writes the values onto p, with the first error found as a
// fieldError naming the form's field. It checks again what the fields
// checked as they were left, and what they could not: a field changed
// after a later one was checked against it (the start moved past the
// end, the zone changed under the times).
func (v *eventValues) apply(p *store.EventPlan, display *time.Location) error {
	if strings.TrimSpace(v.name) == "" {
		return fieldError{"Name", errors.New("a name is required")}
	}
	if _, err := model.EventZone(v.zone); err != nil {
		return fieldError{"Time zone", err}
	}
	p.Zone = strings.TrimSpace(v.zone)
	loc := planZone(p.Zone, display)
	for _, t := range []struct {
		field, val string
		to         *time.Time
	}{{"Start", v.start, &p.Start}, {"End", v.end, &p.End}, {"CFP opens", v.cfpOpens, &p.CFPOpens}, {"CFP closes", v.cfpCloses, &p.CFPCloses}} {
		at, err := model.ParseEventTime(t.val, loc)
		if err != nil {
			return fieldError{t.field, err}
		}
		*t.to = at
	}
	switch {
	case p.Start.IsZero():
		return fieldError{"Start", errors.New("a start is required")}
	case !p.End.IsZero() && !p.End.After(p.Start):
		return fieldError{"End", errors.New("must be after the start")}
	case !p.CFPOpens.IsZero() && !p.CFPCloses.IsZero() && !p.CFPCloses.After(p.CFPOpens):
		return fieldError{"CFP closes", errors.New("must be after it opens")}
	}
	p.Name, p.Kind, p.Place = strings.TrimSpace(v.name), strings.ToLower(strings.TrimSpace(v.kind)), strings.TrimSpace(v.place)
	p.URL, p.Description, p.CFPURL = strings.TrimSpace(v.link), strings.TrimSpace(v.description), strings.TrimSpace(v.cfpURL)
	p.Capacity = 0
	if c := strings.TrimSpace(v.capacity); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			return fieldError{"Capacity", fmt.Errorf("%q is not a number of people", c)}
		}
		p.Capacity = n
	}
	return nil
}

// checkLink accepts nothing or an http(s) address.
func checkLink(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not a web address (https://…)", s)
	}
	return nil
}

// eventForm is the form that adds (p.UID == "") or edits the event p.
func (t *eventsTab) eventForm(p store.EventPlan) *eventForm {
	display := t.c.Zone
	v := eventValuesOf(&p, display)
	if p.UID == "" && display != time.Local && display != nil {
		v.zone = display.String() // plan in the display zone unless told otherwise
	}
	loc := func() *time.Location { return planZone(strings.TrimSpace(v.zone), display) }
	timeIn := func(s string) (time.Time, error) { return model.ParseEventTime(s, loc()) }
	checkTime := func(req bool) func(string) error {
		return func(s string) error {
			if req && strings.TrimSpace(s) == "" {
				return fmt.Errorf("a start is required")
			}
			_, err := timeIn(s)
			return err
		}
	}
	after := func(first *string, what string, check func(string) error) func(string) error {
		return func(s string) error {
			if err := check(s); err != nil {
				return err
			}
			a, errA := timeIn(*first)
			z, _ := timeIn(s)
			if errA == nil && !a.IsZero() && !z.IsZero() && !z.After(a) {
				return fmt.Errorf("must be after %s", what)
			}
			return nil
		}
	}
	title := "New event"
	if p.UID != "" {
		title = "Edit " + model.CleanLine(p.Name)
	}
	return newEventForm(t.c, func() tea.Cmd {
		plan := p
		if err := v.apply(&plan, display); err != nil {
			return func() tea.Msg { return wroteMsg{err: err} }
		}
		if p.UID == "" {
			return t.write("event added · u undo", func(ctx context.Context, w EventWriter) (string, error) { return w.AddEvent(ctx, plan) })
		}
		return t.write("event saved · u undo", func(ctx context.Context, w EventWriter) (string, error) { return plan.UID, w.EditEvent(ctx, plan) })
	}, func(b *formBuilder) {
		b.group(title,
			b.input("Name", &v.name, "Berlin meetup", required("a name")),
			b.input("Kind", &v.kind, "meetup, conference, workshop", nil),
			b.input("Time zone", &v.zone, "Europe/Berlin (empty: the display zone)", func(s string) error { _, err := model.EventZone(s); return err }),
			b.input("Start", &v.start, "2026-03-05 18:30", checkTime(true)),
			b.input("End", &v.end, "2026-03-05 21:00", after(&v.start, "the start", checkTime(false))),
			b.input("Place", &v.place, "where", nil),
			b.input("Link", &v.link, "https://…", checkLink),
		)
		b.group(title+" · call for papers",
			b.input("Description", &v.description, "what it is about", nil),
			b.input("CFP opens", &v.cfpOpens, "2026-01-10", checkTime(false)),
			b.input("CFP closes", &v.cfpCloses, "2026-02-01 23:59", after(&v.cfpOpens, "it opens", checkTime(false))),
			b.input("CFP link", &v.cfpURL, "https://…", checkLink),
			b.input("Capacity", &v.capacity, "how many people fit", func(s string) error {
				if s = strings.TrimSpace(s); s == "" {
					return nil
				}
				if n, err := strconv.ParseInt(s, 10, 64); err != nil || n < 0 {
					return fmt.Errorf("%q is not a number of people", s)
				}
				return nil
			}),
		)
	})
}

// speakerForm adds a speaker to the event uid (sp.ID == 0) or edits sp.
func (t *eventsTab) speakerForm(uid string, sp model.Speaker) *eventForm {
	name, member, talk, status := sp.Name, sp.MemberKey, sp.Talk, sp.Status
	if status == "" {
		status = "invited"
	}
	title := "New speaker"
	if sp.ID != 0 {
		title = "Edit speaker " + model.CleanLine(sp.Name)
	}
	return newEventForm(t.c, func() tea.Cmd {
		s := model.Speaker{Name: strings.TrimSpace(name), Talk: strings.TrimSpace(talk), Status: status}
		ref, finder, pick := strings.TrimSpace(member), t.finder(), t.c.Keys.PickMember.Help().Key
		notice := "speaker saved · u undo"
		if sp.ID == 0 {
			notice = "speaker added · u undo"
		}
		return t.write(notice, func(ctx context.Context, w EventWriter) (string, error) {
			var err error
			if s.MemberKey, s.Name, err = findMember(ctx, finder, ref, s.Name); err != nil {
				return "", fieldError{"Member", memberError(ref, pick, err)}
			}
			if sp.ID == 0 {
				_, err = w.AddSpeaker(ctx, uid, s)
			} else {
				err = w.EditSpeaker(ctx, sp.ID, 0, s)
			}
			return uid, err
		})
	}, func(b *formBuilder) {
		b.group(title,
			b.input("Name", &name, "Grace Hopper", nil),
			b.memberInput("Member", &member, "@handle, e-mail, member id or source:id (optional)", nameOrMember(&name), memberRef),
			b.input("Talk", &talk, "the talk's title", nil),
			huh.NewSelect[string]().Title("Status").Options(huh.NewOptions("invited", "confirmed", "declined")...).Value(&status),
		)
	})
}

// nameOrMember checks a member's key and that a name or a member is given.
func nameOrMember(name *string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" && strings.TrimSpace(*name) == "" {
			return fmt.Errorf("a name or a member is required")
		}
		return checkMemberKey(s)
	}
}

// checkMemberKey accepts nothing, an identity key (source:id), or what
// store.FindMember resolves: an @handle, an e-mail address, a member id.
func checkMemberKey(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if src, id, ok := strings.Cut(s, ":"); ok && src != "" && id != "" {
		return nil
	}
	if strings.Contains(s, "@") && len(s) > 1 {
		return nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return nil
	}
	return fmt.Errorf("%q is not a member (@handle, e-mail, member id or source:id)", s)
}

// memberFinder resolves a reference to a member; *store.Store has it.
type memberFinder interface {
	PlanMember(ctx context.Context, ref string) (key, name string, err error)
}

// finder is the store's member lookup, nil when it has none.
func (t *eventsTab) finder() memberFinder {
	f, _ := t.c.Store.(memberFinder)
	return f
}

// findMember turns what the Member field holds into the identity key
// plans keep (see store.PlanMember); an empty name becomes the member's.
// It runs inside a write's command.
func findMember(ctx context.Context, f memberFinder, ref, name string) (key, withName string, err error) {
	if ref == "" {
		return "", name, nil
	}
	if f == nil {
		if src, id, ok := strings.Cut(ref, ":"); ok && src != "" && id != "" {
			return ref, name, nil
		}
		return "", "", fmt.Errorf("give the member as source:id")
	}
	key, found, err := f.PlanMember(ctx, ref)
	if err != nil {
		return "", "", err
	}
	if name == "" {
		name = found
	}
	return key, name, nil
}

// notAMember is a member field that names nobody in the directory.
type notAMember struct {
	ref  string
	pick string // the key that opens the member picker
}

func (e notAMember) Error() string {
	return fmt.Sprintf("nobody here is %s · %s picks a member", e.ref, e.pick)
}

func (e notAMember) Unwrap() error { return store.ErrNotFound }

// memberError says why the member field's ref was refused: one that
// names nobody says how to pick one instead.
func memberError(ref, pick string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return notAMember{ref: model.CleanLine(ref), pick: pick}
	}
	return err
}

// memberRef is how a member field names a member picked from the
// directory: their @handle, unless another member of the directory has
// it too (a lookup by handle takes the busiest account that has it),
// else their member id. Both are what store.FindMember resolves.
func memberRef(m *model.Member, directory []model.Member) string {
	if h := uniqueHandle(m, directory); h != "" {
		return h
	}
	return strconv.FormatInt(m.ID, 10)
}

// ownerText is how a task's owner names a member picked from the
// directory: their @handle, else their name (the owner is free text, so
// a member id would mean nothing there).
func ownerText(m *model.Member, _ []model.Member) string {
	for _, h := range m.Handles {
		if len(h) > 1 && strings.HasPrefix(h, "@") {
			return h
		}
	}
	return m.Name
}

// uniqueHandle is m's first @handle that no other member of the
// directory has (handles are matched without regard to case), "" when
// there is none.
func uniqueHandle(m *model.Member, directory []model.Member) string {
	for _, h := range m.Handles {
		if len(h) < 2 || !strings.HasPrefix(h, "@") {
			continue
		}
		shared := false
		for i := range directory {
			o := &directory[i]
			if o.ID != m.ID && slices.ContainsFunc(o.Handles, func(x string) bool { return strings.EqualFold(x, h) }) {
				shared = true
				break
			}
		}
		if !shared {
			return h
		}
	}
	return ""
}

// taskForm adds a task to the event uid (tk.ID == 0) or edits tk; the due
// time is read in the display zone, as the command line reads --due.
func (t *eventsTab) taskForm(uid string, tk model.Task) *eventForm {
	title, owner, due, done := tk.Title, tk.Owner, model.EventTimeText(tk.Due, t.c.Zone), tk.Done
	heading := "New task"
	if tk.ID != 0 {
		heading = "Edit task"
	}
	return newEventForm(t.c, func() tea.Cmd {
		if strings.TrimSpace(title) == "" {
			return refuse("Title", errors.New("a title is required"))
		}
		d, err := model.ParseEventTime(due, t.c.Zone)
		if err != nil {
			return refuse("Due", err)
		}
		task := model.Task{Title: strings.TrimSpace(title), Owner: strings.TrimSpace(owner), Due: d, Done: done}
		if tk.ID == 0 {
			return t.write("task added · u undo", func(ctx context.Context, w EventWriter) (string, error) {
				_, err := w.AddTask(ctx, uid, task)
				return uid, err
			})
		}
		return t.write("task saved · u undo", func(ctx context.Context, w EventWriter) (string, error) { return uid, w.EditTask(ctx, tk.ID, 0, task) })
	}, func(b *formBuilder) {
		b.group(heading,
			b.input("Title", &title, "book the room", required("a title")),
			b.memberInput("Owner", &owner, "who does it (a name, or "+t.c.Keys.PickMember.Help().Key+" picks a member)", nil, ownerText),
			b.input("Due", &due, "2026-02-15", func(s string) error { _, err := model.ParseEventTime(s, t.c.Zone); return err }),
			huh.NewConfirm().Title("Done").Affirmative("Done").Negative("Not yet").Value(&done),
		)
	})
}

// budgetForm adds a budget line to the event uid (bl.ID == 0) or edits bl.
func (t *eventsTab) budgetForm(uid string, bl model.BudgetLine) *eventForm {
	label, category, currency := bl.Item, bl.Category, bl.Currency
	if currency == "" {
		currency = "EUR"
	}
	amount := ""
	if bl.ID != 0 {
		amount = model.AmountText(bl.AmountCents, bl.Currency)
	}
	heading := "New budget line"
	if bl.ID != 0 {
		heading = "Edit budget line"
	}
	return newEventForm(t.c, func() tea.Cmd {
		if strings.TrimSpace(label) == "" {
			return refuse("Label", errors.New("a label is required"))
		}
		code, err := model.CurrencyCode(currency)
		if err != nil {
			return refuse("Currency", err)
		}
		minor, err := model.ParseAmount(amount, code)
		if err != nil {
			return refuse("Amount", err)
		}
		line := model.BudgetLine{Item: strings.TrimSpace(label), Category: strings.TrimSpace(category), AmountCents: minor, Currency: code}
		if bl.ID == 0 {
			return t.write("budget line added · u undo", func(ctx context.Context, w EventWriter) (string, error) {
				_, err := w.AddBudgetLine(ctx, uid, line)
				return uid, err
			})
		}
		return t.write("budget line saved · u undo", func(ctx context.Context, w EventWriter) (string, error) {
			return uid, w.EditBudgetLine(ctx, bl.ID, 0, line)
		})
	}, func(b *formBuilder) {
		b.group(heading,
			b.input("Label", &label, "pizza", required("a label")),
			b.input("Category", &category, "travel, venue, catering, swag", nil),
			b.input("Currency", &currency, "EUR (ISO 4217)", func(s string) error { _, err := model.CurrencyCode(s); return err }),
			b.input("Amount", &amount, "120.50", func(s string) error {
				code, err := model.CurrencyCode(currency)
				if err != nil {
					return fmt.Errorf("choose a currency first")
				}
				_, err = model.ParseAmount(s, code)
				return err
			}),
		)
	})
}

// attendeeForm adds an attendee to the event uid (a.ID == 0) or edits a.
func (t *eventsTab) attendeeForm(uid string, a model.Attendee) *eventForm {
	name, member, status := a.Name, a.MemberKey, a.Status
	if status == "" {
		status = "registered"
	}
	heading := "New attendee"
	if a.ID != 0 {
		heading = "Edit attendee"
	}
	return newEventForm(t.c, func() tea.Cmd {
		at := model.Attendee{Name: strings.TrimSpace(name), Status: status}
		ref, finder, pick := strings.TrimSpace(member), t.finder(), t.c.Keys.PickMember.Help().Key
		notice := "attendee saved · u undo"
		if a.ID == 0 {
			notice = "attendee added · u undo"
		}
		return t.write(notice, func(ctx context.Context, w EventWriter) (string, error) {
			var err error
			if at.MemberKey, at.Name, err = findMember(ctx, finder, ref, at.Name); err != nil {
				return "", fieldError{"Member", memberError(ref, pick, err)}
			}
			if a.ID == 0 {
				_, err = w.AddAttendee(ctx, uid, at)
			} else {
				err = w.EditAttendee(ctx, a.ID, 0, at)
			}
			return uid, err
		})
	}, func(b *formBuilder) {
		b.group(heading,
			b.input("Name", &name, "who", nil),
			b.memberInput("Member", &member, "@handle, e-mail, member id or source:id (optional)", nameOrMember(&name), memberRef),
			huh.NewSelect[string]().Title("Status").Options(huh.NewOptions("registered", "attended", "cancelled")...).Value(&status),
		)
	})
}

// addChooser asks what to add to the event uid, then opens that form.
func (t *eventsTab) addChooser(uid string) *eventForm {
	what := "speaker"
	return newEventForm(t.c, func() tea.Cmd {
		switch what {
		case "task":
			return t.openForm(t.taskForm(uid, model.Task{}))
		case "budget":
			return t.openForm(t.budgetForm(uid, model.BudgetLine{}))
		case "attendee":
			return t.openForm(t.attendeeForm(uid, model.Attendee{}))
		}
		return t.openForm(t.speakerForm(uid, model.Speaker{}))
	}, func(b *formBuilder) {
		b.group("", huh.NewSelect[string]().Title("Add to this event").
			Options(huh.NewOption("a speaker", "speaker"), huh.NewOption("a task", "task"),
				huh.NewOption("a budget line", "budget"), huh.NewOption("an attendee", "attendee")).
			Value(&what))
	})
}

// deleteForm asks before deleting what; del is the write.
func (t *eventsTab) deleteForm(what string, del func() tea.Cmd) *eventForm {
	yes := false
	return newEventForm(t.c, func() tea.Cmd {
		if !yes {
			return notify("kept " + what)
		}
		return del()
	}, func(b *formBuilder) {
		b.group("", huh.NewConfirm().Title("Delete "+what+"?").Description("u undoes it afterwards.").
			Affirmative("Delete").Negative("Keep").Value(&yes))
	})
}
