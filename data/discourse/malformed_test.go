package discourse_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/discourse"
	"hearth/data/discourse/discoursetest"
)

// TestMalformedInput: every fault is either one line naming what failed,
// or a skip counted in the closing note, never a crash or half a topic.
func TestMalformedInput(t *testing.T) {
	type fault struct {
		match string
		times int
		f     discoursetest.Fault
	}
	cases := []struct {
		name   string
		faults []fault
		fix    func(*discoursetest.Fixture)
		opts   func(*discourse.Options)
		// err is part of the expected error; "" means the run succeeds.
		err string
		// note is part of the closing progress note of a successful run.
		note string
		// topics is how many topics a successful run commits.
		topics int
		sleeps string
	}{
		{name: "bad JSON in the listing", faults: []fault{{"/latest.json", 1, discoursetest.Fault{Status: 200, Body: `{"topic_list": {"topics": [{"id": 12,`}}},
			err: "/latest.json?no_definitions=true&page=0: malformed JSON: unexpected end of input"},
		{name: "HTML instead of categories", faults: []fault{{"/categories.json", 1, discoursetest.Fault{Status: 200, Body: "<html><body>Maintenance</body></html>"}}},
			err: "/categories.json?include_subcategories=true: malformed JSON: invalid character '<'"},
		{name: "not a forum", faults: []fault{{"/categories.json", 1, discoursetest.NotFound()}},
			err: "404 Not Found (is this a Discourse forum, and its URL right?)"},
		{name: "topic gone (404)", faults: []fault{{"/t/12.json", 1, discoursetest.NotFound()}},
			note: "1 topics gone or hidden", topics: 5},
		{name: "topic hidden (403)", faults: []fault{{"/t/13.json", 1, discoursetest.Fault{Status: 403, Body: `{"errors":["You are not permitted to view the requested resource."],"error_type":"invalid_access"}`}}},
			note: "1 topics gone or hidden", topics: 5},
		{name: "500 then success", faults: []fault{{"/t/10.json", 2, discoursetest.Fault{Status: 500, Body: "Internal Server Error"}}},
			topics: 5, sleeps: "[1s 2s]"},
		{name: "500 for good", faults: []fault{{"/t/11.json", 3, discoursetest.Fault{Status: 502, Body: "<html>Bad Gateway</html>"}}},
			err: "/t/11.json: 502 Bad Gateway (after 3 attempts)"},
		{name: "truncated topic", faults: []fault{{"/t/11.json", 1, discoursetest.Fault{Truncate: true}}},
			err: "/t/11.json: malformed JSON: unexpected end of input"},
		{name: "truncated posts chunk", faults: []fault{{"/t/10/posts.json", 1, discoursetest.Fault{Truncate: true}}},
			err: "/t/10/posts.json?post_ids%5B%5D=1003&post_ids%5B%5D=1004&post_ids%5B%5D=1005&post_ids%5B%5D=1006: malformed JSON"},
		{name: "oversize", faults: []fault{{"/t/14.json", 1, discoursetest.Fault{Status: 200, Body: `{"x":"` + strings.Repeat("a", 9000) + `"}`}}},
			opts: func(o *discourse.Options) { o.MaxBody = 8192 },
			err:  "/t/14.json: response too large"},
		{name: "wrong type", faults: []fault{{"/t/14.json", 1, discoursetest.Fault{Status: 200, Body: `{"id": "fourteen", "post_stream": {"posts": []}}`}}},
			err: "/t/14.json: malformed JSON: cannot unmarshal string"},
		{name: "topic without post_stream", faults: []fault{{"/t/14.json", 1, discoursetest.Fault{Status: 200, Body: `{"id": 14, "title": "Roadmap"}`}}},
			err: "/t/14.json: no post_stream in the answer"},
		{name: "listing without topic_list", faults: []fault{{"/latest.json", 1, discoursetest.Fault{Status: 200, Body: `{"users": []}`}}},
			err: "no topic_list in the answer"},
		{name: "post without created_at", fix: func(f *discoursetest.Fixture) { f.Topics[0].Posts[4].Created = time.Time{} },
			note: "1 posts without a time", topics: 5},
		{name: "deleted account", note: "1 posts by deleted accounts", topics: 5},
		{name: "unknown user", opts: func(o *discourse.Options) { o.Profiles = true },
			note: "1 profiles not found", topics: 5},
		{name: "429 with Retry-After", faults: []fault{{"/t/12.json", 1, discoursetest.RetryAfter(7)}},
			topics: 5, sleeps: "[7s]"},
		{name: "429 too long", faults: []fault{{"/t/12.json", 1, discoursetest.RetryAfter(3600)}},
			err: "rate limited by Discourse until "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := discoursetest.Default()
			if tc.fix != nil {
				tc.fix(&f)
			}
			srv := discoursetest.New(t, f)
			for _, fl := range tc.faults {
				srv.Inject(fl.match, fl.times, fl.f)
			}
			c := newClock()
			opts := c.options()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			var notes []string
			state := connector.SyncState{Progress: func(_, _ int, what string) { notes = append(notes, what) }}
			topics := 0
			err := newSource(t, srv, opts).Sync(context.Background(), state, func(b connector.Batch) error {
				topics += b.Items
				return nil
			})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line containing %q", err, tc.err)
				}
				if !strings.HasPrefix(err.Error(), "discourse: "+srv.URL) && !strings.HasPrefix(err.Error(), "rate limited") {
					t.Errorf("err %q does not name the URL", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if topics != tc.topics {
				t.Errorf("%d topics, want %d", topics, tc.topics)
			}
			if tc.note != "" && !strings.Contains(strings.Join(notes, "\n"), tc.note) {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
			if tc.sleeps != "" && fmt.Sprint(c.sleeps) != tc.sleeps {
				t.Errorf("sleeps %v, want %s", c.sleeps, tc.sleeps)
			}
			if strings.HasPrefix(tc.name, "429") && len(c.waits) != 1 {
				t.Errorf("waits %v, want one announced", c.waits)
			}
		})
	}
}
