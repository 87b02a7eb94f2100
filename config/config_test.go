package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/model"
)

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Git)+len(c.GitHub)+len(c.Bots)+len(c.People) != 0 || c.DomainOrgs {
		t.Errorf("defaults %+v", c)
	}
	if c.Rules() != model.DefaultRules() {
		t.Errorf("rules %+v", c.Rules())
	}
}

func TestExampleParsesToItsDocumentedValues(t *testing.T) {
	c, err := Parse("example.toml", Example())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Git) != 1 || c.Git[0].Name != "project" || c.Git[0].Branch != "main" || strings.HasPrefix(c.Git[0].Path, "~") {
		t.Errorf("git %+v", c.Git)
	}
	if len(c.GitHub) != 1 || c.GitHub[0].Repo != "owner/project" || c.GitHub[0].Name != "owner/project" ||
		c.GitHub[0].TokenEnv != "GITHUB_TOKEN" || len(c.GitHub[0].QuestionLabels) != 2 {
		t.Errorf("github %+v", c.GitHub)
	}
	if got := c.Orgs["Acme"]; len(got) != 2 || got[1] != "acme.io" {
		t.Errorf("orgs %v", c.Orgs)
	}
	// The example documents the defaults, so it must not change them.
	if c.Rules() != model.DefaultRules() {
		t.Errorf("example rules %+v differ from the defaults %+v", c.Rules(), model.DefaultRules())
	}
	pr := c.PeopleRules()
	if len(pr.Same) != 1 || len(pr.Same[0]) != 3 || len(pr.Bots) != 2 || pr.Orgs["Acme"] == nil {
		t.Errorf("people rules %+v", pr)
	}
}

func TestFunnelOverrides(t *testing.T) {
	c, err := Parse("c.toml", "[funnel]\nregular_months = 2\nlapsed_days = 60\n")
	if err != nil {
		t.Fatal(err)
	}
	r := c.Rules()
	if r.RegularMonths != 2 || r.LapsedAfter != 60*24*time.Hour || r.WindowMonths != 12 {
		t.Errorf("rules %+v", r)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"unknown key", "[[github]]\nrepo = \"o/r\"\ntokne_env = \"X\"\n", `c.toml:3: unknown key "github.tokne_env"`},
		{"unknown table", "bots = []\n\n[funnels]\nnew_days = 3\n", `c.toml:`},
		{"syntax", "bots = [\"a\"\n[orgs]\n", "c.toml:"},
		{"wrong type", "\ndomain_orgs = \"yes\"\n", "c.toml:2: domain_orgs: incompatible types"},
		{"git without path", "[[git]]\nname = \"x\"\n\n[[git]]\nbranch = \"main\"\n", "c.toml:1: [[git]] needs a path"},
		{"bad repo", "[[github]]\nrepo = \"just-a-name\"\n", "c.toml:1: [[github]] repo \"just-a-name\" is not owner/name"},
		{"token in file", "[[github]]\nrepo = \"o/r\"\ntoken_env = \"ghp_abc123\"\n", "must name an environment variable"},
		{"bad bot pattern", "\n\nbots = [\"(\"]\n", "c.toml:3: bot pattern"},
		{"bad domain", "[orgs]\nAcme = [\"acme\"]\n", "c.toml:2:"},
		{"negative", "[funnel]\nnew_days = -1\n", "c.toml:2: funnel new_days must not be negative"},
		{"regular above window", "[funnel]\nregular_months = 13\n", "exceeds window_months"},
		{"lonely alias", "[[people]]\nsame = [\"a@b.c\"]\n", "c.toml:1: [[people]] same needs at least two"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.toml", tc.text)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "c.toml") || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line containing %q", msg, tc.want)
			}
		})
	}
}

func TestUnknownKeyInSecondEntry(t *testing.T) {
	text := "[[git]]\npath = \"/a\"\n\n[[git]]\npath = \"/b\"\nbrnach = \"x\"\n"
	_, err := Parse("c.toml", text)
	if err == nil || err.Error() != `c.toml:6: unknown key "git.brnach"` {
		t.Errorf("err = %v", err)
	}
}

func TestDuplicateSourceNames(t *testing.T) {
	_, err := Parse("c.toml", "[[git]]\npath = \"/x/proj\"\n[[git]]\npath = \"/y/proj\"\n")
	if err == nil || !strings.Contains(err.Error(), `c.toml:3: two [[git]] sources named "proj"`) {
		t.Errorf("err = %v", err)
	}
}

func TestWriteExampleRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	if err := WriteExample(path); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil || len(c.GitHub) != 1 || c.Path != path {
		t.Fatalf("written example: %+v %v", c, err)
	}
	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteExample(path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second init: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
		t.Errorf("file overwritten: %q", b)
	}
}

func TestDisplayTimezone(t *testing.T) {
	c, err := Parse("c.toml", "display_timezone = \"Asia/Tokyo\"\n")
	if err != nil || c.Zone().String() != "Asia/Tokyo" {
		t.Fatalf("zone %v, %v", c, err)
	}
	if c, err := Parse("c.toml", ""); err != nil || c.Zone() != time.Local {
		t.Errorf("default zone: %v", err)
	}
	_, err = Parse("c.toml", "# zones\n\ndisplay_timezone = \"Mars/Olympus\"\n")
	if err == nil || !strings.HasPrefix(err.Error(), "c.toml:3: display_timezone: unknown time zone") {
		t.Errorf("bad zone: %v", err)
	}
}
