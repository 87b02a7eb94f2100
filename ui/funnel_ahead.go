package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// funnelAhead is the local program's overviews, by window: once the one
// shown is computed, the others are computed one after the other in the
// background, so that p switches the window at once instead of after
// half a second at 100,000 members. Computations run one at a time, as
// computeOverview needs.
type funnelAhead struct {
	done    map[model.Window]healthPayload
	running bool // a computation (or the first read) is in flight
	// gen counts the reads of the input: a computation from the input of
	// an earlier read (before a sync) is dropped when it arrives.
	gen int
}

// restart forgets every overview for a new read of the input, of window
// w first; it returns the read's generation.
func (a *funnelAhead) restart(w model.Window) int {
	a.gen++
	a.done, a.running = map[model.Window]healthPayload{}, true
	return a.gen
}

// loadedAhead takes a computed overview: it is shown when it is the
// window asked for (or nothing is shown yet), kept either way, and the
// next computation starts.
func (t *funnelTab) loadedAhead(p healthPayload, err error) tea.Cmd {
	if p.gen != t.ahead.gen {
		return nil // from before the input was read again
	}
	t.ahead.running = false
	if err != nil {
		t.computing, t.err = false, err
		return nil
	}
	if p.in != nil {
		t.in = p.in
	}
	t.ahead.done[p.window] = p
	if p.window == t.window || t.health == nil {
		t.show(p)
	}
	_, shown := t.ahead.done[t.window]
	t.computing = !shown
	return t.computeAhead()
}

// show puts a computed overview on screen.
func (t *funnelTab) show(p healthPayload) {
	t.health, t.response, t.err = p.health, p.response, nil
	t.computing = false
	t.relayout()
}

// computeAhead starts the computation the program needs next, unless one
// runs: the window asked for when it is not computed, else the next
// window, in the order p goes through them, that is not.
func (t *funnelTab) computeAhead() tea.Cmd {
	if t.in == nil || t.ahead.running {
		return nil
	}
	w, found := t.window, false
	for range model.Windows {
		if _, ok := t.ahead.done[w]; !ok {
			found = true
			break
		}
		w = nextWindow(w)
	}
	if !found {
		return nil
	}
	t.ahead.running = true
	in, now, base, gen := t.in, t.c.Now(), t.options, t.ahead.gen
	if t.health != nil && t.health.AsOf.Format(time.DateOnly) == now.UTC().Format(time.DateOnly) {
		base.Roster = t.health.Roster() // the same for every window of a day
	}
	return func() tea.Msg {
		p := computeOverview(in, now, w, base)
		p.gen = gen
		return loadedMsg{Tab: tabFunnel, Payload: p}
	}
}
