package discourse_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/discourse"
	"hearth/data/discourse/discoursetest"
	"hearth/data/engine/enginetest"
	"hearth/data/store/storetest"
)

var syncNow = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

// clock is a fake time that Sleep advances, recording each wait.
type clock struct {
	now    time.Time
	sleeps []time.Duration
	waits  []time.Time
}

func (c *clock) options() discourse.Options {
	return discourse.Options{
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

func newClock() *clock { return &clock{now: discoursetest.At(48)} }

func newSource(t testing.TB, srv *discoursetest.Server, opts discourse.Options) *discourse.Source {
	t.Helper()
	src, err := discourse.New(srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func cleanImport(t *testing.T, srv *discoursetest.Server) map[string][]string {
	t.Helper()
	st, _ := storetest.Open(t)
	if res := enginetest.Run(t, context.Background(), st, syncNow, newSource(t, srv, newClock().options())); res.Err != nil {
		t.Fatal(res.Err)
	}
	return enginetest.Tables(t, st)
}

// fixtureCounts derives from a fixture what a sync must count: replies per
// topic and posts per user (regular posts by accounts that still exist).
func fixtureCounts(f discoursetest.Fixture) (replies map[int]int, posts map[string]int) {
	replies, posts = map[int]int{}, map[string]int{}
	for _, t := range f.Topics {
		for i, p := range t.Posts {
			if p.Type > 1 || p.Author == "" {
				continue
			}
			posts[strings.ToLower(p.Author)]++
			if i > 0 {
				replies[t.ID]++
			}
		}
	}
	return replies, posts
}

func TestFullSyncIntoStore(t *testing.T) {
	f := discoursetest.Default()
	srv := discoursetest.New(t, f)
	st, _ := storetest.Open(t)
	res := enginetest.Run(t, context.Background(), st, syncNow, newSource(t, srv, newClock().options()))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Items != len(f.Topics) || res.Batches != len(f.Topics) {
		t.Errorf("result %+v, want %d topics in as many batches", res, len(f.Topics))
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	wantReplies, wantPosts := fixtureCounts(f)
	for id, n := range wantReplies {
		got := storetest.Int(t, st, `SELECT count(*) FROM activities WHERE kind = 'comment' AND url LIKE ?`,
			fmt.Sprintf("%%/%d/%%", id))
		if got != n {
			t.Errorf("topic %d: %d replies, want %d", id, got, n)
		}
	}
	for user, n := range wantPosts {
		got := storetest.Int(t, st, `SELECT count(*) FROM activities a JOIN identities i ON i.id = a.identity_id
			WHERE i.external_id = ? AND a.kind IN ('post', 'question', 'comment')`, user)
		if got != n {
			t.Errorf("%s: %d posts, want %d", user, got, n)
		}
	}
	want := []string{
		host + "/p/1002 system comment", host + "/p/1003 dave comment", host + "/p/1004 bob comment",
		host + "/p/1004/accepted bob accepted_answer", host + "/p/1005 alice comment", host + "/p/1102 carol comment",
		host + "/p/1202 erin comment", host + "/p/1302 carol comment",
		host + "/t/10 dave question", host + "/t/11 alice post", host + "/t/12 erin question",
		host + "/t/13 carol question", host + "/t/14 bob post",
	}
	got := storetest.Rows(t, st, `SELECT a.external_id, i.external_id, a.kind FROM activities a
		JOIN identities i ON i.id = a.identity_id ORDER BY a.external_id`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("activities:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := storetest.Rows(t, st, `SELECT external_id, name, bot FROM identities WHERE external_id IN ('bob', 'system', 'dave') ORDER BY 1`); !reflect.DeepEqual(got, []string{"bob Bob Builder 0", "dave  0", "system system 1"}) {
		t.Errorf("identities %q", got)
	}
	qs := storetest.Rows(t, st, `SELECT q.external_id, q.channel, coalesce(a.external_id, ''), coalesce(q.first_response_at, 0),
		coalesce(r.external_id, ''), q.accepted, coalesce(q.closed_at, 0)
		FROM questions q LEFT JOIN identities a ON a.id = q.author_id LEFT JOIN identities r ON r.id = q.responder_id
		ORDER BY q.external_id`)
	wantQ := []string{
		fmt.Sprintf("%s/t/10 Support dave %d bob 1 %d", host, discoursetest.At(3).Unix(), discoursetest.At(5).Unix()),
		host + "/t/12 Development/Q&A erin 0  0 0",
		host + "/t/13 Support carol 0  1 0",
	}
	if !reflect.DeepEqual(qs, wantQ) {
		t.Errorf("questions:\n%s\nwant:\n%s", strings.Join(qs, "\n"), strings.Join(wantQ, "\n"))
	}
	if got := storetest.Rows(t, st, `SELECT topics FROM activities WHERE external_id = ?`, host+"/t/12"); len(got) != 1 || got[0] != "ui,themes,Development/Q&A" {
		t.Errorf("topics %q", got)
	}
}

func TestPaginationAndPostChunks(t *testing.T) {
	srv := discoursetest.New(t, discoursetest.Default())
	st, _ := storetest.Open(t)
	if res := enginetest.Run(t, context.Background(), st, syncNow, newSource(t, srv, newClock().options())); res.Err != nil {
		t.Fatal(res.Err)
	}
	var latest, chunks []string
	for _, r := range srv.Requests() {
		switch {
		case strings.HasPrefix(r.URL, "/latest.json"):
			latest = append(latest, r.URL)
		case strings.Contains(r.URL, "/posts.json"):
			chunks = append(chunks, r.URL)
		}
	}
	if len(latest) != 3 || !strings.Contains(latest[2], "page=2") {
		t.Errorf("latest pages %q, want 0, 1, 2", latest)
	}
	// Topic 10 has six posts and the first chunk two.
	if len(chunks) != 1 || !strings.HasPrefix(chunks[0], "/t/10/posts.json?") ||
		strings.Count(chunks[0], "post_ids%5B%5D=") != 4 {
		t.Errorf("post chunks %q", chunks)
	}
}

func TestIncrementalResync(t *testing.T) {
	srv := discoursetest.New(t, discoursetest.Default())
	st, _ := storetest.Open(t)
	src := newSource(t, srv, newClock().options())
	if res := enginetest.Run(t, context.Background(), st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	before := enginetest.Tables(t, st)
	srv.ResetLog()
	res := enginetest.Run(t, context.Background(), st, syncNow, src)
	if res.Err != nil || res.Batches != 0 || res.Items != 0 {
		t.Fatalf("unchanged resync: %+v, want nothing written", res)
	}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.URL, "/t/") {
			t.Errorf("unchanged resync read %s", r.URL)
		}
	}
	if got := enginetest.Tables(t, st); !reflect.DeepEqual(got, before) {
		t.Errorf("unchanged resync changed the store")
	}

	// alice answers erin's question: one topic read, one batch.
	srv.Update(func(f *discoursetest.Fixture) {
		f.Topics[2].Posts = append(f.Topics[2].Posts, discoursetest.Post{ID: 1203, Author: "alice", Created: discoursetest.At(20), Body: "Yes."})
	})
	srv.ResetLog()
	res = enginetest.Run(t, context.Background(), st, syncNow, src)
	if res.Err != nil || res.Batches != 1 || res.Items != 1 {
		t.Fatalf("resync after a reply: %+v", res)
	}
	topics := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.URL, "/t/") && !strings.Contains(r.URL, "/posts.json") {
			topics++
		}
	}
	if topics != 1 {
		t.Errorf("%d topic requests, want 1", topics)
	}
	if got, want := enginetest.Tables(t, st), cleanImport(t, srv); !reflect.DeepEqual(got, want) {
		t.Errorf("incremental differs from clean:\n%v\n%v", got, want)
	}
}

// cancelAfter cancels the run once n batches are committed, as a user's
// Ctrl-C or a killed process would between batches.
type cancelAfter struct {
	*discourse.Source
	n      int
	cancel context.CancelFunc
}

func (c cancelAfter) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	done := 0
	return c.Source.Sync(ctx, state, func(b connector.Batch) error {
		err := emit(b)
		if done++; done == c.n {
			c.cancel()
		}
		return err
	})
}

func TestKilledSyncResumesLikeACleanOne(t *testing.T) {
	srv := discoursetest.New(t, discoursetest.Default())
	want := cleanImport(t, srv)
	for n := 1; n < 5; n++ {
		st, _ := storetest.Open(t)
		ctx, cancel := context.WithCancel(context.Background())
		res := enginetest.Run(t, ctx, st, syncNow, cancelAfter{newSource(t, srv, newClock().options()), n, cancel})
		cancel()
		if !errors.Is(res.Err, context.Canceled) || res.Batches != n {
			t.Fatalf("killed run %+v, want %d batches then cancelled", res, n)
		}
		if res := enginetest.Run(t, context.Background(), st, syncNow, newSource(t, srv, newClock().options())); res.Err != nil || res.Batches != 5-n {
			t.Fatalf("resumed run %+v, want the other %d topics", res, 5-n)
		}
		if got := enginetest.Tables(t, st); !reflect.DeepEqual(got, want) {
			t.Errorf("after %d: resumed sync differs from a clean one:\n%v\n%v", n, got, want)
		}
	}
}

func TestAPIKeyHeaders(t *testing.T) {
	f := discoursetest.Default()
	f.APIKey, f.APIUsername = "k3y", "hearth-bot"
	srv := discoursetest.New(t, f)
	opts := newClock().options()
	opts.APIKey, opts.APIUsername = "k3y", "hearth-bot"
	st, _ := storetest.Open(t)
	if res := enginetest.Run(t, context.Background(), st, syncNow, newSource(t, srv, opts)); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, r := range srv.Requests() {
		if !r.Authorized {
			t.Errorf("%s without the API headers", r.URL)
		}
	}
	// A wrong key is one line, and never shows the key.
	opts.APIKey = "wrong-secret"
	err := newSource(t, srv, opts).Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "403 Forbidden") || strings.Contains(err.Error(), "wrong-secret") ||
		!strings.Contains(err.Error(), "API username or key is invalid") {
		t.Errorf("err = %v", err)
	}
	// Anonymous requests carry no API headers.
	anon := discoursetest.New(t, discoursetest.Default())
	if err := newSource(t, anon, newClock().options()).Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for _, r := range anon.Requests() {
		if r.APIKey != "" || r.APIUser != "" {
			t.Errorf("%s carried API headers", r.URL)
		}
	}
}

func TestProfiles(t *testing.T) {
	srv := discoursetest.New(t, discoursetest.Default())
	opts := newClock().options()
	opts.Profiles = true
	var notes []string
	st := connector.SyncState{Progress: func(_, _ int, what string) { notes = append(notes, what) }}
	var ids []string
	err := newSource(t, srv, opts).Sync(context.Background(), st, func(b connector.Batch) error {
		for _, id := range b.Identities {
			ids = append(ids, id.ExternalID+"|"+id.Name+"|"+id.Location+"|"+id.Bio)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	want := "alice|Alice Liddell|Oxford|maintainer,bob|Bob Builder||,carol|Carol Danvers||,dave|||,erin|Erin||,system|system||"
	if strings.Join(ids, ",") != want {
		t.Errorf("identities %s", strings.Join(ids, ","))
	}
	// dave has no profile: counted, not fatal.
	if last := notes[len(notes)-1]; !strings.Contains(last, "1 profiles not found") {
		t.Errorf("notes %q", notes)
	}
	for _, r := range srv.Requests() {
		if r.URL == "/u/system.json" || r.URL == "/u/.json" {
			t.Errorf("asked %s", r.URL)
		}
	}
}

func TestNewValidates(t *testing.T) {
	for _, u := range []string{"", "forum.example.org", "ftp://forum.example.org", "https://", "https://f.example/?x=1"} {
		if _, err := discourse.New(u, discourse.Options{}); err == nil || !strings.Contains(err.Error(), "not a forum URL") {
			t.Errorf("New(%q) err = %v", u, err)
		}
	}
	src, err := discourse.New("https://forum.example.org/community/", discourse.Options{})
	if err != nil || src.Name() != "discourse:forum.example.org/community" || src.URL() != "https://forum.example.org/community" {
		t.Errorf("New = %v, %v", src, err)
	}
	if _, err := discourse.New("https://f.example", discourse.Options{BotPatterns: []string{"(bad"}}); err == nil {
		t.Error("bad bot pattern accepted")
	}
}
