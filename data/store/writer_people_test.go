package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// peopleStore is a store of four people on two sources, merged and
// derived, and a writer that regroups with the same rules:
//
//	github:ada  Ada Lovelace, ada@work.org, 3 activities
//	mbox:ada@home.org  Ada Lovelace, 2 activities (same name: a possible duplicate)
//	github:bob  Bob, bob@b.org, 1 activity
//	mbox:bob@b.org  Bob, 1 activity (joined to github:bob by the address)
//	github:cy   Cy, 1 activity
//
// Four members: Ada twice, Bob, Cy.
func peopleStore(t *testing.T) (*Store, *Writer) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "hearth.db"), Options{Now: func() time.Time { return writeT0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	act := func(src, who string, n int) []model.Activity {
		var out []model.Activity
		for i := range n {
			out = append(out, model.Activity{Source: src, ExternalID: fmt.Sprintf("%s-%d", who, i), Actor: who,
				Kind: model.Kind("comment"), At: writeT0.Add(-time.Duration(i+1) * 24 * time.Hour)})
		}
		return out
	}
	gh := connector.Batch{Identities: []model.Identity{
		{Source: "github", ExternalID: "ada", Username: "ada", Name: "Ada Lovelace", Email: "ada@work.org"},
		{Source: "github", ExternalID: "bob", Username: "bob", Name: "Bob", Email: "bob@b.org"},
		{Source: "github", ExternalID: "cy", Username: "cy", Name: "Cy"},
	}}
	gh.Activities = slices.Concat(act("github", "ada", 3), act("github", "bob", 1), act("github", "cy", 1))
	mb := connector.Batch{Identities: []model.Identity{
		{Source: "mbox", ExternalID: "ada@home.org", Name: "Ada Lovelace", Email: "ada@home.org"},
		{Source: "mbox", ExternalID: "bob@b.org", Name: "Bob", Email: "bob@b.org"},
	}}
	mb.Activities = slices.Concat(act("mbox", "ada@home.org", 2), act("mbox", "bob@b.org", 1))
	if err := s.ApplyBatch(ctx, "github", gh); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyBatch(ctx, "mbox", mb); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDirty(ctx, writeT0, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	return s, s.Writer("me").WithRules(people.Rules{}, model.DefaultRules())
}

// memberOf is the id of the member holding identity key.
func memberOf(t *testing.T, s *Store, key string) int64 {
	t.Helper()
	src, ext, _ := strings.Cut(key, ":")
	var id int64
	if err := s.db.QueryRow("SELECT member_id FROM identities WHERE source = ? AND external_id = ?", src, ext).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// directory is the member list as a person sees it, one line a member.
func directory(t *testing.T, s *Store) []string {
	t.Helper()
	ms, err := s.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%d %s %v %v activities=%d stage=%v", m.ID, m.Name, m.Handles, m.Emails, m.Activities, m.Standing.Stage))
	}
	return out
}

func TestMergeMembersShowsAtOnceAndUndoRestores(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	before := directory(t, s)
	if len(before) != 4 {
		t.Fatalf("want 4 members to start with, got %v", before)
	}
	ada, home := memberOf(t, s, "github:ada"), memberOf(t, s, "mbox:ada@home.org")
	if err := w.MergeMembers(ctx, ada, home); err != nil {
		t.Fatal(err)
	}
	after := directory(t, s)
	if len(after) != 3 {
		t.Fatalf("after the merge want 3 members, got %v", after)
	}
	if memberOf(t, s, "mbox:ada@home.org") != min(ada, home) {
		t.Fatalf("the merged member does not keep the smaller id")
	}
	if !strings.Contains(after[0], "activities=5") {
		t.Fatalf("the merged member's counts are not refreshed: %v", after)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := directory(t, s); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo did not restore the member list:\n got %v\nwant %v", got, before)
	}
}

func TestSplitIdentityAndUndo(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	before := directory(t, s)
	bob := memberOf(t, s, "github:bob")
	if memberOf(t, s, "mbox:bob@b.org") != bob {
		t.Fatal("the address does not join bob's accounts")
	}
	from, err := w.SplitIdentity(ctx, "mbox:bob@b.org")
	if err != nil {
		t.Fatal(err)
	}
	if from != bob {
		t.Fatalf("split reports member %d, want %d", from, bob)
	}
	if memberOf(t, s, "mbox:bob@b.org") == bob || memberOf(t, s, "github:bob") != bob {
		t.Fatal("the identity did not leave its member, or the member did not keep its id")
	}
	if got := directory(t, s); len(got) != 5 {
		t.Fatalf("after the split want 5 members, got %v", got)
	}
	if _, err := w.SplitIdentity(ctx, "mbox:bob@b.org"); err == nil || !strings.Contains(err.Error(), "only account") {
		t.Fatalf("splitting a lone account: %v", err)
	}
	if _, err := w.SplitIdentity(ctx, "mbox:nobody@x.org"); err == nil {
		t.Fatal("splitting an unknown identity is no error")
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := directory(t, s); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo did not restore the member list:\n got %v\nwant %v", got, before)
	}
	// The account split off may be the member's first: the member still
	// keeps its id for the one that stays.
	if _, err := w.SplitIdentity(ctx, "github:bob"); err != nil {
		t.Fatal(err)
	}
	if memberOf(t, s, "mbox:bob@b.org") != bob || memberOf(t, s, "github:bob") == bob {
		t.Fatal("splitting off the first account renumbered the member")
	}
}

// A split of two identities merged by hand removes the manual merge.
func TestSplitUndoesManualMerge(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	if err := w.MergeMembers(ctx, memberOf(t, s, "github:cy"), memberOf(t, s, "mbox:ada@home.org")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SplitIdentity(ctx, "mbox:ada@home.org"); err != nil {
		t.Fatal(err)
	}
	if n := len(directory(t, s)); n != 4 {
		t.Fatalf("want 4 members after merge and split, got %d", n)
	}
	var merges int
	if err := s.db.QueryRow("SELECT count(*) FROM identity_links WHERE kind = 'merge'").Scan(&merges); err != nil {
		t.Fatal(err)
	}
	if merges != 0 {
		t.Fatalf("the manual merge is still there")
	}
}

// Two people at work on one store: the second merge names a member the
// first merged away. It is refused, and the first merge stands.
func TestConcurrentMergeDetected(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	other := s.Writer("you").WithRules(people.Rules{}, model.DefaultRules())
	ada, home, cy := memberOf(t, s, "github:ada"), memberOf(t, s, "mbox:ada@home.org"), memberOf(t, s, "github:cy")
	gone := max(ada, home)
	if err := other.MergeMembers(ctx, ada, home); err != nil {
		t.Fatal(err)
	}
	err := w.MergeMembers(ctx, gone, cy)
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("merging a member merged away since: %v", err)
	}
	if n := len(directory(t, s)); n != 3 {
		t.Fatalf("want the first merge only (3 members), got %d", n)
	}
	if err := w.MergeMembers(ctx, ada, ada); err == nil {
		t.Fatal("merging a member with itself is no error")
	}
}

// Without the rules, a merge is recorded and waits for the next sync.
func TestMergeWithoutRulesWaitsForSync(t *testing.T) {
	s, _ := peopleStore(t)
	ctx := context.Background()
	w := s.Writer("me")
	if err := w.MergeMembers(ctx, memberOf(t, s, "github:ada"), memberOf(t, s, "github:cy")); err != nil {
		t.Fatal(err)
	}
	if n := len(directory(t, s)); n != 4 {
		t.Fatalf("merged without rules: %d members", n)
	}
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if memberOf(t, s, "github:ada") != memberOf(t, s, "github:cy") {
		t.Fatal("the next merge did not apply the link")
	}
}

func TestDuplicatesAndNotDuplicates(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	dups, err := s.Duplicates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dups) != 1 || dups[0].Reasons[0] != "same name Ada Lovelace, different addresses" {
		t.Fatalf("duplicates: %+v", dups)
	}
	d := dups[0]
	if d.A.ID >= d.B.ID || d.A.Activities+d.B.Activities != 5 {
		t.Fatalf("the pair's members: %+v %+v", d.A, d.B)
	}
	if err := w.NotDuplicates(ctx, d.A.ID, d.B.ID); err != nil {
		t.Fatal(err)
	}
	if dups, _ := s.Duplicates(ctx); len(dups) != 0 {
		t.Fatalf("a pair said to be two people is still offered: %+v", dups)
	}
	// Saying it again, the other way round, changes nothing.
	if err := w.NotDuplicates(ctx, d.B.ID, d.A.ID); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := s.db.QueryRow("SELECT count(*) FROM not_duplicates").Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("not_duplicates rows = %d, %v", rows, err)
	}
	var exp bytes.Buffer
	if err := s.ExportUserData(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exp.String(), `"not_duplicates": [`+"\n"+`  {"a_source": "github", "a_external_id": "ada"`) {
		t.Fatalf("the export lacks the pair:\n%s", exp.String())
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dups, _ := s.Duplicates(ctx); len(dups) != 1 {
		t.Fatalf("undo did not bring the pair back: %+v", dups)
	}
	if err := w.ImportUserData(ctx, "export.json", exp.Bytes(), true); err != nil {
		t.Fatal(err)
	}
	if dups, _ := s.Duplicates(ctx); len(dups) != 0 {
		t.Fatalf("the import did not restore the pair: %+v", dups)
	}
}

// Sync never writes what people said about duplicates: with triggers that
// refuse any write to not_duplicates, a sync's every step still succeeds
// and the row stays.
func TestSyncNeverWritesNotDuplicates(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	a, b := memberOf(t, s, "github:ada"), memberOf(t, s, "mbox:ada@home.org")
	if err := w.NotDuplicates(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
		if _, err := s.db.Exec(fmt.Sprintf(`CREATE TRIGGER guard_%s BEFORE %s ON not_duplicates
			BEGIN SELECT RAISE(ABORT, 'sync wrote not_duplicates'); END`, strings.ToLower(op), op)); err != nil {
			t.Fatal(err)
		}
	}
	// The identities change, one goes away, new ones come: a sync's steps.
	b1 := connector.Batch{
		Identities: []model.Identity{
			{Source: "github", ExternalID: "ada", Username: "ada", Name: "Ada L.", Email: "ada@home.org"},
			{Source: "github", ExternalID: "dee", Username: "dee", Name: "Dee"},
		},
		Activities: []model.Activity{{Source: "github", ExternalID: "dee-1", Actor: "dee", Kind: "comment", At: writeT0}},
	}
	steps := []func() error{
		func() error { return s.ApplyBatch(ctx, "github", b1) },
		func() error { return s.MergeDirtyPeople(ctx, people.Rules{}) },
		func() error { return s.RefreshDirty(ctx, writeT0, model.DefaultRules()) },
		func() error {
			return s.ApplyBatch(ctx, "mbox", connector.Batch{RemovedActivities: []string{"ada@home.org-0", "ada@home.org-1"}})
		},
		func() error { return s.MergePeople(ctx, people.Rules{Same: [][]string{{"github:cy", "github:dee"}}}) },
		func() error { return s.RefreshDerived(ctx, writeT0.Add(48*time.Hour), model.DefaultRules()) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var rows int
	if err := s.db.QueryRow("SELECT count(*) FROM not_duplicates").Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("not_duplicates rows = %d, %v", rows, err)
	}
}

func TestMemberLabels(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Tag(ctx, "github:bob", "speaker"))
	must(w.Tag(ctx, "mbox:bob@b.org", "speaker")) // the same tag on bob's other account
	must(w.Tag(ctx, "mbox:bob@b.org", "go"))
	must(w.Flag(ctx, "github:bob", "mentor"))
	_, err := w.AddNote(ctx, "github:bob", "one")
	must(err)
	_, err = w.AddNote(ctx, "mbox:bob@b.org", "two")
	must(err)
	must(w.Flag(ctx, "github:cy", "staff"))
	got, err := s.MemberLabels(ctx)
	must(err)
	want := map[int64]Labels{
		memberOf(t, s, "github:bob"): {Tags: []string{"go", "speaker"}, Flags: []string{"mentor"}, Notes: 2},
		memberOf(t, s, "github:cy"):  {Flags: []string{"staff"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("labels:\n got %+v\nwant %+v", got, want)
	}
}

// A flag that bears on the stage shows at once with the sync's rules, and
// its undo too: the member is rederived in the write's transaction.
func TestFlagRederivesAtOnce(t *testing.T) {
	s, w := peopleStore(t)
	ctx := context.Background()
	stage := func() string {
		t.Helper()
		var st int
		if err := s.db.QueryRow("SELECT stage FROM member_stats WHERE member_id = ?", memberOf(t, s, "github:cy")).Scan(&st); err != nil {
			t.Fatal(err)
		}
		return model.Stage(st).String()
	}
	before := stage()
	if before == "core" {
		t.Fatalf("cy starts as %s", before)
	}
	cores := func() int {
		t.Helper()
		sum, err := s.Summary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sum.Funnel.AtStage[model.StageCore]
	}
	coresBefore := cores()
	if err := w.Flag(ctx, "github:cy", "core"); err != nil {
		t.Fatal(err)
	}
	if got := stage(); got != "core" {
		t.Fatalf("after flag core: stage %s, want core", got)
	}
	if got := cores(); got != coresBefore+1 {
		t.Fatalf("after flag core the summary counts %d core members, want %d", got, coresBefore+1)
	}
	if _, err := w.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := stage(); got != before {
		t.Fatalf("after undo: stage %s, want %s", got, before)
	}
	if got := cores(); got != coresBefore {
		t.Fatalf("after undo the summary counts %d core members, want %d", got, coresBefore)
	}
}
