package ical

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hearth/data/store"
	"hearth/model"
)

// Calendar files: events planned in hearth written as an RFC 5545
// calendar and read back. An event planned in a zone has its start and
// end written as local times with that TZID, and the file carries a
// VTIMEZONE for each such zone (see vtimezone.go); other times are UTC.
// The zone also travels in X-HEARTH-TZ, with the other fields iCalendar
// has no property for. A call for papers also becomes an all-day item of its own, on the
// day it closes, whose UID is derived from the event's ("cfp-" + UID):
// calendars show the deadline; reading skips it, since the event carries
// it already.

// Planned is an event as a calendar file carries it.
type Planned struct {
	model.Event // UID, Name, Kind, Place, URL, Description, Start, End, CFPDeadline, CFPURL
	Zone        string
	CFPOpens    time.Time
	Capacity    int64
}

// Plan is the event as hearth plans it.
func (c *Planned) Plan() store.EventPlan {
	return store.EventPlan{UID: c.UID, Name: c.Name, Kind: c.Kind, Place: c.Place, URL: c.URL, Description: c.Description,
		Start: c.Start, End: c.End, Zone: c.Zone, CFPOpens: c.CFPOpens, CFPCloses: c.CFPDeadline, CFPURL: c.CFPURL, Capacity: c.Capacity}
}

// FromPlan is a planned event as a calendar file carries it.
func FromPlan(p *store.EventPlan) Planned {
	return Planned{Event: model.Event{UID: p.UID, Name: p.Name, Kind: p.Kind, Place: p.Place, URL: p.URL,
		Description: p.Description, Start: p.Start, End: p.End, CFPDeadline: p.CFPCloses, CFPURL: p.CFPURL},
		Zone: p.Zone, CFPOpens: p.CFPOpens, Capacity: p.Capacity}
}

// CFPUID is the UID of the all-day item for the call for papers of the
// event uid.
func CFPUID(uid string) string { return "cfp-" + uid }

const cfpFor = "X-HEARTH-CFP-FOR"

// WriteCalendar writes evs as one VCALENDAR, stamped at stamp.
func WriteCalendar(w io.Writer, evs []Planned, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	utc := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//hearth//events//EN")
	line("CALSCALE", "GREGORIAN")
	zones := zoneCache{}
	writeTimezones(line, evs, zones)
	for i := range evs {
		e := &evs[i]
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.UID))
		line("DTSTAMP", utc(stamp))
		loc := zones.get(e.Zone)
		params, v := zonedTime(e.Start, e.Zone, loc)
		line("DTSTART"+params, v)
		if !e.End.IsZero() {
			params, v := zonedTime(e.End, e.Zone, loc)
			line("DTEND"+params, v)
		}
		line("SUMMARY", escapeText(e.Name))
		if e.Kind != "" {
			line("CATEGORIES", escapeText(e.Kind))
		}
		if e.Place != "" {
			line("LOCATION", escapeText(e.Place))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if e.Description != "" {
			line("DESCRIPTION", escapeText(e.Description))
		}
		if e.Zone != "" {
			line("X-HEARTH-TZ", escapeText(e.Zone))
		}
		if !e.CFPOpens.IsZero() {
			line("X-HEARTH-CFP-OPENS", utc(e.CFPOpens))
		}
		if !e.CFPDeadline.IsZero() {
			line("X-HEARTH-CFP-CLOSES", utc(e.CFPDeadline))
		}
		if e.CFPURL != "" {
			line("X-HEARTH-CFP-URL", escapeText(e.CFPURL))
		}
		if e.Capacity != 0 {
			line("X-HEARTH-CAPACITY", strconv.FormatInt(e.Capacity, 10))
		}
		line("END", "VEVENT")
		if !e.CFPDeadline.IsZero() {
			day := e.CFPDeadline.UTC()
			if loc != nil {
				day = e.CFPDeadline.In(loc)
			}
			d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			line("BEGIN", "VEVENT")
			line("UID", escapeText(CFPUID(e.UID)))
			line("DTSTAMP", utc(stamp))
			line("DTSTART;VALUE=DATE", d.Format("20060102"))
			line("DTEND;VALUE=DATE", d.AddDate(0, 0, 1).Format("20060102"))
			line("SUMMARY", escapeText("CFP closes: "+e.Name))
			line("TRANSP", "TRANSPARENT")
			if e.CFPURL != "" {
				line("URL", e.CFPURL)
			}
			line(cfpFor, escapeText(e.UID))
			line("END", "VEVENT")
		}
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11). A loop rather than a
// strings.Replacer built per call: building one took most of an export's
// time (BenchmarkWriteCalendar1k: 32 ms with it, 6.6 ms without).
func escapeText(s string) string {
	if !strings.ContainsAny(s, "\\;,\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writeFolded writes one content line, folded at 75 octets without
// splitting a UTF-8 sequence, ended by CRLF.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

// LineError is a calendar file that cannot be read, at a line.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ReadCalendar reads the events of a calendar file (name is for errors).
// Anything malformed is a *LineError naming the line, and no event is
// returned. A recurring event is read as its first occurrence; overrides
// of single occurrences (RECURRENCE-ID) and hearth's CFP items are
// skipped.
func ReadCalendar(name string, data []byte) ([]Planned, error) {
	begins, err := checkStructure(name, data)
	if err != nil {
		return nil, err
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		return nil, &LineError{name, 1, "not an iCalendar file: " + err.Error()}
	}
	p := &parser{where: name, floating: time.UTC, skipped: map[string]int{}}
	p.zones = newZones(cal, time.UTC, time.Now().AddDate(20, 0, 0))
	var out []Planned
	n := 0
	seen := map[string]int{}
	for _, c := range cal.Components {
		ev, ok := c.(*ics.VEvent)
		if !ok {
			continue
		}
		at := 0
		if n < len(begins) {
			at = begins[n]
		}
		n++
		fail := func(msg string) error { return &LineError{name, at, msg} }
		cb := &ev.ComponentBase
		uid := strings.TrimSpace(value(cb, ics.ComponentPropertyUniqueId))
		if uid == "" {
			return nil, fail("event without a UID")
		}
		if cb.GetProperty(cfpFor) != nil || cb.GetProperty(ics.ComponentPropertyRecurrenceId) != nil {
			continue
		}
		if prev, dup := seen[uid]; dup {
			return nil, fail(fmt.Sprintf("UID %s again (first at line %d)", uid, prev))
		}
		seen[uid] = at
		t, reason := p.timing(cb)
		if reason != "" {
			return nil, fail(reason)
		}
		if first, ok := p.firstOccurrence(cb, t); ok {
			t.wall = first
		}
		start, end := t.at(t.wall)
		pl := Planned{Event: p.fields(cb, uid)}
		pl.Start, pl.End = start, end
		if tz := cb.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(tz) > 0 {
			if z, ok := t.zone.(locZone); ok {
				pl.Zone = z.loc.String()
			}
		}
		if v := value(cb, "X-HEARTH-TZ"); v != "" {
			pl.Zone = v
		}
		if v := value(cb, "X-HEARTH-CAPACITY"); v != "" {
			if pl.Capacity, err = strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil || pl.Capacity < 0 {
				return nil, fail(fmt.Sprintf("bad X-HEARTH-CAPACITY %q", v))
			}
		}
		for _, f := range []struct {
			prop string
			to   *time.Time
		}{{"X-HEARTH-CFP-OPENS", &pl.CFPOpens}, {"X-HEARTH-CFP-CLOSES", &pl.CFPDeadline}} {
			if v := value(cb, ics.ComponentProperty(f.prop)); v != "" {
				w, utc, err := parseWall(v)
				if err != nil || !utc {
					return nil, fail(fmt.Sprintf("bad %s %q (a UTC date-time)", f.prop, v))
				}
				*f.to = w
			}
		}
		pl.CFPURL = strings.TrimSpace(value(cb, "X-HEARTH-CFP-URL"))
		if !pl.End.IsZero() && !pl.End.After(pl.Start) {
			if t.allDay || pl.End.Equal(pl.Start) {
				pl.End = time.Time{} // a zero-length event: no end
			} else {
				return nil, fail("DTEND before DTSTART")
			}
		}
		out = append(out, pl)
	}
	return out, nil
}

// firstOccurrence is the wall clock of the first occurrence of a
// recurring event whose DTSTART is itself excluded (EXDATE), as calendar
// programs write a series whose first meeting was cancelled; ok is false
// when DTSTART stands or nothing is left in the next ten years.
func (p *parser) firstOccurrence(cb *ics.ComponentBase, t timing) (time.Time, bool) {
	excluded := map[string]bool{}
	for _, prop := range cb.GetProperties(ics.ComponentPropertyExdate) {
		for _, v := range strings.Split(prop.Value, ",") {
			one := *prop
			one.Value = v
			w, zn, _, reason := p.readTime(&one)
			if reason != "" {
				continue
			}
			w = t.zone.wall(zn.instant(w))
			if t.allDay {
				w = time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
			}
			excluded[t.key(w)] = true
		}
	}
	if !excluded[t.key(t.wall)] {
		return time.Time{}, false
	}
	var best time.Time
	for _, r := range cb.GetProperties(ics.ComponentPropertyRrule) {
		ws, err := expandRule(r.Value, t.wall, t.wall, t.wall.AddDate(10, 0, 0), t.zone)
		if err != nil {
			continue
		}
		for _, w := range ws {
			if !excluded[t.key(w)] && (best.IsZero() || w.Before(best)) {
				best = w
			}
		}
	}
	return best, !best.IsZero()
}

// checkStructure reads the content lines of data as RFC 5545 lays them
// out (folded lines, NAME[;PARAM=...]:VALUE, matching BEGIN and END) and
// returns the line of each BEGIN:VEVENT, in order.
func checkStructure(name string, data []byte) ([]int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &LineError{name, 1, "empty, not an iCalendar file"}
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var stack []string
	var begins []int
	ended := false
	for i := 0; i < len(lines); i++ {
		at := i + 1
		l := lines[i]
		for i+1 < len(lines) && len(lines[i+1]) > 0 && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			l += lines[i][1:]
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		fail := func(msg string) error { return &LineError{name, at, msg} }
		if ended {
			return nil, fail("content after END:VCALENDAR")
		}
		colon := strings.IndexByte(l, ':')
		if colon <= 0 {
			return nil, fail(fmt.Sprintf("not a content line (NAME:VALUE): %q", clip(l)))
		}
		prop := l[:colon]
		if semi := strings.IndexByte(prop, ';'); semi >= 0 {
			prop = prop[:semi]
		}
		if prop == "" || strings.TrimLeft(prop, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return nil, fail(fmt.Sprintf("bad property name %q", clip(prop)))
		}
		val := strings.ToUpper(strings.TrimSpace(l[colon+1:]))
		switch strings.ToUpper(prop) {
		case "BEGIN":
			if len(stack) == 0 && val != "VCALENDAR" {
				return nil, fail("does not start with BEGIN:VCALENDAR")
			}
			if val == "VEVENT" {
				begins = append(begins, at)
			}
			stack = append(stack, val)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != val {
				want := "nothing"
				if len(stack) > 0 {
					want = "END:" + stack[len(stack)-1]
				}
				return nil, fail(fmt.Sprintf("END:%s where %s was expected", val, want))
			}
			stack = stack[:len(stack)-1]
			ended = len(stack) == 0
		default:
			if len(stack) == 0 {
				return nil, fail("does not start with BEGIN:VCALENDAR")
			}
		}
	}
	if len(stack) > 0 {
		return nil, &LineError{name, len(lines), "truncated: no END:" + stack[len(stack)-1]}
	}
	return begins, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
