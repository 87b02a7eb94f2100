package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
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

// ErrNotEmpty is returned by GenerateDemo for a store that already holds a
// community: the demo never mixes with real data.
var ErrNotEmpty = errors.New("the database already holds a community; generate the demo into a new file")

// IsDemo reports whether the store holds a demo community (meta "demo" present).
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM meta WHERE key = 'demo'").Scan(&n); err != nil {
		return false, fmt.Errorf("read meta: %w", friendly(err))
	}
	return n > 0, nil
}

// IsEmpty reports whether the store holds no members, questions or events.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	return isEmpty(ctx, s.db)
}

func isEmpty(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (bool, error) {
	var found int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM questions)
		OR EXISTS (SELECT 1 FROM events)`).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("check for existing data: %w", friendly(err))
	}
	return found == 0, nil
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
	joined  string
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

// bulkInsert writes rows with multi-row INSERT statements: one prepared
// statement of per rows, and one ad-hoc statement for the remainder.
// With a demoWriter, every statement runs on the writer's goroutine, so
// SQLite works on one batch while the generator builds the next.
type bulkInsert struct {
	ctx  context.Context
	tx   *sql.Tx
	head string
	cols int
	per  int
	stmt *sql.Stmt
	args []any
	rows int
	w    *demoWriter
	free chan []any  // argument buffers the writer has finished with
	raw  driver.Stmt // the writer's prepared statement of per rows
}

func newBulkInsert(ctx context.Context, tx *sql.Tx, table string, cols []string, per int) *bulkInsert {
	return &bulkInsert{ctx: ctx, tx: tx, per: per, cols: len(cols),
		head: "INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES ",
		args: make([]any, 0, per*len(cols))}
}

// async hands all statements to w from now on. Until w.wait returns, the
// writer holds the connection: nothing else may use the transaction.
func (b *bulkInsert) async(w *demoWriter) *bulkInsert {
	b.w = w
	b.free = make(chan []any, demoWriterDepth+1)
	return b
}

func (b *bulkInsert) query(rows int) string {
	var sb strings.Builder
	sb.WriteString(b.head)
	one := "(" + placeholders(b.cols) + ")"
	for i := range rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(one)
	}
	return sb.String()
}

func (b *bulkInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.per {
		return b.flush()
	}
	return nil
}

// flush writes the buffered rows.
func (b *bulkInsert) flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.w != nil {
		if err := b.w.send(demoJob{b: b, args: b.args, rows: b.rows}); err != nil {
			return err
		}
		select {
		case b.args = <-b.free:
		default:
			b.args = make([]any, 0, b.per*b.cols)
		}
		b.rows = 0
		return nil
	}
	var err error
	if b.rows == b.per {
		if b.stmt == nil {
			if b.stmt, err = b.tx.PrepareContext(b.ctx, b.query(b.per)); err != nil {
				return err
			}
		}
		_, err = b.stmt.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.query(b.rows), b.args...)
	}
	clear(b.args)
	b.args, b.rows = b.args[:0], 0
	return err
}

func (b *bulkInsert) close() {
	if b.stmt != nil {
		b.stmt.Close()
	}
}

// demoWriterDepth is how many statements may wait for the writer: enough
// to smooth out bursts, small enough to bound memory.
const demoWriterDepth = 8

type demoJob struct {
	b    *bulkInsert
	args []any
	rows int
}

// demoWriter executes bulk statements on its own goroutine, in the order
// they were sent. It talks to the driver directly, inside the transaction
// already open on conn: database/sql would otherwise check and convert
// every one of the millions of arguments, and allocate for each statement,
// which cost more than a fifth of the generation.
type demoWriter struct {
	ctx  context.Context
	conn *sql.Conn
	jobs chan demoJob
	done chan struct{}
	err  error // set by the writer goroutine; read after done is closed
}

func newDemoWriter(ctx context.Context, conn *sql.Conn) *demoWriter {
	w := &demoWriter{ctx: ctx, conn: conn, jobs: make(chan demoJob, demoWriterDepth), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		w.err = conn.Raw(w.run)
		for range w.jobs {
			// Drain after an error so senders never block.
		}
	}()
	return w
}

func (w *demoWriter) run(dc any) error {
	prep, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return errors.New("the SQLite driver cannot prepare statements")
	}
	var prepared []*bulkInsert
	defer func() {
		for _, b := range prepared {
			b.raw.Close()
			b.raw = nil
		}
	}()
	nv := make([]driver.NamedValue, 0, 1024)
	for j := range w.jobs {
		st := j.b.raw
		if j.rows != j.b.per || st == nil {
			var err error
			if st, err = prep.PrepareContext(w.ctx, j.b.query(j.rows)); err != nil {
				return err
			}
			if j.rows == j.b.per {
				j.b.raw = st
				prepared = append(prepared, j.b)
			}
		}
		nv = nv[:0]
		for i, a := range j.args {
			nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: a})
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("the SQLite driver cannot execute statements")
		}
		_, err := ex.ExecContext(w.ctx, nv)
		if j.rows != j.b.per {
			st.Close()
		}
		if err != nil {
			return err
		}
		clear(j.args)
		select {
		case j.b.free <- j.args[:0]:
		default:
		}
	}
	return nil
}

func (w *demoWriter) send(j demoJob) error {
	select {
	case w.jobs <- j:
		return nil
	case <-w.done:
		if w.err == nil {
			return errors.New("demo writer stopped")
		}
		return w.err // the writer stopped on an error
	}
}

// wait lets every sent statement finish, gives the connection back and
// reports the first error.
func (w *demoWriter) wait() error {
	close(w.jobs)
	<-w.done
	return w.err
}

// demoGen holds everything one generation needs; nothing is shared between
// generations.
type demoGen struct {
	ctx      context.Context
	conn     *sql.Conn // the connection tx runs on
	tx       *sql.Tx
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

	acts      *bulkInsert
	questions *bulkInsert
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

// GenerateDemo writes a demo community into an open, empty store and marks it with meta key "demo".
//
// It does not go through the sync engine (ApplyBatch): the file is new, so
// there is nothing to upsert against, and plain multi-row inserts in one
// transaction, with the indexes built at the end, are several times faster.
// The derived tables still come from the shared writer (writeDerived), and
// a test checks that RefreshDerived reproduces them exactly.
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

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	defer conn.Close()
	// The file is new and holds nothing else: durability of each page is
	// worthless until the whole community is there, and a large cache keeps
	// the index rebuilds in memory. A rollback journal instead of the WAL
	// writes each page once rather than twice (log, then checkpoint) and
	// costs nothing here: pages appended to a file need no journal entry.
	// All three are restored afterwards.
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("demo: %w", friendly(err))
		}
	}
	defer func() {
		restore := context.WithoutCancel(ctx)
		if mode == "delete" {
			conn.QueryRowContext(restore, "PRAGMA journal_mode = WAL").Scan(&mode)
		}
		conn.ExecContext(restore, "PRAGMA synchronous = NORMAL")
		conn.ExecContext(restore, "PRAGMA cache_size = "+strconv.FormatInt(cache, 10))
	}()

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	defer tx.Rollback()
	empty, err := isEmpty(ctx, tx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !empty {
		return fmt.Errorf("demo: %w", ErrNotEmpty)
	}

	g := newDemoGen(ctx, tx, now, opt)
	g.conn = conn
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
			return fmt.Errorf("demo %s: %w", st.what, friendly(err))
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES ('demo', ?)",
		fmt.Sprintf("seed=%d members=%d now=%s", opt.Seed, opt.Members, now.Format(time.RFC3339))); err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demo: %w", friendly(err))
	}
	if g.progress != nil {
		g.progress(g.rows, g.rows)
	}
	return nil
}

func newDemoGen(ctx context.Context, tx *sql.Tx, now time.Time, opt DemoOptions) *demoGen {
	g := &demoGen{
		ctx:      ctx,
		tx:       tx,
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
	ctx, tx := g.ctx, g.tx
	orgs := newBulkInsert(ctx, tx, "orgs", []string{"id", "name", "domains"}, 100)
	defer orgs.close()
	for _, o := range g.orgs {
		if err := orgs.add(o.id, o.name, strings.Join(o.domains, ",")); err != nil {
			return err
		}
	}
	if err := orgs.flush(); err != nil {
		return err
	}
	members := newBulkInsert(ctx, tx, "members", []string{"id", "name", "org_id", "bot"}, 200)
	defer members.close()
	for i := range g.members {
		m := &g.members[i]
		var org any
		if m.org >= 0 {
			org = g.orgs[m.org].id
		}
		if err := members.add(m.id, m.name, org, m.bot); err != nil {
			return err
		}
	}
	if err := members.flush(); err != nil {
		return err
	}
	ids := newBulkInsert(ctx, tx, "identities", []string{"id", "source", "external_id", "username", "name",
		"email", "url", "company", "location", "bio", "bot", "member_id"}, 80)
	defer ids.close()
	var next int64
	for i := range g.members {
		m := &g.members[i]
		for src := range numSources {
			if m.ext[src] == "" {
				continue
			}
			next++
			m.ids[src] = next
			var url, company, location, bio string
			switch src {
			case srcGitHub:
				url = "https://github.com/" + m.users[src]
				if m.org >= 0 && g.chance(0.7) {
					company = g.orgs[m.org].name
				}
				if !m.bot {
					location = m.location
					bio = pickOne(g.rng, demoBios)
				}
			case srcDiscourse:
				url = "https://discuss.kestrel-db.org/u/" + m.users[src]
				if g.chance(0.4) {
					location = m.location
				}
			case srcChat:
				url = "https://chat.kestrel-db.org/#/user/" + m.ext[src]
			}
			name := m.name
			if src == srcGitHub && !m.bot && g.chance(0.15) {
				name = "" // not everyone fills in a profile name
			}
			if err := ids.add(next, demoSourceNames[src], m.ext[src], m.users[src], name, m.emails[src],
				url, company, location, bio, m.bot, m.id); err != nil {
				return err
			}
		}
	}
	return ids.flush()
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
	channel, url, title string, topics []string, joined string) error {
	mem := &g.members[m]
	source := demoSourceNames[src]
	g.rows++
	mem.tally.Add(kind, time.Unix(at, 0).UTC(), topics)
	if g.progress != nil && g.rows%20000 == 0 {
		g.progress(g.rows, max(g.estimate, g.rows))
	}
	return g.acts.add(ActivityKey(source, ext), source, ext, mem.ids[src], string(kind), at, channel, url, title, joined)
}

func (g *demoGen) simulate() error {
	for _, ix := range activityIndexes {
		if _, err := g.tx.ExecContext(g.ctx, "DROP INDEX "+ix.name); err != nil {
			return err
		}
	}
	w := newDemoWriter(g.ctx, g.conn)
	waited := false
	defer func() {
		if !waited {
			w.wait()
		}
	}()
	g.acts = newBulkInsert(g.ctx, g.tx, "activities", []string{"key", "source", "external_id", "identity_id",
		"kind", "at", "channel", "url", "title", "topics"}, 100).async(w)
	defer g.acts.close()
	g.questions = newBulkInsert(g.ctx, g.tx, "questions", []string{"source", "external_id", "channel", "url",
		"title", "body", "author_id", "created", "first_response_at", "responder_id", "accepted", "closed_at", "topics"}, 50).async(w)
	defer g.questions.close()

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
	if err := g.acts.flush(); err != nil {
		return err
	}
	if err := g.questions.flush(); err != nil {
		return err
	}
	waited = true
	if err := w.wait(); err != nil {
		return err
	}
	// Building each index from one sort of all rows costs a fraction of
	// keeping it up to date row by row (measured: about half the time of
	// the whole generation at 30,000 members). The sort runs in memory, in
	// the large cache set above.
	for _, ix := range activityIndexes {
		if _, err := g.tx.ExecContext(g.ctx, ix.create); err != nil {
			return err
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
			th.channel, th.url+"#pullrequestreview-"+id, th.title, th.topics, th.joined)
	case opMerge:
		th := it.th
		ref := th.channel + "#" + strconv.Itoa(th.number)
		if err := g.emit(it.m, srcGitHub, ref+"/merged", model.KindPRMerged, it.at, th.channel, th.url, th.title, th.topics, th.joined); err != nil {
			return err
		}
		return g.emit(it.m2, srcGitHub, ref+"/merge", model.KindMergedOther, it.at, th.channel, th.url, th.title, th.topics, th.joined)
	case opClose:
		th := it.th
		return g.emit(it.m, srcGitHub, th.channel+"#"+strconv.Itoa(th.number)+"/closed", model.KindPRClosed, it.at,
			th.channel, th.url, th.title, th.topics, th.joined)
	case opCIComment, opComment:
		return g.commentOn(it.m, it.th, it.at, model.KindComment)
	case opAnswer:
		return g.reply(it.m, it.th, it.at, true)
	case opAccept:
		th := it.th
		return g.emit(it.m, th.src, ref(th)+"/accepted", model.KindAcceptedAnswer, it.at, th.channel, th.url, th.title, th.topics, th.joined)
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
				"https://github.com/"+demoGitHubOrg+"/kestrel/stargazers", "Starred "+demoGitHubOrg+"/kestrel", nil, "")
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
	topics, joined := g.topicOne[ti], t.name
	// Some changes touch a second area (tests, docs, CI config).
	if !docs && g.chance(0.2) {
		if o := g.rng.IntN(len(demoTopics)); o != ti && demoTopics[o].repo == t.repo {
			topics = []string{t.name, demoTopics[o].name}
			joined = t.name + "," + demoTopics[o].name
		}
	}
	sha := g.sha()
	repo := demoGitHubOrg + "/" + t.repo
	title := g.changeTitle(t, dir)
	if docs {
		title = "docs: " + pickOne(g.rng, []string{"clarify", "update", "fix typos in", "expand", "restructure"}) + " " + pickOne(g.rng, t.objects)
	}
	return g.emit(mi, srcGit, sha, kind, at, repo, "https://github.com/"+repo+"/commit/"+sha, title, topics, joined)
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
		th.topics, th.joined = g.topicOne[ti], demoTopics[ti].name
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
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, th.topics, th.joined); err != nil {
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
	if err := g.emit(mi, srcGitHub, ref(th), model.KindPROpened, at, repo, th.url, th.title, nil, ""); err != nil {
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
	if err := g.emit(mi, srcGitHub, ref(th), model.KindIssueOpened, at, repo, th.url, th.title, th.topics, th.joined); err != nil {
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
		th.url+"#issuecomment-"+id, th.title, th.topics, th.joined)
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
		th.topics, th.joined = g.topicOne[ti], demoTopics[ti].name
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
		th.topics, th.joined = g.topicOne[ti], demoTopics[ti].name
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
			th.title, th.topics, th.joined)
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
			th.url+"msg"+id+".html", title, th.topics, th.joined)
	}
}

func (g *demoGen) chat(mi int32, at int64) error {
	room := pickOne(g.rng, demoChatRooms)
	id := g.id()
	var topics []string
	joined := ""
	if room.topic != "" {
		ti := demoTopicIndex(room.topic)
		topics, joined = g.topicOne[ti], room.topic
	}
	return g.emit(mi, srcChat, room.name+"/"+id, model.KindMessage, at, "#"+room.name,
		"https://chat.kestrel-db.org/#/room/"+room.name+"/"+id, pickOne(g.rng, demoChatLines), topics, joined)
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
		th.joined = t.name + ",question"
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
	if err := g.emit(mi, src, actExt, model.KindQuestion, at, th.channel, url, title, th.topics, th.joined); err != nil {
		return err
	}

	var first, closed, responderID any
	accepted := false
	responder := int32(-1)
	answered := false
	if g.chance(0.85) {
		respAt := at + g.responseDelay()
		responder = g.pickFrom(g.helpers[src], g.helpCum[src], at, mi)
		if responder >= 0 && respAt <= g.nowUnix {
			answered = true
			first, responderID = respAt, g.members[responder].ids[src]
			g.schedule(respAt, responder, opAnswer, th, -1)
			pAccept := 0.3
			if src == srcDiscourse {
				pAccept = 0.45 // forum askers mark solutions more often than issue authors
			}
			if src != srcMail && g.chance(pAccept) {
				acc := respAt + g.between(1800, 2*demoDay)
				if acc <= g.nowUnix {
					accepted = true
					g.schedule(acc, responder, opAccept, th, -1)
				}
			}
			if src == srcGitHub && g.chance(0.8) {
				if c := respAt + g.between(3600, 14*demoDay); c <= g.nowUnix {
					closed = c
				}
			}
		}
	} else if at < g.nowUnix-60*demoDay && g.chance(0.45) {
		// Nobody answered; the thread was closed as stale or by the asker.
		if c := at + g.between(30, 120)*demoDay; c <= g.nowUnix {
			closed = c
		}
	}
	if !answered && closed == nil {
		g.openQs = append(g.openQs, openQuestion{src: src, ext: ext, created: at, topicIdx: ti})
	}
	return g.questions.add(demoSourceNames[src], ext, th.channel, url, title, pickOne(g.rng, demoQuestionBodies),
		g.members[mi].ids[src], at, first, responderID, accepted, closed, th.joined)
}

// --- events -----------------------------------------------------------------

func (g *demoGen) memberKey(mi int32) string {
	m := &g.members[mi]
	for _, src := range []int{srcGitHub, srcDiscourse, srcGit, srcMail, srcChat} {
		if m.ext[src] != "" {
			return demoSourceNames[src] + ":" + m.ext[src]
		}
	}
	return ""
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

func (g *demoGen) writeEvents() error {
	ctx, tx := g.ctx, g.tx
	ev, err := tx.PrepareContext(ctx, `INSERT INTO events(uid, source, name, kind, place, url, description, starts, ends, cfp_deadline, cfp_url)
		VALUES (?, 'hearth', ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ev.Close()
	speakers := newBulkInsert(ctx, tx, "event_speakers", []string{"event_uid", "name", "member_key", "talk", "status"}, 50)
	defer speakers.close()
	tasks := newBulkInsert(ctx, tx, "event_tasks", []string{"event_uid", "title", "owner", "due", "done"}, 50)
	defer tasks.close()
	budget := newBulkInsert(ctx, tx, "event_budget", []string{"event_uid", "item", "category", "amount_cents", "currency"}, 50)
	defer budget.close()
	attendees := newBulkInsert(ctx, tx, "event_attendees", []string{"event_uid", "name", "member_key", "status"}, 100)
	defer attendees.close()

	talkers := g.people(archCore, archRegular)
	crowd := g.people(archCasual, archContributor, archRegular, archCore)
	organisers := g.people(archCore)
	if len(organisers) == 0 {
		organisers = talkers
	}
	meetupNo := map[string]int{}
	const n = 25
	for i := range n {
		day := -640 + i*35 + int(g.between(-6, 6))
		kind := "meetup"
		place := demoEventPlaces[(i*7+3)%len(demoEventPlaces)]
		var name string
		switch i {
		case 2, 12, 23:
			kind = "conference"
		case 10, 21:
			kind = "workshop"
		case 13:
			kind = "community day"
		}
		start := g.now.AddDate(0, 0, day)
		switch kind {
		case "conference":
			name = "KestrelConf " + place.region + " " + strconv.Itoa(start.Year())
			start = time.Date(start.Year(), start.Month(), start.Day(), 8, 0, 0, 0, time.UTC)
		case "workshop":
			name = pickOne(g.rng, []string{"Storage internals workshop", "Operator hands-on lab", "Contributor sprint"}) + " " + place.city
			start = time.Date(start.Year(), start.Month(), start.Day(), 9, 0, 0, 0, time.UTC)
		case "community day":
			// Brussels, the Friday before FOSDEM (early February).
			place = demoEventPlaces[12]
			name = "Kestrel Community Day at FOSDEM"
			start = time.Date(g.now.Year(), 2, 1, 9, 0, 0, 0, time.UTC)
			if start.After(g.now) {
				start = start.AddDate(-1, 0, 0)
			}
			name += " " + strconv.Itoa(start.Year())
		default:
			meetupNo[place.city]++
			name = "Kestrel Meetup " + place.city + " #" + strconv.Itoa(meetupNo[place.city]+g.rng.IntN(3)+2)
			start = time.Date(start.Year(), start.Month(), start.Day(), 17, 30, 0, 0, time.UTC)
		}
		end := start.Add(3 * time.Hour)
		if kind == "conference" {
			end = start.Add(2*24*time.Hour + 10*time.Hour)
		} else if kind != "meetup" {
			end = start.Add(8 * time.Hour)
		}
		var cfp any
		cfpURL := ""
		switch {
		case kind == "conference" && i == 23:
			cfp = g.now.AddDate(0, 0, 12).Add(23*time.Hour + 59*time.Minute).Unix()
		case i == 20:
			cfp = g.now.AddDate(0, 0, 26).Add(18 * time.Hour).Unix()
		case kind == "conference":
			cfp = start.AddDate(0, -3, 0).Unix()
		}
		uid := fmt.Sprintf("demo-%02d@kestrel-db.org", i)
		slugName := slug(name)
		if cfp != nil {
			cfpURL = "https://kestrel-db.org/events/" + slugName + "/cfp"
		}
		desc := map[string]string{
			"meetup":        "Two talks, pizza and plenty of time to talk to the maintainers. Hosted by " + place.venue + ".",
			"conference":    "The yearly gathering of the Kestrel community: talks, workshops and the contributor summit.",
			"workshop":      "A hands-on day for people who want to go deeper. Bring a laptop.",
			"community day": "A day of talks and hacking before FOSDEM.",
		}[kind]
		if _, err := ev.ExecContext(ctx, uid, name, kind, place.venue+", "+place.city,
			"https://kestrel-db.org/events/"+slugName, desc, start.Unix(), end.Unix(), cfp, cfpURL); err != nil {
			return err
		}
		past := end.Before(g.now)

		// Speakers: mostly community members, some invited from outside.
		ns := 2 + g.rng.IntN(2)
		switch kind {
		case "conference":
			ns = 8 + g.rng.IntN(5)
		case "workshop":
			ns = 1 + g.rng.IntN(2)
		}
		used := map[int32]bool{}
		for range ns {
			var nm, key string
			if len(talkers) > 0 && g.chance(0.7) {
				s := pickOne(g.rng, talkers)
				if used[s] {
					continue
				}
				used[s] = true
				nm, key = g.members[s].name, g.memberKey(s)
			} else {
				nm, _, _, _ = g.personName()
			}
			status := "confirmed"
			if !past {
				status = pickOne(g.rng, []string{"confirmed", "confirmed", "invited", "invited", "declined"})
			} else if g.chance(0.05) {
				status = "declined"
			}
			if err := speakers.add(uid, nm, key, pickOne(g.rng, demoTalkTitles), status); err != nil {
				return err
			}
			if kind != "meetup" && status != "declined" && g.chance(0.4) {
				amount := g.between(300, 1500) * 100
				if err := budget.add(uid, "Travel grant: "+nm, "travel", amount, place.currency); err != nil {
					return err
				}
			}
		}

		// Tasks, due before the event; past events have done theirs.
		nt := 4 + g.rng.IntN(5)
		if kind == "conference" {
			nt = len(demoEventTasks)
		}
		for k := range nt {
			title := demoEventTasks[k%len(demoEventTasks)]
			due := start.AddDate(0, 0, -7*(nt-k)+g.rng.IntN(3))
			if title == "Send thank-you notes" {
				due = start.AddDate(0, 0, 3)
			}
			done := past && g.chance(0.95) || !past && due.Before(g.now) && g.chance(0.8)
			if err := tasks.add(uid, title, g.handle(pickOne(g.rng, organisers)), due.Unix(), done); err != nil {
				return err
			}
		}

		// Budget lines in cents.
		lines := []struct {
			item, cat string
			lo, hi    int64
		}{
			{"Venue rental", "venue", 0, 800},
			{"Pizza and drinks", "catering", 250, 900},
			{"Stickers", "swag", 80, 300},
		}
		if kind == "conference" {
			lines = []struct {
				item, cat string
				lo, hi    int64
			}{
				{"Venue and AV", "venue", 15000, 40000},
				{"Catering, two days", "catering", 8000, 20000},
				{"T-shirts and stickers", "swag", 2000, 6000},
				{"Speaker dinner", "catering", 1200, 3000},
				{"Live captioning", "accessibility", 1500, 3500},
			}
		}
		for _, l := range lines {
			if err := budget.add(uid, l.item, l.cat, g.between(l.lo, l.hi)*100, place.currency); err != nil {
				return err
			}
		}

		// Attendees: members and people who only came to the event.
		na := 15 + g.rng.IntN(55)
		if kind == "conference" {
			na = 60 + g.rng.IntN(80)
		}
		for range na {
			var nm, key string
			if len(crowd) > 0 && g.chance(0.6) {
				a := pickOne(g.rng, crowd)
				if used[a] {
					continue
				}
				used[a] = true
				nm, key = g.members[a].name, g.memberKey(a)
			} else {
				nm, _, _, _ = g.personName()
			}
			status := "registered"
			switch u := g.rng.Float64(); {
			case past && u < 0.75:
				status = "attended"
			case u > 0.9:
				status = "cancelled"
			}
			if err := attendees.add(uid, nm, key, status); err != nil {
				return err
			}
		}
	}
	for _, b := range []*bulkInsert{speakers, tasks, budget, attendees} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return nil
}

// --- user-authored data -------------------------------------------------------

func (g *demoGen) flag(mi int32, flag string) {
	m := &g.members[mi]
	for _, f := range m.flagged {
		if f == flag {
			return
		}
	}
	m.flagged = append(m.flagged, flag)
	switch flag {
	case "core":
		m.flags.Core = true
	case "maintainer":
		m.flags.Maintainer = true
	}
}

func (g *demoGen) writeUserData() error {
	ctx, tx := g.ctx, g.tx
	cores := g.people(archCore)
	regulars := g.people(archRegular)
	contributors := g.people(archContributor)
	// A handful of maintainers and hand-marked core members, the staff of
	// the company behind the project, and people willing to speak or mentor.
	for k, mi := range cores {
		m := &g.members[mi]
		if k < 6 && m.end == g.nowUnix {
			g.flag(mi, "maintainer")
		}
		if m.org == 0 && len(m.flagged) < 3 && g.chance(0.6) {
			g.flag(mi, "staff")
		}
		if g.chance(0.25) {
			g.flag(mi, "mentor")
		}
		if g.chance(0.2) {
			g.flag(mi, "speaker")
		}
	}
	for k, mi := range regulars {
		if k < 2 {
			g.flag(mi, "core")
		}
		if g.chance(0.05) {
			g.flag(mi, "mentor")
		}
		if g.chance(0.06) {
			g.flag(mi, "speaker")
		}
		if g.members[mi].org == 0 && g.chance(0.3) {
			g.flag(mi, "staff")
		}
	}
	for _, mi := range contributors {
		if g.chance(0.01) {
			g.flag(mi, "speaker")
		}
	}
	flags := newBulkInsert(ctx, tx, "member_flags", []string{"source", "external_id", "flag"}, 100)
	defer flags.close()
	for i := range g.members {
		key := g.memberKey(int32(i))
		src, ext, _ := strings.Cut(key, ":")
		for _, f := range g.members[i].flagged {
			if err := flags.add(src, ext, f); err != nil {
				return err
			}
		}
	}
	if err := flags.flush(); err != nil {
		return err
	}

	known := append(append(append([]int32(nil), cores...), regulars...), contributors...)
	if len(known) == 0 {
		return nil
	}
	tags := newBulkInsert(ctx, tx, "member_tags", []string{"source", "external_id", "tag"}, 100)
	defer tags.close()
	seen := map[string]bool{}
	for range min(len(g.members)/40, 2500) {
		mi := pickOne(g.rng, known)
		tag := pickOne(g.rng, demoTagNames)
		key := g.memberKey(mi)
		if seen[key+"\x00"+tag] {
			continue
		}
		seen[key+"\x00"+tag] = true
		src, ext, _ := strings.Cut(key, ":")
		if err := tags.add(src, ext, tag); err != nil {
			return err
		}
	}
	if err := tags.flush(); err != nil {
		return err
	}
	notes := newBulkInsert(ctx, tx, "member_notes", []string{"source", "external_id", "body", "created", "updated"}, 100)
	defer notes.close()
	for range min(len(g.members)/60+3, 1500) {
		mi := pickOne(g.rng, known)
		src, ext, _ := strings.Cut(g.memberKey(mi), ":")
		created := g.nowUnix - g.between(1, 360)*demoDay
		updated := created
		if g.chance(0.3) {
			updated = min(g.nowUnix, created+g.between(1, 60)*demoDay)
		}
		if err := notes.add(src, ext, pickOne(g.rng, demoNoteBodies), created, updated); err != nil {
			return err
		}
	}
	if err := notes.flush(); err != nil {
		return err
	}

	// Triage on a few open questions: assigned, snoozed, or handled elsewhere.
	triage := newBulkInsert(ctx, tx, "question_triage", []string{"source", "external_id", "assignee", "status",
		"snoozed_until", "note", "updated"}, 50)
	defer triage.close()
	assignees := cores
	if len(assignees) == 0 {
		assignees = known
	}
	for k, q := range g.openQs {
		if k%6 != 1 {
			continue
		}
		var snoozed any
		status, note := "", "Asked "+demoTopics[q.topicIdx].name+" folks to have a look."
		switch g.rng.IntN(4) {
		case 1:
			status, snoozed, note = "snoozed", g.nowUnix+g.between(2, 14)*demoDay, "Waiting for the next release to confirm."
		case 2:
			status, note = "done", "Answered in chat; the asker confirmed it works."
		}
		if err := triage.add(demoSourceNames[q.src], q.ext, g.handle(pickOne(g.rng, assignees)), status, snoozed, note,
			g.nowUnix-g.between(0, 5)*demoDay); err != nil {
			return err
		}
	}
	return triage.flush()
}

// --- derived ------------------------------------------------------------------

func (g *demoGen) writeDerived() error {
	aggs := make([]memberAgg, len(g.members))
	for i := range g.members {
		m := &g.members[i]
		a := &aggs[i]
		a.ID, a.Name, a.Bot, a.tally, a.flags = m.id, m.name, m.bot, m.tally, m.flags
		if m.org >= 0 {
			a.Org = g.orgs[m.org].name
		}
		// Sources are numbered alphabetically, so this walks identities in
		// the order the sync's derivation reads them.
		for src := range numSources {
			if m.users[src] != "" {
				a.Handles = appendUnique(a.Handles, "@"+m.users[src])
			}
			if m.emails[src] != "" {
				a.Emails = appendUnique(a.Emails, strings.ToLower(m.emails[src]))
			}
		}
		sort.Strings(a.Handles)
	}
	return writeDerived(g.ctx, g.tx, g.now, aggs, g.rules)
}
