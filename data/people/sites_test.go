package people

import (
	"slices"
	"testing"
)

func TestNormSite(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Ann.dev/":            "ann.dev",
		"http://ann.dev":                  "ann.dev",
		"ann.dev//":                       "ann.dev",
		"https://ann.dev/blog/?utm=x#top": "ann.dev/blog",
		"HTTPS://Blog.Ann.Dev/Posts/":     "blog.ann.dev/posts",
		"ann.github.io":                   "ann.github.io",
		// Generic hosts and their subdomains name no one.
		"https://github.com/ann":           "",
		"https://gist.github.com/ann":      "",
		"twitter.com/ann":                  "",
		"https://x.com/ann":                "",
		"https://uk.linkedin.com/in/ann":   "",
		"https://www.linkedin.com/in/ann/": "",
		"https://medium.com/@ann":          "",
		"mailto:ann@gmail.com":             "",
		"gmail.com":                        "",
		"":                                 "",
		"localhost":                        "",
		"my site":                          "",
		"https://user:pw@ann.dev/":         "",
	} {
		if got := normSite(in); got != want {
			t.Errorf("normSite(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGithubLogins(t *testing.T) {
	for in, want := range map[string][]string{
		"https://github.com/Ann":                     {"ann"},
		"code at github.com/ann-b/, talks elsewhere": {"ann-b"},
		"github.com/ann and https://github.com/ann":  {"ann"},
		"github.com/ann/project":                     nil, // a repository
		"gist.github.com/ann":                        nil,
		"notgithub.com/ann":                          nil,
		"github.com/sponsors/ann":                    nil,
		"github.com/-ann":                            nil,
		"(see github.com/bob)":                       {"bob"},
		"no links here":                              nil,
	} {
		if got := githubLogins(in); !slices.Equal(got, want) {
			t.Errorf("githubLogins(%q) = %q, want %q", in, got, want)
		}
	}
}

func disc(login, website, bio string) Identity {
	return Identity{Source: "discourse", ExternalID: login, Username: login,
		URL: "https://forum.example.org/u/" + login, Website: website, Bio: bio}
}

// reasonsOf returns the reasons of the group holding the identity key.
func reasonsOf(t *testing.T, ids []Identity, links []Link, rules Rules, key string) []string {
	t.Helper()
	plan, _ := groupsOf(t, ids, links, rules)
	for _, g := range plan.Groups {
		for _, i := range g.Identities {
			if ids[i].Source+":"+ids[i].ExternalID == key {
				return g.Reasons
			}
		}
	}
	t.Fatalf("no group holds %s", key)
	return nil
}

// TestMergeAcrossSources: websites and accounts named in profiles join
// GitHub and Discourse identities, generic and company sites do not, and
// each group says why.
func TestMergeAcrossSources(t *testing.T) {
	annGH := gh("ann", "Ann", "", "")
	annGH.Website = "https://www.ann.dev/"
	bobGH := gh("bobdev", "Bob", "", "")
	cyGH := gh("cy", "Cy", "", "")
	cyGH.Website = "forum.example.org/u/cyrus"
	deeGH := gh("dee", "Dee", "", "")
	deeGH.Website = "https://twitter.com/dee"
	ids := []Identity{
		annGH,                               // 0
		disc("ann_d", "http://ann.dev", ""), // 1: same website
		bobGH,                               // 2
		disc("bob", "", "I write Go. https://github.com/BobDev"), // 3: GitHub login in the bio
		cyGH,                               // 4: website is 5's forum profile
		disc("cyrus", "", ""),              // 5
		deeGH,                              // 6
		disc("dee", "twitter.com/dee", ""), // 7: a generic host joins no one
		git("bob@example.org", "Bob", 2),   // 8: e-mail and alias join it to 2
		git("77+bobdev@users.noreply.github.com", "Bob", 1), // 9: noreply login
	}
	// Five profiles naming one company site: none joins by it.
	for _, l := range []string{"e1", "e2", "e3", "e4"} {
		p := disc(l, "https://acme.example/", "")
		ids = append(ids, p)
	}
	rules := Rules{Same: [][]string{{"bob@example.org", "github:bobdev"}}}
	_, g := groupsOf(t, ids, nil, rules)
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"github:ann", "discourse:ann_d", true},
		{"github:bobdev", "discourse:bob", true},
		{"github:cy", "discourse:cyrus", true},
		{"github:dee", "discourse:dee", false},
		{"discourse:e1", "discourse:e2", false},
		{"github:ann", "github:bobdev", false},
	} {
		if got := slices.Contains(g[c.a], c.b); got != c.want {
			t.Errorf("%s with %s: %v, want %v", c.a, c.b, got, c.want)
		}
	}
	for key, want := range map[string][]string{
		"github:ann": {"same website ann.dev"},
		"github:bobdev": {"GitHub login bobdev in a Discourse profile", "same GitHub login bobdev",
			"config alias"},
		"github:cy":    {"Discourse profile forum.example.org/u/cyrus in a GitHub profile"},
		"github:dee":   nil,
		"discourse:e1": nil,
	} {
		if got := reasonsOf(t, ids, nil, rules, key); !slices.Equal(got, want) {
			t.Errorf("%s: reasons %q, want %q", key, got, want)
		}
	}
	// Three sharers are still a person's site (a person may have three
	// accounts): the company threshold is more than MaxSiteSharers.
	three := []Identity{disc("f1", "f.example", ""), disc("f2", "f.example", ""), annGH}
	three[2].Website = "f.example"
	if _, g := groupsOf(t, three, nil, Rules{}); len(g["github:ann"]) != 3 {
		t.Errorf("three sharers of a site: %v, want one group", g["github:ann"])
	}
}

// TestMergeReasons: manual merges, e-mails and aliases read as such,
// whatever the order the rules met them in, and a split join has none.
func TestMergeReasons(t *testing.T) {
	ids := []Identity{
		git("ann@x.org", "Ann", 1),        // 0
		gh("ann", "Ann", "Ann@X.org", ""), // 1: same e-mail
		git("a@home.example", "Ann", 1),   // 2: config alias with 0's address
		git("other@y.example", "Ann", 1),  // 3: merged by hand with 2
		git("solo@z.example", "Solo", 1),  // 4
	}
	links := []Link{{Kind: "merge", ASource: "git", AExt: "a@home.example", BSource: "git", BExt: "other@y.example"}}
	rules := Rules{Same: [][]string{{"a@home.example", "ann@x.org"}}}
	want := []string{"manual merge", "same e-mail ann@x.org", "config alias"}
	if got := reasonsOf(t, ids, links, rules, "git:ann@x.org"); !slices.Equal(got, want) {
		t.Errorf("reasons %q, want %q", got, want)
	}
	if got := reasonsOf(t, ids, links, rules, "git:solo@z.example"); got != nil {
		t.Errorf("a group of one: reasons %q", got)
	}
}

// TestKeysOfProfiles: the store's index holds the website and account keys
// group joins by, so an incremental merge finds the same identities.
func TestKeysOfProfiles(t *testing.T) {
	p := disc("Ann_D", "https://ann.dev/", "github.com/ann")
	got := Keys(p)
	for _, k := range []string{"site:ann.dev", "profile:forum.example.org/u/ann_d", "login:ann"} {
		if !slices.Contains(got, k) {
			t.Errorf("Keys = %q, missing %q", got, k)
		}
	}
	q := gh("cy", "Cy", "", "")
	q.Website = "https://forum.example.org/users/cyrus/"
	if got := Keys(q); !slices.Contains(got, "profile:forum.example.org/u/cyrus") || slices.ContainsFunc(got, func(k string) bool { return k[:5] == "site:" }) {
		t.Errorf("Keys of a GitHub profile naming a forum profile = %q", got)
	}
}
