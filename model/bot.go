package model

import (
	"fmt"
	"regexp"
	"strings"
)

// BotMatcher recognises automated accounts. Every connector and the people
// merge ask the same matcher, so an account is a bot or a person the same
// way whichever source it came from.
//
// Built-in conventions (always on):
//   - a login, name or address local part containing "[bot]" (GitHub Apps:
//     "dependabot[bot]", "49699333+renovate[bot]@users.noreply.github.com");
//   - a login or address local part that is "bot" or ends in "-bot" or
//     "_bot" ("renovate-bot", "docs_bot@example.org");
//   - a well-known automation account ("dependabot", "renovate",
//     "github-actions", ...) as login, name or local part;
//   - an automation address that no person writes from ("noreply@...",
//     "no-reply@...", "actions@...").
//
// Names are never matched by "bot" as part of a word: Abbott, Talbot and
// a person whose surname is Bot stay people. GitHub's noreply addresses
// for people ("12345+ann@users.noreply.github.com") are judged by the login
// they carry, not as automation addresses.
//
// A nil *BotMatcher applies the built-in conventions only.
type BotMatcher struct {
	patterns []*regexp.Regexp
}

// NewBotMatcher compiles the configured patterns (the config file's
// `bots`): each is a regular expression, matched ignoring case anywhere in
// the login, the name and the e-mail address. "/expr/" is accepted as
// another spelling of expr.
func NewBotMatcher(patterns []string) (*BotMatcher, error) {
	b := &BotMatcher{}
	for _, p := range patterns {
		expr := p
		if len(expr) >= 2 && strings.HasPrefix(expr, "/") && strings.HasSuffix(expr, "/") {
			expr = expr[1 : len(expr)-1]
		}
		if strings.TrimSpace(expr) == "" {
			continue // an empty pattern would match everyone
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return nil, fmt.Errorf("bot pattern %q: %w", p, err)
		}
		b.patterns = append(b.patterns, re)
	}
	return b, nil
}

// IsBot reports whether an account with this login, display name and
// e-mail address is automated. Any of them may be empty.
func (b *BotMatcher) IsBot(username, name, email string) bool {
	user := strings.ToLower(strings.TrimSpace(username))
	lname := strings.ToLower(strings.TrimSpace(name))
	if botLogin(user) || strings.Contains(lname, "[bot]") || knownBots[lname] {
		return true
	}
	if local, domain, ok := strings.Cut(strings.ToLower(strings.Trim(strings.TrimSpace(email), "<>")), "@"); ok && local != "" {
		if domain == "users.noreply.github.com" {
			// "<id>+<login>@users.noreply.github.com": judge the login.
			if _, login, ok := strings.Cut(local, "+"); ok {
				local = login
			}
			if botLogin(local) {
				return true
			}
		} else {
			local, _, _ = strings.Cut(local, "+")
			if botLogin(local) || automationLocals[local] {
				return true
			}
		}
	}
	if b != nil {
		for _, re := range b.patterns {
			for _, s := range []string{username, name, email} {
				if s != "" && re.MatchString(s) {
					return true
				}
			}
		}
	}
	return false
}

// IsBotAccount is IsBot for sources that also say what kind of account it
// is: GitHub's user type "Bot" (GitHub Apps) is a bot whatever its login.
// kind is "" when the source does not say.
func (b *BotMatcher) IsBotAccount(kind, username, name, email string) bool {
	return strings.EqualFold(kind, "bot") || b.IsBot(username, name, email)
}

// botLogin applies the login conventions to a lower-cased login or
// address local part.
func botLogin(s string) bool {
	if s == "" {
		return false
	}
	return strings.Contains(s, "[bot]") || s == "bot" ||
		strings.HasSuffix(s, "-bot") || strings.HasSuffix(s, "_bot") || knownBots[s]
}

// knownBots are automation accounts common enough to know by name.
var knownBots = map[string]bool{
	"dependabot": true, "dependabot-preview": true, "renovate": true, "renovatebot": true,
	"greenkeeper": true, "github-actions": true, "imgbot": true, "mergify": true,
	"codecov": true, "allcontributors": true, "pre-commit-ci": true, "snyk-bot": true,
	"stale": true, "k8s-ci-robot": true,
}

// automationLocals are address local parts that no person writes from.
var automationLocals = map[string]bool{
	"noreply": true, "no-reply": true, "donotreply": true, "do-not-reply": true,
	"action": true, "actions": true, "github-actions": true,
}
