// Package git syncs the commits of a local git repository (a working tree
// or a bare clone) into hearth: every non-merge commit of one branch becomes
// an activity of its author and of each co-author, and every author e-mail an
// identity.
//
// It runs the git command rather than reading objects itself, so that
// .mailmap, packs, commit-graphs, alternates and future repository formats
// all behave exactly as they do for `git log`. One `git log` process streams
// the whole history; nothing runs once per commit.
package git

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"hearth/data/connector"
	"hearth/model"
)

// Options tune a git source. The zero value reads the default branch with
// the default topic rules and the built-in bot conventions.
type Options struct {
	// Branch to read. Empty means the repository's default branch: HEAD of
	// a bare clone, origin/HEAD when the clone has one, else the current
	// HEAD.
	Branch string
	// DisplayName names the repository in hearth (the activities' channel);
	// empty means the directory name without ".git".
	DisplayName string
	// Bots are extra patterns that mark an author as a bot, in the syntax
	// of model.NewBotMatcher (the config file's bots): regular expressions,
	// matched ignoring case against the name and the e-mail.
	Bots []string
	// Topics map paths to topics; nil means DefaultTopics().
	Topics []TopicRule
	// BatchSize is how many commits go in one batch; 0 means 5,000.
	BatchSize int
}

// DefaultBatchSize is the number of commits per batch when Options leaves it
// unset: large enough that per-transaction costs vanish, small enough that a
// killed sync loses little work.
const DefaultBatchSize = 5000

// Source is a git repository as a sync source. It is safe to Sync the same
// Source from one goroutine at a time.
type Source struct {
	git     string   // the git executable
	dir     string   // the top of the work tree, or the git directory of a bare clone
	env     []string // environment of every git process
	bare    bool
	branch  string // the revision read, e.g. "HEAD" or "refs/remotes/origin/HEAD"
	chosen  bool   // the branch was named by the user, so it must exist
	channel string
	rules   []TopicRule
	bots    *model.BotMatcher
	batch   int
	// objectsInfo is the objects/info directory, where a commit-graph
	// makes counting commits almost free.
	objectsInfo string
	// gitDir is the absolute git directory; cwd, when set, is where git
	// runs instead of dir (withMailmap).
	gitDir, cwd string
}

var _ connector.Source = (*Source)(nil)

// New opens the repository at path. It fails with one clear line when git
// is missing, the path is not a repository, or an option is invalid.
func New(path string, opts Options) (*Source, error) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New("git is not installed")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a git repository", abs)
	}
	s := &Source{git: gitPath, dir: abs, env: repoEnv(), batch: opts.BatchSize}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.rules = opts.Topics; s.rules == nil {
		s.rules = DefaultTopics()
	}
	if _, err := newTopicMatcher(s.rules); err != nil {
		return nil, err
	}
	if s.bots, err = model.NewBotMatcher(opts.Bots); err != nil {
		return nil, err
	}

	ctx := context.Background()
	out, err := s.output(ctx, nil, "rev-parse", "--is-bare-repository", "--absolute-git-dir", "--git-path", "objects/info")
	if err != nil {
		if strings.Contains(err.Error(), "not a git repository") {
			return nil, fmt.Errorf("%s: not a git repository", abs)
		}
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("%s: unexpected git rev-parse output %q", abs, out)
	}
	s.bare = lines[0] == "true"
	s.gitDir = lines[1]
	if s.objectsInfo = lines[2]; !filepath.IsAbs(s.objectsInfo) {
		s.objectsInfo = filepath.Join(abs, s.objectsInfo)
	}
	if s.bare {
		s.dir = lines[1]
	} else {
		top, err := s.output(ctx, nil, "rev-parse", "--show-toplevel")
		if err != nil {
			// Given the .git directory of a work tree: read the work tree,
			// where git finds the .mailmap.
			if filepath.Base(lines[1]) == ".git" && filepath.Clean(abs) == lines[1] {
				return New(filepath.Dir(lines[1]), opts)
			}
			return nil, fmt.Errorf("%s: %w", abs, err)
		}
		s.dir = top
	}
	s.channel = opts.DisplayName
	if s.channel == "" {
		s.channel = strings.TrimSuffix(filepath.Base(s.dir), ".git")
		if s.channel == "" || s.channel == "." { // a bare repository named just ".git"
			s.channel = filepath.Base(filepath.Dir(s.dir))
		}
	}

	switch {
	case opts.Branch != "":
		if strings.HasPrefix(opts.Branch, "-") {
			return nil, fmt.Errorf("%s: invalid branch %q", abs, opts.Branch)
		}
		s.branch, s.chosen = opts.Branch, true
		if _, err := s.tip(ctx); err != nil {
			return nil, err
		}
	case s.bare:
		s.branch = "HEAD"
	default:
		// A clone's idea of the default branch is origin/HEAD; the local HEAD
		// may be any topic branch someone has checked out.
		s.branch = "HEAD"
		if code, err := s.exitCode(ctx, "rev-parse", "-q", "--verify", "refs/remotes/origin/HEAD^{commit}"); err == nil && code == 0 {
			s.branch = "refs/remotes/origin/HEAD"
		}
	}
	return s, nil
}

// Name is "git:" and the absolute path of the repository.
func (s *Source) Name() string { return "git:" + s.dir }

// Channel is the repository name the activities carry.
func (s *Source) Channel() string { return s.channel }

// Branch is the revision the source reads.
func (s *Source) Branch() string { return s.branch }

// tip resolves the branch to a commit id. An unborn default branch (a
// repository without commits) is "" and no error: there is nothing to sync.
func (s *Source) tip(ctx context.Context) (string, error) {
	out, err := s.output(ctx, nil, "rev-parse", "-q", "--verify", s.branch+"^{commit}")
	if err == nil {
		return out, nil
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if s.chosen {
		return "", fmt.Errorf("%s: branch %s not found", s.dir, s.branch)
	}
	if any, err := s.output(ctx, nil, "rev-list", "-n1", "--all"); err != nil || any != "" {
		return "", fmt.Errorf("%s: %s does not name a commit", s.dir, s.branch)
	}
	return "", nil
}

// hasCommitGraph reports whether the repository has a commit-graph file,
// with which git walks history without opening commit objects.
func (s *Source) hasCommitGraph() bool {
	for _, name := range []string{"commit-graph", "commit-graphs/commit-graph-chain"} {
		if _, err := os.Stat(filepath.Join(s.objectsInfo, name)); err == nil {
			return true
		}
	}
	return false
}
