package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

const (
	// attempts is how many times a request is tried when the server fails
	// (5xx) or the connection breaks, before the run gives up.
	attempts = 3
	// firstBackoff doubles after each failed attempt.
	firstBackoff = time.Second
	// maxRateWaits bounds how many times one request sits out a rate limit,
	// so a server that keeps answering 429 cannot hold a run forever.
	maxRateWaits = 5
	// maxBody caps a response body: no page GitHub sends comes near it, and
	// a runaway body must not exhaust memory.
	maxBody = 64 << 20
	// defaultSecondaryWait is what GitHub asks clients to wait after a
	// secondary rate limit that names no time.
	defaultSecondaryWait = time.Minute
)

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
	return fmt.Sprintf("rate limited by GitHub until %s (in %s); run sync again then — progress is saved",
		model.In(e.Reset, e.Zone).Format("15:04"), roughDuration(e.Wait))
}

// roughDuration says a wait the way a person would: "38m", "1h05m", "40s".
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute)/time.Minute))
	default:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}

// response is a successful (2xx) or not-modified (304) answer.
type response struct {
	notModified bool
	body        []byte
	validator   connector.Validator
	next        string // rel="next" from the Link header, "" on the last page
}

// statusError is a response GitHub refused for a reason retrying won't fix.
type statusError struct {
	url    string
	status int
	msg    string
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("github: %s: %d %s", e.url, e.status, http.StatusText(e.status))
	switch e.status {
	case http.StatusUnauthorized:
		s += " (is the token valid?)"
	case http.StatusNotFound:
		s += " (does the repository exist, and can the token read it?)"
	}
	if e.msg != "" {
		s += ": " + e.msg
	}
	return s
}

// client sends the requests of one run.
type client struct {
	opts  Options
	state connector.SyncState
	base  *url.URL // API root, for checking where pagination links point
}

// get fetches u. When conditional is set and a validator is stored for u,
// the request carries it and a 304 comes back as notModified.
func (c *client) get(ctx context.Context, u string, conditional bool) (*response, error) {
	var v connector.Validator
	// Without a cursor this is a first (or forced full) sync: whatever a
	// stored validator vouches for may not be in the database any more.
	if conditional && c.state.Validator != nil && c.state.Cursor != "" {
		v = c.state.Validator(u)
	}
	return c.do(ctx, http.MethodGet, u, nil, v)
}

// post sends a JSON body (GraphQL); it is never conditional.
func (c *client) post(ctx context.Context, u string, body []byte) (*response, error) {
	return c.do(ctx, http.MethodPost, u, body, connector.Validator{})
}

func (c *client) do(ctx context.Context, method, u string, body []byte, v connector.Validator) (*response, error) {
	backoff := firstBackoff
	failures, rateWaits := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return nil, fmt.Errorf("github: %s: %w", u, err)
		}
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		req.Header.Set("User-Agent", "hearth")
		if c.opts.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.opts.Token)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if v.ETag != "" {
			req.Header.Set("If-None-Match", v.ETag)
		}
		if v.LastModified != "" {
			req.Header.Set("If-Modified-Since", v.LastModified)
		}

		resp, err := c.opts.HTTPClient.Do(req)
		var payload []byte
		if err == nil {
			payload, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
			resp.Body.Close()
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// The connection broke: worth another try.
			failures++
			if failures >= attempts {
				return nil, fmt.Errorf("github: %s: %w (after %d attempts)", u, netCause(err), attempts)
			}
			if err := c.opts.Sleep(ctx, backoff); err != nil {
				return nil, err
			}
			backoff *= 2
			continue
		}

		switch code := resp.StatusCode; {
		case code == http.StatusNotModified:
			return &response{notModified: true, validator: v}, nil
		case code >= 200 && code < 300:
			next, err := c.nextLink(u, resp.Header)
			if err != nil {
				return nil, err
			}
			return &response{
				body: payload,
				next: next,
				validator: connector.Validator{
					ETag:         resp.Header.Get("ETag"),
					LastModified: resp.Header.Get("Last-Modified"),
				},
			}, nil
		case code == http.StatusForbidden || code == http.StatusTooManyRequests:
			until, limited := c.rateLimited(resp, payload)
			if !limited {
				return nil, &statusError{url: u, status: code, msg: apiMessage(payload)}
			}
			wait := until.Sub(c.opts.Now())
			if wait > c.opts.MaxWait || rateWaits >= maxRateWaits {
				return nil, &RateLimitError{Reset: until, Wait: wait, Zone: c.opts.Zone}
			}
			rateWaits++
			if c.opts.OnWait != nil {
				c.opts.OnWait(until)
			}
			if wait > 0 {
				if err := c.opts.Sleep(ctx, wait); err != nil {
					return nil, err
				}
			}
		case code >= 500:
			failures++
			if failures >= attempts {
				return nil, fmt.Errorf("github: %s: %d %s (after %d attempts)", u, code, http.StatusText(code), attempts)
			}
			if err := c.opts.Sleep(ctx, backoff); err != nil {
				return nil, err
			}
			backoff *= 2
		default:
			return nil, &statusError{url: u, status: code, msg: apiMessage(payload)}
		}
	}
}

// rateLimited tells a rate limit from any other 403, and when it ends:
// Retry-After wins (secondary limits), then an exhausted primary limit's
// X-RateLimit-Reset; a 429 or a "rate limit" message naming no time means
// waiting a minute, as GitHub's documentation asks.
func (c *client) rateLimited(resp *http.Response, body []byte) (time.Time, bool) {
	now := c.opts.Now()
	if ra := strings.TrimSpace(resp.Header.Get("Retry-After")); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			return now.Add(time.Duration(secs) * time.Second), true
		}
		if t, err := http.ParseTime(ra); err == nil {
			return t, true
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if secs, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return time.Unix(secs, 0), true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests ||
		strings.Contains(strings.ToLower(apiMessage(body)), "rate limit") {
		return now.Add(defaultSecondaryWait), true
	}
	return time.Time{}, false
}

// nextLink returns the rel="next" target of a Link header, resolved against
// the request URL. It refuses links that leave the API host, because the
// token goes with every request.
func (c *client) nextLink(reqURL string, h http.Header) (string, error) {
	for _, link := range h.Values("Link") {
		for part := range strings.SplitSeq(link, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			if !relIsNext(params) {
				continue
			}
			ref, err := url.Parse(target[1 : len(target)-1])
			if err != nil {
				return "", fmt.Errorf("github: %s: bad Link header: %w", reqURL, err)
			}
			from, err := url.Parse(reqURL)
			if err != nil {
				return "", fmt.Errorf("github: %s: %w", reqURL, err)
			}
			next := from.ResolveReference(ref)
			if next.Scheme != c.base.Scheme || next.Host != c.base.Host {
				return "", fmt.Errorf("github: %s: pagination link points to another host (%s); not following it", reqURL, next.Host)
			}
			return next.String(), nil
		}
	}
	return "", nil
}

func relIsNext(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(k) != "rel" {
			continue
		}
		for rel := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(v), `"`)) {
			if rel == "next" {
				return true
			}
		}
	}
	return false
}

// apiMessage extracts GitHub's {"message": ...} from an error body.
func apiMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	return m.Message
}

// netCause drops the "Get <url>:" prefix of *url.Error: our own message
// already names the URL.
func netCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decode unmarshals a response body, naming the URL when it is not the JSON
// GitHub documents (truncated, HTML error page, wrong shape).
func decode(u string, body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	msg := err.Error()
	var se *json.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && se.Offset >= int64(len(bytes.TrimSpace(body)))) ||
		strings.Contains(msg, "unexpected end of JSON input") {
		msg = "unexpected end of input"
	} else {
		msg = strings.TrimPrefix(msg, "json: ")
	}
	return fmt.Errorf("github: %s: malformed JSON: %s", u, msg)
}
