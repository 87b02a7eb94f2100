package store

import (
	"context"
	"slices"
	"testing"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// A note, tag or flag on an identity whose external id holds a colon (a
// Matrix-style chat id) lands on that identity, and its member shows it.
func TestWritesOnAnIdentityWithAColon(t *testing.T) {
	s, _, _ := triageStore(t)
	ctx := context.Background()
	ann := model.Identity{Source: "chat", ExternalID: "@ann:example.org", Username: "ann", Name: "Ann"}
	b := connector.Batch{
		Identities: []model.Identity{ann},
		Activities: []model.Activity{{Source: "chat", ExternalID: "m1", Actor: ann.ExternalID, Kind: model.Kind("message"), At: writeT0}},
	}
	if err := s.ApplyBatch(ctx, "chat", b); err != nil {
		t.Fatal(err)
	}
	if err := s.MergePeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(ctx, writeT0, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	w := s.Writer("me")
	if _, err := w.AddNote(ctx, ann.Key(), "met at FOSDEM"); err != nil {
		t.Fatal(err)
	}
	if err := w.Tag(ctx, ann.Key(), "berlin"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flag(ctx, ann.Key(), "speaker"); err != nil {
		t.Fatal(err)
	}
	id, err := s.FindMember(ctx, "@ann")
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.MemberDetail(ctx, id.MemberID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Body != "met at FOSDEM" || !slices.Contains(d.Tags, "berlin") || !slices.Contains(d.Flags, "speaker") {
		t.Fatalf("the member shows notes %v, tags %v, flags %v", d.Notes, d.Tags, d.Flags)
	}
}
