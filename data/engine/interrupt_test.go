package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

// Interrupted incremental syncs. The members a batch touches are rederived
// once, at the end of the run; these tests stop runs between the two (in
// process, by SIGINT and by SIGKILL) and check that the next run ends with
// the very rows an uninterrupted one writes.

// growingSource is a generated community seen at two moments. Its first
// oldBatches batches are the older state; the newer state adds batches
// whose first one also drops the old commits of two identities, as a
// force-push does: all of dev7's (a member that is then gone), and all of
// the alias Dev8@Example.org's, which gave dev8's member its name. Rows
// depend only on the batch number and the cursor is the number of batches
// done, so a resumed run emits exactly what an uninterrupted one would.
type growingSource struct {
	name    string
	batches int // oldBatches for the older state, allBatches for the newer
	// afterEmit is called after each batch of the run is committed, n
	// counting from 1 in this run.
	afterEmit func(n int)
}

const (
	oldBatches     = 6
	allBatches     = 10
	growingPeople  = 300
	growingPerOld  = 250
	growingPerNew  = 12
	growingSrcName = "git:/growing"
)

func (g *growingSource) Name() string { return g.name }

func growingIdentity(n int) model.Identity {
	e := fmt.Sprintf("dev%d@example.org", n)
	return model.Identity{Source: "git", ExternalID: e, Name: fmt.Sprintf("Dev %d", n), Email: e}
}

// growingAlias is dev8 under another spelling of the address (one person
// by the merge rules) and an old name, with most of dev8's commits.
var growingAlias = model.Identity{Source: "git", ExternalID: "Dev8@Example.org", Name: "Dev Eight Old", Email: "Dev8@Example.org"}

func (g *growingSource) batch(i int) connector.Batch {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	b := connector.Batch{Cursor: strconv.Itoa(i + 1)}
	ids := map[string]bool{}
	add := func(id model.Identity, kind model.Kind, at time.Time, j int) {
		if !ids[id.ExternalID] {
			ids[id.ExternalID] = true
			b.Identities = append(b.Identities, id)
		}
		b.Activities = append(b.Activities, model.Activity{
			Source: "git", ExternalID: fmt.Sprintf("c%d-%d", i, j), Actor: id.ExternalID, Kind: kind, At: at,
			Channel: "growing", Title: fmt.Sprintf("change %d.%d", i, j),
			Topics: []string{"area" + strconv.Itoa(r.IntN(5))},
		})
	}
	kinds := []model.Kind{model.KindCommit, model.KindCommit, model.KindDocChange, "comment", "review"}
	if i < oldBatches {
		for j := 0; j < growingPerOld; j++ {
			// Everyone appears in the older state; the rest is random.
			n := (i*growingPerOld + j) % growingPeople
			if j%2 == 1 {
				n = r.IntN(growingPeople)
			}
			id := growingIdentity(n)
			if n == 8 && j%3 != 0 {
				id = growingAlias
			}
			at := syncClock.Add(-time.Duration(r.IntN(700*24)) * time.Hour)
			add(id, kinds[r.IntN(len(kinds))], at, j)
		}
		b.Items = growingPerOld
	} else {
		if i == oldBatches {
			b.RemovedActivities = growingRemoved()
		}
		// A few people come back, one newcomer per batch.
		for j := 0; j < growingPerNew; j++ {
			id := growingIdentity(10 + (i-oldBatches)*5 + j%5)
			if j == growingPerNew-1 {
				id = growingIdentity(growingPeople + i)
			}
			add(id, kinds[r.IntN(len(kinds))], syncClock.Add(-time.Duration(r.IntN(48))*time.Hour), j)
		}
		b.Items = growingPerNew
	}
	b.Questions = []connector.QuestionRecord{{
		Question: model.Question{Source: "git", ExternalID: fmt.Sprintf("q%d", i), Title: "why?",
			Created: syncClock.Add(-time.Duration(i) * time.Hour)},
		AuthorID: b.Identities[0].ExternalID,
	}}
	return b
}

// growingRemoved lists the old activities of dev7 and of dev8's alias.
func growingRemoved() []string {
	var out []string
	g := &growingSource{}
	for i := 0; i < oldBatches; i++ {
		for _, a := range g.batch(i).Activities {
			if a.Actor == growingIdentity(7).ExternalID || a.Actor == growingAlias.ExternalID {
				out = append(out, a.ExternalID)
			}
		}
	}
	return out
}

func (g *growingSource) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	start := 0
	if state.Cursor != "" {
		var err error
		if start, err = strconv.Atoi(state.Cursor); err != nil {
			return err
		}
	}
	for i := start; i < g.batches; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(g.batch(i)); err != nil {
			return err
		}
		if g.afterEmit != nil {
			g.afterEmit(i - start + 1)
		}
	}
	return nil
}

// truthQueries read every synced and derived table, sync_state without the
// times of runs.
var truthQueries = map[string]string{
	"orgs":             "SELECT * FROM orgs ORDER BY id",
	"members":          "SELECT * FROM members ORDER BY id",
	"identities":       "SELECT * FROM identities ORDER BY id",
	"activities":       "SELECT * FROM activities ORDER BY id",
	"questions":        "SELECT * FROM questions ORDER BY id",
	"http_cache":       "SELECT * FROM http_cache ORDER BY url",
	"member_stats":     "SELECT * FROM member_stats ORDER BY member_id",
	"summary":          "SELECT * FROM summary ORDER BY key",
	"sync_state":       "SELECT source, cursor, last_error, items FROM sync_state ORDER BY source",
	"dirty_identities": "SELECT * FROM dirty_identities ORDER BY id",
	"dirty_members":    "SELECT * FROM dirty_members ORDER BY id",
}

func dumpTruth(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range truthQueries {
		out[name] = append([]string{}, storetest.Rows(t, s, q)...)
	}
	return out
}

func mustSync(t *testing.T, s *store.Store, opt Options, sources ...connector.Source) {
	t.Helper()
	for _, r := range Run(context.Background(), s, sources, opt) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
}

// growingReference is the database of an uninterrupted older and newer sync.
func growingReference(t *testing.T) map[string][]string {
	t.Helper()
	s, _ := storetest.Open(t)
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: oldBatches})
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: allBatches})
	return dumpTruth(t, s)
}

// The reference itself must show what the tests are about: an incremental
// second run, a member gone with its commits, a name gone with an alias.
func TestGrowingReferenceIsIncremental(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: oldBatches})
	var dev7, dev8 int64
	if err := storetest.DB(t, s).QueryRow(`SELECT (SELECT member_id FROM identities WHERE external_id = 'dev7@example.org'),
		(SELECT member_id FROM identities WHERE external_id = 'dev8@example.org')`).Scan(&dev7, &dev8); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := storetest.DB(t, s).QueryRow("SELECT name FROM member_stats WHERE member_id = ?", dev8).Scan(&name); err != nil || name != "Dev Eight Old" {
		t.Fatalf("dev8 is %q (%v) before the force-push", name, err)
	}
	if _, err := storetest.DB(t, s).Exec("UPDATE member_stats SET topics = 'marker' WHERE member_id = 1"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: allBatches})
	if countRows(t, s, "SELECT count(*) FROM member_stats WHERE topics = 'marker'") != 1 {
		t.Fatal("the newer sync refreshed every member: the tests would not exercise the incremental refresh")
	}
	if countRows(t, s, "SELECT count(*) FROM member_stats WHERE member_id = ?", dev7) != 0 {
		t.Error("dev7 is still listed with all of its commits removed")
	}
	d, err := s.MemberDetail(ctx, dev8, 0)
	if err != nil || d.Name != "Dev 8" || len(d.Emails) != 1 || len(d.Identities) != 1 {
		t.Errorf("dev8 after the force-push: %q %v, %d identities (%v)", d.Name, d.Emails, len(d.Identities), err)
	}
}

// TestSyncCancelledAfterFirstBatchCatchesUp stops an incremental run after
// its first batch in process, then runs a sync of another source that has
// nothing new: it must rederive what the stopped run left stale.
func TestSyncCancelledAfterFirstBatchCatchesUp(t *testing.T) {
	s, _ := storetest.Open(t)
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: oldBatches})
	ctx, cancel := context.WithCancel(context.Background())
	src := &growingSource{name: growingSrcName, batches: allBatches, afterEmit: func(n int) { cancel() }}
	res := Run(ctx, s, []connector.Source{src}, fixedOptions())
	if !errors.Is(res[0].Err, context.Canceled) || res[0].Batches != 1 {
		t.Fatalf("cancelled run: %+v", res)
	}
	if countRows(t, s, "SELECT count(*) FROM dirty_identities") == 0 {
		t.Fatal("the stopped run left nothing marked dirty")
	}
	mustSync(t, s, fixedOptions(), listSource{name: "git:/idle"})
	got := dumpTruth(t, s)
	if err := s.RefreshDerived(context.Background(), syncClock, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	sameTables(t, got, dumpTruth(t, s))
	if n := len(got["dirty_identities"]) + len(got["dirty_members"]); n != 0 {
		t.Errorf("%d dirty rows after the catch-up", n)
	}
}

const (
	interruptChildEnv  = "HEARTH_INTERRUPT_CHILD_DB"
	interruptMarkerEnv = "HEARTH_INTERRUPT_CHILD_MARKER"
)

// TestInterruptedSyncChild is the child of TestSyncInterruptedBy*: it runs
// the newer sync as the command line does, its context cancelled by
// SIGINT, and after the run's first committed batch writes the marker file
// and waits to be interrupted or killed.
func TestInterruptedSyncChild(t *testing.T) {
	path := os.Getenv(interruptChildEnv)
	if path == "" {
		t.Skip("child of TestSyncInterruptedBySIGINT and TestSyncInterruptedBySIGKILL")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src := &growingSource{name: growingSrcName, batches: allBatches, afterEmit: func(n int) {
		if n != 1 {
			return
		}
		if err := os.WriteFile(os.Getenv(interruptMarkerEnv), []byte("1"), 0o644); err != nil {
			t.Error(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Minute):
		}
	}}
	res := Run(ctx, s, []connector.Source{src}, fixedOptions())
	if !errors.Is(res[0].Err, context.Canceled) || res[0].Batches != 1 {
		t.Fatalf("interrupted run: %+v", res)
	}
}

func TestSyncInterruptedBySIGINT(t *testing.T)  { interruptedSync(t, os.Interrupt) }
func TestSyncInterruptedBySIGKILL(t *testing.T) { interruptedSync(t, syscall.SIGKILL) }

// interruptedSync syncs the older state, starts the newer sync in a child
// process, stops it with sig right after its first batch is committed,
// syncs again and compares every table with an uninterrupted run's.
func interruptedSync(t *testing.T, sig os.Signal) {
	if os.Getenv(interruptChildEnv) != "" {
		t.Skip("in the child")
	}
	want := growingReference(t)

	dir := t.TempDir()
	path, marker := filepath.Join(dir, "hearth.db"), filepath.Join(dir, "first-batch")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: oldBatches})

	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptedSyncChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), interruptChildEnv+"="+path, interruptMarkerEnv+"="+marker)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child committed no batch in 60s:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if sig == os.Interrupt && err != nil {
		t.Fatalf("the interrupted child failed: %v\n%s", err, out.String())
	}
	if sig == syscall.SIGKILL && err == nil {
		t.Fatal("the child survived SIGKILL")
	}

	// Exactly the first batch of the newer state is in, and what it
	// touched is marked, not yet rederived.
	st, _ := s.SyncStatus(context.Background())
	if len(st) != 1 || st[0].Cursor != strconv.Itoa(oldBatches+1) {
		t.Fatalf("status after the interruption: %+v", st)
	}
	if countRows(t, s, "SELECT count(*) FROM dirty_identities") == 0 {
		t.Fatal("nothing marked dirty after the interruption")
	}
	mid := dumpTruth(t, s)
	if fmt.Sprint(mid["member_stats"]) == fmt.Sprint(want["member_stats"]) {
		t.Fatal("member_stats already right before the rerun: the test does not test anything")
	}

	mustSync(t, s, fixedOptions(), &growingSource{name: growingSrcName, batches: allBatches})
	sameTables(t, dumpTruth(t, s), want)
}
