package store_test

import (
	"cmp"
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/demo"
	"hearth/data/store"
	"hearth/model"
)

// healthBoth reads the health members through member_months and through
// the activity scan, in one transaction.
func healthBoth(t *testing.T, s *store.Store) (months, scan []model.HealthMember) {
	t.Helper()
	months, scan, err := s.HealthMembersBoth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return months, scan
}

// queryPairs reads two text columns.
func queryPairs(t *testing.T, s *store.Store, q string, args ...any) [][2]string {
	t.Helper()
	rows, err := s.DB().Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// sameHealth fails unless both inputs hold the same activities per member
// (in any order) and give the same report.
func sameHealth(t *testing.T, months, scan []model.HealthMember, now time.Time) {
	t.Helper()
	acts := 0
	for i := range months {
		acts += len(months[i].Acts)
		for _, ms := range [][]model.HealthMember{months, scan} {
			slices.SortFunc(ms[i].Acts, func(a, b model.Act) int {
				return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Kind, b.Kind))
			})
		}
	}
	if acts == 0 {
		t.Fatal("no activities read")
	}
	if !reflect.DeepEqual(months, scan) {
		for i := range min(len(months), len(scan)) {
			if !reflect.DeepEqual(months[i], scan[i]) {
				t.Fatalf("member %d: from member_months %d activities, from the scan %d",
					scan[i].ID, len(months[i].Acts), len(scan[i].Acts))
			}
		}
		t.Fatalf("%d members from member_months, %d from the scan", len(months), len(scan))
	}
	o := model.DefaultHealthOptions(now)
	a := model.ComputeHealth(months, nil, o)
	b := model.ComputeHealth(scan, nil, o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the reports differ")
	}
}

// TestMemberMonthsEqualsScan: on a demo community, and after a sync batch
// that adds activities to some people and removes one, reading the
// activities from member_months gives exactly what reading the activities
// table gives.
func TestMemberMonthsEqualsScan(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := demo.Generate(ctx, s, demo.Options{Members: 150, Seed: 3, Now: now}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.MemberMonthsRows(ctx); err != nil || n == 0 {
		t.Fatalf("member_months has %d rows (%v)", n, err)
	}
	months, scan := healthBoth(t, s)
	sameHealth(t, months, scan, now)

	ids := queryPairs(t, s, `SELECT source, external_id FROM identities WHERE bot = 0 AND member_id IS NOT NULL AND source = 'github'
		ORDER BY id LIMIT 3`)
	if len(ids) < 3 {
		t.Fatalf("identities %v", ids)
	}
	gone := queryPairs(t, s, `SELECT a.external_id, a.kind FROM activities a JOIN identities i ON i.id = a.identity_id
		WHERE i.source = 'github' AND a.source = 'github' AND i.external_id = ? LIMIT 1`, ids[2][1])
	if len(gone) != 1 {
		t.Fatalf("activity to remove %v", gone)
	}
	b := connector.Batch{RemovedActivities: []string{gone[0][0]}}
	for i, id := range ids[:2] {
		for d := range 4 {
			b.Activities = append(b.Activities, model.Activity{Source: "github", ExternalID: "new-" + id[1] + string(rune('a'+d)),
				Actor: id[1], Kind: []model.Kind{model.KindCommit, model.KindReview}[i], At: now.AddDate(0, 0, -d*20-1)})
		}
	}
	if err := s.ApplyBatch(ctx, "github", b); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)
	if err := s.RefreshDirty(ctx, later, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	months2, scan2 := healthBoth(t, s)
	sameHealth(t, months2, scan2, later)
	before, after := 0, 0
	for i := range months {
		before += len(months[i].Acts)
	}
	for i := range months2 {
		after += len(months2[i].Acts)
	}
	if after != before+8-1 {
		t.Errorf("%d activities after the batch, want %d", after, before+7)
	}
}
