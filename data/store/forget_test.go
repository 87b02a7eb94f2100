package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/people"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

type forgetSource struct {
	name    string
	batches []connector.Batch
}

func (l forgetSource) Name() string { return l.name }

func (l forgetSource) Sync(ctx context.Context, _ connector.SyncState, emit func(connector.Batch) error) error {
	for _, b := range l.batches {
		if err := emit(b); err != nil {
			return err
		}
	}
	return nil
}

var forgetClock = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// forgetCommunity is Ann (two accounts: a GitHub login and a commit
// address, one person by the config), Bob and Carl, with questions asked
// and answered between them.
func forgetCommunity() (connector.Batch, engine.Options) {
	ids := []model.Identity{
		{Source: "github", ExternalID: "ann", Username: "ann", Name: "Ann Example", Email: "ann@example.org"},
		{Source: "github", ExternalID: "ann@example.org", Name: "Ann Example", Email: "ann@example.org"},
		{Source: "github", ExternalID: "bob", Username: "bob", Name: "Bob Other"},
		{Source: "github", ExternalID: "carl", Username: "carl", Name: "Carl Third"},
	}
	b := connector.Batch{Identities: ids, Cursor: "1"}
	for _, who := range []string{"ann", "ann@example.org", "bob", "carl"} {
		for n := 0; n < 3; n++ {
			b.Activities = append(b.Activities, model.Activity{Source: "github", ExternalID: fmt.Sprintf("%s/pr/%d", who, n),
				Actor: who, Kind: "pr_opened", At: forgetClock.Add(-time.Duration(n) * 24 * time.Hour), Title: "work of " + who})
		}
	}
	q := func(ext, title, author, responder string) connector.QuestionRecord {
		r := connector.QuestionRecord{Question: model.Question{Source: "github", ExternalID: ext, Title: title,
			Body: "text by " + author, Created: forgetClock.Add(-48 * time.Hour)}, AuthorID: author, ResponderID: responder}
		if responder != "" {
			r.FirstResponse = forgetClock.Add(-24 * time.Hour)
		}
		return r
	}
	b.Questions = []connector.QuestionRecord{
		q("q1", "Ann asks", "ann", "bob"),
		q("q2", "Bob asks", "bob", "ann"),
		q("q3", "Carl asks", "carl", ""),
	}
	opt := engine.Options{Now: func() time.Time { return forgetClock },
		People: people.Rules{Same: [][]string{{"github:ann", "github:ann@example.org"}}}}
	return b, opt
}

func forgetSync(t *testing.T, s *store.Store, opt engine.Options, b connector.Batch) {
	t.Helper()
	for _, r := range engine.Run(context.Background(), s, []connector.Source{forgetSource{"github:o/r", []connector.Batch{b}}}, opt) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
}

func forgetCount(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := storetest.DB(t, s).QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// nothingOfAnn fails the test for any trace of Ann left in the database.
func nothingOfAnn(t *testing.T, s *store.Store) {
	t.Helper()
	for _, q := range []string{
		"SELECT count(*) FROM identities WHERE external_id LIKE 'ann%' OR name LIKE '%Ann%' OR email LIKE 'ann%'",
		"SELECT count(*) FROM activities WHERE external_id LIKE 'ann%' OR title LIKE '%ann%'",
		"SELECT count(*) FROM questions WHERE title LIKE '%Ann%' OR body LIKE '%ann%'",
		"SELECT count(*) FROM member_stats WHERE name LIKE '%Ann%' OR handles LIKE '%ann%' OR emails LIKE '%ann%'",
		"SELECT count(*) FROM member_months WHERE member_id NOT IN (SELECT member_id FROM member_stats)",
		"SELECT count(*) FROM members WHERE name LIKE '%Ann%'",
		"SELECT count(*) FROM member_notes WHERE external_id LIKE 'ann%'",
		"SELECT count(*) FROM member_tags WHERE external_id LIKE 'ann%'",
		"SELECT count(*) FROM member_flags WHERE external_id LIKE 'ann%'",
		"SELECT count(*) FROM identity_links WHERE a_external_id LIKE 'ann%' OR b_external_id LIKE 'ann%'",
		"SELECT count(*) FROM question_triage WHERE assignee LIKE '%ann%' OR note LIKE '%Ann%'",
		"SELECT count(*) FROM identity_keys WHERE key LIKE '%ann%'",
		"SELECT count(*) FROM journal WHERE coalesce(key, '') || coalesce(before, '') || coalesce(after, '') || what LIKE '%ann%'",
		"SELECT count(*) FROM event_speakers WHERE member_key LIKE '%ann%'",
		"SELECT count(*) FROM member_merge_reasons WHERE reason LIKE '%ann%'",
		"SELECT count(*) FROM dirty_people d LEFT JOIN identities i ON i.id = d.id WHERE i.id IS NULL",
	} {
		if n := forgetCount(t, s, q); n != 0 {
			t.Errorf("%d rows of Ann left: %s", n, q)
		}
	}
}

func TestForgetRemovesAPersonForGood(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	batch, opt := forgetCommunity()
	forgetSync(t, s, opt, batch)

	w := s.Writer("tester")
	if _, err := w.AddNote(ctx, "github:ann", "Ann offered a talk in Berlin"); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Tag(ctx, "github:ann", "berlin"))
	must(w.Flag(ctx, "github:ann@example.org", "speaker"))
	must(w.Tag(ctx, "github:bob", "berlin"))
	if _, err := w.Link(ctx, "split", "github:ann", "github:carl"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetTriage(ctx, "github", "q3", 0, model.Triage{Assignee: "@ann", Note: "storage question"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetTriage(ctx, "github", "q2", 0, model.Triage{Assignee: "@carl", Status: "done"}); err != nil {
		t.Fatal(err)
	}
	before, err := s.Summary(ctx)
	must(err)
	if before.Members != 3 || before.Questions != 3 {
		t.Fatalf("before: %d members, %d questions; want 3 and 3", before.Members, before.Questions)
	}

	ann, err := s.FindMember(ctx, "@ann")
	must(err)
	sc, err := s.ForgetScope(ctx, ann)
	must(err)
	if sc.Name != "Ann Example" || len(sc.IDs) != 2 {
		t.Fatalf("scope: %+v, want Ann Example with 2 accounts", sc)
	}
	got, err := w.Forget(ctx, sc, opt.People, model.DefaultRules())
	must(err)
	want := store.Forgotten{Identities: 2, Activities: 6, Questions: 1, Responses: 1, UserData: 5}
	if got != want {
		t.Errorf("forgot %+v, want %+v", got, want)
	}
	nothingOfAnn(t, s)

	// Others are untouched.
	after, err := s.Summary(ctx)
	must(err)
	if after.Members != 2 || after.Questions != 2 || after.Activities != before.Activities-6 {
		t.Errorf("after: %d members, %d questions, %d activities; want 2, 2, %d",
			after.Members, after.Questions, after.Activities, before.Activities-6)
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM activities"); n != 6 {
		t.Errorf("%d activities left, want Bob's and Carl's 6", n)
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM member_tags WHERE external_id = 'bob'"); n != 1 {
		t.Error("Bob's tag went too")
	}
	// Bob's question was answered by Ann: it stays answered, by nobody named.
	if n := forgetCount(t, s, `SELECT count(*) FROM questions WHERE external_id = 'q2'
		AND responder_id IS NULL AND first_response_at IS NOT NULL`); n != 1 {
		t.Error("Bob's question lost its answer time or kept Ann as responder")
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM question_triage WHERE external_id = 'q2' AND assignee = '@carl' AND status = 'done'"); n != 1 {
		t.Error("the triage of Bob's question changed")
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM question_triage WHERE external_id = 'q3' AND assignee = ''"); n != 1 {
		t.Error("Carl's question is still assigned to Ann")
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM forgotten"); n != 2 {
		t.Errorf("%d tombstones, want one per account", n)
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM forgotten WHERE hash LIKE '%ann%'"); n != 0 {
		t.Error("a tombstone holds the key in clear")
	}

	// Undo refuses to bring her back.
	if _, err := w.Undo(ctx); err == nil {
		t.Fatal("undo reverted a forget")
	}
	nothingOfAnn(t, s)

	// The same source read again brings nothing of her back.
	batch.Cursor = "2"
	forgetSync(t, s, opt, batch)
	nothingOfAnn(t, s)
	again, err := s.Summary(ctx)
	must(err)
	if again.Members != 2 || again.Questions != 2 || again.Activities != after.Activities {
		t.Errorf("after a resync: %d members, %d questions, %d activities; want 2, 2, %d",
			again.Members, again.Questions, again.Activities, after.Activities)
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM questions WHERE external_id = 'q2' AND responder_id IS NULL"); n != 1 {
		t.Error("the resync named a responder for Bob's question")
	}
	if _, err := s.FindMember(ctx, "@ann"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("find @ann after forget: %v, want not found", err)
	}
}

// A new person is still written by a sync into a database with
// tombstones: only the forgotten are skipped.
func TestForgetSkipsOnlyTheForgotten(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	batch, opt := forgetCommunity()
	forgetSync(t, s, opt, batch)
	carl, err := s.FindMember(ctx, "@carl")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := s.ForgetScope(ctx, carl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Writer("tester").Forget(ctx, sc, opt.People, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	next := connector.Batch{Cursor: "2",
		Identities: []model.Identity{{Source: "github", ExternalID: "dora", Username: "dora", Name: "Dora New"},
			{Source: "github", ExternalID: "CARL", Username: "carl"}},
		Activities: []model.Activity{{Source: "github", ExternalID: "dora/1", Actor: "dora", Kind: "commit", At: forgetClock},
			{Source: "github", ExternalID: "carl/9", Actor: "CARL", Kind: "commit", At: forgetClock}}}
	forgetSync(t, s, opt, next)
	if n := forgetCount(t, s, "SELECT count(*) FROM identities WHERE external_id = 'dora'"); n != 1 {
		t.Error("a new person was not written")
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM identities WHERE lower(external_id) = 'carl'"); n != 0 {
		t.Error("a forgotten login came back in other case")
	}
	if n := forgetCount(t, s, "SELECT count(*) FROM activities WHERE external_id = 'carl/9'"); n != 0 {
		t.Error("an activity of a forgotten person was written")
	}
}
