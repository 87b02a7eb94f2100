package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/demo/demotest"
	"hearth/data/store/storetest"
	"hearth/model"
)

// benchmarkSmallSync measures what a sync that brings a little news costs
// on a large community: a demo of the given size, then per iteration one
// batch with a new activity for each of 100 members, the people merge and
// the incremental refresh. Run the large one once:
//
//	go test ./data/engine -run '^$' -bench 'SmallSync100k' -benchtime 5x
func benchmarkSmallSync(b *testing.B, members int) {
	ctx := context.Background()
	now := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	s := demotest.Fresh(b, members, now)
	// One identity of each of 100 members spread over the directory.
	rows, err := storetest.DB(b, s).QueryContext(ctx, `SELECT source, external_id FROM identities
		WHERE id IN (SELECT min(id) FROM identities GROUP BY member_id) ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	var all [][2]string
	for rows.Next() {
		var src, ext string
		if err := rows.Scan(&src, &ext); err != nil {
			b.Fatal(err)
		}
		all = append(all, [2]string{src, ext})
	}
	rows.Close()
	var who [][2]string
	for i := 0; i < 100; i++ {
		who = append(who, all[i*len(all)/100])
	}
	opt := Options{Now: func() time.Time { return now.Add(time.Hour) }}
	// The first merge of the demo's identities may regroup many members,
	// hence a full refresh: settle that before timing.
	for _, r := range Run(ctx, s, nil, opt) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	// A marked member outside the 100 shows whether refreshes stay small.
	if _, err := storetest.DB(b, s).ExecContext(ctx, `UPDATE member_stats SET topics = 'marker'
		WHERE member_id = (SELECT member_id FROM identities WHERE source = ? AND external_id = ?)`,
		all[len(all)/200][0], all[len(all)/200][1]); err != nil {
		b.Fatal(err)
	}
	var refreshed int
	for i := 0; b.Loop(); i++ {
		batch := connector.Batch{Cursor: fmt.Sprint(i + 1)}
		for n, w := range who {
			batch.Activities = append(batch.Activities, model.Activity{Source: w[0], ExternalID: fmt.Sprintf("bench-%d-%d", i, n),
				Actor: w[1], Kind: model.KindCommit, At: now.Add(-time.Duration(n) * time.Minute), Topics: []string{"bench"}})
		}
		for _, r := range Run(ctx, s, []connector.Source{listSource{"git:/bench", []connector.Batch{batch}}}, opt) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		refreshed = len(who)
	}
	var marked int
	if err := storetest.DB(b, s).QueryRowContext(ctx, "SELECT count(*) FROM member_stats WHERE topics = 'marker'").Scan(&marked); err != nil || marked != 1 {
		b.Fatalf("marked rows %d (%v): the refresh was not incremental", marked, err)
	}
	b.ReportMetric(float64(refreshed), "members/op")
}

func BenchmarkSmallSync2k(b *testing.B)   { benchmarkSmallSync(b, 2000) }
func BenchmarkSmallSync100k(b *testing.B) { benchmarkSmallSync(b, 100000) }
