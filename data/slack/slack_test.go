package slack

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hearth/data/engine/enginetest"
	"hearth/model"
)

const wsURL = "https://kestrel.slack.com"

// TestCommunity reads the fixture workspace, zipped and unzipped, and
// checks every row against what the export says.
func TestCommunity(t *testing.T) {
	w := community()
	dir := w.writeDir(t, filepath.Join(t.TempDir(), "kestrel"))
	zipped := w.writeZip(t, filepath.Join(t.TempDir(), "Kestrel Slack export Mar 4 2024 - Mar 6 2024.zip"))
	fromDir := mustNew(t, dir, Options{URL: wsURL})
	got := enginetest.Collapse(enginetest.Collect(t, fromDir, ""))
	fromZip := mustNew(t, zipped, Options{URL: wsURL})
	if z := enginetest.Collapse(enginetest.Collect(t, fromZip, "")); !reflect.DeepEqual(z.Activities, got.Activities) ||
		!reflect.DeepEqual(z.Questions, got.Questions) || !reflect.DeepEqual(z.Identities, got.Identities) {
		t.Errorf("the zip and the directory differ:\n%+v\n%+v", z.Activities, got.Activities)
	}
	st := fromDir.Stats()
	if st.Messages != 19 || st.Reactions != 3 || st.Events != 1 || st.Unknown != 1 || st.Skipped.Total() != 0 {
		t.Errorf("stats %+v", st)
	}

	kinds := map[string]string{}
	titles := map[string]string{}
	for _, a := range got.Activities {
		kinds[a.Actor+" "+a.Title] = string(a.Kind)
		titles[a.ExternalID] = a.Title
		if a.Source != SourceName || !strings.HasPrefix(a.URL, wsURL+"/archives/C0") || a.At.Location() != time.UTC {
			t.Errorf("activity %+v", a)
		}
	}
	want := map[string]string{
		"U01ANN Welcome everyone! Release 2.0 is out :tada:":   "message",
		"B01GITHUB New release *v2.0* v2.0":                    "message",
		"U02BOB Thanks @ann, great work & fast":                "message",
		"U03CHO Who is going to FOSDEM?":                       "message", // not a help channel
		"U04DAV I'll be there":                                 "comment",
		"U01ANN Me too, see #help for the talk":                "comment",
		"U02BOB How do I configure the cache?":                 "question",
		"U02BOB More detail: on Linux, version 2.0":            "comment", // the asker
		"U01ANN Set `cache_dir` in the config, @ann":           "",        // placeholder, replaced below
		"U03CHO The docs link is broken":                       "message",
		"U09ERIN Is there a Windows build?":                    "question",
		"USLACKBOT Try the FAQ":                                "comment", // Slackbot is a bot
		"B01GITHUB Build #512 for windows passed":              "comment", // so is an app
		"U02BOB Yes, on the releases page":                     "answer",
		"U01ANN Anyone tried the new API yet? :thinking_face:": "question",
		"U03CHO crash log":                                     "message", // a file without text
		"U04DAV Also see the FAQ":                              "comment",
		"U02BOB Can we cut 2.0.1 this week?":                   "question",
		"U03CHO Yes, Friday":                                   "answer",
	}
	delete(want, "U01ANN Set `cache_dir` in the config, @ann")
	want["U01ANN Set `cache_dir` in the config, @bobo"] = "answer" // mentions by display name
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("activities:\n%v\nwant\n%v", kinds, want)
	}

	// Counts equal the export's own: messages per author, replies per
	// thread.
	perUser, perThread := map[string]int{}, map[string]int{}
	for _, a := range got.Activities {
		perUser[a.Actor]++
		if _, q, ok := strings.Cut(a.URL, "?thread_ts="); ok {
			perThread[a.Channel+" "+strings.Split(q, "&")[0]]++
		}
	}
	wantUser, wantThread := map[string]int{}, map[string]int{}
	for name, v := range w {
		ch, _, ok := strings.Cut(name, "/")
		if !ok || ch == "core-team" || ch == "D01" {
			continue
		}
		for _, x := range v.([]any) {
			m := x.(map[string]any)
			if m["subtype"] == "channel_join" {
				continue
			}
			who, _ := m["bot_id"].(string)
			if who == "" {
				who = m["user"].(string)
			}
			wantUser[who]++
			if n, ok := m["reply_count"].(int); ok {
				wantThread["#"+ch+" "+m["ts"].(string)] = n
			}
		}
	}
	if !reflect.DeepEqual(perUser, wantUser) || !reflect.DeepEqual(perThread, wantThread) {
		t.Errorf("per user %v, want %v\nper thread %v, want %v", perUser, wantUser, perThread, wantThread)
	}

	ids := map[string]model.Identity{}
	for _, i := range got.Identities {
		ids[i.ExternalID] = i
	}
	for id, want := range map[string]model.Identity{
		"U01ANN":    {Username: "ann", Name: "Ann Lee", Email: "ann@example.org", Bio: "Maintainer", URL: wsURL + "/team/U01ANN"},
		"U02BOB":    {Username: "bobo", Name: "Bob Okafor", Email: "bob@example.org", URL: wsURL + "/team/U02BOB"},
		"U03CHO":    {Username: "cho", Name: "Cho Park", Bio: "Docs", URL: wsURL + "/team/U03CHO"},
		"U04DAV":    {Username: "dave", Name: "Dave Smith", Email: "dave@example.org", URL: wsURL + "/team/U04DAV"}, // deleted
		"U09ERIN":   {Username: "erin", Name: "Erin Diaz"},                                                          // not in users.json
		"USLACKBOT": {Username: "Slackbot", Name: "Slackbot", URL: wsURL + "/team/USLACKBOT", Bot: true},
		"B01GITHUB": {Username: "GitHub", Name: "GitHub", Bot: true},
	} {
		want.Source, want.ExternalID = SourceName, id
		if ids[id] != want {
			t.Errorf("identity %s: %+v, want %+v", id, ids[id], want)
		}
	}
	if len(ids) != 7 {
		t.Errorf("%d identities, want 7: %v", len(ids), ids)
	}

	qs := map[string]string{}
	for _, q := range got.Questions {
		wait := "unanswered"
		if d, ok := q.TimeToFirstResponse(); ok {
			wait = d.String()
		}
		qs[q.Title] = fmt.Sprintf("%s %s %s %s", q.AuthorID, q.ResponderID, q.Channel, wait)
		if q.URL == "" || q.Created.IsZero() {
			t.Errorf("question %+v", q)
		}
	}
	if want := map[string]string{
		"How do I configure the cache?":                 "U02BOB U01ANN #help 1h0m0s",
		"Is there a Windows build?":                     "U09ERIN U02BOB #help 19h30m0s",
		"Anyone tried the new API yet? :thinking_face:": "U01ANN  #help unanswered",
		"Can we cut 2.0.1 this week?":                   "U02BOB U03CHO #help 1h0m0s",
	}; !reflect.DeepEqual(qs, want) {
		t.Errorf("questions %v, want %v", qs, want)
	}
}

// Private channels are read when asked for; direct messages never.
func TestPrivateChannels(t *testing.T) {
	dir := community().writeDir(t, t.TempDir())
	got := enginetest.Collapse(enginetest.Collect(t, mustNew(t, dir, Options{Private: true}), ""))
	n := 0
	for _, a := range got.Activities {
		switch a.Channel {
		case "#core-team":
			n++
		case "#D01":
			t.Errorf("a direct message was read: %+v", a)
		}
	}
	if n != 1 || len(got.Activities) != 20 {
		t.Errorf("%d private messages of %d, want 1 of 20", n, len(got.Activities))
	}
}

func TestHelpChannels(t *testing.T) {
	for name, want := range map[string]bool{
		"help": true, "kestrel-help": true, "help_desk": true, "support": true, "questions": true,
		"q-and-a": true, "project-q-and-a": true, "ask-kestrel": true, "general": false, "helpers": false,
		"random": false, "dev-supporters": false,
	} {
		if DefaultHelpChannel(name) != want {
			t.Errorf("DefaultHelpChannel(%q) = %v", name, !want)
		}
	}
	// Configured: the general channel is where questions are asked; help
	// then is not.
	dir := community().writeDir(t, t.TempDir())
	got := enginetest.Collapse(enginetest.Collect(t, mustNew(t, dir, Options{HelpChannels: []string{"#gen*"}}), ""))
	var qs []string
	for _, q := range got.Questions {
		qs = append(qs, q.Title+" "+q.ResponderID)
	}
	if want := []string{"Who is going to FOSDEM? U04DAV"}; !reflect.DeepEqual(qs, want) {
		t.Errorf("questions %v, want %v", qs, want)
	}
	if _, err := New(dir, Options{HelpChannels: []string{"[help"}}); err == nil {
		t.Error("a broken help-channel pattern was accepted")
	}
}

func TestAsks(t *testing.T) {
	for text, want := range map[string]bool{
		"How do I build it?":                     true,
		"Does this work? :pray: :thinking_face:": true,
		"any idea?)":                             true,
		"It works.":                              false,
		"Done :white_check_mark:":                false,
		"what about 10:30? ":                     true,
		"ratio 1:2:":                             false,
		"":                                       false,
	} {
		if asks(text) != want {
			t.Errorf("asks(%q) = %v", text, !want)
		}
	}
}

func TestRender(t *testing.T) {
	n := names{
		user:    func(id string) string { return map[string]string{"U1": "ann"}[id] },
		channel: func(id string) string { return map[string]string{"C1": "general"}[id] },
	}
	for in, want := range map[string]string{
		"hi <@U1>":                               "hi @ann",
		"hi <@U2>":                               "hi @U2",
		"hi <@U2|bob>":                           "hi @bob",
		"see <#C1> and <#C2|random>":             "see #general and #random",
		"<!here> <!channel> <!subteam^S1|@devs>": "@here @channel @devs",
		"<https://example.org|the site> <https://x.org>": "the site https://x.org",
		"a &lt;b&gt; &amp;amp; c":                        "a <b> &amp; c",
		"unclosed <@U1":                                  "unclosed <@U1",
	} {
		if got := n.render(in); got != want {
			t.Errorf("render(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTS(t *testing.T) {
	for _, s := range []string{"1709640000.123456", "1709640000.000001", "1709640000.100000"} {
		v, err := parseTS(s)
		if err != nil || v.String() != s {
			t.Errorf("%q: %v %v", s, v, err)
		}
	}
	if v, _ := parseTS("1709640000.5"); v.String() != "1709640000.500000" {
		t.Errorf("short fraction: %v", v)
	}
	for _, s := range []string{"", "abc", "1709640000.1234567", "-1.0", "1709640000.12a", ".5"} {
		if _, err := parseTS(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
	v, _ := parseTS("1709640000.123456")
	if got := link("https://x.slack.com", "C1", v, v-1); got != "https://x.slack.com/archives/C1/p1709640000123456?thread_ts=1709640000.123455&cid=C1" {
		t.Errorf("link %s", got)
	}
}
