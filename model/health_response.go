package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// ResponseSeries is the CHAOSS time to first response of one source, or of
// one channel of a source (Channel "" stands for all its channels), per
// month of the questions' creation and over the whole period.
type ResponseSeries struct {
	Source, Channel string
	Total           ResponseStats
	Months          []ResponseMonth
}

// ResponseMonth is the response statistics of the questions asked in one
// month.
type ResponseMonth struct {
	Month string
	ResponseStats
}

// ResponseStats summarise the questions of a group: how many were asked,
// how many have a first response by someone else (bots excluded), the
// median and 90th percentile of the time to it, and how many of them are
// still open and unanswered.
type ResponseStats struct {
	Asked, Answered, Unanswered int
	Median, P90                 time.Duration
}

// validResponse is the time to first response of q when it counts: a
// first response by a bot or by the asker is no response.
func validResponse(q *QuestionTiming) (time.Duration, bool) {
	if q.FirstResponse.IsZero() || q.ResponderBot || q.SelfReply {
		return 0, false
	}
	return max(q.FirstResponse.Sub(q.Created), 0), true
}

type responseAcc struct {
	asked, unanswered int
	hours             []float64
}

func (a *responseAcc) add(q *QuestionTiming) {
	a.asked++
	if d, ok := validResponse(q); ok {
		a.hours = append(a.hours, d.Hours())
	} else if q.Closed.IsZero() {
		a.unanswered++
	}
}

func (a *responseAcc) stats() ResponseStats {
	s := ResponseStats{Asked: a.asked, Answered: len(a.hours), Unanswered: a.unanswered}
	if len(a.hours) > 0 {
		s.Median = hours(Median(a.hours))
		s.P90 = hours(Percentile(a.hours, 0.9))
	}
	return s
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)).Round(time.Second) }

// responseSeries groups the questions asked from since on (bots' questions
// left out) by source and by source and channel: for each, the statistics
// of the period and of each month. Sources first in name order, each
// followed by its channels.
func responseSeries(qs []QuestionTiming, since, now time.Time) []ResponseSeries {
	type key struct{ source, channel string }
	first, last := MonthIndex(since), MonthIndex(now)
	if last < first {
		return nil
	}
	groups := map[key][]responseAcc{} // [0] the period, [1+i] month first+i
	add := func(k key, q *QuestionTiming, month int) {
		g, ok := groups[k]
		if !ok {
			g = make([]responseAcc, 2+last-first)
			groups[k] = g
		}
		g[0].add(q)
		g[1+month-first].add(q)
	}
	for i := range qs {
		q := &qs[i]
		if q.AuthorBot || q.Created.Before(since) || q.Created.After(now) {
			continue
		}
		m := MonthIndex(q.Created)
		add(key{q.Source, ""}, q, m)
		add(key{q.Source, q.Channel}, q, m)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.source, b.source), strings.Compare(a.channel, b.channel))
	})
	out := make([]ResponseSeries, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		s := ResponseSeries{Source: k.source, Channel: k.channel, Total: g[0].stats()}
		for i := range g[1:] {
			s.Months = append(s.Months, ResponseMonth{Month: MonthLabel(first + i), ResponseStats: g[1+i].stats()})
		}
		out = append(out, s)
	}
	return out
}

// unansweredOverTime counts, at the end of each month from since's to
// now's (at now for the current month), the questions asked by then that
// were open and had no first response by then (bots' questions left out;
// a response by a bot or the asker is none).
func unansweredOverTime(qs []QuestionTiming, since, now time.Time) []PeriodCount {
	first, last := MonthIndex(since), MonthIndex(now)
	var out []PeriodCount
	for m := first; m <= last; m++ {
		end := monthStart(m + 1)
		if end.After(now) {
			end = now
		}
		n := 0
		for i := range qs {
			q := &qs[i]
			if q.AuthorBot || !q.Created.Before(end) {
				continue
			}
			if !q.Closed.IsZero() && q.Closed.Before(end) {
				continue
			}
			if _, ok := validResponse(q); ok && q.FirstResponse.Before(end) {
				continue
			}
			n++
		}
		out = append(out, PeriodCount{Period: MonthLabel(m), N: n})
	}
	return out
}

// ResponseAll is the time to first response of every source together, per
// month of the questions' creation and over the whole period: the
// overview's one line of it.
func ResponseAll(qs []QuestionTiming, since, now time.Time) ResponseSeries {
	first, last := MonthIndex(since), MonthIndex(now)
	s := ResponseSeries{}
	if last < first {
		return s
	}
	accs := make([]responseAcc, 2+last-first)
	for i := range qs {
		q := &qs[i]
		if q.AuthorBot || q.Created.Before(since) || q.Created.After(now) {
			continue
		}
		accs[0].add(q)
		accs[1+MonthIndex(q.Created)-first].add(q)
	}
	s.Total = accs[0].stats()
	for i := range accs[1:] {
		s.Months = append(s.Months, ResponseMonth{Month: MonthLabel(first + i), ResponseStats: accs[1+i].stats()})
	}
	return s
}
