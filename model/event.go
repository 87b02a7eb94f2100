package model

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
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

// The checks and parsers an event plan's fields go through, shared by the
// command line and the TUI's forms so both accept and refuse the same text.

// EventZone returns the IANA zone name an event is planned in; "" is UTC.
// "Local" is refused: an event's zone must mean the same on every machine.
func EventZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q (an IANA name such as Europe/Berlin)", name)
	}
	return loc, nil
}

// ParseEventTime reads a time as events are planned ("2026-03-05 18:30",
// "2026-03-05T18:30", a date, or RFC 3339), in loc unless it says its own
// offset; "" is the zero time.
func ParseEventTime(v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (2026-03-05 18:30, 2026-03-05 or RFC 3339)", v)
}

// EventTimeText is t as ParseEventTime reads it back in loc: "2026-03-05
// 18:30", or the date alone at midnight; "" for the zero time.
func EventTimeText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(loc)
	if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 {
		return l.Format("2006-01-02")
	}
	return l.Format("2006-01-02 15:04")
}

// currencies are the ISO 4217 codes hearth knows, with their minor units
// (digits after the decimal point).
var currencies = map[string]int{
	"AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "COP": 2,
	"CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
	"ISK": 0, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2,
	"PHP": 2, "PLN": 2, "RON": 2, "RSD": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TRY": 2, "TWD": 2,
	"UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
}

// MinorUnits returns the digits after the decimal point of the ISO 4217
// currency code (2 for EUR, 0 for JPY), and false for an unknown code.
func MinorUnits(code string) (int, bool) {
	d, ok := currencies[code]
	return d, ok
}

// CurrencyCode reads an ISO 4217 code as typed ("eur" is EUR).
func CurrencyCode(v string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(v))
	if _, ok := currencies[code]; !ok {
		return "", fmt.Errorf("unknown currency %q (an ISO 4217 code such as EUR or USD)", v)
	}
	return code, nil
}

// ParseAmount reads an amount in the units of currency ("12.50" EUR) as
// minor units (1250).
func ParseAmount(v, currency string) (int64, error) {
	digits, ok := MinorUnits(currency)
	if !ok {
		return 0, fmt.Errorf("unknown currency %q (an ISO 4217 code such as EUR or USD)", currency)
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, errors.New("an amount is required")
	}
	neg := strings.HasPrefix(v, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	bad := fmt.Errorf("%q is not an amount in %s (at most %d decimals)", v, currency, digits)
	if whole == "" || len(frac) > digits || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, bad
	}
	frac += strings.Repeat("0", digits-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(whole) > 15 {
		return 0, bad
	}
	if neg {
		n = -n
	}
	return n, nil
}

// AmountText is an amount in minor units as ParseAmount reads it back:
// 1250 EUR is "12.50", 1200 JPY is "1200".
func AmountText(minor int64, currency string) string {
	digits, ok := MinorUnits(currency)
	if !ok {
		digits = 2
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := strconv.FormatInt(minor, 10)
	if digits == 0 {
		return sign + s
	}
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	return sign + s[:len(s)-digits] + "." + s[len(s)-digits:]
}

// Money is an amount for people to read: "EUR 1,250.00", "JPY 12,000".
func Money(minor int64, currency string) string {
	t := AmountText(minor, currency)
	sign := ""
	if strings.HasPrefix(t, "-") {
		sign, t = "-", t[1:]
	}
	whole, frac, hasFrac := strings.Cut(t, ".")
	n, _ := strconv.Atoi(whole)
	out := currency + " " + sign + Thousands(n)
	if hasFrac {
		out += "." + frac
	}
	return out
}

// Currencies returns the currencies of totals, sorted, so totals are
// always listed in one order.
func Currencies(totals map[string]int64) []string {
	out := make([]string, 0, len(totals))
	for c := range totals {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// OverdueTasks counts the tasks not done whose due time is before now.
func (e Event) OverdueTasks(now time.Time) int {
	n := 0
	for _, t := range e.Tasks {
		if !t.Done && !t.Due.IsZero() && t.Due.Before(now) {
			n++
		}
	}
	return n
}
