package ui

import (
	"fmt"
	"strings"
	"time"

	"hearth/model"
)

// The sections of the health overview, each drawn by an overviewBuilder.

func (t *funnelTab) header(b *overviewBuilder) {
	st := &t.c.Styles
	h := t.health
	s := st.Title.Render("Community health") + st.Muted.Render(fmt.Sprintf("  %s · as of %s", t.window, t.c.Day(h.AsOf)))
	if t.computing {
		s += st.Muted.Render("  computing…")
	}
	b.line(s)
}

// stageRow is the conversion of one stage over the window: who entered it
// in the window's quarters, and how many of them went on.
func (t *funnelTab) stageRow(s model.Stage) (entered, advanced int, in, on []string) {
	for _, c := range t.health.Conversion {
		if c.From == s {
			entered += c.Entered
			advanced += c.Advanced
			in = append(in, model.DoorConversion(s, c.Quarter, false))
			on = append(on, model.DoorConversion(s, c.Quarter, true))
		}
	}
	return entered, advanced, in, on
}

func (t *funnelTab) stagesSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	t.header(b)
	h := t.health
	f := h.Funnel
	const label, num, conv = 12, 8, 27
	barW := max(w-label-num-conv-3, 6)
	first := ""
	if len(h.Conversion) > 0 {
		first = h.Conversion[0].Quarter
	}
	b.line(st.Header.Render(fitCell("Stage", label) + " " + fitCellRight("reached", num) + " " +
		strings.Repeat(" ", barW) + " " + fitCell("since "+first+": entered → on", conv)))
	top := f.Reached(model.StageParticipant)
	for _, s := range model.Stages {
		reached := f.Reached(s)
		n := 0
		if top > 0 {
			n = (reached*barW + top - 1) / top
		}
		line := st.Stage[s].Render(fitCell(s.Title(), label)) + " " +
			b.num(door{title: s.Title() + ": everyone who reached it", keys: []string{model.DoorReached(s)}},
				fitCellRight(model.Thousands(reached), num)) + " " +
			st.Bar.Render(strings.Repeat("█", n)) + st.BarEmpty.Render(strings.Repeat("░", barW-n)) + " "
		if s < model.StageCore {
			e, a, in, on := t.stageRow(s)
			line += b.num(door{title: "entered " + s.String() + " since " + first, keys: in}, fmt.Sprintf("%7s", model.Thousands(e))) +
				" → " + b.num(door{title: "entered " + s.String() + " since " + first + " and went on", keys: on}, fmt.Sprintf("%-7s", model.Thousands(a))) +
				st.Muted.Render(fmt.Sprintf(" %5.1f%%", 100*model.Share(a, e)))
		}
		b.line(line)
	}
	b.line(st.Good.Render("New ") + b.num(door{title: "new: first activity in the last 30 days", keys: []string{model.DoorNew}}, model.Thousands(f.New)) +
		st.Muted.Render(" · ") + st.Warn.Render("Lapsed ") + b.num(door{title: "lapsed regulars and core", keys: []string{model.DoorLapsed}}, model.Thousands(f.Lapsed)) +
		st.Muted.Render(" · ") + "Ready " + b.num(door{title: "ready for the next step", keys: []string{model.DoorReady}}, model.Thousands(len(h.Ready))) +
		st.Muted.Render(" · ") + "At risk " + b.num(door{title: "at risk", keys: []string{model.DoorAtRisk}}, model.Thousands(len(h.AtRisk))))
}

// trendSeries are the rows of the trend.
var trendSeries = [...]struct {
	label, what, title string
	value              func(m model.MonthFigures) int
}{
	{"Active members", "active", "active in", func(m model.MonthFigures) int { return m.Active }},
	{"New members", "new", "first seen in", func(m model.MonthFigures) int { return m.New }},
	{"New contributors", "contributors", "first contribution in", func(m model.MonthFigures) int { return m.NewContributors }},
}

func (t *funnelTab) trendSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	months := t.health.Months
	label := 17
	if len(months) == 0 {
		return
	}
	table := w >= 16+8*len(months)
	if table {
		label = 16
	}
	if !table {
		// A sparkline: one character a month, the latest that fit; the
		// number shown is the selected month's, else the latest.
		room := max(w-label-24, 6)
		if len(months) > room {
			months = months[len(months)-room:]
		}
		b.line(st.Header.Render(fitCell("Trend", label) + fmt.Sprintf("%s … %s", months[0].Month, months[len(months)-1].Month)))
		for _, s := range trendSeries {
			ns := make([]int, len(months))
			for i, m := range months {
				ns[i] = s.value(m)
			}
			spark := []rune(model.Sparkline(ns))
			shown := len(months) - 1
			if b.rowSelected() {
				shown = min(t.col, len(months)-1)
			}
			var line strings.Builder
			line.WriteString(fitCell(s.label, label))
			for i, m := range months {
				d := door{title: s.label + ": " + s.title + " " + m.Month, keys: []string{model.DoorMonth(s.what, m.Month)}}
				line.WriteString(st.Bar.Render(b.num(d, string(spark[i]))))
			}
			line.WriteString(fmt.Sprintf("  %7s in %s", model.Thousands(ns[shown]), months[shown].Month))
			b.line(line.String())
		}
		return
	}
	var head strings.Builder
	head.WriteString(fitCell("Trend", label))
	for _, m := range months {
		head.WriteString(fitCellRight(m.Month, 8))
	}
	b.line(st.Header.Render(head.String()))
	for _, s := range trendSeries {
		ns := make([]int, len(months))
		for i, m := range months {
			ns[i] = s.value(m)
		}
		var line strings.Builder
		line.WriteString(fitCell(s.label, label))
		for i, m := range months {
			d := door{title: s.label + ": " + s.title + " " + m.Month, keys: []string{model.DoorMonth(s.what, m.Month)}}
			line.WriteString(" " + b.num(d, fitCellRight(model.Thousands(ns[i]), 7)))
		}
		b.line(line.String())
		b.line(st.Bar.Render(strings.Repeat(" ", label) + spaced(model.Sparkline(ns), 8)))
	}
	if len(t.response.Months) == len(months) {
		var line strings.Builder
		line.WriteString(fitCell("Median response", label))
		for _, m := range t.response.Months {
			text := "–"
			if m.Answered > 0 {
				text = shortDuration(m.Median)
			}
			d := door{title: "questions asked in " + m.Month, keys: []string{model.DoorAsked(m.Month)}, questions: true}
			line.WriteString(" " + b.num(d, fitCellRight(text, 7)))
		}
		b.line(line.String())
	}
}

// quartersSection is the bus and elephant factors of each quarter, each a
// door to its people.
func (t *funnelTab) quartersSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	b.line(st.Header.Render(fitCell("Quarter", 10) + fitCellRight("bus", 6) + fitCellRight("elephant", 10)))
	for _, q := range t.health.Factors {
		b.line(fitCell(q.Quarter, 10) +
			b.num(door{title: "bus factor of " + q.Quarter, ids: q.Bus.IDs}, fitCellRight(fmt.Sprint(q.Bus.N), 6)) +
			b.num(door{title: "elephant factor of " + q.Quarter + ": the people of its organisations", ids: q.Elephant.IDs}, fitCellRight(fmt.Sprint(q.Elephant.N), 10)))
	}
}

// peopleSection names the first people at risk and ready for the next
// step, with what put them there.
func (t *funnelTab) peopleSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	h := t.health
	room := max((t.height-len(b.lines)-4)/2, 1)
	b.line(st.Header.Render("At risk") + st.Muted.Render(" · activity fell to half their usual rate or less"))
	for i, r := range h.AtRisk {
		if i == room {
			b.line(st.Muted.Render(fmt.Sprintf("  and %d more", len(h.AtRisk)-room)))
			break
		}
		b.line(fitCell(fmt.Sprintf("  %s (%s), down %.0f%%, last active %s", model.CleanLine(r.Name), r.Stage, 100*r.Drop, t.c.Day(r.Last)), w))
	}
	b.line("")
	b.line(st.Header.Render("Ready for the next step"))
	for i, c := range h.Ready {
		if i == room {
			b.line(st.Muted.Render(fmt.Sprintf("  and %d more", len(h.Ready)-room)))
			break
		}
		b.line(fitCell(fmt.Sprintf("  %s: %s → %s", model.CleanLine(c.Name), c.Stage, c.Next), w))
	}
}

// spaced right-aligns each rune of s in a cell of width w.
func spaced(s string, w int) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(strings.Repeat(" ", w-1))
		b.WriteRune(r)
	}
	return b.String()
}

func (t *funnelTab) cohortsSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	cs := t.health.Cohorts
	// Everything else takes 17 lines in one column, 8 in the right one.
	room := t.height - 17
	if t.width >= overviewWide {
		room = t.height - 8
	}
	if len(cs) > max(room, minCohorts) {
		cs = cs[len(cs)-max(room, minCohorts):]
	}
	const c0, cn = 9, 8
	head := fitCell("Cohort", c0) + fitCellRight("people", cn)
	for _, k := range model.RetentionOffsets {
		head += fitCellRight(fmt.Sprintf("+%dm", k), cn)
	}
	head += fitCellRight("contrib", cn)
	b.line(st.Header.Render(head) + st.Muted.Render(fitCell("  % active later", max(w-c0-5*cn, 0))))
	for _, c := range cs {
		line := fitCell(c.Month, c0) + " " + b.num(door{title: "cohort " + c.Month + ": first seen that month", keys: []string{model.DoorCohort(c.Month, 0)}},
			fitCellRight(model.Thousands(c.Size), cn-1))
		for j, n := range c.Retained {
			if n < 0 {
				line += st.Muted.Render(fitCellRight("·", cn))
				continue
			}
			title := fmt.Sprintf("cohort %s: active %d months later", c.Month, model.RetentionOffsets[j])
			line += " " + b.num(door{title: title, keys: []string{model.DoorCohort(c.Month, 1+j)}}, fitCellRight(pctText(n, c.Size), cn-1))
		}
		line += " " + b.num(door{title: "cohort " + c.Month + ": became contributors", keys: []string{model.DoorCohort(c.Month, 5)}},
			fitCellRight(pctText(c.Contributors, c.Size), cn-1))
		b.line(line)
	}
}

func pctText(n, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*model.Share(n, total))
}

func (t *funnelTab) responseSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	h := t.health
	r := t.response
	months := r.Months
	if len(months) > max(w-60, 6) {
		months = months[len(months)-max(w-60, 6):]
	}
	minutes := make([]int, len(months))
	for i, m := range months {
		minutes[i] = int(m.Median.Minutes())
	}
	open := 0
	if n := len(h.Unanswered); n > 0 {
		open = h.Unanswered[n-1].N
	}
	var line strings.Builder
	line.WriteString(fitCell("First response", 17))
	spark := []rune(model.Sparkline(minutes))
	shown := -1 // the selected month, else the whole window
	if b.rowSelected() && t.col < len(months) {
		shown = t.col
	}
	for i, m := range months {
		d := door{title: "questions asked in " + m.Month, keys: []string{model.DoorAsked(m.Month)}, questions: true}
		line.WriteString(st.Bar.Render(b.num(d, string(spark[i]))))
	}
	stats, label := r.Total, "median"
	if shown >= 0 {
		stats, label = months[shown].ResponseStats, months[shown].Month
	}
	if stats.Answered > 0 {
		line.WriteString(fmt.Sprintf("  %s %s · p90 %s", label, shortDuration(stats.Median), shortDuration(stats.P90)))
	} else {
		line.WriteString("  " + label + " –")
	}
	line.WriteString(st.Muted.Render(" · "))
	line.WriteString(b.num(door{title: "questions open and without a reply", keys: []string{model.DoorUnanswered}, questions: true}, model.Thousands(open)))
	line.WriteString(st.Muted.Render(" unanswered"))
	b.line(line.String())
	if t.width < overviewWide {
		t.factorsSection(b, w)
	}
}

func (t *funnelTab) factorsSection(b *overviewBuilder, w int) {
	st := &t.c.Styles
	h := t.health
	names := func(f model.Factor) string {
		if len(f.Names) == 0 {
			return ""
		}
		return st.Muted.Render(" (" + model.CleanLine(strings.Join(f.Names, ", ")) + ")")
	}
	bus := "Bus factor " + b.num(door{title: "bus factor: the fewest people with half the contributions", keys: []string{model.DoorBus}},
		fmt.Sprint(h.Bus.N))
	ele := "Elephant factor " + b.num(door{title: "elephant factor: the people of the fewest organisations with half the contributions", keys: []string{model.DoorElephant}},
		fmt.Sprint(h.Elephant.N))
	if t.width < overviewWide {
		// One line, the numbers only: enter lists the people.
		b.line(bus + st.Muted.Render(" · ") + ele + st.Muted.Render(" · people with half the contributions"))
		return
	}
	b.line(bus + names(h.Bus))
	b.line(ele + names(h.Elephant))
}

// shortDuration is a time to response in its largest units: "3h 20m", "2d 4h".
func shortDuration(d time.Duration) string {
	m := int(d.Minutes())
	switch {
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m < 48*60:
		return fmt.Sprintf("%dh %dm", m/60, m%60)
	}
	return fmt.Sprintf("%dd %dh", m/(24*60), m%(24*60)/60)
}
