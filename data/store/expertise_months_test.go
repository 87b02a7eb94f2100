package store

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// TestMonthsAfterMigration: a database with expertise built before
// migration 0016 answers queries as of a date from the activities until a
// refresh, which fills expertise_months (even an incremental one) as a
// full rebuild would.
func TestMonthsAfterMigration(t *testing.T) {
	ctx := context.Background()
	rules := model.DefaultRules()
	s, path := openTemp(t)
	w := &expertiseWorld{r: rand.New(rand.NewPCG(7, 11)), now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	var first connector.Batch
	for range 60 {
		b := w.batch()
		first.Identities = append(first.Identities, b.Identities...)
		first.Activities = append(first.Activities, b.Activities...)
	}
	if err := s.ApplyBatch(ctx, "git:/r", first); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDirty(ctx, w.now, rules); err != nil {
		t.Fatal(err)
	}
	// Back to version 14: the expertise tables without expertise_months.
	for _, q := range []string{"DROP TABLE expertise_months", "DELETE FROM expertise_meta WHERE key = 'months'", "PRAGMA user_version = 14"} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := queryInt(t, s, "SELECT count(*) FROM expertise_months"); n != 0 {
		t.Fatalf("the migration left %d rows", n)
	}
	if answered := whoBeforeMatchesScan(t, s, w.now, w.r, "migrated"); answered == 0 {
		t.Fatal("a migrated database answers nothing as of a date")
	}
	// A small sync: its refresh is incremental, and fills the table whole.
	w.now = w.now.Add(time.Hour)
	if err := s.ApplyBatch(ctx, "git:/r", w.batch()); err != nil {
		t.Fatal(err)
	}
	if dirty := queryInt(t, s, "SELECT count(*) FROM dirty_identities"); dirty >= queryInt(t, s, "SELECT count(*) FROM members")/5 {
		t.Fatalf("%d dirty identities: the refresh would be a full one", dirty)
	}
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDirty(ctx, w.now, rules); err != nil {
		t.Fatal(err)
	}
	if answered := whoBeforeMatchesScan(t, s, w.now, w.r, "refreshed"); answered == 0 {
		t.Fatal("a refreshed database answers nothing as of a date")
	}
	got := expertiseTables(t, s, w.now)
	if !slices.ContainsFunc(got, func(l string) bool { return len(l) > 6 && l[:6] == "month " }) {
		t.Fatal("the refresh did not fill expertise_months")
	}
	if err := s.RefreshDerived(ctx, w.now, rules); err != nil {
		t.Fatal(err)
	}
	if want := expertiseTables(t, s, w.now); !slices.Equal(got, want) {
		t.Fatalf("the refresh after the migration differs from a full one:\n got  %q\n want %q", diff(got, want), diff(want, got))
	}
	// Another half-life than the tables were built with: the activities
	// are read until a refresh builds them again.
	other := rules
	other.TopicHalfLife = 90 * 24 * time.Hour
	q := WhoQuery{Words: []string{"storage"}, Before: w.now.AddDate(0, -7, 3)}
	a, err := s.WhoKnows(ctx, q, w.now, other)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.WhoKnowsByScan(ctx, q, w.now, other)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || len(a) != len(b) || a[0].ID != b[0].ID || a[0].Score != b[0].Score {
		t.Fatalf("with another half-life: %v, the scan gives %v", a, b)
	}
}

// TestCellMonthsRoundTrip: a blob decodes to the buckets it was made of.
func TestCellMonthsRoundTrip(t *testing.T) {
	ix := model.NewExpertIndexAt(model.ExpertiseParams{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ix.KeepMonths()
	at := time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	for i, k := range []model.Kind{model.KindCommit, model.KindReview, model.KindCommit, model.KindComment, "custom_kind"} {
		ix.Add(model.Evidence{Member: 3, At: at.Add(time.Duration(i*17) * 24 * time.Hour), Kind: k, Topics: []string{"db"}})
	}
	r := monthReader{kinds: map[string]model.Kind{}}
	var cells []model.CellMonths
	_ = ix.EachCellMonths(func(h model.CellMonths) error {
		h.Months = slices.Clone(h.Months)
		for i := range h.Months {
			h.Months[i].Kinds = slices.Clone(h.Months[i].Kinds)
		}
		cells = append(cells, h)
		return nil
	})
	if len(cells) != 2 {
		t.Fatalf("%d cells, want the member's row and topic:db", len(cells))
	}
	for _, h := range cells {
		got, err := r.decode(encodeCellMonths(nil, h.Months))
		if err != nil {
			t.Fatal(err)
		}
		// The kinds of a month come back by name.
		byName := func(ks []model.KindCount) []model.KindCount {
			ks = slices.Clone(ks)
			slices.SortFunc(ks, func(x, y model.KindCount) int { return strings.Compare(string(x.Kind), string(y.Kind)) })
			return ks
		}
		if !slices.EqualFunc(got, h.Months, func(a, b model.MonthBucket) bool {
			return a.Month == b.Month && a.First == b.First && a.Last == b.Last && a.Weight == b.Weight &&
				a.Active == b.Active && slices.Equal(a.Kinds, byName(b.Kinds))
		}) {
			t.Fatalf("%s: decoded %+v, want %+v", h.Area, got, h.Months)
		}
	}
	blob := encodeCellMonths(nil, cells[0].Months)
	for n := range len(blob) {
		if _, err := r.decode(blob[:n]); err == nil {
			t.Fatalf("a blob cut to %d of %d bytes decoded", n, len(blob))
		}
	}
}
