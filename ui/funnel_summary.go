package ui

import (
	"fmt"
	"strings"

	"hearth/model"
)

var stageVerbs = [...]string{"", "", "became contributors", "became regulars", "became core"}

// summaryView is the funnel from the summary alone: what the tab shows
// until the health figures are computed, and for a store without them.
func (t *funnelTab) summaryView() string {
	st := &t.c.Styles
	if !t.loaded {
		return st.Muted.Render("Loading…")
	}
	f := t.sum.Funnel
	const label = 13 // "Contributor  "
	// The numbers after the bars are right-aligned in two columns.
	rw, hw := 0, 0
	for _, s := range model.Stages {
		rw = max(rw, len(model.Thousands(f.Reached(s))))
		hw = max(hw, len(model.Thousands(f.AtStage[s])))
	}
	numbers := func(s model.Stage) string {
		return fmt.Sprintf("  %*s reached  %*s here", rw, model.Thousands(f.Reached(s)), hw, model.Thousands(f.AtStage[s]))
	}
	numW := len(numbers(model.StageParticipant))
	barW := max(t.width-label-numW-1, 10)
	top := f.Reached(model.StageParticipant)

	var b strings.Builder
	b.WriteString(st.Title.Render("Contributor funnel"))
	b.WriteString(st.Muted.Render("  " + model.Plural(t.sum.Members, "person", "people")))
	if !t.sum.AsOf.IsZero() {
		b.WriteString(st.Muted.Render(", as of " + t.c.Day(t.sum.AsOf)))
	}
	b.WriteString("\n\n")
	for i, s := range model.Stages {
		reached := f.Reached(s)
		n := 0
		if top > 0 {
			n = (reached*barW + top - 1) / top // round up: a stage with anyone shows
		}
		b.WriteString(st.Stage[s].Render(fitCell(s.Title(), label)))
		b.WriteString(st.Bar.Render(strings.Repeat("█", n)))
		b.WriteString(st.BarEmpty.Render(strings.Repeat("░", barW-n)))
		b.WriteString(numbers(s))
		b.WriteByte('\n')
		if i < len(model.Stages)-1 {
			rate := f.Conversion(s)
			b.WriteString(st.Muted.Render(fmt.Sprintf("%s↓ %4.1f%% %s", strings.Repeat(" ", label), rate*100, stageVerbs[s+1])))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	newN, lapsedN := model.Thousands(f.New), model.Thousands(f.Lapsed)
	nw := max(len(newN), len(lapsedN))
	b.WriteString(st.Good.Render(fitCell("New", label)))
	b.WriteString(fmt.Sprintf("%*s  first activity in the last 30 days\n", nw, newN))
	b.WriteString(st.Warn.Render(fitCell("Lapsed", label)))
	b.WriteString(fmt.Sprintf("%*s  regulars or core with nothing in 90 days\n", nw, lapsedN))
	if t.sum.Bots > 0 {
		b.WriteString("\n" + st.Muted.Render(model.Plural(t.sum.Bots, "bot", "bots")+" not counted"))
	}
	return b.String()
}
