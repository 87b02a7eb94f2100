package ical

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"hearth/data/connector"
)

// attempts is how many times a request that failed on the network or with
// a 5xx status is tried.
const attempts = 3

// feed is what a fetch brought: the body, or notModified.
type feed struct {
	body        []byte
	notModified bool
	validator   connector.Validator
}

// fetch reads the feed: a file directly, a URL with the stored validator
// when conditional is set.
func (s *Source) fetch(ctx context.Context, state connector.SyncState, conditional bool) (*feed, error) {
	if s.url == "" {
		return s.readFile()
	}
	var v connector.Validator
	if conditional && state.Validator != nil {
		v = state.Validator(s.url)
	}
	backoff := s.opts.Backoff
	for try := 1; ; try++ {
		f, retry, err := s.get(ctx, v)
		if err == nil || !retry || try == attempts {
			if err != nil && retry {
				err = fmt.Errorf("%w (after %d attempts)", err, attempts)
			}
			return f, err
		}
		if backoff > 0 {
			t := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			backoff *= 2
		}
	}
}

func (s *Source) readFile() (*feed, error) {
	fh, err := os.Open(s.target)
	if err != nil {
		return nil, fmt.Errorf("ical %s: %w", s.target, pathError(err))
	}
	defer fh.Close()
	body, err := io.ReadAll(io.LimitReader(fh, s.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ical %s: %w", s.target, pathError(err))
	}
	if int64(len(body)) > s.opts.MaxBytes {
		return nil, fmt.Errorf("ical %s: larger than %s", s.target, size(s.opts.MaxBytes))
	}
	return &feed{body: body}, nil
}

// get makes one request; retry says whether another try may succeed.
func (s *Source) get(ctx context.Context, v connector.Validator) (f *feed, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, false, fmt.Errorf("ical %s: %w", s.url, err)
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "hearth")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) && ue.Unwrap() != nil {
			err = ue.Unwrap()
		}
		return nil, true, fmt.Errorf("ical %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusNotModified:
		return &feed{notModified: true, validator: v}, false, nil
	case code >= 500:
		return nil, true, fmt.Errorf("ical %s: %d %s", s.url, code, http.StatusText(code))
	case code < 200 || code >= 300:
		return nil, false, fmt.Errorf("ical %s: %d %s", s.url, code, http.StatusText(code))
	}
	if resp.ContentLength > s.opts.MaxBytes {
		return nil, false, fmt.Errorf("ical %s: larger than %s", s.url, size(s.opts.MaxBytes))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.opts.MaxBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, true, fmt.Errorf("ical %s: reading the body: %w", s.url, err)
	}
	if int64(len(body)) > s.opts.MaxBytes {
		return nil, false, fmt.Errorf("ical %s: larger than %s", s.url, size(s.opts.MaxBytes))
	}
	if ct := strings.ToLower(resp.Header.Get("Content-Type")); strings.HasPrefix(ct, "text/html") ||
		strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "image/") {
		mt, _, _ := strings.Cut(ct, ";")
		return nil, false, fmt.Errorf("ical %s: not an iCalendar feed (the server sent %s)", s.url, mt)
	}
	return &feed{body: body, validator: connector.Validator{
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
	}}, false, nil
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
