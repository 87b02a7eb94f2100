package model

import (
	"cmp"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"
)

// Expertise: who knows an area, from what they did there.
//
// Evidence is a plain value (a commit, a review, an answer, a tag given by
// hand) with the paths and topics it touched. Every directory prefix of a
// path is an area ("net/", "net/tls/") and so is the file itself; every topic
// is an area too ("topic:storage"). An ExpertIndex keeps, per area and
// member, a count and a time-decayed weight; it is built incrementally, one
// piece of evidence at a time, so a sync only adds what is new.
//
// A query names paths and/or words. For a query path, a member is credited
// in every area the path lies in, and deeper shared prefixes count more: a
// member who edits net/tls/conn.go is a better answer for net/tls/record.go
// than one who only edits net/http/. Within an area the credit is the
// member's share of the area's decayed activity, so an area's owner ranks
// above a passer-by, and recent work outweighs old work (half-life
// ExpertiseParams.HalfLife). Tags given by hand never decay.

// MaxActivityPaths bounds the paths kept per activity: a commit that
// touches more (a reformat, a vendored library) says little about who
// knows each file, and keeps none.
const MaxActivityPaths = 64

// KindTagged is evidence that someone tagged a member with a topic by hand.
// It counts strongly and never decays.
const KindTagged Kind = "tagged"

// Evidence is one thing a member did in some areas.
type Evidence struct {
	Member int64
	At     time.Time
	Kind   Kind
	Paths  []string // file paths relative to the repository root, "/"-separated
	Topics []string // topics, labels, categories, tags
}

// ExpertiseParams tunes the ranking. The zero value means the defaults.
type ExpertiseParams struct {
	// HalfLife is how long until a piece of evidence counts half; 180 days
	// when zero (DefaultExpertHalfLife).
	HalfLife time.Duration
	// Depth is the exponent of the shared prefix depth: an area d directories
	// deep (the file itself one deeper) weighs d^Depth. 2 when zero.
	Depth float64
	// Share mixes the member's share of an area (1) with their plain decayed
	// activity there scaled by the area's busiest member (0). 0.5 when zero;
	// negative means 0.
	Share float64
	// Prior weighs the member's share of all activity, so that people who are
	// active at all fill the ranking when an area is new. 0.05 when zero;
	// negative means none.
	Prior float64
	// ActiveHalfLife is the half-life of a member's activity in any area,
	// which measures whether they are around now; 30 days when zero.
	ActiveHalfLife time.Duration
	// Active is how strongly being around now multiplies the score: the
	// score is scaled by (activity / busiest member's activity)^Active,
	// plus a small floor so tagged but quiet people still show. 0.5 when
	// zero; negative means not at all.
	Active float64
}

func (p ExpertiseParams) withDefaults() ExpertiseParams {
	if p.HalfLife <= 0 {
		p.HalfLife = DefaultExpertHalfLife
	}
	if p.Depth == 0 {
		p.Depth = 2
	}
	if p.Share == 0 {
		p.Share = 0.5
	} else if p.Share < 0 {
		p.Share = 0
	}
	if p.Prior == 0 {
		p.Prior = 0.05
	} else if p.Prior < 0 {
		p.Prior = 0
	}
	if p.ActiveHalfLife <= 0 {
		p.ActiveHalfLife = 30 * 24 * time.Hour
	}
	if p.Active == 0 {
		p.Active = 0.5
	} else if p.Active < 0 {
		p.Active = 0
	}
	return p
}

// DefaultExpertHalfLife is the half-life of expertise evidence. The
// back-test (data/backtest, last 2,000 commits) on curl, vim and redis
// chose it: against one year, 180 days lifts vim's top-10 from 79.4% to
// 81.6% (baseline 61.9%) and redis's from 73.7% to 75.7%, for 1.8 points
// of curl's top-1 (59.1% against 60.9%); 90 days gains a little more on
// vim (82.5%) but costs curl twice as much. It is also the funnel's topic
// half-life (model.Rules.TopicHalfLife), which the store uses.
const DefaultExpertHalfLife = 180 * 24 * time.Hour

// activeFloor keeps members with no recent activity (only tags, or long
// gone) rankable when Active scales scores.
const activeFloor = 0.02

// kindWeight is how much one piece of evidence of a kind counts.
func kindWeight(k Kind) float64 {
	switch k {
	case KindTagged:
		return 5
	case KindStar, KindRSVP, KindMessage:
		return 0.25
	case KindComment, KindQuestion, KindIssueOpened:
		return 0.5
	}
	return 1
}

// ExpertQuery asks who knows some paths and/or words.
type ExpertQuery struct {
	Paths []string // files or directories ("net/tls/" or "net/tls")
	Words []string // topics, labels, categories or path segments
	// Before restricts the evidence to what happened strictly earlier and
	// judges recency as of that moment. Zero means all evidence, judged at Now.
	Before time.Time
	Now    time.Time // the moment recency is judged at when Before is zero
	Limit  int       // at most this many suggestions; 10 when zero
	// Exclude drops members (bots, people who asked not to be contacted, the
	// asker of a question).
	Exclude func(member int64) bool
}

// Suggestion is a ranked member with the evidence lines that earned the rank.
type Suggestion struct {
	Member   int64
	Score    float64
	Evidence []string
}

// RankExperts answers a query from a list of evidence: the full computation,
// used directly for small inputs and as the reference for ExpertIndex.
func RankExperts(evidence []Evidence, q ExpertQuery, p ExpertiseParams) []Suggestion {
	ix := NewExpertIndex(p)
	for i := range evidence {
		if !q.Before.IsZero() && !evidence[i].At.Before(q.Before) {
			continue
		}
		ix.Add(evidence[i])
	}
	return ix.Rank(q)
}

// ExpertIndex holds per-area, per-member decayed activity. Add evidence in
// any order; Rank answers from what was added. It is not safe for
// concurrent writes.
type ExpertIndex struct {
	p      ExpertiseParams
	ref    time.Time // decayed weights are stored relative to this moment
	hasRef bool
	areas  map[string]*expertArea
	// active is each member's decayed activity in any area with the
	// ActiveHalfLife, relative to ref.
	active map[int64]float64
	// topActive, when set, is the busiest member's activity: an index
	// loaded with some members only (LoadCell) does not hold them all.
	topActive float64
	// keepMonths: cells also record their evidence month by month
	// (expertise_months.go).
	keepMonths bool
}

type expertArea struct {
	total float64 // sum of the decayed weights of every member's evidence
	fixed float64 // sum of the weights that never decay
	cells map[int64]*expertCell
}

// expertCell is one member's activity in one area.
type expertCell struct {
	w           float64 // decayed weight relative to the index's ref
	fixed       float64 // weight that never decays (tags)
	first, last time.Time
	kinds       []KindCount
	months      []monthBucket // only when the index keeps months
}

// maxExponent bounds the stored weights: past 2^maxExponent the index
// rescales to a later reference moment.
const maxExponent = 400

// rootArea holds every piece of evidence: the prior.
const rootArea = ""

// NewExpertIndex returns an empty index.
func NewExpertIndex(p ExpertiseParams) *ExpertIndex {
	return &ExpertIndex{p: p.withDefaults(), areas: map[string]*expertArea{}, active: map[int64]float64{}}
}

// activeExponent is like exponent for the activity half-life.
func (ix *ExpertIndex) activeExponent(t time.Time) float64 {
	return float64(t.Sub(ix.ref)) / float64(ix.p.ActiveHalfLife)
}

// exponent is the age of t after the reference moment, in half-lives.
func (ix *ExpertIndex) exponent(t time.Time) float64 {
	return float64(t.Sub(ix.ref)) / float64(ix.p.HalfLife)
}

// Add records one piece of evidence in every area it touched.
func (ix *ExpertIndex) Add(e Evidence) {
	if !ix.hasRef && e.Kind != KindTagged {
		ix.ref, ix.hasRef = e.At, true
	}
	if ix.exponent(e.At) > maxExponent || ix.activeExponent(e.At) > maxExponent {
		ix.rebase(e.At)
	}
	x := ix.exponent(e.At)
	w := kindWeight(e.Kind)
	var decayed, fixed, active float64
	if e.Kind == KindTagged {
		fixed = w
	} else {
		decayed = w * math.Exp2(x)
		active = w * math.Exp2(ix.activeExponent(e.At))
		ix.active[e.Member] += active
	}
	// An evidence touches a handful of areas: a slice on the stack finds
	// repeats without the map a call would allocate (a rebuild adds
	// millions of activities).
	var seenBuf [16]string
	seen := seenBuf[:0]
	credit := func(area string) {
		if slices.Contains(seen, area) {
			return
		}
		seen = append(seen, area)
		a := ix.areas[area]
		if a == nil {
			a = &expertArea{cells: map[int64]*expertCell{}}
			ix.areas[area] = a
		}
		c := a.cells[e.Member]
		if c == nil {
			c = &expertCell{}
			a.cells[e.Member] = c
		}
		a.total += decayed
		a.fixed += fixed
		c.w += decayed
		c.fixed += fixed
		// A tag has no date worth showing: the evidence line's dates are
		// those of the work.
		if e.Kind != KindTagged {
			if c.first.IsZero() || e.At.Before(c.first) {
				c.first = e.At
			}
			if e.At.After(c.last) {
				c.last = e.At
			}
		}
		k := slices.IndexFunc(c.kinds, func(x KindCount) bool { return x.Kind == e.Kind })
		if k < 0 {
			k = len(c.kinds)
			c.kinds = append(c.kinds, KindCount{e.Kind, 0})
		}
		c.kinds[k].N++
		if ix.keepMonths && e.Kind != KindTagged {
			a := 0.0
			if area == rootArea {
				a = active
			}
			c.addMonth(e.At, k, decayed, a)
		}
	}
	credit(rootArea)
	for _, p := range e.Paths {
		for _, a := range PathAreas(p) {
			credit(a)
		}
	}
	for _, t := range e.Topics {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			credit("topic:" + t)
		}
	}
}

// rebase moves the reference moment to t, rescaling every stored weight.
func (ix *ExpertIndex) rebase(t time.Time) {
	f := math.Exp2(-ix.exponent(t))
	fa := math.Exp2(-ix.activeExponent(t))
	for m := range ix.active {
		ix.active[m] *= fa
	}
	ix.ref = t
	for _, a := range ix.areas {
		a.total = 0
		for _, c := range a.cells {
			c.w *= f
			a.total += c.w
			for i := range c.months {
				c.months[i].w *= f
				c.months[i].active *= fa
			}
		}
	}
}

// PathAreas returns the areas a path lies in, shallowest first: each
// directory prefix with a trailing slash, then the path itself unless it
// names a directory (ends with "/"). "net/tls/conn.go" gives "net/",
// "net/tls/", "net/tls/conn.go".
func PathAreas(p string) []string {
	p = cleanPath(p)
	if p == "" {
		return nil
	}
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i+1])
		}
	}
	if !strings.HasSuffix(p, "/") {
		out = append(out, p)
	}
	return out
}

// cleanPath normalises a query or evidence path: forward slashes, no
// leading "./" or "/", no empty or "." segments; a trailing slash is kept.
func cleanPath(p string) string {
	p = strings.TrimSpace(strings.ReplaceAll(p, "\\", "/"))
	if p == "" {
		return ""
	}
	dir := strings.HasSuffix(p, "/")
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" || p == "." {
		return ""
	}
	if dir {
		p += "/"
	}
	return p
}

// candidate is a member's running score in one query, with what earned it.
type candidate struct {
	score float64
	fixed float64            // the part of score from evidence that never decays
	why   map[string]float64 // area -> contribution
}

// Rank answers a query from the evidence added so far, judged at q.Before
// (or q.Now when Before is zero). It does not filter by Before: an index is
// fed only the evidence it should answer from (RankExperts does that).
func (ix *ExpertIndex) Rank(q ExpertQuery) []Suggestion {
	now := q.Before
	if now.IsZero() {
		now = q.Now
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	if len(ix.areas) == 0 {
		return nil
	}
	// scale turns stored weights into weights as of now.
	scale := math.Exp2(-ix.exponent(now))
	if now.IsZero() {
		scale = 1
	}
	value := func(c *expertCell) float64 { return c.w*scale + c.fixed }
	total := func(a *expertArea) float64 { return a.total*scale + a.fixed }

	cands := map[int64]*candidate{}
	add := func(member int64, area string, v, fixedPart float64) {
		if v <= 0 || (q.Exclude != nil && q.Exclude(member)) {
			return
		}
		c := cands[member]
		if c == nil {
			c = &candidate{why: map[string]float64{}}
			cands[member] = c
		}
		c.score += v
		c.fixed += v * fixedPart
		c.why[area] += v
	}
	// creditArea spreads weight over an area's members by the mix of their
	// share and their activity relative to the area's busiest member.
	creditArea := func(area string, weight float64) bool {
		a := ix.areas[area]
		if a == nil {
			return false
		}
		tot := total(a)
		if tot <= 0 {
			return false
		}
		top := 0.0
		for _, c := range a.cells {
			top = max(top, value(c))
		}
		for m, c := range a.cells {
			v := value(c)
			add(m, area, weight*(ix.p.Share*v/tot+(1-ix.p.Share)*v/top), c.fixed/v)
		}
		return true
	}

	paths := make([]string, 0, len(q.Paths))
	for _, p := range q.Paths {
		if p = cleanPath(p); p != "" {
			paths = append(paths, p)
		}
	}
	words := make([]string, 0, len(q.Words))
	for _, w := range q.Words {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			words = append(words, w)
		}
	}
	if len(paths) == 0 && len(words) == 0 {
		return nil
	}
	matched := false
	if len(paths) > 0 {
		per := 1 / float64(len(paths))
		for _, p := range paths {
			areas := PathAreas(p)
			// A directory query is as deep as its files.
			for d, a := range areas {
				if ix.areas[a] == nil {
					continue
				}
				matched = creditArea(a, per*math.Pow(float64(d+1), ix.p.Depth)) || matched
			}
		}
	}
	for _, w := range words {
		per := 1 / float64(len(words))
		for _, a := range ix.wordAreas(w) {
			matched = creditArea(a, per) || matched
		}
	}
	if !matched {
		return nil
	}
	if ix.p.Prior > 0 {
		// Everyone found gets a little by how active they are overall, so
		// that among people who touched an area once the busy ones come
		// first. Only those found: a store answers from the rows of the
		// query's areas and of the members in them (LoadCell), and this
		// keeps that answer the same as the full index's.
		priorCandidates(ix.areas[rootArea], cands, value, total(ix.areas[rootArea]), ix.p, add)
	}

	out := make([]Suggestion, 0, len(cands))
	for m, c := range cands {
		out = append(out, Suggestion{Member: m, Score: c.score})
	}
	if ix.p.Active > 0 {
		// Scale by how active each member is now, relative to the busiest;
		// the common factor of the stored weights cancels in the ratio.
		// Tags given by hand are not scaled: they say someone knows an area
		// however quiet they are.
		top := ix.topActive
		if top <= 0 {
			for _, a := range ix.active {
				top = max(top, a)
			}
		}
		if top > 0 {
			for i := range out {
				m := out[i].Member
				f := cands[m].fixed
				out[i].Score = f + (out[i].Score-f)*math.Pow(activeFloor+ix.active[m]/top, ix.p.Active)
			}
		}
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Member, b.Member)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i].Evidence = ix.evidenceLines(out[i].Member, cands[out[i].Member].why)
	}
	return out
}

// priorCandidates credits the members already found with their share of
// all activity, mixed as creditArea mixes, the busiest of them as the top.
func priorCandidates(root *expertArea, cands map[int64]*candidate, value func(*expertCell) float64, tot float64,
	p ExpertiseParams, add func(int64, string, float64, float64)) {
	if root == nil || tot <= 0 {
		return
	}
	top := 0.0
	for m := range cands {
		if c := root.cells[m]; c != nil {
			top = max(top, value(c))
		}
	}
	if top <= 0 {
		return
	}
	for m := range cands {
		if c := root.cells[m]; c != nil {
			v := value(c)
			add(m, rootArea, p.Prior*(p.Share*v/tot+(1-p.Share)*v/top), c.fixed/v)
		}
	}
}

// wordAreas finds the areas a word names: the topic of that name and every
// path area whose last segment, without extension, is the word.
func (ix *ExpertIndex) wordAreas(w string) []string {
	var out []string
	if ix.areas["topic:"+w] != nil {
		out = append(out, "topic:"+w)
	}
	for a := range ix.areas {
		if a == rootArea || strings.HasPrefix(a, "topic:") {
			continue
		}
		seg := path.Base(strings.TrimSuffix(a, "/"))
		if i := strings.IndexByte(seg, '.'); i > 0 {
			seg = seg[:i]
		}
		if strings.EqualFold(seg, w) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// maxEvidenceLines bounds the lines shown per suggestion.
const maxEvidenceLines = 3

// evidenceLines explains a member's score: the areas that contributed most,
// deepest first on ties, each with counts and dates.
func (ix *ExpertIndex) evidenceLines(member int64, why map[string]float64) []string {
	type item struct {
		area string
		v    float64
	}
	items := make([]item, 0, len(why))
	for a, v := range why {
		if a == rootArea && len(why) > 1 {
			continue
		}
		items = append(items, item{a, v})
	}
	slices.SortFunc(items, func(x, y item) int {
		if c := cmp.Compare(y.v, x.v); c != 0 {
			return c
		}
		if c := cmp.Compare(len(y.area), len(x.area)); c != 0 {
			return c
		}
		return strings.Compare(x.area, y.area)
	})
	var lines []string
	for _, it := range items {
		if len(lines) == maxEvidenceLines {
			break
		}
		c := ix.areas[it.area].cells[member]
		lines = append(lines, evidenceLine(it.area, c))
	}
	return lines
}

// evidenceLine says what a member did in an area: "38 commits under
// engine/compaction/ since 2025-03, last 2026-11-02". The three most
// frequent kinds are named, the rest counted together.
func evidenceLine(area string, c *expertCell) string {
	kinds := make([]KindCount, 0, len(c.kinds))
	tagged := false
	for _, k := range c.kinds {
		if k.Kind == KindTagged {
			tagged = true
			continue
		}
		kinds = append(kinds, k)
	}
	slices.SortStableFunc(kinds, func(a, b KindCount) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	var counts []string
	rest := 0
	for i, k := range kinds {
		if i < maxEvidenceKinds {
			one, many := kindNouns(k.Kind)
			counts = append(counts, Plural(k.N, one, many))
		} else {
			rest += k.N
		}
	}
	list := strings.Join(counts, ", ")
	if rest > 0 {
		list += fmt.Sprintf(" and %d more", rest)
	}
	where := ""
	switch {
	case area == rootArea:
		where = "in all areas"
	case strings.HasPrefix(area, "topic:"):
		where = "on " + strings.TrimPrefix(area, "topic:")
	case strings.HasSuffix(area, "/"):
		where = "under " + area
	default:
		where = "to " + area
	}
	var parts []string
	if len(counts) > 0 && !c.last.IsZero() {
		s := list + " " + where
		if c.first.Format("2006-01") == c.last.Format("2006-01") {
			s += fmt.Sprintf(", %s", c.last.Format("2006-01-02"))
		} else {
			s += fmt.Sprintf(" since %s, last %s", c.first.Format("2006-01"), c.last.Format("2006-01-02"))
		}
		parts = append(parts, s)
	}
	if tagged {
		parts = append(parts, "tagged "+strings.TrimPrefix(where, "on ")+" by hand")
	}
	return CleanLine(strings.Join(parts, "; "))
}

// maxEvidenceKinds is how many kinds an evidence line names.
const maxEvidenceKinds = 3

// kindNouns names one and many of a kind of evidence.
func kindNouns(k Kind) (one, many string) {
	switch k {
	case KindPROpened:
		return "PR opened", "PRs opened"
	case KindPRMerged:
		return "PR merged", "PRs merged"
	case KindPRClosed:
		return "PR closed", "PRs closed"
	case KindMergedOther:
		return "merge of others' work", "merges of others' work"
	case KindIssueOpened:
		return "issue opened", "issues opened"
	case KindAcceptedAnswer:
		return "accepted answer", "accepted answers"
	case KindDocChange:
		return "doc change", "doc changes"
	case KindRSVP:
		return "RSVP", "RSVPs"
	}
	s := strings.ReplaceAll(string(k), "_", " ")
	if strings.HasSuffix(s, "s") {
		return s, s + "es"
	}
	return s, s + "s"
}
