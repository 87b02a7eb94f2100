package git

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hearth/data/connector"
)

// A .mailmap decides which identity a commit credits: git log maps authors
// through it and mapCoauthors maps co-authors. When the .mailmap of the tip
// differs from the one the stored commits were mapped through, those
// commits may credit other identities than a first import of the tip would,
// and emitting only the new commits cannot fix them. Sync then rewrites the
// whole branch (remap).

// mailmapIDs returns the object id of the .mailmap of each commit, "" for
// a commit without one (or where it is not a file, which git ignores), in
// one git process. The commits must exist.
func (s *Source) mailmapIDs(ctx context.Context, commits ...string) ([]string, error) {
	var in strings.Builder
	for _, c := range commits {
		in.WriteString(c + ":.mailmap\n")
	}
	out, err := s.output(ctx, []byte(in.String()), "cat-file", "--batch-check=%(objecttype) %(objectname)")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.dir, err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != len(commits) {
		return nil, fmt.Errorf("%s: git cat-file answered %d lines for %d objects", s.dir, len(lines), len(commits))
	}
	ids := make([]string, len(commits))
	for i, line := range lines {
		kind, id, _ := strings.Cut(line, " ")
		switch {
		case kind == "blob":
			ids[i] = id
		case kind == "tree", strings.HasSuffix(line, " missing"):
		default:
			return nil, fmt.Errorf("%s: git cat-file: %s", s.dir, line)
		}
	}
	return ids, nil
}

// mailmapChanged reports whether the .mailmap of tip differs from that of
// old, the commit whose .mailmap mapped the stored commits, and returns the
// object id of old's ("" for none).
func (s *Source) mailmapChanged(ctx context.Context, old, tip string) (changed bool, oldID string, err error) {
	ids, err := s.mailmapIDs(ctx, old, tip)
	if err != nil {
		return false, "", err
	}
	return ids[0] != ids[1], ids[0], nil
}

// withMailmap returns a copy of s whose git processes map identities
// through the .mailmap blob (none when "") where s's use the work tree's
// .mailmap (or, in a bare repository, HEAD's), and a function that removes
// the directory it needs. The copy runs git in an empty work tree holding
// only that file, with the same git directory and configuration: a
// mailmap.file or mailmap.blob set in the configuration applies to both.
func (s *Source) withMailmap(ctx context.Context, blob string) (*Source, func(), error) {
	tmp, err := os.MkdirTemp("", "hearth-mailmap-")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.dir, err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	if blob != "" {
		content, err := s.output(ctx, nil, "cat-file", "blob", blob)
		if err == nil {
			err = os.WriteFile(filepath.Join(tmp, ".mailmap"), []byte(content+"\n"), 0o600)
		}
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("%s: %w", s.dir, err)
		}
	}
	o := *s
	o.cwd = tmp
	o.env = append(slices.Clip(s.env), "GIT_DIR="+s.gitDir, "GIT_WORK_TREE="+tmp)
	return &o, cleanup, nil
}

// remap rewrites the stored history after a .mailmap change: a first
// batch without commits removes every commit reachable from old (what a
// complete or partial cursor at old can have stored), with the co-author
// activities named through old's .mailmap (oldMailmap) as they were
// stored; then the whole branch at tip is emitted as in a first import.
//
// The removals must come alone: the engine applies them after the batch's
// activities, and the branch's commits keep their ids. Their batch's
// cursor says that none of `git log tip` is stored, so a run killed after
// it resumes as a first import of tip, without the old cursor.
func (s *Source) remap(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error, old, oldMailmap, tip string) error {
	o, cleanup, err := s.withMailmap(ctx, oldMailmap)
	if err != nil {
		return err
	}
	removed, _, err := o.removed(ctx, old, "")
	cleanup()
	if err != nil {
		return err
	}
	if err := emit(connector.Batch{RemovedActivities: removed, Cursor: partial{tip: tip}.String()}); err != nil {
		return err
	}
	r, err := s.newRun(state, emit, tip, "", nil)
	if err != nil {
		return err
	}
	return r.read(ctx)
}
