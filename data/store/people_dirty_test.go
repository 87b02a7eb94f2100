package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// peopleWorld is a random community that changes batch by batch: a few
// dozen git, GitHub and Discourse identities drawing their addresses,
// logins and websites from small pools, so that changes join and split
// groups all the time (and websites cross the company-site threshold,
// people.MaxSiteSharers, both ways).
type peopleWorld struct {
	r    *rand.Rand
	acts map[string][]string // batch source → external ids of stored activities
	ids  []model.Identity    // every identity ever sent
	next int
}

var worldDomains = []string{"example.org", "acme.com", "gmail.com", "sub.acme.com"}

func (w *peopleWorld) email() string {
	n := w.r.IntN(14)
	local := fmt.Sprintf("u%d", n)
	switch w.r.IntN(5) {
	case 0:
		local = strings.ToUpper(local)
	case 1:
		local += "+tag"
	}
	if w.r.IntN(6) == 0 {
		return fmt.Sprintf("%d+l%d@users.noreply.github.com", 100+n, w.r.IntN(10))
	}
	return local + "@" + worldDomains[w.r.IntN(len(worldDomains))]
}

// website is a profile's website: a few personal sites spelled several
// ways, a generic host, a Discourse profile page, or a GitHub profile.
func (w *peopleWorld) website() string {
	switch n := w.r.IntN(10); {
	case n < 5:
		return []string{"https://www.", "http://", ""}[w.r.IntN(3)] + fmt.Sprintf("site%d.dev", w.r.IntN(4)) + []string{"", "/"}[w.r.IntN(2)]
	case n == 5:
		return "https://twitter.com/someone"
	case n == 6:
		return fmt.Sprintf("https://forum.example.org/u/d%d", w.r.IntN(6))
	case n == 7:
		return fmt.Sprintf("https://github.com/l%d", w.r.IntN(10))
	}
	return ""
}

// identity returns a new identity or a changed copy of a known one.
func (w *peopleWorld) identity() model.Identity {
	if len(w.ids) > 0 && w.r.IntN(3) > 0 {
		id := w.ids[w.r.IntN(len(w.ids))]
		switch w.r.IntN(5) {
		case 4:
			if id.Source != "git" {
				id.Website = w.website()
			}
		case 0:
			id.Email = w.email()
		case 1:
			id.Name = fmt.Sprintf("Name %d", w.r.IntN(8))
		case 2:
			id.Company = []string{"", "@acme", "Initech", "self"}[w.r.IntN(4)]
		default:
			if id.Source == "github" {
				id.Username = fmt.Sprintf("l%d", w.r.IntN(10))
			}
		}
		return id
	}
	var id model.Identity
	if w.r.IntN(4) == 0 {
		login := fmt.Sprintf("d%d", w.r.IntN(6))
		id = model.Identity{Source: "discourse", ExternalID: login, Username: login,
			URL: "https://forum.example.org/u/" + login, Website: w.website()}
		if w.r.IntN(4) == 0 {
			id.Bio = fmt.Sprintf("Code at github.com/l%d.", w.r.IntN(10))
		}
	} else if w.r.IntN(2) == 0 {
		e := w.email()
		id = model.Identity{Source: "git", ExternalID: e, Email: e, Name: fmt.Sprintf("Name %d", w.r.IntN(8))}
		if w.r.IntN(8) == 0 {
			id.Name = "dependabot[bot]"
		}
	} else {
		login := fmt.Sprintf("l%d", w.r.IntN(10))
		if w.r.IntN(3) == 0 {
			login = strings.ToUpper(login)
		}
		id = model.Identity{Source: "github", ExternalID: login, Username: login,
			Name: fmt.Sprintf("Name %d", w.r.IntN(8)), Company: []string{"", "@acme", "Initech"}[w.r.IntN(3)]}
		if w.r.IntN(2) == 0 {
			id.Email = w.email()
		}
		id.Website = w.website()
	}
	w.ids = append(w.ids, id)
	return id
}

// batch returns the source name and a batch: identities new or changed,
// activities new or moved to another identity, and removals.
func (w *peopleWorld) batch() (string, connector.Batch) {
	src := []string{"git", "github", "discourse"}[w.r.IntN(3)]
	var b connector.Batch
	var actors []model.Identity
	for n := w.r.IntN(4); n >= 0; n-- {
		id := w.identity()
		if id.Source != src {
			continue
		}
		b.Identities = append(b.Identities, id)
		actors = append(actors, id)
	}
	name := src + ":/r"
	stored := w.acts[name]
	for _, a := range actors {
		for n := w.r.IntN(4); n >= 0; n-- {
			ext := ""
			if len(stored) > 0 && w.r.IntN(4) == 0 {
				ext = stored[w.r.IntN(len(stored))] // changes hands
			} else {
				w.next++
				ext = fmt.Sprintf("a%d", w.next)
				stored = append(stored, ext)
			}
			b.Activities = append(b.Activities, model.Activity{Source: src, ExternalID: ext, Actor: a.ExternalID,
				Kind: model.KindCommit, At: time.Unix(int64(1000+w.next), 0)})
		}
	}
	if len(stored) > 0 && w.r.IntN(3) == 0 {
		for n := w.r.IntN(6); n >= 0 && len(stored) > 0; n-- {
			i := w.r.IntN(len(stored))
			// Not one the batch writes: a removal wins over nothing then.
			if !strings.HasPrefix(stored[i], "a") || written(b.Activities, stored[i]) {
				continue
			}
			b.RemovedActivities = append(b.RemovedActivities, stored[i])
			stored = append(stored[:i], stored[i+1:]...)
		}
	}
	w.acts[name] = stored
	return name, b
}

func written(acts []model.Activity, ext string) bool {
	for _, a := range acts {
		if a.ExternalID == ext {
			return true
		}
	}
	return false
}

// peopleTables is what the merge decides, as text: members with their
// organisation, identities with their member, bot mark and activity
// count, and organisations.
func peopleTables(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"members":    "SELECT m.id, m.name, coalesce(o.name, '-'), m.bot FROM members m LEFT JOIN orgs o ON o.id = m.org_id ORDER BY m.id",
		"identities": "SELECT id, source, external_id, coalesce(member_id, 0), bot, activities FROM identities ORDER BY id",
		"orgs":       "SELECT id, name, domains FROM orgs ORDER BY id",
		"reasons":    "SELECT member_id, position, reason FROM member_merge_reasons ORDER BY member_id, position",
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			v := make([]any, len(cols))
			p := make([]any, len(cols))
			for i := range v {
				p[i] = &v[i]
			}
			if err := rows.Scan(p...); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], fmt.Sprint(v...))
		}
		rows.Close()
	}
	return out
}

// TestDirtyMergeMatchesFullMerge applies the same random batches, links
// and interruptions to two stores, merging one with MergeDirtyPeople (as
// a sync does) and the other with the full MergePeople, and compares
// members, identities and organisations after every merge. It also checks
// the activity counts the batch writer keeps against a count of the
// activities.
func TestDirtyMergeMatchesFullMerge(t *testing.T) {
	ctx := context.Background()
	rulesA := people.Rules{
		Same: [][]string{{"u1@example.org", "github:l2"}, {"git:U3@acme.com", "u4@gmail.com"}},
		Orgs: map[string][]string{"Acme": {"acme.com"}},
		Bots: []string{`^ci-`},
	}
	rulesB := people.Rules{Orgs: map[string][]string{"Example": {"example.org"}}, DomainOrgs: true}
	seeds := 12
	steps := 40
	if testing.Short() {
		seeds, steps = 6, 30
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			inc, _ := openTemp(t)
			ref, _ := openTemp(t)
			w := &peopleWorld{r: rand.New(rand.NewPCG(uint64(seed), 7)), acts: map[string][]string{}}
			rules := rulesA
			for step := range steps {
				for n := 1 + w.r.IntN(3); n > 0; n-- {
					name, b := w.batch()
					for _, s := range []*Store{inc, ref} {
						if err := s.ApplyBatch(ctx, name, b); err != nil {
							t.Fatal(err)
						}
					}
				}
				if len(w.ids) > 2 && w.r.IntN(4) == 0 {
					a, b := w.ids[w.r.IntN(len(w.ids))], w.ids[w.r.IntN(len(w.ids))]
					kind := []string{"merge", "split"}[w.r.IntN(2)]
					for _, s := range []*Store{inc, ref} {
						// Identities of a removal may be gone: a link to
						// them waits, as for one not synced yet.
						if err := s.LinkIdentities(ctx, kind, a.Key(), b.Key()); err != nil && a.Key() != b.Key() {
							t.Fatal(err)
						}
					}
				}
				if links := queryInt(t, inc, "SELECT count(*) FROM identity_links"); links > 0 && w.r.IntN(10) == 0 {
					id := queryInt(t, inc, "SELECT id FROM identity_links ORDER BY id LIMIT 1 OFFSET ?", w.r.IntN(links))
					for _, s := range []*Store{inc, ref} {
						if err := s.UnlinkIdentities(ctx, int64(id)); err != nil {
							t.Fatal(err)
						}
					}
				}
				if w.r.IntN(15) == 0 {
					// The config's rules change: the next merge regroups all.
					if reflect.DeepEqual(rules, rulesA) {
						rules = rulesB
					} else {
						rules = rulesA
					}
				}
				if w.r.IntN(4) == 0 {
					continue // interrupted before the merge: the next one catches up
				}
				if err := inc.MergeDirtyPeople(ctx, rules); err != nil {
					t.Fatal(err)
				}
				if err := ref.MergePeople(ctx, rules); err != nil {
					t.Fatal(err)
				}
				got, want := peopleTables(t, inc), peopleTables(t, ref)
				for _, table := range []string{"members", "identities", "orgs", "reasons"} {
					if !reflect.DeepEqual(got[table], want[table]) {
						t.Fatalf("step %d: %s differ from a full merge:\n got  %q\n want %q", step, table, got[table], want[table])
					}
				}
				if n := queryInt(t, inc, `SELECT count(*) FROM identities i
					WHERE activities <> (SELECT count(*) FROM activities a WHERE a.identity_id = i.id)`); n != 0 {
					t.Fatalf("step %d: %d identities with a wrong activity count", step, n)
				}
				if n := queryInt(t, inc, "SELECT count(*) FROM dirty_people") + queryInt(t, inc, "SELECT count(*) FROM dirty_groups"); n != 0 {
					t.Fatalf("step %d: %d marks left after the merge", step, n)
				}
			}
		})
	}
}

// TestDirtyMergeReadsOnlyWhatChanged checks that the merge after a small
// batch regroups the part it touched and leaves the rest alone, and that
// a merge with nothing marked writes nothing.
func TestDirtyMergeReadsOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var ids []model.Identity
	weight := map[string]int{}
	for i := range 50 {
		id := gitID(fmt.Sprintf("p%d@example.org", i), fmt.Sprintf("Person %d", i))
		ids = append(ids, id)
		weight[id.Key()] = 1
	}
	seedPeople(t, s, ids, weight)
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM members"); n != 50 {
		t.Fatalf("%d members, want 50", n)
	}
	// A marker on a member the next batch does not reach.
	if _, err := s.db.Exec("UPDATE members SET name = 'marker' WHERE id = (SELECT member_id FROM identities WHERE external_id = 'p40@example.org')"); err != nil {
		t.Fatal(err)
	}
	// Nothing marked: nothing written.
	stmts := []string{"CREATE TABLE writes (n INTEGER NOT NULL)", "INSERT INTO writes VALUES (0)"}
	for _, table := range []string{"members", "identities", "identity_keys", "orgs", "meta", "dirty_members"} {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf("CREATE TRIGGER count_%s_%s AFTER %s ON %s BEGIN UPDATE writes SET n = n + 1; END",
				op, table, op, table))
		}
	}
	for _, q := range stmts {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, s, "SELECT n FROM writes"); n != 0 {
		t.Errorf("a merge with nothing marked wrote %d rows", n)
	}
	// A GitHub account with p3's address joins p3's member; p40 keeps
	// its marker, which a full merge would have renamed back.
	gh := ghID("p3gh", "Pat Three", "P3@example.org", "")
	seedPeople(t, s, []model.Identity{gh}, map[string]int{gh.Key(): 1})
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	p := loadPeople(t, s)
	sameGroup(t, p, "git:p3@example.org", "github:p3gh")
	if got := p["git:p3@example.org"].name; got != "Pat Three" {
		t.Errorf("member named %q, want the GitHub name", got)
	}
	if got := p["git:p40@example.org"].name; got != "marker" {
		t.Errorf("an untouched member was rewritten: %q", got)
	}
}
