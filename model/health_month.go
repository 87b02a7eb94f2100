package model

import "time"

// monthOfUnix is MonthIndex(time.Unix(unix, 0)) by integer arithmetic:
// the health figures ask it for millions of activities, and going through
// time.Time cost a third of their computing time at 100,000 members.
// The conversion from days to a civil date is the well-known one of the
// proleptic Gregorian calendar in 400-year eras.
func monthOfUnix(unix int64) int {
	days := unix / 86400
	if unix%86400 < 0 {
		days--
	}
	z := days + 719468 // days from 0000-03-01
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153 // March = 0
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
		y++
	}
	return int(y)*12 + int(m) - 1
}

// history is the model.History a tally would keep of acts sorted by time,
// built without a tally: the health figures need only the standing, and a
// tally converts every activity's time again.
func history(acts []Act) History {
	var h History
	h.Activities = len(acts)
	if len(acts) == 0 {
		return h
	}
	h.First = time.Unix(acts[0].At, 0).UTC()
	h.Last = time.Unix(acts[len(acts)-1].At, 0).UTC()
	var firstContrib, lastContrib int64
	var mc monthCursor
	for _, a := range acts {
		if a.Kind.IsContribution() {
			if h.Contributions == 0 {
				firstContrib, h.FirstContribK = a.At, a.Kind.Kind()
			}
			h.Contributions++
			lastContrib = a.At
			if m := mc.of(a.At); len(h.ContribMonths) == 0 || h.ContribMonths[len(h.ContribMonths)-1] != m {
				h.ContribMonths = append(h.ContribMonths, m)
			}
		}
		if a.Kind.IsStewardship() {
			m := mc.of(a.At)
			if n := len(h.StewardMonths); n > 0 && h.StewardMonths[n-1].Month == m {
				h.StewardMonths[n-1].N++
			} else {
				h.StewardMonths = append(h.StewardMonths, MonthCount{m, 1})
			}
		}
	}
	if h.Contributions > 0 {
		h.FirstContrib = time.Unix(firstContrib, 0).UTC()
		h.LastContrib = time.Unix(lastContrib, 0).UTC()
	}
	return h
}

// monthCursor answers monthOfUnix for times that mostly come in order, as
// a member's sorted activities do: while a time falls in the month of the
// previous one, no date arithmetic is done.
type monthCursor struct {
	start, end int64 // [start, end) is the month m
	m          int
}

func (c *monthCursor) of(unix int64) int {
	if unix >= c.start && unix < c.end {
		return c.m
	}
	c.m = monthOfUnix(unix)
	c.start, c.end = monthStartUnix(c.m), monthStartUnix(c.m+1)
	return c.m
}

// monthStartUnix is monthStart(m).Unix() by integer arithmetic (the
// inverse of monthOfUnix's conversion).
func monthStartUnix(m int) int64 {
	y, mo := int64(m/12), int64(m%12+1)
	if m < 0 && m%12 != 0 {
		y, mo = int64(m/12-1), int64(m%12+13)
	}
	if mo <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (mo + 9) % 12 // March = 0
	doy := (153*mp + 2) / 5
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return (era*146097 + doe - 719468) * 86400
}

// quickStanding is History.Standing without the evidence, which the health
// figures never show and which cost a fifth of their time: the same stage,
// new and lapsed.
func quickStanding(h *History, f Flags, now time.Time, r Rules) Standing {
	var s Standing
	if h.Activities == 0 && !f.Core && !f.Maintainer {
		return s
	}
	if h.Activities > 0 {
		s.Stage = StageParticipant
	}
	if h.Contributions > 0 {
		s.Stage = StageContributor
	}
	months, steward := h.window(now, r)
	if months >= r.RegularMonths {
		s.Stage = StageRegular
	}
	if f.Core || f.Maintainer || steward >= r.CoreStewardAct {
		s.Stage = StageCore
	}
	s.New = !h.First.IsZero() && now.Sub(h.First) <= r.NewWithin
	s.Lapsed = s.Stage >= StageRegular && !h.Last.IsZero() && now.Sub(h.Last) > r.LapsedAfter
	return s
}
