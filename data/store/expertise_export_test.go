package store

import (
	"context"
	"time"

	"hearth/model"
)

// RefreshExpertiseOf runs the expertise part of an incremental refresh of
// the given members alone, for the benchmark that weighs it against the
// whole refresh.
func (s *Store) RefreshExpertiseOf(ctx context.Context, now time.Time, rules model.Rules, ids []int64) error {
	return s.immediate(ctx, func(tx execer) error {
		if err := selectMembers(ctx, tx, ids); err != nil {
			return err
		}
		return refreshExpertise(ctx, tx, now, rules, false)
	})
}
