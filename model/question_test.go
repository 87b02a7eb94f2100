package model

import (
	"testing"
	"time"
)

func TestFirstResponse(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	cases := []struct {
		name    string
		replies []Reply
		wantOK  bool
		wantBy  string
		wantAt  time.Time
	}{
		{name: "no replies"},
		{name: "author replying to themselves", replies: []Reply{{Author: "ann", At: at(1)}, {Author: "ann", At: at(5)}}},
		{name: "only a bot", replies: []Reply{{Author: "stale[bot]", Bot: true, At: at(2)}}},
		{name: "bot then person", replies: []Reply{{Author: "ci", Bot: true, At: at(1)}, {Author: "bo", At: at(3)}}, wantOK: true, wantBy: "bo", wantAt: at(3)},
		{name: "self reply then person", replies: []Reply{{Author: "ann", At: at(1)}, {Author: "cy", At: at(26)}}, wantOK: true, wantBy: "cy", wantAt: at(26)},
		{name: "unordered replies", replies: []Reply{{Author: "dee", At: at(9)}, {Author: "cy", At: at(4)}}, wantOK: true, wantBy: "cy", wantAt: at(4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := FirstResponse("ann", c.replies)
			if ok != c.wantOK || (ok && (r.Author != c.wantBy || !r.At.Equal(c.wantAt))) {
				t.Fatalf("got %+v ok=%v, want %s at %v ok=%v", r, ok, c.wantBy, c.wantAt, c.wantOK)
			}
			q := Question{Created: t0}
			if ok {
				q.FirstResponse = r.At
			}
			if q.Unanswered() == ok {
				t.Fatalf("Unanswered() = %v with a response found = %v", q.Unanswered(), ok)
			}
			d, answered := q.TimeToFirstResponse()
			if answered != ok || (ok && d != c.wantAt.Sub(t0)) {
				t.Fatalf("time to first response %v %v", d, answered)
			}
		})
	}
}

func TestClosedQuestionIsNotUnanswered(t *testing.T) {
	q := Question{Created: time.Unix(100, 0), Closed: time.Unix(200, 0)}
	if q.Unanswered() {
		t.Fatal("a closed question is not waiting for an answer")
	}
}

func TestEventTimes(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	e := Event{Start: now.AddDate(0, 0, -1), End: now.AddDate(0, 0, 1), CFPDeadline: now.AddDate(0, 0, -3)}
	if !e.Upcoming(now) {
		t.Fatal("an event still running is upcoming")
	}
	if e.CFPOpen(now) {
		t.Fatal("a CFP whose deadline passed is closed")
	}
	e = Event{Start: now.AddDate(0, 0, -10), Budget: []BudgetLine{{AmountCents: 100, Currency: "EUR"}, {AmountCents: 250, Currency: "EUR"}, {AmountCents: 7, Currency: "USD"}}}
	if e.Upcoming(now) {
		t.Fatal("a past one-day event is not upcoming")
	}
	if tot := e.BudgetTotal(); tot["EUR"] != 350 || tot["USD"] != 7 {
		t.Fatalf("budget total %v", tot)
	}
}
