package cli

import (
	"encoding/csv"
	"io"
	"strconv"

	"hearth/model"
)

// writeHealthCSV writes the report's figures one a line: section, period
// (a month, a quarter or "" for now), figure and value. Durations are in
// hours, shares as fractions; names are cleaned of control characters.
func writeHealthCSV(w io.Writer, h *model.Health) error {
	c := csv.NewWriter(w)
	row := func(section, period, figure string, value any) {
		var v string
		switch x := value.(type) {
		case int:
			v = strconv.Itoa(x)
		case float64:
			v = strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			v = clean(x)
		}
		c.Write([]string{section, period, figure, v})
	}
	c.Write([]string{"section", "period", "figure", "value"})
	row("report", "", "as_of", h.AsOf.Format("2006-01-02"))
	row("report", "", "since", h.Since.Format("2006-01-02"))
	row("report", "", "members", h.Members)
	for _, s := range model.Stages {
		row("funnel", "", s.String()+"_at_stage", h.Funnel.AtStage[s])
		row("funnel", "", s.String()+"_reached", h.Funnel.Reached(s))
	}
	row("funnel", "", "new", h.Funnel.New)
	row("funnel", "", "lapsed", h.Funnel.Lapsed)
	for _, x := range h.Conversion {
		name := x.From.String() + "_to_" + x.To.String()
		row("conversion", x.Quarter, name+"_entered", x.Entered)
		row("conversion", x.Quarter, name+"_within_90_days", x.Within90)
		row("conversion", x.Quarter, name+"_within_180_days", x.Within180)
		row("conversion", x.Quarter, name+"_median_days", x.MedianDays)
	}
	for _, x := range h.Cohorts {
		row("cohort", x.Month, "size", x.Size)
		for i, k := range model.RetentionOffsets {
			if x.Retained[i] >= 0 {
				row("cohort", x.Month, "active_after_"+strconv.Itoa(k)+"_months", x.Retained[i])
			}
		}
		row("cohort", x.Month, "contributors", x.Contributors)
	}
	for _, x := range h.Months {
		row("trend", x.Month, "active", x.Active)
		row("trend", x.Month, "new", x.New)
		row("trend", x.Month, "new_contributors", x.NewContributors)
	}
	row("factors", "", "contributor_absence_factor", h.Bus.N)
	row("factors", "", "elephant_factor", h.Elephant.N)
	for _, q := range h.Factors {
		row("factors", q.Quarter, "contributor_absence_factor", q.Bus.N)
		row("factors", q.Quarter, "elephant_factor", q.Elephant.N)
	}
	for _, s := range h.Response {
		name := s.Source
		if s.Channel != "" {
			name += "/" + s.Channel
		}
		name = clean(name)
		for _, m := range s.Months {
			row("response", m.Month, name+" asked", m.Asked)
			row("response", m.Month, name+" answered", m.Answered)
			if m.Answered > 0 {
				row("response", m.Month, name+" median_hours", m.Median.Hours())
				row("response", m.Month, name+" p90_hours", m.P90.Hours())
			}
		}
	}
	for _, p := range h.Unanswered {
		row("unanswered", p.Period, "open_unanswered", p.N)
	}
	row("people", "", "ready_for_next_step", len(h.Ready))
	row("people", "", "at_risk", len(h.AtRisk))
	c.Flush()
	return c.Error()
}
