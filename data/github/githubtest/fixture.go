// Package githubtest is a fake GitHub API for tests: a local HTTP server
// that serves one small repository the way the REST v3 documentation
// describes it (Link pagination, since filtering, ETags and 304s, rate-limit
// headers) plus the GraphQL discussions query, and that records every
// request so tests can count them. Faults (5xx, rate limits, truncated
// bodies) can be injected per URL.
package githubtest

import "time"

// Fixture describes the repository a Server serves. Times are UTC.
type Fixture struct {
	Owner, Name string
	// Prefix is prepended to every REST path, e.g. "/api/v3" to look like
	// GitHub Enterprise Server (whose GraphQL endpoint is then /api/graphql).
	Prefix string
	// PageSize caps per_page, to force pagination with small fixtures;
	// 0 means GitHub's own cap of 100.
	PageSize int
	// Token, when set, is required as "Bearer <Token>" on every request.
	// GraphQL always needs a token, as on github.com.
	Token string
	// NoGraphQL makes /graphql answer 404, as on old Enterprise servers.
	NoGraphQL bool
	// NoMergedAt leaves merged_at out of the pull_request object of the
	// issues listing, as older Enterprise servers do; only
	// /pulls/{number} tells a merge.
	NoMergedAt bool

	Users          []User
	Issues         []Issue // issues and pull requests
	Comments       []Comment
	Reviews        []Review
	ReviewComments []ReviewComment
	Discussions    []Discussion
}

// User is an account. An empty author is a deleted account served as a
// null user; "ghost" is served as GitHub's own ghost account. Logins that appear in the fixture without a User
// entry are served with type "User" (or "Bot" when ending in "[bot]") by
// the listings, and /users/{login} answers 404 for them.
type User struct {
	Login, Type                               string // Type defaults to "User"
	Name, Company, Location, Bio, Blog, Email string
}

// Issue is an issue, or a pull request when PR is set.
type Issue struct {
	Number           int
	Title, Body      string
	Author           string
	Labels           []string
	Created, Updated time.Time
	Closed           time.Time // zero while open
	PR               bool
	Merged           time.Time // pull requests only; zero when not merged
	MergedBy         string
}

// Comment is an issue (or pull request conversation) comment.
type Comment struct {
	ID               int64
	Issue            int
	Author, Body     string
	Created, Updated time.Time
}

// Review is a pull request review; State is APPROVED, CHANGES_REQUESTED,
// COMMENTED or PENDING (never submitted: Submitted zero).
type Review struct {
	ID        int64
	PR        int
	Author    string
	State     string
	Submitted time.Time
}

// ReviewComment is a comment on a pull request's diff.
type ReviewComment struct {
	ID               int64
	PR               int
	Author, Body     string
	Created, Updated time.Time
}

// Discussion is a GitHub Discussion; Answer is the ID of the comment
// marked as the answer (0: none).
type Discussion struct {
	Number           int
	Title, Body      string
	Author           string
	Category         string
	Answerable       bool
	Labels           []string
	Created, Updated time.Time
	Closed           time.Time
	Comments         []DiscussionComment
	Answer           int64
}

// DiscussionComment is a top-level comment of a discussion.
type DiscussionComment struct {
	ID      int64
	Author  string
	Created time.Time
}

// Start is the time Default's repository starts at; its events are whole
// hours after it.
func Start() time.Time { return time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC) }

// At is Start plus hours, the clock Default's fixture is written in.
func At(hours int) time.Time { return Start().Add(time.Duration(hours) * time.Hour) }

// Default is a small repository with every case the connector handles:
//
//   - #1 an issue labelled question (and bug), answered by bob after a
//     bot reply and the author's own follow-up;
//   - #2 a question nobody but a bot and its author answered;
//   - #3 a pull request by carol, merged by alice, reviewed by alice and
//     by carol herself (not counted), with one review comment;
//   - #4 a pull request closed without merging, with a pending review;
//   - #5 a plain issue, closed;
//   - #6 a pull request merged by its own author;
//   - two discussions, one answerable and answered, one in a general
//     category.
//
// PageSize is 2 so every listing spans several pages.
func Default() Fixture {
	return Fixture{
		Owner:    "acme",
		Name:     "widgets",
		PageSize: 2,
		Users: []User{
			{Login: "alice", Name: "Alice Liddell", Company: "@acme", Location: "Oxford", Bio: "maintainer", Blog: "https://alice.example", Email: "alice@acme.example"},
			{Login: "Bob", Name: "Bob Builder", Company: "Builders Ltd"},
			{Login: "carol", Name: "Carol Danvers"},
			{Login: "dave"},
			{Login: "erin", Name: "Erin"},
			{Login: "helpdesk-bot", Name: "Helpful Bot"},
			{Login: "dependabot[bot]", Type: "Bot"},
		},
		Issues: []Issue{
			{Number: 1, Title: "How do I configure widgets?", Body: "I tried everything.", Author: "dave",
				Labels: []string{"question", "config"}, Created: At(0), Updated: At(5)},
			{Number: 2, Title: "Is there a dark theme?", Body: "Asking for a friend.", Author: "erin",
				Labels: []string{"Question"}, Created: At(1), Updated: At(7)},
			{Number: 3, Title: "Add gear ratios", Author: "carol", Labels: []string{"enhancement"},
				Created: At(2), Updated: At(10), PR: true, Merged: At(10), MergedBy: "alice", Closed: At(10)},
			{Number: 4, Title: "Rewrite in COBOL", Author: "dave", Created: At(3), Updated: At(11), PR: true, Closed: At(11)},
			{Number: 5, Title: "Crash on startup", Author: "Bob", Labels: []string{"bug"}, Created: At(4), Updated: At(12), Closed: At(12)},
			{Number: 6, Title: "Bump deps", Author: "alice", Created: At(6), Updated: At(13), PR: true, Merged: At(13), MergedBy: "alice", Closed: At(13)},
		},
		Comments: []Comment{
			{ID: 101, Issue: 1, Author: "helpdesk-bot", Body: "Thanks! Someone will reply soon.", Created: At(1), Updated: At(1)},
			{ID: 102, Issue: 1, Author: "dave", Body: "Any idea?", Created: At(2), Updated: At(2)},
			{ID: 103, Issue: 1, Author: "Bob", Body: "Set gears=3.", Created: At(4), Updated: At(5)},
			{ID: 104, Issue: 2, Author: "dependabot[bot]", Body: "beep", Created: At(6), Updated: At(6)},
			{ID: 105, Issue: 2, Author: "erin", Body: "bump", Created: At(7), Updated: At(7)},
			{ID: 106, Issue: 3, Author: "alice", Body: "Nice!", Created: At(8), Updated: At(8)},
		},
		Reviews: []Review{
			{ID: 9001, PR: 3, Author: "alice", State: "APPROVED", Submitted: At(9)},
			{ID: 9002, PR: 3, Author: "carol", State: "COMMENTED", Submitted: At(9)},
			{ID: 9003, PR: 4, Author: "Bob", State: "PENDING"},
			{ID: 9004, PR: 4, Author: "Bob", State: "CHANGES_REQUESTED", Submitted: At(10)},
		},
		ReviewComments: []ReviewComment{
			{ID: 7001, PR: 3, Author: "alice", Body: "typo", Created: At(9), Updated: At(9)},
		},
		Discussions: []Discussion{
			{Number: 20, Title: "How to scale widgets?", Author: "erin", Category: "Q&A", Answerable: true,
				Labels: []string{"scaling"}, Created: At(2), Updated: At(8), Answer: 5002,
				Comments: []DiscussionComment{{ID: 5001, Author: "erin", Created: At(3)}, {ID: 5002, Author: "carol", Created: At(4)}}},
			{Number: 21, Title: "Show and tell", Author: "dave", Category: "General", Created: At(3), Updated: At(9),
				Comments: []DiscussionComment{{ID: 5003, Author: "alice", Created: At(5)}}},
		},
	}
}
