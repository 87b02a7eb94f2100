package ui

import (
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"

	"hearth/model"
)

// detailPage is an event's page: when and where, the call for papers,
// then its plan — speakers, tasks, budget with totals per currency,
// attendees. With a writer, the row chosen with ↑/↓ is marked so the
// planning keys say what they act on; the line of each row is kept in
// itemLines to scroll the choice into view.
func (t *eventsTab) detailPage(e *model.Event, w int) page {
	p := page{c: t.c, w: w}
	now := t.c.Now()
	planning := t.c.Writer != nil
	t.itemLines = t.itemLines[:0]
	item := 0
	// row adds a plan row, marked when chosen.
	row := func(text string, warn bool) {
		t.itemLines = append(t.itemLines, len(p.lines))
		chosen := planning && item == t.sel
		item++
		switch {
		case chosen:
			p.styled(t.c.Styles.Selected.Render(cut("› "+text, w)))
		case warn:
			p.styled(t.c.Styles.Warn.Render(cut("  "+text, w)))
		default:
			p.line("  " + text)
		}
	}
	name := model.CleanLine(e.Name)
	if planning && t.sel < 0 {
		name = "› " + name
	}
	p.title(name)
	when := t.c.Day(e.Start)
	if !e.End.IsZero() && t.c.Day(e.End) != when {
		when += " to " + t.c.Day(e.End)
	}
	p.field("When", when)
	if t.hasPlan && t.plan.Zone != "" {
		if loc, err := model.EventZone(t.plan.Zone); err == nil {
			local := model.EventTimeText(e.Start, loc)
			if !e.End.IsZero() {
				local += " to " + model.EventTimeText(e.End, loc)
			}
			p.field("Local time", local+" "+model.CleanLine(t.plan.Zone))
		}
	}
	p.field("Kind", model.CleanLine(e.Kind))
	p.field("Place", model.CleanLine(e.Place))
	p.linkField("Link", e.URL)
	if t.hasPlan && t.plan.Capacity > 0 {
		p.field("Capacity", strconv.FormatInt(t.plan.Capacity, 10))
	}
	if !e.CFPDeadline.IsZero() {
		cfp := t.c.Day(e.CFPDeadline)
		if e.CFPOpen(now) {
			cfp += " (open, closes in " + model.ShortDuration(e.CFPDeadline.Sub(now)) + ")"
		} else {
			cfp += " (closed)"
		}
		if t.hasPlan && !t.plan.CFPOpens.IsZero() {
			cfp = t.c.Day(t.plan.CFPOpens) + " to " + cfp
		}
		p.field("CFP", cfp)
		p.linkField("CFP link", e.CFPURL)
	}
	p.field("Attendees", strconv.Itoa(len(e.Attendees)))
	if e.Description != "" {
		p.heading("About")
		p.text(model.CleanText(e.Description))
	}
	// The same count as the list's Speakers column: everyone not declined.
	active, confirmed, declined := e.SpeakerTally()
	heading := fmt.Sprintf("Speakers (%d confirmed of %d)", confirmed, active)
	if declined > 0 {
		heading = fmt.Sprintf("Speakers (%d confirmed of %d; %d declined)", confirmed, active, declined)
	}
	p.heading(heading)
	if len(e.Speakers) == 0 {
		p.styled(t.c.Styles.Muted.Render("  none yet"))
	}
	for _, s := range e.Speakers {
		line := model.CleanLine(s.Name)
		if s.Talk != "" {
			line += ": " + model.CleanLine(s.Talk)
		}
		if s.Status != "" {
			line += "  [" + model.CleanLine(s.Status) + "]"
		}
		row(line, false)
	}
	if len(e.Tasks) > 0 {
		done := 0
		for _, tk := range e.Tasks {
			if tk.Done {
				done++
			}
		}
		p.heading(fmt.Sprintf("Tasks (%d of %d done)", done, len(e.Tasks)))
		for _, tk := range e.Tasks {
			box := "[ ]"
			if tk.Done {
				box = "[x]"
			}
			line := box + " " + model.CleanLine(tk.Title)
			if tk.Owner != "" {
				line += " · " + model.CleanLine(tk.Owner)
			}
			if !tk.Due.IsZero() {
				line += " · due " + t.c.Day(tk.Due)
			}
			overdue := !tk.Done && !tk.Due.IsZero() && tk.Due.Before(now)
			if overdue {
				line += " (overdue)"
			}
			row(line, overdue)
		}
	}
	if len(e.Budget) > 0 {
		p.heading("Budget")
		for _, b := range e.Budget {
			it := model.CleanLine(b.Item)
			if b.Category != "" {
				it += " (" + model.CleanLine(b.Category) + ")"
			}
			row(fitCell(it, max(w-24, 10))+fitCellRight(model.Money(b.AmountCents, model.CleanLine(b.Currency)), 20), false)
		}
		totals := e.BudgetTotal()
		for _, c := range model.Currencies(totals) {
			p.styled(t.c.Styles.Title.Render(cut("  "+fitCell("Total "+model.CleanLine(c), max(w-24, 10))+fitCellRight(model.Money(totals[c], model.CleanLine(c)), 20), w)))
		}
	}
	if len(e.Attendees) > 0 {
		p.heading("Attendees")
		for _, a := range e.Attendees {
			line := model.CleanLine(a.Name)
			if a.Status != "" {
				line += "  [" + model.CleanLine(a.Status) + "]"
			}
			row(line, false)
		}
	}
	return p
}

// planKeys are the planning keys the help shows, when there is a writer.
func (t *eventsTab) planKeys() []key.Binding {
	if t.c.Writer == nil {
		return nil
	}
	k := t.c.Keys
	if t.detail.open {
		return []key.Binding{k.Add, k.Edit, k.Delete, k.Toggle}
	}
	return []key.Binding{k.Add, k.Edit, k.Delete}
}

func (t *eventsTab) ShortHelp() []key.Binding {
	if t.form != nil {
		return t.form.help()
	}
	if t.detail.open {
		return append(t.detail.shortHelp(), t.planKeys()...)
	}
	return append(t.list.shortHelp("details"), t.planKeys()...)
}

func (t *eventsTab) FullHelp() [][]key.Binding {
	if t.form != nil {
		return [][]key.Binding{t.form.help()}
	}
	if t.detail.open {
		return append(t.detail.fullHelp(), t.planKeys())
	}
	return append(t.list.fullHelp("details"), t.planKeys())
}
