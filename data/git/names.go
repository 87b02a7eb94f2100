package git

import (
	"context"
	"errors"
	"strings"

	"hearth/model"
)

// names returns the identities ids as a first import of the branch at tip
// would send them: the ones still credited with a commit of the branch,
// named by the rule of run.write. A rewrite calls it for the identities
// that lost commits, whose stored name may have come from one of them.
//
// A first import names an identity in the first batch that credits it:
// batches hold s.batch commits of `git log --no-merges tip`, newest
// first; in that batch the first commit crediting the identity names it,
// and a later one with a non-empty name and a newer author date replaces
// it (renames). Its bot flag is decided on the first commit met. names
// reproduces this with one `git log` of the branch (without paths, the
// costly part of a sync's log), cut into the same batches, and stops at
// the end of the batch in which the last of ids was met: identities that
// lost recent commits usually still have recent ones, so the pass reads
// little of a long history whatever the number of identities. Only an
// identity left without any commit makes it read the whole branch: on the
// synthetic 20,000-commit history of the benchmarks, 0.36 of the time of
// the `git log --name-only` a first sync runs
// (BenchmarkNamesWholeBranchRatio).
func (s *Source) names(ctx context.Context, tip string, ids []string) ([]model.Identity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	type found struct {
		ident model.Identity
		batch int // the batch that names it; 0 until met
		at    int64
	}
	want := make(map[string]*found, len(ids))
	for _, id := range ids {
		want[id] = &found{}
	}
	left := len(ids)
	batch := 0
	credit := func(name, email string, at int64) {
		id := identityID(name, email)
		f := want[id]
		switch {
		case f == nil:
		case f.batch == 0:
			f.batch, f.at = batch, at
			f.ident = model.Identity{Source: sourceName, ExternalID: id, Email: strings.ToLower(email),
				Name: model.CleanLine(name), Bot: s.bots.IsBot("", name, email)}
			left--
		case f.batch == batch && renames(name, at, f.at):
			f.ident.Name, f.at = model.CleanLine(name), at
		}
	}

	errDone := errors.New("all identities named")
	r := &run{s: s, mailmap: map[contact]contact{}} // for mapCoauthors
	chunk := make([]commit, 0, min(s.batch, 1024))
	flush := func() error {
		if err := r.mapCoauthors(ctx, chunk); err != nil {
			return err
		}
		batch++
		for i := range chunk {
			c := &chunk[i]
			author := identityID(c.name, c.email)
			credit(c.name, c.email, c.at)
			for _, co := range r.coauthorIDs(c, author) {
				m := r.mailmap[co]
				credit(m.name, m.email, c.at)
			}
		}
		chunk = chunk[:0]
		if left == 0 {
			return errDone
		}
		return nil
	}
	args := []string{"log", "--no-merges", "-z", "--no-color", "--no-show-signature",
		logFormat, "--end-of-options", tip}
	err := s.streamLog(ctx, nil, args, func(c *commit) error {
		c.subject = "" // not needed; the chunk keeps only what names need
		chunk = append(chunk, *c)
		if len(chunk) == s.batch {
			return flush()
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		err = flush()
	}
	if err != nil && !errors.Is(err, errDone) {
		return nil, err
	}
	out := make([]model.Identity, 0, len(ids)-left)
	for _, id := range ids {
		if f := want[id]; f.batch != 0 {
			out = append(out, f.ident)
		}
	}
	return out, nil
}
