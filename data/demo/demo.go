package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

// The demo generator: a made-up community (Kestrel, a distributed
// key-value store) with people from many places, three years of activity
// on five sources, questions, events and the notes a community manager
// keeps. Its stages and numbers are not assigned but follow from the
// simulated activity, through the same rules that judge a real community.
// It writes through the store's BulkLoader only.

// Options configures Generate.
type Options struct {
	Members  int                   // MinMembers to MaxMembers; 2000 when 0
	Seed     int64                 // same seed + same Now => identical database contents
	Now      time.Time             // the demo's "today"; zero means time.Now() truncated to the day (UTC)
	Progress func(done, total int) // optional
}

// Limits on Options.Members.
const (
	// MinMembers is the smallest community Generate makes: fewer
	// people leave some stages and sources empty.
	MinMembers = 20
	// MaxMembers is the largest. The generator holds every member,
	// their tally and the activities still to come in memory, and SQLite
	// sorts each activity index in a 256 MiB cache, so memory grows with
	// the community, about 0.7 GB per 100,000 members. Measured with
	// `hearth demo` (peak resident memory, CPU time, activities, file):
	//
	//	100,000 members  1.2 GB   46 s   4.6M  1.3 GB
	//	250,000 members  2.1 GB  114 s  11.5M  3.3 GB
	//	300,000 members  2.5 GB  155 s  13.7M  3.9 GB
	//
	// The cap keeps a generation near 2.5 GB and under three minutes on
	// a quiet two-core machine, and covers the largest community the
	// scale benchmarks measure.
	MaxMembers = 300_000
)

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

// demoGen holds everything one generation needs; nothing is shared between
// generations.
type demoGen struct {
	ctx      context.Context
	load     *store.BulkLoader
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
	taken   [numSources]map[string]bool // see claim
	// addresses holds every address given out, in lower case: one
	// namespace across sources (see address).
	addresses map[string]bool
	cultCum   []float64

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

// Generate writes a demo community into an open, empty store and marks
// it with meta key "demo". It writes through a BulkLoader only; the derived
// tables come from the loader's Derive, and a test checks that
// RefreshDerived reproduces them exactly.
func Generate(ctx context.Context, s *store.Store, opt Options) error {
	if opt.Members <= 0 {
		opt.Members = 2000
	}
	if opt.Members < MinMembers {
		return fmt.Errorf("demo: at least %d members are needed, got %d", MinMembers, opt.Members)
	}
	if opt.Members > MaxMembers {
		return fmt.Errorf("demo: at most %s members can be generated, got %s",
			model.Thousands(MaxMembers), model.Thousands(opt.Members))
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
		{"people", g.groupPeople},
		{"people", g.writePeople},
		{"activity", g.simulate},
		{"events", g.writeEvents},
		{"notes and flags", g.writeUserData},
		{"summaries", g.writeSummaries},
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

func newDemoGen(ctx context.Context, load *store.BulkLoader, now time.Time, opt Options) *demoGen {
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

		addresses: map[string]bool{},
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
