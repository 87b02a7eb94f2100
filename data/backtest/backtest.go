// Package backtest measures the expertise ranking against a real git
// history: it holds out the most recent commits and, for each one whose
// author had committed before, asks who knows the paths it touched as of the
// moment before it, from the commits strictly earlier only. A hit is the
// author in the top k. A baseline that ranks people by their number of
// commits in the year before runs on the same questions.
//
// Run it on a repository (a bare git directory works) with
//
//	HEARTH_BACKTEST_REPO=/path/to/repo go test ./data/backtest/ -run TestBacktest -v
//
// HEARTH_BACKTEST_HOLDOUT sets how many recent commits to hold out (2000 by
// default; a value ending in % is a share of the history).
package backtest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/model"
)

// Commit is one non-merge commit: who wrote it (after .mailmap), when it
// was committed, and the paths it touched.
type Commit struct {
	Author string // "Name <email>"
	At     time.Time
	Paths  []string
}

// logFormat starts each commit with a record separator, then author and
// committer time separated by a unit separator; --name-only lists the paths
// on the following lines.
const logFormat = "%x1e%aN <%aE>%x1f%ct"

// ReadGit reads the non-merge history of the repository at dir (a work
// tree or a bare git directory), oldest first, respecting its .mailmap.
func ReadGit(ctx context.Context, dir string) ([]Commit, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "-c", "core.quotePath=false",
		"log", "--no-merges", "--use-mailmap", "--reverse", "--name-only", "--format="+logFormat)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git log %s: %w", dir, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git log %s: %w", dir, err)
	}
	commits, perr := ParseLog(out)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git log %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	if perr != nil {
		return nil, fmt.Errorf("git log %s: %w", dir, perr)
	}
	return commits, nil
}

// ParseLog parses the output of git log with logFormat and --name-only.
func ParseLog(r io.Reader) ([]Commit, error) {
	var commits []Commit
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if head, ok := strings.CutPrefix(line, "\x1e"); ok {
			author, ts, ok := strings.Cut(head, "\x1f")
			if !ok {
				return nil, fmt.Errorf("malformed commit header %q", head)
			}
			sec, err := strconv.ParseInt(ts, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("malformed commit time %q", ts)
			}
			commits = append(commits, Commit{Author: author, At: time.Unix(sec, 0).UTC()})
			continue
		}
		if line == "" {
			continue
		}
		if len(commits) == 0 {
			return nil, fmt.Errorf("path %q before any commit", line)
		}
		c := &commits[len(commits)-1]
		c.Paths = append(c.Paths, line)
	}
	return commits, sc.Err()
}

// Options set up a back-test.
type Options struct {
	Holdout int                   // how many of the most recent commits to ask about
	Params  model.ExpertiseParams // the ranking's parameters
}

// Score is one ranker's result.
type Score struct {
	Name              string
	Top1, Top5, Top10 float64 // share of questions with the author in the top k
	MRR               float64 // mean reciprocal rank of the author (0 beyond rank mrrDepth)
	top1, top5, top10 int
	rr                float64
}

// mrrDepth is how deep the reciprocal rank looks; below it a miss counts 0.
const mrrDepth = 50

func (s *Score) record(rank int) {
	if rank < 1 {
		return
	}
	if rank <= 1 {
		s.top1++
	}
	if rank <= 5 {
		s.top5++
	}
	if rank <= 10 {
		s.top10++
	}
	s.rr += 1 / float64(rank)
}

func (s *Score) finish(n int) {
	if n == 0 {
		return
	}
	f := float64(n)
	s.Top1, s.Top5, s.Top10, s.MRR = float64(s.top1)/f, float64(s.top5)/f, float64(s.top10)/f, s.rr/f
}

// Result is the outcome of a back-test.
type Result struct {
	Commits   int // commits in the history
	Held      int // commits held out
	Questions int // held-out commits whose author had committed before
	Model     Score
	Baseline  Score
}

// Table renders the result as a Markdown table.
func (r Result) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d commits, %d held out, %d questions (author seen before)\n\n", r.Commits, r.Held, r.Questions)
	b.WriteString("| ranker | top-1 | top-5 | top-10 | MRR |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, s := range []Score{r.Model, r.Baseline} {
		fmt.Fprintf(&b, "| %s | %.1f%% | %.1f%% | %.1f%% | %.3f |\n", s.Name, 100*s.Top1, 100*s.Top5, 100*s.Top10, s.MRR)
	}
	return b.String()
}

// Run back-tests the ranking on commits (any order; they are sorted by
// commit time, stably). For each held-out commit the index holds exactly the
// commits with an earlier commit time, and the question is asked as of the
// held-out commit's time: nothing at or after it is ever used.
func Run(commits []Commit, opt Options) Result {
	commits = slices.Clone(commits)
	slices.SortStableFunc(commits, func(a, b Commit) int { return a.At.Compare(b.At) })
	res := Result{Commits: len(commits)}
	res.Model.Name, res.Baseline.Name = "expertise", "commits in the last year"
	held := min(max(opt.Holdout, 0), len(commits))
	res.Held = held
	start := len(commits) - held

	ids := map[string]int64{}
	id := func(author string) int64 {
		v, ok := ids[author]
		if !ok {
			v = int64(len(ids) + 1)
			ids[author] = v
		}
		return v
	}
	ix := model.NewExpertIndex(opt.Params)
	seen := map[int64]bool{}
	base := newYearCounts()
	added := 0
	for i := start; i < len(commits); i++ {
		q := commits[i]
		for added < len(commits) && commits[added].At.Before(q.At) {
			c := commits[added]
			m := id(c.Author)
			ix.Add(model.Evidence{Member: m, At: c.At, Kind: model.KindCommit, Paths: c.Paths})
			base.add(m, c.At)
			seen[m] = true
			added++
		}
		author := id(q.Author)
		if !seen[author] || len(q.Paths) == 0 {
			continue
		}
		res.Questions++
		got := ix.Rank(model.ExpertQuery{Paths: q.Paths, Before: q.At, Limit: mrrDepth})
		res.Model.record(rankOf(author, got))
		res.Baseline.record(base.rank(author, q.At))
	}
	res.Model.finish(res.Questions)
	res.Baseline.finish(res.Questions)
	return res
}

func rankOf(member int64, ranked []model.Suggestion) int {
	for i, s := range ranked {
		if s.Member == member {
			return i + 1
		}
	}
	return 0
}

// yearCounts is the baseline: commits per author in the year before a
// moment, ties broken by the more recent commit, then by who came first.
type yearCounts struct {
	log  []yearEntry // every commit added, in time order
	tail int         // log[tail:] is inside the window
	n    map[int64]int
	last map[int64]time.Time
}

type yearEntry struct {
	member int64
	at     time.Time
}

func newYearCounts() *yearCounts {
	return &yearCounts{n: map[int64]int{}, last: map[int64]time.Time{}}
}

func (y *yearCounts) add(m int64, at time.Time) {
	y.log = append(y.log, yearEntry{m, at})
	y.n[m]++
	if at.After(y.last[m]) {
		y.last[m] = at
	}
}

// rank returns member's rank by commits in the year before now, or 0 when
// below mrrDepth or absent.
func (y *yearCounts) rank(member int64, now time.Time) int {
	from := now.AddDate(-1, 0, 0)
	for y.tail < len(y.log) && y.log[y.tail].at.Before(from) {
		e := y.log[y.tail]
		if y.n[e.member]--; y.n[e.member] == 0 {
			delete(y.n, e.member)
		}
		y.tail++
	}
	mine, ok := y.n[member]
	if !ok {
		return 0
	}
	rank := 1
	for m, n := range y.n {
		if m == member {
			continue
		}
		if c := cmp.Compare(n, mine); c > 0 || c == 0 && (y.last[m].After(y.last[member]) || y.last[m].Equal(y.last[member]) && m < member) {
			rank++
		}
	}
	if rank > mrrDepth {
		return 0
	}
	return rank
}
