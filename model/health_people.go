package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Candidate is a member ready for the next step of the funnel, with the
// rule that put them on the list and the evidence for it.
type Candidate struct {
	MemberID int64
	Name     string
	Org      string
	Stage    Stage // where they are
	Next     Stage // the step they are ready for
	Score    int   // what the list is ordered by: recent contributions, or stewardship
	Rule     string
	Evidence []string
}

// ready finds the members ready for the next step:
//
//   - a contributor (not yet regular) with ReadyContribs or more
//     contributions within ReadyWithin: ready to become a regular;
//   - a regular (not core, not lapsed) with ReadySteward or more reviews or
//     merges of others' work in the window: ready to become core.
//
// Core candidates first, then regular ones; within each, most evidence
// first, then by name; at most Top of each.
func ready(ms []member, o HealthOptions) []Candidate {
	now := o.Now.UTC()
	r := o.Rules
	recentFrom := now.Add(-o.ReadyWithin).Unix()
	windowFrom := MonthIndex(now) - min(r.WindowMonths, maxWindowMonths) + 1
	var out []Candidate
	var mc monthCursor
	for i := range ms {
		m := &ms[i]
		st := m.standing
		if st.Lapsed {
			continue
		}
		switch st.Stage {
		case StageContributor:
			n, last := 0, int64(0)
			months := map[int]bool{}
			for _, a := range m.Acts {
				if !a.Kind.IsContribution() {
					continue
				}
				if mo := mc.of(a.At); mo >= windowFrom && a.At <= now.Unix() {
					months[mo] = true
				}
				if a.At > recentFrom && a.At <= now.Unix() {
					n++
					last = a.At
				}
			}
			if n < o.ReadyContribs {
				continue
			}
			out = append(out, Candidate{
				MemberID: m.ID, Name: m.Name, Org: m.Org, Stage: st.Stage, Next: StageRegular, Score: n,
				Rule: fmt.Sprintf("contributor with %d or more contributions in the last %d days, not yet a regular",
					o.ReadyContribs, int(o.ReadyWithin/day)),
				Evidence: []string{
					fmt.Sprintf("%s in the last %d days, the latest on %s",
						Plural(n, "contribution", "contributions"), int(o.ReadyWithin/day), isoDay(last)),
					fmt.Sprintf("contributed in %d of the last %d months; regular needs %d",
						len(months), r.WindowMonths, r.RegularMonths),
				},
			})
		case StageRegular:
			n, last := 0, int64(0)
			for _, a := range m.Acts {
				if a.Kind.IsStewardship() && mc.of(a.At) >= windowFrom && a.At <= now.Unix() {
					n++
					last = a.At
				}
			}
			if n < o.ReadySteward {
				continue
			}
			out = append(out, Candidate{
				MemberID: m.ID, Name: m.Name, Org: m.Org, Stage: st.Stage, Next: StageCore, Score: n,
				Rule: fmt.Sprintf("regular who reviews or merges others' work (%d or more in the last %d months), not yet core",
					o.ReadySteward, r.WindowMonths),
				Evidence: []string{
					fmt.Sprintf("%s of others' work in the last %d months, the latest on %s; core needs %d",
						Plural(n, "review or merge", "reviews or merges"), r.WindowMonths, isoDay(last), r.CoreStewardAct),
				},
			})
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Next != b.Next {
			return cmp.Compare(b.Next, a.Next) // core candidates first: fewer, rarer
		}
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.MemberID, b.MemberID))
	})
	if o.Top <= 0 {
		return out
	}
	kept, per := out[:0], map[Stage]int{}
	for _, c := range out {
		if per[c.Next] < o.Top {
			per[c.Next]++
			kept = append(kept, c)
		}
	}
	return kept
}

// topN keeps at most n of xs; n ≤ 0 keeps all.
func topN[T any](xs []T, n int) []T {
	if n > 0 && len(xs) > n {
		return xs[:n]
	}
	return xs
}

func isoDay(unix int64) string { return time.Unix(unix, 0).UTC().Format("2006-01-02") }

// Risk is a regular or core member whose activity fell well below their
// own usual rate while they are not yet lapsed.
type Risk struct {
	MemberID int64
	Name     string
	Org      string
	Stage    Stage
	Recent   int     // activities in the recent period (RiskRecent)
	Usual    float64 // their usual activities per recent period, from the RiskUsual before it
	Drop     float64 // 1 - Recent/Usual
	Last     time.Time
	Trend    []int // activities per month, the last 6 months, oldest first (this month last)
	Rule     string
	Evidence []string
}

// TrendMonths is how many months a Risk's trend covers.
const TrendMonths = 6

// atRisk finds regular and core members, not lapsed, whose activities in
// the last RiskRecent are at most RiskDrop of their usual rate: the
// activities of the RiskUsual before that period, scaled to its length.
// People whose usual rate is below RiskMinUsual are not judged: a drop
// from two to one is noise. Largest drop first, then the larger usual
// rate; at most Top.
func atRisk(ms []member, o HealthOptions) []Risk {
	now := o.Now.UTC()
	recentFrom := now.Add(-o.RiskRecent).Unix()
	usualFrom := now.Add(-o.RiskRecent - o.RiskUsual).Unix()
	nowMonth := MonthIndex(now)
	var out []Risk
	var mc monthCursor
	for i := range ms {
		m := &ms[i]
		if m.standing.Stage < StageRegular || m.standing.Lapsed || len(m.Acts) == 0 {
			continue
		}
		recent, before := 0, 0
		trend := make([]int, TrendMonths)
		for _, a := range m.Acts {
			if a.At > now.Unix() {
				continue
			}
			switch {
			case a.At > recentFrom:
				recent++
			case a.At > usualFrom:
				before++
			}
			if k := nowMonth - mc.of(a.At); k >= 0 && k < TrendMonths {
				trend[TrendMonths-1-k]++
			}
		}
		usual := float64(before) * float64(o.RiskRecent) / float64(o.RiskUsual)
		if usual < o.RiskMinUsual || float64(recent) > usual*o.RiskDrop {
			continue
		}
		last := time.Unix(m.Acts[len(m.Acts)-1].At, 0).UTC()
		days := int(o.RiskRecent / day)
		drop := 1 - float64(recent)/usual
		out = append(out, Risk{
			MemberID: m.ID, Name: m.Name, Org: m.Org, Stage: m.standing.Stage,
			Recent: recent, Usual: usual, Drop: drop, Last: last, Trend: trend,
			Rule: fmt.Sprintf("%s whose activities in the last %d days fell to %.0f%% of their usual rate or less, not yet lapsed",
				"regular or core", days, o.RiskDrop*100),
			Evidence: []string{
				fmt.Sprintf("%s in the last %d days against %.1f usually (%d in the %d days before), down %.0f%%",
					Plural(recent, "activity", "activities"), days, usual, before, int(o.RiskUsual/day), drop*100),
				"last active " + last.Format("2006-01-02"),
			},
		})
	}
	slices.SortFunc(out, func(a, b Risk) int {
		if a.Drop != b.Drop {
			return cmp.Compare(b.Drop, a.Drop)
		}
		if a.Usual != b.Usual {
			return cmp.Compare(b.Usual, a.Usual)
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.MemberID, b.MemberID))
	})
	return topN(out, o.Top)
}

// Factor is a CHAOSS contributor absence factor (bus factor) or elephant
// factor: the fewest people (or organisations) whose contributions make up
// at least Share of all contributions in a window. N is 0 when there were
// none. Names are those people or organisations, most contributions first.
type Factor struct {
	N             int
	Names         []string
	Contributions int // all the contributions counted
	Covered       int // the contributions of Names
	// IDs are the members behind Names: the people of the bus factor, the
	// contributing members of the elephant factor's organisations.
	IDs []int64
}

// QuarterFactors are both factors over the contributions of one quarter.
type QuarterFactors struct {
	Quarter  string
	Bus      Factor
	Elephant Factor
}

// FewestCovering computes a factor from contributions per name: sorted
// most first (ties by name), the shortest prefix whose sum reaches share
// of the total.
func FewestCovering(counts map[string]int, share float64) Factor {
	type kv struct {
		name string
		n    int
	}
	var all []kv
	f := Factor{}
	for k, n := range counts {
		if n > 0 {
			all = append(all, kv{k, n})
			f.Contributions += n
		}
	}
	slices.SortFunc(all, func(a, b kv) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.name, b.name)) })
	for _, x := range all {
		if f.Contributions == 0 || float64(f.Covered) >= share*float64(f.Contributions) {
			break
		}
		f.N++
		f.Covered += x.n
		f.Names = append(f.Names, x.name)
	}
	return f
}

// factors computes the contributor absence factor and the elephant factor
// over the contributions dated in [from, to). People are told apart by
// name and id; contributions of people without a known organisation are
// left out of the elephant factor, which therefore covers only the
// affiliated contributions (its Contributions says how many).
func factors(ms []member, from, to time.Time, share float64) (bus, elephant Factor) {
	people, orgs := map[string]int{}, map[string]int{}
	orgMembers := map[string][]int64{}
	a, b := from.Unix(), to.Unix()
	for i := range ms {
		m := &ms[i]
		n := 0
		for _, x := range m.Acts {
			if x.At >= a && x.At < b && x.Kind.IsContribution() {
				n++
			}
		}
		if n == 0 {
			continue
		}
		people[personKey(m.HealthMember)] += n
		if m.Org != "" {
			orgs[m.Org] += n
			orgMembers[m.Org] = append(orgMembers[m.Org], m.ID)
		}
	}
	bus, elephant = FewestCovering(people, share), FewestCovering(orgs, share)
	for i, k := range bus.Names {
		name, id := splitPersonKey(k)
		bus.Names[i] = name
		bus.IDs = append(bus.IDs, id)
	}
	for _, o := range elephant.Names {
		elephant.IDs = append(elephant.IDs, orgMembers[o]...)
	}
	return bus, elephant
}

// personKey keeps two people of the same name apart in the counts.
func personKey(m *HealthMember) string { return fmt.Sprintf("%s\x00%d", m.Name, m.ID) }

func splitPersonKey(k string) (string, int64) {
	name, id, _ := strings.Cut(k, "\x00")
	n, _ := strconv.ParseInt(id, 10, 64)
	return name, n
}
