package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"hearth/model"
)

// The health report as text for a terminal or as Markdown for a document:
// the same sections and tables, drawn two ways.

// report writes sections and tables in one of the two styles.
type report struct {
	w   io.Writer
	md  bool
	err error
}

func (r *report) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

func (r *report) heading(level int, title string) {
	switch {
	case r.md:
		r.printf("%s %s\n\n", strings.Repeat("#", level+1), title)
	case level == 0:
		r.printf("%s\n%s\n\n", title, strings.Repeat("=", utf8.RuneCountInString(title)))
	default:
		r.printf("%s\n%s\n\n", title, strings.Repeat("-", utf8.RuneCountInString(title)))
	}
}

func (r *report) para(format string, args ...any) {
	r.printf(format+"\n\n", args...)
}

// table draws a header and rows; columns listed in right are aligned right
// in text (numbers) and marked so in Markdown.
func (r *report) table(head []string, rows [][]string, right ...int) {
	isRight := make([]bool, len(head))
	for _, i := range right {
		isRight[i] = true
	}
	if r.md {
		esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
		r.printf("|")
		for _, h := range head {
			r.printf(" %s |", esc(h))
		}
		r.printf("\n|")
		for i := range head {
			if isRight[i] {
				r.printf(" ---: |")
			} else {
				r.printf(" --- |")
			}
		}
		r.printf("\n")
		for _, row := range rows {
			r.printf("|")
			for _, c := range row {
				r.printf(" %s |", esc(c))
			}
			r.printf("\n")
		}
		r.printf("\n")
		return
	}
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if isRight[i] {
				b.WriteString(pad + c)
			} else if i < len(cells)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		r.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	line(head)
	for _, row := range rows {
		line(row)
	}
	r.printf("\n")
}

func pct(n, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", int(model.Share(n, total)*100+0.5))
}

func countPct(n, total int) string {
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%s (%s)", model.Thousands(n), pct(n, total))
}

func hoursText(d time.Duration, answered int) string {
	if answered == 0 {
		return "–"
	}
	return model.ShortDuration(d)
}

// sparkline draws counts as block characters, readable without colour.
func sparkline(ns []int) string { return model.Sparkline(ns) }

func factorText(f model.Factor, one, many string) string {
	if f.N == 0 {
		return "no contributions"
	}
	names := cleanList(f.Names)
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("and %d more", len(names)-5))
	}
	return fmt.Sprintf("%s (%s: %s of %s contributions)", model.Plural(f.N, one, many), strings.Join(names, ", "),
		model.Thousands(f.Covered), model.Thousands(f.Contributions))
}

// writeHealth writes the report as text, or as Markdown when md is set.
func writeHealth(w io.Writer, h *model.Health, md bool) error {
	r := &report{w: w, md: md}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	r.heading(0, "Community health")
	r.para("As of %s; series from %s. %s who did anything, bots left out.",
		day(h.AsOf), day(h.Since), model.Plural(h.Members, "person", "people"))

	r.heading(1, "Funnel now")
	fu := h.Funnel
	var rows [][]string
	for _, s := range model.Stages {
		conv := ""
		if s < model.StageCore {
			conv = pct(fu.Reached(s+1), fu.Reached(s))
		}
		rows = append(rows, []string{s.Title(), model.Thousands(fu.AtStage[s]), model.Thousands(fu.Reached(s)), conv})
	}
	r.table([]string{"Stage", "At stage", "Reached", "Went on to the next"}, rows, 1, 2, 3)
	r.para("New (first activity in the last 30 days): %s. Lapsed (regular or core, silent for 90 days): %s.",
		model.Thousands(fu.New), model.Thousands(fu.Lapsed))

	r.heading(1, "Conversion by quarter")
	r.para("Of the people who first reached a stage in a quarter, how many reached the next one within 90 and 180 days, and the median days it took those who did. * marks a figure that can still grow.")
	for from := model.StageParticipant; from < model.StageCore; from++ {
		rows = rows[:0]
		for _, c := range h.Conversion {
			if c.From != from {
				continue
			}
			mark := func(s string, complete bool) string {
				if !complete && c.Entered > 0 {
					return s + "*"
				}
				return s
			}
			median := "–"
			if c.Advanced > 0 {
				median = fmt.Sprintf("%.0f", c.MedianDays)
			}
			rows = append(rows, []string{c.Quarter, model.Thousands(c.Entered),
				mark(countPct(c.Within90, c.Entered), c.Complete90), mark(countPct(c.Within180, c.Entered), c.Complete180), median})
		}
		r.heading(2, from.Title()+" → "+(from+1).Title())
		r.table([]string{"Quarter", "Entered", "In 90 days", "In 180 days", "Median days"}, rows, 1, 2, 3, 4)
	}

	r.heading(1, "Cohorts by month of first activity")
	r.para("The share of each month's newcomers active again 1, 3, 6 and 12 months later, and the share who became contributors; – for months not over yet.")
	rows = rows[:0]
	for _, c := range h.Cohorts {
		row := []string{c.Month, model.Thousands(c.Size)}
		for _, n := range c.Retained {
			if n < 0 {
				row = append(row, "–")
			} else {
				row = append(row, pct(n, c.Size))
			}
		}
		rows = append(rows, append(row, pct(c.Contributors, c.Size)))
	}
	r.table([]string{"Cohort", "People", "+1 mo", "+3 mo", "+6 mo", "+12 mo", "Contributors"}, rows, 1, 2, 3, 4, 5, 6)

	r.heading(1, "Contributor absence and elephant factors")
	r.para("Contributor absence factor (bus factor), last 12 months: %s.", factorText(h.Bus, "person", "people"))
	r.para("Elephant factor, last 12 months: %s. Contributions of people with no known organisation are left out.",
		factorText(h.Elephant, "organisation", "organisations"))
	rows = rows[:0]
	for _, q := range h.Factors {
		rows = append(rows, []string{q.Quarter, model.Thousands(q.Bus.Contributions), model.Thousands(q.Bus.N), model.Thousands(q.Elephant.N)})
	}
	r.table([]string{"Quarter", "Contributions", "Bus factor", "Elephant factor"}, rows, 1, 2, 3)

	r.heading(1, "Time to first response")
	r.para("From a question to the first reply by someone else (bots and the asker's own replies do not count), for questions asked since %s.", day(h.Since))
	rows = rows[:0]
	for _, s := range h.Response {
		name := clean(s.Source)
		switch {
		case s.Channel != "":
			name += " / " + clean(s.Channel)
		case r.md:
			name = "**" + name + "**"
		}
		t := s.Total
		rows = append(rows, []string{name, model.Thousands(t.Asked), model.Thousands(t.Answered),
			hoursText(t.Median, t.Answered), hoursText(t.P90, t.Answered), model.Thousands(t.Unanswered)})
	}
	r.table([]string{"Source / channel", "Asked", "Answered", "Median", "90th pct", "Unanswered"}, rows, 1, 2, 3, 4, 5)
	for _, s := range h.Response {
		if s.Channel != "" {
			continue
		}
		rows = rows[:0]
		for _, m := range s.Months {
			rows = append(rows, []string{m.Month, model.Thousands(m.Asked), hoursText(m.Median, m.Answered), hoursText(m.P90, m.Answered)})
		}
		r.heading(2, "By month: "+clean(s.Source))
		r.table([]string{"Month", "Asked", "Median", "90th pct"}, rows, 1, 2, 3)
	}
	r.heading(2, "Unanswered at the end of each month")
	rows = rows[:0]
	for _, p := range h.Unanswered {
		rows = append(rows, []string{p.Period, model.Thousands(p.N)})
	}
	r.table([]string{"Month", "Open and unanswered"}, rows, 1)

	r.heading(1, "Ready for the next step")
	if len(h.Ready) == 0 {
		r.para("Nobody right now.")
	}
	for _, c := range h.Ready {
		r.candidate(clean(c.Name), clean(c.Org), c.Stage.String()+" → "+c.Next.String(), c.Rule, c.Evidence)
	}
	r.heading(1, "At risk")
	if len(h.AtRisk) == 0 {
		r.para("Nobody right now.")
	}
	for _, k := range h.AtRisk {
		ev := append(cleanList(k.Evidence), fmt.Sprintf("activities by month, last %d: %s  %s", len(k.Trend), trendText(k.Trend), sparkline(k.Trend)))
		r.candidate(clean(k.Name), clean(k.Org), k.Stage.String()+fmt.Sprintf(", down %d%%", int(k.Drop*100+0.5)), k.Rule, ev)
	}
	return r.err
}

func trendText(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " ")
}

// candidate is one person of the ready or at-risk list, with why.
func (r *report) candidate(name, org, what, rule string, evidence []string) {
	if org != "" {
		name += " (" + org + ")"
	}
	if r.md {
		r.printf("- **%s** — %s  \n  _%s_\n", name, what, rule)
		for _, e := range evidence {
			r.printf("  - %s\n", clean(e))
		}
		r.printf("\n")
		return
	}
	r.printf("%s — %s\n  rule: %s\n", name, what, rule)
	for _, e := range evidence {
		r.printf("  · %s\n", clean(e))
	}
	r.printf("\n")
}
