// Package enginetest helps connector tests run their source through the
// real sync engine into a real store and compare what a user would see.
// Only tests import it.
package enginetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

// Run syncs src into st with the engine's clock at now and returns its
// result (the test fails if the engine reports anything but this source).
func Run(t testing.TB, ctx context.Context, st *store.Store, now time.Time, src connector.Source) engine.Result {
	t.Helper()
	res := engine.Run(ctx, st, []connector.Source{src}, engine.Options{Now: func() time.Time { return now }})
	if len(res) != 1 {
		t.Fatalf("sync: %+v", res)
	}
	return res[0]
}

// Tables is what a user sees of a synced source: identities, activities
// and questions, each identity named by its external id, so that two
// databases filled in different ways compare equal when they hold the same.
func Tables(t testing.TB, st *store.Store) map[string][]string {
	t.Helper()
	return map[string][]string{
		"identities": storetest.Rows(t, st, `SELECT source, external_id, username, name, email, bot FROM identities
			ORDER BY source, external_id`),
		"activities": storetest.Rows(t, st, `SELECT a.external_id, i.external_id, a.kind, a.at, a.channel, a.url, a.title
			FROM activities a JOIN identities i ON i.id = a.identity_id ORDER BY a.external_id`),
		"questions": storetest.Rows(t, st, `SELECT q.external_id, q.title, q.body, coalesce(a.external_id, ''), q.created,
			coalesce(q.first_response_at, 0), coalesce(r.external_id, ''), q.accepted, coalesce(q.closed_at, 0)
			FROM questions q LEFT JOIN identities a ON a.id = q.author_id LEFT JOIN identities r ON r.id = q.responder_id
			ORDER BY q.external_id`),
	}
}

// Collect runs src alone from cursor and returns the batches it emits.
func Collect(t testing.TB, src connector.Source, cursor string) []connector.Batch {
	t.Helper()
	var out []connector.Batch
	err := src.Sync(context.Background(), connector.SyncState{Cursor: cursor}, func(b connector.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Collapse merges batches into one, later rows replacing earlier ones with
// the same external id, as the store's upserts do; the cursor is the
// last one and the items add up.
func Collapse(bs []connector.Batch) connector.Batch {
	var out connector.Batch
	acts, qs, ids := map[string]int{}, map[string]int{}, map[string]int{}
	for _, b := range bs {
		out.Activities = upsert(out.Activities, b.Activities, acts, func(a model.Activity) string { return a.ExternalID })
		out.Questions = upsert(out.Questions, b.Questions, qs, func(q connector.QuestionRecord) string { return q.ExternalID })
		out.Identities = upsert(out.Identities, b.Identities, ids, func(p model.Identity) string { return p.ExternalID })
		out.Cursor = b.Cursor
		out.Items += b.Items
	}
	return out
}

// upsert adds rows to into, replacing those whose key at is already there.
func upsert[T any](into, rows []T, at map[string]int, key func(T) string) []T {
	for _, r := range rows {
		if i, ok := at[key(r)]; ok {
			into[i] = r
			continue
		}
		at[key(r)] = len(into)
		into = append(into, r)
	}
	return into
}

// WriteFile writes a fixture file, creating its directories.
func WriteFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
