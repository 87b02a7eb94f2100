package cli

import (
	"context"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const eventsUsage = `Usage: hearth events [flags]

Lists events, upcoming first (soonest first), then past ones (most recent
first), as the Events tab shows them. --filter matches name, kind, place and
start date ("2026-03", "march"), like / in the tab.

--format ics writes the events as an iCalendar (RFC 5545) file instead:
each event with its UID, an event planned in a time zone in local time
with that zone's VTIMEZONE definition (others in UTC), and each call for
papers as an all-day item of its own on the day it closes. To plan events: hearth
events add|edit|delete|show|speaker|task|budget|attendee|import (see
hearth events add --help).
`

// eventRecord is one event as the listing prints it.
type eventRecord struct {
	UID          string    `json:"uid"`
	Source       string    `json:"source"`
	Start        time.Time `json:"start,omitzero"`
	End          time.Time `json:"end,omitzero"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`
	Place        string    `json:"place"`
	URL          string    `json:"url"`
	CFPDeadline  time.Time `json:"cfp_deadline,omitzero"`
	CFPURL       string    `json:"cfp_url"`
	Upcoming     bool      `json:"upcoming"`
	SpeakerCount int       `json:"speakers"`
	SpeakerNames []string  `json:"speaker_names"`
	// BudgetTotals is the budget's total per currency, "EUR 219.50",
	// currencies in alphabetical order.
	BudgetTotals []string `json:"budget_totals"`
}

func newEventRecord(e *model.Event, now time.Time) eventRecord {
	r := eventRecord{
		UID:          clean(e.UID),
		Source:       clean(e.Source),
		Start:        e.Start,
		End:          e.End,
		Name:         clean(e.Name),
		Kind:         clean(e.Kind),
		Place:        clean(e.Place),
		URL:          clean(e.URL),
		CFPDeadline:  e.CFPDeadline,
		CFPURL:       clean(e.CFPURL),
		Upcoming:     e.Upcoming(now),
		SpeakerCount: e.SpeakerCount,
		SpeakerNames: []string{},
		BudgetTotals: []string{},
	}
	totals := e.BudgetTotal()
	for _, c := range model.Currencies(totals) {
		r.BudgetTotals = append(r.BudgetTotals, model.Money(totals[c], clean(c)))
	}
	// The count leaves out declined speakers; so do the names.
	for _, s := range e.Speakers {
		if s.Status == "declined" {
			continue
		}
		if n := strings.TrimSpace(clean(s.Name)); n != "" {
			r.SpeakerNames = append(r.SpeakerNames, n)
		}
	}
	return r
}

func eventColumns(zone *time.Location) []column[eventRecord] {
	return []column[eventRecord]{
		{name: "uid", text: func(r *eventRecord) string { return r.UID }},
		{name: "source", text: func(r *eventRecord) string { return r.Source }},
		{name: "start", text: func(r *eventRecord) string { return rfc3339(r.Start) }},
		{name: "end", text: func(r *eventRecord) string { return rfc3339(r.End) }},
		{title: "START", text: func(r *eventRecord) string { return model.Day(r.Start, zone) }},
		{title: "END", drop: 4, text: func(r *eventRecord) string { return model.Day(r.End, zone) }},
		{name: "name", title: "NAME", least: 24, text: func(r *eventRecord) string { return r.Name }},
		{name: "kind", title: "KIND", drop: 3, text: func(r *eventRecord) string { return r.Kind }},
		{name: "place", title: "PLACE", drop: 2, text: func(r *eventRecord) string { return r.Place }},
		{name: "url", text: func(r *eventRecord) string { return r.URL }},
		{name: "cfp_deadline", text: func(r *eventRecord) string { return rfc3339(r.CFPDeadline) }},
		{title: "CFP", drop: 1, text: func(r *eventRecord) string { return model.Day(r.CFPDeadline, zone) }},
		{name: "cfp_url", text: func(r *eventRecord) string { return r.CFPURL }},
		{name: "upcoming", text: func(r *eventRecord) string { return boolText(r.Upcoming) }},
		{name: "speakers", title: "SPEAKERS", drop: 5, right: true, text: func(r *eventRecord) string { return itoa(r.SpeakerCount) }},
		{name: "speaker_names", title: "SPEAKER NAMES", drop: 6, text: func(r *eventRecord) string { return strings.Join(r.SpeakerNames, ", ") }},
		{name: "budget_totals", title: "BUDGET", drop: 7, text: func(r *eventRecord) string { return strings.Join(r.BudgetTotals, ", ") }},
	}
}

func runEvents(ctx context.Context, app *App, args []string) error {
	if run, rest := eventsSubcommand(args); run != nil {
		return run(ctx, app, rest)
	}
	if isICS(args) {
		return runEventsICS(ctx, app, args)
	}
	now := app.Now()
	return listCommand(ctx, app, "events", eventsUsage, args,
		func(st *store.Store) ([]model.Event, error) { return st.Events(ctx, now) },
		func(e *model.Event) string { return model.EventText(e, app.zone()) },
		func(st *store.Store, e *model.Event) (eventRecord, error) {
			// The list query counts speakers; their names need each
			// event's detail, read only for the rows that are printed.
			full, err := st.Event(ctx, e.UID)
			if err != nil {
				return eventRecord{}, err
			}
			return newEventRecord(&full, now), nil
		},
		eventColumns(app.zone()))
}

// appendJSON writes the record as encoding/json would (see jsonObject).
func (r *eventRecord) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.str("uid", r.UID)
	o.str("source", r.Source)
	o.time("start", r.Start)
	o.time("end", r.End)
	o.str("name", r.Name)
	o.str("kind", r.Kind)
	o.str("place", r.Place)
	o.str("url", r.URL)
	o.time("cfp_deadline", r.CFPDeadline)
	o.str("cfp_url", r.CFPURL)
	o.bool("upcoming", r.Upcoming)
	o.int("speakers", int64(r.SpeakerCount))
	o.strs("speaker_names", r.SpeakerNames)
	o.strs("budget_totals", r.BudgetTotals)
	return o.end()
}
