package demo

import (
	"fmt"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// The demo's members are what the first sync's people merge makes of its
// identities. A sync into a demo community merges people from scratch
// (package people); had the generator grouped identities its own way, that
// first merge would regroup tens of thousands of them and rename, re-employ
// and renumber members, so syncing one real source would change far more
// than what the source brought. So the generator asks the merge itself:
// it invents each person's accounts so that their addresses and logins tie
// them together (assignIdentities), runs people.Merge on them in memory
// with the default rules, and writes the merge's groups, names,
// organisations and bot marks.
//
// The merge chooses names and organisations by activity counts, which are
// not known before the simulation that writes the activities, and members
// are written first. The choice is the same without them: the named
// accounts of one person all carry the same name, and a person has at most
// one GitHub profile, the only place an organisation comes from under the
// default rules. TestDemoGroupsAsTheMergeDoes runs the real merge, counts
// included, on generated stores.

// groupPeople numbers every identity, in the order writePeople writes
// them, and takes each member's name, organisation and bot marks from the
// people merge. Every person must come out as exactly one member: the
// simulation acts per person, and the tallies it keeps are the members'.
func (g *demoGen) groupPeople() error {
	ids := make([]people.Identity, 0, len(g.members)*3/2)
	owner := make([]int32, 0, cap(ids))
	var next int64
	for i := range g.members {
		m := &g.members[i]
		for src := range numSources {
			if m.ext[src] == "" {
				continue
			}
			next++
			m.ids[src] = next
			id := g.identity(m, src)
			ids = append(ids, people.Identity{ID: id.ID, Source: id.Source, ExternalID: id.ExternalID,
				Username: id.Username, Name: id.Name, Email: id.Email, Company: id.Company, Bot: id.Bot})
			owner = append(owner, int32(i))
		}
	}
	bots, err := model.NewBotMatcher(nil)
	if err != nil {
		return err
	}
	plan := people.Merge(ids, nil, nil, people.Rules{}, bots)
	if len(plan.Groups) != len(g.members) {
		return fmt.Errorf("the people merge makes %d members of %d people", len(plan.Groups), len(g.members))
	}
	orgIndex := make(map[string]int, len(g.orgs))
	for k, o := range g.orgs {
		orgIndex[strings.ToLower(o.name)] = k
	}
	for k, gr := range plan.Groups {
		m := &g.members[k]
		if gr.Member != m.id {
			return fmt.Errorf("the people merge numbers %s member %d, not %d", m.name, gr.Member, m.id)
		}
		for n, i := range gr.Identities {
			if owner[i] != int32(k) {
				return fmt.Errorf("the people merge joins %s:%s of %s with the accounts of %s",
					ids[i].Source, ids[i].ExternalID, g.members[owner[i]].name, m.name)
			}
			m.idBot[sourceIndex(ids[i].Source)] = gr.IdentityBot[n]
		}
		m.member, m.bot, m.org = gr.Name, gr.Bot, -1
		if gr.Org != "" {
			o, ok := orgIndex[strings.ToLower(gr.Org)]
			if !ok {
				return fmt.Errorf("the people merge employs %s at %q, which is no demo organisation", m.name, gr.Org)
			}
			m.org = o
		}
	}
	g.pickHelpers()
	g.pickStewards()
	for i := range g.members {
		g.estimate += g.members[i].planned
	}
	g.estimate = g.estimate * 13 / 10
	return nil
}

func sourceIndex(name string) int {
	for src, n := range demoSourceNames {
		if n == name {
			return src
		}
	}
	return -1
}
