package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/data/store/storetest"
)

// A sync that brings nothing new merges nobody, refreshes nothing and
// leaves the summary as it was: its cost must not grow with the
// community. A new commit afterwards is merged and refreshed as usual.
func TestUnchangedSyncWritesNothing(t *testing.T) {
	s, _ := storetest.Open(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	opt := Options{Now: func() time.Time { return now }, People: people.Rules{Orgs: map[string][]string{"Acme": {"example.com"}}}}
	batch := connector.Batch{Cursor: "1"}
	for n := range 20 {
		batch.Identities = append(batch.Identities, devIdentity(n))
		batch.Activities = append(batch.Activities, commits(devIdentity(n), 0, 3, now.AddDate(0, 0, -1))...)
	}
	src := listSource{"git:/p", []connector.Batch{batch}}
	mustSync(t, s, opt, src)

	db := storetest.DB(t, s)
	stmts := []string{"CREATE TABLE writes (tbl TEXT NOT NULL)"}
	tables := []string{"members", "identities", "identity_keys", "orgs", "member_stats", "summary",
		"dirty_identities", "dirty_members", "dirty_people", "dirty_groups", "meta"}
	for _, table := range tables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf("CREATE TRIGGER count_%s_%s AFTER %s ON %s BEGIN INSERT INTO writes VALUES ('%s %s'); END",
				strings.ToLower(op), table, op, table, op, table))
		}
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	written := func() []string { return storetest.Rows(t, s, "SELECT tbl FROM writes") }

	// The same batch again (a connector re-reading what it had), an hour
	// later.
	now = now.Add(time.Hour)
	mustSync(t, s, opt, src)
	if w := written(); len(w) != 0 {
		t.Errorf("an unchanged sync wrote %d rows: %v", len(w), w)
	}

	// Something new: one more commit by dev3.
	news := connector.Batch{Cursor: "2", Activities: commits(devIdentity(3), 10, 1, now)}
	mustSync(t, s, opt, listSource{"git:/p", []connector.Batch{news}})
	if w := written(); len(w) == 0 {
		t.Fatal("a sync with a new commit wrote nothing")
	}
	if got := countRows(t, s, `SELECT activities FROM member_stats
		WHERE member_id = (SELECT member_id FROM identities WHERE external_id = 'dev3@example.com')`); got != 4 {
		t.Errorf("dev3 has %d activities after the new commit, want 4", got)
	}
}
