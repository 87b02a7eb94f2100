package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestICalSection(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "team.ics")
	if err := os.WriteFile(file, []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse("c.toml", "[[ical]]\nname = \"meetups\"\nurl = \"https://example.org/m.ics\"\n\n[[ical]]\npath = \""+file+
		"\"\n\n[[ical]]\npath = \""+filepath.Join(dir, "gone.ics")+"\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ICal) != 3 || c.ICal[0].Name != "meetups" || c.ICal[0].Target() != "https://example.org/m.ics" ||
		c.ICal[1].Name != file || c.ICal[1].Target() != file {
		t.Fatalf("ical %+v", c.ICal)
	}
	probs := c.Check(context.Background())
	if len(probs) != 1 || probs[0].Line != 8 || !strings.Contains(probs[0].String(), "[[ical]] path "+filepath.Join(dir, "gone.ics")+" does not exist") {
		t.Errorf("check: %v", probs)
	}
	for text, want := range map[string]string{
		"[[ical]]\nname = \"x\"\n":                             "c.toml:1: [[ical]] needs a url or a path",
		"[[ical]]\nurl = \"https://a/x.ics\"\npath = \"/a\"\n": "c.toml:1: [[ical]] has both a url and a path",
		"[[ical]]\nurl = \"ftp://a/x.ics\"\n":                  "c.toml:1: [[ical]] url \"ftp://a/x.ics\" is not an http(s) or webcal URL",
		"[[ical]]\npath = \"/a\"\n[[ical]]\npath = \"/a\"\n":   "c.toml:3: two [[ical]] feeds named \"/a\"",
		"[[ical]]\npath = \"/a\"\nfeed = \"l\"\n":              "unknown key",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
	if !strings.Contains(Example(), "# [[ical]]") {
		t.Error("the example configuration shows no [[ical]] section")
	}
}
