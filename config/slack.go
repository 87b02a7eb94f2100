package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// validateSlack checks the [[slack]] sections and fills their defaults.
func (c *Config) validateSlack(text string, names map[string]bool) error {
	paths := map[string]bool{}
	for i := range c.Slack {
		s := &c.Slack[i]
		line := lineOf(text, "slack", i)
		s.line = line
		if strings.TrimSpace(s.Path) == "" {
			return fmt.Errorf("%d: [[slack]] needs a path", line)
		}
		s.Path = expandHome(s.Path)
		if paths[filepath.Clean(s.Path)] {
			return fmt.Errorf("%d: two [[slack]] sources with path %q", line, s.Path)
		}
		paths[filepath.Clean(s.Path)] = true
		if s.Name == "" {
			s.Name = strings.TrimSuffix(filepath.Base(filepath.Clean(s.Path)), ".zip")
		}
		if names["slack:"+s.Name] {
			return fmt.Errorf("%d: two [[slack]] sources named %q", line, s.Name)
		}
		names["slack:"+s.Name] = true
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			return fmt.Errorf("%d: [[slack]] url %q is not an http(s) URL", line, s.URL)
		}
		for _, p := range s.HelpChannels {
			if _, err := path.Match(strings.TrimPrefix(p, "#"), ""); err != nil || strings.TrimSpace(p) == "" {
				return fmt.Errorf("%d: [[slack]] help_channels: %q is not a channel name or pattern", line, p)
			}
		}
	}
	return nil
}

// checkSlackPath returns what is wrong with path as a Slack export, ""
// when nothing is: a zip file, or a directory holding channels.json.
func checkSlackPath(p string) string {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("path %s does not exist", p)
	case err != nil:
		return fmt.Sprintf("path %s: %v", p, errors.Unwrap(err))
	case fi.IsDir():
		if _, err := os.Stat(filepath.Join(p, "channels.json")); err != nil {
			return fmt.Sprintf("path %s is not a Slack export (no channels.json)", p)
		}
		return ""
	case !fi.Mode().IsRegular():
		return fmt.Sprintf("path %s is neither a file nor a directory", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Sprintf("path %s: %v", p, errors.Unwrap(err))
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "PK\x03\x04" {
		return fmt.Sprintf("path %s is not a zip file", p)
	}
	return ""
}
