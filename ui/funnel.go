package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/data/store"
	"hearth/model"
)

// funnelTab is the community health overview: stages with conversion, the
// monthly trend, cohorts, response times, bus and elephant factors. Every
// number is a door: select it and press enter to list the people behind
// it (funnel_drill.go). A window switch recomputes every figure together.
//
// The health input (every member's activities) is loaded once in the
// background and kept, so a window switch costs a computation, not a read.
type funnelTab struct {
	c      *Context
	sum    model.Summary
	loaded bool
	width  int
	height int
	keys   funnelKeys

	options   model.HealthOptions // the configuration's; zero Rules: the defaults
	in        *store.HealthInput  // nil until loaded
	health    *model.Health
	response  model.ResponseSeries // every source together, for the overview's line
	window    model.Window         // the window asked for; health may still be of another
	computing bool
	err       error
	// ahead keeps the overviews the local program computed, by window, and
	// computes the others in the background (funnel_ahead.go); a server's
	// programs share theirs (shared_health.go).
	ahead funnelAhead

	built    *overviewBuilder // the last layout of the overview (build)
	builtFor builtKey

	grid   [][]door // the numbers that open lists, by row of the overview
	row    int      // the selected door: grid[row][col]
	col    int
	scroll int // first line of the overview shown

	drill drillView // the open list, nil on the overview
	// directory returns the Members tab's rows once loaded, so lists show
	// handles and topics too.
	directory func() ([]model.Member, *model.Filter, bool)
	dirIndex  map[int64]int32 // directory rows by id (directoryIndex)
	dirFirst  *model.Member   // the directory dirIndex was built for
}

// funnelKeys are the overview's own keys.
type funnelKeys struct {
	Move   key.Binding
	Open   key.Binding
	Window key.Binding
}

// firstWindow is the window the overview opens with.
const firstWindow model.Window = 12

func newFunnelTab(c *Context) *funnelTab {
	return &funnelTab{c: c, window: firstWindow, keys: funnelKeys{
		Move:   key.NewBinding(key.WithKeys("up", "down", "left", "right", "h", "j", "k", "l"), key.WithHelp("←↑↓→", "select")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "who")),
		Window: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "period")),
	}}
}

// healthSource is the store's health input, which the UI's Store
// interface does not require: a store without it shows the summary only.
type healthSource interface {
	HealthInput(ctx context.Context) (store.HealthInput, error)
}

// healthPayload is a computed overview for a window; in is set when the
// input was read for it.
type healthPayload struct {
	in       *store.HealthInput
	window   model.Window
	health   *model.Health
	response model.ResponseSeries
	gen      int // the local program's read it was computed from (funnelAhead)
}

func (t *funnelTab) Title() string                { return "Funnel" }
func (t *funnelTab) SetSize(w, h int)             { t.width, t.height = w, h; t.relayout() }
func (t *funnelTab) Loading() bool                { return t.computing }
func (t *funnelTab) setSummary(sum model.Summary) { t.sum, t.loaded = sum, true }

// Capturing: the open list's filter takes text.
func (t *funnelTab) Capturing() bool { return t.drill != nil && t.drill.Capturing() }

// Init reads the health input and computes the overview in the
// background (the root starts it once the summary has arrived, so the
// tab is ready before it is opened). A server's programs share one input
// and its overviews (shared_health.go).
func (t *funnelTab) Init() tea.Cmd {
	if d := t.c.Directory; d != nil {
		if !d.sharesHealth() {
			return nil
		}
		t.computing = true
		return d.loadHealth(t.c.Ctx, t.c.Private, t.window, t.options)
	}
	src, ok := t.c.Store.(healthSource)
	if !ok {
		return nil
	}
	ctx, now, w, base := t.c.Ctx, t.c.Now(), t.window, t.options
	t.computing = true
	gen := t.ahead.restart(w)
	return func() tea.Msg {
		in, err := src.HealthInput(ctx)
		if err != nil {
			return loadedMsg{Tab: tabFunnel, Err: err, Payload: healthPayload{window: w, gen: gen}}
		}
		p := computeOverview(&in, now, w, base)
		p.in, p.gen = &in, gen
		return loadedMsg{Tab: tabFunnel, Payload: p}
	}
}

// computeOverview computes the figures of window w with the people behind
// every number. Only one runs at a time (see recompute): it sorts the
// input's activities in place.
func computeOverview(in *store.HealthInput, now time.Time, w model.Window, base model.HealthOptions) healthPayload {
	o := model.DefaultHealthOptions(now)
	if base.Rules != (model.Rules{}) {
		o = base
		o.Now = now
	}
	o.Doors, o.Top, o.Roster = true, 0, base.Roster
	o = o.ForWindow(w, in.Members)
	h := model.ComputeHealth(in.Members, in.Questions, o)
	return healthPayload{window: w, health: &h, response: model.ResponseAll(in.Questions, h.Since, h.AsOf)}
}

// recompute shows the overview of the window asked for, computed from the
// input already read unless it was computed ahead; a server's program asks
// for the shared one.
func (t *funnelTab) recompute() tea.Cmd {
	if d := t.c.Directory; d != nil {
		if t.computing || !d.sharesHealth() {
			return nil
		}
		t.computing = true
		return d.loadHealth(t.c.Ctx, t.c.Private, t.window, t.options)
	}
	if p, ok := t.ahead.done[t.window]; ok {
		t.show(p)
	} else if t.in != nil || t.ahead.running {
		t.computing = true
	}
	return t.computeAhead()
}

func (t *funnelTab) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		switch p := msg.Payload.(type) {
		case healthPayload:
			if t.c.Directory == nil {
				return t.loadedAhead(p, msg.Err)
			}
			t.computing = false
			if msg.Err != nil {
				t.err = msg.Err
				return nil
			}
			if p.in != nil {
				t.in = p.in
			}
			t.health, t.response, t.err = p.health, p.response, nil
			t.relayout()
			if p.window != t.window {
				return t.recompute() // switched again meanwhile
			}
		case memberDetailPayload:
			if d, ok := t.drill.(*funnelDrill); ok {
				d.loadedDetail(p, msg.Err)
			}
		case questionDetailPayload:
			if d, ok := t.drill.(*funnelQuestions); ok {
				d.loadedDetail(p, msg.Err)
			}
		}
		return nil
	case tea.KeyPressMsg:
		if t.drill != nil {
			back, cmd := t.drill.update(msg)
			if back {
				t.drill = nil
			}
			return cmd
		}
		return t.overviewKey(msg)
	}
	if t.drill != nil {
		_, cmd := t.drill.update(msg)
		return cmd
	}
	return nil
}

func (t *funnelTab) overviewKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, t.keys.Window):
		t.window = nextWindow(t.window)
		return t.recompute()
	case key.Matches(msg, t.keys.Open):
		return t.open()
	case key.Matches(msg, t.keys.Move):
		t.move(msg.String())
	}
	return nil
}

// nextWindow cycles through model.Windows.
func nextWindow(w model.Window) model.Window {
	for i, x := range model.Windows {
		if x == w {
			return model.Windows[(i+1)%len(model.Windows)]
		}
	}
	return model.Windows[0]
}

func (t *funnelTab) View() string {
	if t.drill != nil {
		return t.drill.view()
	}
	return t.overview()
}

func (t *funnelTab) ShortHelp() []key.Binding {
	if t.drill != nil {
		return t.drill.shortHelp()
	}
	return []key.Binding{t.keys.Move, t.keys.Open, t.keys.Window}
}

func (t *funnelTab) FullHelp() [][]key.Binding {
	if t.drill != nil {
		return t.drill.fullHelp()
	}
	return [][]key.Binding{{t.keys.Move, t.keys.Open, t.keys.Window}}
}
