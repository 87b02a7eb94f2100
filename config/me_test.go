package config

import (
	"strings"
	"testing"
)

func TestMe(t *testing.T) {
	for _, ok := range []string{`"@ada"`, `" @ada "`, `"ada@example.org"`, `"42"`, `""`} {
		c, err := Parse("c.toml", "me = "+ok+"\n")
		if err != nil {
			t.Errorf("me = %s: %v", ok, err)
			continue
		}
		if c.Me != strings.TrimSpace(strings.Trim(ok, `"`)) {
			t.Errorf("me = %s read as %q", ok, c.Me)
		}
	}
	for _, bad := range []string{`"ada"`, `"@"`, `"ada lovelace"`, `"ada@"`} {
		_, err := Parse("c.toml", "# who\nme = "+bad+"\n")
		if err == nil || !strings.HasPrefix(err.Error(), "c.toml:2: me: ") {
			t.Errorf("me = %s: %v", bad, err)
		}
	}
}
