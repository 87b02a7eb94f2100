package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

// listSource emits fixed batches, for tests that need exact contents.
type listSource struct {
	name    string
	batches []connector.Batch
}

func (l listSource) Name() string { return l.name }

func (l listSource) Sync(ctx context.Context, _ connector.SyncState, emit func(connector.Batch) error) error {
	for _, b := range l.batches {
		if err := emit(b); err != nil {
			return err
		}
	}
	return nil
}

func devIdentity(n int) model.Identity {
	e := fmt.Sprintf("dev%d@example.com", n)
	return model.Identity{Source: "git", ExternalID: e, Name: fmt.Sprintf("Dev %d", n), Email: e}
}

func commits(who model.Identity, from, n int, at time.Time) []model.Activity {
	var out []model.Activity
	for i := 0; i < n; i++ {
		out = append(out, model.Activity{Source: "git", ExternalID: fmt.Sprintf("%s-%d", who.ExternalID, from+i),
			Actor: who.ExternalID, Kind: model.KindCommit, At: at.AddDate(0, -i, 0), Topics: []string{"storage"}})
	}
	return out
}

// A small sync refreshes only the members it touched, and ends with the
// same derived rows as a full refresh would.
func TestSmallSyncRefreshesOnlyTouchedMembers(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	var first connector.Batch
	for n := 0; n < 40; n++ {
		id := devIdentity(n)
		first.Identities = append(first.Identities, id)
		first.Activities = append(first.Activities, commits(id, 0, 1+n%4, syncClock.AddDate(0, 0, -10))...)
	}
	first.Cursor = "1"
	opt := fixedOptions()
	if res := Run(ctx, s, []connector.Source{listSource{"git:/p", []connector.Batch{first}}}, opt); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	// Mark an untouched member's row: an incremental refresh leaves it alone.
	var untouched int64
	if err := storetest.DB(t, s).QueryRow(`SELECT member_id FROM identities WHERE external_id = 'dev30@example.com'`).Scan(&untouched); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.DB(t, s).Exec("UPDATE member_stats SET topics = 'marker' WHERE member_id = ?", untouched); err != nil {
		t.Fatal(err)
	}

	// Later the same day: two people commit more, a newcomer arrives with
	// an address that is dev5's in another case (a merge), and one commit
	// of dev7 is dropped by a rewritten history.
	opt.Now = func() time.Time { return syncClock.Add(2 * time.Hour) }
	newcomer := model.Identity{Source: "git", ExternalID: "newbie@example.com", Name: "New Bie", Email: "newbie@example.com"}
	alias := model.Identity{Source: "git", ExternalID: "Dev5@Example.com", Name: "Dev Five", Email: "Dev5@Example.com"}
	second := connector.Batch{Identities: []model.Identity{devIdentity(1), devIdentity(2), newcomer, alias}, Cursor: "2"}
	second.Activities = append(second.Activities, commits(devIdentity(1), 100, 6, syncClock)...)
	second.Activities = append(second.Activities, commits(devIdentity(2), 100, 1, syncClock)...)
	second.Activities = append(second.Activities, commits(newcomer, 0, 1, syncClock)...)
	second.Activities = append(second.Activities, commits(alias, 0, 2, syncClock)...)
	second.RemovedActivities = []string{"dev7@example.com-0"}
	if res := Run(ctx, s, []connector.Source{listSource{"git:/p", []connector.Batch{second}}}, opt); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if got := countRows(t, s, "SELECT count(*) FROM member_stats WHERE topics = 'marker'"); got != 1 {
		t.Fatal("an untouched member was rederived: the refresh was not incremental")
	}
	var dev1 model.Member
	ms, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Name == "Dev 1" {
			dev1 = m
		}
	}
	if dev1.Activities != 8 || dev1.Standing.Stage != model.StageRegular {
		t.Fatalf("Dev 1 after the sync: %d activities, %v", dev1.Activities, dev1.Standing.Stage)
	}

	// The incremental refresh judged every untouched member's standing as
	// of now too, from the history kept in member_stats: the summary is as
	// of now.
	if sum, _ := s.Summary(ctx); !sum.AsOf.Equal(opt.Now()) {
		t.Errorf("as of %v after an incremental refresh, want %v", sum.AsOf, opt.Now())
	}
	if n := countRows(t, s, "SELECT (SELECT count(*) FROM dirty_identities) + (SELECT count(*) FROM dirty_members)"); n != 0 {
		t.Errorf("%d dirty rows left after the refresh", n)
	}
	incremental := dump(t, s, "member_stats", "summary")
	if _, err := storetest.DB(t, s).Exec("UPDATE member_stats SET topics = 'storage' WHERE member_id = ?", untouched); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(ctx, opt.Now(), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	full := dump(t, s, "member_stats", "summary")
	for i, row := range incremental["member_stats"] {
		incremental["member_stats"][i] = strings.Replace(row, "marker", "storage", 1)
	}
	dropAsOf(incremental)
	dropAsOf(full)
	sameTables(t, incremental, full)
}

// dropAsOf removes the as_of row from a dump of summary.
func dropAsOf(d map[string][]string) {
	d["summary"] = slices.DeleteFunc(d["summary"], func(r string) bool { return strings.HasPrefix(r, "as_of") })
}

// Summaries older than a day are rebuilt in full: new and lapsed change
// with the date even when the data does not.
func TestOldSummariesGetAFullRefresh(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	id := devIdentity(1)
	b := connector.Batch{Identities: []model.Identity{id}, Activities: commits(id, 0, 1, syncClock.AddDate(0, 0, -20)), Cursor: "1"}
	opt := fixedOptions()
	if res := Run(ctx, s, []connector.Source{listSource{"git:/p", []connector.Batch{b}}}, opt); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if sum, _ := s.Summary(ctx); sum.Funnel.New != 1 {
		t.Fatalf("new after the first sync: %d", sum.Funnel.New)
	}
	// Two weeks later nothing changed at the source, but nobody is new.
	opt.Now = func() time.Time { return syncClock.AddDate(0, 0, 14) }
	if res := Run(ctx, s, []connector.Source{listSource{"git:/p", nil}}, opt); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if sum, _ := s.Summary(ctx); sum.Funnel.New != 0 {
		t.Fatalf("new two weeks later: %d", sum.Funnel.New)
	}
}

func TestSyncReportsElapsed(t *testing.T) {
	s, _ := storetest.Open(t)
	id := devIdentity(1)
	b := connector.Batch{Identities: []model.Identity{id}, Activities: commits(id, 0, 3, syncClock), Cursor: "1"}
	res := Run(context.Background(), s, []connector.Source{listSource{"git:/p", []connector.Batch{b}}}, fixedOptions())
	if res[0].Err != nil || res[0].Elapsed <= 0 || res[0].Batches != 1 || res[0].Items != 0 {
		t.Fatalf("result %+v: want one batch and a measured time", res[0])
	}
}

func hasIndex(t *testing.T, s *store.Store, name string) bool {
	t.Helper()
	return countRows(t, s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?", name) == 1
}

// A first import drops the identity index and must always end with it:
// after a complete run, after a cancelled one, and (when the process died
// in between) at the next Open.
func TestFirstImportRestoresTheIdentityIndex(t *testing.T) {
	ctx := context.Background()
	id := devIdentity(1)
	batch := func(n int) connector.Batch {
		return connector.Batch{Identities: []model.Identity{id}, Activities: commits(id, n*10, 10, syncClock), Cursor: fmt.Sprint(n)}
	}

	s, path := storetest.Open(t)
	if res := Run(ctx, s, []connector.Source{listSource{"git:/p", []connector.Batch{batch(0), batch(1)}}}, fixedOptions()); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if !hasIndex(t, s, "activities_identity") {
		t.Fatal("no identity index after a first import")
	}

	// Cancelled half-way: the index is rebuilt before Sync returns.
	s2, _ := storetest.Open(t)
	cctx, cancel := context.WithCancel(ctx)
	src := &cancelAfter{listSource{"git:/q", []connector.Batch{batch(0), batch(1), batch(2)}}, cancel}
	Run(cctx, s2, []connector.Source{src}, fixedOptions())
	if countRows(t, s2, "SELECT count(*) FROM activities") == 0 || !hasIndex(t, s2, "activities_identity") {
		t.Fatal("a cancelled first import must keep its batches and the index")
	}

	// Killed between the drop and the rebuild: the next Open repairs it.
	if _, err := storetest.DB(t, s).Exec("DROP INDEX activities_identity"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s3, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if !hasIndex(t, s3, "activities_identity") {
		t.Fatal("Open did not rebuild the missing index")
	}
	if _, err := s3.MemberDetail(ctx, 1, 5); err != nil {
		t.Fatal(err)
	}
}

// cancelAfter cancels the sync once its first batch is written.
type cancelAfter struct {
	listSource
	cancel context.CancelFunc
}

func (c *cancelAfter) Sync(ctx context.Context, st connector.SyncState, emit func(connector.Batch) error) error {
	for i, b := range c.batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(b); err != nil {
			return err
		}
		if i == 0 {
			c.cancel()
		}
	}
	return nil
}
