package cli

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"hearth/data/store"
)

// TestEventsICSParsesElsewhere: hearth events --format ics, for events in
// zones with and without daylight saving, across a transition, and in
// UTC, is read by an independent iCalendar library (emersion/go-ical),
// which also re-encodes it under its own checks of required properties.
// Every TZID used has its VTIMEZONE, and resolving each local time through
// that VTIMEZONE (not the IANA database) gives the instant stored.
// Importing the file back changes nothing.
func TestEventsICSParsesElsewhere(t *testing.T) {
	env := newTestEnv(t)
	env["HEARTH_ACTOR"] = "tester"
	db := emptyDB(t)
	add := func(args ...string) string {
		return strings.TrimSpace(mustRun(t, env, append([]string{"events", "add", "--db", db}, args...)...))
	}
	uids := []string{
		add("--name", "Berlin, in winter; with commas", "--start", "2026-01-15 19:00", "--end", "2026-01-15 22:00", "--tz", "Europe/Berlin"),
		add("--name", "Berlin in summer", "--start", "2026-07-15 19:00", "--tz", "Europe/Berlin", "--cfp-closes", "2026-06-01"),
		// Over the night clocks go back: starts in summer time, ends in winter time.
		add("--name", "New York hack night", "--start", "2026-10-31 20:00", "--end", "2026-11-01 03:00", "--tz", "America/New_York"),
		add("--name", "Tokyo", "--start", "2027-03-04 10:00", "--end", "2027-03-04 17:00", "--tz", "Asia/Tokyo"),
		add("--name", "Online", "--start", "2026-05-05 15:00", "--end", "2026-05-05 16:00", "--tz", "UTC"),
		add("--name", "No zone", "--start", "2026-05-06T15:00:00Z"),
	}
	out := mustRun(t, env, "events", "--db", db, "--format", "ics")
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatal("a line ends without CR LF")
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}

	cal, err := goical.NewDecoder(strings.NewReader(out)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the export: %v\n%s", err, out)
	}
	if err := goical.NewEncoder(new(strings.Builder)).Encode(cal); err != nil {
		t.Fatalf("go-ical refuses the export: %v", err)
	}
	zones := map[string]*goical.Component{}
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			zones[c.Props.Get(goical.PropTimezoneID).Value] = c
		}
	}
	var names []string
	for n := range zones {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "America/New_York Asia/Tokyo Europe/Berlin" {
		t.Errorf("VTIMEZONEs for %v, want the three zones other than UTC", names)
	}

	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seen := 0
	for _, ev := range cal.Events() {
		uid := ev.Props.Get(goical.PropUID).Value
		if strings.HasPrefix(uid, "cfp-") {
			continue
		}
		seen++
		p, err := st.EventPlan(context.Background(), uid)
		if err != nil {
			t.Fatalf("event %s: %v", uid, err)
		}
		if got := ev.Props.Get(goical.PropSummary); got == nil || got.Value != strings.NewReplacer(",", `\,`, ";", `\;`).Replace(p.Name) {
			t.Errorf("%s: SUMMARY %v", uid, got)
		}
		for _, f := range []struct {
			prop string
			want time.Time
		}{{goical.PropDateTimeStart, p.Start}, {goical.PropDateTimeEnd, p.End}} {
			prop := ev.Props.Get(f.prop)
			if prop == nil {
				if !f.want.IsZero() {
					t.Errorf("%s: no %s", uid, f.prop)
				}
				continue
			}
			got, err := prop.DateTime(time.UTC)
			if err != nil || !got.Equal(f.want) {
				t.Errorf("%s: %s %s reads as %v (%v), want %v", uid, f.prop, prop.Value, got, err, f.want)
			}
			tzid := prop.Params.Get(goical.PropTimezoneID)
			if p.Zone == "" || p.Zone == "UTC" {
				if tzid != "" || !strings.HasSuffix(prop.Value, "Z") {
					t.Errorf("%s: %s;TZID=%s:%s, want UTC", uid, f.prop, tzid, prop.Value)
				}
				continue
			}
			vtz := zones[tzid]
			if tzid != p.Zone || vtz == nil {
				t.Errorf("%s: %s has TZID %q without its VTIMEZONE", uid, f.prop, tzid)
				continue
			}
			if at := throughVTimezone(t, vtz, prop.Value); !at.Equal(f.want) {
				t.Errorf("%s: %s %s through the VTIMEZONE is %v, want %v", uid, f.prop, prop.Value, at, f.want)
			}
		}
	}
	if seen != len(uids) {
		t.Errorf("%d events in the export, want %d", seen, len(uids))
	}

	file := filepath.Join(t.TempDir(), "events.ics")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, env, "events", "import", "--db", db, file); !strings.HasPrefix(got, "0 added, 0 updated, 6 unchanged") {
		t.Errorf("importing the export back: %q", got)
	}
}

// throughVTimezone turns a local DATE-TIME into an instant with the
// observances of a VTIMEZONE: the offset is the TZOFFSETTO of the latest
// observance that started (in its TZOFFSETFROM local time) before it.
func throughVTimezone(t *testing.T, vtz *goical.Component, local string) time.Time {
	t.Helper()
	wall, err := time.Parse("20060102T150405", local)
	if err != nil {
		t.Fatalf("local time %q: %v", local, err)
	}
	offset := func(s string) time.Duration {
		d, err := time.Parse("-0700", s)
		if err != nil {
			t.Fatalf("offset %q: %v", s, err)
		}
		_, off := d.Zone()
		return time.Duration(off) * time.Second
	}
	var best time.Time
	var to time.Duration
	found := false
	for _, o := range vtz.Children {
		if o.Name != goical.CompTimezoneStandard && o.Name != goical.CompTimezoneDaylight {
			t.Fatalf("a %s inside VTIMEZONE", o.Name)
		}
		if o.Props.Get(goical.PropRecurrenceRule) != nil {
			t.Fatal("observances are written without RRULE; this check does not expand them")
		}
		start, err := time.Parse("20060102T150405", o.Props.Get(goical.PropDateTimeStart).Value)
		if err != nil {
			t.Fatal(err)
		}
		from := offset(o.Props.Get(goical.PropTimezoneOffsetFrom).Value)
		startAt := start.Add(-from)
		toOff := offset(o.Props.Get(goical.PropTimezoneOffsetTo).Value)
		// The wall time is after this observance began if its instant,
		// read with the observance's offset, is.
		if !wall.Add(-toOff).Before(startAt) && (!found || startAt.After(best)) {
			best, to, found = startAt, toOff, true
		}
	}
	if !found {
		t.Fatalf("no observance covers %s", local)
	}
	return wall.Add(-to)
}
