package slack

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

func cleanImport(t *testing.T, path string) map[string][]string {
	t.Helper()
	st, _ := storetest.Open(t)
	if res := enginetest.Run(t, context.Background(), st, syncNow, mustNew(t, path, Options{URL: wsURL})); res.Err != nil {
		t.Fatal(res.Err)
	}
	return enginetest.Tables(t, st)
}

// TestIncrementalEqualsClean follows a workspace as its admin exports it
// again and again to the same path: an unchanged export writes nothing; a
// newer one, cut later in the day and with days more, adds only what is
// new. Each time the store equals a clean import of the export as it then
// is. Zipped and unzipped.
func TestIncrementalEqualsClean(t *testing.T) {
	w := community()
	cuts := []time.Time{day4.Add(2*time.Hour + 30*time.Minute), day4.Add(24*time.Hour + 25*time.Minute), day4.Add(30 * time.Hour), day4.Add(72 * time.Hour)}
	for _, zipped := range []bool{false, true} {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "kestrel")
		export := func(w workspace) {
			if zipped {
				w.writeZip(t, path)
				return
			}
			os.RemoveAll(path)
			w.writeDir(t, path)
		}
		st, _ := storetest.Open(t)
		var src *Source
		stored := 0
		for i, cut := range cuts {
			export(w.until(cut))
			if src == nil {
				src = mustNew(t, path, Options{URL: wsURL})
			}
			res := enginetest.Run(t, ctx, st, syncNow, src)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			want := cleanImport(t, path)
			if res.Items != len(want["activities"])-stored {
				t.Errorf("zip %v, export %d: %d items, want only the %d new", zipped, i, res.Items, len(want["activities"])-stored)
			}
			stored = len(want["activities"])
			if got := enginetest.Tables(t, st); !reflect.DeepEqual(got, want) {
				t.Fatalf("zip %v, export %d differs from a clean import:\n%v\n%v", zipped, i, got, want)
			}

			// The same export again: no batch, no write.
			before := enginetest.Tables(t, st)
			if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Batches != 0 || res.Items != 0 {
				t.Fatalf("zip %v, unchanged export %d: %+v", zipped, i, res)
			}
			if !reflect.DeepEqual(enginetest.Tables(t, st), before) {
				t.Error("an unchanged export changed the tables")
			}
		}
		if stored != 19 {
			t.Errorf("%d activities in the end, want 19", stored)
		}
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
	path := community().writeZip(t, filepath.Join(t.TempDir(), "export.zip"))
	want := cleanImport(t, path)
	for _, size := range []int{1, 2, 3, 5, 8} {
		st, _ := storetest.Open(t)
		ctx, cancel := context.WithCancel(context.Background())
		res := enginetest.Run(t, ctx, st, syncNow, cancelAfter{mustNew(t, path, Options{URL: wsURL, BatchSize: size}), cancel})
		cancel()
		if !errors.Is(res.Err, context.Canceled) || res.Batches != 1 {
			t.Fatalf("batch size %d: killed run %+v, want one batch then cancelled", size, res)
		}
		if got := storetest.Int(t, st, `SELECT count(*) FROM activities`); got == 0 || got >= len(want["activities"]) {
			t.Fatalf("batch size %d: %d activities after the kill", size, got)
		}
		if res := enginetest.Run(t, context.Background(), st, syncNow, mustNew(t, path, Options{URL: wsURL, BatchSize: size})); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := enginetest.Tables(t, st); !reflect.DeepEqual(got, want) {
			t.Errorf("batch size %d: resumed sync differs from a clean one:\n%v\n%v", size, got, want)
		}
	}
}
