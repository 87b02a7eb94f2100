package serve

import (
	"context"
	"errors"
	"sync"

	"hearth/data/store"
	"hearth/model"
	"hearth/ui"
)

// errClosing is what a write gets once the server is shutting down.
var errClosing = errors.New("hearth is shutting down: nothing was written")

// writeGate counts the writes in flight, so that a shutdown lets them
// finish before the store is closed, and refuses writes after it began.
type writeGate struct {
	mu     sync.Mutex
	n      int
	closed bool
	idle   *sync.Cond
}

// enter starts a write; false once the gate is closed.
func (g *writeGate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.n++
	return true
}

func (g *writeGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.n == 0 && g.idle != nil {
		g.idle.Broadcast()
	}
}

// close refuses new writes and waits for those in flight; it returns how
// many it waited for.
func (g *writeGate) close() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	waited := g.n
	if g.idle == nil {
		g.idle = sync.NewCond(&g.mu)
	}
	for g.n > 0 {
		g.idle.Wait()
	}
	return waited
}

// gatedWriter is a session's writer as the server hands it out: each
// write passes the gate and runs to its end even when the session leaves
// meanwhile (the session's context would roll back a write the user saw
// begin), and a write that changes members has the shared directory read
// again, so the list shows it after the program's reload.
type gatedWriter struct {
	w    ui.Writer
	gate *writeGate
	dir  *ui.Directory
}

// do runs write under the gate, on ctx without its cancellation.
func (g *gatedWriter) do(ctx context.Context, members bool, write func(context.Context) error) error {
	if !g.gate.enter() {
		return errClosing
	}
	defer g.gate.leave()
	err := write(context.WithoutCancel(ctx))
	if err == nil && members {
		g.dir.Refresh()
	}
	return err
}

func (g *gatedWriter) SetTriage(ctx context.Context, source, externalID string, read int64, t model.Triage) (out model.Triage, err error) {
	err = g.do(ctx, false, func(ctx context.Context) error {
		out, err = g.w.SetTriage(ctx, source, externalID, read, t)
		return err
	})
	return out, err
}

func (g *gatedWriter) AddNote(ctx context.Context, who, body string) (id int64, err error) {
	err = g.do(ctx, true, func(ctx context.Context) error {
		id, err = g.w.AddNote(ctx, who, body)
		return err
	})
	return id, err
}

func (g *gatedWriter) Tag(ctx context.Context, who, tag string) error {
	return g.do(ctx, true, func(ctx context.Context) error { return g.w.Tag(ctx, who, tag) })
}

func (g *gatedWriter) Untag(ctx context.Context, who, tag string) error {
	return g.do(ctx, true, func(ctx context.Context) error { return g.w.Untag(ctx, who, tag) })
}

func (g *gatedWriter) Flag(ctx context.Context, who, flag string) error {
	return g.do(ctx, true, func(ctx context.Context) error { return g.w.Flag(ctx, who, flag) })
}

func (g *gatedWriter) Unflag(ctx context.Context, who, flag string) error {
	return g.do(ctx, true, func(ctx context.Context) error { return g.w.Unflag(ctx, who, flag) })
}

func (g *gatedWriter) Undo(ctx context.Context) (ch store.Change, err error) {
	err = g.do(ctx, true, func(ctx context.Context) error {
		ch, err = g.w.Undo(ctx)
		return err
	})
	return ch, err
}
