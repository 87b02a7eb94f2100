package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/config"
	"hearth/model"
)

const healthUsage = `Usage: hearth health [flags]

Prints a report of the community's health for stakeholders: the funnel now,
conversion between stages by quarter, the retention of monthly cohorts, the
contributor absence (bus) and elephant factors over time, time to first
response per source, and who is ready for the next step or at risk, each
with the evidence. The series start at --since (default: 12 months ago).
The definitions are in the README, under "Definitions".

--window 3m|6m|12m|all sets the series and the bus and elephant factors to
that many months before the report's date (all: since the first activity).
--as-of DATE reports as things stood at the end of that day.

--format text (or table) is for reading; markdown pastes into a document;
csv is one figure a line (section, period, figure, value), for spreadsheets;
json is one object, for scripts.
`

// Formats of the health report.
const (
	formatText     = "text"
	formatMarkdown = "markdown"
)

func runHealth(ctx context.Context, app *App, args []string) error {
	fs := newFlags("health")
	since := fs.String("since", "", "start the series on `date` (YYYY-MM-DD or YYYY-MM; default 12 months ago)")
	window := fs.String("window", "", "series and factors over the last `months` (3m, 6m, 12m) or all")
	asOf := fs.String("as-of", "", "report as of the end of `date` (YYYY-MM-DD; default today)")
	format := fs.String("format", formatText, "output `format`: text (table), markdown, csv or json")
	if help, err := app.parseCommand("health", healthUsage, fs, args); err != nil || help {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("health: unexpected argument %q", fs.Arg(0))
	}
	f := strings.ToLower(*format)
	switch f {
	case "md":
		f = formatMarkdown
	case "table":
		f = formatText
	case formatText, formatMarkdown, formatJSON, formatCSV:
	default:
		return usageErrorf("health: unknown format %q (choose text, table, markdown, csv or json)", *format)
	}
	now := app.Now().UTC()
	if *asOf != "" {
		t, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			return usageErrorf("health: --as-of %q: want a date like 2025-12-31", *asOf)
		}
		now = t.AddDate(0, 0, 1).Add(-time.Second)
	}
	win, winSet := model.Window(12), *window != ""
	if winSet {
		w, err := model.ParseWindow(*window)
		if err != nil {
			return usageErrorf("health: --%v", err)
		}
		if *since != "" {
			return usageErrorf("health: --window and --since both set the start; give one")
		}
		win = w
	}
	opt := app.healthOptions(now)
	if *since != "" {
		t, err := parseSince(*since)
		if err != nil {
			return usageErrorf("health: --since %q: want a date like 2025-01-31 or 2025-01", *since)
		}
		if t.After(now) {
			return usageErrorf("health: --since %s is in the future", *since)
		}
		opt.Since = t
	}

	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	in, err := st.HealthInput(ctx)
	st.Close()
	if err != nil {
		return err
	}
	members, questions := in.Members, in.Questions
	if *asOf != "" {
		members, questions = model.AsOf(members, questions, now)
	}
	if winSet {
		opt = opt.ForWindow(win, members)
	}
	h := model.ComputeHealth(members, questions, opt)
	bw := bufio.NewWriter(app.Stdout)
	switch f {
	case formatJSON:
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		err = enc.Encode(newHealthJSON(&h))
	case formatCSV:
		err = writeHealthCSV(bw, &h)
	default:
		err = writeHealth(bw, &h, f == formatMarkdown)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// healthOptions are the health figures' defaults with the configuration's
// funnel definitions and [health] settings (the defaults alone when the
// file cannot be read: the report still runs).
func (a *App) healthOptions(now time.Time) model.HealthOptions {
	cfg, err := a.env().LoadConfig("")
	if err != nil {
		cfg = nil
	}
	return healthOptionsOf(cfg, now)
}

// healthOptionsOf is the defaults with cfg's funnel rules (nil: none).
func healthOptionsOf(cfg *config.Config, now time.Time) model.HealthOptions {
	opt := model.DefaultHealthOptions(now)
	if cfg != nil {
		opt.Rules = cfg.Rules()
		opt.ExcludeStaff = cfg.ExcludeStaff()
	}
	return opt
}

func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date")
}

// healthJSON is the report for scripts: snake_case keys, shares as
// fractions, durations in seconds, dates as RFC 3339.
type healthJSON struct {
	AsOf       time.Time        `json:"as_of"`
	Since      time.Time        `json:"since"`
	Members    int              `json:"members"`
	Funnel     funnelJSON       `json:"funnel"`
	Conversion []conversionJSON `json:"conversion"`
	Cohorts    []cohortJSON     `json:"cohorts"`
	Bus        factorJSON       `json:"contributor_absence_factor"`
	Elephant   factorJSON       `json:"elephant_factor"`
	Factors    []quarterJSON    `json:"factors_by_quarter"`
	Response   []responseJSON   `json:"time_to_first_response"`
	Unanswered []periodJSON     `json:"unanswered_by_month"`
	Ready      []candidateJSON  `json:"ready_for_next_step"`
	AtRisk     []riskJSON       `json:"at_risk"`
}

type funnelJSON struct {
	Participant int       `json:"participant"`
	Contributor int       `json:"contributor"`
	Regular     int       `json:"regular"`
	Core        int       `json:"core"`
	New         int       `json:"new"`
	Lapsed      int       `json:"lapsed"`
	Conversion  []float64 `json:"conversion"` // participant→contributor, contributor→regular, regular→core
}

type conversionJSON struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Quarter     string  `json:"quarter"`
	Entered     int     `json:"entered"`
	Within90    int     `json:"within_90_days"`
	Within180   int     `json:"within_180_days"`
	Advanced    int     `json:"advanced"`
	MedianDays  float64 `json:"median_days_to_advance"`
	Complete90  bool    `json:"complete_90"`
	Complete180 bool    `json:"complete_180"`
}

type cohortJSON struct {
	Month        string `json:"month"`
	Size         int    `json:"size"`
	Active1      *int   `json:"active_after_1_month"`
	Active3      *int   `json:"active_after_3_months"`
	Active6      *int   `json:"active_after_6_months"`
	Active12     *int   `json:"active_after_12_months"`
	Contributors int    `json:"contributors"`
}

type factorJSON struct {
	N             int      `json:"n"`
	Names         []string `json:"names"`
	Contributions int      `json:"contributions"`
	Covered       int      `json:"covered"`
}

type quarterJSON struct {
	Quarter  string     `json:"quarter"`
	Bus      factorJSON `json:"contributor_absence_factor"`
	Elephant factorJSON `json:"elephant_factor"`
}

type statsJSON struct {
	Asked      int     `json:"asked"`
	Answered   int     `json:"answered"`
	Unanswered int     `json:"unanswered"`
	Median     float64 `json:"median_seconds"`
	P90        float64 `json:"p90_seconds"`
}

type responseJSON struct {
	Source  string `json:"source"`
	Channel string `json:"channel"` // "" for all the source's channels
	statsJSON
	Months []responseMonthJSON `json:"months"`
}

type responseMonthJSON struct {
	Month string `json:"month"`
	statsJSON
}

type periodJSON struct {
	Period string `json:"month"`
	N      int    `json:"unanswered"`
}

type candidateJSON struct {
	MemberID int64    `json:"member_id"`
	Name     string   `json:"name"`
	Org      string   `json:"org"`
	Stage    string   `json:"stage"`
	Next     string   `json:"next"`
	Rule     string   `json:"rule"`
	Evidence []string `json:"evidence"`
}

type riskJSON struct {
	MemberID int64     `json:"member_id"`
	Name     string    `json:"name"`
	Org      string    `json:"org"`
	Stage    string    `json:"stage"`
	Recent   int       `json:"recent_activities"`
	Usual    float64   `json:"usual_activities"`
	Drop     float64   `json:"drop"`
	Last     time.Time `json:"last_active"`
	Trend    []int     `json:"activities_by_month"`
	Rule     string    `json:"rule"`
	Evidence []string  `json:"evidence"`
}

func newFactorJSON(f model.Factor) factorJSON {
	return factorJSON{N: f.N, Names: cleanList(f.Names), Contributions: f.Contributions, Covered: f.Covered}
}

func newStatsJSON(s model.ResponseStats) statsJSON {
	return statsJSON{Asked: s.Asked, Answered: s.Answered, Unanswered: s.Unanswered,
		Median: s.Median.Seconds(), P90: s.P90.Seconds()}
}

func newHealthJSON(h *model.Health) healthJSON {
	j := healthJSON{AsOf: h.AsOf, Since: h.Since, Members: h.Members,
		Conversion: []conversionJSON{}, Cohorts: []cohortJSON{}, Factors: []quarterJSON{},
		Response: []responseJSON{}, Unanswered: []periodJSON{}, Ready: []candidateJSON{}, AtRisk: []riskJSON{}}
	fu := h.Funnel
	j.Funnel = funnelJSON{Participant: fu.AtStage[model.StageParticipant], Contributor: fu.AtStage[model.StageContributor],
		Regular: fu.AtStage[model.StageRegular], Core: fu.AtStage[model.StageCore], New: fu.New, Lapsed: fu.Lapsed,
		Conversion: []float64{fu.Conversion(model.StageParticipant), fu.Conversion(model.StageContributor), fu.Conversion(model.StageRegular)}}
	for _, c := range h.Conversion {
		j.Conversion = append(j.Conversion, conversionJSON{From: c.From.String(), To: c.To.String(), Quarter: c.Quarter,
			Entered: c.Entered, Within90: c.Within90, Within180: c.Within180, Advanced: c.Advanced,
			MedianDays: c.MedianDays, Complete90: c.Complete90, Complete180: c.Complete180})
	}
	for _, c := range h.Cohorts {
		known := func(i int) *int {
			if c.Retained[i] < 0 {
				return nil
			}
			n := c.Retained[i]
			return &n
		}
		j.Cohorts = append(j.Cohorts, cohortJSON{Month: c.Month, Size: c.Size, Active1: known(0), Active3: known(1),
			Active6: known(2), Active12: known(3), Contributors: c.Contributors})
	}
	j.Bus, j.Elephant = newFactorJSON(h.Bus), newFactorJSON(h.Elephant)
	for _, q := range h.Factors {
		j.Factors = append(j.Factors, quarterJSON{Quarter: q.Quarter, Bus: newFactorJSON(q.Bus), Elephant: newFactorJSON(q.Elephant)})
	}
	for _, s := range h.Response {
		r := responseJSON{Source: clean(s.Source), Channel: clean(s.Channel), statsJSON: newStatsJSON(s.Total)}
		for _, m := range s.Months {
			r.Months = append(r.Months, responseMonthJSON{Month: m.Month, statsJSON: newStatsJSON(m.ResponseStats)})
		}
		j.Response = append(j.Response, r)
	}
	for _, p := range h.Unanswered {
		j.Unanswered = append(j.Unanswered, periodJSON{Period: p.Period, N: p.N})
	}
	for _, c := range h.Ready {
		j.Ready = append(j.Ready, candidateJSON{MemberID: c.MemberID, Name: clean(c.Name), Org: clean(c.Org),
			Stage: c.Stage.String(), Next: c.Next.String(), Rule: c.Rule, Evidence: cleanList(c.Evidence)})
	}
	for _, r := range h.AtRisk {
		j.AtRisk = append(j.AtRisk, riskJSON{MemberID: r.MemberID, Name: clean(r.Name), Org: clean(r.Org),
			Stage: r.Stage.String(), Recent: r.Recent, Usual: r.Usual, Drop: r.Drop, Last: r.Last, Trend: r.Trend,
			Rule: r.Rule, Evidence: cleanList(r.Evidence)})
	}
	return j
}
