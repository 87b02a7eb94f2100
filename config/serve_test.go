package config

import (
	"strings"
	"testing"
	"time"
)

func TestServeSection(t *testing.T) {
	c, err := Parse("c.toml", "[serve]\nlisten = \"0.0.0.0:2222\"\nauthorized_keys = \"/etc/hearth/managers\"\nmax_sessions = 10\nidle = \"2h\"\nsync_every = \"90m\"\n")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if s.Listen != "0.0.0.0:2222" || s.AuthorizedKeys != "/etc/hearth/managers" || s.MaxSessions != 10 || !s.IdleSet || s.IdleTimeout() != 2*time.Hour || s.SyncInterval() != 90*time.Minute {
		t.Errorf("got %+v", s)
	}
	if c, _ := Parse("c.toml", ""); c.Serve.IdleSet {
		t.Error("idle set without a [serve] section")
	}
	for text, want := range map[string]string{
		"[serve]\nidle = \"soon\"\n":      "c.toml:2: [serve] idle \"soon\" is not a duration",
		"[serve]\n\nmax_sessions = -1\n":  "c.toml:3: [serve] max_sessions cannot be negative",
		"[serve]\nsync_every = \"-1h\"\n": "c.toml:2: [serve] sync_every \"-1h\" is not a duration",
		"[serve]\nport = 22\n":            "c.toml:2: unknown key \"serve.port\"",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", text, err, want)
		}
	}
}

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyC2ZrsJ7pvbm1LbePM2Rd2nV0Qw0ns8xa0Mz6cc8V ana@laptop"

func TestServeUsers(t *testing.T) {
	text := "[serve]\nopen = true\n\n[[serve.users]]\nname = \"ana\"\nrole = \"manager\"\nkey = \"" + testKey + "\"\n\n" +
		"[[serve.users]]\nname = \"sam\"\nrole = \"viewer\"\nkeys = [\"" + testKey + "\"]\n"
	c, err := Parse("c.toml", text)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if !s.Open || len(s.Users) != 2 || s.Users[0].Name != "ana" || s.Users[0].Role != RoleManager || s.Users[1].Role != RoleViewer {
		t.Fatalf("got %+v", s)
	}
	if k := s.Users[1].AllKeys(); len(k) != 1 || k[0] != testKey {
		t.Errorf("sam's keys: %q", k)
	}
	if c, _ := Parse("c.toml", "[serve]\n"); c.Serve.Open {
		t.Error("open by default")
	}
	user := func(body string) string {
		return "[serve]\nidle = \"1h\"\n\n[[serve.users]]\nname = \"x\"\nrole = \"viewer\"\nkey = \"" + testKey + "\"\n\n[[serve.users]]\n" + body
	}
	for text, want := range map[string]string{
		user("role = \"viewer\"\nkey = \"" + testKey + "\"\n"):                           "c.toml:9: [[serve.users]] needs a name",
		user("name = \"bo\"\nrole = \"admin\"\nkey = \"" + testKey + "\"\n"):             "c.toml:9: [[serve.users]] \"bo\": role \"admin\" is neither",
		user("name = \"bo\"\nrole = \"viewer\"\n"):                                       "c.toml:9: [[serve.users]] \"bo\" has no key",
		user("name = \"bo\"\nrole = \"viewer\"\nkey = \"ssh-ed25519 nope\"\n"):           "c.toml:9: [[serve.users]] \"bo\": \"ssh-ed25519 nope\" is not an SSH public key",
		user("name = \"bo\"\nrole = \"viewer\"\nkey = \"" + testKey + "\"\ngroup = 1\n"): "unknown key",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", text, err, want)
		}
	}
}
