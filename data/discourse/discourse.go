// Package discourse syncs a Discourse forum into hearth: topics, replies,
// accepted solutions (the solved plugin) and questions asked in help
// categories, from the forum's public JSON API.
//
// A run lists /latest.json (topics by bump time, newest first) down to the
// saved cursor, then reads each changed topic (/t/{id}.json, and the posts
// past its first chunk through /t/{id}/posts.json) oldest first, one batch
// per topic, so a run that stops resumes with the next topic. Requests go
// through the shared client of data/httpc: retries, Retry-After, a cap on
// response size, errors of one line naming the URL.
package discourse

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
	"hearth/model"
)

// SourceName is the Source of the identities, activities and questions of
// every forum; activity and question ids start with the forum's host so
// two forums never share one.
const SourceName = "discourse"

// Options configure a Source. Only the forum's URL is required.
type Options struct {
	// APIKey and APIUsername are sent as the Api-Key and Api-Username
	// headers; both empty reads the forum as an anonymous visitor.
	APIKey, APIUsername string
	// QuestionCategories name (or slug) the categories whose topics are
	// questions, ignoring case; empty means every category whose name
	// speaks of help, support, questions or Q&A.
	QuestionCategories []string
	// BotPatterns mark bots, in the syntax of model.NewBotMatcher.
	// Discourse's own "system" and "discobot" are always bots.
	BotPatterns []string
	// Profiles asks /u/{username}.json for each poster's profile (location,
	// website, bio); off, identities carry the name and username posts show.
	Profiles   bool
	HTTPClient *http.Client
	Now        func() time.Time
	// Sleep waits d or until ctx is done; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait is the longest rate-limit wait a run sits through.
	MaxWait time.Duration
	// OnWait is told when a run starts waiting for a rate limit.
	OnWait func(until time.Time)
	// Zone is the display zone of times in messages; nil is local.
	Zone *time.Location
	// MaxBody caps a response; 0 is httpc.DefaultMaxBody.
	MaxBody int64
}

// Source is one forum. It implements connector.Source.
type Source struct {
	base  *url.URL
	root  string // base URL without a trailing slash
	opts  Options
	bots  *model.BotMatcher
	names []string // lower-cased configured question categories
}

var _ connector.Source = (*Source)(nil)

// New checks the forum URL (http or https, e.g. https://forum.example.org
// or one under a path) and fills in defaults.
func New(forum string, opts Options) (*Source, error) {
	root := strings.TrimRight(strings.TrimSpace(forum), "/")
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("discourse: %q is not a forum URL; want e.g. https://forum.example.org", forum)
	}
	bots, err := model.NewBotMatcher(opts.BotPatterns)
	if err != nil {
		return nil, fmt.Errorf("discourse: %w", err)
	}
	s := &Source{base: u, root: root, opts: opts, bots: bots}
	for _, c := range opts.QuestionCategories {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" {
			s.names = append(s.names, c)
		}
	}
	return s, nil
}

// Name is "discourse:" and the forum's URL without its scheme.
func (s *Source) Name() string {
	return "discourse:" + strings.TrimPrefix(strings.TrimPrefix(s.root, "https://"), "http://")
}

// URL is the forum's root URL.
func (s *Source) URL() string { return s.root }

func (s *Source) client() *httpc.Client {
	o := s.opts
	return httpc.New(httpc.Options{
		Service: "Discourse",
		Base:    s.base,
		Header: func(h http.Header) {
			h.Set("Accept", "application/json")
			if o.APIKey != "" {
				h.Set("Api-Key", o.APIKey)
				if o.APIUsername != "" {
					h.Set("Api-Username", o.APIUsername)
				}
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
		MaxBody:    o.MaxBody,
	})
}

// rateLimited: Discourse answers 429 with Retry-After, and names the wait
// in extras.wait_seconds too.
func rateLimited(resp *http.Response, body []byte, now time.Time, waits int) (time.Time, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return time.Time{}, false
	}
	if t, ok := httpc.RetryAfter(resp.Header, now); ok {
		return t, true
	}
	var m struct {
		Extras struct {
			WaitSeconds float64 `json:"wait_seconds"`
		} `json:"extras"`
	}
	if json.Unmarshal(body, &m) == nil && m.Extras.WaitSeconds > 0 {
		return now.Add(time.Duration(m.Extras.WaitSeconds * float64(time.Second))), true
	}
	return httpc.DefaultRateLimit(resp, body, now, waits)
}

var topicPath = regexp.MustCompile(`/t/(\d+)(/posts)?\.json$`)

// notFound says what a 404 did not find.
func notFound(u *url.URL) string {
	switch p := u.Path; {
	case topicPath.MatchString(p):
		return "no topic " + topicPath.FindStringSubmatch(p)[1] + ", or not visible to this account"
	case strings.Contains(p, "/u/"):
		return "no user " + strings.TrimSuffix(p[strings.LastIndex(p, "/u/")+3:], ".json")
	}
	return "is this a Discourse forum, and its URL right?"
}

// cursor is where the next run resumes: the bump time of the last topic
// committed and the ids of the topics committed with that very time, so
// topics bumped in the same second are neither read twice nor skipped.
type cursor struct {
	Bumped time.Time `json:"bumped,omitzero"`
	IDs    []int     `json:"ids,omitempty"`
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, fmt.Errorf("discourse: saved cursor %q is unreadable: %w", s, err)
	}
	return c, nil
}

func (c cursor) String() string {
	b, _ := json.Marshal(c) // a time and ints: cannot fail
	return string(b)
}

// after reports whether a topic bumped at t with id is past the cursor.
func (c cursor) after(t time.Time, id int) bool {
	if t.After(c.Bumped) {
		return true
	}
	if t.Before(c.Bumped) {
		return false
	}
	for _, done := range c.IDs {
		if done == id {
			return false
		}
	}
	return true
}

// advance moves the cursor past a committed topic bumped at t.
func (c *cursor) advance(t time.Time, id int) {
	if t.After(c.Bumped) {
		c.Bumped, c.IDs = t, nil
	}
	if t.Equal(c.Bumped) {
		c.IDs = append(c.IDs, id)
	}
}

// Sync reads every topic bumped since the cursor, one batch per topic.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	cur, err := parseCursor(state.Cursor)
	if err != nil {
		return err
	}
	r := &run{src: s, c: s.client(), state: state, emit: emit, cur: cur,
		seen: map[string]bool{}, skips: map[string]int{}}
	err = r.sync(ctx)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	r.noteSkips()
	return err
}
