package git

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

// sourceName is the Source of the identities and activities we emit.
const sourceName = "git"

// Sync reads the commits of the branch that are not yet stored and emits
// them in batches, newest first.
//
// git streams `git log` in its default order without first walking the
// whole history (which --reverse or --topo-order would make it do), so
// parsing and writing overlap with git's own work. The cursor has two forms:
//
//   - a commit id (after a complete run): every non-merge commit reachable
//     from it is stored;
//   - "partial TIP SINCE N" (after each batch of a run in progress): the
//     first N commits of `git log --no-merges TIP ^SINCE` are stored (SINCE
//     is "-" for none). git lists a given graph in the same order every
//     time, so a sync killed after any batch resumes by listing again and
//     skipping N, then continues from TIP as after a complete run.
//
// When the branch was rewritten (force-push), the commits reachable from
// the old cursor but not from the tip are reported in the first batch's
// RemovedActivities, with their co-author activities, and the commits
// reachable from the tip but not from the old cursor are emitted: the stored
// set becomes exactly the branch again, with no commit read twice. The
// identities credited with a vanished commit and still credited with one
// of the branch are sent again in the first batch, named as a first import
// of the branch would name them (names.go): a name taken in the vanished
// commits does not outlive them.
//
// When the .mailmap of the tip differs from the one the stored commits
// were mapped through (that of the cursor commit, or of the TIP of a
// partial cursor; blob ids compared, a missing file counting as empty), the
// stored commits may credit other identities than a first import of the tip
// would: a person whose canonical address swapped would stay split in two.
// Every commit reachable from the old cursor is then reported in a first
// batch of removals alone, with its co-author activities as named through
// the old .mailmap, and the whole branch is emitted again (mailmap.go).
// The check costs one git process when the cursor is not the tip. It reads
// the committed .mailmap: git log maps through the work tree's file (HEAD's
// in a bare repository), which is assumed to be the tip's, as after a pull;
// a change of a mailmap.file or mailmap.blob setting, which no commit
// records, is not detected.
//
// Limitation: when the old cursor commit no longer exists (garbage collected
// after a force-push, or the cursor belongs to another repository), the
// commits that disappeared with it cannot be listed. The whole branch is
// then emitted again (upserts are idempotent), but activities of vanished
// commits stay stored.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.sync(ctx, state, emit)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (s *Source) sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	tip, err := s.tip(ctx)
	if err != nil || tip == "" {
		return err
	}
	c := state.Cursor
	sameMailmap := "" // a commit whose .mailmap is known to be the tip's
	if part, ok := parsePartial(c); ok {
		// Finish the interrupted run up to the tip it was reading; then
		// go on from that tip like after a complete run.
		haveTip, err := s.haveCommit(ctx, part.tip)
		if err != nil {
			return err
		}
		haveSince := part.since == ""
		if !haveSince {
			if haveSince, err = s.haveCommit(ctx, part.since); err != nil {
				return err
			}
		}
		if !haveTip || !haveSince {
			c = part.since // gone: read again from what was complete
		} else {
			// The stored commits were mapped through the .mailmap of
			// the tip the interrupted run was reading.
			if part.tip != tip {
				changed, oldMailmap, err := s.mailmapChanged(ctx, part.tip, tip)
				if err != nil {
					return err
				}
				if changed {
					return s.remap(ctx, state, emit, part.tip, oldMailmap, tip)
				}
				sameMailmap = part.tip
			}
			r, err := s.newRun(state, emit, part.tip, part.since, nil)
			if err != nil {
				return err
			}
			r.skip = part.n
			if err := r.read(ctx); err != nil {
				return err
			}
			c = part.tip
		}
	}
	var since string
	var removed []string
	var renamed []model.Identity
	if c != "" {
		if c == tip {
			return nil
		}
		ok, err := s.haveCommit(ctx, c)
		if err != nil {
			return err
		}
		if ok && c != sameMailmap {
			changed, oldMailmap, err := s.mailmapChanged(ctx, c, tip)
			if err != nil {
				return err
			}
			if changed {
				return s.remap(ctx, state, emit, c, oldMailmap, tip)
			}
		}
		if ok {
			since = c
			code, err := s.exitCode(ctx, "merge-base", "--is-ancestor", c, tip)
			switch {
			case err != nil:
				return err
			case code == 1:
				var lost []string
				if removed, lost, err = s.removed(ctx, c, tip); err != nil {
					return err
				}
				if renamed, err = s.names(ctx, tip, lost); err != nil {
					return err
				}
			case code != 0:
				return fmt.Errorf("%s: git merge-base failed with status %d", s.dir, code)
			}
		}
	}
	r, err := s.newRun(state, emit, tip, since, removed)
	if err != nil {
		return err
	}
	r.renamed = renamed
	for _, ident := range renamed {
		r.fixed[ident.ExternalID] = ident
	}
	return r.read(ctx)
}

// run is one Sync: the commits read but not yet emitted, and what the run
// has learnt so far.
type run struct {
	s       *Source
	state   connector.SyncState
	emit    func(connector.Batch) error
	tip     string
	since   string   // "" for a first sync: the whole branch
	skip    int      // commits of the listing already stored by a killed run
	removed []string // reported with the first batch
	// renamed are the identities that lost commits to a rewrite, named as
	// a first import of the branch would name them (names.go): all are
	// sent with the first batch, and fixed holds them by id for every
	// batch that credits them, whatever name the commits give. A later
	// batch must send the name again: the first batch's removals drop an
	// identity whose remaining commits all come in later batches, and the
	// batch that credits it again creates it anew.
	renamed []model.Identity
	fixed   map[string]model.Identity
	topics  *topicMatcher
	mailmap map[contact]contact // co-author as written → after .mailmap
	bots    map[string]bool     // identity id → bot
	// named holds the identities whose name this run has sent. Commits come
	// newest first, so the first name met is the newest; later batches
	// send none (an empty name keeps the stored one).
	named   map[string]bool
	pending []commit
	done    int
	total   chan int
	known   int  // total once the count has arrived, else 0
	queued  bool // a batch was handed to the writer
}

func (s *Source) newRun(state connector.SyncState, emit func(connector.Batch) error, tip, since string, removed []string) (*run, error) {
	topics, err := newTopicMatcher(s.rules)
	if err != nil {
		return nil, err
	}
	return &run{
		s: s, state: state, emit: emit, tip: tip, since: since, removed: removed, topics: topics,
		mailmap: map[contact]contact{}, bots: map[string]bool{}, named: map[string]bool{},
		fixed:   map[string]model.Identity{},
		pending: make([]commit, 0, min(s.batch, 1024)),
	}, nil
}

// read streams `git log` over the commits of tip after since (all when
// since is empty), skips the first r.skip, and emits the rest in batches.
func (r *run) read(ctx context.Context) error {
	s := r.s
	ctx, cancel := context.WithCancel(ctx) // also stops the count below
	defer cancel()
	revs := []string{r.tip}
	if r.since != "" {
		revs = append(revs, "^"+r.since)
	}
	r.done = r.skip
	if r.state.Progress != nil && (r.since != "" || s.hasCommitGraph()) {
		// The count runs concurrently with the log, and only when it is
		// cheap: over the new commits of an incremental sync, or with a
		// commit-graph (20,000 commits: 10 ms). Without one, counting a
		// whole history costs about 15% of the log itself, in CPU time
		// that a loaded machine takes from the sync; the first sync then
		// reports progress with an unknown total.
		r.total = make(chan int, 1)
		go func() {
			out, err := s.output(ctx, nil, append([]string{"rev-list", "--count", "--no-merges", "--end-of-options"}, revs...)...)
			n, _ := strconv.Atoi(out)
			if err != nil {
				n = 0
			}
			r.total <- n
		}()
	}

	args := append([]string{
		"log", "--no-merges", "-z", "--name-only",
		"--no-renames", "--root", "--no-color", "--no-show-signature", logFormat,
		"--end-of-options",
	}, revs...)
	// The reader goroutine (this one) only parses; batches are built and
	// written on the pipeline's goroutine, which alone touches the run's
	// mailmap, bot and name caches once the first batch is handed over.
	p := startPipeline(ctx, r.write)
	n, skipped := 0, 0
	err := s.streamLog(p.ctx, r.topics, args, func(c *commit) error {
		if skipped < r.skip {
			// Stored by the killed run, newer than what follows: its
			// author's name is already the newest one.
			skipped++
			r.named[identityID(c.name, c.email)] = true
			return nil
		}
		if len(r.pending) >= s.batch {
			if err := r.handOff(p, false); err != nil {
				return err
			}
		}
		r.pending = append(r.pending, *c)
		if n++; r.state.Progress != nil && n%1000 == 0 {
			r.progress(r.done+len(r.pending), false)
		}
		return nil
	})
	if err == nil {
		err = r.handOff(p, true)
	}
	writeErr := p.finish()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case writeErr != nil:
		return writeErr // it also explains a read stopped by p.ctx
	}
	if err == nil && r.state.Progress != nil {
		r.progress(r.done, true)
	}
	return err
}

// handOff queues the pending commits as one batch. The final batch of a
// run is sent even when empty if nothing was sent yet, so that the cursor
// moves past merges and rewrites. Progress counts commits handed over.
func (r *run) handOff(p *pipeline, final bool) error {
	if len(r.pending) == 0 && (!final || r.queued) {
		return nil
	}
	c := chunk{commits: r.pending, final: final}
	c.cursor = partial{tip: r.tip, since: r.since, n: r.done + len(r.pending)}.String()
	if final {
		c.cursor = r.tip
	}
	if err := p.send(c); err != nil {
		return err
	}
	r.queued = true
	r.done += len(r.pending)
	r.pending = make([]commit, 0, cap(r.pending)) // the writer owns the old one
	if r.state.Progress != nil && !final {
		r.progress(r.done, false)
	}
	return nil
}

// progress reports done commits, with the total once the count has
// arrived; wait (at the end of the run) waits for a count still running.
func (r *run) progress(done int, wait bool) {
	if r.total != nil {
		if wait {
			r.known, r.total = <-r.total, nil
		} else {
			select {
			case r.known = <-r.total:
				r.total = nil
			default:
			}
		}
	}
	r.state.Progress(done, r.known, "commits")
}

// write builds the batch of a chunk and emits it. It runs on the
// pipeline's goroutine.
func (r *run) write(ctx context.Context, ch chunk) error {
	if err := r.mapCoauthors(ctx, ch.commits); err != nil {
		return err
	}
	b := connector.Batch{
		Activities:        make([]model.Activity, 0, len(ch.commits)),
		RemovedActivities: r.removed,
		Items:             len(ch.commits),
	}
	ids := map[string]int{} // identity id → index in b.Identities
	seen := make([]int64, 0, 64)
	naming := make([]bool, 0, 64) // this batch's commits give the identity's name
	add := func(ident model.Identity, at int64, names bool) {
		ids[ident.ExternalID] = len(b.Identities)
		b.Identities = append(b.Identities, ident)
		seen = append(seen, at)
		naming = append(naming, names)
	}
	for _, ident := range r.renamed {
		add(ident, 0, false)
	}
	r.renamed = nil
	credit := func(name, email string, at int64) string {
		id := identityID(name, email)
		if i, ok := ids[id]; ok {
			if naming[i] && renames(name, at, seen[i]) {
				b.Identities[i].Name, seen[i] = model.CleanLine(name), at
			}
			return id
		}
		if ident, ok := r.fixed[id]; ok {
			add(ident, at, false)
			return id
		}
		bot, known := r.bots[id]
		if !known {
			bot = r.s.bots.IsBot("", name, email)
			r.bots[id] = bot
		}
		ident := model.Identity{Source: sourceName, ExternalID: id, Email: strings.ToLower(email), Bot: bot}
		names := !r.named[id]
		if names {
			ident.Name = model.CleanLine(name)
			r.named[id] = true
		}
		add(ident, at, names)
		return id
	}
	for i := range ch.commits {
		c := &ch.commits[i]
		kind := model.KindCommit
		if c.docsOnly {
			kind = model.KindDocChange
		}
		at := time.Unix(c.at, 0).UTC()
		title := model.CleanLine(c.subject)
		actor := credit(c.name, c.email, c.at)
		b.Activities = append(b.Activities, model.Activity{
			Source: sourceName, ExternalID: c.sha, Actor: actor, Kind: kind,
			At: at, Channel: r.s.channel, Title: title, Topics: c.topics, Paths: c.paths,
		})
		for _, co := range r.coauthorIDs(c, actor) {
			m := r.mailmap[co]
			id := credit(m.name, m.email, c.at)
			b.Activities = append(b.Activities, model.Activity{
				Source: sourceName, ExternalID: c.sha + ":" + id, Actor: id, Kind: kind,
				At: at, Channel: r.s.channel, Title: title, Topics: c.topics, Paths: c.paths,
			})
		}
	}
	b.Cursor = ch.cursor
	if err := r.emit(b); err != nil {
		return err
	}
	r.removed = nil
	return nil
}

// coauthorIDs returns the co-authors of c to credit, as written in the
// trailers: one per person after .mailmap, and never the author again.
func (r *run) coauthorIDs(c *commit, author string) []contact {
	var out []contact
	var ids []string
	for _, co := range c.coauthors {
		m := r.mailmap[co]
		id := identityID(m.name, m.email)
		if id == author || contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		out = append(out, co)
	}
	return out
}

// identityID is the ExternalID of a git identity: the lower-cased e-mail,
// or the lower-cased name for the rare commit without an address.
func identityID(name, email string) string {
	if email != "" {
		return strings.ToLower(email)
	}
	return strings.ToLower(name)
}

// mapCoauthors resolves the co-authors of commits through .mailmap, which
// git log applies to authors but not to trailers: all the addresses not
// seen before go to one `git check-mailmap --stdin`.
func (r *run) mapCoauthors(ctx context.Context, commits []commit) error {
	var ask []contact
	var in strings.Builder
	for i := range commits {
		for _, co := range commits[i].coauthors {
			if _, ok := r.mailmap[co]; ok {
				continue
			}
			r.mailmap[co] = co // placeholder, replaced below; also dedups ask
			ask = append(ask, co)
			in.WriteString(co.String())
			in.WriteByte('\n')
		}
	}
	if len(ask) == 0 {
		return nil
	}
	out, err := r.s.output(ctx, []byte(in.String()), "check-mailmap", "--stdin")
	if err != nil {
		return fmt.Errorf("%s: %w", r.s.dir, err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != len(ask) {
		return fmt.Errorf("%s: git check-mailmap answered %d lines for %d contacts", r.s.dir, len(lines), len(ask))
	}
	for i, line := range lines {
		m, ok := parseContact(line)
		if !ok {
			// "<email>" alone, when the contact had no name
			if m, ok = parseContact("x " + line); ok {
				m.name = ""
			}
		}
		if ok {
			r.mailmap[ask[i]] = m
		}
	}
	return nil
}

// renames reports whether a later commit of a batch, credited to an
// identity under name at time at, replaces the name the batch gives it,
// last set from a commit at seen: the name most recently used wins, since
// people change names. The first commit of the batch that credits the
// identity names it regardless. names (names.go) follows the same rule.
func renames(name string, at, seen int64) bool {
	return name != "" && at > seen
}

// streamLog runs one `git log` with logFormat and calls each for every
// commit as it is read. When ctx is cancelled or each fails, git is killed
// rather than left blocked on a full pipe. Errors name the repository;
// cancellation is returned as ctx.Err() itself.
func (s *Source) streamLog(ctx context.Context, topics *topicMatcher, args []string, each func(*commit) error) error {
	gitCtx, kill := context.WithCancel(ctx)
	defer kill()
	cmd := command(gitCtx, s.git, s.workDir(), s.env, args...)
	stderr := &limitedBuffer{max: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("%s: git log: %w", s.dir, err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: git log: %w", s.dir, err)
	}
	lr := newLogReader(stdout, topics)
	var readErr error
	for n := 0; ; n++ {
		if n&255 == 0 {
			if readErr = ctx.Err(); readErr != nil {
				break
			}
		}
		var c commit
		if readErr = lr.next(&c); readErr != nil {
			if readErr == io.EOF {
				readErr = nil
			} else {
				readErr = fmt.Errorf("git log: %w", readErr)
			}
			break
		}
		if readErr = each(&c); readErr != nil {
			break
		}
	}
	if readErr != nil {
		kill()
	}
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("%s: %w", s.dir, readErr)
	}
	if waitErr != nil {
		return fmt.Errorf("%s: %w", s.dir, gitError("log", waitErr, stderr.buf.Bytes()))
	}
	return nil
}
