package data

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// DemoOptions configures GenerateDemo.
type DemoOptions struct {
	Members  int                   // default 2000 when 0
	Seed     int64                 // same seed + same Now => identical database contents
	Now      time.Time             // the demo's "today"; zero means time.Now() truncated to the day (UTC)
	Progress func(done, total int) // optional
}

// The demo's sources, in alphabetical order so that walking a member's
// identities by index visits them as ORDER BY source does.
const (
	srcChat = iota
	srcDiscourse
	srcGit
	srcGitHub
	srcMail
	numSources
)

var demoSourceNames = [numSources]string{"chat", "discourse", "git", "github", "mail"}

// Archetypes decide how much a person does, for how long, and of what kind.
// The stages are not assigned: they follow from the activities, through the
// same rules that judge a real community.
const (
	archOneOff = iota
	archCasual
	archContributor
	archRegular
	archCore
	archDependabot
	archCIBot
	archStaleBot
)

const (
	demoGitHubOrg = "kestrel-db"
	demoDay       = 24 * 60 * 60
	demoYears     = 3
)

type demoOrg struct {
	id      int64
	name    string
	domains []string
	weight  float64
}

type demoMember struct {
	id        int64
	name      string
	first     string // ASCII forms, for handles and addresses
	last      string
	org       int // index into orgs, -1 for none
	arch      int
	bot       bool
	join, end int64
	gap       float64 // mean seconds between self-started activities
	area      [2]int  // favourite topics
	ids       [numSources]int64
	ext       [numSources]string
	users     [numSources]string
	emails    [numSources]string
	location  string
	starred   bool
	tally     *model.Tally
	flags     model.Flags
	planned   int
	flagged   []string
}

// demoThread is a pull request, issue, forum topic or mail thread that
// later activities refer to.
type demoThread struct {
	src     int
	channel string
	number  int
	title   string
	url     string
	slug    string
	topics  []string
	author  int32
	posts   int
}

type demoOp uint8

const (
	opTick demoOp = iota
	opReview
	opMerge
	opClose
	opCIComment
	opAnswer
	opAccept
	opComment
)

type demoItem struct {
	at  int64
	seq uint64
	m   int32
	m2  int32
	op  demoOp
	th  *demoThread
}

// demoQueue is a binary min-heap by (at, seq): activities come out in time
// order, so rowids follow time, and ties break by scheduling order, so the
// result is deterministic.
type demoQueue []demoItem

func (q demoQueue) less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}

func (q *demoQueue) push(it demoItem) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *demoQueue) pop() demoItem {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h.less(r, l) {
			c = r
		}
		if !h.less(c, i) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	*q = h
	return top
}

// demoRing keeps the most recent threads of one kind, for replies.
type demoRing struct {
	items []*demoThread
	next  int
}

func (r *demoRing) add(t *demoThread) {
	const size = 256
	if len(r.items) < size {
		r.items = append(r.items, t)
		return
	}
	r.items[r.next] = t
	r.next = (r.next + 1) % size
}

func (r *demoRing) pick(rng *rand.Rand) *demoThread {
	if len(r.items) == 0 {
		return nil
	}
	// Favour recent threads: most replies go to what is being discussed now.
	n := len(r.items)
	back := int(float64(n) * math.Pow(rng.Float64(), 2.5))
	idx := (r.next - 1 - back) % n
	if len(r.items) < 256 {
		idx = (n - 1 - back) % n
	}
	if idx < 0 {
		idx += n
	}
	return r.items[idx]
}

// demoGen holds everything one generation needs; nothing is shared between
// generations.
type demoGen struct {
	ctx      context.Context
	load     *BulkLoader
	rng      *rand.Rand
	now      time.Time
	nowUnix  int64
	start    int64
	rules    model.Rules
	progress func(done, total int)
	fold     *strings.Replacer

	orgs    []demoOrg
	orgCum  []float64
	members []demoMember
	taken   [numSources]map[string]bool
	cultCum []float64

	helpers  [numSources][]int32 // people who answer, per source
	helpCum  [numSources][]float64
	stewards []int32 // people who review and merge
	stewCum  []float64
	dependa  int32
	ciBot    int32
	staleBot int32

	queue   demoQueue
	seq     uint64
	numbers map[string]int // next issue/PR number per repository

	prs, issues, forum, helpTopics, mail demoRing

	rows      int
	estimate  int
	nextID    int64 // comment, review, post and message ids
	topicOne  [][]string
	openQs    []openQuestion
	questionN int
}

type openQuestion struct {
	src      int
	ext      string
	created  int64
	topicIdx int
}

// GenerateDemo writes a demo community into an open, empty store and marks
// it with meta key "demo". It writes through a BulkLoader only; the derived
// tables come from the loader's Derive, and a test checks that
// RefreshDerived reproduces them exactly.
func GenerateDemo(ctx context.Context, s *Store, opt DemoOptions) error {
	if opt.Members <= 0 {
		opt.Members = 2000
	}
	if opt.Members < 20 {
		return fmt.Errorf("demo: at least 20 members are needed, got %d", opt.Members)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	now = now.UTC().Truncate(time.Second)

	load, err := s.NewBulkLoader(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer load.Close()
	g := newDemoGen(ctx, load, now, opt)
	steps := []struct {
		what string
		run  func() error
	}{
		{"people", g.writePeople},
		{"activity", g.simulate},
		{"events", g.writeEvents},
		{"notes and flags", g.writeUserData},
		{"summaries", g.writeDerived},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("demo %s: %w", st.what, err)
		}
	}
	load.MarkDemo(fmt.Sprintf("seed=%d members=%d now=%s", opt.Seed, opt.Members, now.Format(time.RFC3339)))
	if err := load.Commit(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("demo: %w", err)
	}
	if g.progress != nil {
		g.progress(g.rows, g.rows)
	}
	return nil
}

func newDemoGen(ctx context.Context, load *BulkLoader, now time.Time, opt DemoOptions) *demoGen {
	g := &demoGen{
		ctx:      ctx,
		load:     load,
		rng:      rand.New(rand.NewPCG(uint64(opt.Seed), 0x6b657374726f6c)),
		now:      now,
		nowUnix:  now.Unix(),
		start:    now.Unix() - demoYears*365*demoDay,
		rules:    model.DefaultRules(),
		progress: opt.Progress,
		fold:     strings.NewReplacer(demoFolds...),
		numbers:  map[string]int{},
		nextID:   1000000,
	}
	for i := range g.taken {
		g.taken[i] = map[string]bool{}
	}
	for _, t := range demoTopics {
		g.topicOne = append(g.topicOne, []string{t.name})
	}
	g.makeOrgs(opt.Members)
	g.makeMembers(opt.Members)
	return g
}

// --- random helpers --------------------------------------------------------

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *demoGen) chance(p float64) bool { return g.rng.Float64() < p }

// between returns a uniform integer in [lo, hi].
func (g *demoGen) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.Int64N(hi-lo+1)
}

// pareto draws from a Pareto distribution with minimum xm, capped: the
// heavy tail that gives a few people most of the activity.
func (g *demoGen) pareto(xm, alpha, hi float64) float64 {
	u := 1 - g.rng.Float64() // (0, 1]
	return math.Min(hi, xm/math.Pow(u, 1/alpha))
}

func searchCum(cum []float64, x float64) int {
	i := sort.SearchFloat64s(cum, x)
	if i >= len(cum) {
		i = len(cum) - 1
	}
	return i
}

func (g *demoGen) weighted(cum []float64) int {
	return searchCum(cum, g.rng.Float64()*cum[len(cum)-1])
}

func cumulative(ws []float64) []float64 {
	out := make([]float64, len(ws))
	sum := 0.0
	for i, w := range ws {
		sum += w
		out[i] = sum
	}
	return out
}

// --- people ---------------------------------------------------------------

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

func (g *demoGen) makeOrgs(members int) {
	n := int(math.Round(40 * math.Pow(float64(members)/2000, 0.3)))
	n = max(n, 5)
	names := []string{"Kestrel Labs"} // the company behind the project
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
	usedDomain := map[string]bool{}
	weights := make([]float64, len(names))
	for i, nm := range names {
		words := strings.Fields(nm)
		base := g.asciiName(words[0])
		tld := pickOne(g.rng, []string{".com", ".com", ".com", ".io", ".dev", ".net", ".de", ".co.uk", ".eu"})
		switch {
		case strings.Contains(nm, "University"):
			tld = ".edu"
		case strings.Contains(nm, "Foundation"), strings.Contains(nm, "Radio"), strings.Contains(nm, "Observatory"):
			tld = ".org"
		}
		d := base + tld
		if usedDomain[d] && len(words) > 1 {
			d = base + g.asciiName(words[1]) + tld
		}
		for k := 2; usedDomain[d]; k++ {
			d = base + strconv.Itoa(k) + tld
		}
		usedDomain[d] = true
		domains := []string{d}
		if len(words) > 1 && g.chance(0.2) {
			alt := base + g.asciiName(words[1]) + ".com"
			if !usedDomain[alt] {
				usedDomain[alt] = true
				domains = append(domains, alt)
			}
		}
		// Zipf-like sizes: a few big employers, many small ones.
		weights[i] = 1 / math.Pow(float64(i+1), 0.9)
		g.orgs = append(g.orgs, demoOrg{id: int64(i + 1), name: nm, domains: domains, weight: weights[i]})
	}
	g.orgCum = cumulative(weights)
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
	span := float64(g.nowUnix - g.start)

	g.members = make([]demoMember, 0, n)
	addBot := func(arch int, name, login string, count int) int32 {
		m := demoMember{id: int64(len(g.members) + 1), name: name, org: -1, arch: arch, bot: true,
			join: g.start + 20*demoDay, end: g.nowUnix, planned: count}
		m.gap = float64(m.end-m.join) / float64(max(count, 1))
		m.users[srcGitHub] = login
		m.ext[srcGitHub] = login
		g.taken[srcGitHub][login] = true
		m.tally = model.NewTally(g.now, g.rules)
		g.members = append(g.members, m)
		return int32(len(g.members) - 1)
	}
	g.dependa = addBot(archDependabot, "dependabot[bot]", "dependabot[bot]", max(20, n/12))
	g.ciBot = addBot(archCIBot, "kestrel-ci[bot]", "kestrel-ci[bot]", 0)
	g.staleBot = addBot(archStaleBot, "stale[bot]", "stale[bot]", max(10, n/60))

	for len(g.members) < n {
		var m demoMember
		m.id = int64(len(g.members) + 1)
		m.tally = model.NewTally(g.now, g.rules)
		m.name, m.first, m.last, m.location = g.personName()
		u := g.rng.Float64()
		switch {
		case u < 0.47:
			m.arch = archOneOff
		case u < 0.70:
			m.arch = archCasual
		case u < 0.905:
			m.arch = archContributor
		case u < 0.975:
			m.arch = archRegular
		default:
			m.arch = archCore
		}
		var count float64
		var length int64
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
		g.members = append(g.members, m)
	}
	// Who answers questions and who reviews, weighted by how central they
	// are. Joining dates are checked when picking.
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
	for i := range g.members {
		g.estimate += g.members[i].planned
	}
	g.estimate = g.estimate * 13 / 10
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
	for k := 2; g.taken[src][name]; k++ {
		name = base + strconv.Itoa(k+g.rng.IntN(40))
	}
	g.taken[src][name] = true
	return name
}

func (g *demoGen) address(m *demoMember, src int, work bool) string {
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
	for k := 2; g.taken[src][addr]; k++ {
		addr = base + strconv.Itoa(k) + "@" + domain
	}
	g.taken[src][addr] = true
	return addr
}

func (g *demoGen) assignIdentities(m *demoMember) {
	if m.first == "" {
		m.first = "user"
	}
	if m.last == "" {
		m.last = "x"
	}
	var srcs []int
	social := func() int {
		return []int{srcGitHub, srcGitHub, srcGitHub, srcDiscourse, srcDiscourse, srcChat, srcChat, srcMail}[g.rng.IntN(8)]
	}
	other := func() int { return []int{srcDiscourse, srcChat, srcMail}[g.rng.IntN(3)] }
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
	for _, src := range srcs {
		switch src {
		case srcGit:
			m.emails[src] = g.address(m, src, true)
			m.ext[src] = m.emails[src]
		case srcMail:
			if m.emails[srcGit] != "" && g.chance(0.5) && !g.taken[src][m.emails[srcGit]] {
				m.emails[src] = m.emails[srcGit]
				g.taken[src][m.emails[src]] = true
			} else {
				m.emails[src] = g.address(m, src, g.chance(0.3))
			}
			m.ext[src] = m.emails[src]
		case srcGitHub:
			m.users[src] = g.login(m, src, "-")
			m.ext[src] = m.users[src]
		case srcDiscourse:
			if gh := m.users[srcGitHub]; gh != "" && g.chance(0.6) && !g.taken[src][gh] {
				m.users[src] = gh
				g.taken[src][gh] = true
			} else {
				m.users[src] = g.login(m, src, "_")
			}
			m.ext[src] = m.users[src]
		case srcChat:
			m.users[src] = g.login(m, src, "_")
			m.ext[src] = "@" + m.users[src] + ":kestrel-db.org"
		}
	}
}

func (g *demoGen) writePeople() error {
	for _, o := range g.orgs {
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
		if err := g.load.AddMember(m.id, m.name, org, m.bot); err != nil {
			return err
		}
	}
	var next int64
	for i := range g.members {
		m := &g.members[i]
		for src := range numSources {
			if m.ext[src] == "" {
				continue
			}
			next++
			m.ids[src] = next
			id := g.identity(m, src)
			id.ID = next
			if err := g.load.AddIdentity(&id); err != nil {
				return err
			}
		}
	}
	return nil
}

// identity is the profile of m's account on src.
func (g *demoGen) identity(m *demoMember, src int) model.Identity {
	id := model.Identity{Source: demoSourceNames[src], ExternalID: m.ext[src], Username: m.users[src],
		Email: m.emails[src], Bot: m.bot, MemberID: m.id}
	switch src {
	case srcGitHub:
		id.URL = "https://github.com/" + m.users[src]
		if m.org >= 0 && g.chance(0.7) {
			id.Company = g.orgs[m.org].name
		}
		if !m.bot {
			id.Location = m.location
			id.Bio = pickOne(g.rng, demoBios)
		}
	case srcDiscourse:
		id.URL = "https://discuss.kestrel-db.org/u/" + m.users[src]
		if g.chance(0.4) {
			id.Location = m.location
		}
	case srcChat:
		id.URL = "https://chat.kestrel-db.org/#/user/" + m.ext[src]
	}
	id.Name = m.name
	if src == srcGitHub && !m.bot && g.chance(0.15) {
		id.Name = "" // not everyone fills in a profile name
	}
	return id
}

// --- activity ---------------------------------------------------------------

func (g *demoGen) schedule(at int64, m int32, op demoOp, th *demoThread, m2 int32) {
	if at > g.nowUnix {
		return // has not happened yet
	}
	g.seq++
	g.queue.push(demoItem{at: at, seq: g.seq, m: m, m2: m2, op: op, th: th})
}

func (g *demoGen) id() string {
	g.nextID++
	return strconv.FormatInt(g.nextID, 10)
}

// emit writes one activity and feeds it to its member's tally.
func (g *demoGen) emit(m int32, src int, ext string, kind model.Kind, at int64,
	channel, url, title string, topics []string) error {
	mem := &g.members[m]
	g.rows++
	when := time.Unix(at, 0).UTC()
	mem.tally.Add(kind, when, topics)
	if g.progress != nil && g.rows%20000 == 0 {
		g.progress(g.rows, max(g.estimate, g.rows))
	}
	return g.load.AddActivity(mem.ids[src], &model.Activity{Source: demoSourceNames[src], ExternalID: ext,
		Kind: kind, At: when, Channel: channel, URL: url, Title: title, Topics: topics})
}

func (g *demoGen) simulate() error {
	for i := range g.members {
		if g.members[i].arch != archCIBot {
			g.schedule(g.members[i].join, int32(i), opTick, nil, -1)
		}
	}
	for len(g.queue) > 0 {
		it := g.queue.pop()
		if err := g.step(it); err != nil {
			return err
		}
		if g.rows&0x3fff == 0 && g.ctx.Err() != nil {
			return g.ctx.Err()
		}
	}
	return nil
}

func (g *demoGen) step(it demoItem) error {
	switch it.op {
	case opTick:
		m := &g.members[it.m]
		if err := g.tick(it.m, it.at); err != nil {
			return err
		}
		next := it.at + int64(g.rng.ExpFloat64()*m.gap) + 1
		if next <= m.end {
			g.schedule(next, it.m, opTick, nil, -1)
		}
		return nil
	case opReview:
		th := it.th
		id := g.id()
		return g.emit(it.m, srcGitHub, ref(th)+"/review/"+id, model.KindReview, it.at,
			th.channel, th.url+"#pullrequestreview-"+id, th.title, th.topics)
	case opMerge:
		th := it.th
		ref := th.channel + "#" + strconv.Itoa(th.number)
		if err := g.emit(it.m, srcGitHub, ref+"/merged", model.KindPRMerged, it.at, th.channel, th.url, th.title, th.topics); err != nil {
			return err
		}
		return g.emit(it.m2, srcGitHub, ref+"/merge", model.KindMergedOther, it.at, th.channel, th.url, th.title, th.topics)
	case opClose:
		th := it.th
		return g.emit(it.m, srcGitHub, th.channel+"#"+strconv.Itoa(th.number)+"/closed", model.KindPRClosed, it.at,
			th.channel, th.url, th.title, th.topics)
	case opCIComment, opComment:
		return g.commentOn(it.m, it.th, it.at, model.KindComment)
	case opAnswer:
		return g.reply(it.m, it.th, it.at, true)
	case opAccept:
		th := it.th
		return g.emit(it.m, th.src, ref(th)+"/accepted", model.KindAcceptedAnswer, it.at, th.channel, th.url, th.title, th.topics)
	}
	return nil
}

func ref(th *demoThread) string {
	if th.src == srcGitHub {
		return th.channel + "#" + strconv.Itoa(th.number)
	}
	return "t/" + strconv.Itoa(th.number)
}

type demoMix struct {
	src    int
	kind   model.Kind
	weight float64
}

// What each archetype does with its own time, per source; a member only
// does what their identities allow.
var demoMixes = [...][]demoMix{
	archOneOff: {
		{srcGitHub, model.KindStar, 3}, {srcGitHub, model.KindIssueOpened, 2.5}, {srcGitHub, model.KindComment, 3}, {srcGitHub, model.KindQuestion, 0.5},
		{srcDiscourse, model.KindQuestion, 1.2}, {srcDiscourse, model.KindPost, 3},
		{srcMail, model.KindQuestion, 1}, {srcMail, model.KindMessage, 3},
		{srcChat, model.KindMessage, 6},
	},
	archCasual: {
		{srcGitHub, model.KindStar, 1}, {srcGitHub, model.KindIssueOpened, 2.5}, {srcGitHub, model.KindComment, 5}, {srcGitHub, model.KindQuestion, 0.25},
		{srcDiscourse, model.KindQuestion, 0.5}, {srcDiscourse, model.KindPost, 5},
		{srcMail, model.KindQuestion, 0.35}, {srcMail, model.KindMessage, 5},
		{srcChat, model.KindMessage, 6},
	},
	archContributor: {
		{srcGit, model.KindCommit, 6}, {srcGit, model.KindDocChange, 1.2},
		{srcGitHub, model.KindPROpened, 3}, {srcGitHub, model.KindIssueOpened, 1.5}, {srcGitHub, model.KindComment, 4}, {srcGitHub, model.KindStar, 0.3}, {srcGitHub, model.KindQuestion, 0.2},
		{srcDiscourse, model.KindPost, 3}, {srcDiscourse, model.KindQuestion, 0.4},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 4},
	},
	archRegular: {
		{srcGit, model.KindCommit, 8}, {srcGit, model.KindDocChange, 1.5},
		{srcGitHub, model.KindPROpened, 3.5}, {srcGitHub, model.KindComment, 6}, {srcGitHub, model.KindReview, 0.3}, {srcGitHub, model.KindIssueOpened, 1},
		{srcDiscourse, model.KindPost, 3}, {srcDiscourse, model.KindAnswer, 1.5},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 5},
	},
	archCore: {
		{srcGit, model.KindCommit, 6}, {srcGit, model.KindDocChange, 1},
		{srcGitHub, model.KindPROpened, 3}, {srcGitHub, model.KindComment, 6}, {srcGitHub, model.KindReview, 3}, {srcGitHub, model.KindIssueOpened, 1},
		{srcDiscourse, model.KindPost, 2}, {srcDiscourse, model.KindAnswer, 2},
		{srcMail, model.KindMessage, 3}, {srcChat, model.KindMessage, 4},
	},
}

func (g *demoGen) tick(mi int32, at int64) error {
	m := &g.members[mi]
	switch m.arch {
	case archDependabot:
		return g.botPR(mi, at)
	case archStaleBot:
		if th := g.issues.pick(g.rng); th != nil {
			return g.commentOn(mi, th, at, model.KindComment)
		}
		return nil
	}
	mix := demoMixes[m.arch]
	total := 0.0
	for _, x := range mix {
		if m.ext[x.src] != "" {
			total += x.weight
		}
	}
	if total == 0 {
		return nil
	}
	r := g.rng.Float64() * total
	pick := mix[0]
	for _, x := range mix {
		if m.ext[x.src] == "" {
			continue
		}
		pick = x
		if r -= x.weight; r < 0 {
			break
		}
	}
	switch pick.kind {
	case model.KindCommit, model.KindDocChange:
		return g.commit(mi, at, pick.kind == model.KindDocChange)
	case model.KindPROpened:
		return g.openPR(mi, at)
	case model.KindIssueOpened:
		return g.openIssue(mi, at)
	case model.KindStar:
		if !m.starred {
			m.starred = true
			return g.emit(mi, srcGitHub, "star/"+m.ext[srcGitHub], model.KindStar, at, demoGitHubOrg+"/kestrel",
				"https://github.com/"+demoGitHubOrg+"/kestrel/stargazers", "Starred "+demoGitHubOrg+"/kestrel", nil)
		}
		fallthrough
	case model.KindComment:
		th := g.issues.pick(g.rng)
		if g.chance(0.5) || th == nil {
			th = g.prs.pick(g.rng)
		}
		if th == nil {
			return g.openIssue(mi, at)
		}
		return g.commentOn(mi, th, at, model.KindComment)
	case model.KindReview:
		th := g.prs.pick(g.rng)
		if th == nil || th.author == mi {
			return g.commit(mi, at, false)
		}
		g.schedule(at, mi, opReview, th, -1)
		return nil
	case model.KindQuestion:
		return g.ask(mi, pick.src, at)
	case model.KindAnswer:
		th := g.helpTopics.pick(g.rng)
		if th == nil || th.author == mi {
			return g.reply(mi, g.forumTopic(mi, at), at, false)
		}
		return g.reply(mi, th, at, true)
	case model.KindPost:
		return g.reply(mi, g.forumTopic(mi, at), at, false)
	case model.KindMessage:
		if pick.src == srcChat {
			return g.chat(mi, at)
		}
		return g.reply(mi, g.mailThread(mi, at), at, false)
	}
	return nil
}

// topicOf picks the area of someone's next piece of work: mostly their own.
func (g *demoGen) topicOf(mi int32) int {
	m := &g.members[mi]
	switch u := g.rng.Float64(); {
	case u < 0.55:
		return m.area[0]
	case u < 0.8:
		return m.area[1]
	}
	return g.rng.IntN(len(demoTopics))
}

func (g *demoGen) sha() string {
	var b [40]byte
	const hexd = "0123456789abcdef"
	x, y, z := g.rng.Uint64(), g.rng.Uint64(), g.rng.Uint64()
	for i := range 16 {
		b[i], b[16+i] = hexd[x>>(4*i)&15], hexd[y>>(4*i)&15]
	}
	for i := range 8 {
		b[32+i] = hexd[z>>(4*i)&15]
	}
	return string(b[:])
}

func (g *demoGen) changeTitle(t demoTopic, dir string) string {
	return dir + ": " + pickOne(g.rng, demoVerbs) + " " + pickOne(g.rng, t.objects)
}

func (g *demoGen) commit(mi int32, at int64, docs bool) error {
	ti := g.topicOf(mi)
	kind := model.KindCommit
	if docs {
		ti = demoTopicIndex("docs")
		kind = model.KindDocChange
	}
	t := demoTopics[ti]
	dir := pickOne(g.rng, t.dirs)
	topics := g.topicOne[ti]
	// Some changes touch a second area (tests, docs, CI config).
	if !docs && g.chance(0.2) {
		if o := g.rng.IntN(len(demoTopics)); o != ti && demoTopics[o].repo == t.repo {
			topics = []string{t.name, demoTopics[o].name}
		}
	}
	sha := g.sha()
	repo := demoGitHubOrg + "/" + t.repo
	title := g.changeTitle(t, dir)
	if docs {
		title = "docs: " + pickOne(g.rng, []string{"clarify", "update", "fix typos in", "expand", "restructure"}) + " " + pickOne(g.rng, t.objects)
	}
	return g.emit(mi, srcGit, sha, kind, at, repo, "https://github.com/"+repo+"/commit/"+sha, title, topics)
}

func demoTopicIndex(name string) int {
	for i, t := range demoTopics {
		if t.name == name {
			return i
		}
	}
	return 0
}

func (g *demoGen) newGitHubThread(mi int32, repo, title string, ti int, pr bool) *demoThread {
	g.numbers[repo]++
	n := g.numbers[repo] + 100
	kind := "/issues/"
	if pr {
		kind = "/pull/"
	}
	th := &demoThread{src: srcGitHub, channel: repo, number: n, title: title,
		url: "https://github.com/" + repo + kind + strconv.Itoa(n), author: mi}
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

// delay draws how long someone takes to react: minutes to days.
func (g *demoGen) delay(median, hi float64) int64 {
	d := median * math.Exp(g.rng.NormFloat64()*1.1)
	return int64(math.Min(d, hi)) + 60
}

func (g *demoGen) pickFrom(members []int32, cum []float64, at int64, not ...int32) int32 {
	if len(members) == 0 {
		return -1
	}
	for range 40 {
		i := members[g.weighted(cum)]
		m := &g.members[i]
		if at < m.join || at > m.end+30*demoDay {
			continue
		}
		ok := true
		for _, n := range not {
			ok = ok && n != i
		}
		if ok {
			return i
		}
	}
	return -1
}

func (g *demoGen) openPR(mi int32, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	repo := demoGitHubOrg + "/" + t.repo
	th := g.newGitHubThread(mi, repo, g.changeTitle(t, pickOne(g.rng, t.dirs)), ti, true)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, th.topics); err != nil {
		return err
	}
	g.prs.add(th)
	if g.chance(0.6) {
		g.schedule(at+g.between(120, 2400), g.ciBot, opCIComment, th, -1)
	}
	decided := at
	reviewer := int32(-1)
	if g.chance(0.85) {
		if reviewer = g.pickFrom(g.stewards, g.stewCum, at, mi); reviewer >= 0 {
			decided = at + g.delay(8*3600, 10*demoDay)
			g.schedule(decided, reviewer, opReview, th, -1)
			if g.chance(0.25) {
				if second := g.pickFrom(g.stewards, g.stewCum, at, mi, reviewer); second >= 0 {
					g.schedule(at+g.delay(20*3600, 14*demoDay), second, opReview, th, -1)
				}
			}
		}
	}
	switch u := g.rng.Float64(); {
	case u < 0.74:
		merger := reviewer
		if merger < 0 || g.chance(0.35) {
			merger = g.pickFrom(g.stewards, g.stewCum, at, mi)
		}
		if merger >= 0 {
			g.schedule(decided+g.delay(6*3600, 8*demoDay), mi, opMerge, th, merger)
		}
	case u < 0.86:
		g.schedule(at+g.between(2, 40)*demoDay, mi, opClose, th, -1)
	}
	return nil
}

func (g *demoGen) botPR(mi int32, at int64) error {
	dep := pickOne(g.rng, demoDependencies)
	a, b, c := g.rng.IntN(4), g.rng.IntN(40), g.rng.IntN(12)
	from := strconv.Itoa(a) + "." + strconv.Itoa(b) + "." + strconv.Itoa(c)
	to := strconv.Itoa(a) + "." + strconv.Itoa(b+1) + ".0"
	repo := demoGitHubOrg + "/" + pickOne(g.rng, []string{"kestrel", "kestrel", "kestrel", "kestrel-console", "kestrel-operator", "kestrel-py"})
	th := g.newGitHubThread(mi, repo, "build(deps): bump "+dep+" from "+from+" to "+to, -1, true)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, nil); err != nil {
		return err
	}
	g.schedule(at+g.between(120, 1800), g.ciBot, opCIComment, th, -1)
	if g.chance(0.8) {
		if merger := g.pickFrom(g.stewards, g.stewCum, at); merger >= 0 {
			g.schedule(at+g.delay(10*3600, 6*demoDay), mi, opMerge, th, merger)
		}
	} else {
		g.schedule(at+g.between(3, 20)*demoDay, mi, opClose, th, -1)
	}
	return nil
}

func (g *demoGen) openIssue(mi int32, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	repo := demoGitHubOrg + "/" + t.repo
	title := pickOne(g.rng, t.bugs)
	if g.chance(0.3) {
		title += " (v3." + strconv.Itoa(g.rng.IntN(4)) + ")"
	}
	th := g.newGitHubThread(mi, repo, title, ti, false)
	if err := g.emit(mi, srcGitHub, ref(th), model.KindIssueOpened, at, repo, th.url, th.title, th.topics); err != nil {
		return err
	}
	g.issues.add(th)
	if g.chance(0.55) {
		if h := g.pickFrom(g.helpers[srcGitHub], g.helpCum[srcGitHub], at, mi); h >= 0 {
			g.schedule(at+g.delay(10*3600, 20*demoDay), h, opComment, th, -1)
		}
	}
	return nil
}

func (g *demoGen) commentOn(mi int32, th *demoThread, at int64, kind model.Kind) error {
	id := g.id()
	return g.emit(mi, srcGitHub, ref(th)+"/comment/"+id, kind, at, th.channel,
		th.url+"#issuecomment-"+id, th.title, th.topics)
}

func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// forumTopic returns a recent forum topic to reply to, or starts one.
func (g *demoGen) forumTopic(mi int32, at int64) *demoThread {
	if th := g.forum.pick(g.rng); th != nil && g.chance(0.75) {
		return th
	}
	cat := pickOne(g.rng, demoForumCategories[1:])
	title := pickOne(g.rng, demoForumTalk)
	ti := -1
	if cat.topic != "" {
		ti = demoTopicIndex(cat.topic)
		if g.chance(0.5) {
			title = "Thoughts on " + pickOne(g.rng, demoTopics[ti].objects)
		}
	}
	th := g.newForumThread(mi, cat.name, title, ti)
	g.forum.add(th)
	return th
}

func (g *demoGen) newForumThread(mi int32, category, title string, ti int) *demoThread {
	g.questionN++
	n := 4000 + g.questionN
	th := &demoThread{src: srcDiscourse, channel: category, number: n, title: title, slug: slug(title), author: mi}
	th.url = "https://discuss.kestrel-db.org/t/" + th.slug + "/" + strconv.Itoa(n)
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

func (g *demoGen) mailThread(mi int32, at int64) *demoThread {
	if th := g.mail.pick(g.rng); th != nil && g.chance(0.7) {
		return th
	}
	ti := g.topicOf(mi)
	list := pickOne(g.rng, demoMailingLists[:2])
	title := pickOne(g.rng, []string{"[RFC] ", "Proposal: ", "", "[DISCUSS] "}) + "rework " + pickOne(g.rng, demoTopics[ti].objects)
	if list == "kestrel-users" {
		title = pickOne(g.rng, demoTopics[ti].bugs)
	}
	th := g.newMailThread(mi, list, title, at, ti)
	g.mail.add(th)
	return th
}

func (g *demoGen) newMailThread(mi int32, list, title string, at int64, ti int) *demoThread {
	g.questionN++
	th := &demoThread{src: srcMail, channel: list, number: g.questionN, title: title, author: mi}
	th.url = "https://lists.kestrel-db.org/archives/" + list + "/" + time.Unix(at, 0).UTC().Format("2006-01") + "/"
	if ti >= 0 {
		th.topics = g.topicOne[ti]
	}
	return th
}

// reply posts in a forum topic or mail thread (an answer when answer is
// set and the thread is a question).
func (g *demoGen) reply(mi int32, th *demoThread, at int64, answer bool) error {
	th.posts++
	id := g.id()
	switch th.src {
	case srcGitHub:
		return g.commentOn(mi, th, at, model.KindComment)
	case srcDiscourse:
		kind := model.KindPost
		if answer {
			kind = model.KindAnswer
		}
		return g.emit(mi, srcDiscourse, "post/"+id, kind, at, th.channel, th.url+"/"+strconv.Itoa(th.posts+1),
			th.title, th.topics)
	default:
		title := th.title
		kind := model.KindMessage
		if th.posts > 0 || th.author != mi {
			title = "Re: " + title
		}
		if answer {
			kind = model.KindAnswer
		}
		return g.emit(mi, srcMail, "<"+id+"."+strconv.FormatInt(at, 36)+"@lists.kestrel-db.org>", kind, at, th.channel,
			th.url+"msg"+id+".html", title, th.topics)
	}
}

func (g *demoGen) chat(mi int32, at int64) error {
	room := pickOne(g.rng, demoChatRooms)
	id := g.id()
	var topics []string
	if room.topic != "" {
		ti := demoTopicIndex(room.topic)
		topics = g.topicOne[ti]
	}
	return g.emit(mi, srcChat, room.name+"/"+id, model.KindMessage, at, "#"+room.name,
		"https://chat.kestrel-db.org/#/room/"+room.name+"/"+id, pickOne(g.rng, demoChatLines), topics)
}

// responseDelay is how long a question waits for its first answer: most
// within hours, some within the day, a tail of days and weeks.
func (g *demoGen) responseDelay() int64 {
	switch u := g.rng.Float64(); {
	case u < 0.5:
		return g.delay(2*3600, 20*3600)
	case u < 0.8:
		return g.between(6*3600, 23*3600)
	case u < 0.94:
		return g.between(demoDay, 7*demoDay)
	default:
		return g.between(7*demoDay, 40*demoDay)
	}
}

var demoQuestionBodies = []string{
	"I followed the quickstart but I'm stuck. Any pointers appreciated!",
	"We're evaluating Kestrel for production and this is the last open point.",
	"Searched the docs and the forum but couldn't find an answer.",
	"Running 3.1 on three nodes, Ubuntu 24.04. Happy to provide logs.",
	"Not sure if this is a bug or if I'm holding it wrong.",
}

func (g *demoGen) ask(mi int32, src int, at int64) error {
	ti := g.topicOf(mi)
	t := demoTopics[ti]
	title := pickOne(g.rng, t.asks)
	var th *demoThread
	var ext string
	switch src {
	case srcGitHub:
		repo := demoGitHubOrg + "/" + t.repo
		th = g.newGitHubThread(mi, repo, title, ti, false)
		th.topics = []string{t.name, "question"}
		ext = ref(th)
		g.issues.add(th)
	case srcDiscourse:
		th = g.newForumThread(mi, "Help", title, ti)
		ext = "t/" + strconv.Itoa(th.number)
		g.helpTopics.add(th)
	default:
		th = g.newMailThread(mi, "kestrel-users", title, at, ti)
		ext = "<q" + strconv.Itoa(th.number) + "." + strconv.FormatInt(at, 36) + "@lists.kestrel-db.org>"
		g.mail.add(th)
	}
	actExt := ext
	if src == srcDiscourse {
		actExt = "post/" + g.id()
	}
	url := th.url
	if src == srcMail {
		url = th.url + "q" + strconv.Itoa(th.number) + ".html"
	}
	if err := g.emit(mi, src, actExt, model.KindQuestion, at, th.channel, url, title, th.topics); err != nil {
		return err
	}

	q := model.Question{Source: demoSourceNames[src], ExternalID: ext, Channel: th.channel, URL: url,
		Title: title, Created: time.Unix(at, 0), Topics: th.topics}
	responder := g.answerQuestion(&q, mi, src, th, at)
	if q.FirstResponse.IsZero() && q.Closed.IsZero() {
		g.openQs = append(g.openQs, openQuestion{src: src, ext: ext, created: at, topicIdx: ti})
	}
	q.Body = pickOne(g.rng, demoQuestionBodies)
	var responderID int64
	if responder >= 0 {
		responderID = g.members[responder].ids[src]
	}
	return g.load.AddQuestion(&q, g.members[mi].ids[src], responderID)
}

// answerQuestion decides whether and when the question th, asked by mi at
// at, is answered, accepted or closed; it schedules the answer and sets
// q's outcome. It returns the responder, or -1.
func (g *demoGen) answerQuestion(q *model.Question, mi int32, src int, th *demoThread, at int64) int32 {
	if !g.chance(0.85) {
		if at < g.nowUnix-60*demoDay && g.chance(0.45) {
			// Nobody answered; the thread was closed as stale or by the asker.
			if c := at + g.between(30, 120)*demoDay; c <= g.nowUnix {
				q.Closed = time.Unix(c, 0)
			}
		}
		return -1
	}
	respAt := at + g.responseDelay()
	responder := g.pickFrom(g.helpers[src], g.helpCum[src], at, mi)
	if responder < 0 || respAt > g.nowUnix {
		return -1
	}
	q.FirstResponse = time.Unix(respAt, 0)
	g.schedule(respAt, responder, opAnswer, th, -1)
	pAccept := 0.3
	if src == srcDiscourse {
		pAccept = 0.45 // forum askers mark solutions more often than issue authors
	}
	if src != srcMail && g.chance(pAccept) {
		if acc := respAt + g.between(1800, 2*demoDay); acc <= g.nowUnix {
			q.Accepted = true
			g.schedule(acc, responder, opAccept, th, -1)
		}
	}
	if src == srcGitHub && g.chance(0.8) {
		if c := respAt + g.between(3600, 14*demoDay); c <= g.nowUnix {
			q.Closed = time.Unix(c, 0)
		}
	}
	return responder
}

// --- events -----------------------------------------------------------------

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
	return m.emails[srcGit] + m.emails[srcMail]
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
