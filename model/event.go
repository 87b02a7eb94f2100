package model

import (
	"strings"
	"time"
)

// Event is a meetup or conference. Events come from iCalendar feeds or are
// planned in hearth; everything about the plan (speakers, tasks, budget,
// attendees) is user-authored and keyed by the event's UID.
type Event struct {
	ID          int64
	UID         string
	Source      string // "hearth" for events planned here, "ical:<feed>" for synced ones
	Name        string
	Kind        string // "meetup", "conference", "workshop", ...
	Place       string
	URL         string
	Description string
	Start, End  time.Time
	CFPDeadline time.Time // zero when there is no call for papers
	CFPURL      string

	SpeakerCount int // filled by list queries: speakers not declined, as SpeakerTally counts them
	Speakers     []Speaker
	Tasks        []Task
	Budget       []BudgetLine
	Attendees    []Attendee
}

// Upcoming reports whether the event has not ended at now.
func (e Event) Upcoming(now time.Time) bool {
	end := e.End
	if end.IsZero() {
		end = e.Start
	}
	return !end.Before(now)
}

// CFPOpen reports whether the call for papers is still open at now.
func (e Event) CFPOpen(now time.Time) bool {
	return !e.CFPDeadline.IsZero() && !e.CFPDeadline.Before(now)
}

// Speaker is a person speaking at an event.
type Speaker struct {
	ID        int64
	Name      string
	MemberKey string // identity key of the member, when known
	Talk      string
	Status    string // "invited", "confirmed", "declined"
}

// SpeakerTally counts an event's speakers the way lists count them: active
// are the speakers who have not declined (invited or confirmed), the number
// SpeakerCount holds, so a list and a detail page say the same thing.
func (e Event) SpeakerTally() (active, confirmed, declined int) {
	for _, s := range e.Speakers {
		switch s.Status {
		case "declined":
			declined++
		case "confirmed":
			confirmed++
			active++
		default:
			active++
		}
	}
	return active, confirmed, declined
}

// Task is something to do for an event.
type Task struct {
	ID    int64
	Title string
	Owner string
	Due   time.Time
	Done  bool
}

// BudgetLine is money planned or spent for an event.
type BudgetLine struct {
	ID          int64
	Item        string
	Category    string // "travel", "swag", "venue", "catering", ...
	AmountCents int64
	Currency    string
}

// Attendee is a person registered for an event.
type Attendee struct {
	ID        int64
	Name      string
	MemberKey string
	Status    string // "registered", "attended", "cancelled"
}

// BudgetTotal sums the budget lines per currency.
func (e Event) BudgetTotal() map[string]int64 {
	t := map[string]int64{}
	for _, b := range e.Budget {
		t[b.Currency] += b.AmountCents
	}
	return t
}

// EventText is what a filter searches for an event, in the TUI and at the
// command line alike: name, kind, place and the start date with its month's
// name (so "march" finds March events), in the display zone loc.
func EventText(e *Event, loc *time.Location) string {
	return strings.Join([]string{e.Name, e.Kind, e.Place, DayMonth(e.Start, loc)}, "\n")
}
