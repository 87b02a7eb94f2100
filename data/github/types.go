package github

import (
	"encoding/json"
	"strings"
	"time"
)

// The shapes below are the parts of GitHub's documented REST responses that
// hearth reads; everything else in a response is ignored.

// ghost is the login GitHub shows for deleted accounts, whose objects come
// back with a null user, a user without a login, or GitHub's own "ghost"
// account. None of them is a person: their activity is not attributed.
const ghost = "ghost"

// deletedReply stands for a deleted account among a question's replies: it
// answered, but is no one's identity. No login can contain parentheses.
const deletedReply = "(deleted)"

type apiUser struct {
	Login    string `json:"login"`
	Type     string `json:"type"` // "User", "Bot", "Organization"
	HTMLURL  string `json:"html_url"`
	Name     string `json:"name"`
	Company  string `json:"company"`
	Location string `json:"location"`
	Bio      string `json:"bio"`
	Blog     string `json:"blog"`
	Email    string `json:"email"`
}

type apiLabel struct {
	Name string `json:"name"`
}

type apiIssue struct {
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	State     string     `json:"state"`
	HTMLURL   string     `json:"html_url"`
	User      *apiUser   `json:"user"`
	Labels    []apiLabel `json:"labels"`
	Comments  int        `json:"comments"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	ClosedAt  *time.Time `json:"closed_at"`
	// PullRequest is present only when the issue is a pull request.
	PullRequest *struct {
		// MergedAt is missing altogether on older GitHub Enterprise
		// servers; then only the pull request itself tells a merge.
		MergedAt optionalTime `json:"merged_at"`
	} `json:"pull_request"`
}

// optionalTime tells a time that is null from one that is not there.
type optionalTime struct {
	Present bool
	Time    *time.Time
}

func (o *optionalTime) UnmarshalJSON(b []byte) error {
	o.Present = true
	if string(b) == "null" {
		o.Time = nil
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	o.Time = &t
	return nil
}

type apiPull struct {
	Number   int        `json:"number"`
	State    string     `json:"state"`
	Merged   bool       `json:"merged"`
	ClosedAt *time.Time `json:"closed_at"`
	MergedAt *time.Time `json:"merged_at"`
	MergedBy *apiUser   `json:"merged_by"`
}

type apiReview struct {
	ID          int64      `json:"id"`
	User        *apiUser   `json:"user"`
	State       string     `json:"state"`
	HTMLURL     string     `json:"html_url"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

// apiComment is an issue comment or a pull request review comment.
type apiComment struct {
	ID             int64     `json:"id"`
	User           *apiUser  `json:"user"`
	HTMLURL        string    `json:"html_url"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	IssueURL       string    `json:"issue_url"`
	PullRequestURL string    `json:"pull_request_url"`
}

// loginOf is the identity key of a user: the lower-cased login, because
// GitHub logins are case-insensitive; "" for a deleted account.
func loginOf(u *apiUser) string {
	if deleted(u) {
		return ""
	}
	return strings.ToLower(u.Login)
}

// replyKey is loginOf for the authors of replies, where a deleted account
// still counts as someone who answered.
func replyKey(u *apiUser) string {
	if deleted(u) {
		return deletedReply
	}
	return loginOf(u)
}

// deleted reports whether u is a deleted account.
func deleted(u *apiUser) bool {
	return u == nil || u.Login == "" || strings.EqualFold(u.Login, ghost)
}

// userLogin is the login to show: "ghost" for deleted accounts, as GitHub
// shows them.
func userLogin(u *apiUser) string {
	if deleted(u) {
		return ghost
	}
	return u.Login
}

func labelNames(labels []apiLabel) []string {
	if len(labels) == 0 {
		return nil
	}
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		if l.Name != "" {
			out = append(out, l.Name)
		}
	}
	return out
}
