package mbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
	"hearth/data/store/storetest"
)

var syncNow = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func runEngine(t *testing.T, ctx context.Context, st *store.Store, src connector.Source) engine.Result {
	t.Helper()
	res := engine.Run(ctx, st, []connector.Source{src}, engine.Options{Now: func() time.Time { return syncNow }})
	if len(res) != 1 {
		t.Fatalf("sync: %+v", res)
	}
	return res[0]
}

// tables is what a user sees of a list: identities, activities and
// questions, with identities by their external id.
func tables(t *testing.T, st *store.Store) map[string][]string {
	t.Helper()
	return map[string][]string{
		"identities": storetest.Rows(t, st, `SELECT source, external_id, name, email, bot FROM identities ORDER BY source, external_id`),
		"activities": storetest.Rows(t, st, `SELECT a.external_id, i.external_id, a.kind, a.at, a.channel, a.title
			FROM activities a JOIN identities i ON i.id = a.identity_id ORDER BY a.external_id`),
		"questions": storetest.Rows(t, st, `SELECT q.external_id, q.title, q.body, a.external_id, q.created,
			coalesce(q.first_response_at, 0), coalesce(r.external_id, '')
			FROM questions q JOIN identities a ON a.id = q.author_id LEFT JOIN identities r ON r.id = q.responder_id
			ORDER BY q.external_id`),
	}
}

func cleanImport(t *testing.T, list string) map[string][]string {
	t.Helper()
	st, _ := storetest.Open(t)
	if res := runEngine(t, context.Background(), st, mustNew(t, list, Options{})); res.Err != nil {
		t.Fatal(res.Err)
	}
	return tables(t, st)
}

// TestIncrementalEqualsClean follows an archive as pipermail grows it: an
// unchanged archive writes nothing; the current month's .txt grows and is
// read from where it stopped; a new month appears; the last month's
// .txt.gz is regenerated with more messages. Each time the store equals a
// clean import of the archive as it then is.
func TestIncrementalEqualsClean(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	marchMsgs, aprilMsgs, _ := community()
	list := filepath.Join(dir, "kestrel-users")
	write(t, filepath.Join(list, "2024-March.txt.gz"), gz(t, pipermail(marchMsgs[:5]...)))
	write(t, filepath.Join(list, "2024-April.txt"), []byte(pipermail(aprilMsgs[:1]...)))

	st, _ := storetest.Open(t)
	src := mustNew(t, list, Options{})
	if res := runEngine(t, ctx, st, src); res.Err != nil || res.Items != 6 {
		t.Fatalf("first sync: %+v", res)
	}
	if got, want := tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("first sync differs from a clean import:\n%v\n%v", got, want)
	}

	// Unchanged: no batch, no write.
	before := tables(t, st)
	res := runEngine(t, ctx, st, src)
	if res.Err != nil || res.Batches != 0 || res.Items != 0 {
		t.Fatalf("unchanged archive: %+v", res)
	}
	if !reflect.DeepEqual(tables(t, st), before) {
		t.Error("an unchanged archive changed the tables")
	}

	// April grows: only the new messages are read.
	f, err := os.OpenFile(filepath.Join(list, "2024-April.txt"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(pipermail(aprilMsgs[1:]...)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if res := runEngine(t, ctx, st, src); res.Err != nil || res.Items != len(aprilMsgs)-1 {
		t.Fatalf("grown file: %+v, want %d items", res, len(aprilMsgs)-1)
	}
	if got, want := tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("after growth differs from a clean import:\n%v\n%v", got, want)
	}

	// March's .gz regenerated with two more messages: only those are new.
	write(t, filepath.Join(list, "2024-March.txt.gz"), gz(t, pipermail(marchMsgs...)))
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(list, "2024-March.txt.gz"), later, later); err != nil {
		t.Fatal(err)
	}
	if res := runEngine(t, ctx, st, src); res.Err != nil || res.Items != len(marchMsgs)-5 {
		t.Fatalf("regenerated gzip: %+v, want %d items", res, len(marchMsgs)-5)
	}
	if got, want := tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the gzip changed differs from a clean import:\n%v\n%v", got, want)
	}

	// A file rewritten in place (not appended: its last message is no
	// longer where the cursor says) is read again from the start.
	write(t, filepath.Join(list, "2024-April.txt"), []byte(pipermail(aprilMsgs[2], aprilMsgs[0], aprilMsgs[1])))
	if res := runEngine(t, ctx, st, src); res.Err != nil || res.Items != len(aprilMsgs) {
		t.Fatalf("rewritten file: %+v, want %d items", res, len(aprilMsgs))
	}
	if got := tables(t, st); len(got["activities"]) != len(marchMsgs)+len(aprilMsgs) {
		t.Errorf("%d activities after a rewrite, want %d", len(got["activities"]), len(marchMsgs)+len(aprilMsgs))
	}
}

// cancelAfter cancels the run once its first batch is committed, as a
// user's Ctrl-C or a killed process would between batches.
type cancelAfter struct {
	*Source
	cancel context.CancelFunc
}

func (c cancelAfter) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	return c.Source.Sync(ctx, state, func(b connector.Batch) error {
		err := emit(b)
		c.cancel()
		return err
	})
}

func TestKilledSyncResumesLikeACleanOne(t *testing.T) {
	list := writeCommunity(t, t.TempDir())
	want := cleanImport(t, list)
	for _, size := range []int{1, 2, 3, 4} {
		st, _ := storetest.Open(t)
		ctx, cancel := context.WithCancel(context.Background())
		res := runEngine(t, ctx, st, cancelAfter{mustNew(t, list, Options{BatchSize: size}), cancel})
		cancel()
		if !errors.Is(res.Err, context.Canceled) || res.Batches != 1 {
			t.Fatalf("batch size %d: killed run %+v, want one batch then cancelled", size, res)
		}
		if got := storetest.Int(t, st, `SELECT count(*) FROM activities`); got == 0 || got >= len(want["activities"]) {
			t.Fatalf("batch size %d: %d activities after the kill", size, got)
		}
		if res := runEngine(t, context.Background(), st, mustNew(t, list, Options{BatchSize: size})); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := tables(t, st); !reflect.DeepEqual(got, want) {
			t.Errorf("batch size %d: resumed sync differs from a clean one:\n%v\n%v", size, got, want)
		}
	}
}
