package github

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
)

// secondaryWait is what GitHub asks clients to wait after a secondary
// ("abuse") rate limit that names no time: at least a minute, longer each
// time the limit is hit again.
const secondaryWait = time.Minute

// RateLimitError stops a run that would have to wait longer than
// Options.MaxWait for GitHub's rate limit to reset. Everything fetched before
// it has been emitted, so the next run resumes where this one stopped.
type RateLimitError struct {
	Reset time.Time
	// Zone is the display zone the reset time is told in; nil is local.
	Zone *time.Location
	// Wait is how long it was from Reset when the limit was hit.
	Wait time.Duration
}

func (e *RateLimitError) Error() string {
	return (&httpc.RateLimitError{Service: "GitHub", Reset: e.Reset, Zone: e.Zone, Wait: e.Wait}).Error()
}

// client sends the requests of one run through the shared HTTP client,
// with GitHub's headers, rate-limit rules and stored validators.
type client struct {
	h     *httpc.Client
	state connector.SyncState
}

func (s *Source) newClient(state connector.SyncState) *client {
	o := s.opts
	return &client{state: state, h: httpc.New(httpc.Options{
		Service: "GitHub",
		Base:    s.api,
		Header: func(h http.Header) {
			h.Set("Accept", "application/vnd.github+json")
			h.Set("X-GitHub-Api-Version", "2022-11-28")
			if o.Token != "" {
				h.Set("Authorization", "Bearer "+o.Token)
			}
		},
		RateLimit:  rateLimited,
		NotFound:   notFound,
		HTTPClient: o.HTTPClient,
		Now:        o.Now,
		Sleep:      o.Sleep,
		MaxWait:    o.MaxWait,
		OnWait:     o.OnWait,
		Zone:       o.Zone,
	})}
}

// get fetches u. When conditional is set and a validator is stored for u,
// the request carries it and a 304 comes back as NotModified.
func (c *client) get(ctx context.Context, u string, conditional bool) (*httpc.Response, error) {
	var v connector.Validator
	// Without a cursor this is a first (or forced full) sync: whatever a
	// stored validator vouches for may not be in the database any more.
	if conditional && c.state.Validator != nil && c.state.Cursor != "" {
		v = c.state.Validator(u)
	}
	resp, err := c.h.Get(ctx, u, v)
	return resp, ownRateLimit(err)
}

// post sends a JSON body (GraphQL); it is never conditional.
func (c *client) post(ctx context.Context, u string, body []byte) (*httpc.Response, error) {
	resp, err := c.h.Post(ctx, u, body)
	return resp, ownRateLimit(err)
}

func ownRateLimit(err error) error {
	var rl *httpc.RateLimitError
	if errors.As(err, &rl) {
		return &RateLimitError{Reset: rl.Reset, Zone: rl.Zone, Wait: rl.Wait}
	}
	return err
}

// rateLimited tells a rate limit from any other 403, and when it ends:
// Retry-After wins, then an exhausted primary limit's X-RateLimit-Reset.
// A secondary ("abuse") limit naming no time, or a 429, means waiting at
// least a minute, doubling each time it is hit again, as GitHub's
// documentation asks.
func rateLimited(resp *http.Response, body []byte, now time.Time, waits int) (time.Time, bool) {
	if t, ok := httpc.RetryAfter(resp.Header, now); ok {
		return t, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if secs, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return time.Unix(secs, 0), true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || secondaryLimit(body) {
		return now.Add(secondaryWait << min(waits, 4)), true
	}
	return time.Time{}, false
}

// secondaryLimit recognises GitHub's secondary rate limit messages, old
// ("abuse detection mechanism") and new ("secondary rate limit"), by the
// message or the documentation link.
func secondaryLimit(body []byte) bool {
	var m struct {
		Message string `json:"message"`
		Doc     string `json:"documentation_url"`
	}
	if httpc.Decode("", "", body, &m) != nil {
		return false
	}
	s := strings.ToLower(m.Message + " " + m.Doc)
	return strings.Contains(s, "rate limit") || strings.Contains(s, "rate-limit") || strings.Contains(s, "abuse")
}

// notFound says what a 404 did not find: GitHub answers 404, not 403, for
// what a token may not read.
func notFound(u *url.URL) string {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, p := range parts {
		switch {
		case p == "users" && i+1 < len(parts):
			return "no user " + parts[i+1]
		case p == "repos" && i+2 < len(parts):
			repo := parts[i+1] + "/" + parts[i+2]
			if i+4 < len(parts) {
				return parts[i+3] + " " + parts[i+4] + " of " + repo + " not found"
			}
			return "does the repository " + repo + " exist, and can the token read it?"
		}
	}
	return "not found; is the API URL right?"
}

// decode unmarshals a response body, naming the URL when it is not the JSON
// GitHub documents.
func decode(u string, body []byte, v any) error {
	return httpc.Decode("github", u, body, v)
}
