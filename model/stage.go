package model

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
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
type Tally struct {
	now      time.Time
	nowMonth int
	rules    Rules

	Activities    int
	Contributions int
	First, Last   time.Time
	LastContrib   time.Time
	FirstContrib  time.Time
	FirstContribK Kind
	Stewardship   int    // in the window
	months        uint64 // bit i: contributions i months before now's month
	kinds         []kindCount
	topics        []topicScore
}

type topicScore struct {
	name  string
	score float64
}

// kindCount is one entry of a tally's per-kind counts: a short slice beats a
// map for the handful of kinds one person has, on the hot path of
// generating and refreshing millions of activities.
type kindCount struct {
	kind Kind
	n    int
}

// NewTally starts an empty tally judged as of now.
func NewTally(now time.Time, rules Rules) *Tally {
	return &Tally{now: now, nowMonth: monthIndex(now), rules: rules}
}

// monthIndex numbers calendar months in UTC, so a stage never depends on
// the time zone of the machine that derived it.
func monthIndex(t time.Time) int {
	t = t.UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// maxWindowMonths is how many months the months bitmask can hold.
const maxWindowMonths = 64

// Add records one activity.
func (t *Tally) Add(kind Kind, at time.Time, topics []string) {
	t.Activities++
	if t.First.IsZero() || at.Before(t.First) {
		t.First = at
	}
	if at.After(t.Last) {
		t.Last = at
	}
	t.countKind(kind)
	ago := t.nowMonth - monthIndex(at) // months before now's month
	inWindow := ago < min(t.rules.WindowMonths, maxWindowMonths)
	if kind.IsContribution() {
		t.Contributions++
		if at.After(t.LastContrib) {
			t.LastContrib = at
		}
		if t.FirstContrib.IsZero() || at.Before(t.FirstContrib) {
			t.FirstContrib, t.FirstContribK = at, kind
		}
		if ago >= 0 && inWindow && !at.After(t.now) {
			t.months |= 1 << ago
		}
	}
	if kind.IsStewardship() && inWindow {
		t.Stewardship++
	}
	if len(topics) > 0 {
		w := t.weight(at)
		for _, tp := range topics {
			if tp != "" {
				t.addTopic(tp, w)
			}
		}
	}
}

// addTopic adds evidence for a topic. People have a handful of topics, so
// a slice searched linearly is cheaper than a map.
func (t *Tally) addTopic(name string, w float64) {
	for i := range t.topics {
		if t.topics[i].name == name {
			t.topics[i].score += w
			return
		}
	}
	t.topics = append(t.topics, topicScore{name, w})
}

// weight is the time-decayed weight of evidence from at.
func (t *Tally) weight(at time.Time) float64 {
	age := t.now.Sub(at)
	if age <= 0 || t.rules.TopicHalfLife <= 0 {
		return 1
	}
	return math.Exp2(-float64(age) / float64(t.rules.TopicHalfLife))
}

func (t *Tally) countKind(kind Kind) {
	for i := range t.kinds {
		if t.kinds[i].kind == kind {
			t.kinds[i].n++
			return
		}
	}
	t.kinds = append(t.kinds, kindCount{kind, 1})
}

// Count returns how many activities of kind were added.
func (t *Tally) Count(kind Kind) int {
	for _, kc := range t.kinds {
		if kc.kind == kind {
			return kc.n
		}
	}
	return 0
}

// ActiveMonths is the number of distinct months with contributions in the window.
func (t *Tally) ActiveMonths() int { return bits.OnesCount64(t.months) }

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

// TopicScores returns every topic with its decayed score.
func (t *Tally) TopicScores() map[string]float64 {
	m := make(map[string]float64, len(t.topics))
	for _, x := range t.topics {
		m[x.name] = x.score
	}
	return m
}

// Standing derives the funnel stage, new and lapsed, with evidence.
func (t *Tally) Standing(f Flags) Standing {
	r := t.rules
	var s Standing
	day := func(x time.Time) string { return x.UTC().Format("2006-01-02") }
	if t.Activities == 0 && !f.Core && !f.Maintainer {
		return s
	}
	if t.Activities > 0 {
		s.Stage = StageParticipant
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s, first on %s", Plural(t.Activities, "activity", "activities"), day(t.First)))
	}
	if t.Contributions > 0 {
		s.Stage = StageContributor
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s, first a %s on %s",
			Plural(t.Contributions, "contribution", "contributions"), strings.ReplaceAll(string(t.FirstContribK), "_", " "), day(t.FirstContrib)))
	}
	if months := t.ActiveMonths(); months >= r.RegularMonths {
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
	case t.Stewardship >= r.CoreStewardAct:
		s.Stage = StageCore
		s.Evidence = append(s.Evidence, fmt.Sprintf("%s reviews or merges of others' work in the last %d months", Thousands(t.Stewardship), r.WindowMonths))
	}
	if !t.First.IsZero() && t.now.Sub(t.First) <= r.NewWithin {
		s.New = true
		s.Evidence = append(s.Evidence, "new: first seen "+day(t.First))
	}
	if s.Stage >= StageRegular && !t.Last.IsZero() && t.now.Sub(t.Last) > r.LapsedAfter {
		s.Lapsed = true
		s.Evidence = append(s.Evidence, fmt.Sprintf("lapsed: nothing since %s", day(t.Last)))
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
