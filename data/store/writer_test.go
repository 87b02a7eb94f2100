package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var writeT0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// triageStore is a store with two identities and three unanswered
// questions (github#1..3), on a settable clock.
func triageStore(t *testing.T) (*Store, string, *clock) {
	t.Helper()
	clk := &clock{t: writeT0}
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := Open(context.Background(), path, Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b := connector.Batch{Identities: []model.Identity{
		{Source: "github", ExternalID: "ada", Username: "ada", Name: "Ada", Email: "ada@example.org"},
		{Source: "github", ExternalID: "bob", Username: "bob", Name: "Bob"},
	}}
	for i := 1; i <= 3; i++ {
		b.Questions = append(b.Questions, connector.QuestionRecord{
			Question: model.Question{Source: "github", ExternalID: fmt.Sprint(i), Title: fmt.Sprintf("question %d", i),
				Created: writeT0.Add(-time.Duration(10-i) * 24 * time.Hour)},
			AuthorID: "bob",
		})
	}
	for i, who := range []string{"ada", "bob"} {
		b.Activities = append(b.Activities, model.Activity{Source: "github", ExternalID: "c" + who, Actor: who,
			Kind: model.Kind("comment"), At: writeT0.Add(-time.Duration(i+1) * time.Hour)})
	}
	if err := s.ApplyBatch(context.Background(), "github", b); err != nil {
		t.Fatal(err)
	}
	if err := s.MergePeople(context.Background(), people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(context.Background(), writeT0, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	return s, path, clk
}

func waitingKeys(t *testing.T, s *Store) []string {
	t.Helper()
	qs, err := s.UnansweredQuestions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range qs {
		out = append(out, model.QuestionKey(q.Source, q.ExternalID))
	}
	return out
}

func openCount(t *testing.T, s *Store) int {
	t.Helper()
	sum, err := s.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum.OpenQuestions
}

func mustQuestion(t *testing.T, s *Store, key string) model.Question {
	t.Helper()
	q, err := s.QuestionByKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestReadOnlyStoreHasNoWriter(t *testing.T) {
	s, path, _ := triageStore(t)
	if s.Writer("me") == nil {
		t.Fatal("a writable store has no writer")
	}
	ro, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if w := ro.Writer("me"); w != nil {
		t.Fatal("a read-only store gave a writer")
	}
}

// TestSnoozeComesBack: done and snoozed-into-the-future questions are not
// waiting, in the list and in the summary's count; a snoozed question
// comes back when the clock passes its date.
func TestSnoozeComesBack(t *testing.T) {
	s, _, clk := triageStore(t)
	ctx := context.Background()
	w := s.Writer("me")
	if got := openCount(t, s); got != 3 {
		t.Fatalf("open before triage = %d, want 3", got)
	}
	if _, err := w.SetTriage(ctx, "github", "1", 0, model.Triage{Status: model.TriageDone}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetTriage(ctx, "github", "2", 0, model.Triage{Status: model.TriageSnoozed, SnoozedUntil: writeT0.Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, want := waitingKeys(t, s), []string{"github#3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("waiting = %v, want %v", got, want)
	}
	if got := openCount(t, s); got != 1 {
		t.Fatalf("open count = %d, want 1", got)
	}
	clk.add(73 * time.Hour)
	if got, want := waitingKeys(t, s), []string{"github#2", "github#3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after the snooze date, waiting = %v, want %v", got, want)
	}
	if got := openCount(t, s); got != 2 {
		t.Fatalf("after the snooze date, open count = %d, want 2", got)
	}
	q := mustQuestion(t, s, "github#2")
	if q.Waiting(clk.now()) != true || q.Triage.Status != model.TriageSnoozed {
		t.Fatalf("question 2 = %+v", q.Triage)
	}
}

// TestOpenQuestionsKeepsTriaged: the triage views read every open
// question, done and snoozed ones too, with their triage.
func TestOpenQuestionsKeepsTriaged(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	w := s.Writer("me")
	if _, err := w.SetTriage(ctx, "github", "1", 0, model.Triage{Status: model.TriageDone}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetTriage(ctx, "github", "2", 0, model.Triage{Status: model.TriageSnoozed, SnoozedUntil: writeT0.Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	qs, err := s.OpenQuestions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, q.ExternalID+":"+q.Triage.Status)
	}
	if want := []string{"1:done", "2:snoozed", "3:"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("open questions = %v, want %v", got, want)
	}
}

// TestUndoWalksBack: each undo restores what the newest change not yet
// undone replaced; undos are journaled but never undone by undo.
func TestUndoWalksBack(t *testing.T) {
	s, _, clk := triageStore(t)
	ctx := context.Background()
	w := s.Writer("ada")
	tr, err := w.SetTriage(ctx, "github", "1", 0, model.Triage{Assignee: "@ada"})
	if err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	if _, err := w.SetTriage(ctx, "github", "1", tr.Version, model.Triage{Assignee: "@ada", Status: model.TriageDone, Note: "fixed"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Tag(ctx, "github:ada", "speaker"); err != nil {
		t.Fatal(err)
	}
	if got := mustQuestion(t, s, "github#1").Triage; got.Status != "done" || got.Note != "fixed" {
		t.Fatalf("triage = %+v", got)
	}
	ch, err := w.Undo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ch.What != "tag github:ada speaker" || ch.Actor != "ada" {
		t.Fatalf("undid %+v", ch)
	}
	if tags := tagsOf(t, s, "github", "ada"); len(tags) != 0 {
		t.Fatalf("tags after undo = %v", tags)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	got := mustQuestion(t, s, "github#1").Triage
	if got.Assignee != "@ada" || got.Status != "" || got.Note != "" {
		t.Fatalf("after the second undo, triage = %+v, want assigned only", got)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustQuestion(t, s, "github#1").Triage; got.Assignee != "" || got.Version == 0 {
		t.Fatalf("after the third undo, triage = %+v, want cleared with a version", got)
	}
	if _, err := w.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("fourth undo: %v, want nothing to undo", err)
	}
	hist, err := s.History(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 6 || !strings.HasPrefix(hist[0].What, "undo ") {
		t.Fatalf("history = %+v", hist)
	}
}

func tagsOf(t *testing.T, s *Store, src, ext string) []string {
	t.Helper()
	tags, err := s.strings(context.Background(), "SELECT tag FROM member_tags WHERE source = ? AND external_id = ?", src, ext)
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

// TestConcurrentEditsDetected: two programs read the same triage, both
// write; the second is told and changes nothing.
func TestConcurrentEditsDetected(t *testing.T) {
	s1, path, _ := triageStore(t)
	ctx := context.Background()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	read1, read2 := mustQuestion(t, s1, "github#1"), mustQuestion(t, s2, "github#1")
	if _, err := s1.Writer("one").SetTriage(ctx, "github", "1", read1.Triage.Version, model.Triage{Assignee: "@ada"}); err != nil {
		t.Fatal(err)
	}
	_, err = s2.Writer("two").SetTriage(ctx, "github", "1", read2.Triage.Version, model.Triage{Assignee: "@bob"})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "changed by someone else since you read it") {
		t.Fatalf("second write: %v, want a conflict", err)
	}
	if got := mustQuestion(t, s1, "github#1").Triage.Assignee; got != "@ada" {
		t.Fatalf("assignee = %q, want the first write's", got)
	}
	// Notes too.
	id, err := s1.Writer("one").AddNote(ctx, "github:ada", "offered a talk")
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Writer("one").EditNote(ctx, id, 1, "offered a talk in Berlin"); err != nil {
		t.Fatal(err)
	}
	if err := s2.Writer("two").EditNote(ctx, id, 1, "stale"); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale note edit: %v, want a conflict", err)
	}
	// An undo does not overwrite what someone changed since.
	if _, err := s2.Writer("two").SetTriage(ctx, "github", "2", 0, model.Triage{Note: "mine"}); err != nil {
		t.Fatal(err)
	}
	q := mustQuestion(t, s1, "github#2")
	if _, err := s1.Writer("one").SetTriage(ctx, "github", "2", q.Triage.Version, model.Triage{Note: "theirs"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.db.ExecContext(ctx, "UPDATE journal SET undone = 1 WHERE what = 'triage github#2' AND actor = 'one'"); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Writer("two").Undo(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("undo over a newer change: %v, want a conflict", err)
	}
	if got := mustQuestion(t, s1, "github#2").Triage.Note; got != "theirs" {
		t.Fatalf("note = %q after a refused undo", got)
	}
}

// TestFlagMarksMemberDirty: a flag bears on the stage, so its member is
// refreshed by the next sync; undo marks it again.
func TestFlagMarksMemberDirty(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	dirty := func() int {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM dirty_members d
			JOIN identities i ON i.member_id = d.id WHERE i.external_id = 'ada'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if dirty() != 0 {
		t.Fatal("dirty before any flag")
	}
	w := s.Writer("me")
	if err := w.Flag(ctx, "github:ada", "core"); err != nil {
		t.Fatal(err)
	}
	if dirty() != 1 {
		t.Fatal("flagging did not mark the member")
	}
	if err := s.RefreshDirty(ctx, writeT0, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	id, _ := s.FindMember(ctx, "@ada")
	d, err := s.MemberDetail(ctx, id.MemberID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Standing.Stage != model.StageCore {
		t.Fatalf("stage after flag core = %v", d.Standing.Stage)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dirty() != 1 {
		t.Fatal("undoing the flag did not mark the member")
	}
}

func TestFindMember(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	for _, ref := range []string{"@ADA", "ada@example.org"} {
		i, err := s.FindMember(ctx, ref)
		if err != nil || i.ExternalID != "ada" {
			t.Fatalf("FindMember(%q) = %+v, %v", ref, i, err)
		}
	}
	i, _ := s.FindMember(ctx, "@bob")
	if j, err := s.FindMember(ctx, fmt.Sprint(i.MemberID)); err != nil || j.ExternalID != "bob" {
		t.Fatalf("by id: %+v, %v", j, err)
	}
	if _, err := s.FindMember(ctx, "@nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown handle: %v", err)
	}
}

// dumpUserTables is every user-authored row, as text, in key order.
func dumpUserTables(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, ut := range userTables {
		q := "SELECT * FROM " + ut.name
		if ut.where != "" {
			q += " WHERE " + ut.where
		}
		rows, err := s.db.Query(q + " ORDER BY 1, 2, 3")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %#v\n", ut.name, vals)
		}
		rows.Close()
	}
	return b.String()
}

// fillUserData writes something into every user-authored table, with
// awkward text.
func fillUserData(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	w := s.Writer("me")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.SetTriage(ctx, "github", "1", 0, model.Triage{Assignee: "@ada", Status: "snoozed", SnoozedUntil: writeT0.Add(time.Hour), Note: "line one\nline \"two\" <&>"})
	must(err)
	_, err = w.AddNote(ctx, "github:ada", "Zoë offered a talk,\n\tin Berlin\u2028 ✓")
	must(err)
	must(w.Tag(ctx, "github:ada", "speaker"))
	must(w.Tag(ctx, "github:bob", "tabs\there"))
	must(w.Flag(ctx, "github:bob", "mentor"))
	_, err = w.Link(ctx, "split", "github:ada", "github:bob")
	must(err)
	for _, q := range []string{
		`INSERT INTO events(uid, source, name, starts, ends, cfp_deadline) VALUES ('meetup-1', 'hearth', 'Berlin meetup', 1741600000, NULL, 1741000000)`,
		`INSERT INTO events(uid, source, name, starts) VALUES ('feed-1', 'ical:x', 'synced', 1741600000)`,
		`INSERT INTO event_speakers(event_uid, name, member_key, talk) VALUES ('meetup-1', 'Ada', 'github:ada', 'Storage')`,
		`INSERT INTO event_tasks(event_uid, title, due, done) VALUES ('meetup-1', 'Book room', 1741500000, 1)`,
		`INSERT INTO event_budget(event_uid, item, amount_cents) VALUES ('meetup-1', 'Pizza', 12050)`,
		`INSERT INTO event_attendees(event_uid, name) VALUES ('meetup-1', 'Bob')`,
		`INSERT INTO saved_filters(name, tab, query) VALUES ('speakers', 'members', 'tag:speaker')`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUserDataRoundTrip: export, wipe every user-authored table, import:
// the tables are identical, and so is a second export.
func TestUserDataRoundTrip(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	fillUserData(t, s)
	want := dumpUserTables(t, s)
	var exp bytes.Buffer
	if err := s.ExportUserData(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	for _, ut := range userTables {
		q := "DELETE FROM " + ut.name
		if ut.where != "" {
			q += " WHERE " + ut.where
		}
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if dumpUserTables(t, s) != "" {
		t.Fatal("wipe left rows")
	}
	if err := s.Writer("me").ImportUserData(ctx, "x.json", exp.Bytes(), true); err != nil {
		t.Fatal(err)
	}
	if got := dumpUserTables(t, s); got != want {
		t.Fatalf("after the round trip:\n%s\nwant:\n%s", got, want)
	}
	var again bytes.Buffer
	if err := s.ExportUserData(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), exp.Bytes()) {
		t.Fatalf("second export differs:\n%s\nfirst:\n%s", again.String(), exp.String())
	}
	// Merging the same file again changes nothing.
	if err := s.Writer("me").ImportUserData(ctx, "x.json", exp.Bytes(), false); err != nil {
		t.Fatal(err)
	}
	if got := dumpUserTables(t, s); got != want {
		t.Fatalf("after a merge of the same file:\n%s\nwant:\n%s", got, want)
	}
	// An import is not undone.
	if _, err := s.Writer("me").Undo(ctx); err == nil || !strings.Contains(err.Error(), "import") {
		t.Fatalf("undo after an import: %v", err)
	}
}

// TestImportMalformed: one error naming the file and the line, and
// nothing imported.
func TestImportMalformed(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	fillUserData(t, s)
	var exp bytes.Buffer
	if err := s.ExportUserData(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(exp.String(), "\n")
	at := -1
	for i, l := range lines {
		if strings.Contains(l, `"tag": "speaker"`) {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no tag line in\n%s", exp.String())
	}
	before := dumpUserTables(t, s)
	cases := map[string]struct {
		edit func(string) string
		line int
	}{
		"wrong type":    {func(l string) string { return strings.Replace(l, `"speaker"`, `12`, 1) }, at + 1},
		"unknown field": {func(l string) string { return strings.Replace(l, `"tag"`, `"tga"`, 1) }, at + 1},
		"syntax":        {func(l string) string { return strings.Replace(l, `}`, ``, 1) }, at + 2},
		"missing":       {func(l string) string { return strings.Replace(l, `"tag": "speaker"`, `"tag": null`, 1) }, at + 1},
	}
	for name, c := range cases {
		bad := append([]string(nil), lines...)
		bad[at] = c.edit(bad[at])
		err := s.Writer("me").ImportUserData(ctx, "bad.json", []byte(strings.Join(bad, "\n")), true)
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Line != c.line || !strings.HasPrefix(err.Error(), fmt.Sprintf("bad.json:%d: ", c.line)) {
			t.Errorf("%s: %v (line %d wanted)", name, err, c.line)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error has several lines: %q", name, err)
		}
		if got := dumpUserTables(t, s); got != before {
			t.Errorf("%s: a malformed import changed the tables", name)
		}
	}
}

// TestBackupBeforeMigration: opening a database of an older schema copies
// it first to <db>.bak-v<N>, a readable database at that version; only
// the newest two copies are kept.
func TestBackupBeforeMigration(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if _, err := os.Stat(BackupPath(path, 0)); err == nil {
		t.Fatal("a new database was copied")
	}
	// Take the database back to version 6: without what 0007 to 0009 add.
	for _, q := range []string{
		"DROP TABLE expertise", "DROP TABLE expertise_members", "DROP TABLE expertise_names",
		"DROP TABLE expertise_meta", "DROP TABLE expertise_areas", "ALTER TABLE activities DROP COLUMN paths",
		"DROP TABLE expertise_months",     // 0016
		"DROP INDEX member_stats_summary", // 0014
		"DROP TABLE not_duplicates",       // 0013
		"ALTER TABLE identities DROP COLUMN former_member",
		"DROP TABLE forgotten",
		"DROP TABLE member_months", // 0011
		"ALTER TABLE events DROP COLUMN tz",
		"ALTER TABLE events DROP COLUMN cfp_opens",
		"ALTER TABLE events DROP COLUMN capacity",
		"ALTER TABLE events DROP COLUMN version",
		"ALTER TABLE event_speakers DROP COLUMN version",
		"ALTER TABLE event_tasks DROP COLUMN version",
		"ALTER TABLE event_budget DROP COLUMN version",
		"ALTER TABLE event_attendees DROP COLUMN version",
		"DROP TABLE journal",
		"ALTER TABLE question_triage DROP COLUMN version",
		"ALTER TABLE member_notes DROP COLUMN version",
		"INSERT INTO meta(key, value) VALUES ('marker', 'old')",
		// Something to lose: an empty database is not copied.
		"INSERT INTO events(uid, source, name, starts) VALUES ('x', 'hearth', 'Planning call', 0)",
		"PRAGMA user_version = 6",
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	for _, v := range []int{1, 2, 3} {
		if err := os.WriteFile(BackupPath(path, v), []byte("old copy"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, _ := s2.Version(ctx); v != SchemaVersion() {
		t.Fatalf("version %d after migrating", v)
	}
	bak, err := Open(ctx, BackupPath(path, 6), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bak.Close()
	if v, _ := bak.Version(ctx); v != 6 {
		t.Fatalf("copy at version %d, want 6", v)
	}
	if m, _ := bak.Meta(ctx, "marker"); m != "old" {
		t.Fatalf("copy's marker = %q", m)
	}
	left, _ := filepath.Glob(path + ".bak-v*")
	want := []string{BackupPath(path, 3), BackupPath(path, 6)}
	if !reflect.DeepEqual(left, want) {
		t.Fatalf("copies kept = %v, want %v", left, want)
	}
}

// TestNoBackupOfAnEmptyDatabase: a database with nothing in it (a new one
// another program is still creating, say) is migrated without a copy.
func TestNoBackupOfAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hearth.db")
	// A database at schema version 1 with nothing in it.
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{ms[0].sql, "PRAGMA user_version = 1"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion() {
		t.Fatalf("version %d after migrating", v)
	}
	if _, err := os.Stat(BackupPath(path, 1)); err == nil {
		t.Error("an empty database was copied before migrating")
	}
}
