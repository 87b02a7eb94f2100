package ical

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A file as calendar programs write it: a VTIMEZONE with a non-IANA name,
// a recurring event with an override, an all-day event and folded lines.
const programICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Some Calendar//EN\r\n" +
	"BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16011028T030000\r\n" +
	"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" +
	"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly@example.org\r\nDTSTAMP:20260101T000000Z\r\n" +
	"DTSTART;TZID=W. Europe Standard Time:20260305T183000\r\nDTEND;TZID=W. Europe Standard Time:20260305T210000\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Weekly hack night with a title long enough to be folded by a calendar\r\n" +
	"  program\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly@example.org\r\nRECURRENCE-ID;TZID=W. Europe Standard Time:20260312T183000\r\n" +
	"DTSTART;TZID=W. Europe Standard Time:20260312T190000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:fest@example.org\r\nDTSTART;VALUE=DATE:20260601\r\nDTEND;VALUE=DATE:20260603\r\n" +
	"SUMMARY:Fest\\, day one\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func TestReadCalendarFromAProgram(t *testing.T) {
	evs, err := ReadCalendar("program.ics", []byte(programICS))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want the series once and the all-day one: %+v", len(evs), evs)
	}
	w := evs[0]
	if w.UID != "weekly@example.org" || !w.Start.Equal(time.Date(2026, 3, 5, 17, 30, 0, 0, time.UTC)) ||
		!w.End.Equal(time.Date(2026, 3, 5, 20, 0, 0, 0, time.UTC)) || w.Zone != "Europe/Berlin" {
		t.Errorf("weekly: %+v", w)
	}
	if w.Name != "Weekly hack night with a title long enough to be folded by a calendar program" {
		t.Errorf("unfolded name %q", w.Name)
	}
	f := evs[1]
	if f.Name != "Fest, day one" || !f.Start.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) ||
		!f.End.Equal(time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("all-day: %+v", f)
	}
}

func TestReadCalendarMalformed(t *testing.T) {
	for _, c := range []struct{ ics, want string }{
		{"", "x.ics:1: empty"},
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nEND:VCALENDAR\r\n", "x.ics:5: END:VCALENDAR where END:VEVENT"},
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:2026-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "x.ics:2: bad or missing DTSTART"},
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "x.ics:2: event without a UID"},
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n", "x.ics:6: truncated"},
	} {
		evs, err := ReadCalendar("x.ics", []byte(c.ics))
		var le *LineError
		if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), c.want) || evs != nil {
			t.Errorf("%q: %v, want %q", c.ics, err, c.want)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", `a\b`: `a\\b`, "x;y,z": `x\;y\,z`, "one\r\ntwo\nthree\rfour": `one\ntwo\nthree\nfour`, "": "",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}
