// Package ical syncs events from iCalendar feeds (RFC 5545): an https URL
// or a local .ics file. Events are keyed by UID; recurring events are
// expanded over a window around the sync date, each occurrence keyed by
// UID#start. Cancelled events and events gone from the feed are removed
// from the synced events, while plans attached to them by UID stay.
package ical

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"hearth/data/connector"
)

// Options tune a feed.
type Options struct {
	// Name is the feed's name in sync_state and the events' source
	// ("ical:<Name>"); empty means the URL or path.
	Name string
	// Zone is where floating times and all-day dates are read; nil means
	// time.Local.
	Zone *time.Location
	// Now is the clock that places the recurrence window; nil means
	// time.Now.
	Now func() time.Time
	// HTTPClient fetches URLs; nil means a client with a 60-second timeout.
	HTTPClient *http.Client
	// MaxBytes caps a feed's size; 0 means 32 MiB.
	MaxBytes int64
	// BatchSize is how many events one batch carries; 0 means 500.
	BatchSize int
	// Backoff is the first wait before retrying a failed request (doubled
	// each time); 0 means 2 seconds, negative means no wait.
	Backoff time.Duration
}

// Source is one iCalendar feed.
type Source struct {
	target string // URL or path as given
	url    string // "" for a file
	opts   Options
	stats  Stats
}

var _ connector.Source = (*Source)(nil)

// Stats is what the last Sync read.
type Stats struct {
	Events  int            // events and occurrences in the feed's window
	Skipped map[string]int // malformed events, by reason
}

// SkippedTotal is the number of malformed events skipped.
func (s Stats) SkippedTotal() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// New returns the feed at target: an http(s) or webcal URL, or a file.
// Its errors do not repeat target: callers name it.
func New(target string, opts Options) (*Source, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, fmt.Errorf("no URL or file given")
	}
	s := &Source{target: target, opts: opts}
	lower := strings.ToLower(target)
	switch {
	case strings.HasPrefix(lower, "webcal://"):
		s.url = "https://" + target[len("webcal://"):]
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
		s.url = target
	case strings.Contains(target, "://"):
		return nil, fmt.Errorf("only http, https and webcal URLs can be fetched")
	default:
		fi, err := os.Stat(target)
		if err != nil {
			return nil, pathError(err)
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("is a directory, not an .ics file")
		}
	}
	if s.opts.Name == "" {
		s.opts.Name = target
	}
	if s.opts.Zone == nil {
		s.opts.Zone = time.Local
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	if s.opts.HTTPClient == nil {
		s.opts.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if s.opts.MaxBytes <= 0 {
		s.opts.MaxBytes = 32 << 20
	}
	if s.opts.BatchSize <= 0 {
		s.opts.BatchSize = 500
	}
	if s.opts.Backoff == 0 {
		s.opts.Backoff = 2 * time.Second
	}
	return s, nil
}

// Name is "ical:" and the feed's name.
func (s *Source) Name() string { return "ical:" + s.opts.Name }

// Stats returns what the last Sync read.
func (s *Source) Stats() Stats { return s.stats }

func pathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
