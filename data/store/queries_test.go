package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"hearth/model"
)

// directoryStore is a store whose member_stats holds n members with
// awkward text: non-ASCII case (ZOË, the Kelvin sign, İ), commas between
// list elements, every stage and state, a stage out of range, and bots.
func directoryStore(t *testing.T, n int) *Store {
	t.Helper()
	s, _ := openTemp(t)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	names := []string{"Zoë Ångström", "ZOË MÜLLER", "\u212Aelvin Kline", "İlker Şahin", "José García", "王小明", "ada lovelace", "O'Brien · core", ""}
	orgs := []string{"", "Acme", "ÉCOLE", "Initech, Inc"}
	topics := []string{"", "docs", "ci,storage", "Networking,DOCS,ci"}
	for i := range n {
		handles := fmt.Sprintf("@user%d", i)
		if i%5 == 0 {
			handles += ",@Ü" + fmt.Sprint(i%7)
		}
		if i%11 == 0 {
			handles = ""
		}
		stage := rnd.IntN(5)
		if i%23 == 0 {
			stage = 7
		}
		_, err := s.db.ExecContext(ctx, `INSERT INTO member_stats(member_id, name, org, handles, emails, bot,
			stage, is_new, is_lapsed, activities, contributions, first_active, last_active, topics, evidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i+1, names[i%len(names)], orgs[i%len(orgs)], handles, fmt.Sprintf("u%d@example.org", i),
			i%13 == 0, stage, rnd.IntN(2), rnd.IntN(2), rnd.IntN(50), rnd.IntN(10),
			1_600_000_000+i, 1_700_000_000+i, topics[i%len(topics)], "one reason\nanother")
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestSearchMembersMatchesTheFilter: the SQL search finds exactly what
// model.Filter finds over model.MemberText of the whole directory, in the
// same order, for queries that hit non-ASCII case folding, list
// separators, the stage labels and several words.
func TestSearchMembersMatchesTheFilter(t *testing.T) {
	s := directoryStore(t, 600)
	ctx := context.Background()
	all, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, len(all))
	for i := range all {
		texts[i] = model.MemberText(&all[i])
	}
	f := model.NewFilter(texts)
	queries := []string{"zoë", "ZOË", "kelvin", "i̇lker", "ilker", "ångström", "ü3", "@ü",
		"core", "core · lapsed", "· new", "unknown", "none", "participant new",
		"docs ci", "ci,storage", "storage\nci", ",", "inc", "initech, inc", "o'brien",
		"example.org user1", "  Ada   LOVELACE ", "\n", "acme\nada", "王", "nobody-has-this"}
	for _, q := range queries {
		want := f.Match(q)
		ms, total, err := s.SearchMembers(ctx, q, 50)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if strings.TrimSpace(q) == "" {
			if total != 0 || ms != nil {
				t.Errorf("blank query %q found %d", q, total)
			}
			continue
		}
		if total != len(want) {
			t.Errorf("%q: %d matches, the filter finds %d", q, total, len(want))
			continue
		}
		if len(ms) != min(50, len(want)) {
			t.Errorf("%q: %d members returned, want %d", q, len(ms), min(50, len(want)))
			continue
		}
		for i := range ms {
			if w := all[want[i]]; !slices.Equal([]string{fmt.Sprint(ms[i])}, []string{fmt.Sprint(w)}) {
				t.Errorf("%q: match %d is %v, want %v", q, i, ms[i], w)
				break
			}
		}
	}
	// Not vacuous: the awkward queries do find people.
	for _, q := range []string{"zoë", "kelvin", "ilker", "core · lapsed", "docs ci"} {
		if _, n, _ := s.SearchMembers(ctx, q, 0); n == 0 {
			t.Errorf("%q finds nobody", q)
		}
	}
}

// TestDirectoryIsTheDetailWithoutEvidence: Members reads fewer columns
// than MemberDetail (the standing packed, no evidence); every other field
// must come out the same.
func TestDirectoryIsTheDetailWithoutEvidence(t *testing.T) {
	s := directoryStore(t, 120)
	ctx := context.Background()
	all, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := queryInt(t, s, "SELECT count(*) FROM member_stats WHERE bot = 0"); len(all) != want {
		t.Fatalf("%d members, want %d (the summary is empty: the slice must grow)", len(all), want)
	}
	top, err := s.TopMembers(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		d, err := s.MemberDetail(ctx, all[i].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		d.Standing.Evidence = nil
		if got, want := fmt.Sprint(all[i]), fmt.Sprint(d.Member); got != want {
			t.Fatalf("directory %s\ndetail    %s", got, want)
		}
		if i < len(top) && fmt.Sprint(top[i]) != fmt.Sprint(all[i]) {
			t.Fatalf("top %d is %v, directory has %v", i, top[i], all[i])
		}
		if i > 0 && (all[i].Activities > all[i-1].Activities ||
			all[i].Activities == all[i-1].Activities && all[i].ID < all[i-1].ID) {
			t.Fatalf("not in directory order at %d", i)
		}
	}
}

// TestDirectoryReadsOneCoveringIndex: the directory's queries never look
// up a row of member_stats.
func TestDirectoryReadsOneCoveringIndex(t *testing.T) {
	s, _ := openTemp(t)
	for _, q := range []string{
		"SELECT " + directoryCols + directoryFrom + directoryOrderBy,
		"SELECT " + directoryCols + directoryFrom + directoryOrderBy + " LIMIT 100",
		"SELECT member_id" + directoryFrom + " AND hearth_match(" + memberTextSQL + ", 'x')" + directoryOrderBy,
	} {
		plan := strings.Join(dumpPlan(t, s, q), "\n")
		if !strings.Contains(plan, "USING COVERING INDEX member_stats_directory") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("plan of %.60s…:\n%s", q, plan)
		}
	}
}

func dumpPlan(t *testing.T, s *Store, q string) []string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN " + q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	return out
}
