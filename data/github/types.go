package github

import (
	"strings"
	"time"
)

// The shapes below are the parts of GitHub's documented REST responses that
// hearth reads; everything else in a response is ignored.

// ghost is the login GitHub shows for deleted accounts, whose objects come
// back with a null user.
const ghost = "ghost"

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
		MergedAt *time.Time `json:"merged_at"`
	} `json:"pull_request"`
}

type apiPull struct {
	Number   int        `json:"number"`
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
// GitHub logins are case-insensitive.
func loginOf(u *apiUser) string { return strings.ToLower(userLogin(u)) }

func userLogin(u *apiUser) string {
	if u == nil || u.Login == "" {
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
