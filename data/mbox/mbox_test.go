package mbox

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine/enginetest"
	"hearth/model"
)

// community is a small list archive over two pipermail months: March as
// the .txt.gz pipermail publishes for past months, April as the current
// month's plain .txt. thread names each message's thread title.
func community() (marchMsgs, aprilMsgs []msg, thread map[string]string) {
	day := 24 * time.Hour
	marchMsgs = []msg{
		{from: "alice@example.org", name: "=?utf-8?q?Alice_M=C3=BCller?=", at: march, id: "q1@example.org",
			subject: "[kestrel-users] How do I tune the cache?",
			body:    "From what I read, the cache size matters.\nBut which one\n\nSecond paragraph."},
		{from: "alice@example.org", name: "Alice", at: march.Add(time.Hour), id: "q1-self@example.org",
			subject: "[kestrel-users] Re: How do I tune the cache?", replyTo: "q1@example.org", refs: []string{"q1@example.org"},
			body: "Forgot: version 1.4."},
		{from: "bob@example.org", name: "Bob Stone", at: march.Add(2 * time.Hour), id: "p1@example.org",
			subject: "[kestrel-users] Release 2.0 is out", body: "We are happy to announce it.\nSee https://example.org/dl?v=2"},
		{from: "carol@example.org", at: march.Add(3 * time.Hour), id: "p1-r1@example.org",
			subject: "Re: [kestrel-users] Release 2.0 is out", replyTo: "p1@example.org", refs: []string{"p1@example.org"},
			body: "Congratulations!"},
		{from: "dave@example.org", name: "=?iso-8859-1?q?Dav=E9_Ng?=", at: march.Add(day), id: "q2@example.org",
			subject: "Crash on startup", body: "Does anyone see this crash when starting the server."},
		{from: "kestrel-bot@example.org", name: "Kestrel CI", at: march.Add(day + time.Minute), id: "q2-bot@example.org",
			subject: "Re: Crash on startup", replyTo: "q2@example.org", refs: []string{"q2@example.org"},
			body: "Automatic reply: see the FAQ."},
		{from: "erin@example.org", name: "Erin", at: march.Add(2 * day), id: "q3@example.org",
			subject: "Is there a way to disable logging", body: "Thanks."},
	}
	april := time.Date(2024, 4, 2, 9, 0, 0, 0, time.UTC)
	aprilMsgs = []msg{
		// Replies to the asker's own follow-up: it answers the question.
		{from: "bob@example.org", name: "Bob Stone", at: april, id: "q1-a1@example.org",
			subject: "Re: [kestrel-users] How do I tune the cache?", replyTo: "q1-self@example.org",
			refs: []string{"q1@example.org", "q1-self@example.org"}, body: "Set cache_size."},
		// No threading headers: matched by subject.
		{from: "carol@example.org", at: april.Add(time.Hour), id: "q2-a1@example.org",
			subject: "Re: Crash on startup", body: "Yes, upgrade to 2.0."},
		{from: "alice@example.org", name: "=?utf-8?q?Alice_M=C3=BCller?=", at: april.Add(2 * time.Hour), id: "p1-r2@example.org",
			subject: "Re: [kestrel-users] Release 2.0 is out", replyTo: "p1-r1@example.org",
			refs: []string{"p1@example.org", "p1-r1@example.org"}, body: "Great news."},
	}
	thread = map[string]string{}
	for _, m := range append(append([]msg{}, marchMsgs...), aprilMsgs...) {
		root := m.id
		if len(m.refs) > 0 {
			root = m.refs[0]
		} else if m.id == "q2-a1@example.org" {
			root = "q2@example.org"
		}
		thread[m.id] = root
	}
	return marchMsgs, aprilMsgs, thread
}

// writeCommunity writes the archive into dir/kestrel-users as pipermail
// lays it out, with a web page beside it that is not an archive.
func writeCommunity(t testing.TB, dir string) string {
	t.Helper()
	m, a, _ := community()
	list := filepath.Join(dir, "kestrel-users")
	enginetest.WriteFile(t, filepath.Join(list, "2024-March.txt.gz"), gz(t, pipermail(m...)))
	enginetest.WriteFile(t, filepath.Join(list, "2024-April.txt"), []byte(pipermail(a...)))
	enginetest.WriteFile(t, filepath.Join(list, "index.html"), []byte("<html></html>"))
	return list
}

func TestThreadsQuestionsAndCounts(t *testing.T) {
	list := writeCommunity(t, t.TempDir())
	src := mustNew(t, list, Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if n := src.Stats().Skipped.Total(); n != 0 {
		t.Errorf("skipped %v, want none", src.Stats().Skipped)
	}

	marchMsgs, aprilMsgs, thread := community()
	msgs := append(marchMsgs, aprilMsgs...)
	if len(got.Activities) != len(msgs) {
		t.Fatalf("%d activities, want %d", len(got.Activities), len(msgs))
	}
	wantKind := map[string]model.Kind{
		"<q1@example.org>": model.KindQuestion, "<q1-self@example.org>": model.KindComment,
		"<p1@example.org>": model.KindPost, "<p1-r1@example.org>": model.KindComment,
		"<q2@example.org>": model.KindQuestion, "<q2-bot@example.org>": model.KindComment,
		"<q3@example.org>": model.KindQuestion, "<q1-a1@example.org>": model.KindAnswer,
		"<q2-a1@example.org>": model.KindAnswer, "<p1-r2@example.org>": model.KindComment,
	}
	perPerson, perTitle := map[string]int{}, map[string]int{}
	for _, a := range got.Activities {
		if a.Kind != wantKind[a.ExternalID] {
			t.Errorf("%s: kind %s, want %s", a.ExternalID, a.Kind, wantKind[a.ExternalID])
		}
		if a.Source != SourceName || a.Channel != "kestrel-users" {
			t.Errorf("%s: source %q channel %q", a.ExternalID, a.Source, a.Channel)
		}
		perPerson[a.Actor]++
		perTitle[a.Title]++
	}
	// The fixture's own counts: messages per sender and per thread.
	wantPerson, wantThread := map[string]int{}, map[string]int{}
	for _, m := range msgs {
		wantPerson[m.from]++
		wantThread[thread[m.id]]++
	}
	for who, n := range wantPerson {
		if perPerson[who] != n {
			t.Errorf("%s: %d messages, want %d", who, perPerson[who], n)
		}
	}
	titles := map[string]string{
		"q1@example.org": "[kestrel-users] How do I tune the cache?", "p1@example.org": "[kestrel-users] Release 2.0 is out",
		"q2@example.org": "Crash on startup", "q3@example.org": "Is there a way to disable logging",
	}
	for root, n := range wantThread {
		if perTitle[titles[root]] != n {
			t.Errorf("thread %q: %d messages, want %d (titles %v)", titles[root], perTitle[titles[root]], n, perTitle)
		}
	}
	if len(perTitle) != len(wantThread) {
		t.Errorf("%d threads, want %d: %v", len(perTitle), len(wantThread), perTitle)
	}

	names := map[string]model.Identity{}
	for _, id := range got.Identities {
		names[id.ExternalID] = id
	}
	for addr, want := range map[string]string{"alice@example.org": "Alice Müller", "dave@example.org": "Davé Ng", "bob@example.org": "Bob Stone", "carol@example.org": ""} {
		if id := names[addr]; id.Name != want || id.Email != addr || id.Source != SourceName {
			t.Errorf("identity %s = %+v, want name %q", addr, id, want)
		}
	}
	if !names["kestrel-bot@example.org"].Bot || names["bob@example.org"].Bot {
		t.Error("kestrel-bot must be a bot, bob not")
	}

	qs := map[string]connector.QuestionRecord{}
	for _, q := range got.Questions {
		qs[q.ExternalID] = q
	}
	if len(qs) != 3 {
		t.Fatalf("questions %v, want q1, q2, q3", qs)
	}
	q1 := qs["<q1@example.org>"]
	if q1.AuthorID != "alice@example.org" || q1.ResponderID != "bob@example.org" || !q1.FirstResponse.Equal(aprilMsgs[0].at) ||
		q1.Responder != "Bob Stone" || q1.Author != "Alice Müller" || !q1.Created.Equal(march) {
		t.Errorf("q1 = %+v", q1)
	}
	if want := "From what I read, the cache size matters. But which one"; q1.Body != want {
		t.Errorf("q1 body %q, want %q", q1.Body, want)
	}
	if q2 := qs["<q2@example.org>"]; q2.ResponderID != "carol@example.org" || !q2.FirstResponse.Equal(aprilMsgs[1].at) {
		t.Errorf("q2 = %+v: the bot's reply must not count, carol's by subject must", q2)
	}
	if q3 := qs["<q3@example.org>"]; q3.ResponderID != "" || !q3.FirstResponse.IsZero() || !q3.Unanswered() {
		t.Errorf("q3 = %+v, want unanswered", q3)
	}
	if strings.Contains(got.Cursor, "q1@") || !strings.Contains(got.Cursor, "q3@") {
		t.Errorf("cursor keeps open questions only: %s", got.Cursor)
	}
}

func TestNoChangeEmitsNothing(t *testing.T) {
	list := writeCommunity(t, t.TempDir())
	src := mustNew(t, list, Options{})
	first := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if again := enginetest.Collect(t, src, first.Cursor); len(again) != 0 {
		t.Errorf("an unchanged archive emitted %d batches", len(again))
	}
}

func TestAsks(t *testing.T) {
	for _, c := range []struct {
		subject, para string
		want          bool
	}{
		{"Why is it slow?", "", true},
		{"Slow queries", "Is it the index? I wonder", true},
		{"Slow queries", "how do I profile them", true},
		{"Release 2.0", "Download at https://example.org/?v=2 now", false},
		{"Meeting notes", "We met and agreed.", false},
	} {
		if got := asks(c.subject, c.para); got != c.want {
			t.Errorf("asks(%q, %q) = %v", c.subject, c.para, got)
		}
	}
}

func TestSubjects(t *testing.T) {
	for in, want := range map[string]string{
		"Re: [dev] Re: Fwd: hello": "[dev] hello",
		"[dev] RE[2]: hello":       "[dev] hello",
		"AW: Frage":                "Frage",
		"plain":                    "plain",
	} {
		if got := cleanSubject(in); got != want {
			t.Errorf("cleanSubject(%q) = %q, want %q", in, got, want)
		}
	}
	if threadKey("Re: [dev]  Hello World") != "hello world" {
		t.Error(threadKey("Re: [dev]  Hello World"))
	}
}

func TestArchiveOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"2024-March.txt", "2023-December.txt.gz", "2024-April.txt", "2024-April.txt.gz", ".hidden", "x.html"} {
		enginetest.WriteFile(t, filepath.Join(dir, n), []byte("From a\n"))
	}
	files, err := mustNew(t, dir, Options{}).files()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.key)
	}
	if want := "2023-December.txt.gz 2024-March.txt 2024-April.txt"; strings.Join(got, " ") != want {
		t.Errorf("files %q, want %q", got, want)
	}
}

// A single mbox file from a mail client: RFC 5322 From fields, the list
// named after the file.
func TestSingleMboxFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dev.mbox")
	enginetest.WriteFile(t, path, []byte(mboxrd(
		msg{from: "Zoe@Example.org", name: "=?ISO-8859-1?Q?Zo=EB_Ba=F1os?=", at: march, id: "z1@example.org",
			subject: "Plans", body: "From now on we meet weekly.\n\nFrom: a line that looks like a header"},
		msg{from: "yann@example.org", name: "\"Yann, Jr.\"", at: march.Add(time.Hour), id: "y1@example.org",
			subject: "Re: Plans", replyTo: "z1@example.org", body: "Good."},
	)))
	src := mustNew(t, path, Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if src.Channel() != "dev" || len(got.Activities) != 2 || src.Stats().Skipped.Total() != 0 {
		t.Fatalf("channel %q, %d activities, skipped %v", src.Channel(), len(got.Activities), src.Stats().Skipped)
	}
	if id := got.Identities[0]; id.ExternalID != "zoe@example.org" || id.Name != "Zoë Baños" {
		t.Errorf("identity %+v", id)
	}
	if id := got.Identities[1]; id.Name != "Yann, Jr." {
		t.Errorf("identity %+v", id)
	}
	if got.Activities[0].Kind != model.KindPost || got.Activities[1].Kind != model.KindComment {
		t.Errorf("kinds %s %s", got.Activities[0].Kind, got.Activities[1].Kind)
	}
}
