// Package httpc is the HTTP client the web API connectors share (GitHub,
// Discourse): retries with backoff when a server fails or the connection
// breaks, rate limits sat out or reported (Retry-After, or a service's own
// rules), conditional requests from stored validators, Link pagination that
// never leaves the API host, a cap on response size, and errors of one line
// that name the URL.
package httpc

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

// Defaults of Options.
const (
	// DefaultAttempts is how many times a request is tried when the server
	// fails (5xx) or the connection breaks, before the run gives up.
	DefaultAttempts = 3
	// DefaultBackoff is the first wait between attempts; it doubles after
	// each failed one.
	DefaultBackoff = time.Second
	// DefaultMaxRateWaits bounds how many times one request sits out a rate
	// limit, so a server that keeps answering 429 cannot hold a run forever.
	DefaultMaxRateWaits = 5
	// DefaultMaxBody caps a response body: no page an API sends comes near
	// it, and a runaway body must not exhaust memory.
	DefaultMaxBody = 64 << 20
	// DefaultMaxWait is the longest rate-limit wait a run sits through.
	DefaultMaxWait = 2 * time.Minute
	// DefaultRateWait is the wait after a rate limit that names no time.
	DefaultRateWait = time.Minute
)

// Options configure a Client. Service and Base are required.
type Options struct {
	// Service names the API in messages ("GitHub"); Prefix starts every
	// error ("github"), the lower-cased Service when empty.
	Service, Prefix string
	// Base is the API root. Pagination links must stay on its scheme and
	// host, because credentials go with every request.
	Base *url.URL
	// Header adds the service's headers (Accept, credentials) to a request.
	Header func(h http.Header)
	// RateLimit tells a rate-limited answer (403, 429) from any other and
	// when the limit ends; waits counts the limits this request already
	// sat out. Nil means DefaultRateLimit.
	RateLimit func(resp *http.Response, body []byte, now time.Time, waits int) (until time.Time, limited bool)
	// NotFound says what a 404 for u means ("topic 12"); "" says nothing.
	NotFound func(u *url.URL) string
	// Message extracts the service's error message from a body; nil looks
	// for a JSON "message" or "errors" field.
	Message func(body []byte) string

	HTTPClient *http.Client
	Now        func() time.Time
	// Sleep waits d or until ctx is done; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait is the longest rate-limit wait sat through; longer limits
	// stop the run with a *RateLimitError.
	MaxWait time.Duration
	// OnWait is told when a request starts waiting for a rate limit, so a
	// front end can show a countdown to until.
	OnWait func(until time.Time)
	// Zone is the display zone of times in messages; nil is local.
	Zone *time.Location

	Attempts     int
	Backoff      time.Duration
	MaxRateWaits int
	MaxBody      int64
}

// Client sends the requests of one connector.
type Client struct {
	o Options
}

// New fills in the defaults of o.
func New(o Options) *Client {
	if o.Prefix == "" {
		o.Prefix = strings.ToLower(o.Service)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 2 * time.Minute}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = Sleep
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.RateLimit == nil {
		o.RateLimit = DefaultRateLimit
	}
	if o.Message == nil {
		o.Message = Message
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxRateWaits <= 0 {
		o.MaxRateWaits = DefaultMaxRateWaits
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	return &Client{o: o}
}

// Sleep waits d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Response is a successful (2xx) or not-modified (304) answer.
type Response struct {
	NotModified bool
	Body        []byte
	// Validator is the answer's ETag and Last-Modified; on a 304, the
	// validator the request carried.
	Validator connector.Validator
	// Next is rel="next" of the Link header, "" on the last page.
	Next string
}

// StatusError is an answer refused for a reason retrying won't fix.
type StatusError struct {
	Prefix string
	URL    string
	Status int
	// What says what a 404 did not find, with a hint.
	What string
	Msg  string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s: %s: %d %s", e.Prefix, e.URL, e.Status, http.StatusText(e.Status))
	if e.What != "" {
		s += " (" + e.What + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// IsStatus reports whether err is a *StatusError with status code.
func IsStatus(err error, code int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == code
}

// TooLargeError is a body over Options.MaxBody.
type TooLargeError struct {
	Prefix, URL string
	Limit       int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: %s: response too large (over %d MiB); not reading it", e.Prefix, e.URL, e.Limit>>20)
}

// RateLimitError stops a run that would have to wait longer than
// Options.MaxWait for a rate limit to end. Everything fetched before it has
// been emitted, so the next run resumes where this one stopped.
type RateLimitError struct {
	Service string
	Reset   time.Time
	// Zone is the display zone the reset time is told in; nil is local.
	Zone *time.Location
	// Wait is how long it was from Reset when the limit was hit.
	Wait time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited by %s until %s (in %s); run sync again then — progress is saved",
		e.Service, model.In(e.Reset, e.Zone).Format("15:04"), RoughDuration(e.Wait))
}

// RoughDuration says a wait the way a person would: "38m", "1h05m", "40s".
func RoughDuration(d time.Duration) string {
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

// Get fetches u, conditionally when v holds a validator: a 304 comes back
// as NotModified.
func (c *Client) Get(ctx context.Context, u string, v connector.Validator) (*Response, error) {
	return c.Do(ctx, http.MethodGet, u, nil, v)
}

// Post sends a JSON body; it is never conditional.
func (c *Client) Post(ctx context.Context, u string, body []byte) (*Response, error) {
	return c.Do(ctx, http.MethodPost, u, body, connector.Validator{})
}

// Errorf is an error of this client's service naming u.
func (c *Client) Errorf(u, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", c.o.Prefix, u, fmt.Sprintf(format, args...))
}

// Do sends one request, retrying and waiting as the options say.
func (c *Client) Do(ctx context.Context, method, u string, body []byte, v connector.Validator) (*Response, error) {
	backoff := c.o.Backoff
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
			return nil, c.Errorf(u, "%v", err)
		}
		req.Header.Set("User-Agent", "hearth")
		if c.o.Header != nil {
			c.o.Header(req.Header)
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

		resp, err := c.o.HTTPClient.Do(req)
		var payload []byte
		if err == nil {
			// One byte past the cap tells a body at the cap from a bigger one.
			payload, err = io.ReadAll(io.LimitReader(resp.Body, c.o.MaxBody+1))
			resp.Body.Close()
			if err == nil && int64(len(payload)) > c.o.MaxBody {
				return nil, &TooLargeError{Prefix: c.o.Prefix, URL: u, Limit: c.o.MaxBody}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// The connection broke: worth another try.
			failures++
			if failures >= c.o.Attempts {
				return nil, c.Errorf(u, "%v (after %d attempts)", netCause(err), c.o.Attempts)
			}
			if err := c.o.Sleep(ctx, backoff); err != nil {
				return nil, err
			}
			backoff *= 2
			continue
		}

		switch code := resp.StatusCode; {
		case code == http.StatusNotModified:
			return &Response{NotModified: true, Validator: v}, nil
		case code >= 200 && code < 300:
			next, err := c.nextLink(u, resp.Header)
			if err != nil {
				return nil, err
			}
			return &Response{
				Body: payload,
				Next: next,
				Validator: connector.Validator{
					ETag:         resp.Header.Get("ETag"),
					LastModified: resp.Header.Get("Last-Modified"),
				},
			}, nil
		case code == http.StatusForbidden || code == http.StatusTooManyRequests:
			until, limited := c.o.RateLimit(resp, payload, c.o.Now(), rateWaits)
			if !limited {
				return nil, c.statusError(u, code, payload)
			}
			wait := until.Sub(c.o.Now())
			if wait > c.o.MaxWait || rateWaits >= c.o.MaxRateWaits {
				return nil, &RateLimitError{Service: c.o.Service, Reset: until, Wait: wait, Zone: c.o.Zone}
			}
			rateWaits++
			if c.o.OnWait != nil {
				c.o.OnWait(until)
			}
			if wait > 0 {
				if err := c.o.Sleep(ctx, wait); err != nil {
					return nil, err
				}
			}
		case code >= 500:
			failures++
			if failures >= c.o.Attempts {
				return nil, c.Errorf(u, "%d %s (after %d attempts)", code, http.StatusText(code), c.o.Attempts)
			}
			if err := c.o.Sleep(ctx, backoff); err != nil {
				return nil, err
			}
			backoff *= 2
		default:
			return nil, c.statusError(u, code, payload)
		}
	}
}

func (c *Client) statusError(u string, code int, body []byte) error {
	e := &StatusError{Prefix: c.o.Prefix, URL: u, Status: code, Msg: model.FirstLine(c.o.Message(body))}
	if code == http.StatusNotFound && c.o.NotFound != nil {
		if pu, err := url.Parse(u); err == nil {
			e.What = c.o.NotFound(pu)
		}
	}
	return e
}

// RetryAfter reads a Retry-After header: seconds or an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Time, bool) {
	ra := strings.TrimSpace(h.Get("Retry-After"))
	if ra == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(ra); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// DefaultRateLimit: a 429 is a rate limit, until Retry-After or, naming
// no time, for DefaultRateWait; a 403 is not.
func DefaultRateLimit(resp *http.Response, _ []byte, now time.Time, _ int) (time.Time, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return time.Time{}, false
	}
	if t, ok := RetryAfter(resp.Header, now); ok {
		return t, true
	}
	return now.Add(DefaultRateWait), true
}

// nextLink returns the rel="next" target of a Link header, resolved against
// the request URL. It refuses links that leave the API host.
func (c *Client) nextLink(reqURL string, h http.Header) (string, error) {
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
				return "", c.Errorf(reqURL, "bad Link header: %v", err)
			}
			from, err := url.Parse(reqURL)
			if err != nil {
				return "", c.Errorf(reqURL, "%v", err)
			}
			next := from.ResolveReference(ref)
			if err := c.SameHost(next); err != nil {
				return "", c.Errorf(reqURL, "pagination %v", err)
			}
			return next.String(), nil
		}
	}
	return "", nil
}

// SameHost refuses u when it leaves the API's scheme and host.
func (c *Client) SameHost(u *url.URL) error {
	if c.o.Base != nil && (u.Scheme != c.o.Base.Scheme || u.Host != c.o.Base.Host) {
		return fmt.Errorf("link points to another host (%s); not following it", u.Host)
	}
	return nil
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

// Message extracts {"message": ...} (GitHub) or {"errors": [...]}
// (Discourse) from an error body; "" when it has neither.
func Message(body []byte) string {
	var m struct {
		Message string `json:"message"`
		Errors  []any  `json:"errors"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	if m.Message != "" {
		return m.Message
	}
	for _, e := range m.Errors {
		if s, ok := e.(string); ok && s != "" {
			return s
		}
	}
	return ""
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

// Decode unmarshals a response body, naming the URL when it is not the JSON
// the API documents (truncated, an HTML error page, the wrong shape).
func (c *Client) Decode(u string, body []byte, v any) error {
	return Decode(c.o.Prefix, u, body, v)
}

// Decode is Client.Decode with the error prefix given.
func Decode(prefix, u string, body []byte, v any) error {
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
	return fmt.Errorf("%s: %s: malformed JSON: %s", prefix, u, msg)
}
