package ui

import (
	"context"
	"strings"
	"time"

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
	recent := make([]model.Activity, len(d.Recent))
	for i, a := range d.Recent {
		a.Title, a.Channel = withoutEmails(a.Title), withoutEmails(a.Channel)
		recent[i] = a
	}
	d.Recent = recent
	if hidden {
		d.Handles = nil
		if d.Name == "" || d.Name == noPublicHandle {
			d.Name = noPublicHandle
		}
		d.Flags = append(d.Flags, doNotContact)
	}
	return d
}

// publicQuestion is q as a viewer sees it: no assignee or triage note, no
// e-mail address for its author or first responder, none in its title or
// body.
func publicQuestion(q model.Question) model.Question {
	q.Triage.Assignee, q.Triage.Note = "", ""
	q.Title, q.Body = withoutEmails(q.Title), withoutEmails(q.Body)
	if looksLikeEmail(q.Author) {
		q.Author = noPublicHandle
	}
	if looksLikeEmail(q.Responder) {
		q.Responder = noPublicHandle
	}
	return q
}

// hiddenEmail stands for an e-mail address removed from a text.
const hiddenEmail = "(e-mail hidden)"

// withoutEmails is s with every e-mail address replaced by hiddenEmail:
// for texts a viewer may read but which may quote an address (a question
// from a mailing list, an event's description).
func withoutEmails(s string) string {
	if !looksLikeEmail(s) {
		return s
	}
	var b strings.Builder
	word := func(w string) {
		if looksLikeEmail(w) {
			w = hiddenEmail
		}
		b.WriteString(w)
	}
	start := -1
	for i, r := range s {
		isSep := r == ' ' || r == '\n' || r == '\t' || r == '<' || r == '>' || r == ',' || r == '(' || r == ')'
		switch {
		case isSep && start >= 0:
			word(s[start:i])
			start = -1
			b.WriteRune(r)
		case isSep:
			b.WriteRune(r)
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		word(s[start:])
	}
	return b.String()
}

// publicStore is the store as a viewer's program reads it (Options
// Viewer): questions and events come out without what a viewer may not
// see. It offers only the methods of Store: any other reader a tab may
// look for (event plans, say) is absent, so what is added to the store
// later stays private until it is added here.
//
// What a viewer sees, and why: question titles and bodies are what their
// authors posted in the community's public places, so they are shown, with
// e-mail addresses hidden (mailing lists quote them); assignees and triage
// notes are the team's and are not. Of an event a viewer sees what its
// announcement says — name, kind, place, dates, links, the call for
// papers, the description (e-mail addresses hidden) and the confirmed
// speakers with their talks — and not the invited or declined speakers,
// the tasks, the budget, or who registered (only how many).
type publicStore struct{ Store }

func (s publicStore) OpenQuestions(ctx context.Context, limit int) ([]model.Question, error) {
	qs, err := s.Store.OpenQuestions(ctx, limit)
	for i := range qs {
		qs[i] = publicQuestion(qs[i])
	}
	return qs, err
}

func (s publicStore) Question(ctx context.Context, id int64) (model.Question, error) {
	q, err := s.Store.Question(ctx, id)
	return publicQuestion(q), err
}

func (s publicStore) Events(ctx context.Context, now time.Time) ([]model.Event, error) {
	es, err := s.Store.Events(ctx, now)
	for i := range es {
		es[i] = publicEvent(es[i])
	}
	return es, err
}

func (s publicStore) Event(ctx context.Context, uid string) (model.Event, error) {
	e, err := s.Store.Event(ctx, uid)
	return publicEvent(e), err
}

// publicEvent is e as a viewer sees it (see publicStore).
func publicEvent(e model.Event) model.Event {
	e.Place = withoutEmails(e.Place)
	e.Description = withoutEmails(e.Description)
	e.URL, e.CFPURL = publicText(e.URL), publicText(e.CFPURL)
	var speakers []model.Speaker
	for _, sp := range e.Speakers {
		if sp.Status == "confirmed" {
			speakers = append(speakers, model.Speaker{ID: sp.ID, Name: publicText(sp.Name), Talk: withoutEmails(sp.Talk), Status: sp.Status})
		}
	}
	if e.Speakers != nil {
		e.SpeakerCount = len(speakers)
	}
	e.Speakers = speakers
	// How many registered, not who.
	attendees := make([]model.Attendee, len(e.Attendees))
	for i, a := range e.Attendees {
		attendees[i] = model.Attendee{Status: a.Status}
	}
	e.Attendees = attendees
	e.Tasks, e.Budget = nil, nil
	return e
}
