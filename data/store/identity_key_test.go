package store

import (
	"context"
	"slices"
	"testing"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// A note, tag or flag on an identity whose external id holds a colon (a
// Matrix-style chat id) lands on that identity, and its member shows it.
func TestWritesOnAnIdentityWithAColon(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	ann := model.Identity{Source: "chat", ExternalID: "@ann:example.org", Username: "ann", Name: "Ann"}
	b := connector.Batch{
		Identities: []model.Identity{ann},
		Activities: []model.Activity{{Source: "chat", ExternalID: "m1", Actor: ann.ExternalID, Kind: model.Kind("message"), At: writeT0}},
	}
	if err := s.ApplyBatch(ctx, "chat", b); err != nil {
		t.Fatal(err)
	}
	if err := s.MergePeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(ctx, writeT0, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	w := s.Writer("me")
	if _, err := w.AddNote(ctx, ann.Key(), "met at FOSDEM"); err != nil {
		t.Fatal(err)
	}
	if err := w.Tag(ctx, ann.Key(), "berlin"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flag(ctx, ann.Key(), "speaker"); err != nil {
		t.Fatal(err)
	}
	id, err := s.FindMember(ctx, "@ann")
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.MemberDetail(ctx, id.MemberID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Body != "met at FOSDEM" || !slices.Contains(d.Tags, "berlin") || !slices.Contains(d.Flags, "speaker") {
		t.Fatalf("the member shows notes %v, tags %v, flags %v", d.Notes, d.Tags, d.Flags)
	}
}

// Notes, tags and flags an older hearth stored under a chat id's key split
// at its last colon move, when the database is opened, to the key every
// reader uses; a tag already there stays once, and other rows are left
// alone.
func TestMigrationMovesColonKeys(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO member_notes (source, external_id, body, created, updated) VALUES ('chat:@ann', 'example.org', 'met at FOSDEM', 1, 1)`,
		`INSERT INTO member_notes (source, external_id, body, created, updated) VALUES ('github', 'ann', 'reviews fast', 1, 1)`,
		`INSERT INTO member_tags VALUES ('chat:@ann', 'example.org', 'berlin')`,
		`INSERT INTO member_tags VALUES ('chat:@ann', 'example.org', 'rust')`,
		`INSERT INTO member_tags VALUES ('chat', '@ann:example.org', 'rust')`,
		`INSERT INTO member_flags VALUES ('chat:@ann', 'example.org', 'speaker')`,
		`INSERT INTO member_flags VALUES ('github', 'ann', 'mentor')`,
		"PRAGMA user_version = 14",
		"DROP TABLE expertise_months", // 0016, which the reopening adds again
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	rows := func(q string) []string {
		got, err := queryStrings(ctx, s2.db, q)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for q, want := range map[string][]string{
		`SELECT source || '|' || external_id || '|' || body FROM member_notes ORDER BY id`: {"chat|@ann:example.org|met at FOSDEM", "github|ann|reviews fast"},
		`SELECT source || '|' || external_id || '|' || tag FROM member_tags ORDER BY 1`:    {"chat|@ann:example.org|berlin", "chat|@ann:example.org|rust"},
		`SELECT source || '|' || external_id || '|' || flag FROM member_flags ORDER BY 1`:  {"chat|@ann:example.org|speaker", "github|ann|mentor"},
	} {
		if got := rows(q); !slices.Equal(got, want) {
			t.Errorf("%s\n got %q\nwant %q", q, got, want)
		}
	}
}
