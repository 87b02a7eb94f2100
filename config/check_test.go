package config

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repos makes, in a temp dir, a working tree with a subdirectory, a bare
// clone, a plain directory and a file, and returns their paths by name.
func repos(t *testing.T) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_DIR", "")
	os.Unsetenv("GIT_DIR")
	dir := t.TempDir()
	p := map[string]string{
		"work":  filepath.Join(dir, "work"),
		"sub":   filepath.Join(dir, "work", "docs"),
		"bare":  filepath.Join(dir, "bare.git"),
		"plain": filepath.Join(dir, "plain"),
		"file":  filepath.Join(dir, "notes.txt"),
		"gone":  filepath.Join(dir, "gone"),
	}
	for _, d := range []string{p["sub"], p["plain"]} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(p["file"], []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", p["work"]}, {"init", "-q", "--bare", p["bare"]}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	return p
}

func TestCheckGitPaths(t *testing.T) {
	p := repos(t)
	var text strings.Builder
	for _, k := range []string{"work", "sub", "bare", "plain", "file", "gone"} {
		text.WriteString("[[git]]\nname = \"" + k + "\"\npath = \"" + p[k] + "\"\n\n")
	}
	text.WriteString("[[github]]\nrepo = \"acme/widgets\"\n")
	c, err := Parse("c.toml", text.String())
	if err != nil {
		t.Fatal(err)
	}
	// A GIT_DIR in the environment must not make every path a repository.
	t.Setenv("GIT_DIR", p["bare"])
	got := c.Check(context.Background())
	want := []string{
		"c.toml:13: [[git]] path " + p["plain"] + " is not a git repository",
		"c.toml:17: [[git]] path " + p["file"] + " is not a directory",
		"c.toml:21: [[git]] path " + p["gone"] + " does not exist",
	}
	if len(got) != len(want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("problem %d: %q, want %q", i, got[i], want[i])
		}
	}

	// Without git, the layout decides: the same verdicts, except that a
	// directory inside a working tree cannot be told from a plain one.
	t.Setenv("PATH", t.TempDir())
	got = c.Check(context.Background())
	if len(got) != 4 || !strings.Contains(got[0].String(), p["sub"]+" is not a git repository") ||
		got[1].String() != want[0] {
		t.Errorf("without git: %q", got)
	}
}

func TestCheckRepo(t *testing.T) {
	for repo, why := range map[string]string{
		"golang/go":                       "",
		"Acme-Corp/widgets.go":            "",
		"a/.github":                       "",
		"octocat_acme/repo":               "", // Enterprise managed user
		"o/" + strings.Repeat("r", 100):   "",
		"just-a-name":                     "no slash",
		"/widgets":                        "empty owner",
		"acme/":                           "empty name",
		"acme/widgets/tree":               "more than one slash",
		"https://github.com/acme/widgets": "not a URL",
		"github.com/acme/widgets":         "not a URL",
		"git@github.com:acme/widgets.git": "not a URL",
		"acme/widgets.git":                "drop the .git",
		"-acme/widgets":                   "hyphen",
		"acme-/widgets":                   "hyphen",
		"ac.me/widgets":                   `character '.' not allowed in an owner`,
		"acme/wid gets":                   `character ' ' not allowed in a name`,
		"acme/..":                         "name ..",
		strings.Repeat("o", 40) + "/r":    "owner longer than 39",
		"o/" + strings.Repeat("r", 101):   "name longer than 100",
		"acme/widgets\x1b[31m":            `character '\x1b'`,
		"ａcme/widgets":                    "not allowed in an owner",
	} {
		err := CheckRepo(repo)
		switch {
		case why == "" && err != nil:
			t.Errorf("CheckRepo(%q) = %v, want nil", repo, err)
		case why != "" && (err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "is not owner/name")):
			t.Errorf("CheckRepo(%q) = %v, want an error saying %q", repo, err, why)
		}
	}
}

func TestCheckConfigWithoutFile(t *testing.T) {
	c := &Config{GitHub: []GitHub{{Repo: "nope"}}}
	got := c.Check(context.Background())
	if len(got) != 1 || got[0].String() != `[[github]] repo "nope" is not owner/name: no slash` {
		t.Errorf("problems %q", got)
	}
	if p := (Problem{File: "c.toml", Msg: "x"}); p.String() != "c.toml: x" {
		t.Errorf("no line: %q", p)
	}
}
