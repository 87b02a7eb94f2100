package model

import (
	"testing"
	"time"
)

func TestShortForms(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	day := 24 * time.Hour
	for _, c := range []struct {
		got, want string
	}{
		{Ago(now, time.Time{}), "never"},
		{Ago(now, now.Add(time.Hour)), "soon"},
		{Ago(now, ago(20*time.Second)), "just now"},
		{Ago(now, ago(45*time.Minute)), "45m ago"},
		{Ago(now, ago(5*time.Hour)), "5h ago"},
		{Ago(now, ago(12*day)), "12d ago"},
		{Ago(now, ago(130*day)), "4mo ago"},
		{Ago(now, ago(800*day)), "2y ago"},
		{Age(now, ago(3*time.Hour)), "3h"},
		{Age(now, ago(100*day)), "100d"},
		{Age(now, ago(400*day)), "1y"},
		{Age(now, now.Add(time.Hour)), "0h"},
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1000), "1,000"},
		{Thousands(100000), "100,000"},
		{Thousands(-1234567), "-1,234,567"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
