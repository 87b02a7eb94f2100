package ical

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	// The IANA database inside the binary: a feed's TZID must resolve the
	// same on a machine without /usr/share/zoneinfo (Windows, containers).
	_ "time/tzdata"
)

// A zone turns wall-clock times into instants and back. Recurrences are
// expanded on wall-clock times (RFC 5545: a weekly 18:00 meetup stays at
// 18:00 across daylight saving), held as times in UTC that stand for the
// wall clock, and placed in their zone afterwards.
type zone interface {
	instant(wall time.Time) time.Time
	wall(t time.Time) time.Time
}

// locZone is a zone of the IANA database, UTC or the floating zone.
type locZone struct{ loc *time.Location }

func (z locZone) instant(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, z.loc).UTC()
}

func (z locZone) wall(t time.Time) time.Time {
	l := t.In(z.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// vtzZone is a VTIMEZONE whose TZID is not an IANA name (Outlook's
// "W. Europe Standard Time", custom names): its observances' transitions,
// expanded from their DTSTART and RRULE/RDATE.
type vtzZone struct {
	first int // offset before the first transition (its TZOFFSETFROM), seconds
	trans []transition
}

type transition struct {
	at  time.Time // instant
	off int       // offset from then on, seconds
}

func (z *vtzZone) offsetAt(t time.Time) int {
	i := sort.Search(len(z.trans), func(i int) bool { return z.trans[i].at.After(t) })
	if i == 0 {
		return z.first
	}
	return z.trans[i-1].off
}

func (z *vtzZone) instant(w time.Time) time.Time {
	u := w.Add(-time.Duration(z.offsetAt(w)) * time.Second)
	return w.Add(-time.Duration(z.offsetAt(u)) * time.Second)
}

func (z *vtzZone) wall(t time.Time) time.Time {
	return t.UTC().Add(time.Duration(z.offsetAt(t)) * time.Second)
}

// windowsZones maps the Windows names Outlook and Exchange put in TZID to
// IANA names, for feeds that send them without a usable VTIMEZONE.
var windowsZones = map[string]string{
	"UTC": "UTC", "GMT Standard Time": "Europe/London", "W. Europe Standard Time": "Europe/Berlin",
	"Romance Standard Time": "Europe/Paris", "Central Europe Standard Time": "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw", "E. Europe Standard Time": "Europe/Chisinau",
	"FLE Standard Time": "Europe/Kiev", "Eastern Standard Time": "America/New_York",
	"Central Standard Time": "America/Chicago", "Mountain Standard Time": "America/Denver",
	"Pacific Standard Time": "America/Los_Angeles", "India Standard Time": "Asia/Kolkata",
	"China Standard Time": "Asia/Shanghai", "Tokyo Standard Time": "Asia/Tokyo",
	"AUS Eastern Standard Time": "Australia/Sydney", "E. South America Standard Time": "America/Sao_Paulo",
}

// zones resolves a feed's TZIDs: the IANA database first, then the
// feed's VTIMEZONE components.
type zones struct {
	floating *time.Location
	vtz      map[string]*ics.VTimezone
	cache    map[string]zone
	until    time.Time // how far VTIMEZONE rules are expanded
}

func newZones(cal *ics.Calendar, floating *time.Location, until time.Time) *zones {
	z := &zones{floating: floating, vtz: map[string]*ics.VTimezone{}, cache: map[string]zone{}, until: until}
	for _, c := range cal.Components {
		if tz, ok := c.(*ics.VTimezone); ok {
			if id := tz.GetProperty(ics.ComponentPropertyTzid); id != nil {
				z.vtz[id.Value] = tz
			}
		}
	}
	return z
}

// get returns the zone called tzid.
func (z *zones) get(tzid string) (zone, error) {
	if zn, ok := z.cache[tzid]; ok {
		return zn, nil
	}
	zn, err := z.resolve(tzid)
	if err != nil {
		return nil, err
	}
	z.cache[tzid] = zn
	return zn, nil
}

func (z *zones) resolve(tzid string) (zone, error) {
	name := strings.TrimSpace(tzid)
	candidates := []string{name, windowsZones[name]}
	// Mozilla-style "/mozilla.org/20050126_1/Europe/Berlin".
	if parts := strings.Split(strings.Trim(name, "/"), "/"); len(parts) >= 2 {
		candidates = append(candidates, strings.Join(parts[len(parts)-2:], "/"))
	}
	if tz := z.vtz[tzid]; tz != nil {
		if p := tz.GetProperty("X-LIC-LOCATION"); p != nil {
			candidates = append(candidates, strings.TrimSpace(p.Value))
		}
	}
	for _, c := range candidates {
		if c == "" || strings.EqualFold(c, "local") {
			continue
		}
		if loc, err := time.LoadLocation(c); err == nil {
			return locZone{loc}, nil
		}
	}
	if tz := z.vtz[tzid]; tz != nil {
		return z.fromVTimezone(tz)
	}
	return nil, fmt.Errorf("unknown TZID %q", tzid)
}

// fromVTimezone reads the observances (STANDARD, DAYLIGHT) of tz.
func (z *zones) fromVTimezone(tz *ics.VTimezone) (zone, error) {
	out := &vtzZone{}
	firstAt := time.Time{}
	for _, sub := range tz.SubComponents() {
		var cb *ics.ComponentBase
		switch o := sub.(type) {
		case *ics.Standard:
			cb = &o.ComponentBase
		case *ics.Daylight:
			cb = &o.ComponentBase
		default:
			continue
		}
		from, err1 := offsetProp(cb, "TZOFFSETFROM")
		to, err2 := offsetProp(cb, "TZOFFSETTO")
		start := cb.GetProperty(ics.ComponentPropertyDtStart)
		if err1 != nil || err2 != nil || start == nil {
			return nil, fmt.Errorf("VTIMEZONE %s: an observance lacks TZOFFSETFROM, TZOFFSETTO or DTSTART", tzName(tz))
		}
		wall, _, err := parseWall(start.Value)
		if err != nil {
			return nil, fmt.Errorf("VTIMEZONE %s: %w", tzName(tz), err)
		}
		walls := []time.Time{wall}
		if rr := cb.GetProperty(ics.ComponentPropertyRrule); rr != nil {
			walls, err = expandRule(rr.Value, wall, wall, z.until, nil)
			if err != nil {
				return nil, fmt.Errorf("VTIMEZONE %s: %w", tzName(tz), err)
			}
		}
		for _, rd := range cb.GetProperties(ics.ComponentPropertyRdate) {
			for _, v := range strings.Split(rd.Value, ",") {
				if w, _, err := parseWall(v); err == nil {
					walls = append(walls, w)
				}
			}
		}
		for _, w := range walls {
			at := w.Add(-time.Duration(from) * time.Second)
			out.trans = append(out.trans, transition{at: at, off: to})
			if firstAt.IsZero() || at.Before(firstAt) {
				firstAt, out.first = at, from
			}
		}
	}
	if len(out.trans) == 0 {
		return nil, fmt.Errorf("VTIMEZONE %s has no observance", tzName(tz))
	}
	sort.Slice(out.trans, func(i, j int) bool { return out.trans[i].at.Before(out.trans[j].at) })
	return out, nil
}

func tzName(tz *ics.VTimezone) string {
	if p := tz.GetProperty(ics.ComponentPropertyTzid); p != nil {
		return strconv.Quote(p.Value)
	}
	return "(no TZID)"
}

// offsetProp reads a UTC offset such as "+0200" or "-053000" in seconds.
func offsetProp(cb *ics.ComponentBase, name string) (int, error) {
	p := cb.GetProperty(ics.ComponentProperty(name))
	if p == nil {
		return 0, fmt.Errorf("no %s", name)
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("bad %s %q", name, v)
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil {
		return 0, fmt.Errorf("bad %s %q", name, v)
	}
	if len(v) == 5 {
		n *= 100
	}
	secs := n/10000*3600 + n/100%100*60 + n%100
	if v[0] == '-' {
		secs = -secs
	}
	return secs, nil
}

// parseWall reads a DATE or DATE-TIME value as a wall-clock time (in UTC,
// standing for the wall clock); utc says it ended in Z, a real instant.
func parseWall(v string) (t time.Time, utc bool, err error) {
	v = strings.TrimSpace(v)
	switch {
	case len(v) == 8:
		t, err = time.Parse("20060102", v)
	case len(v) == 15:
		t, err = time.Parse("20060102T150405", v)
	case len(v) == 16 && (v[15] == 'Z' || v[15] == 'z'):
		t, err = time.Parse("20060102T150405", v[:15])
		utc = true
	default:
		err = fmt.Errorf("bad date-time %q", v)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("bad date-time %q", v)
	}
	return t, utc, nil
}

// maxOccurrences caps one series within the window: a rule that recurs
// every minute is a mistake, not a community calendar.
const maxOccurrences = 2000

// expandRule lists the wall-clock starts of rule (an RRULE value) for a
// series starting at dtstart, between from and to. untilZone converts an
// UNTIL given in UTC to the series' wall clock (nil: UNTIL is taken as is).
func expandRule(rule string, dtstart, from, to time.Time, untilZone zone) ([]time.Time, error) {
	opt, err := rrule.StrToROptionInLocation(rule, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("bad RRULE %q: %v", rule, err)
	}
	if !opt.Until.IsZero() && untilZone != nil && strings.Contains(strings.ToUpper(rule), "Z") {
		opt.Until = untilZone.wall(opt.Until)
	}
	opt.Dtstart = dtstart
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("bad RRULE %q: %v", rule, err)
	}
	var out []time.Time
	next := r.Iterator()
	for {
		t, ok := next()
		if !ok || t.After(to) {
			break
		}
		if t.Before(from) {
			continue
		}
		if len(out) == maxOccurrences {
			return nil, fmt.Errorf("RRULE %q recurs more than %d times in the window", rule, maxOccurrences)
		}
		out = append(out, t)
	}
	return out, nil
}
