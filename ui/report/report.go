// Package report renders the community health report of a period against
// the previous one, for people who were not at the keyboard: Markdown with
// text charts, one self-contained HTML file with inline SVG charts (no
// fonts, scripts, images or links it would have to fetch; printable), or
// the numbers alone as JSON. It draws; the figures come from model.
package report

import (
	"fmt"
	"time"

	"hearth/model"
)

// Report is everything a report shows.
type Report struct {
	Generated          time.Time
	Current, Previous  model.Period
	Topics, PrevTopics []model.TopicCount // most asked-about topics of each period
	Held, Coming       []model.Event      // events of the period; events after it
	ExcludeStaff       bool               // staff left out of conversion and factors
}

// figure is one headline number of both periods.
type figure struct {
	key         string // JSON name
	name        string
	cur, prev   float64
	known       bool // false: no value (nothing to measure), shown as "–"
	prevKnown   bool
	format      func(float64) string
	lowerBetter bool // the change is good when the number falls
	points      bool // a share: the change is in percentage points
}

func count(n float64) string { return model.Thousands(int(n)) }

func percent(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// Hours formats a number of hours as "3.5 h", or days from two days on.
func hours(h float64) string {
	if h >= 48 {
		return fmt.Sprintf("%.1f d", h/24)
	}
	return fmt.Sprintf("%.1f h", h)
}

// figures lists the headline numbers in the order the report shows them.
func (r *Report) figures() []figure {
	c, p := &r.Current, &r.Previous
	num := func(key, name string, cur, prev int) figure {
		return figure{key: key, name: name, cur: float64(cur), prev: float64(prev), known: true, prevKnown: true, format: count}
	}
	conv := figure{key: "conversion", name: "Conversion participant → contributor", format: percent,
		cur: model.Share(c.Converted, c.Entered), prev: model.Share(p.Converted, p.Entered),
		known: c.Entered > 0, prevKnown: p.Entered > 0, points: true}
	resp := func(key, name string, cur, prev time.Duration, curN, prevN int) figure {
		return figure{key: key, name: name, cur: cur.Hours(), prev: prev.Hours(), known: curN > 0, prevKnown: prevN > 0,
			format: hours, lowerBetter: true}
	}
	atRisk := num("at_risk", "At risk (regulars and core)", c.AtRisk, p.AtRisk)
	atRisk.lowerBetter = true
	return []figure{
		num("members", "Members", c.Members, p.Members),
		num("new", "New members", c.New, p.New),
		num("active", "Active members", c.Active, p.Active),
		num("contributed", "Members who contributed", c.Contributed, p.Contributed),
		conv,
		atRisk,
		resp("first_response_median_hours", "Time to first response, median", c.Response.Median, p.Response.Median, c.Response.Answered, p.Response.Answered),
		resp("first_response_p90_hours", "Time to first response, 90th percentile", c.Response.P90, p.Response.P90, c.Response.Answered, p.Response.Answered),
		num("questions_asked", "Questions asked", c.Response.Asked, p.Response.Asked),
		num("bus_factor", "Bus factor", c.Bus.N, p.Bus.N),
		num("elephant_factor", "Elephant factor", c.Elephant.N, p.Elephant.N),
	}
}

// change describes the move from prev to cur: "+12", "−3.5 h", "=".
func (f figure) change() string {
	if !f.known || !f.prevKnown {
		return "–"
	}
	d := f.cur - f.prev
	format := f.format
	if f.points {
		format = func(x float64) string { return fmt.Sprintf("%.1f pp", 100*x) }
	}
	switch {
	case d == 0:
		return "="
	case d > 0:
		return "+" + format(d)
	}
	return "−" + format(-d)
}

// better reports whether the change is an improvement, a decline, or
// neither (0).
func (f figure) better() int {
	if !f.known || !f.prevKnown || f.cur == f.prev {
		return 0
	}
	up := f.cur > f.prev
	if up != f.lowerBetter {
		return 1
	}
	return -1
}

func (f figure) curText() string {
	if !f.known {
		return "–"
	}
	return f.format(f.cur)
}

func (f figure) prevText() string {
	if !f.prevKnown {
		return "–"
	}
	return f.format(f.prev)
}

// periodText names a period by its first and last day.
func periodText(p model.Period) string {
	return p.From.Format("2006-01-02") + " to " + p.Until.Add(-time.Second).Format("2006-01-02")
}

// namesShown is how many of a factor's people a report names.
const namesShown = 10

// people names a factor's people or organisations, the first namesShown.
func people(f model.Factor) string {
	s := ""
	for i, n := range f.Names {
		if i == namesShown {
			s += fmt.Sprintf(" and %d more", len(f.Names)-namesShown)
			break
		}
		if i > 0 {
			s += ", "
		}
		s += model.CleanLine(n)
	}
	return s
}
