package model

import (
	"fmt"
	"strings"
	"time"
)

// Every date and time hearth shows, in the TUI and at the command line, is
// in one zone: the config's display_timezone, else the local zone. Stored
// times stay UTC, and machine-readable output (CSV, JSON) stays RFC 3339 in
// UTC; only what a person reads moves to the display zone.

// LoadZone returns the display zone called name (an IANA name such as
// "Europe/Berlin", or "UTC"); "" and "local" mean the local zone.
func LoadZone(name string) (*time.Location, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "local":
		return time.Local, nil
	case "utc":
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(strings.TrimSpace(name))
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Europe/Berlin)", name)
	}
	return loc, nil
}

// Day is t's date in zone loc ("2006-01-02"); "" for the zero time.
func Day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneOr(loc)).Format("2006-01-02")
}

// Clock is t's time of day in zone loc ("15:04:05").
func Clock(t time.Time, loc *time.Location) string {
	return t.In(zoneOr(loc)).Format("15:04:05")
}

// DayMonth is t's date with the month's name, for filters that should
// find "march": "2006-01-02 January" in zone loc.
func DayMonth(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneOr(loc)).Format("2006-01-02 January")
}

// In is t in zone loc (the local zone when loc is nil).
func In(t time.Time, loc *time.Location) time.Time { return t.In(zoneOr(loc)) }

func zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return time.Local
	}
	return loc
}
