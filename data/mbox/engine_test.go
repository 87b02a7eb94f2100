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
	"hearth/data/engine/enginetest"
	"hearth/data/store/storetest"
)

var syncNow = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func cleanImport(t *testing.T, list string) map[string][]string {
	t.Helper()
	st, _ := storetest.Open(t)
	if res := enginetest.Run(t, context.Background(), st, syncNow, mustNew(t, list, Options{})); res.Err != nil {
		t.Fatal(res.Err)
	}
	return enginetest.Tables(t, st)
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
	enginetest.WriteFile(t, filepath.Join(list, "2024-March.txt.gz"), gz(t, pipermail(marchMsgs[:5]...)))
	enginetest.WriteFile(t, filepath.Join(list, "2024-April.txt"), []byte(pipermail(aprilMsgs[:1]...)))

	st, _ := storetest.Open(t)
	src := mustNew(t, list, Options{})
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Items != 6 {
		t.Fatalf("first sync: %+v", res)
	}
	if got, want := enginetest.Tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("first sync differs from a clean import:\n%v\n%v", got, want)
	}

	// Unchanged: no batch, no write.
	before := enginetest.Tables(t, st)
	res := enginetest.Run(t, ctx, st, syncNow, src)
	if res.Err != nil || res.Batches != 0 || res.Items != 0 {
		t.Fatalf("unchanged archive: %+v", res)
	}
	if !reflect.DeepEqual(enginetest.Tables(t, st), before) {
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
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Items != len(aprilMsgs)-1 {
		t.Fatalf("grown file: %+v, want %d items", res, len(aprilMsgs)-1)
	}
	if got, want := enginetest.Tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("after growth differs from a clean import:\n%v\n%v", got, want)
	}

	// March's .gz regenerated with two more messages: only those are new.
	enginetest.WriteFile(t, filepath.Join(list, "2024-March.txt.gz"), gz(t, pipermail(marchMsgs...)))
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(list, "2024-March.txt.gz"), later, later); err != nil {
		t.Fatal(err)
	}
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Items != len(marchMsgs)-5 {
		t.Fatalf("regenerated gzip: %+v, want %d items", res, len(marchMsgs)-5)
	}
	if got, want := enginetest.Tables(t, st), cleanImport(t, list); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the gzip changed differs from a clean import:\n%v\n%v", got, want)
	}

	// A file rewritten in place (not appended: its last message is no
	// longer where the cursor says) is read again from the start.
	enginetest.WriteFile(t, filepath.Join(list, "2024-April.txt"), []byte(pipermail(aprilMsgs[2], aprilMsgs[0], aprilMsgs[1])))
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Items != len(aprilMsgs) {
		t.Fatalf("rewritten file: %+v, want %d items", res, len(aprilMsgs))
	}
	if got := enginetest.Tables(t, st); len(got["activities"]) != len(marchMsgs)+len(aprilMsgs) {
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
		res := enginetest.Run(t, ctx, st, syncNow, cancelAfter{mustNew(t, list, Options{BatchSize: size}), cancel})
		cancel()
		if !errors.Is(res.Err, context.Canceled) || res.Batches != 1 {
			t.Fatalf("batch size %d: killed run %+v, want one batch then cancelled", size, res)
		}
		if got := storetest.Int(t, st, `SELECT count(*) FROM activities`); got == 0 || got >= len(want["activities"]) {
			t.Fatalf("batch size %d: %d activities after the kill", size, got)
		}
		if res := enginetest.Run(t, context.Background(), st, syncNow, mustNew(t, list, Options{BatchSize: size})); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := enginetest.Tables(t, st); !reflect.DeepEqual(got, want) {
			t.Errorf("batch size %d: resumed sync differs from a clean one:\n%v\n%v", size, got, want)
		}
	}
}
