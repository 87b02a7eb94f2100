package model

import (
	"strings"
	"time"
)

// Question is a thread that asks something, on any source.
type Question struct {
	ID         int64
	Source     string
	ExternalID string
	Channel    string // repository, forum category, list, room
	URL        string
	Title      string
	Body       string
	Author     string // display name or handle of the asker
	Created    time.Time
	// FirstResponse is the first reply by someone other than the author,
	// bots excluded; zero while unanswered.
	FirstResponse time.Time
	Responder     string
	Accepted      bool      // an answer was accepted
	Closed        time.Time // zero while open
	Topics        []string
	Triage        Triage
}

// Triage is the user-authored state of a question; sync never changes it.
type Triage struct {
	Assignee     string
	Status       string // "", "snoozed", "done"
	SnoozedUntil time.Time
	Note         string
	// Version counts the writes of this triage (0: never triaged); a
	// write states the version it read, so that two people editing the
	// same question at once are told rather than overwritten.
	Version int64
}

// Triage statuses.
const (
	TriageOpen    = ""
	TriageSnoozed = "snoozed"
	TriageDone    = "done"
)

// Hidden reports whether the triage takes the question out of the
// unanswered queue at now: done, or snoozed until a later time. A snoozed
// question comes back by itself when its date passes.
func (t Triage) Hidden(now time.Time) bool {
	switch t.Status {
	case TriageDone:
		return true
	case TriageSnoozed:
		return t.SnoozedUntil.After(now)
	}
	return false
}

// Waiting reports whether the question is in the unanswered queue at now:
// nobody but its author answered, it is open, and its triage neither marks
// it done nor snoozes it into the future.
func (q Question) Waiting(now time.Time) bool { return q.Unanswered() && !q.Triage.Hidden(now) }

// QuestionKey is a question's stable key, "source#external_id": source
// names never hold '#', so the key splits at its first one.
func QuestionKey(source, externalID string) string { return source + "#" + externalID }

// ParseQuestionKey splits a key made by QuestionKey.
func ParseQuestionKey(key string) (source, externalID string, ok bool) {
	source, externalID, ok = strings.Cut(key, "#")
	return source, externalID, ok && source != "" && externalID != ""
}

// Reply is one response in a question's thread.
type Reply struct {
	Author string // identity key or handle; compared with the question's author
	Bot    bool
	At     time.Time
}

// FirstResponse finds the first reply by anyone but the author, ignoring
// bots: CHAOSS time to first response starts from it. ok is false when no
// such reply exists, i.e. the question is unanswered.
func FirstResponse(author string, replies []Reply) (first Reply, ok bool) {
	for _, r := range replies {
		if r.Bot || r.Author == author {
			continue
		}
		if !ok || r.At.Before(first.At) {
			first, ok = r, true
		}
	}
	return first, ok
}

// Unanswered reports whether nobody but the author (and bots) replied and
// the question is still open.
func (q Question) Unanswered() bool { return q.FirstResponse.IsZero() && q.Closed.IsZero() }

// TimeToFirstResponse is the delay before the first reply by someone else;
// ok is false while unanswered.
func (q Question) TimeToFirstResponse() (time.Duration, bool) {
	if q.FirstResponse.IsZero() {
		return 0, false
	}
	return q.FirstResponse.Sub(q.Created), true
}
