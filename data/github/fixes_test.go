package github_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/data/github/githubtest"
)

// TestMergeWithoutMergedAt: an older Enterprise server leaves merged_at
// out of the issues listing; the pull request itself tells the merge, so
// merged work is never counted as merely closed.
func TestMergeWithoutMergedAt(t *testing.T) {
	f := githubtest.Default()
	f.NoMergedAt = true
	srv := githubtest.New(t, f)
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st); err != nil {
		t.Fatal(err)
	}
	if st.summary() != wantActivities {
		t.Errorf("activities:\n%s\nwant:\n%s", st.summary(), wantActivities)
	}
	if a := st.acts["pr/3/merged"]; !a.At.Equal(githubtest.At(10)) {
		t.Errorf("merge time %v", a.At)
	}
}

// TestDeletedAccounts: a null user and GitHub's "ghost" are deleted
// accounts, not one pooled member: no identity, no profile request, their
// activity counted in a note; their replies still answer a question.
func TestDeletedAccounts(t *testing.T) {
	f := githubtest.Default()
	f.Issues = append(f.Issues,
		githubtest.Issue{Number: 7, Title: "Old question", Author: "", Labels: []string{"question"},
			Created: githubtest.At(14), Updated: githubtest.At(16)},
		githubtest.Issue{Number: 8, Title: "Another", Author: "ghost", Created: githubtest.At(15), Updated: githubtest.At(15)})
	f.Comments = append(f.Comments,
		githubtest.Comment{ID: 107, Issue: 7, Author: "ghost", Body: "me too", Created: githubtest.At(15), Updated: githubtest.At(15)},
		githubtest.Comment{ID: 108, Issue: 7, Author: "Bob", Body: "do this", Created: githubtest.At(16), Updated: githubtest.At(16)})
	srv := githubtest.New(t, f)
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, newClock().options("tok")), st); err != nil {
		t.Fatal(err)
	}
	for id := range st.ids {
		if id == "" || id == "ghost" {
			t.Errorf("identity %q for a deleted account", id)
		}
	}
	for _, a := range st.acts {
		if a.Actor == "" || a.Actor == "ghost" {
			t.Errorf("activity %s attributed to %q", a.ExternalID, a.Actor)
		}
	}
	if _, ok := st.acts["comment/108"]; !ok {
		t.Error("bob's comment missing")
	}
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.URL, "/users/") || strings.Contains(r.URL, "/users/ghost") {
			t.Errorf("request %s for a deleted account", r.URL)
		}
	}
	// issue/7, issue/8 and comment/107.
	if !strings.Contains(strings.Join(st.progress, "\n"), "3 activities by deleted accounts") {
		t.Errorf("progress %q", st.progress)
	}
	q := st.questions["issue/7"]
	if q.AuthorID != "" || q.Author != "ghost" || !q.FirstResponse.Equal(githubtest.At(15)) || q.ResponderID != "" {
		t.Errorf("question %+v", q)
	}
}

// TestSecondaryLimitWithoutRetryAfter: the 403 of a secondary ("abuse")
// limit names no time; GitHub asks for at least a minute's wait.
func TestSecondaryLimitWithoutRetryAfter(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	srv.Inject("/issues/comments", 1, githubtest.SecondaryLimit())
	c := newClock()
	st := newStore()
	if err := syncOnce(t, newSource(t, srv, c.options("tok")), st); err != nil {
		t.Fatal(err)
	}
	if st.summary() != wantActivities {
		t.Errorf("data incomplete:\n%s", st.summary())
	}
	if len(c.sleeps) != 1 || c.sleeps[0] < time.Minute || len(c.waits) != 1 {
		t.Errorf("sleeps %v waits %v, want one of at least a minute", c.sleeps, c.waits)
	}
	// Hit again and again, the wait grows until it is too long to sit out.
	srv.Inject("/issues?", 10, githubtest.SecondaryLimit())
	c.sleeps = nil
	st = newStore()
	err := syncOnce(t, newSource(t, srv, c.options("tok")), st)
	if err == nil || !strings.Contains(err.Error(), "rate limited by GitHub") || fmt.Sprint(c.sleeps) != "[1m0s 2m0s]" {
		t.Errorf("err %v, sleeps %v", err, c.sleeps)
	}
}

// TestItemsCountDistinct: the items a run reports are the distinct items
// it read, not the overlap listed again from the inclusive cursor.
func TestItemsCountDistinct(t *testing.T) {
	srv := githubtest.New(t, githubtest.Default())
	src := newSource(t, srv, newClock().options("tok"))
	st := newStore()
	items := func() int {
		n := 0
		for _, b := range st.batches {
			n += b.Items
		}
		st.batches = nil
		return n
	}
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	// 6 issues and pull requests, 6 comments, 1 review comment, 2 discussions.
	if n := items(); n != 15 {
		t.Errorf("first sync: %d items, want 15", n)
	}
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	if n := items(); n != 0 {
		t.Errorf("unchanged resync: %d items, want 0", n)
	}
	srv.AddComment(githubtest.Comment{ID: 109, Issue: 2, Author: "carol", Body: "yes", Created: githubtest.At(30)})
	if err := syncOnce(t, src, st); err != nil {
		t.Fatal(err)
	}
	if n := items(); n != 2 {
		t.Errorf("after one comment: %d items, want 2 (the comment and its issue)", n)
	}
}
