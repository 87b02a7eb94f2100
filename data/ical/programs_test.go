package ical

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/data/store"
	"hearth/data/store/storetest"
)

// The files under testdata are written the way Google Calendar, Apple
// Calendar and Outlook export calendars: CRLF lines, folded long lines,
// VTIMEZONE definitions (IANA and Windows names), recurring events with
// RRULE and EXDATE, moved occurrences, all-day events with VALUE=DATE,
// alarms and vendor properties with quoted parameters.

// wantEvent is what one event of a file must read as.
type wantEvent struct {
	uid, name, place, zone string
	start, end             time.Time
}

func at(loc string, y int, m time.Month, d, h, min int) time.Time {
	l, err := time.LoadLocation(loc)
	if err != nil {
		panic(err)
	}
	return time.Date(y, m, d, h, min, 0, 0, l).UTC()
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var programFiles = map[string][]wantEvent{
	"google.ics": {
		// Weekly: the first occurrence; EXDATE skips a later week.
		{"4k2p9s7d1q0example@google.com", "Review club", "Betahaus, Rudi-Dutschke-Straße 23, 10969 Berlin, Germany", "Europe/Berlin",
			at("Europe/Berlin", 2026, 1, 8, 19, 0), at("Europe/Berlin", 2026, 1, 8, 21, 0)},
		{"0b7c1f3aexample@google.com", "Hackathon weekend", "Online", "", day(2026, 3, 14), day(2026, 3, 16)},
		// The first Monday is excluded: the series starts a week later.
		{"7hq3m0v5example@google.com", "Maintainers stand-up", "", "Europe/Berlin",
			at("Europe/Berlin", 2026, 3, 9, 12, 30), at("Europe/Berlin", 2026, 3, 9, 13, 0)},
	},
	"apple.ics": {
		{"5E0A2B7C-1D2E-4F3A-9B8C-EXAMPLE00001", "SF Gophers April", "Mission Bay Conference Center\n1675 Owens St, San Francisco",
			"America/Los_Angeles", at("America/Los_Angeles", 2026, 4, 11, 18, 0), at("America/Los_Angeles", 2026, 4, 11, 20, 0)},
		{"7F3D-EXAMPLE-ALLDAY", "CFP deadline for GopherCon", "", "", day(2026, 6, 1), day(2026, 6, 2)},
	},
	"outlook.ics": {
		// "Romance Standard Time" is Paris; the moved March meeting is an
		// override of one occurrence and not an event of its own.
		{"040000008200E00074C5B7101A82E00800000000EXAMPLE0000000000000000000010000" + strings.Repeat("0", 46),
			"Apéro des contributeurs", "Station F, 5 Parvis Alan Turing, Paris", "Europe/Paris",
			at("Europe/Paris", 2026, 2, 3, 18, 0), at("Europe/Paris", 2026, 2, 3, 20, 0)},
		{"040000008200E00074C5B7101A82E00800000000EXAMPLE-ALLDAY", "Journée open source", "", "", day(2026, 9, 18), day(2026, 9, 19)},
	},
}

func TestReadCalendarProgramsFiles(t *testing.T) {
	for file, want := range programFiles {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte("\r\n ")) && file != "apple.ics" {
				t.Fatal("the test file lost its folded CRLF lines")
			}
			evs, err := ReadCalendar(file, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != len(want) {
				t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
			}
			for i, w := range want {
				e := evs[i]
				got := wantEvent{e.UID, e.Name, e.Place, e.Zone, e.Start, e.End}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("event %d:\n got %+v\nwant %+v", i, got, w)
				}
			}

			// Imported into hearth, exported, imported into another
			// database: the same events; importing again changes nothing.
			ctx := context.Background()
			plans := make([]store.EventPlan, len(evs))
			for i := range evs {
				plans[i] = evs[i].Plan()
			}
			first, _ := storetest.Open(t)
			if added, _, _, err := first.Writer("t").ImportEvents(ctx, file, plans); err != nil || added != len(plans) {
				t.Fatalf("import: %d added, %v", added, err)
			}
			var out bytes.Buffer
			exported := make([]Planned, len(plans))
			for i := range plans {
				p, err := first.EventPlan(ctx, plans[i].UID)
				if err != nil {
					t.Fatal(err)
				}
				plans[i] = p
				exported[i] = FromPlan(&p)
			}
			if err := WriteCalendar(&out, exported, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			again, err := ReadCalendar("export.ics", out.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			second, _ := storetest.Open(t)
			back := make([]store.EventPlan, len(again))
			for i := range again {
				back[i] = again[i].Plan()
			}
			if added, _, _, err := second.Writer("t").ImportEvents(ctx, "export.ics", back); err != nil || added != len(plans) {
				t.Fatalf("import of the export: %d added, %v", added, err)
			}
			for _, p := range plans {
				got, err := second.EventPlan(ctx, p.UID)
				if err != nil || !reflect.DeepEqual(got, p) {
					t.Errorf("through the export %s became\n%+v (%v)\nwant\n%+v", p.UID, got, err, p)
				}
			}
			if added, updated, _, err := first.Writer("t").ImportEvents(ctx, "export.ics", back); err != nil || added+updated != 0 {
				t.Errorf("importing the export into the first database: %d added, %d updated, %v", added, updated, err)
			}
		})
	}
}
