// Package config reads hearth's configuration file: the sources to sync,
// the rules that merge accounts into people, and the funnel thresholds.
//
// The file is TOML, at $XDG_CONFIG_HOME/hearth/config.toml (by default
// ~/.config/hearth/config.toml). A missing file means defaults; anything
// the file says that hearth does not understand is an error naming the line,
// because a misspelt key silently ignored is a setting the user thinks they
// have.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"hearth/data/people"
	"hearth/model"
)

//go:embed example.toml
var example string

// Example is the commented configuration `hearth config init` writes.
func Example() string { return example }

// Config is the parsed file.
type Config struct {
	// Path is the file the configuration was read from ("" for defaults).
	Path string `toml:"-"`

	Git        []Git               `toml:"git"`
	GitHub     []GitHub            `toml:"github"`
	Mbox       []Mbox              `toml:"mbox"`
	ICal       []ICal              `toml:"ical"`
	Discourse  []Discourse         `toml:"discourse"`
	Slack      []Slack             `toml:"slack"`
	Orgs       map[string][]string `toml:"orgs"`
	Bots       []string            `toml:"bots"`
	DomainOrgs bool                `toml:"domain_orgs"`
	People     []People            `toml:"people"`
	Funnel     Funnel              `toml:"funnel"`
	Serve      Serve               `toml:"serve"`
	// DisplayTimezone is the zone every date is shown in (an IANA name);
	// "" is the local zone.
	DisplayTimezone string `toml:"display_timezone"`
	// Me is the member who runs hearth (an @handle, an e-mail address or a
	// member id): the Questions tab's "mine" queue and hearth questions
	// --mine list what is assigned to them. "" is nobody.
	Me string `toml:"me"`

	zone *time.Location
}

// Git is a local repository to sync.
type Git struct {
	Name   string `toml:"name"`
	Path   string `toml:"path"`
	Branch string `toml:"branch"`

	line int // of its [[git]] header, for Check
}

// GitHub is a repository on GitHub (or GitHub Enterprise) to sync.
type GitHub struct {
	Name           string   `toml:"name"`
	Repo           string   `toml:"repo"` // "owner/name"
	APIURL         string   `toml:"api_url"`
	TokenEnv       string   `toml:"token_env"` // name of the variable, never the token
	QuestionLabels []string `toml:"question_labels"`

	line int // of its [[github]] header, for Check
}

// Mbox is a mailing-list archive to sync: an mbox file or a directory of
// them (pipermail's monthly .txt and .txt.gz files).
type Mbox struct {
	// Name is the list's name, the channel of its messages; empty means
	// the directory's name (the file's, without .txt, .mbox and .gz).
	Name string `toml:"name"`
	Path string `toml:"path"`

	line int // of its [[mbox]] header, for Check
}

// ICal is an iCalendar feed to sync: a URL (https, http, webcal) or an
// .ics file; exactly one of them.
type ICal struct {
	// Name is the feed's name, its events' source "ical:<name>"; empty
	// means the URL or path.
	Name string `toml:"name"`
	URL  string `toml:"url"`
	Path string `toml:"path"`

	line int // of its [[ical]] header, for Check
}

// Target is the feed's URL or path.
func (f ICal) Target() string {
	if f.URL != "" {
		return f.URL
	}
	return f.Path
}

// Discourse is a Discourse forum to sync. The API key and username are
// optional (a public forum reads anonymously) and live in environment
// variables whose names the file gives, never in the file.
type Discourse struct {
	Name           string `toml:"name"`
	URL            string `toml:"url"`
	APIKeyEnv      string `toml:"api_key_env"`
	APIUsernameEnv string `toml:"api_username_env"`
	// QuestionCategories name the categories whose topics are questions;
	// empty means those named like help, support, questions or Q&A.
	QuestionCategories []string `toml:"question_categories"`
	// Profiles reads each poster's profile page (location, bio).
	Profiles bool `toml:"profiles"`

	line int // of its [[discourse]] header, for Check
}

// Slack is a Slack workspace export to sync: the .zip an admin downloads,
// or its unzipped directory.
type Slack struct {
	Name string `toml:"name"` // default: the file's name without .zip
	Path string `toml:"path"`
	// URL is the workspace's address (https://acme.slack.com), for links.
	URL string `toml:"url"`
	// HelpChannels are the channels (names or patterns such as "help-*")
	// whose messages can be questions; empty means the default: channels
	// named like help, support, questions or q-and-a.
	HelpChannels []string `toml:"help_channels"`
	// Private also reads the private channels an export may hold
	// (groups.json). Direct messages are never read.
	Private bool `toml:"private"`

	line int // of its [[slack]] header, for Check
}

// People lists accounts that are one person.
type People struct {
	Same []string `toml:"same"`
}

// Funnel overrides model.DefaultRules; zero keeps the default.
type Funnel struct {
	RegularMonths     int `toml:"regular_months"`
	WindowMonths      int `toml:"window_months"`
	CoreReviews       int `toml:"core_reviews"`
	NewDays           int `toml:"new_days"`
	LapsedDays        int `toml:"lapsed_days"`
	TopicHalfLifeDays int `toml:"topic_half_life_days"`
	TopTopics         int `toml:"top_topics"`
}

// DefaultTokenEnv is where a GitHub token is looked for when the file does
// not say.
const DefaultTokenEnv = "GITHUB_TOKEN"

// Load reads the file at path. A missing file yields the defaults; a file
// that does not parse, has keys hearth does not know, or has invalid values
// yields a one-line error "path:line: what".
func Load(path string) (*Config, error) {
	body, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(path, string(body))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse reads configuration text; name is used in error messages.
func Parse(name, text string) (*Config, error) {
	c := &Config{Path: name}
	md, err := toml.Decode(text, c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, model.FirstLine(pe.Message))
		}
		// Type mismatches come as "toml: line N (last key "k"): msg".
		if m := decodeErr.FindStringSubmatch(model.FirstLine(err.Error())); m != nil {
			return nil, fmt.Errorf("%s:%s: %s: %s", name, m[1], m[2], m[3])
		}
		return nil, fmt.Errorf("%s: %s", name, model.FirstLine(err.Error()))
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		if line := keyLine(text, k); line > 0 {
			return nil, fmt.Errorf("%s:%d: unknown key %q", name, line, k.String())
		}
		return nil, fmt.Errorf("%s: unknown key %q", name, k.String())
	}
	if err := c.validate(text); err != nil {
		if rest, ok := strings.CutPrefix(err.Error(), "0: "); ok {
			return nil, fmt.Errorf("%s: %s", name, rest)
		}
		return nil, fmt.Errorf("%s:%w", name, err)
	}
	return c, nil
}

// keyLine finds the line where a key is set, for error messages: the
// parser does not expose positions of keys it decoded without complaint.
// 0 when not found.
func keyLine(text string, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	last := k[len(k)-1]
	re := regexp.MustCompile(`^\s*(\[+\s*)?("?)` + regexp.QuoteMeta(last) + `("?)\s*(=|\]|\.)`)
	// Prefer a match after the line that opens the key's table.
	start := 0
	if len(k) > 1 {
		table := regexp.MustCompile(`^\s*\[+\s*` + regexp.QuoteMeta(strings.Join(k[:len(k)-1], ".")) + `\s*\]+`)
		for n, line := range strings.Split(text, "\n") {
			if table.MatchString(line) {
				start = n
				break
			}
		}
	}
	lines := strings.Split(text, "\n")
	for n := start; n < len(lines); n++ {
		if re.MatchString(lines[n]) {
			return n + 1
		}
	}
	for n, line := range lines {
		if re.MatchString(line) {
			return n + 1
		}
	}
	return 0
}

// lineOf returns the line of the i-th occurrence (0-based) of a table
// header such as [[git]], for errors about one entry.
func lineOf(text, header string, i int) int {
	re := regexp.MustCompile(`^\s*\[\[\s*` + regexp.QuoteMeta(header) + `\s*\]\]`)
	for n, line := range strings.Split(text, "\n") {
		if re.MatchString(line) {
			if i == 0 {
				return n + 1
			}
			i--
		}
	}
	return 0
}

var decodeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// Zone is the display zone: display_timezone, else the local zone.
func (c *Config) Zone() *time.Location {
	if c.zone == nil {
		return time.Local
	}
	return c.zone
}

// validate checks values and fills defaults. Errors start with the line.
func (c *Config) validate(text string) error {
	zone, err := model.LoadZone(c.DisplayTimezone)
	if err != nil {
		return fmt.Errorf("%d: display_timezone: %v", keyLine(text, toml.Key{"display_timezone"}), err)
	}
	c.zone = zone
	if err := checkMe(c.Me); err != nil {
		return fmt.Errorf("%d: me: %v", keyLine(text, toml.Key{"me"}), err)
	}
	c.Me = strings.TrimSpace(c.Me)
	if err := c.validateServe(text); err != nil {
		return err
	}
	names := map[string]bool{}
	for i := range c.Git {
		g := &c.Git[i]
		line := lineOf(text, "git", i)
		g.line = line
		if strings.TrimSpace(g.Path) == "" {
			return fmt.Errorf("%d: [[git]] needs a path", line)
		}
		g.Path = expandHome(g.Path)
		if g.Name == "" {
			g.Name = filepath.Base(filepath.Clean(g.Path))
		}
		if names["git:"+g.Name] {
			return fmt.Errorf("%d: two [[git]] sources named %q", line, g.Name)
		}
		names["git:"+g.Name] = true
	}
	for i := range c.GitHub {
		g := &c.GitHub[i]
		line := lineOf(text, "github", i)
		g.line = line
		if err := CheckRepo(g.Repo); err != nil {
			return fmt.Errorf("%d: [[github]] %v", line, err)
		}
		if g.Name == "" {
			g.Name = g.Repo
		}
		if g.TokenEnv == "" {
			g.TokenEnv = DefaultTokenEnv
		}
		if strings.ContainsAny(g.TokenEnv, " =") || strings.HasPrefix(g.TokenEnv, "ghp_") || strings.HasPrefix(g.TokenEnv, "github_pat_") {
			return fmt.Errorf("%d: token_env must name an environment variable, not hold a token", line)
		}
		if g.APIURL != "" && !strings.HasPrefix(g.APIURL, "https://") && !strings.HasPrefix(g.APIURL, "http://") {
			return fmt.Errorf("%d: api_url %q is not an http(s) URL", line, g.APIURL)
		}
		if names["github:"+g.Name] {
			return fmt.Errorf("%d: two [[github]] sources named %q", line, g.Name)
		}
		names["github:"+g.Name] = true
	}
	paths := map[string]bool{}
	for i := range c.Mbox {
		m := &c.Mbox[i]
		line := lineOf(text, "mbox", i)
		m.line = line
		if strings.TrimSpace(m.Path) == "" {
			return fmt.Errorf("%d: [[mbox]] needs a path", line)
		}
		m.Path = expandHome(m.Path)
		if paths[filepath.Clean(m.Path)] {
			return fmt.Errorf("%d: two [[mbox]] sources with path %q", line, m.Path)
		}
		paths[filepath.Clean(m.Path)] = true
		if m.Name != "" {
			if names["mbox:"+m.Name] {
				return fmt.Errorf("%d: two [[mbox]] sources named %q", line, m.Name)
			}
			names["mbox:"+m.Name] = true
		}
	}
	if err := c.validateICal(text, names); err != nil {
		return err
	}
	for i := range c.Discourse {
		d := &c.Discourse[i]
		line := lineOf(text, "discourse", i)
		d.line = line
		if msg := checkForumURL(d.URL); msg != "" {
			return fmt.Errorf("%d: [[discourse]] %s", line, msg)
		}
		d.URL = strings.TrimRight(d.URL, "/")
		if d.Name == "" {
			d.Name = d.URL
		}
		for _, env := range []string{d.APIKeyEnv, d.APIUsernameEnv} {
			if strings.ContainsAny(env, " =-./") || len(env) == 64 && strings.Trim(strings.ToLower(env), "0123456789abcdef") == "" {
				return fmt.Errorf("%d: api_key_env and api_username_env must name environment variables, not hold a key", line)
			}
		}
		if names["discourse:"+d.Name] {
			return fmt.Errorf("%d: two [[discourse]] sources named %q", line, d.Name)
		}
		names["discourse:"+d.Name] = true
	}
	if err := c.validateSlack(text, names); err != nil {
		return err
	}
	// The same compiler the connectors and the people merge use, so a
	// pattern accepted here is one they accept.
	if _, err := model.NewBotMatcher(c.Bots); err != nil {
		return fmt.Errorf("%d: %v", keyLine(text, toml.Key{"bots"}), err)
	}
	for org, domains := range c.Orgs {
		for _, d := range domains {
			if !strings.Contains(d, ".") || strings.ContainsAny(d, " @/") {
				return fmt.Errorf("%d: %q of org %q is not a domain", keyLine(text, toml.Key{"orgs", org}), d, org)
			}
		}
	}
	for i, p := range c.People {
		if len(p.Same) < 2 {
			return fmt.Errorf("%d: [[people]] same needs at least two accounts", lineOf(text, "people", i))
		}
	}
	f := c.Funnel
	for _, v := range []struct {
		key string
		n   int
	}{
		{"regular_months", f.RegularMonths}, {"window_months", f.WindowMonths}, {"core_reviews", f.CoreReviews},
		{"new_days", f.NewDays}, {"lapsed_days", f.LapsedDays}, {"topic_half_life_days", f.TopicHalfLifeDays},
		{"top_topics", f.TopTopics},
	} {
		if v.n < 0 {
			return fmt.Errorf("%d: funnel %s must not be negative", keyLine(text, toml.Key{"funnel", v.key}), v.key)
		}
	}
	if r := c.Rules(); r.RegularMonths > r.WindowMonths {
		return fmt.Errorf("%d: funnel regular_months (%d) exceeds window_months (%d)",
			keyLine(text, toml.Key{"funnel", "regular_months"}), r.RegularMonths, r.WindowMonths)
	}
	return nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// Rules are the funnel definitions: the defaults with the file's overrides.
func (c *Config) Rules() model.Rules {
	r := model.DefaultRules()
	f := c.Funnel
	day := 24 * time.Hour
	if f.RegularMonths > 0 {
		r.RegularMonths = f.RegularMonths
	}
	if f.WindowMonths > 0 {
		r.WindowMonths = f.WindowMonths
	}
	if f.CoreReviews > 0 {
		r.CoreStewardAct = f.CoreReviews
	}
	if f.NewDays > 0 {
		r.NewWithin = time.Duration(f.NewDays) * day
	}
	if f.LapsedDays > 0 {
		r.LapsedAfter = time.Duration(f.LapsedDays) * day
	}
	if f.TopicHalfLifeDays > 0 {
		r.TopicHalfLife = time.Duration(f.TopicHalfLifeDays) * day
	}
	if f.TopTopics > 0 {
		r.TopTopics = f.TopTopics
	}
	return r
}

// PeopleRules are the identity-merging rules for the store.
func (c *Config) PeopleRules() people.Rules {
	pr := people.Rules{Orgs: c.Orgs, Bots: c.Bots, DomainOrgs: c.DomainOrgs}
	for _, p := range c.People {
		pr.Same = append(pr.Same, p.Same)
	}
	return pr
}

// WriteExample writes the example configuration to path, creating its
// directory, and refuses to replace an existing file.
func WriteExample(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("config init: %s already exists; not overwriting it", path)
	}
	if err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	if _, err := f.WriteString(example); err != nil {
		f.Close()
		return fmt.Errorf("config init: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	return nil
}

// validateICal checks the [[ical]] feeds: a URL or a path, never both, and
// each feed once.
func (c *Config) validateICal(text string, names map[string]bool) error {
	for i := range c.ICal {
		f := &c.ICal[i]
		line := lineOf(text, "ical", i)
		f.line = line
		f.URL, f.Path = strings.TrimSpace(f.URL), strings.TrimSpace(f.Path)
		switch {
		case f.URL == "" && f.Path == "":
			return fmt.Errorf("%d: [[ical]] needs a url or a path", line)
		case f.URL != "" && f.Path != "":
			return fmt.Errorf("%d: [[ical]] has both a url and a path: keep one", line)
		case f.URL != "":
			lower := strings.ToLower(f.URL)
			if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "webcal://") {
				return fmt.Errorf("%d: [[ical]] url %q is not an http(s) or webcal URL", line, f.URL)
			}
		default:
			f.Path = expandHome(f.Path)
		}
		if f.Name == "" {
			f.Name = f.Target()
		}
		if names["ical:"+f.Name] {
			return fmt.Errorf("%d: two [[ical]] feeds named %q", line, f.Name)
		}
		names["ical:"+f.Name] = true
	}
	return nil
}

// checkMe accepts what hearth questions triage --assign takes: an
// @handle, an e-mail address or a member id; "" means not set.
func checkMe(me string) error {
	me = strings.TrimSpace(me)
	switch {
	case me == "":
		return nil
	case strings.ContainsAny(me, " \t\n"):
	case strings.HasPrefix(me, "@") && len(me) > 1:
		return nil
	case strings.Contains(me, "@") && !strings.HasPrefix(me, "@") && !strings.HasSuffix(me, "@"):
		return nil
	case strings.Trim(me, "0123456789") == "":
		return nil
	}
	return fmt.Errorf("%q is not an @handle, an e-mail address or a member id", me)
}
