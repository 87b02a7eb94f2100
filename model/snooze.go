package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSnooze reads when a snoozed question comes back: a date YYYY-MM-DD (the start of that day in
// zone), or a duration from now: Nd (days), Nw (weeks), or what
// time.ParseDuration reads (12h, 90m). The result is in the future.
func ParseSnooze(s string, now time.Time, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor a duration (3d, 1w, 12h)", CleanLine(s))
	if d, err := time.ParseInLocation("2006-01-02", s, zone); err == nil {
		if !d.After(now) {
			return time.Time{}, fmt.Errorf("%s is not in the future", s)
		}
		return d, nil
	}
	var d time.Duration
	if unit := s[max(len(s)-1, 0):]; unit == "d" || unit == "w" {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return time.Time{}, bad
		}
		d = time.Duration(n) * 24 * time.Hour
		if unit == "w" {
			d *= 7
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return time.Time{}, bad
		}
	}
	if d <= 0 {
		return time.Time{}, fmt.Errorf("%q is not in the future", CleanLine(s))
	}
	return now.Add(d), nil
}
