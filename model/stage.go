package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Kind is what an activity was.
type Kind string

// Activity kinds. Contributions are marked in contributionKinds; reviews and
// merges of other people's work in stewardKinds.
const (
	KindCommit         Kind = "commit"
	KindPROpened       Kind = "pr_opened"
	KindPRMerged       Kind = "pr_merged"
	KindPRClosed       Kind = "pr_closed"
	KindReview         Kind = "review"
	KindMergedOther    Kind = "merged_other" // merged someone else's pull request
	KindIssueOpened    Kind = "issue_opened"
	KindComment        Kind = "comment"
	KindQuestion       Kind = "question"
	KindAnswer         Kind = "answer"
	KindAcceptedAnswer Kind = "accepted_answer"
	KindPost           Kind = "post"
	KindMessage        Kind = "message"
	KindTalk           Kind = "talk"
	KindDocChange      Kind = "doc_change"
	KindRSVP           Kind = "rsvp"
	KindStar           Kind = "star"
)

// IsContribution reports whether the activity counts as a contribution
// (commit, merged PR, accepted answer, talk given, doc change).
func (k Kind) IsContribution() bool {
	switch k {
	case KindCommit, KindPRMerged, KindAcceptedAnswer, KindTalk, KindDocChange:
		return true
	}
	return false
}

// IsStewardship reports whether the activity is reviewing or merging
// someone else's work, the evidence for Core.
func (k Kind) IsStewardship() bool { return k == KindReview || k == KindMergedOther }

// Stage is the highest funnel stage a member reached.
type Stage int

// Funnel stages, lowest first. StageNone means no recorded activity.
const (
	StageNone Stage = iota
	StageParticipant
	StageContributor
	StageRegular
	StageCore
)

// Stages lists the funnel stages in order, for iteration.
var Stages = [...]Stage{StageParticipant, StageContributor, StageRegular, StageCore}

var stageNames = [...]string{"none", "participant", "contributor", "regular", "core"}

func (s Stage) String() string {
	if s < 0 || int(s) >= len(stageNames) {
		return "unknown"
	}
	return stageNames[s]
}

// Title is the stage name for display ("Contributor").
func (s Stage) Title() string {
	n := s.String()
	return strings.ToUpper(n[:1]) + n[1:]
}

// ParseStage reads a stage name as written by String.
func ParseStage(s string) (Stage, error) {
	for i, n := range stageNames {
		if strings.EqualFold(n, s) {
			return Stage(i), nil
		}
	}
	return StageNone, fmt.Errorf("unknown stage %q", s)
}

// Rules are the thresholds of the funnel definitions. DefaultRules holds the
// documented defaults; a config file may change them.
type Rules struct {
	RegularMonths  int           // distinct months with contributions ...
	WindowMonths   int           // ... within this many recent months
	CoreStewardAct int           // reviews/merges of others' work in the window for Core
	NewWithin      time.Duration // first activity this recent: new
	LapsedAfter    time.Duration // Regular or Core with nothing this long: lapsed
	TopicHalfLife  time.Duration // expertise evidence loses half its weight
	TopTopics      int           // topics kept per member
}

// DefaultRules returns the definitions of DESIGN.md.
func DefaultRules() Rules {
	return Rules{
		RegularMonths:  3,
		WindowMonths:   12,
		CoreStewardAct: 5,
		NewWithin:      30 * 24 * time.Hour,
		LapsedAfter:    90 * 24 * time.Hour,
		TopicHalfLife:  180 * 24 * time.Hour,
		TopTopics:      3,
	}
}

// Standing is a member's funnel position with the evidence that put them
// there, so the UI can always say why.
type Standing struct {
	Stage    Stage
	New      bool
	Lapsed   bool
	Evidence []string
}

// Label is the stage with the new or lapsed state, as lists show it:
// "core · lapsed", "participant · new".
func (s Standing) Label() string {
	switch {
	case s.Lapsed:
		return s.Stage.String() + " · lapsed"
	case s.New:
		return s.Stage.String() + " · new"
	}
	return s.Stage.String()
}

// Flags are user-authored markers that influence the stage.
type Flags struct {
	Core       bool // marked as core by hand
	Maintainer bool // listed as maintainer or owner
}

// Tally accumulates one member's activities, in any order, so a standing
// and topics can be derived without keeping the activities. The demo
// generator and the sync's summary refresh feed the same Tally.
//
// Nothing a tally keeps depends on the date it is judged at: the History
// holds absolute months, and topic scores are kept on a fixed scale (see
// addTopic). So the standing of a member can be judged again at another
// date from the History alone (History.Standing), and the ranking of their
// topics holds at every date.
type Tally struct {
	now   time.Time
	rules Rules
	History
	topics []topicScore
}

// History is what a tally knows about a member that does not change with
// the date: counts, first and last times, which months had contributions
// and how much stewardship each month had. The store keeps it per member,
// so the daily judgement of new, lapsed, regular and core reads no
// activity.
type History struct {
	Activities    int
	Contributions int
	First, Last   time.Time
	LastContrib   time.Time
	FirstContrib  time.Time
	FirstContribK Kind
	Kinds         []KindCount  // activities per kind, in order of first appearance
	ContribMonths []int        // months (MonthIndex) with contributions, ascending
	StewardMonths []MonthCount // reviews/merges of others' work per month, ascending
}

// MonthCount is a count within one month (MonthIndex).
type MonthCount struct {
	Month, N int
}

type topicScore struct {
	name  string
	score float64 // log2 of the summed weights, weights scaled to the Unix epoch
}

// KindCount is one entry of a history's per-kind counts: a short slice
// beats a map for the handful of kinds one person has, on the hot path of
// generating and refreshing millions of activities.
type KindCount struct {
	Kind Kind
	N    int
}

// NewTally starts an empty tally judged as of now.
func NewTally(now time.Time, rules Rules) *Tally {
	return &Tally{now: now, rules: rules}
}

// MonthIndex numbers calendar months in UTC, so a stage never depends on
// the time zone of the machine that derived it.
func MonthIndex(t time.Time) int {
	t = t.UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// maxWindowMonths is the longest window a stage looks back over.
const maxWindowMonths = 64

// Add records one activity.
func (t *Tally) Add(kind Kind, at time.Time, topics []string) {
	h := &t.History
	h.Activities++
	if h.First.IsZero() || at.Before(h.First) {
		h.First = at
	}
	if at.After(h.Last) {
		h.Last = at
	}
	h.countKind(kind)
	if kind.IsContribution() {
		h.Contributions++
		if at.After(h.LastContrib) {
			h.LastContrib = at
		}
		if h.FirstContrib.IsZero() || at.Before(h.FirstContrib) {
			h.FirstContrib, h.FirstContribK = at, kind
		}
		h.ContribMonths = addMonth(h.ContribMonths, MonthIndex(at))
	}
	if kind.IsStewardship() {
		h.StewardMonths = countMonth(h.StewardMonths, MonthIndex(at))
	}
	if len(topics) > 0 {
		x := t.halfLives(at)
		for _, tp := range topics {
			if tp != "" {
				t.addTopic(tp, x)
			}
		}
	}
}

// addMonth inserts m into the ascending set ms. Activities mostly come in
// time order, so the search starts at the end.
func addMonth(ms []int, m int) []int {
	i := len(ms)
	for i > 0 && ms[i-1] > m {
		i--
	}
	if i > 0 && ms[i-1] == m {
		return ms
	}
	return slices.Insert(ms, i, m)
}

// countMonth adds one to month m of the ascending counts ms.
func countMonth(ms []MonthCount, m int) []MonthCount {
	i := len(ms)
	for i > 0 && ms[i-1].Month > m {
		i--
	}
	if i > 0 && ms[i-1].Month == m {
		ms[i-1].N++
		return ms
	}
	return slices.Insert(ms, i, MonthCount{m, 1})
}

// addTopic adds evidence from x half-lives after the Unix epoch to a
// topic. A piece of evidence weighs 2^-(age in half-lives); the score is
// kept as log2 of the weights summed as of the epoch, log2(Σ 2^x), which
// differs from the weight as of any date by the same factor for every
// topic: the ranking does not depend on the date, and the logarithm keeps
// decades of evidence within float64. People have a handful of topics, so
// a slice searched linearly is cheaper than a map.
func (t *Tally) addTopic(name string, x float64) {
	for i := range t.topics {
		if t.topics[i].name == name {
			t.topics[i].score = logAdd2(t.topics[i].score, x)
			return
		}
	}
	t.topics = append(t.topics, topicScore{name, x})
}

// logAdd2 is log2(2^a + 2^b), without overflow.
func logAdd2(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp2(b-a))/math.Ln2
}

// halfLives is at in topic half-lives since the Unix epoch; 0 for every
// time when evidence does not decay.
func (t *Tally) halfLives(at time.Time) float64 {
	if t.rules.TopicHalfLife <= 0 {
		return 0
	}
	return float64(at.Unix()) / t.rules.TopicHalfLife.Seconds()
}

func (h *History) countKind(kind Kind) {
	for i := range h.Kinds {
		if h.Kinds[i].Kind == kind {
			h.Kinds[i].N++
			return
		}
	}
	h.Kinds = append(h.Kinds, KindCount{kind, 1})
}

// Count returns how many activities of kind were added.
func (h *History) Count(kind Kind) int {
	for _, kc := range h.Kinds {
		if kc.Kind == kind {
			return kc.N
		}
	}
	return 0
}

// ActiveMonths is the number of distinct months with contributions in the window.
func (t *Tally) ActiveMonths() int {
	months, _ := t.History.window(t.now, t.rules)
	return months
}

// Stewardship is the number of reviews and merges of others' work in the window.
func (t *Tally) Stewardship() int {
	_, n := t.History.window(t.now, t.rules)
	return n
}

// window counts, as of now, the months with contributions within the last
// WindowMonths (this month included, later ones not) and the stewardship
// from the first month of the window on.
func (h *History) window(now time.Time, r Rules) (months, steward int) {
	nowMonth, size := MonthIndex(now), min(r.WindowMonths, maxWindowMonths)
	for _, m := range h.ContribMonths {
		if ago := nowMonth - m; ago >= 0 && ago < size {
			months++
		}
	}
	for _, mc := range h.StewardMonths {
		if nowMonth-mc.Month < size {
			steward += mc.N
		}
	}
	return months, steward
}

// Topics returns up to n topics, strongest first (ties by name).
func (t *Tally) Topics(n int) []string {
	all := slices.Clone(t.topics)
	slices.SortFunc(all, func(a, b topicScore) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return strings.Compare(a.name, b.name)
	})
	if len(all) > n {
		all = all[:n]
	}
	out := make([]string, len(all))
	for i, x := range all {
		out[i] = x.name
	}
	return out
}

// TopicScores returns every topic with its score decayed to the tally's
// date: the sum of 2^-(age in half-lives) over its evidence (evidence
// dated after now weighs more than 1).
func (t *Tally) TopicScores() map[string]float64 {
	m := make(map[string]float64, len(t.topics))
	now := t.halfLives(t.now)
	for _, x := range t.topics {
		m[x.name] = math.Exp2(x.score - now)
	}
	return m
}

// Standing derives the funnel stage, new and lapsed, with evidence, as of
// the tally's date.
func (t *Tally) Standing(f Flags) Standing {
	return t.History.Standing(f, t.now, t.rules)
}

// Standing derives the funnel stage, new and lapsed, with evidence, as of
// now.
func (h *History) Standing(f Flags, now time.Time, r Rules) Standing {
	var s Standing
	day := func(x time.Time) string { return x.UTC().Format("2006-01-02") }
	if h.Activities == 0 && !f.Core && !f.Maintainer {
		return s
	}
	if h.Activities > 0 {
		s.Stage = StageParticipant
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s, first on %s", Plural(h.Activities, "activity", "activities"), day(h.First)))
	}
	if h.Contributions > 0 {
		s.Stage = StageContributor
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s, first a %s on %s",
			Plural(h.Contributions, "contribution", "contributions"), strings.ReplaceAll(string(h.FirstContribK), "_", " "), day(h.FirstContrib)))
	}
	months, steward := h.window(now, r)
	if months >= r.RegularMonths {
		s.Stage = StageRegular
		s.Evidence = append(s.Evidence, fmt.Sprintf("contributed in %d of the last %d months", months, r.WindowMonths))
	}
	switch {
	case f.Core:
		s.Stage = StageCore
		s.Evidence = append(s.Evidence, "marked as core")
	case f.Maintainer:
		s.Stage = StageCore
		s.Evidence = append(s.Evidence, "listed as maintainer")
	case steward >= r.CoreStewardAct:
		s.Stage = StageCore
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s reviews or merges of others' work in the last %d months", Thousands(steward), r.WindowMonths))
	}
	if !h.First.IsZero() && now.Sub(h.First) <= r.NewWithin {
		s.New = true
		s.Evidence = append(s.Evidence, "new: first seen "+day(h.First))
	}
	if s.Stage >= StageRegular && !h.Last.IsZero() && now.Sub(h.Last) > r.LapsedAfter {
		s.Lapsed = true
		s.Evidence = append(s.Evidence, fmt.Sprintf("lapsed: nothing since %s", day(h.Last)))
	}
	return s
}

// Funnel counts members per stage.
type Funnel struct {
	AtStage [5]int // members whose highest stage is exactly this one
	New     int
	Lapsed  int
}

// Add counts one member's standing.
func (f *Funnel) Add(s Standing) {
	f.AtStage[s.Stage]++
	if s.New {
		f.New++
	}
	if s.Lapsed {
		f.Lapsed++
	}
}

// Reached is the number of members who reached stage s or higher.
func (f Funnel) Reached(s Stage) int {
	n := 0
	for i := int(s); i < len(f.AtStage); i++ {
		n += f.AtStage[i]
	}
	return n
}

// Conversion is the share of members who reached from that also reached
// the next stage: the CHAOSS conversion rate between adjacent stages.
// It returns 0 when nobody reached from.
func (f Funnel) Conversion(from Stage) float64 {
	base := f.Reached(from)
	if base == 0 || from >= StageCore {
		return 0
	}
	return float64(f.Reached(from+1)) / float64(base)
}
