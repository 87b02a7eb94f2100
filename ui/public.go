package ui

import (
	"strings"

	"hearth/model"
)

// What a viewer (Options.Viewer) may see. The private fields are removed
// from the data as it arrives from the store, in the load commands, so
// that no list, detail page, filter index or status line of a viewer's
// program ever holds them: a filter cannot match an e-mail address the
// program never had.

// noPublicHandle stands for a member whose only known address is an e-mail.
const noPublicHandle = "(no public handle)"

// doNotContact is the flag of a person who asked not to be contacted: a
// viewer sees no way to reach them.
const doNotContact = "do-not-contact"

// publicFlags are the flags a viewer may see.
var publicFlags = map[string]bool{"speaker": true, "mentor": true}

// looksLikeEmail reports whether s holds an e-mail address ("@login"
// handles do not count).
func looksLikeEmail(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '<' || r == '>' || r == ',' }) {
		w = strings.TrimPrefix(w, "mailto:")
		if i := strings.IndexByte(w, '@'); i > 0 && i < len(w)-1 {
			return true
		}
	}
	return false
}

// publicText is s, or "" when it holds an e-mail address.
func publicText(s string) string {
	if looksLikeEmail(s) {
		return ""
	}
	return s
}

// publicMember is m as a viewer sees it: no e-mail addresses, in any field.
func publicMember(m model.Member) model.Member {
	m.Emails = nil
	m.Name = publicText(m.Name)
	m.Org = publicText(m.Org)
	var handles []string
	for _, h := range m.Handles {
		if !looksLikeEmail(h) {
			handles = append(handles, h)
		}
	}
	m.Handles = handles
	if m.Name == "" && len(m.Handles) == 0 {
		m.Name = noPublicHandle
	}
	return m
}

func publicMembers(ms []model.Member) []model.Member {
	out := make([]model.Member, len(ms))
	for i := range ms {
		out[i] = publicMember(ms[i])
	}
	return out
}

// publicDetail is d as a viewer sees it: no e-mail addresses, notes, tags
// or merge reasons, only the public flags, and for a person flagged
// do-not-contact no handle, profile or website either.
func publicDetail(d model.MemberDetail) model.MemberDetail {
	hidden := false
	var flags []string
	for _, f := range d.Flags {
		switch {
		case f == doNotContact:
			hidden = true
		case publicFlags[f]:
			flags = append(flags, f)
		}
	}
	d.Member = publicMember(d.Member)
	d.Flags, d.Notes, d.Tags, d.MergeReasons = flags, nil, nil, nil
	ids := make([]model.Identity, len(d.Identities))
	for i, id := range d.Identities {
		pub := model.Identity{Source: id.Source, Bot: id.Bot}
		if !hidden {
			pub.Username = publicText(id.Username)
			pub.Name = publicText(id.Name)
			pub.Company = publicText(id.Company)
			pub.Location = publicText(id.Location)
			pub.URL = publicText(id.URL)
			pub.Website = publicText(id.Website)
		}
		ids[i] = pub
	}
	d.Identities = ids
	if hidden {
		d.Handles = nil
		if d.Name == "" || d.Name == noPublicHandle {
			d.Name = noPublicHandle
		}
		d.Flags = append(d.Flags, doNotContact)
	}
	return d
}

// publicQuestion is q as a viewer sees it: no assignee or triage note, and
// no e-mail address for its author or first responder.
func publicQuestion(q model.Question) model.Question {
	q.Triage.Assignee, q.Triage.Note = "", ""
	if looksLikeEmail(q.Author) {
		q.Author = noPublicHandle
	}
	if looksLikeEmail(q.Responder) {
		q.Responder = noPublicHandle
	}
	return q
}
