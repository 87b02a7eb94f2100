package ical

import (
	"fmt"
	"sort"
	"time"
)

// VTIMEZONE definitions for the zones planned events are written in
// (RFC 5545 3.6.5). Each definition lists the zone's real transitions,
// read from Go's copy of the IANA database, over the years the file's
// events need, one observance per transition: no RRULE to get wrong, and
// a calendar program that does not know the IANA name still places every
// event at the right instant.

// zoneSpan is the years a zone's definition must cover.
type zoneSpan struct{ from, to int }

// zoneSpans returns, per zone other than UTC, the years its events start
// and end in.
func zoneSpans(evs []Planned) map[string]zoneSpan {
	out := map[string]zoneSpan{}
	for i := range evs {
		e := &evs[i]
		if e.Zone == "" || e.Zone == "UTC" {
			continue
		}
		from, to := e.Start.Year(), e.Start.Year()
		if !e.End.IsZero() {
			to = max(to, e.End.Year())
		}
		if s, ok := out[e.Zone]; ok {
			from, to = min(from, s.from), max(to, s.to)
		}
		out[e.Zone] = zoneSpan{from, to}
	}
	return out
}

// observance is one transition of a zone: from then on, offset to.
type observance struct {
	at       time.Time // the instant of the transition
	from, to int       // offsets in seconds before and after
	name     string
	dst      bool
}

// observances returns what loc observes from the start of year from to
// the end of year to: the period in effect at the start (so times before
// the span's first transition are covered), then each transition.
func observances(loc *time.Location, from, to int) []observance {
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(to+1, 1, 1, 0, 0, 0, 0, time.UTC)
	first, _ := start.In(loc).ZoneBounds()
	name, off := start.In(loc).Zone()
	o := observance{at: start, from: off, to: off, name: name, dst: start.In(loc).IsDST()}
	if !first.IsZero() {
		_, before := first.Add(-time.Second).In(loc).Zone()
		o.at, o.from = first, before
	}
	out := []observance{o}
	for t := start; ; {
		_, next := t.In(loc).ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			break
		}
		_, before := next.Add(-time.Second).In(loc).Zone()
		name, after := next.In(loc).Zone()
		if before != after || name != out[len(out)-1].name {
			out = append(out, observance{at: next, from: before, to: after, name: name, dst: next.In(loc).IsDST()})
		}
		t = next
	}
	return out
}

// writeTimezones writes a VTIMEZONE for each zone the events are planned in.
func writeTimezones(line func(name, value string), evs []Planned, zones zoneCache) {
	spans := zoneSpans(evs)
	names := make([]string, 0, len(spans))
	for n := range spans {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		loc := zones.get(n)
		if loc == nil {
			continue // validated when planned; such an event is written in UTC
		}
		s := spans[n]
		line("BEGIN", "VTIMEZONE")
		line("TZID", n)
		for _, o := range observances(loc, s.from, s.to) {
			kind := "STANDARD"
			if o.dst {
				kind = "DAYLIGHT"
			}
			line("BEGIN", kind)
			// DTSTART of an observance is the local time before the change.
			line("DTSTART", o.at.Add(time.Duration(o.from)*time.Second).UTC().Format("20060102T150405"))
			line("TZOFFSETFROM", utcOffset(o.from))
			line("TZOFFSETTO", utcOffset(o.to))
			if o.name != "" {
				line("TZNAME", escapeText(o.name))
			}
			line("END", kind)
		}
		line("END", "VTIMEZONE")
	}
}

// utcOffset writes seconds east of UTC as RFC 5545's UTC-OFFSET: +0100.
func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	s := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// zoneCache loads each IANA zone of one file once: loading one reads and
// parses its tzdata (BenchmarkWriteCalendar1k: 68 ms with a load per
// time, 32 ms with the cache).
type zoneCache map[string]*time.Location

// get returns the zone called name, nil for "", UTC or a name that does
// not load (events validated when planned never have one).
func (c zoneCache) get(name string) *time.Location {
	if name == "" || name == "UTC" {
		return nil
	}
	loc, ok := c[name]
	if !ok {
		loc, _ = time.LoadLocation(name)
		c[name] = loc
	}
	return loc
}

// zonedTime returns the property parameters and value of t as an event
// planned in zone writes it: local time with its TZID, or UTC when the
// event has no zone.
func zonedTime(t time.Time, zone string, loc *time.Location) (params, value string) {
	if loc != nil {
		return ";TZID=" + zone, t.In(loc).Format("20060102T150405")
	}
	return "", t.UTC().Format("20060102T150405Z")
}
