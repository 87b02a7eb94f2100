// Package github syncs a GitHub repository into hearth: issues, pull
// requests and their merges and reviews, comments, question-labelled issues
// and Discussions, and the profiles of the people involved.
//
// It speaks the documented REST v3 API (and GraphQL for Discussions), works
// against GitHub Enterprise Server, follows Link headers for pagination,
// makes conditional requests so an unchanged repository costs only 304s,
// and sits out short rate limits while stopping cleanly on long ones.
package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
	"hearth/model"
)

// SourceName is the value of model.Identity.Source, model.Activity.Source
// and model.Question.Source for everything this connector produces.
const SourceName = "github"

// Options configure a Source. The zero value talks anonymously to
// api.github.com.
type Options struct {
	// APIURL is the REST root: https://api.github.com (the default) or a
	// GitHub Enterprise Server root such as https://ghe.example.com/api/v3.
	APIURL string
	// Token authenticates requests; empty means anonymous (60 requests an
	// hour, and no Discussions, which need GraphQL). It is sent only to
	// APIURL's host and never logged or stored.
	Token      string
	HTTPClient *http.Client
	// QuestionLabels mark an issue as a question; default ["question"].
	// Matching ignores case.
	QuestionLabels []string
	// BotPatterns mark bots that are ordinary user accounts, in the syntax
	// of model.NewBotMatcher (the config file's bots, which the git
	// connector shares): regular expressions, matched ignoring case against
	// the login, the name and the e-mail.
	BotPatterns []string
	Now         func() time.Time
	// Sleep waits d or until ctx is done; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait is the longest rate-limit wait a run sits through; longer
	// limits stop the run with a *RateLimitError. Default 2 minutes.
	MaxWait time.Duration
	// OnWait is told when a run starts waiting for a rate limit, so a
	// front end can show a countdown to until.
	OnWait func(until time.Time)
	// Zone is the display zone of times in messages; nil is local.
	Zone *time.Location
}

// Source is one GitHub repository to sync. It implements connector.Source.
type Source struct {
	owner, name string
	opts        Options
	api         *url.URL
	questions   map[string]bool // lower-cased question labels
	bots        *model.BotMatcher
}

var _ connector.Source = (*Source)(nil)

// New checks repo ("owner/name") and the options and fills in defaults.
func New(repo string, opts Options) (*Source, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://api.github.com"
	}
	opts.APIURL = strings.TrimRight(opts.APIURL, "/")
	api, err := url.Parse(opts.APIURL)
	if err != nil || (api.Scheme != "http" && api.Scheme != "https") || api.Host == "" {
		return nil, fmt.Errorf("github: API URL %q is not an http(s) URL", opts.APIURL)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 2 * time.Minute}
	}
	if len(opts.QuestionLabels) == 0 {
		opts.QuestionLabels = []string{"question"}
	}
	bots, err := model.NewBotMatcher(opts.BotPatterns)
	if err != nil {
		return nil, fmt.Errorf("github: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = httpc.Sleep
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 2 * time.Minute
	}
	q := make(map[string]bool, len(opts.QuestionLabels))
	for _, l := range opts.QuestionLabels {
		q[strings.ToLower(strings.TrimSpace(l))] = true
	}
	return &Source{owner: owner, name: name, opts: opts, api: api, questions: q, bots: bots}, nil
}

// splitRepo accepts "owner/name" and nothing else: no URL, no ".git", no
// extra path, only the characters GitHub allows in owner and repository
// names.
func splitRepo(repo string) (owner, name string, err error) {
	bad := func(why string) (string, string, error) {
		return "", "", fmt.Errorf("github: repository %q: %s; want owner/name, e.g. golang/go", repo, why)
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return bad("not of the form owner/name")
	}
	for _, part := range []string{owner, name} {
		if part == "." || part == ".." {
			return bad("invalid name")
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
				return bad(fmt.Sprintf("character %q not allowed", r))
			}
		}
	}
	return owner, name, nil
}

// Name is "github:owner/name".
func (s *Source) Name() string { return "github:" + s.Repo() }

// Repo is "owner/name", the channel of every activity.
func (s *Source) Repo() string { return s.owner + "/" + s.name }

// cursor is where each endpoint resumes: the largest updated_at committed
// so far. It travels as JSON in connector.Batch.Cursor.
type cursor struct {
	Issues         time.Time `json:"issues,omitzero"`
	IssueComments  time.Time `json:"issue_comments,omitzero"`
	ReviewComments time.Time `json:"review_comments,omitzero"`
	Discussions    time.Time `json:"discussions,omitzero"`
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, fmt.Errorf("github: saved cursor %q is unreadable: %w", s, err)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c) // cannot fail: four times
	return string(b)
}

// Sync fetches everything updated since the cursor, endpoint by endpoint,
// emitting one batch per page.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	cur, err := parseCursor(state.Cursor)
	if err != nil {
		return err
	}
	r := &run{
		src:     s,
		c:       s.newClient(state),
		state:   state,
		emit:    emit,
		cur:     cur,
		seen:    map[string]bool{},
		issues:  map[int]issueInfo{},
		counted: map[string]bool{},
		deleted: map[string]bool{},
	}
	// Errors already name the URL that failed, which says which endpoint
	// it was; the engine adds the source name.
	for _, step := range []func(context.Context) error{
		r.syncIssues, r.syncIssueComments, r.syncReviewComments, r.syncDiscussions,
	} {
		if err := step(ctx); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return err
		}
	}
	if n := len(r.deleted); n > 0 {
		r.progress(fmt.Sprintf("%d activities by deleted accounts not attributed to anyone", n))
	}
	return nil
}
