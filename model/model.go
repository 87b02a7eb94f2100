// Package model holds hearth's domain types and the pure logic over them:
// funnel stages, expertise topics, response times, filtering. It does no I/O
// and knows nothing about SQL or terminals, so every rule here is testable
// with hand-built values.
package model

import "time"

// Identity is one account on one source: a git author e-mail, a GitHub login,
// a forum user. Identities are merged into members.
type Identity struct {
	ID         int64
	Source     string // "git", "github", "discourse", "mail", "chat", ...
	ExternalID string // unique within Source: e-mail for git, login for GitHub
	Username   string
	Name       string
	Email      string
	URL        string // the profile page on the source
	Website    string // the website the profile names, "" for none
	Company    string
	Location   string
	Bio        string
	Bot        bool
	MemberID   int64
}

// Key is the stable text key of an identity, used by user-authored data so
// that notes and flags survive any re-import or re-merge of synced rows.
func (i Identity) Key() string { return i.Source + ":" + i.ExternalID }

// Handle is how the identity is shown in lists: "@login" for platforms with
// user names, the e-mail otherwise.
func (i Identity) Handle() string {
	if i.Username != "" {
		return "@" + i.Username
	}
	return i.Email
}

// Activity is one thing a person did.
type Activity struct {
	Source     string
	ExternalID string // unique within Source
	Actor      string // ExternalID of the identity (same Source) that did it
	Kind       Kind
	At         time.Time
	Channel    string // repository, forum category, mailing list, chat room
	URL        string
	Title      string
	Topics     []string // labels, tags, areas derived from paths touched
	Paths      []string // files touched, for expertise (at most MaxActivityPaths)
}

// Member is a person: the union of their identities, with the summary the
// directory shows. The summary fields are derived when data is written.
type Member struct {
	ID            int64
	Name          string
	Org           string
	Handles       []string
	Emails        []string
	Bot           bool
	Standing      Standing
	Activities    int
	Contributions int
	FirstActive   time.Time
	LastActive    time.Time
	Topics        []string // strongest first
}

// MemberDetail is everything the member detail view shows.
type MemberDetail struct {
	Member
	Identities []Identity
	Recent     []Activity
	Notes      []Note
	Tags       []string
	Flags      []string
	// MergeReasons say why the identities are one person, one line per
	// rule that joined them ("same website ann.dev", "manual merge").
	MergeReasons []string
	Areas        []ExpertArea // strongest areas of expertise, with evidence
}

// Note is a user-authored note about a member, question or event.
type Note struct {
	ID      int64
	Body    string
	Created time.Time
	Updated time.Time
	Version int64 // see Triage.Version
}

// Org is an organisation people work for.
type Org struct {
	ID      int64
	Name    string
	Domains []string
}

// Summary is what the status line and the Funnel tab show without scanning
// any activity: it is derived when data is written.
type Summary struct {
	Members        int // people, bots excluded
	Bots           int
	Activities     int
	Funnel         Funnel
	OpenQuestions  int
	Questions      int
	Events         int
	UpcomingEvents int
	AsOf           time.Time // when the summaries were derived
	LastSync       time.Time // zero when never synced
	Demo           bool
}

// Empty reports whether the database holds no community yet.
func (s Summary) Empty() bool { return s.Members == 0 && s.Questions == 0 && s.Events == 0 }
