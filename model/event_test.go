package model

import (
	"testing"
	"time"
)

func TestSpeakerTallyCountsWhatListsCount(t *testing.T) {
	e := Event{Speakers: []Speaker{
		{Status: "confirmed"}, {Status: "invited"}, {Status: ""}, {Status: "declined"}, {Status: "confirmed"},
	}}
	active, confirmed, declined := e.SpeakerTally()
	if active != 4 || confirmed != 2 || declined != 1 {
		t.Fatalf("tally %d active, %d confirmed, %d declined; want 4, 2, 1", active, confirmed, declined)
	}
}

func TestAmountsInMinorUnits(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		minor   int64
		text    string
		money   string
	}{
		{"12.50", "EUR", 1250, "12.50", "EUR 12.50"},
		{"12.5", "EUR", 1250, "12.50", "EUR 12.50"},
		{"1234567.05", "USD", 123456705, "1234567.05", "USD 1,234,567.05"},
		{"-3", "EUR", -300, "-3.00", "EUR -3.00"},
		{"0.07", "GBP", 7, "0.07", "GBP 0.07"},
		{"15000", "JPY", 15000, "15000", "JPY 15,000"},
		{"1.234", "KWD", 1234, "1.234", "KWD 1.234"},
	} {
		got, err := ParseAmount(c.in, c.cur)
		if err != nil || got != c.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", c.in, c.cur, got, err, c.minor)
			continue
		}
		if txt := AmountText(got, c.cur); txt != c.text {
			t.Errorf("AmountText(%d, %s) = %q, want %q", got, c.cur, txt, c.text)
		}
		if back, err := ParseAmount(AmountText(got, c.cur), c.cur); err != nil || back != got {
			t.Errorf("%s %s does not read back: %d, %v", c.in, c.cur, back, err)
		}
		if m := Money(got, c.cur); m != c.money {
			t.Errorf("Money(%d, %s) = %q, want %q", got, c.cur, m, c.money)
		}
	}
	for _, c := range []struct{ in, cur string }{{"1.5", "JPY"}, {"1.234", "EUR"}, {"12,50", "EUR"}, {"", "EUR"}, {"1", "EUX"}, {"-", "EUR"}, {"1e3", "EUR"}} {
		if got, err := ParseAmount(c.in, c.cur); err == nil {
			t.Errorf("ParseAmount(%q, %s) = %d, want an error", c.in, c.cur, got)
		}
	}
	if code, err := CurrencyCode(" eur "); err != nil || code != "EUR" {
		t.Errorf("CurrencyCode(eur) = %q, %v", code, err)
	}
	if _, err := CurrencyCode("EURO"); err == nil {
		t.Error("EURO accepted as a currency")
	}
}

func TestEventTimesReadBack(t *testing.T) {
	berlin, err := EventZone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"2026-03-05 18:30", "2026-10-25", "2026-07-01 00:30"} {
		at, err := ParseEventTime(in, berlin)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := EventTimeText(at, berlin); got != in {
			t.Errorf("%q reads back as %q", in, got)
		}
	}
	if at, _ := ParseEventTime("2026-03-05T18:30:00+01:00", time.UTC); !at.Equal(time.Date(2026, 3, 5, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("an offset in the text is not kept: %v", at)
	}
	for _, bad := range []string{"Local", "Mars/Base"} {
		if _, err := EventZone(bad); err == nil {
			t.Errorf("zone %q accepted", bad)
		}
	}
	if loc, err := EventZone(""); err != nil || loc != time.UTC {
		t.Errorf("no zone is %v, %v; want UTC", loc, err)
	}
}

func TestOverdueTasks(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	e := Event{Tasks: []Task{
		{Due: now.Add(-time.Hour)}, {Due: now.Add(-time.Hour), Done: true}, {Due: now.Add(time.Hour)}, {},
	}}
	if n := e.OverdueTasks(now); n != 1 {
		t.Fatalf("%d overdue, want 1", n)
	}
}
