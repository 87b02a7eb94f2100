package demo

import (
	"strconv"
	"strings"
)

// Names, handles and e-mail addresses of demo members.

// asciiName is the handle-friendly form of a name part: "Müller" → "muller".
func (g *demoGen) asciiName(s string) string {
	s = g.fold.Replace(s)
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// namePart splits a vocabulary entry into its display and ASCII forms.
func (g *demoGen) namePart(entry string) (display, ascii string, native bool) {
	if d, a, ok := strings.Cut(entry, "|"); ok {
		return d, g.asciiName(a), true
	}
	return entry, g.asciiName(entry), false
}

func romanised(entry string) string {
	if _, a, ok := strings.Cut(entry, "|"); ok {
		return a
	}
	return entry
}

func (g *demoGen) personName() (display, first, last, location string) {
	c := demoCultures[g.weighted(g.cultCum)]
	ge, fe := pickOne(g.rng, c.given), pickOne(g.rng, c.family)
	gd, ga, gn := g.namePart(ge)
	fd, fa, fn := g.namePart(fe)
	native := g.rng.IntN(100) < c.nativeShare
	switch {
	case c.familyFirst && native:
		display = fd + gd
	case c.familyFirst:
		display = romanised(ge) + " " + romanised(fe)
	case gn != fn || !native:
		// Mixed scripts look wrong: use the romanised forms.
		display = romanised(ge) + " " + romanised(fe)
	default:
		display = gd + " " + fd
	}
	return display, ga, fa, pickOne(g.rng, c.locations)
}

// claim reserves an account name (user name or address) on src and
// reports whether it was still free. Names are compared ignoring case, as
// the platforms do: two members never share a handle on one source, and
// identities stay unique by (source, external_id).
func (g *demoGen) claim(src int, name string) bool {
	k := strings.ToLower(name)
	if g.taken[src][k] {
		return false
	}
	g.taken[src][k] = true
	return true
}

// login invents a unique user name on src from the person's name.
func (g *demoGen) login(m *demoMember, src int, sep string) string {
	f, l := m.first, m.last
	if f == "" {
		f = "user"
	}
	if l == "" {
		l = "x"
	}
	var base string
	switch g.rng.IntN(8) {
	case 0, 1:
		base = f + l
	case 2:
		base = f[:1] + l
	case 3:
		base = f + sep + l
	case 4:
		base = l + f[:1]
	case 5:
		base = f + strconv.Itoa(g.rng.IntN(90)+10)
	case 6:
		base = f + l[:1]
	default:
		base = f + pickOne(g.rng, []string{"dev", "codes", "hacks", "io", "x", "_" + l[:1]})
	}
	base = strings.Trim(strings.ReplaceAll(base, "_", sep), "-_.")
	name := base
	for k := 2; !g.claim(src, name); k++ {
		name = base + strconv.Itoa(k+g.rng.IntN(40))
	}
	return name
}

// address invents a new address for m: at their employer when work is
// set and they have one, at a free mail provider otherwise. No two people
// share an address, whatever the source: the people merge would make them
// one member.
func (g *demoGen) address(m *demoMember, work bool) string {
	var local string
	switch g.rng.IntN(4) {
	case 0, 1:
		local = m.first + "." + m.last
	case 2:
		local = m.first[:1] + m.last
	default:
		local = m.first
	}
	domain := pickOne(g.rng, demoFreeMail)
	if work && m.org >= 0 {
		domain = g.orgs[m.org].domains[0]
	} else if g.chance(0.5) {
		local = m.first + m.last + strconv.Itoa(g.rng.IntN(100))
	}
	addr := local + "@" + domain
	base := local
	for k := 2; g.addresses[strings.ToLower(addr)]; k++ {
		addr = base + strconv.Itoa(k) + "@" + domain
	}
	g.addresses[strings.ToLower(addr)] = true
	return addr
}

// assignIdentities gives m their accounts and profiles.
//
// The first sync's people merge will group accounts into members by their
// addresses and GitHub logins only (see package people), so a person's
// accounts carry what ties them together: one address, used on every
// account that has one, shown on the GitHub profile when another account
// needs it, and in the commits of some, GitHub's noreply address, which
// names their login instead.
func (g *demoGen) assignIdentities(m *demoMember) {
	if m.first == "" {
		m.first = "user"
	}
	if m.last == "" {
		m.last = "x"
	}
	srcs := g.identitySources(m)
	var has [numSources]bool
	for _, src := range srcs {
		has[src] = true
		g.giveHandle(m, src)
	}
	var addr string
	if has[srcGit] || has[srcMail] || has[srcDiscourse] || has[srcChat] {
		// Those who commit mostly do it with their work address; others
		// use it on the forum or the lists now and then.
		addr = g.address(m, has[srcGit] || g.chance(0.4))
	}
	if has[srcGit] {
		m.emails[srcGit] = addr
		if has[srcGitHub] && g.chance(0.25) {
			m.emails[srcGit] = strconv.Itoa(1000000+g.rng.IntN(90000000)) + "+" + m.users[srcGitHub] + "@users.noreply.github.com"
		}
		m.ext[srcGit] = m.emails[srcGit]
	}
	if has[srcMail] {
		m.emails[srcMail] = addr
		m.ext[srcMail] = addr
	}
	// Forum and chat accounts come with the address they signed up with.
	for _, src := range []int{srcDiscourse, srcChat} {
		if has[src] {
			m.emails[src] = addr
		}
	}
	if has[srcGitHub] {
		shared := has[srcMail] || has[srcDiscourse] || has[srcChat] || has[srcGit] && m.emails[srcGit] == addr
		switch {
		case shared:
			m.emails[srcGitHub] = addr
		case addr != "" && g.chance(0.3):
			m.emails[srcGitHub] = addr
		case g.chance(0.2):
			m.emails[srcGitHub] = g.address(m, false)
		}
		if m.org >= 0 && g.chance(0.85) {
			m.company = g.orgs[m.org].name
		}
		m.bio = pickOne(g.rng, demoBios)
		m.noName = g.chance(0.15)
	}
	m.forumLoc = has[srcDiscourse] && g.chance(0.4)
}

// identitySources draws which sources m has an account on: one for those
// who come once, git and GitHub for everyone who contributes.
func (g *demoGen) identitySources(m *demoMember) []int {
	social := func() int {
		return []int{srcGitHub, srcGitHub, srcGitHub, srcDiscourse, srcDiscourse, srcChat, srcChat, srcMail}[g.rng.IntN(8)]
	}
	other := func() int { return []int{srcDiscourse, srcChat, srcMail}[g.rng.IntN(3)] }
	var srcs []int
	switch m.arch {
	case archOneOff:
		srcs = []int{social()}
	case archCasual:
		srcs = []int{social()}
		if g.chance(0.4) {
			if s := social(); s != srcs[0] {
				srcs = append(srcs, s)
			}
		}
	case archContributor:
		srcs = []int{srcGitHub}
		if g.chance(0.85) {
			srcs = append(srcs, srcGit)
		}
		if g.chance(0.25) {
			srcs = append(srcs, other())
		}
	default:
		srcs = []int{srcGit, srcGitHub}
		if g.chance(0.7) || m.arch == archCore && g.chance(0.5) {
			srcs = append(srcs, other())
		}
	}
	return srcs
}

// giveHandle invents m's user name on src, where accounts have one. Some
// people reuse their GitHub login on the forum.
func (g *demoGen) giveHandle(m *demoMember, src int) {
	switch src {
	case srcGitHub:
		m.users[src] = g.login(m, src, "-")
		m.ext[src] = m.users[src]
	case srcDiscourse:
		if gh := m.users[srcGitHub]; gh != "" && g.chance(0.6) && g.claim(src, gh) {
			m.users[src] = gh
		} else {
			m.users[src] = g.login(m, src, "_")
		}
		m.ext[src] = m.users[src]
	case srcChat:
		m.users[src] = g.login(m, src, "_")
		m.ext[src] = "@" + m.users[src] + ":kestrel-db.org"
	}
}
