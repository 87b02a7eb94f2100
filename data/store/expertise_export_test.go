package store

import (
	"context"
	"time"

	"hearth/model"
)

// ReadMembersOf runs the read an incremental refresh of the given members
// makes (members, identities, flags, activities), with the expertise feed
// and its writes when withExpertise is set: the difference between the two
// is what keeping expertise costs a refresh, which the benchmark weighs
// against the whole refresh.
func (s *Store) ReadMembersOf(ctx context.Context, now time.Time, rules model.Rules, ids []int64, withExpertise bool) error {
	return s.immediate(ctx, func(tx execer) error {
		if err := selectMembers(ctx, tx, ids); err != nil {
			return err
		}
		if !withExpertise {
			_, err := loadMemberAggs(ctx, tx, now, rules, true, func(int64, string, int64, string, string) {})
			return err
		}
		feed, err := newExpertiseFeed(ctx, tx, now, rules, false)
		if err != nil {
			return err
		}
		if _, err := loadMemberAggs(ctx, tx, now, rules, true, feed.add); err != nil {
			return err
		}
		return feed.write(ctx, tx)
	})
}
