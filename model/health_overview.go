package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The health overview: the figures of a window of months, and the people
// behind each number ("doors"), so every figure can be opened as a list.

// Window is how many months back the overview looks (the current month
// besides), or AllTime.
type Window int

// AllTime is the window that starts at the first activity.
const AllTime Window = 0

// Windows are the windows the overview switches between, in order.
var Windows = [...]Window{3, 6, 12, AllTime}

func (w Window) String() string {
	if w == AllTime {
		return "all time"
	}
	return fmt.Sprintf("last %d months", int(w))
}

// Short is the window as a flag value: "3m", "all".
func (w Window) Short() string {
	if w == AllTime {
		return "all"
	}
	return fmt.Sprintf("%dm", int(w))
}

// ParseWindow reads "3m", "12m", "12" or "all".
func ParseWindow(s string) (Window, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "all" {
		return AllTime, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "m"))
	if err != nil || n < 1 || n > 600 {
		return 0, fmt.Errorf("window %q: want a number of months like 3m, 6m, 12m, or all", s)
	}
	return Window(n), nil
}

// ForWindow returns o with the series and the bus and elephant factors
// over w: from the first day of the month w months before Now's (so 12m
// is the default series), the factors over the w months up to Now. All
// time starts with the month of the earliest activity of members.
func (o HealthOptions) ForWindow(w Window, members []HealthMember) HealthOptions {
	now := o.Now.UTC()
	if w != AllTime {
		o.Since = monthStart(MonthIndex(now) - int(w))
		o.FactorWindow = now.Sub(now.AddDate(0, -int(w), 0))
		return o
	}
	first := now
	for i := range members {
		for _, a := range members[i].Acts {
			if t := time.Unix(a.At, 0); t.Before(first) {
				first = t
			}
		}
	}
	o.Since = monthStart(MonthIndex(first))
	o.FactorWindow = now.Sub(o.Since)
	return o
}

// MonthFigures are the month-by-month counts of the overview's trend.
type MonthFigures struct {
	Month           string
	Active          int // members with any activity in the month
	New             int // members whose first activity fell in the month
	NewContributors int // members who made their first contribution in the month
}

// monthFigures counts, per month from since's to now's, the active, new
// and newly contributing members.
func monthFigures(ms []member, since, now time.Time, d *Doors) []MonthFigures {
	first, last := MonthIndex(since), MonthIndex(now)
	if last < first {
		return nil
	}
	out := make([]MonthFigures, last-first+1)
	for i := range out {
		out[i].Month = MonthLabel(first + i)
	}
	in := func(m int) bool { return m >= first && m <= last }
	for i := range ms {
		m := &ms[i]
		if len(m.Acts) == 0 {
			continue
		}
		for _, mo := range activeMonths(m.Acts) {
			if in(mo) {
				out[mo-first].Active++
				d.add(DoorMonth("active", MonthLabel(mo)), m.ID)
			}
		}
		if mo := monthOfUnix(m.Acts[0].At); in(mo) {
			out[mo-first].New++
			d.add(DoorMonth("new", MonthLabel(mo)), m.ID)
		}
		if c := m.reached[StageContributor]; !c.IsZero() {
			if mo := MonthIndex(c); in(mo) {
				out[mo-first].NewContributors++
				d.add(DoorMonth("contributors", MonthLabel(mo)), m.ID)
			}
		}
	}
	return out
}

// Doors are the people behind the numbers of a report, by door key (see
// the Door functions), in the order of the members given. Nil when the
// report was computed without HealthOptions.Doors.
type Doors struct {
	IDs       map[string][]int64
	Questions map[string][]int64 // question ids behind DoorUnanswered and DoorAsked
}

func (d *Doors) add(key string, id int64) {
	if d != nil {
		d.IDs[key] = append(d.IDs[key], id)
	}
}

// Door keys. Each names one number of the overview.

// DoorReached is the members who reached stage s or a higher one.
func DoorReached(s Stage) string { return "reached:" + s.String() }

// DoorMonth is the members counted in one month of the trend; what is
// "active", "new" or "contributors".
func DoorMonth(what, month string) string { return what + ":" + month }

// DoorConversion is the members who entered from in quarter (advanced
// false) or those of them who reached the next stage by now (true).
func DoorConversion(from Stage, quarter string, advanced bool) string {
	if advanced {
		return "advanced:" + from.String() + ":" + quarter
	}
	return "entered:" + from.String() + ":" + quarter
}

// DoorCohort is a cohort's members: col 0 all of it, 1–4 those active
// RetentionOffsets[col-1] months later, 5 those who became contributors.
func DoorCohort(month string, col int) string { return fmt.Sprintf("cohort:%s:%d", month, col) }

// Doors of single numbers.
const (
	DoorNew      = "new"
	DoorLapsed   = "lapsed"
	DoorBus      = "bus"
	DoorElephant = "elephant"
	DoorReady    = "ready"
	DoorAtRisk   = "at-risk"
	// DoorUnanswered is the questions open and without a reply now: the
	// last of Health.Unanswered.
	DoorUnanswered = "unanswered"
)

// DoorAsked is the questions asked in a month (bots' left out): those
// behind its time to first response in ResponseAll.
func DoorAsked(month string) string { return "asked:" + month }

// questionDoors records the questions behind DoorUnanswered and DoorAsked.
func questionDoors(d *Doors, qs []QuestionTiming, since, now time.Time) {
	d.Questions = map[string][]int64{}
	for i := range qs {
		q := &qs[i]
		if q.AuthorBot || q.Created.After(now) {
			continue
		}
		if !q.Created.Before(since) {
			k := DoorAsked(MonthLabel(MonthIndex(q.Created)))
			d.Questions[k] = append(d.Questions[k], q.ID)
		}
		if !q.Created.Before(now) || !q.Closed.IsZero() && q.Closed.Before(now) {
			continue
		}
		if _, ok := validResponse(q); ok && q.FirstResponse.Before(now) {
			continue
		}
		d.Questions[DoorUnanswered] = append(d.Questions[DoorUnanswered], q.ID)
	}
}

// fillDoors records the people behind the funnel, conversion, cohort,
// factor, ready and at-risk numbers of h (month figures are recorded as
// they are counted).
func fillDoors(d *Doors, h *Health, ms, community []member, since, now time.Time) {
	for i := range ms {
		m := &ms[i]
		for s := StageParticipant; s <= m.standing.Stage; s++ {
			d.add(DoorReached(s), m.ID)
		}
		if m.standing.New {
			d.add(DoorNew, m.ID)
		}
		if m.standing.Lapsed {
			d.add(DoorLapsed, m.ID)
		}
	}
	first, last := QuarterIndex(since), QuarterIndex(now)
	for i := range community {
		m := &community[i]
		for from := StageParticipant; from < StageCore; from++ {
			a := m.reached[from]
			if a.IsZero() {
				continue
			}
			if q := QuarterIndex(a); q >= first && q <= last {
				d.add(DoorConversion(from, QuarterLabel(q), false), m.ID)
				if !m.reached[from+1].IsZero() {
					d.add(DoorConversion(from, QuarterLabel(q), true), m.ID)
				}
			}
		}
	}
	cohortAt := map[string]int{}
	for i, c := range h.Cohorts {
		cohortAt[c.Month] = i
	}
	for i := range ms {
		m := &ms[i]
		if len(m.Acts) == 0 {
			continue
		}
		mo := monthOfUnix(m.Acts[0].At)
		ci, ok := cohortAt[MonthLabel(mo)]
		if !ok {
			continue
		}
		label := MonthLabel(mo)
		d.add(DoorCohort(label, 0), m.ID)
		active := activeMonths(m.Acts)
		for j, k := range RetentionOffsets {
			if h.Cohorts[ci].Retained[j] >= 0 && containsInt(active, mo+k) {
				d.add(DoorCohort(label, 1+j), m.ID)
			}
		}
		if !m.reached[StageContributor].IsZero() {
			d.add(DoorCohort(label, 5), m.ID)
		}
	}
	d.IDs[DoorBus] = h.Bus.IDs
	d.IDs[DoorElephant] = h.Elephant.IDs
	for _, c := range h.Ready {
		d.add(DoorReady, c.MemberID)
	}
	for _, r := range h.AtRisk {
		d.add(DoorAtRisk, r.MemberID)
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Roster is what the overview's lists show of a member without asking
// the store: the member as the health figures saw them.
func (h *Health) Roster() []Member { return h.roster }

func rosterOf(ms []member) []Member {
	out := make([]Member, len(ms))
	for i := range ms {
		m := &ms[i]
		x := Member{ID: m.ID, Name: m.Name, Org: m.Org, Standing: m.standing, Activities: len(m.Acts)}
		if len(m.Acts) > 0 {
			x.FirstActive = time.Unix(m.Acts[0].At, 0).UTC()
			x.LastActive = time.Unix(m.Acts[len(m.Acts)-1].At, 0).UTC()
		}
		for _, a := range m.Acts {
			if a.Kind.IsContribution() {
				x.Contributions++
			}
		}
		out[i] = x
	}
	return out
}

// sparkBars are the eight heights of a sparkline, lowest first.
const sparkBars = "▁▂▃▄▅▆▇█"

// Sparkline draws counts as one block character each, scaled to the
// largest; a zero is a space.
func Sparkline(ns []int) string {
	top := 0
	for _, n := range ns {
		top = max(top, n)
	}
	bars := []rune(sparkBars)
	out := make([]rune, len(ns))
	for i, n := range ns {
		if top == 0 || n <= 0 {
			out[i] = ' '
			continue
		}
		out[i] = bars[min((n*8-1)/top, 7)]
	}
	return string(out)
}

// AsOf returns the community as it stood at t: activities and questions
// after t left out, responses and closings after t not yet happened. Each
// member's activities are sorted in place (the store reads them sorted, so
// this writes nothing) and the members returned see a prefix of them, so
// the input serves any number of dates without a copy.
func AsOf(members []HealthMember, qs []QuestionTiming, t time.Time) ([]HealthMember, []QuestionTiming) {
	end := t.Unix()
	ms := make([]HealthMember, len(members))
	for i := range members {
		acts := members[i].Acts
		sortActs(acts)
		k, _ := slices.BinarySearchFunc(acts, end+1, func(a Act, t int64) int { return cmp.Compare(a.At, t) })
		ms[i] = members[i]
		ms[i].Acts = acts[:k:k]
	}
	var out []QuestionTiming
	for _, q := range qs {
		if q.Created.After(t) {
			continue
		}
		if q.FirstResponse.After(t) {
			q.FirstResponse = time.Time{}
		}
		if q.Closed.After(t) {
			q.Closed = time.Time{}
		}
		out = append(out, q)
	}
	return ms, out
}
