package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/github"
	"hearth/data/github/githubtest"
	"hearth/model"
)

// store stands in for the sync engine: it keeps what batches upsert, the
// validators and the cursor, exactly as committed.
type store struct {
	batches    []connector.Batch
	cursor     string
	validators map[string]connector.Validator
	acts       map[string]model.Activity
	ids        map[string]model.Identity
	questions  map[string]connector.QuestionRecord
	progress   []string
	// failAfter makes emit fail once this many batches were stored.
	failAfter int
}

func newStore() *store {
	return &store{
		validators: map[string]connector.Validator{},
		acts:       map[string]model.Activity{},
		ids:        map[string]model.Identity{},
		questions:  map[string]connector.QuestionRecord{},
	}
}

func (s *store) state() connector.SyncState {
	return connector.SyncState{
		Cursor:    s.cursor,
		Validator: func(u string) connector.Validator { return s.validators[u] },
		Progress:  func(done, total int, what string) { s.progress = append(s.progress, what) },
	}
}

func (s *store) emit(b connector.Batch) error {
	if s.failAfter > 0 && len(s.batches) >= s.failAfter {
		return errors.New("disk full")
	}
	s.batches = append(s.batches, b)
	for _, id := range b.Identities {
		s.ids[id.ExternalID] = id
	}
	for _, a := range b.Activities {
		s.acts[a.ExternalID] = a
	}
	for _, q := range b.Questions {
		s.questions[q.ExternalID] = q
	}
	for u, v := range b.Validators {
		s.validators[u] = v
	}
	s.cursor = b.Cursor
	return nil
}

// summary lists every activity as "extID kind actor", sorted, to compare
// the outcome of whole runs.
func (s *store) summary() string {
	var lines []string
	for _, a := range s.acts {
		lines = append(lines, fmt.Sprintf("%s %s %s", a.ExternalID, a.Kind, a.Actor))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// clock is a fake time that Sleep advances, recording each wait.
type clock struct {
	now    time.Time
	sleeps []time.Duration
	waits  []time.Time
}

func (c *clock) options(token string) github.Options {
	return github.Options{
		Token:       token,
		BotPatterns: []string{"^helpdesk-"},
		Now:         func() time.Time { return c.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			c.sleeps = append(c.sleeps, d)
			c.now = c.now.Add(d)
			return ctx.Err()
		},
		OnWait: func(until time.Time) { c.waits = append(c.waits, until) },
	}
}

func newSource(t testing.TB, srv *githubtest.Server, opts github.Options) *github.Source {
	t.Helper()
	opts.APIURL = srv.URL
	src, err := github.New(srv.Repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func newClock() *clock { return &clock{now: githubtest.At(48)} }

func syncOnce(t testing.TB, src *github.Source, st *store) error {
	t.Helper()
	return src.Sync(context.Background(), st.state(), st.emit)
}

// wantActivities is what Default's repository must produce.
const wantActivities = `comment/101 comment helpdesk-bot
comment/102 comment dave
comment/103 comment bob
comment/104 comment dependabot[bot]
comment/105 comment erin
comment/106 comment alice
discussion-comment/5001 comment erin
discussion-comment/5002 comment carol
discussion-comment/5003 comment alice
discussion/20 question erin
discussion/20/answer accepted_answer carol
discussion/21 post dave
issue/1 issue_opened dave
issue/2 issue_opened erin
issue/5 issue_opened bob
pr/3 pr_opened carol
pr/3/merged pr_merged carol
pr/3/merged_other merged_other alice
pr/4 pr_opened dave
pr/4/closed pr_closed dave
pr/6 pr_opened alice
pr/6/merged pr_merged alice
review-comment/7001 comment alice
review/9001 review alice
review/9004 review bob`

func TestFullSync(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	c := newClock()
	st := newStore()
	src := newSource(t, srv, c.options("tok"))
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	if got := st.summary(); got != wantActivities {
		t.Errorf("activities:\n%s\nwant:\n%s", got, wantActivities)
	}

	// Every actor, responder and asker has an identity, emitted no later
	// than the batch that refers to it.
	known := map[string]bool{}
	for i, b := range st.batches {
		for _, id := range b.Identities {
			known[id.ExternalID] = true
		}
		for _, a := range b.Activities {
			if !known[a.Actor] {
				t.Errorf("batch %d: activity %s by %q before its identity", i, a.ExternalID, a.Actor)
			}
			if a.Source != "github" || a.Channel != "acme/widgets" {
				t.Errorf("activity %s: source %q channel %q", a.ExternalID, a.Source, a.Channel)
			}
		}
		for _, q := range b.Questions {
			if !known[q.AuthorID] || (q.ResponderID != "" && !known[q.ResponderID]) {
				t.Errorf("batch %d: question %s refers to unknown identities", i, q.ExternalID)
			}
		}
	}

	a := st.ids["alice"]
	if a.Name != "Alice Liddell" || a.Company != "@acme" || a.Location != "Oxford" || a.Bio != "maintainer" ||
		a.Email != "alice@acme.example" || a.Username != "alice" || a.URL != "https://github.com/alice" || a.Bot {
		t.Errorf("alice = %+v", a)
	}
	if b := st.ids["bob"]; b.Username != "Bob" || b.Name != "Bob Builder" {
		t.Errorf("bob: login must be lower-cased for the key only: %+v", b)
	}
	for login, bot := range map[string]bool{"dependabot[bot]": true, "helpdesk-bot": true, "carol": false} {
		if st.ids[login].Bot != bot {
			t.Errorf("%s: bot = %v, want %v", login, st.ids[login].Bot, bot)
		}
	}

	pr := st.acts["pr/3/merged"]
	if pr.Title != "Add gear ratios" || pr.URL != "https://github.com/acme/widgets/pull/3" ||
		!pr.At.Equal(githubtest.At(10)) || strings.Join(pr.Topics, ",") != "enhancement" {
		t.Errorf("pr/3/merged = %+v", pr)
	}
	if cm := st.acts["comment/103"]; cm.Title != "How do I configure widgets?" || strings.Join(cm.Topics, ",") != "question,config" {
		t.Errorf("comment carries its thread's title and labels: %+v", cm)
	}

	// The cursor records the newest updated_at of each endpoint.
	for _, want := range []string{`"issues":"2024-03-01T22:00:00Z"`, `"issue_comments":"2024-03-01T17:00:00Z"`,
		`"review_comments":"2024-03-01T18:00:00Z"`, `"discussions":"2024-03-01T18:00:00Z"`} {
		if !strings.Contains(st.cursor, want) {
			t.Errorf("cursor %s lacks %s", st.cursor, want)
		}
	}

	// Every request carried the token; pagination followed Link headers.
	var paged bool
	for _, r := range srv.Requests() {
		if !r.Authorized {
			t.Errorf("%s %s sent without the token", r.Method, r.URL)
		}
		paged = paged || strings.Contains(r.URL, "page=2")
	}
	if !paged {
		t.Error("no second page requested; pagination not exercised")
	}
	if len(st.progress) == 0 {
		t.Error("no progress reported")
	}
}

func TestQuestions(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	c := newClock()
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, c.options("tok")), st); err != nil {
		t.Fatal(err)
	}
	if len(st.questions) != 3 {
		t.Errorf("%d questions, want issue/1, issue/2 and discussion/20: %v", len(st.questions), st.questions)
	}

	// The bot's greeting and the author's own bump do not count: bob's
	// reply is the first response.
	q1 := st.questions["issue/1"]
	if q1.AuthorID != "dave" || q1.ResponderID != "bob" || q1.Responder != "Bob" ||
		!q1.FirstResponse.Equal(githubtest.At(4)) || !q1.Created.Equal(githubtest.At(0)) ||
		q1.Title != "How do I configure widgets?" || q1.Body != "I tried everything." ||
		q1.URL != "https://github.com/acme/widgets/issues/1" || q1.Channel != "acme/widgets" || q1.Source != "github" {
		t.Errorf("issue/1 = %+v", q1)
	}
	// Only a bot and the author replied: unanswered. The label matched
	// case-insensitively ("Question").
	q2, ok := st.questions["issue/2"]
	if !ok || !q2.FirstResponse.IsZero() || q2.ResponderID != "" || !q2.Unanswered() {
		t.Errorf("issue/2 = %+v (present %v), want unanswered", q2, ok)
	}
	d := st.questions["discussion/20"]
	if !d.Accepted || d.ResponderID != "carol" || !d.FirstResponse.Equal(githubtest.At(4)) || d.AuthorID != "erin" {
		t.Errorf("discussion/20 = %+v", d)
	}
	if _, ok := st.questions["discussion/21"]; ok {
		t.Error("a discussion in a non-answerable category is not a question")
	}
}

// TestBotPatternForms: patterns are case-insensitive regular expressions
// on the login, name and e-mail ("/expr/" is the same expression);
// helpdesk-bot is a bot by the "-bot" convention with or without them, so
// issue #1's first response is bob's, not its greeting.
func TestBotPatternForms(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	for _, tc := range []struct {
		patterns []string
		dave     bool
		carol    bool
	}{
		{nil, false, false},
		{[]string{"/^DAVE$/"}, true, false},
		{[]string{"^dav"}, true, false},
		{[]string{"^ave"}, false, false},
		{[]string{"danvers"}, false, true}, // carol's name
	} {
		opts := newClock().options("tok")
		opts.BotPatterns = tc.patterns
		st := newStore()
		if err := syncOnce(t, newSource(t, srv, opts), st); err != nil {
			t.Fatal(err)
		}
		if !st.ids["helpdesk-bot"].Bot || st.ids["dave"].Bot != tc.dave || st.ids["carol"].Bot != tc.carol {
			t.Errorf("%q: helpdesk-bot %v, dave %v, carol %v", tc.patterns,
				st.ids["helpdesk-bot"].Bot, st.ids["dave"].Bot, st.ids["carol"].Bot)
		}
		if q := st.questions["issue/1"]; q.ResponderID != "bob" {
			t.Errorf("%q: issue/1 answered by %q, want bob", tc.patterns, q.ResponderID)
		}
	}
}

func TestNoChangeResyncOnlyConditional(t *testing.T) {
	fx := githubtest.Default()
	fx.Discussions = nil // GraphQL cannot be conditional; see TestDiscussionsResync
	srv := githubtest.New(t, fx)
	c := newClock()
	st := newStore()
	src := newSource(t, srv, c.options("tok"))
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	before := st.summary()
	srv.ResetLog()
	n := len(st.batches)

	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	total, conditional, notModified := srv.Stats()
	// issues, issue comments, review comments; discussions are empty, so
	// the GraphQL request is the only unconditional one.
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			total--
			continue
		}
		if !r.Conditional || r.Status != http.StatusNotModified {
			t.Errorf("%s %s: conditional=%v status=%d", r.Method, r.URL, r.Conditional, r.Status)
		}
	}
	if total != 3 || conditional != 3 || notModified != 3 {
		t.Errorf("resync: %d GET requests, %d conditional, %d not modified; want 3, 3, 3", total, conditional, notModified)
	}
	if st.summary() != before {
		t.Error("resync changed the data")
	}
	for _, b := range st.batches[n:] {
		if len(b.Activities) > 0 {
			t.Errorf("resync emitted %d activities", len(b.Activities))
		}
	}
}

func TestIncrementalPicksUpNewComment(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	c := newClock()
	st := newStore()
	src := newSource(t, srv, c.options("tok"))
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	if !st.questions["issue/2"].Unanswered() {
		t.Fatal("issue/2 should start unanswered")
	}
	srv.AddComment(githubtest.Comment{ID: 200, Issue: 2, Author: "alice", Body: "Yes: --theme=dark", Created: githubtest.At(30)})
	srv.ResetLog()
	n := len(st.batches)

	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	cm, ok := st.acts["comment/200"]
	if !ok || cm.Actor != "alice" || cm.Kind != model.KindComment || cm.Title != "Is there a dark theme?" {
		t.Errorf("new comment: %+v (present %v)", cm, ok)
	}
	q := st.questions["issue/2"]
	if q.ResponderID != "alice" || !q.FirstResponse.Equal(githubtest.At(30)) {
		t.Errorf("issue/2 after the reply: %+v", q)
	}
	// Only the changed issue and the new comment came back, plus the items
	// sitting exactly on the old cursor (GitHub's since is inclusive).
	allowed := map[string]bool{"issue/2": true, "comment/200": true, "pr/6": true, "pr/6/merged": true, "comment/106": true}
	var newActs []string
	for _, b := range st.batches[n:] {
		for _, a := range b.Activities {
			newActs = append(newActs, a.ExternalID)
		}
	}
	for _, id := range newActs {
		if !allowed[id] && !strings.HasPrefix(id, "discussion") {
			t.Errorf("incremental run re-emitted %s", id)
		}
	}
	// alice's profile was known and unchanged: asked conditionally, 304.
	for _, r := range srv.Requests() {
		if strings.Contains(r.URL, "/users/") && (r.Status != http.StatusNotModified || !r.Conditional) {
			t.Errorf("%s: %d conditional=%v", r.URL, r.Status, r.Conditional)
		}
		if strings.Contains(r.URL, "/issues/1/") || strings.Contains(r.URL, "/pulls/3") {
			t.Errorf("unchanged thread fetched again: %s", r.URL)
		}
	}
	if !strings.Contains(st.cursor, `"issue_comments":"2024-03-02T15:00:00Z"`) {
		t.Errorf("cursor %s did not advance to the new comment", st.cursor)
	}
}

func TestShortRateLimitsAreWaitedOut(t *testing.T) {
	for name, fault := range map[string]func(*clock) githubtest.Fault{
		"429 Retry-After": func(*clock) githubtest.Fault { return githubtest.RetryAfter(30) },
		"403 remaining 0": func(c *clock) githubtest.Fault { return githubtest.RateLimited(c.now.Add(90 * time.Second)) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := githubtest.New(t, githubtest.Default())
			c := newClock()
			start := c.now
			f := fault(c)
			srv.Inject("/issues/comments", 1, f)
			st := newStore()
			if err := syncOnce(t, newSource(t, srv, c.options("tok")), st); err != nil {
				t.Fatal(err)
			}
			if st.summary() != wantActivities {
				t.Errorf("after waiting, data incomplete:\n%s", st.summary())
			}
			if len(c.waits) != 1 || len(c.sleeps) != 1 {
				t.Fatalf("waits %v sleeps %v, want one of each", c.waits, c.sleeps)
			}
			if want := c.waits[0].Sub(start); c.sleeps[0] != want || want <= 0 || want > 2*time.Minute {
				t.Errorf("slept %v, OnWait announced %v", c.sleeps[0], want)
			}
		})
	}
}

func TestLongRateLimitStopsAndResumes(t *testing.T) {
	// Reference: an undisturbed sync.
	ref := newStore()
	if err := syncOnce(t, newSource(t, githubtest.New(t, githubtest.Default()), newClock().options("tok")), ref); err != nil {
		t.Fatal(err)
	}

	// Mid-listing (page 2 of the issues), while fetching a profile, on a
	// later endpoint, and on GraphQL.
	for _, at := range []string{"/issues?direction=asc&page=2", "/users/carol", "/pulls/comments", "/graphql"} {
		t.Run(at, func(t *testing.T) {
			srv := githubtest.New(t, githubtest.Default())
			c := newClock()
			reset := c.now.Add(38 * time.Minute)
			srv.Inject(at, 1, githubtest.RateLimited(reset))
			st := newStore()
			src := newSource(t, srv, c.options("tok"))
			err := syncOnce(t, src, st)
			var rl *github.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("err = %v, want *RateLimitError", err)
			}
			if !rl.Reset.Equal(reset.Truncate(time.Second)) {
				t.Errorf("Reset = %v, want %v", rl.Reset, reset)
			}
			msg := err.Error()
			if !strings.Contains(msg, "rate limited by GitHub until "+reset.Local().Format("15:04")) ||
				!strings.Contains(msg, "(in 38m)") || !strings.Contains(msg, "progress is saved") {
				t.Errorf("message %q", msg)
			}
			if len(c.sleeps) != 0 {
				t.Errorf("slept %v on a long limit", c.sleeps)
			}
			// The next run resumes from the saved cursor and ends with
			// exactly the data of an undisturbed sync.
			if err := syncOnce(t, src, st); err != nil {
				t.Fatal(err)
			}
			if st.summary() != ref.summary() {
				t.Errorf("after resuming:\n%s\nwant:\n%s", st.summary(), ref.summary())
			}
			if fmt.Sprint(st.questions) != fmt.Sprint(ref.questions) {
				t.Errorf("questions differ after resuming:\n%v\n%v", st.questions, ref.questions)
			}
		})
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	srv.Inject("/pulls/comments", 2, githubtest.Fault{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>"})
	c := newClock()
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, c.options("tok")), st); err != nil {
		t.Fatal(err)
	}
	if st.summary() != wantActivities {
		t.Error("data incomplete after retries")
	}
	if fmt.Sprint(c.sleeps) != "[1s 2s]" {
		t.Errorf("backoff %v, want [1s 2s]", c.sleeps)
	}
}

func TestServerErrorsGiveUpNamingURL(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	srv.Inject("/pulls/comments", 3, githubtest.Fault{Status: http.StatusInternalServerError})
	st := newStore()
	err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st)
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/repos/acme/widgets/pulls/comments?") ||
		!strings.Contains(err.Error(), "500 Internal Server Error (after 3 attempts)") {
		t.Fatalf("err = %v", err)
	}
	if _, ok := st.acts["comment/101"]; !ok {
		t.Error("batches before the failure must be kept")
	}
}

func TestNetworkErrorNamesURL(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	url := srv.URL
	srv.Close()
	c := newClock()
	src, err := github.New("acme/widgets", github.Options{APIURL: url, Sleep: c.options("").Sleep})
	if err != nil {
		t.Fatal(err)
	}
	err = src.Sync(context.Background(), newStore().state(), newStore().emit)
	if err == nil || !strings.Contains(err.Error(), "github: "+url+"/repos/acme/widgets/issues?") || len(c.sleeps) != 2 {
		t.Fatalf("err = %v, sleeps %v", err, c.sleeps)
	}
}

func TestMalformedJSONNoHalfBatch(t *testing.T) {
	for name, f := range map[string]githubtest.Fault{
		"truncated": {Truncate: true},
		"garbage":   {Status: http.StatusOK, Body: `[{"number": 3, "title": "Add`},
		"html":      {Status: http.StatusOK, Body: `<html>proxy error</html>`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := githubtest.New(t, githubtest.Default())
			// Page 2 of the issues: page 1 is stored, page 2 not at all.
			srv.Inject("/issues?direction=asc&page=2", 1, f)
			st := newStore()
			err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st)
			wantURL := srv.URL + "/repos/acme/widgets/issues?direction=asc&page=2"
			if err == nil || !strings.Contains(err.Error(), "github: "+wantURL) || !strings.Contains(err.Error(), "malformed JSON") {
				t.Fatalf("err = %v", err)
			}
			if name != "html" && !strings.HasSuffix(err.Error(), "malformed JSON: unexpected end of input") {
				t.Errorf("err = %v", err)
			}
			if len(st.batches) != 1 {
				t.Fatalf("%d batches emitted, want only page 1", len(st.batches))
			}
			for id := range st.acts {
				if strings.HasPrefix(id, "pr/3") || strings.HasPrefix(id, "pr/4") || strings.HasPrefix(id, "review/") {
					t.Errorf("%s from the broken page was stored", id)
				}
			}
			if _, ok := st.acts["issue/1"]; !ok {
				t.Error("page 1 missing")
			}
			// A retry finishes the job from the saved cursor.
			if err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st); err != nil {
				t.Fatal(err)
			}
			if st.summary() != wantActivities {
				t.Errorf("after retry:\n%s", st.summary())
			}
		})
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	fx := githubtest.Default()
	fx.Prefix = "/api/v3"
	fx.Token = "ghe-token"
	srv := githubtest.New(t, fx)
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, newClock().options("ghe-token")), st); err != nil {
		t.Fatal(err)
	}
	if st.summary() != wantActivities {
		t.Errorf("activities:\n%s", st.summary())
	}
	var gql bool
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			gql = r.URL == "/api/graphql"
			continue
		}
		if !strings.HasPrefix(r.URL, "/api/v3/") {
			t.Errorf("request outside the API root: %s", r.URL)
		}
	}
	if !gql {
		t.Error("discussions not read from /api/graphql")
	}
}

func TestNoGraphQLSkipsDiscussions(t *testing.T) {
	fx := githubtest.Default()
	fx.NoGraphQL = true
	srv := githubtest.New(t, fx)
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st); err != nil {
		t.Fatalf("a server without GraphQL must not fail the sync: %v", err)
	}
	if _, ok := st.acts["discussion/20"]; ok {
		t.Error("discussions from nowhere")
	}
	if _, ok := st.acts["pr/3/merged"]; !ok {
		t.Error("REST data missing")
	}
	if !strings.Contains(strings.Join(st.progress, "\n"), "discussions skipped") {
		t.Errorf("no note about skipped discussions: %q", st.progress)
	}
}

func TestAnonymous(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, newClock().options("")), st); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Authorized {
			t.Errorf("%s sent credentials", r.URL)
		}
		if r.Method == http.MethodPost {
			t.Error("anonymous run asked GraphQL, which needs a token")
		}
	}
	if _, ok := st.acts["issue/1"]; !ok {
		t.Error("anonymous sync read nothing")
	}
}

func TestDiscussionsResync(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	st := newStore()
	src := newSource(t, srv, newClock().options("tok"))
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	srv.Update(func(f *githubtest.Fixture) {
		f.Discussions[1].Comments = append(f.Discussions[1].Comments, githubtest.DiscussionComment{ID: 5004, Author: "bob", Created: githubtest.At(40)})
		f.Discussions[1].Updated = githubtest.At(40)
	})
	srv.ResetLog()
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	if a, ok := st.acts["discussion-comment/5004"]; !ok || a.Actor != "bob" {
		t.Errorf("new discussion comment: %+v", a)
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("%d GraphQL requests, want 1 (stop at the first discussion older than the cursor)", posts)
	}
	if !strings.Contains(st.cursor, `"discussions":"2024-03-03T01:00:00Z"`) {
		t.Errorf("cursor %s", st.cursor)
	}
}

func TestHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got == nil {
			got = r.Header.Clone()
		}
		if r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("[]"))
	}))
	defer srv.Close()
	src, err := github.New("acme/widgets", github.Options{APIURL: srv.URL, Token: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"Authorization": "Bearer s3cret", "Accept": "application/vnd.github+json",
		"X-Github-Api-Version": "2022-11-28", "User-Agent": "hearth",
	} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
}

func TestTokenNotInErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"message":"Bad credentials"}`))
	}))
	defer srv.Close()
	src, _ := github.New("acme/widgets", github.Options{APIURL: srv.URL, Token: "s3cret"})
	err := src.Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil })
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "401 Unauthorized") ||
		!strings.Contains(err.Error(), "Bad credentials") {
		t.Fatalf("err = %v", err)
	}
}

func TestPaginationStaysOnAPIHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://evil.example/steal?page=2>; rel="next"`)
		w.Write([]byte("[]"))
	}))
	defer srv.Close()
	src, _ := github.New("acme/widgets", github.Options{APIURL: srv.URL, Token: "s3cret"})
	err := src.Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	ctx, cancel := context.WithCancel(context.Background())
	st := newStore()
	src := newSource(t, srv, github.Options{Token: "tok"})
	emits := 0
	err := src.Sync(ctx, st.state(), func(b connector.Batch) error {
		emits++
		cancel()
		return st.emit(b)
	})
	if !errors.Is(err, context.Canceled) || emits != 1 {
		t.Fatalf("err = %v after %d batches, want context.Canceled after 1", err, emits)
	}
}

func TestEmitErrorStops(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	st := newStore()
	st.failAfter = 2
	err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st)
	if err == nil || !strings.Contains(err.Error(), "disk full") || len(st.batches) != 2 {
		t.Fatalf("err = %v, %d batches", err, len(st.batches))
	}
}

func TestNewValidates(t *testing.T) {
	for _, repo := range []string{"", "acme", "acme/", "/widgets", "acme/widgets/extra",
		"https://github.com/acme/widgets", "acme/wid gets", "../x"} {
		if _, err := github.New(repo, github.Options{}); err == nil || !strings.Contains(err.Error(), "owner/name") {
			t.Errorf("New(%q) err = %v", repo, err)
		}
	}
	if _, err := github.New("acme/widgets", github.Options{APIURL: "ftp://x"}); err == nil {
		t.Error("ftp API URL accepted")
	}
	if _, err := github.New("acme/widgets", github.Options{BotPatterns: []string{"(bad"}}); err == nil {
		t.Error("bad bot pattern accepted")
	}
	if _, err := github.New("acme/widgets", github.Options{BotPatterns: []string{"/(bad/"}}); err == nil {
		t.Error("bad bot regular expression accepted")
	}
	src, err := github.New("Acme-Corp/widgets.go", github.Options{})
	if err != nil || src.Name() != "github:Acme-Corp/widgets.go" {
		t.Errorf("New = %v, %v", src, err)
	}
}

func TestRateLimitErrorMessage(t *testing.T) {
	// The reset time is told in the display zone: 13:04 UTC is 15:04 in
	// Berlin in May.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	reset := time.Date(2024, 5, 1, 13, 4, 0, 0, time.UTC)
	for wait, want := range map[time.Duration]string{
		38 * time.Minute:             "(in 38m)",
		65 * time.Minute:             "(in 1h05m)",
		40 * time.Second:             "(in 40s)",
		2*time.Hour + 29*time.Second: "(in 2h00m)",
	} {
		msg := (&github.RateLimitError{Reset: reset, Wait: wait, Zone: berlin}).Error()
		if !strings.HasPrefix(msg, "rate limited by GitHub until 15:04 ") || !strings.Contains(msg, want) ||
			!strings.HasSuffix(msg, "run sync again then — progress is saved") {
			t.Errorf("%v: %q", wait, msg)
		}
	}
}

func TestEmptyCursorIgnoresValidators(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	st := newStore()
	src := newSource(t, srv, newClock().options("tok"))
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	// The engine forgot the cursor and the rows, but kept the validators.
	fresh := newStore()
	fresh.validators = st.validators
	srv.ResetLog()
	if err := syncOnce(t, src, fresh); err != nil {
		t.Fatal(err)
	}
	if _, conditional, _ := srv.Stats(); conditional != 0 {
		t.Errorf("%d conditional requests on a full sync", conditional)
	}
	if fresh.summary() != wantActivities {
		t.Errorf("full resync incomplete:\n%s", fresh.summary())
	}
}

// BenchmarkSync1000Issues measures a full sync of 1,000 issues and pull
// requests with 2,000 comments, served locally: the cost of decoding and
// building batches, not of GitHub's latency.
func BenchmarkSync1000Issues(b *testing.B) {
	fx := githubtest.Fixture{Owner: "acme", Name: "big", NoGraphQL: true}
	for i := 1; i <= 1000; i++ {
		author := fmt.Sprintf("user%d", i%50)
		is := githubtest.Issue{Number: i, Title: fmt.Sprintf("issue %d", i), Author: author,
			Labels: []string{"area/core"}, Created: githubtest.At(i), Updated: githubtest.At(i + 1)}
		if i%3 == 0 {
			is.PR, is.Merged, is.MergedBy, is.Closed = true, githubtest.At(i+1), "user1", githubtest.At(i+1)
		}
		if i%10 == 0 {
			is.Labels = append(is.Labels, "question")
		}
		fx.Issues = append(fx.Issues, is)
		for j := range 2 {
			fx.Comments = append(fx.Comments, githubtest.Comment{ID: int64(i*10 + j), Issue: i,
				Author: fmt.Sprintf("user%d", (i+j+1)%50), Created: githubtest.At(i), Updated: githubtest.At(i)})
		}
	}
	for i := range 50 {
		fx.Users = append(fx.Users, githubtest.User{Login: fmt.Sprintf("user%d", i), Name: "User"})
	}
	srv := githubtest.New(b, fx)
	src, err := github.New(srv.Repo, github.Options{APIURL: srv.URL, Token: "tok"})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		st := newStore()
		if err := src.Sync(context.Background(), st.state(), st.emit); err != nil {
			b.Fatal(err)
		}
		if len(st.acts) < 3000 {
			b.Fatalf("%d activities", len(st.acts))
		}
	}
}
