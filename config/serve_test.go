package config

import (
	"strings"
	"testing"
	"time"
)

func TestServeSection(t *testing.T) {
	c, err := Parse("c.toml", "[serve]\nlisten = \"0.0.0.0:2222\"\nauthorized_keys = \"/etc/hearth/managers\"\nmax_sessions = 10\nidle = \"2h\"\n")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if s.Listen != "0.0.0.0:2222" || s.AuthorizedKeys != "/etc/hearth/managers" || s.MaxSessions != 10 || !s.IdleSet || s.IdleTimeout() != 2*time.Hour {
		t.Errorf("got %+v", s)
	}
	if c, _ := Parse("c.toml", ""); c.Serve.IdleSet {
		t.Error("idle set without a [serve] section")
	}
	for text, want := range map[string]string{
		"[serve]\nidle = \"soon\"\n":     "c.toml:2: [serve] idle \"soon\" is not a duration",
		"[serve]\n\nmax_sessions = -1\n": "c.toml:3: [serve] max_sessions cannot be negative",
		"[serve]\nport = 22\n":           "c.toml:2: unknown key \"serve.port\"",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", text, err, want)
		}
	}
}
