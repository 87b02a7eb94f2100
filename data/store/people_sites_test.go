package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"hearth/data/people"
	"hearth/model"
)

// TestMergeByWebsite: a GitHub and a Discourse account naming the same
// website (spelled differently) become one member, whose detail says why;
// a company site named by many joins no one; a change of the website
// regroups them at the next incremental merge.
func TestMergeByWebsite(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	ann := ghID("ann", "Ann Example", "", "")
	ann.Website = "https://www.Ann.dev/"
	annD := model.Identity{Source: "discourse", ExternalID: "ann_d", Username: "ann_d",
		URL: "https://forum.example.org/u/ann_d", Website: "http://ann.dev"}
	ids := []model.Identity{ann, annD}
	for _, l := range []string{"e1", "e2", "e3", "e4"} {
		ids = append(ids, model.Identity{Source: "discourse", ExternalID: l, Username: l, Website: "https://acme.example/"})
	}
	w := map[string]int{}
	for _, i := range ids {
		w[i.Key()] = 1
	}
	seedPeople(t, s, ids, w)
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDirty(ctx, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	p := loadPeople(t, s)
	sameGroup(t, p, "github:ann", "discourse:ann_d")
	if p["discourse:e1"].id == p["discourse:e2"].id {
		t.Errorf("a site of four joined them: %v", p["discourse:e1"].keys)
	}
	d, err := s.MemberDetail(ctx, p["github:ann"].id, 5)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"same website ann.dev"}; !slices.Equal(d.MergeReasons, want) {
		t.Errorf("reasons %q, want %q", d.MergeReasons, want)
	}
	websites := map[string]string{}
	for _, i := range d.Identities {
		websites[i.Key()] = i.Website
	}
	if websites["github:ann"] != "https://www.Ann.dev/" {
		t.Errorf("identities' websites %q", websites)
	}
	if d, _ := s.MemberDetail(ctx, p["discourse:e1"].id, 0); len(d.MergeReasons) != 0 {
		t.Errorf("a member of one account has reasons %q", d.MergeReasons)
	}

	// The Discourse profile moves to another site: two members again,
	// neither with reasons left behind. A profile read without a website
	// keeps the known one.
	annD.Website = "https://other.example"
	noSite := ann
	noSite.Website = ""
	seedPeople(t, s, []model.Identity{annD, noSite}, nil)
	if err := s.MergeDirtyPeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	p = loadPeople(t, s)
	if p["github:ann"].id == p["discourse:ann_d"].id {
		t.Fatal("still one member after the website changed")
	}
	if n := queryInt(t, s, "SELECT count(*) FROM member_merge_reasons"); n != 0 {
		t.Errorf("%d reasons left", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM identities WHERE website = 'https://www.Ann.dev/'"); n != 1 {
		t.Errorf("an empty website erased the known one")
	}
}
