// Package backend is the application layer every front end shares: the
// command line, the local TUI and the SSH server. It knows where hearth keeps
// its files (XDG paths), opens the store with hearth's rules (never another
// program's database, read-only when the file cannot be written), builds
// sources from the configuration through one registry of source kinds, runs
// a sync with progress reports, and writes the demo community.
//
// A front end never builds a source or opens a database itself: it asks an
// Env, so that every front end behaves the same way.
package backend

import (
	"fmt"
	"path/filepath"
	"time"

	"hearth/config"
)

// Env is what the application layer needs from the process: its
// environment and its clock. Front ends build one from the real process;
// tests build one with a fake environment and clock.
type Env struct {
	// Getenv reads an environment variable (os.Getenv in a real process).
	Getenv func(string) string
	// Now is the clock: every time hearth records or compares goes through it.
	Now func() time.Time
}

// UsageError is a request that cannot be carried out as asked (a source
// name the config does not have, a target missing): front ends show it as
// a mistake in what the user typed (exit code 2 at the command line).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// usageErrorf makes a UsageError.
func usageErrorf(format string, args ...any) error {
	return &UsageError{fmt.Sprintf(format, args...)}
}

// DBPath is the user's database: flag (--db) when given, else $HEARTH_DB,
// else $XDG_DATA_HOME/hearth/hearth.db, else ~/.local/share/hearth/hearth.db.
func (e Env) DBPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := e.Getenv("HEARTH_DB"); p != "" {
		return p, nil
	}
	return e.DefaultDBPath()
}

// DefaultDBPath is the database hearth uses when none is named: the only
// one whose directory hearth creates by itself.
func (e Env) DefaultDBPath() (string, error) {
	return e.xdgPath("XDG_DATA_HOME", filepath.Join(".local", "share"), "hearth.db")
}

// DemoPath is where --demo keeps its generated community: a cache, since it
// can always be made again.
func (e Env) DemoPath() (string, error) {
	return e.xdgPath("XDG_CACHE_HOME", ".cache", "demo.db")
}

// HostKeyPath is where hearth serve keeps its SSH host key when none is
// named: next to the default database, in $XDG_DATA_HOME/hearth (else
// ~/.local/share/hearth), so that clients see the same key at every start.
func (e Env) HostKeyPath() (string, error) {
	return e.xdgPath("XDG_DATA_HOME", filepath.Join(".local", "share"), "ssh_host_ed25519")
}

// ConfigPath is the configuration file: flag (--config) when given, else
// $XDG_CONFIG_HOME/hearth/config.toml, else ~/.config/hearth/config.toml.
func (e Env) ConfigPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	return e.xdgPath("XDG_CONFIG_HOME", ".config", "config.toml")
}

// LoadConfig reads the configuration at ConfigPath(flag); a missing file
// gives the defaults.
func (e Env) LoadConfig(flag string) (*config.Config, error) {
	path, err := e.ConfigPath(flag)
	if err != nil {
		return nil, err
	}
	return config.Load(path)
}

// xdgPath resolves <$env or ~/fallback>/hearth/file. The XDG base
// directory specification says relative values are invalid and must be
// ignored.
func (e Env) xdgPath(env, fallback, file string) (string, error) {
	if dir := e.Getenv(env); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "hearth", file), nil
	}
	home := e.Getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("cannot find your home directory: set HOME, or give the database with --db or HEARTH_DB")
	}
	return filepath.Join(home, fallback, "hearth", file), nil
}
