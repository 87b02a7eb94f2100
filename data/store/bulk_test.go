package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"hearth/model"
)

// loadTiny writes a community of two people through a BulkLoader.
// bulkNow is the "today" of the loader tests.
var bulkNow = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

func loadTiny(t *testing.T, l *BulkLoader, now time.Time) {
	t.Helper()
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.AddOrg(model.Org{ID: 1, Name: "Kestrel Labs", Domains: []string{"kestrel.io", "kestrel.dev"}}))
	must(l.AddMember(1, "Ada Lovelace", 1, false))
	must(l.AddMember(2, "Bo Chen", 0, false))
	must(l.AddIdentity(&model.Identity{ID: 1, Source: "github", ExternalID: "ada", Username: "ada", Name: "Ada Lovelace", MemberID: 1}))
	must(l.AddIdentity(&model.Identity{ID: 2, Source: "git", ExternalID: "ada@kestrel.io", Email: "ada@kestrel.io", MemberID: 1}))
	must(l.AddIdentity(&model.Identity{ID: 3, Source: "github", ExternalID: "bo", Username: "bo", MemberID: 2}))
	must(l.AddActivity(2, &model.Activity{Source: "git", ExternalID: "abc123", Kind: model.KindCommit, At: day(-3),
		Channel: "kestrel-db/kestrel", URL: "https://example.org/c/abc123", Title: "storage: fix compaction", Topics: []string{"storage", "ci"}}))
	must(l.AddActivity(3, &model.Activity{Source: "github", ExternalID: "kestrel#7", Kind: model.KindQuestion, At: day(-2),
		Channel: "kestrel-db/kestrel", URL: "https://example.org/7", Title: "How do I compact?"}))
	must(l.AddQuestion(&model.Question{Source: "github", ExternalID: "kestrel#7", Channel: "kestrel-db/kestrel",
		URL: "https://example.org/7", Title: "How do I compact?", Body: "Please help", Created: day(-2), Topics: []string{"storage"}}, 3, 0))
	must(l.AddTriage("github", "kestrel#7", model.Triage{Assignee: "@ada", Status: "snoozed", SnoozedUntil: day(3)}, day(-1)))
	must(l.AddFlag("github", "ada", "maintainer"))
	must(l.AddTag("github", "ada", "docs-team"))
	must(l.AddNote("github", "ada", model.Note{Body: "Met at FOSDEM", Created: day(-10), Updated: day(-9)}))
	must(l.AddEvent(&model.Event{UID: "e1", Source: "hearth", Name: "Kestrel Meetup Berlin #3", Kind: "meetup",
		Start: day(10), End: day(10).Add(3 * time.Hour),
		Speakers:  []model.Speaker{{Name: "Ada Lovelace", MemberKey: "github:ada", Talk: "Compaction", Status: "confirmed"}},
		Tasks:     []model.Task{{Title: "Book the venue", Owner: "@ada", Due: day(3)}},
		Budget:    []model.BudgetLine{{Item: "Pizza", Category: "catering", AmountCents: 12000, Currency: "EUR"}},
		Attendees: []model.Attendee{{Name: "Bo Chen", MemberKey: "github:bo", Status: "registered"}}}))
}

func TestBulkLoaderRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	loadTiny(t, l, bulkNow)
	// The loader's caller keeps the tallies; here they are made by hand.
	rules := model.DefaultRules()
	ada, bo := model.NewTally(bulkNow, rules), model.NewTally(bulkNow, rules)
	ada.Add(model.KindCommit, bulkNow.AddDate(0, 0, -3), []string{"storage", "ci"})
	bo.Add(model.KindQuestion, bulkNow.AddDate(0, 0, -2), nil)
	err = l.Derive(bulkNow, rules, []MemberTally{
		{Member: model.Member{ID: 1, Name: "Ada Lovelace", Org: "Kestrel Labs", Handles: []string{"@ada"}, Emails: []string{"ada@kestrel.io"}},
			Tally: ada, Flags: model.Flags{Maintainer: true}},
		{Member: model.Member{ID: 2, Name: "Bo Chen", Handles: []string{"@bo"}}, Tally: bo},
	})
	if err != nil {
		t.Fatal(err)
	}
	l.MarkDemo("test")
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := l.AddTag("github", "bo", "late"); !errors.Is(err, errLoadOver) {
		t.Errorf("a row after Commit: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	// What was loaded reads back through the store's queries, and the
	// derived tables are what a refresh computes.
	if n := queryInt(t, s, "SELECT count(*) FROM activities WHERE key = ?", ActivityKey("git", "abc123")); n != 1 {
		t.Errorf("activity key: %d rows", n)
	}
	stats := dumpTable(t, s, "SELECT * FROM member_stats ORDER BY member_id")
	sum := dumpTable(t, s, "SELECT * FROM summary ORDER BY key")
	if err := s.RefreshDerived(ctx, bulkNow, rules); err != nil {
		t.Fatal(err)
	}
	if after := dumpTable(t, s, "SELECT * FROM member_stats ORDER BY member_id"); after != stats {
		t.Errorf("member_stats differ from a refresh:\n%s\n%s", stats, after)
	}
	if after := dumpTable(t, s, "SELECT * FROM summary ORDER BY key"); after != sum {
		t.Errorf("summary differs from a refresh:\n%s\n%s", sum, after)
	}
	if demo, err := s.IsDemo(ctx); err != nil || !demo {
		t.Errorf("IsDemo %v %v", demo, err)
	}
	qs, err := s.UnansweredQuestions(ctx, 10)
	if err != nil || len(qs) != 1 || qs[0].Triage.Status != "snoozed" || qs[0].Author != "bo" {
		t.Errorf("unanswered questions %+v %v", qs, err)
	}
	e, err := s.Event(ctx, "e1")
	if err != nil || len(e.Speakers) != 1 || len(e.Tasks) != 1 || len(e.Budget) != 1 || len(e.Attendees) != 1 {
		t.Errorf("event %+v %v", e, err)
	}
	d, err := s.MemberDetail(ctx, 1, 10)
	if err != nil || len(d.Identities) != 2 || len(d.Notes) != 1 || len(d.Tags) != 1 || len(d.Flags) != 1 || d.Org != "Kestrel Labs" {
		t.Errorf("member detail %+v %v", d, err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'activities_%'"); n != 2 {
		t.Errorf("%d activity indexes after the load, want 2", n)
	}
}

func TestBulkLoaderCloseWithoutCommit(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadTiny(t, l, bulkNow)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.AddTag("github", "ada", "late"); !errors.Is(err, errLoadOver) {
		t.Errorf("a row after Close: %v", err)
	}
	if empty, err := s.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("closed without commit, store empty %v (%v)", empty, err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'activities_%'"); n != 2 {
		t.Errorf("%d activity indexes after a rolled-back load, want 2", n)
	}
	// The store takes a load again, and refuses a second one.
	l, err = s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadTiny(t, l, bulkNow)
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := s.NewBulkLoader(ctx); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("loader over a community: %v", err)
	}
}

// A foreign key that points nowhere fails the load with an error rather
// than writing a member of a missing organisation.
func TestBulkLoaderReportsWriteErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.AddMember(1, "Nobody", 99, false); err != nil {
		t.Fatal(err) // buffered; the error comes when the rows are written
	}
	if err := l.Commit(); err == nil {
		t.Fatal("commit of a member of a missing organisation succeeded")
	}
}

// TestBulkLoaderRestoresPragmas: the loader turns synchronous writes and
// the write-ahead log off for its load; every connection gets them back.
func TestBulkLoaderRestoresPragmas(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadTiny(t, l, bulkNow)
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	var sync int
	var mode string
	if err := s.db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync == 0 {
		t.Errorf("synchronous left at %d (%v)", sync, err)
	}
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode left at %q (%v)", mode, err)
	}
}
