package ui

import (
	"context"
	"fmt"
	"slices"

	"hearth/data/store"
	"hearth/model"
)

// The fakes' side of merges, splits and duplicates: the store answers
// from its labels and dups; the writer records each call and applies a
// merge to the fake directory (the second member's activities join the
// first's, and it goes), so the list shows what the store would.

func (f *fakeStore) MemberLabels(context.Context) (map[int64]store.Labels, error) {
	return f.labels, f.err
}

func (f *fakeStore) Duplicates(context.Context) ([]store.Duplicate, error) {
	return f.dups, f.err
}

func (w *fakeWriter) MergeMembers(_ context.Context, a, b int64) error {
	w.calls = append(w.calls, fmt.Sprintf("merge %d %d", a, b))
	if w.err != nil {
		return w.err
	}
	keep, gone := min(a, b), max(a, b)
	i := slices.IndexFunc(w.s.members, func(m model.Member) bool { return m.ID == gone })
	j := slices.IndexFunc(w.s.members, func(m model.Member) bool { return m.ID == keep })
	if i < 0 || j < 0 {
		return fmt.Errorf("member gone: %w", store.ErrConflict)
	}
	w.s.members[j].Activities += w.s.members[i].Activities
	w.s.members = slices.Delete(w.s.members, i, i+1)
	w.s.dups = slices.DeleteFunc(w.s.dups, func(d store.Duplicate) bool { return d.A.ID == gone || d.B.ID == gone })
	return nil
}

func (w *fakeWriter) SplitIdentity(_ context.Context, key string) (int64, error) {
	w.calls = append(w.calls, "split "+key)
	return 0, w.err
}

func (w *fakeWriter) NotDuplicates(_ context.Context, a, b int64) error {
	w.calls = append(w.calls, fmt.Sprintf("not-same %d %d", a, b))
	if w.err != nil {
		return w.err
	}
	w.s.dups = slices.DeleteFunc(w.s.dups, func(d store.Duplicate) bool { return d.A.ID == min(a, b) && d.B.ID == max(a, b) })
	return nil
}

func (w *fakeWriter) Regroups() bool { return true }
