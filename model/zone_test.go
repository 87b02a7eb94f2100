package model

import (
	"testing"
	"time"
)

func TestDisplayZone(t *testing.T) {
	// 23:30 UTC on the 1st is already the 2nd in Tokyo and still the 1st in
	// New York: the date shown follows the display zone.
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct{ zone, day, clock string }{
		{"Asia/Tokyo", "2026-03-02", "08:30:00"},
		{"America/New_York", "2026-03-01", "18:30:00"},
		{"utc", "2026-03-01", "23:30:00"},
	} {
		loc, err := LoadZone(c.zone)
		if err != nil {
			t.Fatalf("%s: %v", c.zone, err)
		}
		if got := Day(at, loc); got != c.day {
			t.Errorf("%s: Day = %s, want %s", c.zone, got, c.day)
		}
		if got := Clock(at, loc); got != c.clock {
			t.Errorf("%s: Clock = %s, want %s", c.zone, got, c.clock)
		}
	}
	if loc, err := LoadZone(""); err != nil || loc != time.Local {
		t.Errorf("empty zone: %v, %v", loc, err)
	}
	if _, err := LoadZone("Mars/Olympus"); err == nil {
		t.Error("an unknown zone was accepted")
	}
	if Day(time.Time{}, time.UTC) != "" || DayMonth(time.Time{}, nil) != "" {
		t.Error("the zero time has a date")
	}
}
