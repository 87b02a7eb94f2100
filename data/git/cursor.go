package git

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The cursors of the git connector: a commit id after a complete run, or
// a partial cursor while a run is in progress (see Sync).

// partial is the cursor of a run in progress: the first n commits of
// `git log --no-merges tip ^since` are stored.
type partial struct {
	tip, since string
	n          int
}

const partialPrefix = "partial "

func (p partial) String() string {
	since := p.since
	if since == "" {
		since = "-"
	}
	return fmt.Sprintf("%s%s %s %d", partialPrefix, p.tip, since, p.n)
}

// parsePartial reads a partial cursor; ok is false for anything else.
// Commit ids in it are checked by haveCommit before git sees them.
func parsePartial(c string) (p partial, ok bool) {
	f := strings.Fields(strings.TrimPrefix(c, partialPrefix))
	if !strings.HasPrefix(c, partialPrefix) || len(f) != 3 {
		return p, false
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 0 {
		return p, false
	}
	p = partial{tip: f[0], since: f[1], n: n}
	if p.since == "-" {
		p.since = ""
	}
	return p, true
}

// haveCommit reports whether id names an existing commit. Anything but a
// full hexadecimal object id is treated as gone: a cursor is never passed to
// git unless it is one, so it cannot be read as an option or a revision
// expression.
func (s *Source) haveCommit(ctx context.Context, id string) (bool, error) {
	if len(id) != 40 && len(id) != 64 {
		return false, nil
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false, nil
		}
	}
	code, err := s.exitCode(ctx, "cat-file", "-e", id+"^{commit}")
	return err == nil && code == 0, err
}
