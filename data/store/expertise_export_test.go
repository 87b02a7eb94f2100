package store

import (
	"context"
	"strings"
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

// LastMigration names the newest migration, so that a benchmark's cached
// database is never one built by a branch with another migration of the
// same number.
func LastMigration() string {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return ""
	}
	return strings.TrimSuffix(ms[len(ms)-1].name, ".sql")
}

// WhoKnowsByScan answers q (with a Before date) from a read of every
// activity before it: the reference the answer from expertise_months must
// equal.
func (s *Store) WhoKnowsByScan(ctx context.Context, q WhoQuery, now time.Time, rules model.Rules) ([]Expert, error) {
	ix, err := s.scanBefore(ctx, q, expertiseParams(rules))
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, ix, nil, q, now)
}
