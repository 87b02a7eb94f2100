package model

import "testing"

func TestAssignedToAnyOfAMembersNames(t *testing.T) {
	d := MemberDetail{
		Member: Member{Handles: []string{"@ada"}, Emails: []string{"ada@example.org"}},
		Identities: []Identity{
			{Source: "github", ExternalID: "ada", Username: "ada"},
			{Source: "git", ExternalID: "ada@work.example", Email: "ada@work.example"},
		},
	}
	names := MemberNames(d)
	for _, who := range []string{"@ada", "@ADA", "ada@example.org", "ada@work.example", "git:ada@work.example"} {
		if !AssignedTo(who, names) {
			t.Errorf("%q is not one of %v", who, names)
		}
	}
	for _, who := range []string{"", "@grace", "ada", "example.org"} {
		if AssignedTo(who, names) {
			t.Errorf("%q counted as one of %v", who, names)
		}
	}
}
