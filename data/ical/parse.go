package ical

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hearth/model"
)

// Reasons a single event is skipped (Stats.Skipped); the rest of the feed
// is still read.
const (
	skipNoUID    = "no UID"
	skipStart    = "bad or missing DTSTART"
	skipEnd      = "bad DTEND or DURATION"
	skipZone     = "unknown TZID"
	skipRule     = "bad RRULE, RDATE or EXDATE"
	skipOverride = "bad RECURRENCE-ID"
)

// item is one event or occurrence read from the feed.
type item struct {
	ev model.Event
	// occurrence marks one occurrence of a recurring series: once it falls
	// behind the window it stays in the store as history, untracked.
	occurrence bool
}

// parser reads one feed.
type parser struct {
	where    string // the file or URL, for errors
	floating *time.Location
	from, to time.Time // the recurrence window
	zones    *zones
	skipped  map[string]int
}

// parse reads body into events sorted by UID. A feed that is not
// iCalendar at all is an error; a malformed event is skipped and counted.
func (p *parser) parse(body []byte) ([]item, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	switch {
	case len(text) == 0:
		return nil, fmt.Errorf("ical %s: empty, not an iCalendar feed", p.where)
	case !hasPrefixFold(text, "BEGIN:VCALENDAR"):
		what := "does not start with BEGIN:VCALENDAR"
		if text[0] == '<' {
			what = "looks like HTML or XML"
		} else if text[0] == '{' || text[0] == '[' {
			what = "looks like JSON"
		}
		return nil, fmt.Errorf("ical %s: not an iCalendar feed: %s", p.where, what)
	case !hasSuffixFold(text, "END:VCALENDAR"):
		return nil, fmt.Errorf("ical %s: truncated: no END:VCALENDAR at the end", p.where)
	}
	cal, err := ics.ParseCalendarWithOptions(bytes.NewReader(text), ics.WithUnknownPropertyHandler(ics.AcceptUnknownPropertyHandler))
	if err != nil {
		return nil, fmt.Errorf("ical %s: %s", p.where, oneLine(err.Error()))
	}
	p.zones = newZones(cal, p.floating, p.to.AddDate(1, 0, 0))
	masters := map[string]*ics.VEvent{}
	overrides := map[string][]*ics.VEvent{}
	for _, ev := range cal.Events() {
		uid := strings.TrimSpace(value(&ev.ComponentBase, ics.ComponentPropertyUniqueId))
		if uid == "" {
			p.skip(skipNoUID)
			continue
		}
		if ev.GetProperty(ics.ComponentPropertyRecurrenceId) != nil {
			overrides[uid] = append(overrides[uid], ev)
			continue
		}
		if prev := masters[uid]; prev == nil || !newer(prev, ev) {
			masters[uid] = ev
		}
	}
	var out []item
	for uid, ev := range masters {
		out = append(out, p.series(uid, ev, overrides[uid])...)
	}
	for uid, ovs := range overrides {
		if masters[uid] == nil {
			// Occurrences moved or changed whose series is not in the feed.
			for _, it := range p.overrideMap(uid, ovs) {
				if it != nil && p.inWindow(it.ev.Start) {
					out = append(out, *it)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ev.UID < out[j].ev.UID })
	return out, nil
}

func (p *parser) skip(reason string) { p.skipped[reason]++ }

func (p *parser) inWindow(t time.Time) bool { return !t.Before(p.from) && t.Before(p.to) }

// newer reports whether a is a newer revision of an event than b: a higher
// SEQUENCE, then a later LAST-MODIFIED, then a later DTSTAMP. A tie keeps b,
// the later in the feed.
func newer(a, b *ics.VEvent) bool {
	sa, sb := seq(a), seq(b)
	if sa != sb {
		return sa > sb
	}
	for _, prop := range []ics.ComponentProperty{ics.ComponentPropertyLastModified, ics.ComponentPropertyDtstamp} {
		ta, _, ea := parseWall(value(&a.ComponentBase, prop))
		tb, _, eb := parseWall(value(&b.ComponentBase, prop))
		if ea == nil && eb == nil && !ta.Equal(tb) {
			return ta.After(tb)
		}
	}
	return false
}

func seq(e *ics.VEvent) int {
	n, _ := strconv.Atoi(strings.TrimSpace(value(&e.ComponentBase, ics.ComponentPropertySequence)))
	return n
}

func cancelled(cb *ics.ComponentBase) bool {
	return strings.EqualFold(strings.TrimSpace(value(cb, ics.ComponentPropertyStatus)), "CANCELLED")
}

// timing is when an event starts and how long it lasts.
type timing struct {
	wall   time.Time // wall clock of the start
	zone   zone
	allDay bool
	dur    time.Duration
	hasEnd bool
}

// readTime reads a DATE or DATE-TIME property: its wall clock and zone.
func (p *parser) readTime(prop *ics.IANAProperty) (wall time.Time, zn zone, allDay bool, reason string) {
	w, utc, err := parseWall(prop.Value)
	if err != nil {
		return w, nil, false, skipStart
	}
	vt := prop.ICalParameters["VALUE"]
	switch {
	case len(strings.TrimSpace(prop.Value)) == 8 || (len(vt) > 0 && strings.EqualFold(vt[0], "DATE")):
		if len(strings.TrimSpace(prop.Value)) != 8 {
			return w, nil, false, skipStart
		}
		return w, locZone{p.floating}, true, ""
	case utc:
		return w, locZone{time.UTC}, false, ""
	}
	if tz := prop.ICalParameters["TZID"]; len(tz) > 0 && tz[0] != "" {
		zn, err := p.zones.get(tz[0])
		if err != nil {
			return w, nil, false, skipZone
		}
		return w, zn, false, ""
	}
	return w, locZone{p.floating}, false, ""
}

// timing reads DTSTART and DTEND or DURATION; reason is why it cannot.
func (p *parser) timing(cb *ics.ComponentBase) (timing, string) {
	var t timing
	start := cb.GetProperty(ics.ComponentPropertyDtStart)
	if start == nil {
		return t, skipStart
	}
	var reason string
	if t.wall, t.zone, t.allDay, reason = p.readTime(start); reason != "" {
		return t, reason
	}
	if end := cb.GetProperty(ics.ComponentPropertyDtEnd); end != nil {
		w, zn, allDay, reason := p.readTime(end)
		if reason == skipZone {
			return t, reason
		}
		if reason != "" || allDay != t.allDay {
			return t, skipEnd
		}
		if t.allDay {
			t.dur = w.Sub(t.wall)
		} else {
			t.dur = zn.instant(w).Sub(t.zone.instant(t.wall))
		}
		if t.dur < 0 {
			return t, skipEnd
		}
		t.hasEnd = true
	} else if d := cb.GetProperty(ics.ComponentPropertyDuration); d != nil {
		dur, err := parseDuration(d.Value)
		if err != nil || dur < 0 {
			return t, skipEnd
		}
		t.dur, t.hasEnd = dur, true
	} else if t.allDay {
		t.dur, t.hasEnd = 24*time.Hour, true
	}
	return t, ""
}

// at is the event of timing t starting at wall-clock w.
func (t timing) at(w time.Time) (start, end time.Time) {
	start = t.zone.instant(w)
	if !t.hasEnd {
		return start, time.Time{}
	}
	if t.allDay {
		return start, t.zone.instant(w.Add(t.dur))
	}
	return start, start.Add(t.dur)
}

// key names one occurrence of a series: its date for all-day events, its
// start in UTC otherwise.
func (t timing) key(w time.Time) string {
	if t.allDay {
		return w.Format("20060102")
	}
	return t.zone.instant(w).Format("20060102T150405Z")
}

// series reads one event: a single event, or the occurrences of a
// recurring one in the window with its overrides applied.
func (p *parser) series(uid string, ev *ics.VEvent, ovs []*ics.VEvent) []item {
	if cancelled(&ev.ComponentBase) {
		return nil
	}
	t, reason := p.timing(&ev.ComponentBase)
	if reason != "" {
		p.skip(reason)
		return nil
	}
	rules := ev.GetProperties(ics.ComponentPropertyRrule)
	rdates := ev.GetProperties(ics.ComponentPropertyRdate)
	if len(rules) == 0 && len(rdates) == 0 {
		e := p.fields(&ev.ComponentBase, uid)
		e.Start, e.End = t.at(t.wall)
		return []item{{ev: e}}
	}
	from, to := t.zone.wall(p.from).AddDate(0, 0, -1), t.zone.wall(p.to).AddDate(0, 0, 1)
	walls := map[string]time.Time{}
	if !t.wall.Before(from) && !t.wall.After(to) {
		walls[t.key(t.wall)] = t.wall
	}
	for _, r := range rules {
		ws, err := expandRule(r.Value, t.wall, from, to, t.zone)
		if err != nil {
			p.skip(skipRule)
			return nil
		}
		for _, w := range ws {
			walls[t.key(w)] = w
		}
	}
	for _, list := range [][]*ics.IANAProperty{rdates, ev.GetProperties(ics.ComponentPropertyExdate)} {
		for _, prop := range list {
			for _, v := range strings.Split(prop.Value, ",") {
				one := *prop
				one.Value = v
				w, zn, _, reason := p.readTime(&one)
				if reason != "" {
					p.skip(skipRule)
					return nil
				}
				w = t.zone.wall(zn.instant(w)) // into the series' wall clock
				if t.allDay {
					w = time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
				}
				if prop.IANAToken == string(ics.ComponentPropertyRdate) {
					walls[t.key(w)] = w
				} else {
					delete(walls, t.key(w))
				}
			}
		}
	}
	changed := p.overrideMap(uid, ovs)
	base := p.fields(&ev.ComponentBase, uid)
	var out []item
	for k, w := range walls {
		if it, ok := changed[k]; ok {
			if it != nil {
				out = append(out, *it)
			}
			delete(changed, k)
			continue
		}
		e := base
		e.UID = uid + "#" + k
		e.Start, e.End = t.at(w)
		if p.inWindow(e.Start) {
			out = append(out, item{ev: e, occurrence: true})
		}
	}
	// Occurrences moved here from a date the rule does not produce in
	// the window.
	for _, it := range changed {
		if it != nil && p.inWindow(it.ev.Start) {
			out = append(out, *it)
		}
	}
	return out
}

// overrideMap reads a series' overrides (VEVENTs with RECURRENCE-ID) by
// occurrence key; a cancelled occurrence maps to nil.
func (p *parser) overrideMap(uid string, ovs []*ics.VEvent) map[string]*item {
	out := map[string]*item{}
	best := map[string]*ics.VEvent{}
	for _, ov := range ovs {
		rid := ov.GetProperty(ics.ComponentPropertyRecurrenceId)
		w, zn, allDay, reason := p.readTime(rid)
		if reason != "" {
			p.skip(skipOverride)
			continue
		}
		k := timing{zone: zn, allDay: allDay}.key(w)
		if prev := best[k]; prev != nil && newer(prev, ov) {
			continue
		}
		best[k] = ov
		if cancelled(&ov.ComponentBase) {
			out[k] = nil
			continue
		}
		t, reason := p.timing(&ov.ComponentBase)
		if reason != "" {
			p.skip(reason)
			out[k] = nil
			continue
		}
		e := p.fields(&ov.ComponentBase, uid+"#"+k)
		e.Start, e.End = t.at(t.wall)
		out[k] = &item{ev: e, occurrence: true}
	}
	return out
}

// fields reads an event's text.
func (p *parser) fields(cb *ics.ComponentBase, uid string) model.Event {
	e := model.Event{
		UID:         uid,
		Name:        strings.TrimSpace(value(cb, ics.ComponentPropertySummary)),
		Place:       strings.TrimSpace(value(cb, ics.ComponentPropertyLocation)),
		URL:         strings.TrimSpace(value(cb, ics.ComponentPropertyUrl)),
		Description: strings.TrimSpace(value(cb, ics.ComponentPropertyDescription)),
	}
	if e.Name == "" {
		e.Name = "(untitled)"
	}
	if cats := value(cb, ics.ComponentPropertyCategories); cats != "" {
		first, _, _ := strings.Cut(cats, ",")
		e.Kind = strings.ToLower(strings.TrimSpace(first))
	}
	return e
}

func value(cb *ics.ComponentBase, prop ics.ComponentProperty) string {
	if p := cb.GetProperty(prop); p != nil {
		return p.Value
	}
	return ""
}

// parseDuration reads an RFC 5545 duration: P1W, P1DT2H, -PT15M.
func parseDuration(v string) (time.Duration, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	sign := time.Duration(1)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("bad DURATION %q", v)
	}
	s = s[1:]
	var d time.Duration
	inTime := false
	num := ""
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
		case r == 'T' && num == "" && !inTime:
			inTime = true
		default:
			n, err := strconv.Atoi(num)
			if err != nil || n > 1<<20 {
				return 0, fmt.Errorf("bad DURATION %q", v)
			}
			unit := map[rune]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
			if inTime {
				unit = map[rune]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
			}
			u, ok := unit[r]
			if !ok {
				return 0, fmt.Errorf("bad DURATION %q", v)
			}
			d += time.Duration(n) * u
			num = ""
		}
	}
	if num != "" {
		return 0, fmt.Errorf("bad DURATION %q", v)
	}
	return sign * d, nil
}

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[:len(s)]), s)
}

func hasSuffixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[len(b)-len(s):]), s)
}

// oneLine keeps the first line of a library's message.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
