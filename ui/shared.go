package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// Directory is the whole member directory, read once and shared by every
// program of a server (hearth serve): the rows, their column widths and
// the filter index. At 100,000 members these take tens of megabytes, which
// each session would otherwise hold a copy of. Nothing in a snapshot is
// written after it is built; each program gets its own filter memory
// (model.Filter.Share) and its own list positions.
//
// There are two snapshots, built the first time a program asks for each:
// everything (managers) and the public view (viewers, see public.go), so
// that a viewer's program never holds a private field. Refresh drops both
// when the database changed (a sync ended).
type Directory struct {
	ctx   context.Context
	store Store
	now   func() time.Time

	mu     sync.Mutex
	builds [2]*directoryBuild // [0] everything, [1] the public view
	reads  int                // how many times the store was read, for tests
	// numbers is 0, 1, 2…: the rows of an unfiltered list, which every
	// list of every program reads and none writes.
	numbers []int32

	health      *healthShare // the Funnel tab's input and overviews (shared_health.go)
	healthReads int          // how many times the health input was read, for tests

	drills *drillShare // the Funnel tab's lists of people (shared_drill.go)

	questions     [2]*questionsShare // the Questions tab's, by view (shared_questions.go)
	questionReads int                // how many times the open questions were read, for tests
}

// directoryBuild is one snapshot, being built or built.
type directoryBuild struct {
	done    chan struct{} // closed once payload or err is set
	payload membersPayload
	err     error
	// index maps member ids to rows of payload, built the first time a
	// program's Funnel tab lists people (funnelTab.directoryIndex).
	index func() map[int64]int32
}

// NewDirectory shares st's directory; ctx bounds its reads (the server's
// life, not one session's: a session that leaves while the directory is
// read must not fail the read for the others).
func NewDirectory(ctx context.Context, st Store, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{ctx: ctx, store: st, now: now}
}

// Refresh drops the snapshots, the health overviews, the lists of people
// behind their numbers and the open questions: the next program to ask reads the store again. Programs keep
// the snapshot they hold until they reload.
func (d *Directory) Refresh() {
	d.mu.Lock()
	d.builds = [2]*directoryBuild{}
	d.health = nil
	d.drills = nil
	d.questions = [2]*questionsShare{}
	d.mu.Unlock()
}

// Warm reads the snapshot for viewer (the public view) or for managers
// now, so that the first session to ask does not wait for it.
func (d *Directory) Warm(ctx context.Context, viewer bool) error {
	_, err := d.get(ctx, viewer)
	return err
}

// rowNumbers returns 0…n-1, the rows of an unfiltered list of n. A
// server's programs share one slice (at 100,000 members, 400 kB less per
// session); without a directory (d nil) the list gets its own.
func (d *Directory) rowNumbers(n int) []int32 {
	if d == nil {
		return countTo(n)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.numbers) < n {
		// A new slice: the old one may be in use, and is never written.
		d.numbers = countTo(max(n, 2*len(d.numbers)))
	}
	return d.numbers[:n:n]
}

// countTo returns 0…n-1.
func countTo(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// Reads is how many times the directory was read from the store.
func (d *Directory) Reads() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reads
}

func view(private bool) int {
	if private {
		return 1
	}
	return 0
}

// ready reports whether the snapshot for private is built, so a program
// can skip the store's first page and take the whole directory at once.
func (d *Directory) ready(private bool) bool {
	if d == nil {
		return false
	}
	d.mu.Lock()
	b := d.builds[view(private)]
	d.mu.Unlock()
	if b == nil {
		return false
	}
	select {
	case <-b.done:
		return b.err == nil
	default:
		return false
	}
}

// rowIndex returns the index by member id of dir when dir is the rows of
// one of the directory's snapshots, shared by the programs that list
// people from it (at 100,000 members, 2 MB less per session); nil
// otherwise.
func (d *Directory) rowIndex(dir []model.Member) map[int64]int32 {
	if d == nil || len(dir) == 0 {
		return nil
	}
	d.mu.Lock()
	builds := d.builds
	d.mu.Unlock()
	for _, b := range builds {
		if b == nil {
			continue
		}
		select {
		case <-b.done:
		default:
			continue
		}
		if ms := b.payload.members; b.err == nil && len(ms) == len(dir) && &ms[0] == &dir[0] {
			return b.index()
		}
	}
	return nil
}

// get returns the snapshot for private, reading the store when no program
// has yet; programs asking meanwhile wait for the same read.
func (d *Directory) get(ctx context.Context, private bool) (membersPayload, error) {
	d.mu.Lock()
	b := d.builds[view(private)]
	if b == nil {
		b = &directoryBuild{done: make(chan struct{})}
		b.index = sync.OnceValue(func() map[int64]int32 { return indexByID(b.payload.members) })
		d.builds[view(private)] = b
		d.reads++
		go d.build(b, private)
	}
	d.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return membersPayload{}, ctx.Err()
	}
	if b.err != nil {
		// The next program to ask tries again.
		d.mu.Lock()
		if d.builds[view(private)] == b {
			d.builds[view(private)] = nil
		}
		d.mu.Unlock()
	}
	return b.payload, b.err
}

// build reads the directory and indexes it, as a program's own load does.
func (d *Directory) build(b *directoryBuild, private bool) {
	defer close(b.done)
	ms, err := d.store.Members(d.ctx)
	if err != nil {
		b.err = err
		return
	}
	labels, err := d.store.MemberLabels(d.ctx)
	if err != nil {
		b.err = err
		return
	}
	if private {
		ms, labels = publicMembers(ms), publicLabels(labels)
	}
	b.payload = memberRows(ms, labels, true, d.now())
}

// load is the members tab's load of the whole directory from the shared
// snapshot.
func (d *Directory) load(ctx context.Context, private bool) tea.Cmd {
	return func() tea.Msg {
		p, err := d.get(ctx, private)
		if err != nil {
			return loadedMsg{Tab: tabMembers, Err: err, Payload: membersPayload{full: true}}
		}
		p.filter = p.filter.Share()
		return loadedMsg{Tab: tabMembers, Payload: p}
	}
}

// SyncNews tells a program about a sync it did not start: another
// session's, or the server's schedule. The program shows its progress in
// the status line, and reloads when it ends.
type SyncNews struct {
	By       string // who started it: a user's name, or "schedule"
	Progress SyncProgress
	Done     bool
	Err      error
}

// syncNews follows a sync another program started. A program's own sync
// reports to it directly (syncRun.events), so news of it is ignored.
func (m *Model) syncNews(msg SyncNews) tea.Cmd {
	if m.sync != nil && m.sync.events != nil {
		return nil
	}
	if !msg.Done {
		if m.sync == nil {
			// Nothing of this program to cancel: quitting leaves the
			// sync to its owner.
			m.sync = &syncRun{cancel: func() {}}
		}
		m.sync.last = msg.Progress
		return nil
	}
	m.sync = nil
	switch {
	case msg.Err == nil:
		m.notice = "sync by " + model.CleanLine(msg.By) + " finished"
	case m.c.Private:
		// Why it failed may name the server's sources and paths.
		m.notice = "sync by " + model.CleanLine(msg.By) + " failed"
	default:
		m.err = fmt.Errorf("sync by %s: %w", model.CleanLine(msg.By), msg.Err)
	}
	return m.reload()
}
