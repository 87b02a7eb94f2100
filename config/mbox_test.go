package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMboxSection(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "users")
	if err := os.Mkdir(archive, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := Parse("c.toml", "[[mbox]]\nname = \"users\"\npath = \""+archive+"\"\n\n[[mbox]]\npath = \""+filepath.Join(dir, "gone")+"\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Mbox) != 2 || c.Mbox[0].Name != "users" || c.Mbox[0].Path != archive {
		t.Fatalf("mbox %+v", c.Mbox)
	}
	probs := c.Check(context.Background())
	if len(probs) != 1 || probs[0].Line != 5 || !strings.Contains(probs[0].String(), "[[mbox]] path "+filepath.Join(dir, "gone")+" does not exist") {
		t.Errorf("check: %v", probs)
	}

	for text, want := range map[string]string{
		"[[mbox]]\nname = \"x\"\n":                                                       "c.toml:1: [[mbox]] needs a path",
		"[[mbox]]\npath = \"/a\"\n[[mbox]]\npath = \"/a/\"\n":                            "c.toml:3: two [[mbox]] sources with path",
		"[[mbox]]\npath = \"/a\"\nname = \"l\"\n[[mbox]]\npath = \"/b\"\nname = \"l\"\n": "c.toml:4: two [[mbox]] sources named \"l\"",
		"[[mbox]]\npath = \"/a\"\nlist = \"l\"\n":                                        "unknown key",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
	if !strings.Contains(Example(), "# [[mbox]]") {
		t.Error("the example configuration shows no [[mbox]] section")
	}
}
