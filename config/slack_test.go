package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSlackSection(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "kestrel")
	if err := os.MkdirAll(export, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(export, "channels.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	notZip := filepath.Join(dir, "notes.zip")
	if err := os.WriteFile(notZip, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse("c.toml", "[[slack]]\npath = \""+export+"\"\nurl = \"https://kestrel.slack.com\"\nhelp_channels = [\"help\", \"#support-*\"]\nprivate = true\n\n"+
		"[[slack]]\npath = \""+notZip+"\"\n\n[[slack]]\npath = \""+filepath.Join(dir, "gone.zip")+"\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Slack) != 3 || c.Slack[0].Name != "kestrel" || c.Slack[1].Name != "notes" || !c.Slack[0].Private ||
		len(c.Slack[0].HelpChannels) != 2 || c.Slack[0].URL != "https://kestrel.slack.com" {
		t.Fatalf("slack %+v", c.Slack)
	}
	probs := c.Check(context.Background())
	if len(probs) != 2 || probs[0].Line != 7 || !strings.Contains(probs[0].String(), "[[slack]] path "+notZip+" is not a zip file") ||
		probs[1].Line != 10 || !strings.Contains(probs[1].String(), "does not exist") {
		t.Errorf("check: %v", probs)
	}

	for text, want := range map[string]string{
		"[[slack]]\nname = \"x\"\n":                                      "c.toml:1: [[slack]] needs a path",
		"[[slack]]\npath = \"/a.zip\"\n[[slack]]\npath = \"/a.zip\"\n":   "c.toml:3: two [[slack]] sources with path",
		"[[slack]]\npath = \"/a.zip\"\n[[slack]]\npath = \"/b/a.zip\"\n": "c.toml:3: two [[slack]] sources named \"a\"",
		"[[slack]]\npath = \"/a.zip\"\nurl = \"kestrel.slack.com\"\n":    "c.toml:1: [[slack]] url \"kestrel.slack.com\" is not an http(s) URL",
		"[[slack]]\npath = \"/a.zip\"\nhelp_channels = [\"[help\"]\n":    "c.toml:1: [[slack]] help_channels: \"[help\"",
		"[[slack]]\npath = \"/a.zip\"\nchannels = [\"help\"]\n":          "unknown key",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
	if !strings.Contains(Example(), "# [[slack]]") {
		t.Error("the example configuration shows no [[slack]] section")
	}
}
