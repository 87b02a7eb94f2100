package model

import (
	"testing"
	"time"
)

// TestComputePeriod: worked by hand over the first quarter of 2026.
func TestComputePeriod(t *testing.T) {
	ms := []HealthMember{
		// Came in January, contributed in February: new, active, converted.
		{ID: 1, Name: "Ann", Acts: []Act{hact(KindQuestion, 2026, 1, 5), hact(KindCommit, 2026, 2, 1)}},
		// Came before the period, commented in it: active, not new.
		{ID: 2, Name: "Bo", Acts: []Act{hact(KindCommit, 2025, 6, 1), hact(KindComment, 2026, 3, 30)}},
		// Came in March, contributed only in April, after the period.
		{ID: 3, Name: "Cy", Acts: []Act{hact(KindQuestion, 2026, 3, 2), hact(KindCommit, 2026, 4, 2)}},
		// Came after the period: not a member yet at its end.
		{ID: 4, Name: "Di", Acts: []Act{hact(KindCommit, 2026, 5, 2)}},
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	qs := []QuestionTiming{
		{Source: "f", Created: date(2026, 2, 1), FirstResponse: date(2026, 2, 1).Add(3 * time.Hour)},
		{Source: "f", Created: date(2026, 3, 1), FirstResponse: date(2026, 4, 5)}, // answered after the period
	}
	p := ComputePeriod(ms, qs, from, until, DefaultHealthOptions(healthNow))
	if p.Members != 3 || p.New != 2 || p.Active != 3 || p.Contributed != 1 || p.Entered != 2 || p.Converted != 1 {
		t.Errorf("period %+v", p)
	}
	if p.Bus.N != 1 || p.Bus.Names[0] != "Ann" || p.Response.Asked != 2 || p.Response.Answered != 1 || p.Response.Median != 3*time.Hour {
		t.Errorf("bus %+v, response %+v", p.Bus, p.Response)
	}
	if len(p.Months) != 3 || p.Months[2].Month != "2026-03" || p.Months[2].New != 1 {
		t.Errorf("months %+v", p.Months)
	}
	if len(ms[3].Acts) != 1 || len(ms[2].Acts) != 2 {
		t.Error("the input was changed")
	}
}
