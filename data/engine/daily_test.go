package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store/storetest"
	"hearth/model"
)

// Random histories synced while the clock jumps by hours, days and months
// (across month boundaries and past the window's edge, so that people stop
// being new, lapse, leave regular and core) end after every sync with the
// derived rows a full recomputation from the activities gives at the same
// time, though most refreshes judge the untouched members again from
// member_stats alone.
func TestDailyRefreshMatchesFullRecomputation(t *testing.T) {
	seeds := 20
	if testing.Short() {
		seeds = 4
	}
	var judgedAgain, moved int
	for seed := range seeds {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 11))
			s, _ := storetest.Open(t)
			ctx := context.Background()
			db := storetest.DB(t, s)
			// Flags set by hand weigh in the standing too.
			for _, f := range [][2]string{{"dev5@example.com", "maintainer"}, {"dev9@example.com", "core"}, {"dev12@example.com", "speaker"}} {
				if _, err := db.Exec("INSERT INTO member_flags(source, external_id, flag) VALUES ('git', ?, ?)", f[0], f[1]); err != nil {
					t.Fatal(err)
				}
			}
			h := newRandomHistory(r, 30)
			now := syncClock
			opt := fixedOptions()
			opt.Now = func() time.Time { return now }
			kinds := map[int64]string{}
			check := func(when string) {
				t.Helper()
				for id, k := range kinds {
					if _, err := db.Exec("UPDATE member_stats SET kinds = ? WHERE member_id = ? AND kinds = 'marker'", k, id); err != nil {
						t.Fatal(err)
					}
				}
				got := dumpTruth(t, s)
				// A sync that brought nothing on the day of the last
				// refresh skips the refresh: the tables are then those of
				// a full computation as of that refresh (summary as_of).
				sum, err := s.Summary(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.RefreshDerived(ctx, sum.AsOf, model.DefaultRules()); err != nil {
					t.Fatal(err)
				}
				sameTables(t, got, dumpTruth(t, s))
				if t.Failed() {
					t.Fatalf("%s, at %v", when, now)
				}
				// Mark every row in a column the standing is not judged
				// from: a full refresh rewrites the marks, judging the
				// standing again leaves them.
				clear(kinds)
				rows, err := db.Query("SELECT member_id, kinds FROM member_stats")
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id int64
					var k string
					if err := rows.Scan(&id, &k); err != nil {
						t.Fatal(err)
					}
					kinds[id] = k
				}
				rows.Close()
				if _, err := db.Exec("UPDATE member_stats SET kinds = 'marker'"); err != nil {
					t.Fatal(err)
				}
			}
			done := 0
			for runs := 0; done < len(h.batches); runs++ {
				before := now
				switch r.IntN(7) {
				case 0:
					now = now.Add(time.Duration(1+r.IntN(20)) * time.Hour)
				case 1:
					now = now.AddDate(0, 0, 1+r.IntN(40))
				case 2:
					now = now.AddDate(0, 1+r.IntN(3), r.IntN(5))
				case 3: // just past the next month's start
					y, m, _ := now.Date()
					now = time.Date(y, m+1, 1, 0, r.IntN(90), 0, 0, time.UTC)
				case 4:
					now = now.Add(time.Duration(1+r.IntN(120)) * time.Second)
				}
				h.avail = min(len(h.batches), h.avail+r.IntN(3))
				cctx, cancel := context.WithCancel(ctx)
				h.stopAfter, h.cancel = 0, cancel
				if r.IntN(3) == 0 {
					h.stopAfter = 1 + r.IntN(2)
				}
				res := Run(cctx, s, []connector.Source{h}, opt)
				cancel()
				done += res[0].Batches
				if res[0].Err != nil && !errors.Is(res[0].Err, context.Canceled) {
					t.Fatal(res[0].Err)
				}
				if res[0].Err != nil {
					if r.IntN(2) == 0 {
						continue // the refresh comes with a later run
					}
					mustSync(t, s, opt) // no source: the merge and the refresh only
				}
				if runs > 0 && now.Format(time.DateOnly) != before.Format(time.DateOnly) {
					moved++
					if countRows(t, s, "SELECT count(*) FROM member_stats WHERE kinds = 'marker'") > 0 {
						judgedAgain++
					}
				}
				check(fmt.Sprintf("after run %d (%d of %d batches)", runs, done, len(h.batches)))
			}
			if n := countRows(t, s, "SELECT count(*) FROM member_stats WHERE stage >= 3 OR is_lapsed OR is_new"); n == 0 {
				t.Fatal("nobody regular, core, new or lapsed: the history tests little")
			}
		})
	}
	// Most refreshes after the date moved must have judged members from
	// member_stats, or this test compared full refreshes with themselves.
	t.Logf("%d of %d refreshes after the date moved judged untouched rows again", judgedAgain, moved)
	if judgedAgain*2 < moved {
		t.Errorf("only %d of %d refreshes after the date moved kept untouched rows", judgedAgain, moved)
	}
}

// Once the date moved on, a refresh with nothing dirty judges standings
// again without reading a single activity: it succeeds with the
// activities table gone.
func TestDailyRefreshReadsNoActivity(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	var first connector.Batch
	for n := 0; n < 30; n++ {
		id := devIdentity(n)
		first.Identities = append(first.Identities, id)
		// Monthly commits until 80+n days ago: regular, lapsing one by one.
		for m := 0; m < 4; m++ {
			first.Activities = append(first.Activities, model.Activity{Source: "git", ExternalID: fmt.Sprintf("%d-%d", n, m),
				Actor: id.ExternalID, Kind: model.KindCommit, At: syncClock.AddDate(0, -m, -80-n), Topics: []string{"storage"}})
		}
	}
	first.Cursor = "1"
	mustSync(t, s, fixedOptions(), listSource{"git:/p", []connector.Batch{first}})
	before, _ := s.Summary(ctx)
	db := storetest.DB(t, s)
	if _, err := db.Exec("ALTER TABLE activities RENAME TO activities_away"); err != nil {
		t.Fatal(err)
	}
	later := syncClock.AddDate(0, 0, 5)
	if err := s.RefreshDirty(ctx, later, model.DefaultRules()); err != nil {
		t.Fatalf("refresh a few days later: %v", err)
	}
	after, _ := s.Summary(ctx)
	if _, err := db.Exec("ALTER TABLE activities_away RENAME TO activities"); err != nil {
		t.Fatal(err)
	}
	if after.Funnel.Lapsed <= before.Funnel.Lapsed || !after.AsOf.Equal(later) {
		t.Fatalf("lapsed %d → %d, as of %v: the refresh did not judge again as of %v",
			before.Funnel.Lapsed, after.Funnel.Lapsed, after.AsOf, later)
	}
	got := dumpTruth(t, s)
	if err := s.RefreshDerived(ctx, later, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	sameTables(t, got, dumpTruth(t, s))
}

// Within one day, a refresh (the one after a sync that brought anything)
// judges again the members whose first activity has just become too old to
// be new, or whose last has just become old enough to lapse, without
// rederiving anyone from activities. (A sync that brings nothing on the
// day of the last refresh skips the refresh: see TestNothingNewOnTheSameDay.)
func TestSameDayRefreshCatchesNewAndLapsed(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	rules := model.DefaultRules()
	var first connector.Batch
	for n := 0; n < 24; n++ {
		id := devIdentity(n)
		first.Identities = append(first.Identities, id)
		if n%2 == 0 {
			// One comment, new until n/2+1 hours after syncClock.
			first.Activities = append(first.Activities, model.Activity{Source: "git", ExternalID: fmt.Sprintf("c%d", n),
				Actor: id.ExternalID, Kind: model.KindComment, At: syncClock.Add(-rules.NewWithin + time.Duration(n/2)*time.Hour + 30*time.Minute)})
			continue
		}
		// Monthly commits, the last one lapsing n/2+1 hours after syncClock.
		last := syncClock.Add(-rules.LapsedAfter + time.Duration(n/2)*time.Hour + 30*time.Minute)
		for m := 0; m < 4; m++ {
			first.Activities = append(first.Activities, model.Activity{Source: "git", ExternalID: fmt.Sprintf("%d-%d", n, m),
				Actor: id.ExternalID, Kind: model.KindCommit, At: last.AddDate(0, -m, 0)})
		}
	}
	first.Cursor = "1"
	mustSync(t, s, fixedOptions(), listSource{"git:/p", []connector.Batch{first}})
	db := storetest.DB(t, s)
	prev, _ := s.Summary(ctx)
	if prev.Funnel.New != 12 || prev.Funnel.Lapsed != 0 {
		t.Fatalf("at first %d new, %d lapsed; want 12, 0", prev.Funnel.New, prev.Funnel.Lapsed)
	}
	// syncClock is noon: up to 11 hours later is the same day.
	for _, h := range []int{1, 2, 5, 11} {
		now := syncClock.Add(time.Duration(h) * time.Hour)
		if _, err := db.Exec("UPDATE member_stats SET kinds = 'marker'"); err != nil {
			t.Fatal(err)
		}
		if err := s.RefreshDirty(ctx, now, rules); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "SELECT count(*) FROM member_stats WHERE kinds <> 'marker'"); n != 0 {
			t.Fatalf("%d rows rederived from activities %d hours later", n, h)
		}
		sum, _ := s.Summary(ctx)
		if sum.Funnel.New != 12-h || sum.Funnel.Lapsed != h {
			t.Errorf("%d hours later: %d new, %d lapsed; want %d, %d", h, sum.Funnel.New, sum.Funnel.Lapsed, 12-h, h)
		}
		standings := func() map[string][]string {
			return map[string][]string{
				"member_stats": storetest.Rows(t, s, `SELECT member_id, stage, is_new, is_lapsed, evidence, topics
					FROM member_stats ORDER BY member_id`),
				"summary": storetest.Rows(t, s, "SELECT * FROM summary ORDER BY key"),
			}
		}
		got := standings()
		if err := s.RefreshDerived(ctx, now, rules); err != nil {
			t.Fatal(err)
		}
		sameTables(t, got, standings())
	}
}
