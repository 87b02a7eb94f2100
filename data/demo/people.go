package demo

import (
	"math"
	"strconv"
	"strings"

	"hearth/model"
)

// The demo's people: organisations, members and their archetypes, and
// the identities they are written with.

type demoOrg struct {
	id      int64
	name    string
	domains []string
	weight  float64
}

type demoMember struct {
	id        int64
	name      string // the person's name, as their profiles give it
	member    string // the member's name, as the people merge chooses it
	first     string // ASCII forms, for handles and addresses
	last      string
	org       int // index into orgs, -1 for none; the merge's choice once grouped
	arch      int
	bot       bool
	join, end int64
	gap       float64 // mean seconds between self-started activities
	area      [2]int  // favourite topics
	ids       [numSources]int64
	ext       [numSources]string
	users     [numSources]string
	emails    [numSources]string // the address each identity carries
	idBot     [numSources]bool   // each identity's bot mark, the merge's
	company   string             // the GitHub profile's company field
	bio       string             // the GitHub profile's bio
	noName    bool               // the GitHub profile has no name
	forumLoc  bool               // the forum profile shows the location
	location  string
	starred   bool
	tally     *model.Tally
	flags     model.Flags
	planned   int
	flagged   []string
}

// automated reports whether m is one of the demo's bots: what the source
// says of its accounts, before the people merge applies its conventions.
func (m *demoMember) automated() bool { return m.arch >= archDependabot }

// makeOrgs invents the employers: about 40 at 2,000 members, fewer in
// smaller communities, with Zipf-like sizes.
func (g *demoGen) makeOrgs(members int) {
	n := int(math.Round(40 * math.Pow(float64(members)/2000, 0.3)))
	names := g.orgNames(max(n, 5))
	usedDomain := map[string]bool{}
	weights := make([]float64, len(names))
	for i, nm := range names {
		// A few big employers, many small ones.
		weights[i] = 1 / math.Pow(float64(i+1), 0.9)
		g.orgs = append(g.orgs, demoOrg{id: int64(i + 1), name: nm, domains: g.orgDomains(nm, usedDomain), weight: weights[i]})
	}
	g.orgCum = cumulative(weights)
}

// orgNames returns n distinct organisation names, the company behind the
// project first.
func (g *demoGen) orgNames(n int) []string {
	names := []string{"Kestrel Labs"}
	seen := map[string]bool{"kestrel labs": true}
	pool := append([]string(nil), demoOrgNames...)
	g.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	for _, nm := range pool {
		if len(names) >= n {
			break
		}
		if !seen[strings.ToLower(nm)] {
			seen[strings.ToLower(nm)] = true
			names = append(names, nm)
		}
	}
	for tries := 0; len(names) < n && tries < 100000; tries++ {
		nm := pickOne(g.rng, demoOrgPrefixes) + " " + pickOne(g.rng, demoOrgSuffixes)
		if !seen[strings.ToLower(nm)] {
			seen[strings.ToLower(nm)] = true
			names = append(names, nm)
		}
	}
	return names
}

// orgDomains invents an organisation's e-mail domains, none shared with
// another.
func (g *demoGen) orgDomains(name string, used map[string]bool) []string {
	words := strings.Fields(name)
	base := g.asciiName(words[0])
	tld := pickOne(g.rng, []string{".com", ".com", ".com", ".io", ".dev", ".net", ".de", ".co.uk", ".eu"})
	switch {
	case strings.Contains(name, "University"):
		tld = ".edu"
	case strings.Contains(name, "Foundation"), strings.Contains(name, "Radio"), strings.Contains(name, "Observatory"):
		tld = ".org"
	}
	d := base + tld
	if used[d] && len(words) > 1 {
		d = base + g.asciiName(words[1]) + tld
	}
	for k := 2; used[d]; k++ {
		d = base + strconv.Itoa(k) + tld
	}
	used[d] = true
	domains := []string{d}
	if len(words) > 1 && g.chance(0.2) {
		alt := base + g.asciiName(words[1]) + ".com"
		if !used[alt] {
			used[alt] = true
			domains = append(domains, alt)
		}
	}
	return domains
}

func (g *demoGen) makeMembers(n int) {
	ws := make([]float64, len(demoCultures))
	share := []float64{14, 8, 8, 6, 5, 5, 12, 10, 4, 3, 6, 6, 3, 3, 5, 4, 4, 3}
	for i := range ws {
		ws[i] = 1
		if i < len(share) {
			ws[i] = share[i]
		}
	}
	g.cultCum = cumulative(ws)

	g.members = make([]demoMember, 0, n)
	g.dependa = g.addBot(archDependabot, "dependabot[bot]", max(20, n/12))
	g.ciBot = g.addBot(archCIBot, "kestrel-ci[bot]", 0)
	g.staleBot = g.addBot(archStaleBot, "stale[bot]", max(10, n/60))
	for len(g.members) < n {
		g.members = append(g.members, g.newPerson())
	}
}

// addBot adds a GitHub bot that acts count times over the whole period.
func (g *demoGen) addBot(arch int, login string, count int) int32 {
	m := demoMember{id: int64(len(g.members) + 1), name: login, org: -1, arch: arch, bot: true,
		join: g.start + 20*demoDay, end: g.nowUnix, planned: count}
	m.gap = float64(m.end-m.join) / float64(max(count, 1))
	m.users[srcGitHub] = login
	m.ext[srcGitHub] = login
	g.claim(srcGitHub, login)
	m.tally = model.NewTally(g.now, g.rules)
	g.members = append(g.members, m)
	return int32(len(g.members) - 1)
}

// newPerson makes the next member: name, archetype, active period, how
// much they do, their topics, employer and identities.
func (g *demoGen) newPerson() demoMember {
	var m demoMember
	m.id = int64(len(g.members) + 1)
	m.tally = model.NewTally(g.now, g.rules)
	m.name, m.first, m.last, m.location = g.personName()
	m.arch = g.archetype()
	count, length := g.career(&m)
	m.end = min(m.join+length, g.nowUnix)
	m.planned = max(1, int(count))
	m.gap = float64(m.end-m.join) / float64(m.planned)
	m.area = [2]int{g.rng.IntN(len(demoTopics)), g.rng.IntN(len(demoTopics))}
	if g.chance(0.3) {
		// Storage and networking attract the most people.
		m.area[0] = g.rng.IntN(2)
	}
	g.assignOrg(&m)
	g.assignIdentities(&m)
	return m
}

// archetype draws how involved a new person will be: about half come once.
func (g *demoGen) archetype() int {
	switch u := g.rng.Float64(); {
	case u < 0.47:
		return archOneOff
	case u < 0.70:
		return archCasual
	case u < 0.905:
		return archContributor
	case u < 0.975:
		return archRegular
	}
	return archCore
}

// career sets when m joins and returns how many things they will do and
// for how long (seconds).
func (g *demoGen) career(m *demoMember) (count float64, length int64) {
	span := float64(g.nowUnix - g.start)
	switch m.arch {
	case archOneOff:
		count = float64(1 + g.rng.IntN(2) + g.rng.IntN(2)*g.rng.IntN(2))
		m.join = g.start + int64(span*math.Sqrt(g.rng.Float64()))
		length = int64(count * float64(g.between(1, 4)*demoDay))
	case archCasual:
		count = g.pareto(3, 1.6, 150)
		m.join = g.start + int64(span*math.Sqrt(g.rng.Float64()))
		length = g.between(30, 365) * demoDay
	case archContributor:
		count = g.pareto(4, 1.8, 200)
		m.join = g.start + int64(span*math.Sqrt(g.rng.Float64()))
		length = g.between(14, 200) * demoDay
	case archRegular:
		count = g.pareto(80, 1.8, 2500)
		m.join = g.start + int64((span-240*demoDay)*g.rng.Float64())
		length = g.between(240, 1095) * demoDay
		if g.chance(0.6) {
			length = g.nowUnix - m.join
		}
	case archCore:
		count = g.pareto(300, 1.8, 6000)
		u := g.rng.Float64()
		m.join = g.start + int64(span*0.55*u*u)
		length = g.between(540, 1095) * demoDay
		if g.chance(0.8) {
			length = g.nowUnix - m.join
		}
	}
	return count, length
}

// pickHelpers lists who answers questions on each source, weighted by how
// central they are. Joining dates are checked when picking.
func (g *demoGen) pickHelpers() {
	for src := range numSources {
		var ws []float64
		for i := range g.members {
			m := &g.members[i]
			if m.bot || m.ext[src] == "" {
				continue
			}
			w := helpWeight(m.arch)
			if w == 0 {
				continue
			}
			g.helpers[src] = append(g.helpers[src], int32(i))
			ws = append(ws, w)
		}
		if len(ws) > 0 {
			g.helpCum[src] = cumulative(ws)
		}
	}
}

// pickStewards lists who reviews and merges pull requests.
func (g *demoGen) pickStewards() {
	var sw []float64
	for i := range g.members {
		m := &g.members[i]
		if m.bot || m.ext[srcGitHub] == "" || (m.arch != archRegular && m.arch != archCore) {
			continue
		}
		g.stewards = append(g.stewards, int32(i))
		// Maintainers review most of the work; the busiest regulars review
		// some, and a few of them grow into core that way.
		w := 20.0
		if m.arch == archRegular {
			w = 0.15 * float64(m.planned) / 80
		}
		sw = append(sw, w)
	}
	if len(sw) > 0 {
		g.stewCum = cumulative(sw)
	}
}

// helpWeight is how likely someone of an archetype is to answer a question.
func helpWeight(arch int) float64 {
	switch arch {
	case archContributor:
		return 0.3
	case archRegular:
		return 2
	case archCore:
		return 6
	}
	return 0
}

func (g *demoGen) assignOrg(m *demoMember) {
	m.org = -1
	p := []float64{archOneOff: 0.15, archCasual: 0.25, archContributor: 0.45, archRegular: 0.6, archCore: 0.75}[m.arch]
	if !g.chance(p) {
		return
	}
	if m.arch == archCore && g.chance(0.45) {
		m.org = 0 // Kestrel Labs employs many maintainers
		return
	}
	m.org = g.weighted(g.orgCum)
}

// writePeople writes the organisations someone works for, the members
// and their identities, as groupPeople decided them.
func (g *demoGen) writePeople() error {
	used := make([]bool, len(g.orgs))
	for i := range g.members {
		if o := g.members[i].org; o >= 0 {
			used[o] = true
		}
	}
	// The merge deletes organisations nobody works for: leave them out.
	for k, o := range g.orgs {
		if !used[k] {
			continue
		}
		if err := g.load.AddOrg(model.Org{ID: o.id, Name: o.name, Domains: o.domains}); err != nil {
			return err
		}
	}
	for i := range g.members {
		m := &g.members[i]
		var org int64
		if m.org >= 0 {
			org = g.orgs[m.org].id
		}
		if err := g.load.AddMember(m.id, m.member, org, m.bot); err != nil {
			return err
		}
	}
	for i := range g.members {
		m := &g.members[i]
		for src := range numSources {
			if m.ext[src] == "" {
				continue
			}
			id := g.identity(m, src)
			if err := g.load.AddIdentity(&id); err != nil {
				return err
			}
		}
	}
	return nil
}

// identity is the profile of m's account on src, once groupPeople has
// numbered it and marked bots. It draws nothing: groupPeople and
// writePeople must see the same profile.
func (g *demoGen) identity(m *demoMember, src int) model.Identity {
	id := model.Identity{ID: m.ids[src], Source: demoSourceNames[src], ExternalID: m.ext[src],
		Username: m.users[src], Name: m.name, Email: m.emails[src], Bot: m.automated() || m.idBot[src], MemberID: m.id}
	switch src {
	case srcGitHub:
		id.URL = "https://github.com/" + m.users[src]
		id.Company = m.company
		id.Bio = m.bio
		id.Location = m.location
		if m.noName {
			id.Name = "" // not everyone fills in a profile name
		}
	case srcDiscourse:
		id.URL = "https://discuss.kestrel-db.org/u/" + m.users[src]
		if m.forumLoc {
			id.Location = m.location
		}
	case srcChat:
		id.URL = "https://chat.kestrel-db.org/#/user/" + m.ext[src]
	}
	return id
}

// memberIdentity is the identity user-authored rows about mi are keyed by:
// the first of GitHub, forum, git, mail and chat they have.
func (g *demoGen) memberIdentity(mi int32) (source, externalID string) {
	m := &g.members[mi]
	for _, src := range []int{srcGitHub, srcDiscourse, srcGit, srcMail, srcChat} {
		if m.ext[src] != "" {
			return demoSourceNames[src], m.ext[src]
		}
	}
	return "", ""
}

// memberKey is mi's identity key, "source:external_id", as event plans
// refer to members.
func (g *demoGen) memberKey(mi int32) string {
	src, ext := g.memberIdentity(mi)
	if src == "" {
		return ""
	}
	return src + ":" + ext
}

func (g *demoGen) handle(mi int32) string {
	m := &g.members[mi]
	for _, src := range []int{srcGitHub, srcDiscourse, srcChat} {
		if m.users[src] != "" {
			return "@" + m.users[src]
		}
	}
	if m.emails[srcGit] != "" {
		return m.emails[srcGit]
	}
	return m.emails[srcMail]
}

// people returns the indexes of non-bot members of the given archetypes,
// in id order.
func (g *demoGen) people(archs ...int) []int32 {
	var out []int32
	for i := range g.members {
		for _, a := range archs {
			if g.members[i].arch == a {
				out = append(out, int32(i))
				break
			}
		}
	}
	return out
}
