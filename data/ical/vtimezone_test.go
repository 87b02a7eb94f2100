package ical

import (
	"io"
	"testing"
	"time"

	"hearth/model"
)

func TestObservancesCoverTheSpan(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	obs := observances(berlin, 2026, 2027)
	// The winter period in effect on 1 January 2026, then two changes a year.
	if len(obs) != 5 {
		t.Fatalf("%d observances, want 5: %+v", len(obs), obs)
	}
	if first := obs[0]; !first.at.Equal(time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC)) || first.to != 3600 || first.dst {
		t.Errorf("first observance %+v, want CET since 2025-10-26 01:00 UTC", first)
	}
	for i, o := range obs[1:] {
		if o.dst == obs[i].dst || o.from != obs[i].to {
			t.Errorf("observance %d does not follow the one before: %+v after %+v", i+1, o, obs[i])
		}
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if obs := observances(tokyo, 2026, 2026); len(obs) != 1 || obs[0].to != 9*3600 || !obs[0].at.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Tokyo: %+v, want the one +0900 period in effect since before 2026", obs)
	}
	for _, c := range []struct {
		sec  int
		want string
	}{{3600, "+0100"}, {-5 * 3600, "-0500"}, {19800, "+0530"}, {-(3600 + 1800 + 15), "-013015"}, {0, "+0000"}} {
		if got := utcOffset(c.sec); got != c.want {
			t.Errorf("utcOffset(%d) = %s, want %s", c.sec, got, c.want)
		}
	}
}

// BenchmarkWriteCalendar1k writes 1,000 events planned in four zones
// over three years, VTIMEZONEs included.
func BenchmarkWriteCalendar1k(b *testing.B) {
	zones := []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", ""}
	evs := make([]Planned, 1000)
	start := time.Date(2026, 1, 1, 18, 0, 0, 0, time.UTC)
	for i := range evs {
		s := start.Add(time.Duration(i) * 26 * time.Hour)
		evs[i] = Planned{Event: model.Event{UID: "e" + string(rune('a'+i%26)) + time.Duration(i).String(), Name: "Meetup, with a name long enough to fold at seventy-five octets",
			Place: "Somewhere; far", Start: s, End: s.Add(3 * time.Hour), CFPDeadline: s.AddDate(0, -1, 0)}, Zone: zones[i%len(zones)]}
	}
	stamp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteCalendar(io.Discard, evs, stamp); err != nil {
			b.Fatal(err)
		}
	}
}
