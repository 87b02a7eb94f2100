package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

// runEventsShow prints one event with its whole plan: what the Events
// tab's detail shows, plus the ids the plan commands take.
func runEventsShow(ctx context.Context, app *App, args []string) error {
	fs := newFlags("events show")
	uid, help, err := app.oneUID("show", fs, args)
	if err != nil || help {
		return err
	}
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	e, err := st.Event(ctx, uid)
	if err != nil {
		return err
	}
	p, err := st.EventPlan(ctx, uid)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "%s", eventText(&e, &p, app.zone(), app.Now()))
	return nil
}

// eventText is an event with its plan as text, times in the display zone
// (and in the event's own zone when it has one).
func eventText(e *model.Event, p *store.EventPlan, display *time.Location, now time.Time) string {
	var b strings.Builder
	field := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-12s%s\n", label, v)
		}
	}
	when := func(t time.Time, loc *time.Location) string {
		return model.EventTimeText(t, loc)
	}
	b.WriteString(clean(e.Name) + "\n")
	field("UID", clean(e.UID))
	field("Source", clean(e.Source))
	span := when(e.Start, display)
	if !e.End.IsZero() {
		span += " to " + when(e.End, display)
	}
	field("When", span)
	if p.Zone != "" {
		if loc, err := model.EventZone(p.Zone); err == nil {
			local := when(e.Start, loc)
			if !e.End.IsZero() {
				local += " to " + when(e.End, loc)
			}
			field("Local time", local+" "+clean(p.Zone))
		}
	}
	field("Kind", clean(e.Kind))
	field("Place", clean(e.Place))
	field("Link", clean(e.URL))
	if p.Capacity > 0 {
		field("Capacity", fmt.Sprint(p.Capacity))
	}
	if !e.CFPDeadline.IsZero() {
		cfp := "closes " + when(e.CFPDeadline, display)
		if !p.CFPOpens.IsZero() {
			cfp = "opens " + when(p.CFPOpens, display) + ", " + cfp
		}
		if !e.CFPOpen(now) {
			cfp += " (closed)"
		}
		field("CFP", cfp)
		field("CFP link", clean(e.CFPURL))
	}
	if e.Description != "" {
		b.WriteString("\n" + model.CleanText(e.Description) + "\n")
	}
	section := func(title string, n int) {
		fmt.Fprintf(&b, "\n%s (%d)\n", title, n)
	}
	section("Speakers", len(e.Speakers))
	for _, s := range e.Speakers {
		line := fmt.Sprintf("  %4d  %-10s %s", s.ID, clean(s.Status), clean(s.Name))
		if s.MemberKey != "" && s.MemberKey != s.Name {
			line += " (" + clean(s.MemberKey) + ")"
		}
		if s.Talk != "" {
			line += ": " + clean(s.Talk)
		}
		b.WriteString(line + "\n")
	}
	section("Tasks", len(e.Tasks))
	for _, t := range e.Tasks {
		box := "[ ]"
		if t.Done {
			box = "[x]"
		}
		line := fmt.Sprintf("  %4d  %s %s", t.ID, box, clean(t.Title))
		if t.Owner != "" {
			line += " · " + clean(t.Owner)
		}
		if !t.Due.IsZero() {
			line += " · due " + model.Day(t.Due, display)
			if !t.Done && t.Due.Before(now) {
				line += " (overdue)"
			}
		}
		b.WriteString(line + "\n")
	}
	section("Budget", len(e.Budget))
	for _, l := range e.Budget {
		item := clean(l.Item)
		if l.Category != "" {
			item += " (" + clean(l.Category) + ")"
		}
		fmt.Fprintf(&b, "  %4d  %-40s %16s\n", l.ID, item, model.Money(l.AmountCents, clean(l.Currency)))
	}
	totals := e.BudgetTotal()
	for _, c := range model.Currencies(totals) {
		fmt.Fprintf(&b, "        %-40s %16s\n", "Total "+clean(c), model.Money(totals[c], clean(c)))
	}
	section("Attendees", len(e.Attendees))
	for _, a := range e.Attendees {
		fmt.Fprintf(&b, "  %4d  %-10s %s\n", a.ID, clean(a.Status), clean(a.Name))
	}
	return b.String()
}
