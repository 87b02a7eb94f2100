package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Community health: the figures a manager is asked for every quarter, as
// pure functions over plain values. The store loads HealthMember and
// QuestionTiming values; Health computes everything else. The names follow
// CHAOSS where it has one (Conversion Rate, Time to First Response,
// Contributor Absence Factor, Elephant Factor).

// Act is one dated activity of a member: what the health figures need of
// it and no more, so that millions fit in memory.
type Act struct {
	At   int64 // Unix seconds, UTC
	Kind ActKind
}

// HealthMember is one person as the health figures see them: their
// organisation, their flags and every activity of every identity. Acts may
// come in any order; Health sorts them in place.
type HealthMember struct {
	ID    int64
	Name  string
	Org   string // "" when unknown
	Flags Flags
	Staff bool // flagged staff: left out of community counts when HealthOptions.ExcludeStaff
	Acts  []Act
}

// QuestionTiming is a question as time to first response sees it.
type QuestionTiming struct {
	ID              int64  // questions.id
	Title           string // for the overview's lists
	Source, Channel string
	Created         time.Time
	FirstResponse   time.Time // zero while unanswered
	Closed          time.Time // zero while open
	AuthorBot       bool      // asked by a bot: left out of every figure
	ResponderBot    bool      // the first response came from a bot
	SelfReply       bool      // the first response came from the asker (another of their accounts)
}

// HealthOptions are the thresholds of the health figures. DefaultHealthOptions
// holds the documented defaults.
type HealthOptions struct {
	Now   time.Time
	Since time.Time // start of the series over time; zero: 12 months before Now, from the first of that month
	Rules Rules     // the funnel definitions

	ReadyContribs int           // contributions within ReadyWithin that make a contributor ready for regular
	ReadyWithin   time.Duration // how recent those contributions must be
	ReadySteward  int           // reviews/merges of others' work in the window that make a regular ready for core

	RiskRecent   time.Duration // the recent period of at risk
	RiskUsual    time.Duration // the period before it that sets a member's usual rate
	RiskDrop     float64       // at risk when recent activity is at most this share of the usual
	RiskMinUsual float64       // usual activities per recent period below which nobody is judged

	FactorWindow time.Duration // window of the headline bus and elephant factors
	FactorShare  float64       // share of the contributions the factors cover (CHAOSS: 50%)
	Top          int           // people listed as ready and at risk

	// ExcludeStaff leaves members flagged staff out of the conversion
	// rates and the bus and elephant factors: they measure how the
	// community, not the paid team, carries the project.
	ExcludeStaff bool
	// Doors records the people behind each number (Health.Doors) and a
	// roster of every member, for an overview whose numbers open lists.
	Doors bool
	// Roster, with Doors, is the roster of an earlier overview of the same
	// members as of the same day under the same Rules: the overviews of
	// every window share it instead of each building one (20 MB at 100,000
	// members).
	Roster []Member
}

// day is 24 hours, the unit the health thresholds are written in.
const day = 24 * time.Hour

// DefaultHealthOptions returns the documented defaults as of now.
func DefaultHealthOptions(now time.Time) HealthOptions {
	return HealthOptions{
		Now:           now,
		Rules:         DefaultRules(),
		ReadyContribs: 3,
		ReadyWithin:   90 * day,
		ReadySteward:  1,
		RiskRecent:    90 * day,
		RiskUsual:     365 * day,
		RiskDrop:      0.5,
		RiskMinUsual:  6,
		FactorWindow:  365 * day,
		FactorShare:   0.5,
		Top:           10,
		ExcludeStaff:  true,
	}
}

// DefaultSince is the start of the series when none is given: the first
// day of the month 12 months before now, so a year of months and at least
// four quarters are shown.
func DefaultSince(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month()-12, 1, 0, 0, 0, 0, time.UTC)
}

// Health is the community health report.
type Health struct {
	AsOf, Since time.Time
	Members     int // people (bots excluded) with at least one activity
	Funnel      Funnel
	Conversion  []Conversion
	Cohorts     []Cohort
	Ready       []Candidate
	AtRisk      []Risk
	Response    []ResponseSeries
	Unanswered  []PeriodCount
	Bus         Factor // contributor absence factor over FactorWindow
	Elephant    Factor // elephant factor over FactorWindow
	Factors     []QuarterFactors
	Months      []MonthFigures // active, new and newly contributing members per month
	Doors       *Doors         // with HealthOptions.Doors: who is behind each number
	roster      []Member
}

// PeriodCount is a count for one month ("2026-03") or quarter ("2026-Q1").
type PeriodCount struct {
	Period string
	N      int
}

// MonthLabel names a month index (MonthIndex) as "2026-03".
func MonthLabel(m int) string { return fmt.Sprintf("%04d-%02d", m/12, m%12+1) }

// QuarterIndex numbers calendar quarters in UTC.
func QuarterIndex(t time.Time) int {
	t = t.UTC()
	return t.Year()*4 + (int(t.Month())-1)/3
}

// QuarterLabel names a quarter index as "2026-Q1".
func QuarterLabel(q int) string { return fmt.Sprintf("%04d-Q%d", q/4, q%4+1) }

// quarterStart is the first instant of quarter q.
func quarterStart(q int) time.Time {
	return time.Date(q/4, time.Month(q%4*3+1), 1, 0, 0, 0, 0, time.UTC)
}

// monthStart is the first instant of month m.
func monthStart(m int) time.Time {
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// member is a HealthMember with what every figure derives from it once.
type member struct {
	*HealthMember
	standing Standing
	reached  [5]time.Time // Ladder
}

// ComputeHealth derives every figure of the report from members and
// questions. Members flagged as bots must be left out by the caller (the
// store does).
func ComputeHealth(members []HealthMember, questions []QuestionTiming, o HealthOptions) Health {
	now := o.Now.UTC()
	since := o.Since
	if since.IsZero() {
		since = DefaultSince(now)
	}
	since = since.UTC()
	h := Health{AsOf: now, Since: since}
	ms, community := prepare(members, now, o)
	for i := range ms {
		h.Funnel.Add(ms[i].standing)
	}
	h.Members = len(ms)
	h.Conversion = conversions(community, since, now)
	h.Cohorts = cohorts(ms, since, now)
	h.Ready = ready(ms, o)
	h.AtRisk = atRisk(ms, o)
	h.Response = responseSeries(questions, since, now)
	h.Unanswered = unansweredOverTime(questions, since, now)
	h.Bus, h.Elephant = factors(community, now.Add(-o.FactorWindow), now, o.FactorShare)
	for q := QuarterIndex(since); q <= QuarterIndex(now); q++ {
		end := quarterStart(q + 1)
		if end.After(now) {
			end = now
		}
		bus, ele := factors(community, quarterStart(q), end, o.FactorShare)
		h.Factors = append(h.Factors, QuarterFactors{Quarter: QuarterLabel(q), Bus: bus, Elephant: ele})
	}
	if o.Doors {
		h.Doors = &Doors{IDs: map[string][]int64{}}
		h.roster = o.Roster
		if len(h.roster) != len(ms) {
			h.roster = rosterOf(ms)
		}
	}
	h.Months = monthFigures(ms, since, now, h.Doors)
	if o.Doors {
		fillDoors(h.Doors, &h, ms, community, since, now)
		questionDoors(h.Doors, questions, since, now)
	}
	return h
}

// prepare sorts each member's activities and judges them as of now,
// leaving out people with no activity who are not flagged core or
// maintainer; community is the same without staff when o says so.
func prepare(members []HealthMember, now time.Time, o HealthOptions) (ms, community []member) {
	ms = make([]member, 0, len(members))
	for i := range members {
		m := &members[i]
		sortActs(m.Acts)
		if len(m.Acts) == 0 && !m.Flags.Core && !m.Flags.Maintainer {
			continue
		}
		hist := history(m.Acts)
		ms = append(ms, member{HealthMember: m, standing: quickStanding(&hist, m.Flags, now, o.Rules), reached: Ladder(m.Acts, o.Rules)})
	}
	community = ms
	if o.ExcludeStaff {
		community = make([]member, 0, len(ms))
		for _, m := range ms {
			if !m.Staff {
				community = append(community, m)
			}
		}
	}
	return ms, community
}

// sortActs sorts activities by time, writing nothing when they already
// are (the store reads them sorted): computations over the same input may
// then run at the same time.
func sortActs(acts []Act) {
	if !slices.IsSortedFunc(acts, func(a, b Act) int { return cmp.Compare(a.At, b.At) }) {
		slices.SortFunc(acts, func(a, b Act) int { return cmp.Compare(a.At, b.At) })
	}
}

// SortActs sorts every member's activities by time, once, so that
// figures can then be computed from them concurrently.
func SortActs(members []HealthMember) {
	for i := range members {
		sortActs(members[i].Acts)
	}
}

// Ladder is when a member first reached each stage, indexed by Stage, from
// their activities sorted by time. A stage counts as reached when that
// stage or a higher one was: someone whose first contribution already made
// them core reached contributor the same day. Zero means not reached, or
// reached only by a flag, which has no date.
//
// Regular is reached by the contribution that made the distinct months
// with contributions, within the window that ends in its month, reach
// RegularMonths; core by the review or merge that made the stewardship of
// the window reach CoreStewardAct. These are the definitions of Standing
// applied at every date, so a member who is regular today reached regular
// on a date Ladder gives (the reverse does not hold: a regular can fall
// back when their months leave the window; Ladder keeps the first time).
func Ladder(acts []Act, r Rules) [5]time.Time {
	var at [5]int64
	size := min(r.WindowMonths, maxWindowMonths)
	var months []int
	var steward []MonthCount
	var mc monthCursor
	for _, a := range acts {
		if at[StageParticipant] == 0 {
			at[StageParticipant] = a.At
		}
		m := mc.of(a.At)
		if a.Kind.IsContribution() {
			if at[StageContributor] == 0 {
				at[StageContributor] = a.At
			}
			if at[StageRegular] == 0 {
				months = addMonth(months, m)
				n := 0
				for _, x := range months {
					if x > m-size && x <= m {
						n++
					}
				}
				if n >= r.RegularMonths {
					at[StageRegular] = a.At
				}
			}
		}
		if a.Kind.IsStewardship() && at[StageCore] == 0 {
			steward = countMonth(steward, m)
			n := 0
			for _, x := range steward {
				if x.Month > m-size && x.Month <= m {
					n += x.N
				}
			}
			if n >= r.CoreStewardAct {
				at[StageCore] = a.At
			}
		}
	}
	var out [5]time.Time
	best := int64(0)
	for s := StageCore; s >= StageParticipant; s-- {
		if at[s] != 0 && (best == 0 || at[s] < best) {
			best = at[s]
		}
		if best != 0 {
			out[s] = time.Unix(best, 0).UTC()
		}
	}
	return out
}

// Conversion is the CHAOSS conversion rate from one stage to the next over
// time: of the people who first reached From in a quarter, how many
// reached the next stage (or a higher one) within 90 and 180 days, and the
// median time it took those who advanced by the report's date. Complete90
// and Complete180 say whether every entrant has had that long: a figure
// not yet complete can still grow.
type Conversion struct {
	From, To    Stage
	Quarter     string
	Entered     int
	Within90    int
	Within180   int
	Advanced    int     // advanced by the report's date, however long it took
	MedianDays  float64 // median days to advance among Advanced; 0 when none
	Complete90  bool
	Complete180 bool
}

func conversions(ms []member, since, now time.Time) []Conversion {
	var out []Conversion
	first, last := QuarterIndex(since), QuarterIndex(now)
	for from := StageParticipant; from < StageCore; from++ {
		for q := first; q <= last; q++ {
			start, end := quarterStart(q), quarterStart(q+1)
			c := Conversion{From: from, To: from + 1, Quarter: QuarterLabel(q),
				Complete90: !end.Add(90 * day).After(now), Complete180: !end.Add(180 * day).After(now)}
			var days []float64
			for i := range ms {
				a, b := ms[i].reached[from], ms[i].reached[from+1]
				if a.IsZero() || a.Before(start) || !a.Before(end) {
					continue
				}
				c.Entered++
				if b.IsZero() {
					continue
				}
				d := b.Sub(a)
				if d <= 90*day {
					c.Within90++
				}
				if d <= 180*day {
					c.Within180++
				}
				c.Advanced++
				days = append(days, d.Hours()/24)
			}
			c.MedianDays = Median(days)
			out = append(out, c)
		}
	}
	return out
}

// Cohort is the people whose first activity fell in one month: how many
// were still active (any activity) 1, 3, 6 and 12 months later, and how
// many became contributors by the report's date. Retained[i] is the count
// for RetentionOffsets[i], or -1 when that month has not ended yet.
type Cohort struct {
	Month        string
	Size         int
	Retained     [4]int
	Contributors int
}

// RetentionOffsets are the months after a cohort's own that retention is
// measured at.
var RetentionOffsets = [4]int{1, 3, 6, 12}

// Share is n of total as a fraction; 0 when total is 0.
func Share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

func cohorts(ms []member, since, now time.Time) []Cohort {
	first, last := MonthIndex(since), MonthIndex(now)
	if last < first {
		return nil
	}
	out := make([]Cohort, last-first+1)
	for i := range out {
		out[i].Month = MonthLabel(first + i)
		for j, k := range RetentionOffsets {
			if first+i+k >= last { // that month is this one or later: not over
				out[i].Retained[j] = -1
			}
		}
	}
	for i := range ms {
		m := &ms[i]
		if len(m.Acts) == 0 {
			continue
		}
		c := monthOfUnix(m.Acts[0].At) - first
		if c < 0 || c >= len(out) {
			continue
		}
		co := &out[c]
		co.Size++
		if !m.reached[StageContributor].IsZero() {
			co.Contributors++
		}
		active := activeMonths(m.Acts)
		for j, k := range RetentionOffsets {
			if co.Retained[j] >= 0 && slices.Contains(active, first+c+k) {
				co.Retained[j]++
			}
		}
	}
	return out
}

// activeMonths lists the months (MonthIndex) with any activity, ascending,
// from acts sorted by time.
func activeMonths(acts []Act) []int {
	var out []int
	var mc monthCursor
	for _, a := range acts {
		m := mc.of(a.At)
		if len(out) == 0 || out[len(out)-1] != m {
			out = append(out, m)
		}
	}
	return out
}

// Median is the middle of xs (the mean of the two middles for an even
// count); 0 for none. xs is sorted in place.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// Percentile is the nearest-rank p-th percentile of xs (0 < p ≤ 1): the
// smallest value at least a share p of xs are not above; 0 for none. xs is
// sorted in place.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	rank := int(math.Ceil(float64(len(xs))*p - 1e-9)) // 0.9*10 is 9.000000000000002
	return xs[min(max(rank, 1), len(xs))-1]
}
