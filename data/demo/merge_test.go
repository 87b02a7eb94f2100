package demo

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"hearth/data/people"
	"hearth/data/store"
	"hearth/data/store/storetest"
)

// mergeTables are the tables the people merge writes: who belongs to which
// member, the members' names, organisations and bot marks, and the
// organisations themselves.
var mergeTables = map[string]string{
	"identities": "SELECT id, member_id, bot FROM identities ORDER BY id",
	"members":    "SELECT id, name, org_id, bot FROM members ORDER BY id",
	"orgs":       "SELECT id, name, domains FROM orgs ORDER BY id",
}

// checkMergeKeeps runs the sync's people merge, with the default rules, on
// a generated community and fails for every row it changes: the demo must
// group identities into members exactly as the merge does, so that a real
// source synced into it changes only what that source brings.
func checkMergeKeeps(t *testing.T, s *store.Store, label string) {
	t.Helper()
	before := map[string][]string{}
	for table, q := range mergeTables {
		before[table] = storetest.Rows(t, s, q)
	}
	if err := s.MergePeople(context.Background(), people.Rules{}); err != nil {
		t.Fatal(err)
	}
	after := map[string][]string{}
	for table, q := range mergeTables {
		after[table] = storetest.Rows(t, s, q)
	}
	regrouped := 0
	for i := range min(len(before["identities"]), len(after["identities"])) {
		b, a := strings.Fields(before["identities"][i]), strings.Fields(after["identities"][i])
		if b[1] != a[1] {
			regrouped++
		}
	}
	t.Logf("%s: the merge regrouped %d of %d identities; members %d → %d", label, regrouped,
		len(before["identities"]), len(before["members"]), len(after["members"]))
	for _, table := range []string{"identities", "members", "orgs"} {
		b, a := before[table], after[table]
		if len(b) != len(a) {
			t.Errorf("%s: the merge changed the number of %s rows: %d → %d", label, table, len(b), len(a))
		}
		shown := 0
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				if shown++; shown <= 5 {
					t.Errorf("%s: the merge changed %s row\n generated: %s\n merged:    %s", label, table, b[i], a[i])
				}
			}
		}
		if shown > 5 {
			t.Errorf("%s: ... and %d more %s rows", label, shown-5, table)
		}
	}
}

// A first sync's people merge changes nothing in a generated community,
// whatever its size and seed. HEARTH_DEMO_MERGE_SIZE adds one larger size
// (100000 to measure the full-scale demo).
func TestDemoGroupsAsTheMergeDoes(t *testing.T) {
	sizes := []int{2000, 20000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	if env := os.Getenv("HEARTH_DEMO_MERGE_SIZE"); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil {
			t.Fatalf("HEARTH_DEMO_MERGE_SIZE=%q: %v", env, err)
		}
		sizes = []int{n}
	}
	for k, n := range sizes {
		s := genDemo(t, n, int64(11+k))
		checkMergeKeeps(t, s, strconv.Itoa(n)+" members")
	}
}
