package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

// fakeSource emits Batches batches of PerBatch activities by a handful of
// people, resuming from the cursor (the number of batches already done).
// Its rows depend only on the batch number, so an interrupted and resumed
// run must end with the same rows as an uninterrupted one.
type fakeSource struct {
	name     string
	batches  int
	perBatch int
	// afterEmit is called after each committed batch (1-based count).
	afterEmit func(n int)
	// failAt makes batch failAt (0-based) fail with a multi-line error.
	failAt int
	// delay slows each batch, for the child process the test kills.
	delay time.Duration
	calls int
	seen  []connector.SyncState
}

func (f *fakeSource) Name() string { return f.name }

func (f *fakeSource) batch(i int) connector.Batch {
	var b connector.Batch
	people := []model.Identity{
		{Source: "git", ExternalID: fmt.Sprintf("dev%d@example.com", i%5), Name: fmt.Sprintf("Dev %d", i%5), Email: fmt.Sprintf("dev%d@example.com", i%5)},
		{Source: "git", ExternalID: fmt.Sprintf("Dev%d+work@example.com", (i+1)%7), Name: "Dev Work", Email: fmt.Sprintf("Dev%d+work@example.com", (i+1)%7)},
	}
	b.Identities = people
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for j := 0; j < f.perBatch; j++ {
		actor := people[j%len(people)]
		b.Activities = append(b.Activities, model.Activity{
			Source: "git", ExternalID: fmt.Sprintf("%s-c%d-%d", f.name, i, j), Actor: actor.ExternalID,
			Kind: model.Kind("commit"), At: base.Add(time.Duration(i*f.perBatch+j) * time.Minute),
			Channel: f.name, Title: fmt.Sprintf("change %d.%d", i, j), Topics: []string{"area" + strconv.Itoa(j%3)},
		})
	}
	b.Questions = []connector.QuestionRecord{{
		Question: model.Question{Source: "git", ExternalID: fmt.Sprintf("%s-q%d", f.name, i), Title: "how?",
			Created: base.Add(time.Duration(i) * time.Hour)},
		AuthorID: people[0].ExternalID,
	}}
	b.Validators = map[string]connector.Validator{fmt.Sprintf("https://example.com/%s/%d", f.name, i): {ETag: fmt.Sprintf(`"e%d"`, i)}}
	b.Cursor = strconv.Itoa(i + 1)
	b.Items = f.perBatch
	return b
}

func (f *fakeSource) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	f.calls++
	f.seen = append(f.seen, state)
	start := 0
	if state.Cursor != "" {
		var err error
		if start, err = strconv.Atoi(state.Cursor); err != nil {
			return err
		}
	}
	for i := start; i < f.batches; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i == f.failAt && f.failAt > 0 {
			return errors.New("server said no\nwith a second line")
		}
		if state.Progress != nil {
			state.Progress(i, f.batches, "batch")
		}
		if f.delay > 0 {
			time.Sleep(f.delay)
		}
		if err := emit(f.batch(i)); err != nil {
			return err
		}
		if f.afterEmit != nil {
			f.afterEmit(i + 1)
		}
	}
	return nil
}

var syncClock = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedOptions() Options {
	return Options{Now: func() time.Time { return syncClock }}
}

func serialOptions() Options {
	opt := fixedOptions()
	opt.Concurrency = 1
	return opt
}

var syncedTables = []string{"orgs", "members", "identities", "activities", "questions",
	"sync_state", "http_cache", "member_stats", "summary"}

var userTables = []string{"member_notes", "member_tags", "member_flags", "identity_links",
	"question_triage", "event_speakers", "event_tasks", "event_budget", "event_attendees",
	"saved_filters", "events"}

// dump reads whole tables as text, in key order, to compare databases.
func dump(t *testing.T, s *store.Store, tables ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range tables {
		out[table] = append([]string{}, storetest.Rows(t, s, "SELECT * FROM "+table+" ORDER BY 1, 2")...)
	}
	return out
}

func sameTables(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for table, w := range want {
		g := got[table]
		if !reflect.DeepEqual(g, w) {
			t.Errorf("table %s differs: %d rows, want %d", table, len(g), len(w))
			for i := 0; i < len(g) || i < len(w); i++ {
				var a, b string
				if i < len(g) {
					a = g[i]
				}
				if i < len(w) {
					b = w[i]
				}
				if a != b {
					t.Errorf("  first difference at row %d:\n  got  %s\n  want %s", i, a, b)
					break
				}
			}
		}
	}
}

// reference is the database an uninterrupted sync of sources produces.
// Sources run one at a time: with several at once, the interleaving of
// their batches (and so the row ids) would differ from run to run.
func reference(t *testing.T, sources func() []connector.Source) map[string][]string {
	t.Helper()
	s, _ := storetest.Open(t)
	for _, r := range Run(context.Background(), s, sources(), serialOptions()) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	return dump(t, s, syncedTables...)
}

func countRows(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := storetest.DB(t, s).QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// installWriteCounter counts every row written to the synced tables, so a
// test can tell "nothing changed" from "rewrote the same values".
func installWriteCounter(t *testing.T, s *store.Store) func() int {
	t.Helper()
	stmts := []string{"CREATE TABLE writes (n INTEGER NOT NULL)", "INSERT INTO writes VALUES (0)"}
	for _, table := range []string{"identities", "activities", "questions", "http_cache"} {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf("CREATE TRIGGER count_%s_%s AFTER %s ON %s BEGIN UPDATE writes SET n = n + 1; END",
				strings.ToLower(op), table, op, table))
		}
	}
	for _, q := range stmts {
		if _, err := storetest.DB(t, s).Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() int { return countRows(t, s, "SELECT n FROM writes") }
}

func TestApplyBatchIsIdempotentAndWritesNothingWhenUnchanged(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	f := &fakeSource{name: "git:/p", batches: 2, perBatch: 150}
	writes := installWriteCounter(t, s)
	for i := 0; i < 2; i++ {
		if err := s.ApplyBatch(ctx, f.name, f.batch(i)); err != nil {
			t.Fatal(err)
		}
	}
	first := dump(t, s, "identities", "activities", "questions", "http_cache")
	if n := len(first["activities"]); n != 300 {
		t.Fatalf("%d activities, want 300", n)
	}
	before := writes()
	if before == 0 {
		t.Fatal("write counter saw nothing")
	}
	for i := 0; i < 2; i++ {
		if err := s.ApplyBatch(ctx, f.name, f.batch(i)); err != nil {
			t.Fatal(err)
		}
	}
	if after := writes(); after != before {
		t.Errorf("re-applying unchanged batches wrote %d rows", after-before)
	}
	sameTables(t, dump(t, s, "identities", "activities", "questions", "http_cache"), first)
	st, err := s.SyncStatus(ctx)
	if err != nil || len(st) != 1 || st[0].Cursor != "2" || st[0].Items != 600 {
		t.Fatalf("status %+v %v; want cursor 2, items 600 (counted per applied batch)", st, err)
	}

	// A changed title updates exactly that row.
	b := f.batch(0)
	b.Activities[7].Title = "retitled"
	if err := s.ApplyBatch(ctx, f.name, b); err != nil {
		t.Fatal(err)
	}
	if got := writes() - before; got != 1 {
		t.Errorf("one changed activity wrote %d rows", got)
	}
	if n := countRows(t, s, "SELECT count(*) FROM activities WHERE title = 'retitled' AND external_id = ?", b.Activities[7].ExternalID); n != 1 {
		t.Errorf("retitled rows: %d", n)
	}
}

func TestApplyBatchUnknownActorWritesNothing(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	b := connector.Batch{
		Identities: []model.Identity{{Source: "git", ExternalID: "a@x.org"}},
		Activities: []model.Activity{
			{Source: "git", ExternalID: "c1", Actor: "a@x.org", Kind: "commit", At: time.Unix(10, 0)},
			{Source: "git", ExternalID: "c2", Actor: "ghost@x.org", Kind: "commit", At: time.Unix(11, 0)},
		},
		Cursor: "1",
	}
	err := s.ApplyBatch(ctx, "git:/p", b)
	if err == nil || !strings.Contains(err.Error(), "git:ghost@x.org") {
		t.Fatalf("err = %v, want one naming git:ghost@x.org", err)
	}
	for _, table := range []string{"identities", "activities", "sync_state"} {
		if n := countRows(t, s, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s has %d rows after a failed batch", table, n)
		}
	}
}

func TestApplyBatchIdentityFieldsAndRemovals(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	full := model.Identity{Source: "github", ExternalID: "zoe", Username: "zoe", Name: "Zoë Müller",
		Company: "@acme", Location: "Zürich"}
	acts := []model.Activity{
		{Source: "github", ExternalID: "pr/1", Actor: "zoe", Kind: "pr_opened", At: time.Unix(100, 0)},
		{Source: "github", ExternalID: "pr/2", Actor: "zoe", Kind: "pr_opened", At: time.Unix(200, 0)},
		// The same activity twice in one batch: the last one wins.
		{Source: "github", ExternalID: "pr/1", Actor: "zoe", Kind: "pr_merged", At: time.Unix(150, 0)},
	}
	if err := s.ApplyBatch(ctx, "github:o/r", connector.Batch{Identities: []model.Identity{full}, Activities: acts}); err != nil {
		t.Fatal(err)
	}
	// A later batch that knows only the login must not erase the profile.
	bare := model.Identity{Source: "github", ExternalID: "zoe", Username: "zoe"}
	if err := s.ApplyBatch(ctx, "github:o/r", connector.Batch{Identities: []model.Identity{bare}, RemovedActivities: []string{"pr/2"}}); err != nil {
		t.Fatal(err)
	}
	var name, company, loc string
	if err := storetest.DB(t, s).QueryRow("SELECT name, company, location FROM identities WHERE external_id = 'zoe'").Scan(&name, &company, &loc); err != nil {
		t.Fatal(err)
	}
	if name != "Zoë Müller" || company != "@acme" || loc != "Zürich" {
		t.Errorf("profile after bare update: %q %q %q", name, company, loc)
	}
	var kind string
	var n int
	if err := storetest.DB(t, s).QueryRow("SELECT count(*), min(kind) FROM activities").Scan(&n, &kind); err != nil {
		t.Fatal(err)
	}
	if n != 1 || kind != "pr_merged" {
		t.Errorf("activities: %d, kind %q; want the one pr/1 as merged", n, kind)
	}
	if k := countRows(t, s, "SELECT count(*) FROM activities WHERE key = ?", store.ActivityKey("github", "pr/1")); k != 1 {
		t.Error("activity not stored under store.ActivityKey(source, external id)")
	}
}

func TestSyncRecordsStatusProgressAndErrors(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	good := &fakeSource{name: "git:/good", batches: 3, perBatch: 10}
	bad := &fakeSource{name: "github:o/bad", batches: 4, perBatch: 10, failAt: 2}
	var progress []string
	opt := fixedOptions()
	opt.OnProgress = func(src string, done, total int, what string) {
		progress = append(progress, fmt.Sprintf("%s %d/%d", src, done, total))
	}
	res := Run(ctx, s, []connector.Source{good, bad}, opt)
	if len(res) != 2 || res[0].Err != nil || res[0].Batches != 3 || res[0].Items != 30 {
		t.Fatalf("good result %+v", res)
	}
	if res[1].Err == nil || res[1].Batches != 2 || !strings.Contains(res[1].Err.Error(), "github:o/bad") {
		t.Fatalf("bad result %+v", res[1])
	}
	if len(progress) != 5 {
		t.Errorf("progress calls %v, want 5 (3 good, 2 before the failure)", progress)
	}
	st, err := s.SyncStatus(ctx)
	if err != nil || len(st) != 2 {
		t.Fatalf("status %+v %v", st, err)
	}
	g, b := st[0], st[1]
	if g.Source != "git:/good" || g.LastError != "" || !g.LastSuccess.Equal(syncClock) || !g.LastRun.Equal(syncClock) || g.Items != 30 {
		t.Errorf("good status %+v", g)
	}
	if b.LastError != "sync github:o/bad: server said no" || !b.LastSuccess.IsZero() || b.Cursor != "2" || b.Items != 20 {
		t.Errorf("bad status %+v (error must be one line)", b)
	}
	// Validators are handed back; the failed source resumes at its cursor.
	bad.failAt = 0
	res = Run(ctx, s, []connector.Source{good, bad}, opt)
	if res[1].Err != nil || res[1].Batches != 2 || bad.seen[1].Cursor != "2" {
		t.Fatalf("resume: %+v, cursor %q", res[1], bad.seen[1].Cursor)
	}
	if res[0].Batches != 0 || good.seen[1].Cursor != "3" {
		t.Errorf("finished source re-read: %+v", res[0])
	}
	if v := good.seen[1].Validator("https://example.com/git:/good/1"); v.ETag != `"e1"` {
		t.Errorf("validator = %+v", v)
	}
	st, _ = s.SyncStatus(ctx)
	if st[1].LastError != "" || st[1].LastSuccess.IsZero() {
		t.Errorf("status after recovery %+v", st[1])
	}
	// Derived summaries were refreshed once for the run.
	sum, err := s.Summary(ctx)
	if err != nil || sum.Activities != 70 || sum.Members == 0 || !sum.AsOf.Equal(syncClock) {
		t.Errorf("summary %+v %v", sum, err)
	}
}

func TestSyncCancelledResumesToSameRows(t *testing.T) {
	sources := func() []connector.Source {
		return []connector.Source{
			&fakeSource{name: "git:/a", batches: 12, perBatch: 40},
			&fakeSource{name: "git:/b", batches: 5, perBatch: 40},
		}
	}
	want := reference(t, sources)

	s, _ := storetest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	srcs := sources()
	srcs[0].(*fakeSource).afterEmit = func(n int) {
		if n == 4 {
			cancel()
		}
	}
	// b waits for a, so it is cancelled before it starts.
	res := Run(ctx, s, srcs, serialOptions())
	if !errors.Is(res[0].Err, context.Canceled) || res[0].Batches != 4 {
		t.Fatalf("cancelled run: %+v", res)
	}
	st, _ := s.SyncStatus(context.Background())
	if len(st) == 0 || st[0].Cursor != "4" || !strings.HasPrefix(st[0].LastError, "interrupted") {
		t.Fatalf("status after cancel %+v", st)
	}
	if n := countRows(t, s, "SELECT count(*) FROM activities"); n != 160 {
		t.Fatalf("%d activities committed, want the 4 batches (160)", n)
	}
	for _, r := range Run(context.Background(), s, sources(), serialOptions()) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	sameTables(t, dump(t, s, syncedTables...), want)
}

const crashChildEnv = "HEARTH_SYNC_CRASH_CHILD_DB"

func crashSource() *fakeSource {
	return &fakeSource{name: "git:/big", batches: 40, perBatch: 500}
}

// TestSyncCrashChild is the child half of TestSyncKilledResumesToSameRows:
// it only runs when re-executed with the database path in its environment.
func TestSyncCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("child of TestSyncKilledResumesToSameRows")
	}
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := crashSource()
	src.delay = 20 * time.Millisecond
	Run(context.Background(), s, []connector.Source{src}, fixedOptions())
	// The parent kills us long before this point.
	time.Sleep(time.Minute)
}

func TestSyncKilledResumesToSameRows(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("in the child")
	}
	want := reference(t, func() []connector.Source { return []connector.Source{crashSource()} })

	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSyncCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	committed := 0
	for committed < 5 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child committed %d batches in 30s", committed)
		}
		time.Sleep(5 * time.Millisecond)
		var items int
		if err := storetest.DB(t, s).QueryRow("SELECT coalesce(max(items), 0) FROM sync_state").Scan(&items); err == nil {
			committed = items / 500
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	got := countRows(t, s, "SELECT count(*) FROM activities")
	if got == 0 || got >= 40*500 || got%500 != 0 {
		t.Fatalf("after the kill %d activities: want whole batches, fewer than all", got)
	}
	for _, r := range Run(context.Background(), s, []connector.Source{crashSource()}, fixedOptions()) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	sameTables(t, dump(t, s, syncedTables...), want)
}

func TestSyncLeavesUserDataAlone(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	src := func() []connector.Source {
		return []connector.Source{&fakeSource{name: "git:/p", batches: 3, perBatch: 20}}
	}
	Run(ctx, s, src(), fixedOptions())
	for _, q := range []string{
		"INSERT INTO member_notes(source, external_id, body, created, updated) VALUES ('git', 'dev1@example.com', 'met at FOSDEM', 1, 2)",
		"INSERT INTO member_tags VALUES ('git', 'dev1@example.com', 'rust')",
		"INSERT INTO member_flags VALUES ('git', 'dev2@example.com', 'speaker')",
		"INSERT INTO identity_links(kind, a_source, a_external_id, b_source, b_external_id, created) VALUES ('split', 'git', 'dev1@example.com', 'git', 'dev2@example.com', 3)",
		"INSERT INTO question_triage(source, external_id, assignee, status, note, updated) VALUES ('git', 'git:/p-q1', 'ana', 'snoozed', 'ask Bo', 4)",
		"INSERT INTO events(uid, source, name, starts) VALUES ('ev1', 'hearth', 'Meetup', 5)",
		"INSERT INTO event_tasks(event_uid, title, owner) VALUES ('ev1', 'book room', 'ana')",
		"INSERT INTO event_speakers(event_uid, name, member_key) VALUES ('ev1', 'Dev 1', 'git:dev1@example.com')",
		"INSERT INTO event_budget(event_uid, item, amount_cents) VALUES ('ev1', 'pizza', 12000)",
		"INSERT INTO event_attendees(event_uid, name) VALUES ('ev1', 'Bo')",
		"INSERT INTO saved_filters VALUES ('regulars', 'people', 'stage:regular')",
	} {
		if _, err := storetest.DB(t, s).Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before := dump(t, s, userTables...)
	Run(ctx, s, src(), fixedOptions())
	// A source rewritten from scratch: everything re-imported.
	if _, err := storetest.DB(t, s).Exec("DELETE FROM sync_state"); err != nil {
		t.Fatal(err)
	}
	for _, r := range Run(ctx, s, src(), fixedOptions()) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	sameTables(t, dump(t, s, userTables...), before)
	// The split was honoured, and the flag still reaches the member.
	if n := countRows(t, s, `SELECT count(DISTINCT member_id) FROM identities
		WHERE external_id IN ('dev1@example.com', 'dev2@example.com')`); n != 2 {
		t.Errorf("split identities share a member")
	}
}

// TestApplyBatchMixedNewAndChanged covers both write paths: chunks of new
// rows inserted straight away, and chunks where an existing row hides
// among new ones and must be compared and updated.
func TestApplyBatchMixedNewAndChanged(t *testing.T) {
	ctx := context.Background()
	who := []model.Identity{{Source: "git", ExternalID: "a@x.org"}, {Source: "git", ExternalID: "b@x.org"}}
	act := func(i int, title string) model.Activity {
		return model.Activity{Source: "git", ExternalID: fmt.Sprintf("c%04d", i), Actor: who[i%2].ExternalID,
			Kind: "commit", At: time.Unix(int64(1000+i), 0), Title: title}
	}
	var old, mixed, final []model.Activity
	for i := 0; i < 20; i++ {
		old = append(old, act(i, "old"))
	}
	for i := 0; i < 2000; i++ {
		title := "new"
		if i < 20 {
			title = "old"
			if i%2 == 0 {
				title = "changed"
			}
		}
		mixed = append(mixed, act(i, title))
		final = append(final, act(i, title))
	}
	s, _ := storetest.Open(t)
	writes := installWriteCounter(t, s)
	if err := s.ApplyBatch(ctx, "git:/p", connector.Batch{Identities: who, Activities: old}); err != nil {
		t.Fatal(err)
	}
	before := writes()
	if err := s.ApplyBatch(ctx, "git:/p", connector.Batch{Identities: who, Activities: mixed}); err != nil {
		t.Fatal(err)
	}
	// Plus the activity count of each of the two identities.
	if got := writes() - before; got != 1980+10+2 {
		t.Errorf("%d rows written, want 1980 inserts, 10 updates and 2 counts", got)
	}
	for _, w := range who {
		if got := countRows(t, s, "SELECT activities FROM identities WHERE external_id = ?", w.ExternalID); got != 1000 {
			t.Errorf("%s counts %d activities, want 1000", w.ExternalID, got)
		}
	}
	ref, _ := storetest.Open(t)
	if err := ref.ApplyBatch(ctx, "git:/p", connector.Batch{Identities: who, Activities: final}); err != nil {
		t.Fatal(err)
	}
	q := "SELECT key, source, external_id, identity_id, kind, at, channel, url, title, topics FROM activities ORDER BY key"
	dumpQ := func(st *store.Store) []string {
		rows, err := storetest.DB(t, st).Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v [10]any
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	if got, want := dumpQ(s), dumpQ(ref); !reflect.DeepEqual(got, want) {
		t.Errorf("mixed batch left %d rows differing from a clean import of %d", len(got), len(want))
	}
}
