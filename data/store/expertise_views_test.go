package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/people"
	"hearth/model"
)

// whoCommunity: ann owns net/tls/, bob touches it once, cat left long ago
// after much work there (lapsed), ci-bot commits everywhere, dan asked not
// to be contacted; eve asks a question about tls.
func whoCommunity(t *testing.T, now time.Time) *Store {
	t.Helper()
	ctx := context.Background()
	s, _ := openTemp(t)
	var b connector.Batch
	id := func(who string, bot bool) {
		b.Identities = append(b.Identities, model.Identity{Source: "git", ExternalID: who + "@x.org", Email: who + "@x.org", Name: who, Bot: bot})
	}
	n := 0
	commit := func(who string, daysAgo int, paths ...string) {
		n++
		b.Activities = append(b.Activities, model.Activity{Source: "git", ExternalID: fmt.Sprint("c", n), Actor: who + "@x.org",
			Kind: model.KindCommit, At: now.AddDate(0, 0, -daysAgo), Paths: paths, Topics: []string{"networking"}})
	}
	for _, who := range []string{"ann", "bob", "cat", "dan", "eve"} {
		id(who, false)
	}
	id("ci-bot", true)
	for d := range 12 {
		commit("ann", 5+d*20, "net/tls/conn.go")
		commit("ci-bot", 1+d*3, "net/tls/conn.go")
		commit("dan", 2+d*10, "net/tls/conn.go")
	}
	// cat: a regular for most of the year, then nothing for 100 days.
	for d := range 40 {
		commit("cat", 100+d*7, "net/tls/record.go")
	}
	commit("bob", 3, "net/tls/conn.go")
	commit("bob", 3, "docs/intro.md")
	commit("eve", 30, "docs/faq.md")
	b.Questions = append(b.Questions, connector.QuestionRecord{Question: model.Question{Source: "git", ExternalID: "q1",
		Title: "TLS handshake fails", Created: now.AddDate(0, 0, -1), Topics: []string{"tls"}}, AuthorID: "eve@x.org"})
	if err := s.ApplyBatch(ctx, "git:/r", b); err != nil {
		t.Fatal(err)
	}
	if err := s.Writer("t").Flag(ctx, "git:dan@x.org", doNotContact); err != nil {
		t.Fatal(err)
	}
	if err := s.Writer("t").Flag(ctx, "git:bob@x.org", "speaker"); err != nil {
		t.Fatal(err)
	}
	if err := s.MergePeople(ctx, people.Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshDerived(ctx, now, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	return s
}

func names(es []Expert) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func TestWhoKnowsExcludesAndMarks(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s := whoCommunity(t, now)
	got, err := s.WhoKnows(ctx, WhoQuery{Paths: []string{"net/tls/handshake.go"}}, now, model.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	n := names(got)
	if len(n) != 3 || n[0] != "ann" || !slices.Contains(n, "bob") || !slices.Contains(n, "cat") {
		t.Fatalf("who knows net/tls/handshake.go: %q, want ann first, then bob and cat (no bot, no do-not-contact)", n)
	}
	for _, e := range got {
		if e.Lapsed != (e.Name == "cat") {
			t.Errorf("%s lapsed = %v", e.Name, e.Lapsed)
		}
		if want := e.Name == "bob"; slices.Equal(e.Flags, []string{"speaker"}) != want {
			t.Errorf("%s flags %q", e.Name, e.Flags)
		}
	}
	if len(got[0].Evidence) == 0 || !strings.Contains(got[0].Evidence[0], "12 commits under net/tls/") {
		t.Errorf("ann's evidence %q", got[0].Evidence)
	}
	// The asker of a question is never suggested to answer it.
	sug, err := s.SuggestAnswerers(ctx, queryIDOf(t, s, "q1"), now, model.DefaultRules(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if n := names(sug); len(n) == 0 || slices.Contains(n, "eve") || n[0] != "ann" {
		t.Errorf("suggested for a tls question: %q", n)
	}
	// Half a year ago, cat knew TLS best.
	old, err := s.WhoKnows(ctx, WhoQuery{Paths: []string{"net/tls/"}, Before: now.AddDate(0, -6, 0)}, now, model.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if n := names(old); len(n) == 0 || n[0] != "cat" {
		t.Errorf("a year ago: %q, want cat first", n)
	}
}

func queryIDOf(t *testing.T, s *Store, ext string) int64 {
	t.Helper()
	var id int64
	if err := s.db.QueryRow("SELECT id FROM questions WHERE external_id = ?", ext).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTopicsAndMemberAreas(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s := whoCommunity(t, now)
	stats, err := s.Topics(ctx, nil, now, model.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]int{}
	for _, st := range stats {
		active[st.Name] = st.Active
	}
	// Two pieces of evidence, the last within 90 days, make an active
	// expert: ann in net/ (bob has one commit there), ann and bob in the
	// topic networking, nobody in docs/ (bob and eve have one commit each);
	// cat lapsed, and bots and do-not-contact do not count.
	if active["net"] != 1 || active["networking"] != 2 || active["docs"] != 0 {
		t.Fatalf("active experts %v, want net 1, networking 2, docs 0", active)
	}
	if stats[0].Active > stats[len(stats)-1].Active {
		t.Errorf("topics not fewest experts first: %+v", stats)
	}
	mapped, err := s.Topics(ctx, model.TopicMap{"crypto": {"net/tls/**"}}, now, model.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if len(mapped) != 1 || mapped[0].Name != "crypto" || mapped[0].Active != 1 {
		t.Fatalf("configured topics: %+v", mapped)
	}
	areas, err := s.MemberAreas(ctx, memberOf(t, s, "git:ann@x.org"), now, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) == 0 || !strings.HasPrefix(areas[0].Evidence, "12 commits") {
		t.Fatalf("ann's areas: %+v", areas)
	}
}
