package model

import "time"

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
