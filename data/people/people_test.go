package people

import (
	"slices"
	"testing"

	"hearth/model"
)

func TestNormEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Alice+Lists@Example.COM":             "email:alice@example.com",
		"<bob@example.org>":                   "email:bob@example.org",
		"12345+Octo@users.noreply.github.com": "login:octo",
		"octo@users.noreply.github.com":       "login:octo",
		"not-an-address":                      "",
		"+tag@example.org":                    "email:+tag@example.org",
		"a@b@c":                               "",
	} {
		if got := normEmail(in); got != want {
			t.Errorf("normEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// groupsOf runs Merge and returns each identity's group as the sorted
// external ids of its group, for readable assertions.
func groupsOf(t *testing.T, ids []Identity, links []Link, rules Rules) (Plan, map[string][]string) {
	t.Helper()
	bots, err := model.NewBotMatcher(rules.Bots)
	if err != nil {
		t.Fatal(err)
	}
	var existing []int64
	for _, p := range ids {
		if p.Member != 0 && !slices.Contains(existing, p.Member) {
			existing = append(existing, p.Member)
		}
	}
	plan := Merge(ids, links, existing, rules, bots)
	out := map[string][]string{}
	for _, g := range plan.Groups {
		var keys []string
		for _, i := range g.Identities {
			keys = append(keys, ids[i].Source+":"+ids[i].ExternalID)
		}
		for _, k := range keys {
			out[k] = keys
		}
	}
	return plan, out
}

func git(email, name string, weight int) Identity {
	return Identity{Source: "git", ExternalID: email, Email: email, Name: name, Weight: weight}
}

func gh(login, name, email, company string) Identity {
	return Identity{Source: "github", ExternalID: login, Username: login, Name: name, Email: email, Company: company}
}

// TestMergeRules: the grouping rules, without a database.
func TestMergeRules(t *testing.T) {
	ids := []Identity{
		git("Ann@Example.com", "Ann", 3),           // 0: e-mail ignoring case and +tags
		git("ann+lists@example.com", "Ann A.", 9),  // 1
		gh("bobdev", "Robert Smith", "", "@Acme "), // 2: joins 3 by noreply login
		git("77+bobdev@users.noreply.github.com", "bob", 1),
		git("cy@corp.example", "Cy", 1),        // 4: joined to 5 by a config alias
		git("cyrus@home.example", "Cyrus", 1),  // 5
		git("dee@example.com", "Dee", 1),       // 6: merged to 7 by hand, then split
		git("d@other.example", "D", 1),         // 7
		git("ci-runner@example.com", "CI", 50), // 8: bot by pattern
	}
	links := []Link{
		{Kind: "merge", ASource: "git", AExt: "dee@example.com", BSource: "git", BExt: "d@other.example"},
		{Kind: "split", ASource: "git", AExt: "d@other.example", BSource: "git", BExt: "dee@example.com"},
	}
	rules := Rules{
		Same: [][]string{{"cy@corp.example", "git:cyrus@home.example"}},
		Orgs: map[string][]string{"Corp": {"corp.example"}},
		Bots: []string{"^ci-"},
	}
	plan, g := groupsOf(t, ids, links, rules)
	same := func(a, b string) bool { return slices.Contains(g[a], b) }
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"git:Ann@Example.com", "git:ann+lists@example.com", true},
		{"github:bobdev", "git:77+bobdev@users.noreply.github.com", true},
		{"git:cy@corp.example", "git:cyrus@home.example", true},
		{"git:dee@example.com", "git:d@other.example", false}, // the later split wins
		{"git:Ann@Example.com", "github:bobdev", false},
	} {
		if same(c.a, c.b) != c.want {
			t.Errorf("%s with %s: %v, want %v", c.a, c.b, !c.want, c.want)
		}
	}
	byFirst := map[string]Group{}
	for _, gr := range plan.Groups {
		byFirst[ids[gr.Identities[0]].ExternalID] = gr
	}
	for ext, want := range map[string]struct {
		name, org string
		bot       bool
	}{
		"Ann@Example.com":       {"Ann A.", "", false},           // the name with most activity
		"bobdev":                {"Robert Smith", "Acme", false}, // a GitHub profile name first
		"cy@corp.example":       {"Cyrus", "Corp", false},        // configured domain
		"ci-runner@example.com": {"CI", "", true},
	} {
		got := byFirst[ext]
		if got.Name != want.name || got.Org != want.org || got.Bot != want.bot {
			t.Errorf("%s: name %q org %q bot %v; want %+v", ext, got.Name, got.Org, got.Bot, want)
		}
	}
	if plan.Orgs["Corp"] != "corp.example" {
		t.Errorf("configured orgs %v", plan.Orgs)
	}
}

// TestMergeKeepsMemberIDs: a group keeps the smallest id its identities
// had; a split hands the other part a new id above every existing one; a
// member no group keeps is deleted.
func TestMergeKeepsMemberIDs(t *testing.T) {
	a := git("a@x.example", "A", 1)
	a.Member = 7
	b := git("A@x.example", "A", 1)
	b.Member = 3
	c := git("c@x.example", "C", 1)
	c.Member = 9
	plan, _ := groupsOf(t, []Identity{a, b, c}, nil, Rules{})
	if len(plan.Groups) != 2 || plan.Groups[0].Member != 3 || plan.Groups[0].New || plan.Groups[1].Member != 9 {
		t.Fatalf("groups %+v", plan.Groups)
	}
	if !slices.Equal(plan.Deleted, []int64{7}) {
		t.Errorf("deleted %v, want [7]", plan.Deleted)
	}
	split := []Link{{Kind: "split", ASource: "git", AExt: "a@x.example", BSource: "git", BExt: "A@x.example"}}
	plan, _ = groupsOf(t, []Identity{a, b, c}, split, Rules{})
	if len(plan.Groups) != 3 || plan.Groups[0].Member != 7 || plan.Groups[1].Member != 3 || plan.Groups[2].Member != 9 {
		t.Errorf("after split: %+v", plan.Groups)
	}
	d := git("d@x.example", "D", 1)
	plan, _ = groupsOf(t, []Identity{a, d}, nil, Rules{})
	if g := plan.Groups[1]; !g.New || g.Member != 8 {
		t.Errorf("new group %+v, want a new id 8 (above 7)", g)
	}
}
