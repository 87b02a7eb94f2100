package config

import (
	"fmt"
	"time"

	"github.com/BurntSushi/toml"
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

	idle time.Duration
	// IdleSet says the file gave idle.
	IdleSet bool `toml:"-"`
}

// IdleTimeout is the parsed idle setting (valid when IdleSet).
func (s Serve) IdleTimeout() time.Duration { return s.idle }

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
	return nil
}
