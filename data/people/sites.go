package people

import "strings"

// Profiles on GitHub and Discourse name a website, and sometimes another
// account of the same person: a forum profile links its GitHub page, a
// GitHub profile's website is the person's forum profile. These are merge
// keys like addresses:
//
//   - "site:<host/path>": a website, normalised by normSite. Generic hosts
//     (social networks, code hosts, mail providers) name no one, and a site
//     that more than MaxSiteSharers identities name is a company's or a
//     project's, not a person's: group ignores it.
//   - "login:<login>": a Discourse profile whose website or bio names
//     github.com/<login>, the key a GitHub identity joins by.
//   - "profile:<host>/u/<name>": a Discourse identity's own profile, and a
//     GitHub profile whose website is that URL.

// MaxSiteSharers is how many identities may name one website for it to
// join them: more, and it is a company's site.
const MaxSiteSharers = 3

// genericHosts name no one: a profile there says nothing about a person's
// own site. Subdomains count too (uk.linkedin.com).
var genericHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true,
	"twitter.com": true, "x.com": true, "t.co": true,
	"linkedin.com": true, "lnkd.in": true, "medium.com": true, "dev.to": true,
	"facebook.com": true, "instagram.com": true, "youtube.com": true,
	"bsky.app": true, "mastodon.social": true, "linktr.ee": true, "bit.ly": true,
	"gmail.com": true, "google.com": true, "about.me": true,
}

// normSite returns a website without its scheme, "www.", query, fragment
// and trailing slashes, in lower case ("https://www.Ann.dev/" →
// "ann.dev"); "" when it is not a website or its host is generic.
func normSite(raw string) string {
	s := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "/")
	s = strings.TrimPrefix(s, "www.")
	host, _, _ := strings.Cut(s, "/")
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		return "" // user info, or an address written as a website
	}
	if !strings.Contains(host, ".") || strings.ContainsAny(s, " \t\n\\<>\"") {
		return ""
	}
	for h := host; ; {
		if genericHosts[h] {
			return ""
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	return s
}

// discourseProfile returns "host/u/name" when site (normalised) is a
// Discourse profile page, "/u/name" or "/users/name", else "".
func discourseProfile(site string) string {
	host, path, ok := strings.Cut(site, "/")
	if !ok {
		return ""
	}
	dir, name, ok := strings.Cut(path, "/")
	if !ok || dir != "u" && dir != "users" || name == "" || strings.Contains(name, "/") {
		return ""
	}
	return host + "/u/" + name
}

// githubReserved are first path segments of github.com that are not users.
var githubReserved = map[string]bool{
	"orgs": true, "sponsors": true, "settings": true, "about": true, "features": true,
	"topics": true, "marketplace": true, "collections": true, "explore": true,
	"login": true, "join": true, "pricing": true, "apps": true, "users": true,
}

// githubLogins returns the GitHub logins text names as a profile URL
// (github.com/ann, https://github.com/ann/), lower case, in order, each
// once. A repository URL (github.com/ann/project) names a project, not a
// person, and gist.github.com is not a profile.
func githubLogins(text string) []string {
	const host = "github.com/"
	t := strings.ToLower(text)
	var out []string
	for from := 0; ; {
		i := strings.Index(t[from:], host)
		if i < 0 {
			return out
		}
		i += from
		from = i + len(host)
		if i > 0 && isLoginByte(t[i-1]) || i > 0 && t[i-1] == '.' {
			continue
		}
		j := from
		for j < len(t) && isLoginByte(t[j]) {
			j++
		}
		login := t[from:j]
		rest := t[j:]
		if rest != "" && rest[0] == '/' {
			rest = rest[1:]
		}
		if rest != "" && (isLoginByte(rest[0]) || rest[0] == '.' || rest[0] == '_') {
			continue // a repository, or not a login at all
		}
		if login == "" || len(login) > 39 || login[0] == '-' || login[len(login)-1] == '-' || githubReserved[login] {
			continue
		}
		if !contains(out, login) {
			out = append(out, login)
		}
	}
}

func isLoginByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

// An edge kind: how group joined two nodes.
const (
	edgeManual  = iota // a manual merge link
	edgeAlias          // a config alias list
	edgeOwn            // an identity's own key: its address, login, website, profile
	edgeMention        // an identity's profile names another account
)

// siteKeys returns an identity's website key and the keys of the accounts
// its profile names (see above), each with its edge kind.
func siteKeys(p Identity) (own, mention []string) {
	site := normSite(p.Website)
	if prof := discourseProfile(site); prof != "" {
		if strings.EqualFold(p.Source, "github") {
			mention = append(mention, "profile:"+prof)
		}
	} else if site != "" {
		own = append(own, "site:"+site)
	}
	if strings.EqualFold(p.Source, "discourse") {
		if prof := discourseProfile(normSite(p.URL)); prof != "" {
			own = append(own, "profile:"+prof)
		}
		for _, l := range githubLogins(p.Website + " " + p.Bio) {
			mention = append(mention, "login:"+l)
		}
	}
	return own, mention
}

// sourceTitle is how a reason names a source.
func sourceTitle(src string) string {
	switch strings.ToLower(src) {
	case "github":
		return "GitHub"
	case "discourse":
		return "Discourse"
	case "git":
		return "git"
	}
	return src
}

// keyReason says why a key joined identities; mentionBy is the source of
// a profile that named the key's account, "" for none.
func keyReason(key, mentionBy string) string {
	kind, v, _ := strings.Cut(key, ":")
	switch kind {
	case "email":
		return "same e-mail " + v
	case "login":
		if mentionBy != "" {
			return "GitHub login " + v + " in a " + sourceTitle(mentionBy) + " profile"
		}
		return "same GitHub login " + v
	case "site":
		return "same website " + v
	case "profile":
		if mentionBy != "" {
			return "Discourse profile " + v + " in a " + sourceTitle(mentionBy) + " profile"
		}
		return "same Discourse profile " + v
	}
	return "same " + key
}
