package slack

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"hearth/data/engine/enginetest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fixtures are shaped like a real workspace export: the fields and
// their types are Slack's (ts and thread_ts strings, reply_count a number,
// replies [{user, ts}], user_profile on people's messages, bot_profile on
// apps'), with the fields hearth ignores (blocks, team, client_msg_id,
// avatars) kept so that decoding meets them.

const team = "T0KESTREL"

func userJSON(id, name, real, display, email, title string, deleted, bot bool) map[string]any {
	first, last, _ := strings.Cut(real, " ")
	return map[string]any{
		"id": id, "team_id": team, "name": name, "deleted": deleted, "color": "9f69e7",
		"real_name": real, "tz": "Europe/Berlin", "tz_label": "Central European Time", "tz_offset": 3600,
		"profile": map[string]any{
			"title": title, "phone": "", "skype": "", "real_name": real, "real_name_normalized": real,
			"display_name": display, "display_name_normalized": display, "fields": nil,
			"status_text": "", "status_emoji": "", "status_expiration": 0, "avatar_hash": "g0a1b2c3d4e5",
			"email": email, "first_name": first, "last_name": last,
			"image_72": "https://avatars.slack-edge.com/2024-01-01/" + id + "_72.png", "team": team,
		},
		"is_admin": false, "is_owner": false, "is_primary_owner": false, "is_restricted": false,
		"is_ultra_restricted": false, "is_bot": bot, "is_app_user": false, "updated": 1709000000,
		"is_email_confirmed": email != "", "who_can_share_contact_card": "EVERYONE",
	}
}

func channelJSON(id, name string) map[string]any {
	return map[string]any{
		"id": id, "name": name, "created": 1700000000, "creator": "U01ANN", "is_archived": false,
		"is_general": name == "general", "members": []string{"U01ANN", "U02BOB", "U03CHO"}, "pins": []any{},
		"topic":   map[string]any{"value": "", "creator": "", "last_set": 0},
		"purpose": map[string]any{"value": "The " + name + " channel", "creator": "U01ANN", "last_set": 1700000000},
	}
}

var day4 = time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)

// tsAt is the ts of a moment, with a fraction as Slack writes them.
func tsAt(at time.Time) string { return fmt.Sprintf("%d.%06d", at.Unix(), 100000+at.Second()*1000) }

// people is users.json's view of a message author.
var profiles = map[string][3]string{ // id → name, real name, display name
	"U01ANN": {"ann", "Ann Lee", "ann"},
	"U02BOB": {"bob", "Bob Okafor", "bobo"},
	"U03CHO": {"cho", "Cho Park", ""},
	"U04DAV": {"dave", "Dave Smith", "dave"},
}

// say is a person's message.
func say(user, text string, at time.Time) map[string]any {
	m := map[string]any{
		"client_msg_id": fmt.Sprintf("%08x-0000-4000-8000-000000000000", at.Unix()),
		"type":          "message", "text": text, "user": user, "ts": tsAt(at),
		"blocks": []any{map[string]any{"type": "rich_text", "block_id": "abc", "elements": []any{
			map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": text}}}}}},
		"team": team, "user_team": team, "source_team": team,
	}
	if p, ok := profiles[user]; ok {
		m["user_profile"] = map[string]any{"avatar_hash": "g0a1b2c3d4e5", "image_72": "https://x/y.png",
			"first_name": p[1], "real_name": p[1], "display_name": p[2], "team": team, "name": p[0],
			"is_restricted": false, "is_ultra_restricted": false}
	}
	return m
}

// reply is a thread reply to parent.
func reply(parent map[string]any, user, text string, at time.Time) map[string]any {
	return inThread(parent, say(user, text, at))
}

// inThread makes m a reply in parent's thread.
func inThread(parent, m map[string]any) map[string]any {
	user := m["user"]
	if user == nil {
		user = m["bot_id"]
	}
	m["thread_ts"] = parent["ts"]
	m["parent_user_id"] = parent["user"]
	replies, _ := parent["replies"].([]any)
	parent["replies"] = append(replies, map[string]any{"user": user, "ts": m["ts"]})
	parent["thread_ts"] = parent["ts"]
	parent["reply_count"] = len(parent["replies"].([]any))
	parent["latest_reply"] = m["ts"]
	parent["is_locked"], parent["subscribed"] = false, false
	return m
}

func botSay(text string, at time.Time) map[string]any {
	return map[string]any{
		"type": "message", "subtype": "bot_message", "text": text, "ts": tsAt(at),
		"username": "GitHub", "bot_id": "B01GITHUB", "icons": map[string]any{"image_48": "https://x/gh.png"},
		"bot_profile": map[string]any{"id": "B01GITHUB", "app_id": "A01GH", "name": "GitHub", "deleted": false, "team_id": team},
		"attachments": []any{map[string]any{"fallback": text, "color": "36a64f"}},
	}
}

func react(m map[string]any, name string, users ...string) map[string]any {
	rs, _ := m["reactions"].([]any)
	m["reactions"] = append(rs, map[string]any{"name": name, "users": users, "count": len(users)})
	return m
}

// workspace is an export's content: file name → JSON value.
type workspace map[string]any

// community is the Kestrel project's workspace over three days: a
// general channel with a thread and a bot, a help channel with answered
// and unanswered questions, an empty channel, a private channel and DMs.
func community() workspace {
	at := func(day, hour, min int) time.Time {
		return day4.Add(time.Duration(day*24+hour)*time.Hour + time.Duration(min)*time.Minute)
	}

	join := say("U01ANN", "<@U01ANN> has joined the channel", at(0, 0, 0))
	join["subtype"] = "channel_join"
	welcome := react(say("U01ANN", "Welcome everyone! Release 2.0 is out :tada:", at(0, 0, 5)), "tada", "U02BOB", "U03CHO")
	thanks := say("U02BOB", "Thanks <@U01ANN>, great work &amp; fast", at(0, 0, 7))
	fosdem := say("U03CHO", "Who is going to FOSDEM?", at(1, 1, 0))
	fosdem1 := reply(fosdem, "U04DAV", "I'll be there", at(1, 1, 30))
	fosdem2 := reply(fosdem, "U01ANN", "Me too, see <#C02HELP|help> for the talk", at(1, 2, 0))

	cache := say("U02BOB", "How do I configure the cache?", at(0, 2, 0))
	cache1 := reply(cache, "U02BOB", "More detail: on Linux, version 2.0", at(0, 2, 5))
	cache2 := react(reply(cache, "U01ANN", "Set `cache_dir` in the config, <@U02BOB>", at(0, 3, 0)), "+1", "U02BOB")
	docs := say("U03CHO", "The docs link is broken", at(0, 4, 0))
	win := say("U09ERIN", "Is there a Windows build?", at(0, 5, 0))
	win["user_profile"] = map[string]any{"name": "erin", "real_name": "Erin Diaz", "display_name": "erin", "team": "T0OTHER"}
	win1 := reply(win, "USLACKBOT", "Try the FAQ", at(1, 0, 10))
	win2 := inThread(win, botSay("Build #512 for windows passed", at(1, 0, 20)))
	win3 := reply(win, "U02BOB", "Yes, on the releases page", at(1, 0, 30))
	api := say("U01ANN", "Anyone tried the new API yet? :thinking_face:", at(1, 3, 0))
	share := say("U03CHO", "", at(1, 4, 0))
	share["subtype"] = "file_share"
	share["files"] = []any{map[string]any{"id": "F01", "name": "log.txt", "title": "crash log", "mimetype": "text/plain", "size": 120}}
	bcast := reply(cache, "U04DAV", "Also see the FAQ", at(1, 5, 0))
	bcast["subtype"] = "thread_broadcast"
	late := say("U02BOB", "Can we cut 2.0.1 this week?", at(2, 1, 0))
	late1 := reply(late, "U03CHO", "Yes, Friday", at(2, 2, 0))

	return workspace{
		"users.json": []any{
			userJSON("U01ANN", "ann", "Ann Lee", "ann", "ann@example.org", "Maintainer", false, false),
			userJSON("U02BOB", "bob", "Bob Okafor", "bobo", "bob@example.org", "", false, false),
			userJSON("U03CHO", "cho", "Cho Park", "", "", "Docs", false, false),
			userJSON("U04DAV", "dave", "Dave Smith", "dave", "dave@example.org", "", true, false),
			userJSON("USLACKBOT", "slackbot", "Slackbot", "Slackbot", "", "", false, false),
			userJSON("U05GHB", "github", "GitHub", "", "", "", false, true),
		},
		"channels.json":             []any{channelJSON("C01GENERAL", "general"), channelJSON("C02HELP", "help"), channelJSON("C03RANDOM", "random")},
		"groups.json":               []any{channelJSON("G01CORE", "core-team")},
		"dms.json":                  []any{map[string]any{"id": "D01", "created": 1700000000, "members": []string{"U01ANN", "U02BOB"}}},
		"general/2024-03-04.json":   []any{join, welcome, thanks, botSay("New release *v2.0* <https://github.com/kestrel/kestrel/releases/v2.0|v2.0>", at(0, 0, 6))},
		"general/2024-03-05.json":   []any{fosdem, fosdem1, fosdem2},
		"help/2024-03-04.json":      []any{cache, cache1, cache2, docs, win},
		"help/2024-03-05.json":      []any{win1, win2, win3, api, share, bcast},
		"help/2024-03-06.json":      []any{late, late1},
		"core-team/2024-03-04.json": []any{say("U01ANN", "Private: release plan?", at(0, 1, 0))},
		"D01/2024-03-04.json":       []any{say("U01ANN", "a direct message", at(0, 1, 0))},
	}
}

// until is the export of the same workspace made at cut: the messages
// before it, and the threads as they then stood.
func (w workspace) until(cut time.Time) workspace {
	limit, _ := parseTS(tsAt(cut))
	out := workspace{}
	for name, v := range w {
		if !strings.Contains(name, "/") {
			out[name] = v
			continue
		}
		var kept []any
		for _, x := range v.([]any) {
			m, ok := x.(map[string]any)
			if !ok {
				kept = append(kept, x)
				continue
			}
			at, _ := parseTS(m["ts"].(string))
			if at >= limit {
				continue
			}
			c := map[string]any{}
			for k, v := range m {
				c[k] = v
			}
			if rs, ok := m["replies"].([]any); ok {
				var keep []any
				for _, r := range rs {
					if t, _ := parseTS(r.(map[string]any)["ts"].(string)); t < limit {
						keep = append(keep, r)
					}
				}
				c["replies"], c["reply_count"] = keep, len(keep)
				if len(keep) == 0 {
					delete(c, "replies")
					delete(c, "reply_count")
					delete(c, "thread_ts")
					delete(c, "latest_reply")
				}
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			out[name] = kept
		}
	}
	return out
}

func (w workspace) files(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, v := range w {
		if b, ok := v.([]byte); ok {
			out[name] = b
			continue
		}
		b, err := json.MarshalIndent(v, "", "    ")
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// writeDir writes the export unzipped into dir.
func (w workspace) writeDir(t testing.TB, dir string) string {
	t.Helper()
	for name, b := range w.files(t) {
		enginetest.WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), b)
	}
	return dir
}

// writeZip writes the export as Slack does: one zip, directories as
// entries of their own, files at the root.
func (w workspace) writeZip(t testing.TB, path string) string {
	t.Helper()
	files := w.files(t)
	var names []string
	dirs := map[string]bool{}
	for name := range files {
		names = append(names, name)
		if d, _, ok := strings.Cut(name, "/"); ok {
			dirs[d+"/"] = true
		}
	}
	for d := range dirs {
		names = append(names, d)
	}
	slices.Sort(names)
	var buf strings.Builder
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: day4})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	enginetest.WriteFile(t, path, []byte(buf.String()))
	return path
}

func mustNew(t testing.TB, path string, opts Options) *Source {
	t.Helper()
	s, err := New(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
