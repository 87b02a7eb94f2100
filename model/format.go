package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Short human forms of times and numbers, shared by the TUI and the
// command line so that both say the same thing about the same data.

// Ago says briefly how long before now t was: "just now", "5m ago",
// "3d ago", "4mo ago"; "never" for a zero time and "soon" for the future.
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 0 {
		return "soon"
	}
	if d < time.Minute {
		return "just now"
	}
	return ShortDuration(d) + " ago"
}

// ShortDuration renders a duration in its largest sensible unit: "45m",
// "5h", "12d", "4mo", "2y".
func ShortDuration(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < day:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 60*day:
		return fmt.Sprintf("%dd", int(d/day))
	case d < 365*day:
		return fmt.Sprintf("%dmo", int(d/(30*day)))
	default:
		return fmt.Sprintf("%dy", int(d/(365*day)))
	}
}

// Age is how old something created at t is, in the unit people triage
// questions by: hours on the first day, then days ("12d"), years past a
// year.
func Age(now, t time.Time) string {
	const day = 24 * time.Hour
	d := now.Sub(t)
	switch {
	case d < 0:
		return "0h"
	case d < day:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 365*day:
		return fmt.Sprintf("%dd", int(d/day))
	default:
		return fmt.Sprintf("%dy", int(d/(365*day)))
	}
}

// Plural counts things: "1 member", "2,000 members".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}

// FirstLine keeps the first line of a message, trimmed: errors stored or
// shown in one line never carry a multi-line dump.
func FirstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// Thousands writes n with thousands separators: 12,345.
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
