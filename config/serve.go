package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	gossh "golang.org/x/crypto/ssh"
)

// Serve is the [serve] section: the defaults of hearth serve, each
// overridden by its flag.
type Serve struct {
	Listen         string `toml:"listen"`
	HostKey        string `toml:"host_key"`
	AuthorizedKeys string `toml:"authorized_keys"`
	MaxSessions    int    `toml:"max_sessions"`
	// Idle is a Go duration ("30m", "2h"); "" means the default, "0" never.
	Idle string `toml:"idle"`
	// Open admits keys nobody listed, as viewers; by default they are
	// refused.
	Open bool `toml:"open"`
	// Users are the people the server knows, with their keys and roles.
	Users []ServeUser `toml:"users"`
	// SyncEvery is a Go duration ("1h"): the server syncs the configured
	// sources that often; "" or "0" means only when a manager asks.
	SyncEvery string `toml:"sync_every"`

	idle time.Duration
	// IdleSet says the file gave idle.
	IdleSet   bool `toml:"-"`
	syncEvery time.Duration
}

// Roles of [[serve.users]].
const (
	RoleManager = "manager"
	RoleViewer  = "viewer"
)

// ServeUser is one [[serve.users]] entry: a person, their public keys
// (OpenSSH authorized_keys lines, in key or keys) and their role.
type ServeUser struct {
	Name string   `toml:"name"`
	Key  string   `toml:"key"`
	Keys []string `toml:"keys"`
	Role string   `toml:"role"`
}

// AllKeys are the user's keys, key first.
func (u ServeUser) AllKeys() []string {
	if u.Key == "" {
		return u.Keys
	}
	return append([]string{u.Key}, u.Keys...)
}

// IdleTimeout is the parsed idle setting (valid when IdleSet).
func (s Serve) IdleTimeout() time.Duration { return s.idle }

// SyncInterval is the parsed sync_every setting; 0 when not given.
func (s Serve) SyncInterval() time.Duration { return s.syncEvery }

func (c *Config) validateServe(text string) error {
	s := &c.Serve
	s.HostKey, s.AuthorizedKeys = expandHome(s.HostKey), expandHome(s.AuthorizedKeys)
	if s.MaxSessions < 0 {
		return fmt.Errorf("%d: [serve] max_sessions cannot be negative", keyLine(text, toml.Key{"serve", "max_sessions"}))
	}
	if s.Idle != "" {
		d, err := time.ParseDuration(s.Idle)
		if err != nil || d < 0 {
			return fmt.Errorf("%d: [serve] idle %q is not a duration such as 30m", keyLine(text, toml.Key{"serve", "idle"}), s.Idle)
		}
		s.idle, s.IdleSet = d, true
	}
	if s.SyncEvery != "" {
		d, err := time.ParseDuration(s.SyncEvery)
		if err != nil || d < 0 {
			return fmt.Errorf("%d: [serve] sync_every %q is not a duration such as 1h", keyLine(text, toml.Key{"serve", "sync_every"}), s.SyncEvery)
		}
		s.syncEvery = d
	}
	for i, u := range s.Users {
		line := userLine(text, i)
		if strings.TrimSpace(u.Name) == "" {
			return fmt.Errorf("%d: [[serve.users]] needs a name", line)
		}
		if u.Role != RoleManager && u.Role != RoleViewer {
			return fmt.Errorf("%d: [[serve.users]] %q: role %q is neither \"manager\" nor \"viewer\"", line, u.Name, u.Role)
		}
		if len(u.AllKeys()) == 0 {
			return fmt.Errorf("%d: [[serve.users]] %q has no key", line, u.Name)
		}
		for _, k := range u.AllKeys() {
			if _, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k)); err != nil {
				return fmt.Errorf("%d: [[serve.users]] %q: %q is not an SSH public key", line, u.Name, shortKey(k))
			}
		}
	}
	return nil
}

var usersTable = regexp.MustCompile(`^\s*\[\[\s*serve\.users\s*\]\]`)

// userLine is the line of the i-th [[serve.users]] table, or of the users
// key when the entries are written inline.
func userLine(text string, i int) int {
	for n, line := range strings.Split(text, "\n") {
		if usersTable.MatchString(line) {
			if i == 0 {
				return n + 1
			}
			i--
		}
	}
	return keyLine(text, toml.Key{"serve", "users"})
}

// shortKey is the start of a key line, enough to recognise it in an error.
func shortKey(k string) string {
	if r := []rune(strings.TrimSpace(k)); len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return strings.TrimSpace(k)
}
