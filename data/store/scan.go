package store

import (
	"context"
	"database/sql"
)

// querier is what a read runs on: the database, one connection or a
// transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// scanner is one row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryRows runs q and returns every row, in order, each read by scan.
// The loop every list query needs (close, check rows.Err) lives here once;
// callers wrap the error with what they were reading.
func queryRows[T any](ctx context.Context, db querier, scan func(sc scanner, v *T) error, q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryStrings runs a query of one text column and returns its values.
func queryStrings(ctx context.Context, db querier, q string, args ...any) ([]string, error) {
	return queryRows(ctx, db, func(sc scanner, v *string) error { return sc.Scan(v) }, q, args...)
}
