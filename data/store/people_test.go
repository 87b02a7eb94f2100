package store

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

func gitID(email, name string) model.Identity {
	return model.Identity{Source: "git", ExternalID: email, Email: email, Name: name}
}

func ghID(login, name, email, company string) model.Identity {
	return model.Identity{Source: "github", ExternalID: login, Username: login, Name: name, Email: email, Company: company}
}

// seedPeople writes identities, each with weight activities, as a sync
// would.
func seedPeople(t *testing.T, s *Store, ids []model.Identity, weight map[string]int) {
	t.Helper()
	var b connector.Batch
	b.Identities = ids
	for _, i := range ids {
		for n := 0; n < weight[i.Key()]; n++ {
			b.Activities = append(b.Activities, model.Activity{Source: i.Source,
				ExternalID: i.Key() + "#" + string(rune('a'+n)), Actor: i.ExternalID,
				Kind: "commit", At: time.Unix(int64(1000+n), 0)})
		}
	}
	if err := s.ApplyBatch(context.Background(), "test", b); err != nil {
		t.Fatal(err)
	}
}

type memberRow struct {
	id   int64
	name string
	org  string
	bot  bool
	keys []string
}

// loadPeople reads members with their identities, keyed by each identity key.
func loadPeople(t *testing.T, s *Store) map[string]*memberRow {
	t.Helper()
	rows, err := s.db.Query(`SELECT m.id, m.name, coalesce(o.name, ''), m.bot, i.source || ':' || i.external_id
		FROM identities i JOIN members m ON m.id = i.member_id LEFT JOIN orgs o ON o.id = m.org_id ORDER BY i.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byID := map[int64]*memberRow{}
	out := map[string]*memberRow{}
	for rows.Next() {
		var r memberRow
		var key string
		if err := rows.Scan(&r.id, &r.name, &r.org, &r.bot, &key); err != nil {
			t.Fatal(err)
		}
		m, ok := byID[r.id]
		if !ok {
			m = &r
			byID[r.id] = m
		}
		m.keys = append(m.keys, key)
		out[key] = m
	}
	if n := queryInt(t, s, "SELECT count(*) FROM identities WHERE member_id IS NULL"); n != 0 {
		t.Errorf("%d identities without a member", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM members WHERE id NOT IN (SELECT member_id FROM identities WHERE member_id IS NOT NULL)"); n != 0 {
		t.Errorf("%d empty members left", n)
	}
	return out
}

func merge(t *testing.T, s *Store, rules people.Rules) map[string]*memberRow {
	t.Helper()
	if err := s.MergePeople(context.Background(), rules); err != nil {
		t.Fatal(err)
	}
	return loadPeople(t, s)
}

func sameGroup(t *testing.T, p map[string]*memberRow, keys ...string) {
	t.Helper()
	first, ok := p[keys[0]]
	if !ok {
		t.Fatalf("%s has no member", keys[0])
	}
	for _, k := range keys[1:] {
		if p[k] == nil || p[k].id != first.id {
			t.Errorf("%s and %s are not one member (groups %v / %v)", keys[0], k, first.keys, p[k])
		}
	}
}

func apart(t *testing.T, p map[string]*memberRow, a, b string) {
	t.Helper()
	if p[a] == nil || p[b] == nil {
		t.Fatalf("missing member for %s or %s", a, b)
	}
	if p[a].id == p[b].id {
		t.Errorf("%s and %s merged, want them apart", a, b)
	}
}

func TestMergePeopleRules(t *testing.T) {
	tests := []struct {
		name   string
		ids    []model.Identity
		weight map[string]int
		rules  people.Rules
		check  func(t *testing.T, p map[string]*memberRow)
	}{
		{
			name: "non-ASCII name with two addresses, GitHub profile and noreply",
			ids: []model.Identity{
				gitID("zoe@uni.example", "Zoe M"),
				gitID("12345+ZoeMu@users.noreply.github.com", "Zoë"),
				gitID("zoe.mueller@acme.com", "Zoë Müller"),
				ghID("zoemu", "Zoë Müller", "Zoe@Uni.example", ""),
			},
			rules: people.Rules{
				Same: [][]string{{"zoe.mueller@acme.com", "github:ZoeMu"}},
				Orgs: map[string][]string{"Acme": {"acme.com"}},
			},
			check: func(t *testing.T, p map[string]*memberRow) {
				sameGroup(t, p, "github:zoemu", "git:zoe@uni.example", "git:12345+ZoeMu@users.noreply.github.com", "git:zoe.mueller@acme.com")
				if m := p["github:zoemu"]; m.name != "Zoë Müller" || m.org != "Acme" {
					t.Errorf("member %q of %q, want Zoë Müller of Acme", m.name, m.org)
				}
			},
		},
		{
			name: "plus tags and case",
			ids: []model.Identity{
				gitID("bob+lists@Example.org", "bob"),
				gitID("Bob@example.org", "Bob Stone"),
				gitID("bob@example.net", "Bob Stone"),
			},
			check: func(t *testing.T, p map[string]*memberRow) {
				sameGroup(t, p, "git:bob+lists@Example.org", "git:Bob@example.org")
				// The same name alone is not evidence.
				apart(t, p, "git:Bob@example.org", "git:bob@example.net")
				if p["git:Bob@example.org"].name != "Bob Stone" {
					t.Errorf("name %q", p["git:Bob@example.org"].name)
				}
			},
		},
		{
			name: "most common git name when no GitHub profile",
			ids: []model.Identity{
				gitID("cy@x.example", "C. Young"),
				gitID("cy+work@x.example", "Cy Young"),
			},
			weight: map[string]int{"git:cy@x.example": 1, "git:cy+work@x.example": 5},
			check: func(t *testing.T, p map[string]*memberRow) {
				if n := p["git:cy@x.example"].name; n != "Cy Young" {
					t.Errorf("name %q, want the one used for most commits", n)
				}
			},
		},
		{
			name: "shared team address is one person",
			ids: []model.Identity{
				ghID("ann", "Ann", "team@acme.com", ""),
				ghID("ben", "Ben", "team@acme.com", ""),
				gitID("team@acme.com", "Acme Team"),
			},
			check: func(t *testing.T, p map[string]*memberRow) {
				sameGroup(t, p, "github:ann", "github:ben", "git:team@acme.com")
			},
		},
		{
			name: "bots",
			ids: []model.Identity{
				ghID("dependabot[bot]", "", "", ""),
				gitID("49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]"),
				gitID("ci-runner@acme.com", "Jenkins"),
				gitID("noreply@example.org", "Release Tool"),
				gitID("dee@acme.com", "Dee"),
			},
			rules: people.Rules{Bots: []string{"^CI-"}}, // patterns ignore case
			check: func(t *testing.T, p map[string]*memberRow) {
				sameGroup(t, p, "github:dependabot[bot]", "git:49699333+dependabot[bot]@users.noreply.github.com")
				for _, k := range []string{"github:dependabot[bot]", "git:ci-runner@acme.com", "git:noreply@example.org"} {
					if !p[k].bot {
						t.Errorf("%s not a bot", k)
					}
				}
				if p["git:dee@acme.com"].bot {
					t.Error("Dee is a bot")
				}
			},
		},
		{
			name: "organisations",
			ids: []model.Identity{
				ghID("al", "Al", "", " @ACME "),
				gitID("al@gmail.com", "Al"),
				ghID("bea", "Bea", "bea@gmail.com", ""),
				gitID("cal@startup.io", "Cal"),
				gitID("dot@eng.acme.com", "Dot"),
				ghID("eve", "Eve", "", "Globex, Inc."),
			},
			rules: people.Rules{Orgs: map[string][]string{"Acme": {"acme.com"}}},
			check: func(t *testing.T, p map[string]*memberRow) {
				for key, org := range map[string]string{
					"github:al": "Acme", "github:bea": "", "git:cal@startup.io": "",
					"git:dot@eng.acme.com": "Acme", "github:eve": "Globex, Inc",
				} {
					if p[key].org != org {
						t.Errorf("%s works for %q, want %q", key, p[key].org, org)
					}
				}
			},
		},
		{
			name:  "unknown company domains make organisations when enabled",
			ids:   []model.Identity{gitID("cal@startup.io", "Cal"), gitID("bo@hotmail.com", "Bo")},
			rules: people.Rules{DomainOrgs: true},
			check: func(t *testing.T, p map[string]*memberRow) {
				if p["git:cal@startup.io"].org != "startup.io" || p["git:bo@hotmail.com"].org != "" {
					t.Errorf("orgs %q %q", p["git:cal@startup.io"].org, p["git:bo@hotmail.com"].org)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTemp(t)
			seedPeople(t, s, tc.ids, tc.weight)
			tc.check(t, merge(t, s, tc.rules))
		})
	}
}

func TestMergePeopleManualLinksWin(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	seedPeople(t, s, []model.Identity{
		gitID("x@ex.com", "Xavier"),
		ghID("xav", "Xavier", "x@ex.com", ""),
		gitID("carol@home.example", "Carol"),
		ghID("cz", "Carol Z", "", ""),
		ghID("ann", "Ann", "team@acme.com", ""),
		ghID("ben", "Ben", "team@acme.com", ""),
	}, nil)
	p := merge(t, s, people.Rules{})
	sameGroup(t, p, "git:x@ex.com", "github:xav")
	sameGroup(t, p, "github:ann", "github:ben")
	apart(t, p, "git:carol@home.example", "github:cz")
	xavID := p["git:x@ex.com"].id
	annID := p["github:ann"].id

	// Undo an automatic merge, make a manual one, keep a shared mailbox apart.
	for _, l := range [][3]string{
		{"split", "git:x@ex.com", "github:xav"},
		{"merge", "git:carol@home.example", "github:cz"},
		{"split", "github:ann", "github:ben"},
	} {
		if err := s.LinkIdentities(ctx, l[0], l[1], l[2]); err != nil {
			t.Fatal(err)
		}
	}
	p = merge(t, s, people.Rules{})
	apart(t, p, "git:x@ex.com", "github:xav")
	sameGroup(t, p, "git:carol@home.example", "github:cz")
	apart(t, p, "github:ann", "github:ben")
	if p["git:x@ex.com"].id != xavID || p["github:ann"].id != annID {
		t.Errorf("the first part of a split did not keep its member id")
	}
	if p["github:cz"].name != "Carol Z" {
		t.Errorf("merged name %q, want the GitHub profile name", p["github:cz"].name)
	}

	// Config rules cannot override a split, and links survive re-merges.
	p = merge(t, s, people.Rules{Same: [][]string{{"x@ex.com", "github:xav"}}})
	apart(t, p, "git:x@ex.com", "github:xav")
	sameGroup(t, p, "git:carol@home.example", "github:cz")

	// A later link about the same pair overrides the earlier one.
	if err := s.LinkIdentities(ctx, "merge", "github:xav", "git:x@ex.com"); err != nil {
		t.Fatal(err)
	}
	p = merge(t, s, people.Rules{})
	sameGroup(t, p, "git:x@ex.com", "github:xav")

	// Deleting the links restores the automatic grouping.
	var ids []int64
	rows, _ := s.db.Query("SELECT id FROM identity_links")
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := s.UnlinkIdentities(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	p = merge(t, s, people.Rules{})
	apart(t, p, "git:carol@home.example", "github:cz")
	sameGroup(t, p, "github:ann", "github:ben")
	if err := s.UnlinkIdentities(ctx, ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("unlink twice: %v", err)
	}
}

func TestMergePeopleKeepsMemberIDs(t *testing.T) {
	s, _ := openTemp(t)
	seedPeople(t, s, []model.Identity{gitID("a@x.org", "A"), gitID("b@x.org", "B"), ghID("bee", "B", "", "")}, nil)
	p1 := merge(t, s, people.Rules{})
	before := map[string]int64{}
	for k, m := range p1 {
		before[k] = m.id
	}
	p2 := merge(t, s, people.Rules{})
	for k, id := range before {
		if p2[k].id != id {
			t.Errorf("%s moved from member %d to %d without a change", k, id, p2[k].id)
		}
	}
	// Joining b@x.org and github:bee keeps the smaller id; the other member
	// disappears; a newcomer gets a fresh id.
	seedPeople(t, s, []model.Identity{ghID("bee", "B", "b@x.org", ""), gitID("c@x.org", "C")}, nil)
	p3 := merge(t, s, people.Rules{})
	want := min(before["git:b@x.org"], before["github:bee"])
	if p3["github:bee"].id != want || p3["git:b@x.org"].id != want || p3["git:a@x.org"].id != before["git:a@x.org"] {
		t.Errorf("ids after join: %v", p3)
	}
	var all []int64
	for _, m := range p3 {
		all = append(all, m.id)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if n := queryInt(t, s, "SELECT count(*) FROM members"); n != 3 {
		t.Errorf("%d members, want 3", n)
	}
	for _, k := range []string{"git:a@x.org", "git:b@x.org", "github:bee"} {
		if p3["git:c@x.org"].id == p3[k].id {
			t.Errorf("newcomer shares %s's id", k)
		}
	}
}

func TestBotsLeftOutOfMetrics(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	seedPeople(t, s, []model.Identity{ghID("renovate[bot]", "", "", ""), gitID("dee@acme.com", "Dee")},
		map[string]int{"github:renovate[bot]": 5, "git:dee@acme.com": 2})
	if err := s.MergePeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDirty(ctx, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Summary(ctx)
	if err != nil || sum.Members != 1 || sum.Bots != 1 || sum.Activities != 2 {
		t.Errorf("summary %+v %v; want 1 person with 2 activities and 1 bot", sum, err)
	}
	ms, err := s.Members(ctx)
	if err != nil || len(ms) != 1 || ms[0].Name != "Dee" {
		t.Errorf("members %+v %v", ms, err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM identities WHERE bot = 1"); n != 1 {
		t.Errorf("%d bot identities", n)
	}
}

func TestLinkIdentitiesValidates(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for _, c := range [][3]string{
		{"join", "git:a", "git:b"},
		{"merge", "nosource", "git:b"},
		{"merge", "git:a", ":b"},
		{"split", "git:a", "git:a"},
	} {
		if err := s.LinkIdentities(ctx, c[0], c[1], c[2]); err == nil || !strings.HasPrefix(err.Error(), "link identities:") {
			t.Errorf("LinkIdentities%v = %v, want an error", c, err)
		}
	}
	if n := queryInt(t, s, "SELECT count(*) FROM identity_links"); n != 0 {
		t.Errorf("%d links written by invalid calls", n)
	}
	if err := s.MergePeople(ctx, people.Rules{Bots: []string{"("}}); err == nil {
		t.Error("a broken bot pattern was accepted")
	}
}
