package store

import (
	"context"
	"database/sql"

	"hearth/model"
)

// HealthMembersBoth reads the health members through member_months and
// through the activity scan, in one transaction, for the tests of
// package store_test (which may import the demo generator).
func (s *Store) HealthMembersBoth(ctx context.Context) (months, scan []model.HealthMember, err error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	if months, err = healthMembers(ctx, tx, false); err != nil {
		return nil, nil, err
	}
	scan, err = healthMembers(ctx, tx, true)
	return months, scan, err
}

// MemberMonthsRows counts the rows of member_months.
func (s *Store) MemberMonthsRows(ctx context.Context) (n int, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM member_months").Scan(&n)
	return n, err
}

// DB is the store's database handle, for tests that read it directly.
func (s *Store) DB() *sql.DB { return s.db }

// HealthMembersScan reads the health members from the activities table,
// the way HealthInput did before member_months, for the benchmark that
// compares the two.
func (s *Store) HealthMembersScan(ctx context.Context) ([]model.HealthMember, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return healthMembers(ctx, tx, true)
}
