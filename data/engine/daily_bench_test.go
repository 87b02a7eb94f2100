package engine

import (
	"context"
	"testing"
	"time"

	"hearth/data/demo/demotest"
	"hearth/data/store/storetest"
	"hearth/model"
)

// benchmarkRefreshDaily measures the refresh a sync does once the date has
// moved on and nothing is dirty: every member's standing judged again from
// member_stats, and the summary. Each iteration is a day later than the
// one before. For scale it reports, measured in the same run, a plain
// scan of the activities table (SELECT count(*) FROM activities, best of
// three; SQLite counts the pages of its smallest index) as scan-ms, a read
// of the columns a tally needs from every activity as rowscan-ms, and the
// refresh's share of each. Run
// the large one once:
//
//	go test ./data/engine -run '^$' -bench 'RefreshDaily100k' -benchtime 10x
func benchmarkRefreshDaily(b *testing.B, members int) {
	ctx := context.Background()
	now := time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC)
	s := demotest.Fresh(b, members, now)
	db := storetest.DB(b, s)
	scan := time.Duration(1 << 62)
	var acts int
	for range 3 {
		start := time.Now()
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM activities").Scan(&acts); err != nil {
			b.Fatal(err)
		}
		scan = min(scan, time.Since(start))
	}
	// What any refresh that reads the activities must at least do: read the
	// columns a tally needs from every row (best of two).
	rowScan := time.Duration(1 << 62)
	for range 2 {
		start := time.Now()
		rows, err := db.QueryContext(ctx, "SELECT identity_id, kind, at, topics FROM activities")
		if err != nil {
			b.Fatal(err)
		}
		var id, at int64
		var kind, topics string
		for rows.Next() {
			if err := rows.Scan(&id, &kind, &at, &topics); err != nil {
				b.Fatal(err)
			}
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
		rowScan = min(rowScan, time.Since(start))
	}
	// A marked row shows whether a refresh rederived from activities.
	if _, err := db.ExecContext(ctx, "UPDATE member_stats SET kinds = 'marker' WHERE member_id = (SELECT min(member_id) FROM member_stats)"); err != nil {
		b.Fatal(err)
	}
	rules := model.DefaultRules()
	before, err := s.Summary(ctx)
	if err != nil {
		b.Fatal(err)
	}
	day := 0
	for b.Loop() {
		day++
		if err := s.RefreshDirty(ctx, now.AddDate(0, 0, day), rules); err != nil {
			b.Fatal(err)
		}
	}
	var marked int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM member_stats WHERE kinds = 'marker'").Scan(&marked); err != nil || marked != 1 {
		b.Fatalf("marked rows %d (%v): the refresh read the activities", marked, err)
	}
	after, err := s.Summary(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if after.Funnel == before.Funnel {
		b.Fatalf("%d days later the funnel did not move: %+v", day, after.Funnel)
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(scan)/float64(time.Millisecond), "scan-ms")
	b.ReportMetric(float64(perOp)/float64(scan), "refresh/scan")
	b.ReportMetric(float64(rowScan)/float64(time.Millisecond), "rowscan-ms")
	b.ReportMetric(float64(perOp)/float64(rowScan), "refresh/rowscan")
	b.ReportMetric(float64(acts), "activities")
}

func BenchmarkRefreshDaily2k(b *testing.B)   { benchmarkRefreshDaily(b, 2000) }
func BenchmarkRefreshDaily100k(b *testing.B) { benchmarkRefreshDaily(b, 100000) }
