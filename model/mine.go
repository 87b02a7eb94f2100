package model

import "strings"

// MemberNames are the names a question can be assigned to a member by:
// each @handle, e-mail address and identity key. A triage names its
// assignee by one of them (the TUI's picker and hearth questions triage
// --assign choose differently), so "assigned to me" compares with all.
func MemberNames(d MemberDetail) []string {
	var names []string
	add := func(s string) {
		if s != "" {
			names = append(names, s)
		}
	}
	for _, h := range d.Handles {
		add(h)
	}
	for _, e := range d.Emails {
		add(e)
	}
	for _, i := range d.Identities {
		add(i.Handle())
		add(i.Email)
		add(i.Key())
	}
	return names
}

// AssignedTo reports whether a triage's assignee is one of names; case
// does not matter, as in the lookup of members.
func AssignedTo(assignee string, names []string) bool {
	if assignee == "" {
		return false
	}
	for _, n := range names {
		if strings.EqualFold(assignee, n) {
			return true
		}
	}
	return false
}
