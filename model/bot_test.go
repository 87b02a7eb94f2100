package model

import "testing"

func TestBotMatcher(t *testing.T) {
	b, err := NewBotMatcher([]string{"^ci-", "/^release-.*@corp\\.example$/", "Build Robot"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		what                  string
		kind, user, name, eml string
		bot                   bool
	}{
		{"GitHub App login", "", "dependabot[bot]", "", "", true},
		{"GitHub App login, capitals", "", "Renovate[Bot]", "", "", true},
		{"GitHub App type", "Bot", "some-app", "", "", true},
		{"GitHub App noreply address", "", "", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", true},
		{"dependabot without [bot]", "", "dependabot", "", "", true},
		{"Dependabot, capitals", "", "Dependabot", "", "", true},
		{"renovate-bot", "", "renovate-bot", "", "", true},
		{"_bot login", "", "docs_bot", "", "", true},
		{"git author name", "", "", "Renovate", "", true},
		{"noreply address", "", "", "GitHub", "noreply@github.com", true},
		{"no-reply address", "", "", "Mailer", "no-reply@example.org", true},
		{"github-actions address", "", "", "Actions", "github-actions@github.com", true},
		{"bot@ address", "", "", "Build", "bot@example.org", true},
		{"-bot@ address", "", "", "Sync", "Docs-Bot@example.org", true},
		{"-bot login in a noreply address", "", "", "Helper", "123+helpdesk-bot@users.noreply.github.com", true},
		{"configured pattern on login, any case", "", "CI-Runner", "", "", true},
		{"configured pattern on address", "", "", "", "ci-build@example.org", true},
		{"configured pattern on name", "", "", "build robot", "", true},
		{"slashed pattern", "", "", "Release", "release-2@corp.example", true},
		{"slashed pattern is anchored", "", "", "Release", "release-2@corp.example.org", false},
		{"person's noreply address", "", "ann", "Ann", "12345+ann@users.noreply.github.com", false},
		{"Abbott", "", "abbott", "Bud Abbott", "abbott@example.org", false},
		{"Abbot", "", "", "Abbot Smith", "abbot@example.org", false},
		{"Talbot", "", "talbot", "Eve Talbot", "eve.talbot@example.org", false},
		{"surname Bot", "", "ellenbot", "Ellen Bot", "ellen.bot@example.org", false},
		{"bot inside a word", "", "robotics-fan", "Botond", "botond@example.org", false},
		{"User type", "User", "carol", "Carol", "", false},
		{"pattern not anchored at the start", "", "mci-x", "", "", false},
		{"empty", "", "", "", "", false},
	}
	for _, tc := range cases {
		if got := b.IsBotAccount(tc.kind, tc.user, tc.name, tc.eml); got != tc.bot {
			t.Errorf("%s: IsBotAccount(%q, %q, %q, %q) = %v, want %v", tc.what, tc.kind, tc.user, tc.name, tc.eml, got, tc.bot)
		}
		if tc.kind == "" {
			if got := b.IsBot(tc.user, tc.name, tc.eml); got != tc.bot {
				t.Errorf("%s: IsBot(%q, %q, %q) = %v, want %v", tc.what, tc.user, tc.name, tc.eml, got, tc.bot)
			}
		}
	}
}

func TestBotMatcherBuiltinsOnly(t *testing.T) {
	var none *BotMatcher
	empty, err := NewBotMatcher(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*BotMatcher{none, empty} {
		if !b.IsBot("dependabot[bot]", "", "") || b.IsBot("ci-runner", "", "") {
			t.Errorf("%v: built-in conventions only expected", b)
		}
	}
	// An empty pattern would make everyone a bot: it is ignored.
	b, err := NewBotMatcher([]string{"", "//", " "})
	if err != nil || b.IsBot("ann", "Ann", "ann@example.org") {
		t.Errorf("empty patterns: %v, %v", b, err)
	}
}

func TestBotMatcherBadPattern(t *testing.T) {
	for _, p := range []string{"(", "/(bad/", "[x"} {
		if _, err := NewBotMatcher([]string{p}); err == nil {
			t.Errorf("pattern %q accepted", p)
		}
	}
}
