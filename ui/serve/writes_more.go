package serve

import (
	"context"
	"errors"

	"hearth/data/store"
	"hearth/model"
	"hearth/ui"
)

// The rest of the writer a manager's program uses — who is who by hand,
// and event planning — passes the same gate as triage and notes.

// planWriter is the event-planning part of *store.Writer.
type planWriter = ui.EventWriter

var errNoPlans = errors.New("this session cannot plan events")

// gated runs a write that returns a value under the gate.
func gated[T any](g *gatedWriter, ctx context.Context, members bool, write func(context.Context) (T, error)) (T, error) {
	var out T
	err := g.do(ctx, members, func(ctx context.Context) error {
		var err error
		out, err = write(ctx)
		return err
	})
	return out, err
}

// plans runs an event write under the gate; events do not change members.
func plans[T any](g *gatedWriter, ctx context.Context, write func(context.Context, planWriter) (T, error)) (T, error) {
	p, ok := g.w.(planWriter)
	if !ok {
		var zero T
		return zero, errNoPlans
	}
	return gated(g, ctx, false, func(ctx context.Context) (T, error) { return write(ctx, p) })
}

// plain adapts a write without a result to plans.
func plain(write func() error) (struct{}, error) { return struct{}{}, write() }

func (g *gatedWriter) MergeMembers(ctx context.Context, a, b int64) error {
	return g.do(ctx, true, func(ctx context.Context) error { return g.w.MergeMembers(ctx, a, b) })
}

func (g *gatedWriter) SplitIdentity(ctx context.Context, key string) (int64, error) {
	return gated(g, ctx, true, func(ctx context.Context) (int64, error) { return g.w.SplitIdentity(ctx, key) })
}

func (g *gatedWriter) NotDuplicates(ctx context.Context, a, b int64) error {
	return g.do(ctx, false, func(ctx context.Context) error { return g.w.NotDuplicates(ctx, a, b) })
}

func (g *gatedWriter) Regroups() bool { return g.w.Regroups() }

func (g *gatedWriter) AddEvent(ctx context.Context, p store.EventPlan) (string, error) {
	return plans(g, ctx, func(ctx context.Context, w planWriter) (string, error) { return w.AddEvent(ctx, p) })
}

func (g *gatedWriter) EditEvent(ctx context.Context, p store.EventPlan) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.EditEvent(ctx, p) })
	})
	return err
}

func (g *gatedWriter) DeleteEvent(ctx context.Context, uid string) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.DeleteEvent(ctx, uid) })
	})
	return err
}

func (g *gatedWriter) AddSpeaker(ctx context.Context, uid string, sp model.Speaker) (int64, error) {
	return plans(g, ctx, func(ctx context.Context, w planWriter) (int64, error) { return w.AddSpeaker(ctx, uid, sp) })
}

func (g *gatedWriter) EditSpeaker(ctx context.Context, id, read int64, sp model.Speaker) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.EditSpeaker(ctx, id, read, sp) })
	})
	return err
}

func (g *gatedWriter) AddTask(ctx context.Context, uid string, t model.Task) (int64, error) {
	return plans(g, ctx, func(ctx context.Context, w planWriter) (int64, error) { return w.AddTask(ctx, uid, t) })
}

func (g *gatedWriter) EditTask(ctx context.Context, id, read int64, t model.Task) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.EditTask(ctx, id, read, t) })
	})
	return err
}

func (g *gatedWriter) SetTaskDone(ctx context.Context, id int64, done bool) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.SetTaskDone(ctx, id, done) })
	})
	return err
}

func (g *gatedWriter) AddBudgetLine(ctx context.Context, uid string, b model.BudgetLine) (int64, error) {
	return plans(g, ctx, func(ctx context.Context, w planWriter) (int64, error) { return w.AddBudgetLine(ctx, uid, b) })
}

func (g *gatedWriter) EditBudgetLine(ctx context.Context, id, read int64, b model.BudgetLine) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.EditBudgetLine(ctx, id, read, b) })
	})
	return err
}

func (g *gatedWriter) AddAttendee(ctx context.Context, uid string, a model.Attendee) (int64, error) {
	return plans(g, ctx, func(ctx context.Context, w planWriter) (int64, error) { return w.AddAttendee(ctx, uid, a) })
}

func (g *gatedWriter) EditAttendee(ctx context.Context, id, read int64, a model.Attendee) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.EditAttendee(ctx, id, read, a) })
	})
	return err
}

func (g *gatedWriter) DeletePlan(ctx context.Context, kind string, id int64) error {
	_, err := plans(g, ctx, func(ctx context.Context, w planWriter) (struct{}, error) {
		return plain(func() error { return w.DeletePlan(ctx, kind, id) })
	})
	return err
}

// The server's writer plans events like the store's own.
var (
	_ planWriter = (*store.Writer)(nil)
	_ planWriter = (*gatedWriter)(nil)
)
