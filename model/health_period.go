package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Period is what a report compares between one period and the one before
// it: the community as it stood at the period's end, and what happened
// within it.
type Period struct {
	From, Until time.Time // the period is [From, Until)
	Members     int       // people with any activity before Until
	New         int       // people whose first activity fell in the period
	Active      int       // people with any activity in the period
	Contributed int       // people with a contribution in the period
	// Entered is the people who became participants in the period (their
	// first activity), Converted those of them who also contributed by
	// Until: the CHAOSS conversion rate participant → contributor.
	Entered, Converted int
	AtRisk             int // regulars and core at risk at Until (see Health.AtRisk)
	Response           ResponseStats
	Bus, Elephant      Factor // over the period's contributions
	Months             []MonthFigures
}

// ComputePeriod computes the figures of [from, until) from the community
// as it stood at until (later activities, answers and closings left out).
// members are not changed.
func ComputePeriod(members []HealthMember, qs []QuestionTiming, from, until time.Time, o HealthOptions) Period {
	at := until.Add(-time.Second) // the last second of the period
	trimmed, questions := AsOf(members, qs, at)
	o.Now = at
	ms, community := prepare(trimmed, at, o)
	p := Period{From: from, Until: until, Members: len(ms)}
	a, b := from.Unix(), until.Unix()
	for i := range ms {
		m := &ms[i]
		if len(m.Acts) == 0 {
			continue
		}
		if first := m.Acts[0].At; first >= a && first < b {
			p.New++
		}
		active, contributed := false, false
		for _, x := range m.Acts {
			if x.At >= a && x.At < b {
				active = true
				if x.Kind.IsContribution() {
					contributed = true
					break
				}
			}
		}
		if active {
			p.Active++
		}
		if contributed {
			p.Contributed++
		}
	}
	for i := range community {
		m := &community[i]
		if e := m.reached[StageParticipant]; !e.IsZero() && !e.Before(from) && e.Before(until) {
			p.Entered++
			if !m.reached[StageContributor].IsZero() {
				p.Converted++
			}
		}
	}
	o.Top = 0
	p.AtRisk = len(atRisk(ms, o))
	p.Response = ResponseAll(questions, from, at).Total
	p.Bus, p.Elephant = factors(community, from, until, o.FactorShare)
	p.Months = monthFigures(ms, from, at, nil)
	return p
}

// TopicCount is a topic and how often it came up.
type TopicCount struct {
	Topic string
	N     int
}

// TopTopics counts topics and keeps the n most frequent (ties by name).
func TopTopics(topics []string, n int) []TopicCount {
	counts := map[string]int{}
	for _, t := range topics {
		if t = strings.TrimSpace(t); t != "" {
			counts[t]++
		}
	}
	out := make([]TopicCount, 0, len(counts))
	for t, c := range counts {
		out = append(out, TopicCount{t, c})
	}
	slices.SortFunc(out, func(a, b TopicCount) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Topic, b.Topic)) })
	return topN(out, n)
}
