package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// healthShare is the Funnel tab's health input (every member's
// activities: about 120 MB at 100,000 members) and the overviews computed
// from it, shared by every program of a server. The input is read once,
// by the first program that asks (each program's Funnel tab asks when the
// program starts, as the local TUI does), and each overview is computed
// once per window and view; Directory.Refresh drops it all. Programs keep
// only their own selection, scroll and open list.
//
// Nothing in a share is written after it is built, except that
// model.ComputeHealth may sort the activities in place: computations hold
// compute, so two never run over the same input at once.
type healthShare struct {
	read chan struct{} // closed once in or err is set
	in   *store.HealthInput
	err  error

	// public is the input as a viewer may see it (publicHealthInput),
	// built the first time a viewer asks.
	public func() *store.HealthInput

	compute sync.Mutex
	// rosters are the overviews' roster of every member, by view, as of
	// rosterDay (the same whatever the window); guarded by compute.
	rosters   [2][]model.Member
	rosterDay [2]string
	// builds are the overviews asked for, by window and view, as of day;
	// guarded by the Directory's mutex. A server may run for days between
	// syncs: a new day computes the overviews again from the same input.
	builds map[healthKey]*healthBuild
	day    string
}

// healthKey names one overview of a share. The options are not part of
// it: a server's programs share one configuration.
type healthKey struct {
	window  model.Window
	private bool // the public view, for viewers
}

// healthBuild is one overview, being computed or computed.
type healthBuild struct {
	done    chan struct{} // closed once payload or err is set
	payload healthPayload
	err     error
}

// sharesHealth reports whether the directory's store can read the health
// input: a store without it shows the summary only.
func (d *Directory) sharesHealth() bool {
	_, ok := d.store.(healthSource)
	return ok
}

// HealthReads is how many times the health input was read from the
// store, for tests.
func (d *Directory) HealthReads() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.healthReads
}

// WarmHealth reads the health input and computes the Funnel tab's
// overviews for viewer (the public view) or for managers now, the first
// window first: no session waits for the input, or for the overview of a
// window it switches to (half a second each at 100,000 members, which
// every session switching at once would wait for). base is the
// configuration's options, which every program of a server has.
func (d *Directory) WarmHealth(ctx context.Context, viewer bool, base model.HealthOptions) error {
	if _, err := d.overview(ctx, viewer, firstWindow, base); err != nil {
		return err
	}
	for _, w := range model.Windows {
		if _, err := d.overview(ctx, viewer, w, base); err != nil {
			return err
		}
	}
	return nil
}

// overview returns the overview of window w for the view private, reading
// the input and computing as needed; programs asking meanwhile wait for
// the same read and computation.
func (d *Directory) overview(ctx context.Context, private bool, w model.Window, base model.HealthOptions) (healthPayload, error) {
	k := healthKey{window: w, private: private}
	d.mu.Lock()
	s := d.health
	if s == nil {
		s = &healthShare{read: make(chan struct{})}
		s.public = sync.OnceValue(func() *store.HealthInput { return publicHealthInput(s.in) })
		d.health = s
		d.healthReads++
		go d.readHealth(s)
	}
	now := d.now()
	if day := now.Format(time.DateOnly); day != s.day {
		s.builds, s.day = map[healthKey]*healthBuild{}, day
	}
	b := s.builds[k]
	if b == nil {
		b = &healthBuild{done: make(chan struct{})}
		s.builds[k] = b
		go d.computeHealth(s, b, k, now, base)
	}
	d.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return healthPayload{window: w}, ctx.Err()
	}
	if b.err != nil {
		// The next program to ask reads again.
		d.mu.Lock()
		if d.health == s {
			d.health = nil
		}
		d.mu.Unlock()
	}
	return b.payload, b.err
}

// readHealth reads the input, on the server's context: a session that
// leaves meanwhile must not fail the read for the others.
func (d *Directory) readHealth(s *healthShare) {
	defer close(s.read)
	in, err := d.store.(healthSource).HealthInput(d.ctx)
	if err != nil {
		s.err = err
		return
	}
	// Sorted once here, so computations find nothing to sort.
	model.SortActs(in.Members)
	s.in = &in
}

// computeHealth computes one overview once the input is read.
func (d *Directory) computeHealth(s *healthShare, b *healthBuild, k healthKey, now time.Time, base model.HealthOptions) {
	defer close(b.done)
	<-s.read
	if s.err != nil {
		b.payload, b.err = healthPayload{window: k.window}, s.err
		return
	}
	in := s.in
	if k.private {
		in = s.public()
	}
	s.compute.Lock()
	defer s.compute.Unlock()
	v, day := view(k.private), now.Format(time.DateOnly)
	if s.rosterDay[v] == day {
		base.Roster = s.rosters[v]
	}
	b.payload = computeOverview(in, now, k.window, base)
	b.payload.in = in
	s.rosters[v], s.rosterDay[v] = b.payload.health.Roster(), day
}

// loadHealth is the Funnel tab's load of the overview of window w from
// the shared input.
func (d *Directory) loadHealth(ctx context.Context, private bool, w model.Window, base model.HealthOptions) tea.Cmd {
	return func() tea.Msg {
		p, err := d.overview(ctx, private, w, base)
		return loadedMsg{Tab: tabFunnel, Err: err, Payload: p}
	}
}

// publicHealthInput is in as a viewer may see it: names and organisations
// that hold an e-mail address are left out (the overview lists names).
// The activities and questions are in's own, not copies: nothing
// private is in them.
func publicHealthInput(in *store.HealthInput) *store.HealthInput {
	out := &store.HealthInput{Members: make([]model.HealthMember, len(in.Members)), Questions: in.Questions}
	for i, m := range in.Members {
		if looksLikeEmail(m.Name) {
			m.Name = noPublicHandle
		}
		m.Org = publicText(m.Org)
		out.Members[i] = m
	}
	return out
}
