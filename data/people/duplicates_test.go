package people

import (
	"reflect"
	"strings"
	"testing"
)

func dupIDs() []Account {
	return []Account{
		{Member: 10, Source: "git", ExternalID: "111+ann@users.noreply.github.com", Email: "111+ann@users.noreply.github.com", Name: "Ann Lee"},
		{Member: 20, Source: "git", ExternalID: "111+ann-lee@users.noreply.github.com", Email: "111+ann-lee@users.noreply.github.com"},
		{Member: 30, Source: "git", ExternalID: "bob@example.org", Email: "bob@example.org", Name: "Bob Stone"},
		{Member: 40, Source: "git", ExternalID: "bob@users.noreply.github.com", Email: "bob@users.noreply.github.com"},
		{Member: 50, Source: "github", ExternalID: "carla", Username: "carla"},
		{Member: 60, Source: "discourse:forum", ExternalID: "77", Username: "Carla"},
		{Member: 70, Source: "mbox", ExternalID: "dan@a.org", Email: "dan@a.org", Name: "Dan  Ray"},
		{Member: 80, Source: "mbox", ExternalID: "dan@b.org", Email: "dan@b.org", Name: "dan ray"},
		// Same login on one source is two accounts; a one-word name says nothing.
		{Member: 90, Source: "github", ExternalID: "eve", Username: "eve", Name: "Eve"},
		{Member: 91, Source: "github:other/repo", ExternalID: "eve", Username: "eve", Name: "Eve"},
	}
}

func TestDuplicatesFindsEachRule(t *testing.T) {
	got := Duplicates(dupIDs(), nil)
	type short struct {
		a, b   int64
		reason string
	}
	var have []short
	for _, p := range got {
		have = append(have, short{p.A, p.B, p.Reasons[0]})
	}
	want := []short{
		{10, 20, "one GitHub account (noreply 111: ann, ann-lee)"},
		{30, 40, "noreply address of bob and address bob@example.org"},
		{50, 60, "same login carla on github and discourse"},
		{70, 80, "same name Dan Ray, different addresses"},
	}
	if !reflect.DeepEqual(have, want) {
		t.Fatalf("duplicates:\n got %v\nwant %v", have, want)
	}
	if got[0].AKey != "git:111+ann@users.noreply.github.com" || got[0].BKey != "git:111+ann-lee@users.noreply.github.com" {
		t.Errorf("keys of the first pair: %s %s", got[0].AKey, got[0].BKey)
	}
}

func TestDuplicatesLeavesOutPairsSaidApart(t *testing.T) {
	got := Duplicates(dupIDs(), map[PairKey]bool{MakePairKey(60, 50): true})
	for _, p := range got {
		if p.A == 50 && p.B == 60 {
			t.Fatalf("a pair said to be two people is listed: %+v", p)
		}
	}
	if len(got) != 3 {
		t.Fatalf("want the 3 other pairs, got %d", len(got))
	}
}

func TestDuplicatesSkipsCommonNamesAndOneMember(t *testing.T) {
	var ids []Account
	for i := range 5 {
		ids = append(ids, Account{Member: int64(i + 1), Source: "mbox", ExternalID: string(rune('a'+i)) + "@x.org",
			Email: string(rune('a'+i)) + "@x.org", Name: "Alex Smith"})
	}
	// Two accounts of one member are no pair.
	ids = append(ids, Account{Member: 9, Source: "github", ExternalID: "zed", Username: "zed"},
		Account{Member: 9, Source: "discourse", ExternalID: "1", Username: "zed"})
	if got := Duplicates(ids, nil); len(got) != 0 {
		t.Fatalf("want nothing, got %+v", got)
	}
	// With three sharing the name, each pair is listed.
	got := Duplicates(ids[:3], nil)
	if len(got) != 3 || !strings.HasPrefix(got[0].Reasons[0], "same name Alex Smith") {
		t.Fatalf("want 3 name pairs, got %+v", got)
	}
}

// A merge undone: each side gets its id back, whichever comes first.
func TestFormerMemberComesBack(t *testing.T) {
	// Member 9 was merged into 5; its identities (1 and 2) come first.
	ids := []Identity{
		{ID: 1, Source: "mbox", ExternalID: "b@x.org", Email: "b@x.org", Member: 5, Former: 9},
		{ID: 2, Source: "mbox", ExternalID: "b2@x.org", Email: "b@x.org", Member: 5, Former: 9},
		{ID: 3, Source: "github", ExternalID: "a", Username: "a", Member: 5, Former: 5},
	}
	plan := Merge(ids, nil, []int64{5}, Rules{}, nil)
	got := map[int64][]int{}
	for _, g := range plan.Groups {
		got[g.Member] = g.Identities
	}
	if len(plan.Groups) != 2 || len(got[9]) != 2 || len(got[5]) != 1 || got[5][0] != 2 {
		t.Fatalf("groups: %+v", plan.Groups)
	}
	// A former id another member holds now is no claim.
	plan = Merge(ids, nil, []int64{5, 9}, Rules{}, nil)
	for _, g := range plan.Groups {
		if g.Member == 9 {
			t.Fatalf("took the id of an existing member: %+v", plan.Groups)
		}
	}
}
