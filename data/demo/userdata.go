package demo

import (
	"sort"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

// The user-authored part of the demo: what a community manager would have
// written by hand (flags, tags, notes, triage), and the derived tables.

// writeUserData flags, tags and annotates members and triages some of the
// open questions.
func (g *demoGen) writeUserData() error {
	cores := g.people(archCore)
	regulars := g.people(archRegular)
	contributors := g.people(archContributor)
	g.assignFlags(cores, regulars, contributors)
	if err := g.writeFlags(); err != nil {
		return err
	}
	known := append(append(append([]int32(nil), cores...), regulars...), contributors...)
	if len(known) == 0 {
		return nil
	}
	if err := g.writeTags(known); err != nil {
		return err
	}
	if err := g.writeNotes(known); err != nil {
		return err
	}
	assignees := cores
	if len(assignees) == 0 {
		assignees = known
	}
	return g.writeTriage(assignees)
}

func (g *demoGen) flag(mi int32, flag string) {
	m := &g.members[mi]
	for _, f := range m.flagged {
		if f == flag {
			return
		}
	}
	m.flagged = append(m.flagged, flag)
	switch flag {
	case "core":
		m.flags.Core = true
	case "maintainer":
		m.flags.Maintainer = true
	}
}

// assignFlags marks a handful of maintainers and hand-marked core members,
// the staff of the company behind the project, and people willing to speak
// or mentor.
func (g *demoGen) assignFlags(cores, regulars, contributors []int32) {
	for k, mi := range cores {
		m := &g.members[mi]
		if k < 6 && m.end == g.nowUnix {
			g.flag(mi, "maintainer")
		}
		if m.org == 0 && len(m.flagged) < 3 && g.chance(0.6) {
			g.flag(mi, "staff")
		}
		if g.chance(0.25) {
			g.flag(mi, "mentor")
		}
		if g.chance(0.2) {
			g.flag(mi, "speaker")
		}
	}
	for k, mi := range regulars {
		if k < 2 {
			g.flag(mi, "core")
		}
		if g.chance(0.05) {
			g.flag(mi, "mentor")
		}
		if g.chance(0.06) {
			g.flag(mi, "speaker")
		}
		if g.members[mi].org == 0 && g.chance(0.3) {
			g.flag(mi, "staff")
		}
	}
	for _, mi := range contributors {
		if g.chance(0.01) {
			g.flag(mi, "speaker")
		}
	}
}

func (g *demoGen) writeFlags() error {
	for i := range g.members {
		src, ext := g.memberIdentity(int32(i))
		for _, f := range g.members[i].flagged {
			if err := g.load.AddFlag(src, ext, f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *demoGen) writeTags(known []int32) error {
	seen := map[string]bool{}
	for range min(len(g.members)/40, 2500) {
		mi := pickOne(g.rng, known)
		tag := pickOne(g.rng, demoTagNames)
		src, ext := g.memberIdentity(mi)
		key := src + ":" + ext + "\x00" + tag
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := g.load.AddTag(src, ext, tag); err != nil {
			return err
		}
	}
	return nil
}

func (g *demoGen) writeNotes(known []int32) error {
	for range min(len(g.members)/60+3, 1500) {
		mi := pickOne(g.rng, known)
		src, ext := g.memberIdentity(mi)
		created := g.nowUnix - g.between(1, 360)*demoDay
		updated := created
		if g.chance(0.3) {
			updated = min(g.nowUnix, created+g.between(1, 60)*demoDay)
		}
		n := model.Note{Body: pickOne(g.rng, demoNoteBodies), Created: time.Unix(created, 0), Updated: time.Unix(updated, 0)}
		if err := g.load.AddNote(src, ext, n); err != nil {
			return err
		}
	}
	return nil
}

// writeTriage triages a few open questions: assigned, snoozed, or handled
// elsewhere.
func (g *demoGen) writeTriage(assignees []int32) error {
	for k, q := range g.openQs {
		if k%6 != 1 {
			continue
		}
		t := model.Triage{Note: "Asked " + demoTopics[q.topicIdx].name + " folks to have a look."}
		switch g.rng.IntN(4) {
		case 1:
			t.Status, t.Note = "snoozed", "Waiting for the next release to confirm."
			t.SnoozedUntil = time.Unix(g.nowUnix+g.between(2, 14)*demoDay, 0)
		case 2:
			t.Status, t.Note = "done", "Answered in chat; the asker confirmed it works."
		}
		t.Assignee = g.handle(pickOne(g.rng, assignees))
		updated := time.Unix(g.nowUnix-g.between(0, 5)*demoDay, 0)
		if err := g.load.AddTriage(demoSourceNames[q.src], q.ext, t, updated); err != nil {
			return err
		}
	}
	return nil
}

// writeSummaries hands the tallies kept during the simulation to the store,
// which derives member_stats and summary from them.
func (g *demoGen) writeSummaries() error {
	tallies := make([]store.MemberTally, len(g.members))
	for i := range g.members {
		m := &g.members[i]
		t := &tallies[i]
		t.ID, t.Name, t.Bot, t.Tally, t.Flags = m.id, m.member, m.bot, m.tally, m.flags
		if m.org >= 0 {
			t.Org = g.orgs[m.org].name
		}
		// Sources are numbered alphabetically, so this walks identities in
		// the order the sync's derivation reads them.
		for src := range numSources {
			if m.users[src] != "" {
				t.Handles = addOnce(t.Handles, "@"+m.users[src])
			}
			if m.emails[src] != "" {
				t.Emails = addOnce(t.Emails, strings.ToLower(m.emails[src]))
			}
		}
		sort.Strings(t.Handles)
	}
	return g.load.Derive(g.now, g.rules, tallies)
}

// addOnce appends x to xs unless it is there already.
func addOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
