package backend

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"hearth/config"
	"hearth/data/connector"
	"hearth/data/discourse"
	"hearth/data/git"
	"hearth/data/github"
	"hearth/data/ical"
	"hearth/data/mbox"
	"hearth/data/slack"
)

// Kind is one kind of source hearth syncs. Kinds are listed once, in
// Kinds; the command line, the TUI and the config check all go through it,
// so a new connector is added in one place.
type Kind struct {
	// Name is the word after `hearth sync` and the config file's section
	// ([[git]], [[github]]).
	Name string
	// Target is what a command line names for one source ("PATH").
	Target string
	// Help is one line for usage texts.
	Help string
	// configured lists the config file's sources of this kind.
	configured func(cfg *config.Config) []Configured
	// fromTarget builds a source from a command-line target.
	fromTarget func(ctx context.Context, e Env, cfg *config.Config, target string, opt TargetOptions) (connector.Source, error)
}

// Configured is one source of the config file, not yet built.
type Configured struct {
	Kind   string // Kind.Name
	Name   string // the config's name for it; the target when it gives none
	Target string // path, owner/name, URL…
	build  func(ctx context.Context, e Env, cfg *config.Config) (connector.Source, error)
}

// TargetOptions are the command-line settings for sources named on the
// command line rather than in the config file.
type TargetOptions struct {
	// APIURL is the GitHub API root (GitHub Enterprise); "" for github.com.
	APIURL string
}

// Kinds lists every kind of source, in the order syncs run them.
func Kinds() []Kind {
	return []Kind{
		{
			Name: "git", Target: "PATH", Help: "local git repositories (working tree or bare)",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, g := range cfg.Git {
					out = append(out, Configured{Kind: "git", Name: nameOr(g.Name, g.Path), Target: g.Path,
						build: func(_ context.Context, _ Env, cfg *config.Config) (connector.Source, error) {
							return newGit(g.Path, gitOptions(cfg, g))
						}})
				}
				return out
			},
			fromTarget: func(_ context.Context, _ Env, cfg *config.Config, target string, _ TargetOptions) (connector.Source, error) {
				return newGit(target, gitOptions(cfg, config.Git{Path: target}))
			},
		},
		{
			Name: "github", Target: "OWNER/REPO", Help: "GitHub repositories: issues, pull requests, reviews, discussions",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, g := range cfg.GitHub {
					out = append(out, Configured{Kind: "github", Name: nameOr(g.Name, g.Repo), Target: g.Repo,
						build: func(ctx context.Context, e Env, cfg *config.Config) (connector.Source, error) {
							return e.githubSource(ctx, cfg, g)
						}})
				}
				return out
			},
			fromTarget: func(ctx context.Context, e Env, cfg *config.Config, target string, opt TargetOptions) (connector.Source, error) {
				return e.githubSource(ctx, cfg, config.GitHub{Repo: target, APIURL: opt.APIURL, TokenEnv: config.DefaultTokenEnv})
			},
		},
		{
			Name: "mbox", Target: "PATH", Help: "mailing-list archives: mbox files, directories of them, pipermail .txt.gz months",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, m := range cfg.Mbox {
					out = append(out, Configured{Kind: "mbox", Name: nameOr(m.Name, m.Path), Target: m.Path,
						build: func(_ context.Context, _ Env, cfg *config.Config) (connector.Source, error) {
							return newMbox(m.Path, mbox.Options{ListName: m.Name, Bots: cfg.Bots})
						}})
				}
				return out
			},
			fromTarget: func(_ context.Context, _ Env, cfg *config.Config, target string, _ TargetOptions) (connector.Source, error) {
				return newMbox(target, mbox.Options{Bots: cfg.Bots})
			},
		},
		{
			Name: "ical", Target: "URL|FILE", Help: "iCalendar feeds of events: https or webcal URLs, .ics files",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, f := range cfg.ICal {
					out = append(out, Configured{Kind: "ical", Name: nameOr(f.Name, f.Target()), Target: f.Target(),
						build: func(_ context.Context, e Env, cfg *config.Config) (connector.Source, error) {
							return newICal(f.Target(), ical.Options{Name: f.Name, Zone: cfg.Zone(), Now: e.Now})
						}})
				}
				return out
			},
			fromTarget: func(_ context.Context, e Env, cfg *config.Config, target string, _ TargetOptions) (connector.Source, error) {
				return newICal(target, ical.Options{Zone: cfg.Zone(), Now: e.Now})
			},
		},
		{
			Name: "discourse", Target: "URL", Help: "Discourse forums: topics, replies, solutions, help questions",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, d := range cfg.Discourse {
					out = append(out, Configured{Kind: "discourse", Name: nameOr(d.Name, d.URL), Target: d.URL,
						build: func(_ context.Context, e Env, cfg *config.Config) (connector.Source, error) {
							return e.discourseSource(cfg, d)
						}})
				}
				return out
			},
			fromTarget: func(_ context.Context, e Env, cfg *config.Config, target string, _ TargetOptions) (connector.Source, error) {
				return e.discourseSource(cfg, config.Discourse{URL: target})
			},
		},
		{
			Name: "slack", Target: "EXPORT", Help: "Slack workspace exports: the .zip or its unzipped directory",
			configured: func(cfg *config.Config) []Configured {
				var out []Configured
				for _, sl := range cfg.Slack {
					out = append(out, Configured{Kind: "slack", Name: nameOr(sl.Name, sl.Path), Target: sl.Path,
						build: func(_ context.Context, _ Env, cfg *config.Config) (connector.Source, error) {
							return newSlack(sl.Path, slack.Options{URL: sl.URL, HelpChannels: sl.HelpChannels, Private: sl.Private, Bots: cfg.Bots})
						}})
				}
				return out
			},
			fromTarget: func(_ context.Context, _ Env, cfg *config.Config, target string, _ TargetOptions) (connector.Source, error) {
				return newSlack(target, slack.Options{Bots: cfg.Bots})
			},
		},
	}
}

// LookupKind returns the kind called name.
func LookupKind(name string) (Kind, bool) {
	for _, k := range Kinds() {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// ConfiguredSources lists the config file's sources of every kind.
func ConfiguredSources(cfg *config.Config) []Configured {
	var out []Configured
	for _, k := range Kinds() {
		out = append(out, k.configured(cfg)...)
	}
	return out
}

func nameOr(name, target string) string {
	if name != "" {
		return name
	}
	return target
}

// Sources builds the config file's sources: all of them, or those whose
// name or target is in names. An unknown name, or a config with no
// sources, is a UsageError.
func (e Env) Sources(ctx context.Context, cfg *config.Config, names []string) ([]connector.Source, error) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	used := map[string]bool{}
	var out []connector.Source
	for _, c := range ConfiguredSources(cfg) {
		if len(want) > 0 {
			hit := false
			for _, n := range []string{c.Name, c.Target} {
				if want[n] {
					used[n], hit = true, true
				}
			}
			if !hit {
				continue
			}
		}
		src, err := c.build(ctx, e, cfg)
		if err != nil {
			return nil, fmt.Errorf("sync %s %s: %w", c.Kind, c.Name, err)
		}
		out = append(out, src)
	}
	for _, n := range names {
		if !used[n] {
			return nil, usageErrorf("sync: no source named %q in %s", n, configName(cfg))
		}
	}
	if len(out) == 0 {
		return nil, usageErrorf("sync: nothing to sync: %s lists no sources (try hearth config init, or hearth sync git PATH)", configName(cfg))
	}
	return out, nil
}

// TargetSources builds sources of one kind named on the command line
// (`hearth sync git PATH...`); the config file still gives the rules
// (bots).
func (e Env) TargetSources(ctx context.Context, cfg *config.Config, kind string, targets []string, opt TargetOptions) ([]connector.Source, error) {
	k, ok := LookupKind(kind)
	if !ok {
		return nil, usageErrorf("sync: unknown kind of source %q", kind)
	}
	if len(targets) == 0 {
		return nil, usageErrorf("sync %s: name at least one %s", k.Name, k.Target)
	}
	var out []connector.Source
	for _, t := range targets {
		src, err := k.fromTarget(ctx, e, cfg, t, opt)
		if err != nil {
			return nil, fmt.Errorf("sync %s %s: %w", k.Name, t, err)
		}
		out = append(out, src)
	}
	return out, nil
}

func configName(cfg *config.Config) string {
	if cfg.Path == "" {
		return "the config file (there is none)"
	}
	return cfg.Path
}

func gitOptions(cfg *config.Config, g config.Git) git.Options {
	return git.Options{Branch: g.Branch, DisplayName: g.Name, Bots: cfg.Bots}
}

// newGit returns the git connector as a connector.Source (a nil *git.Source
// must not become a non-nil interface).
func newGit(path string, opts git.Options) (connector.Source, error) {
	src, err := git.New(path, opts)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// newMbox returns the mailing-list connector as a connector.Source.
func newMbox(path string, opts mbox.Options) (connector.Source, error) {
	src, err := mbox.New(path, opts)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// newICal returns the iCalendar connector as a connector.Source.
func newICal(target string, opts ical.Options) (connector.Source, error) {
	src, err := ical.New(target, opts)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// githubSource builds the GitHub connector of g.
func (e Env) githubSource(ctx context.Context, cfg *config.Config, g config.GitHub) (connector.Source, error) {
	return NewGitHub(g.Repo, github.Options{
		APIURL:         g.APIURL,
		Token:          e.githubToken(ctx, g.TokenEnv),
		QuestionLabels: g.QuestionLabels,
		BotPatterns:    cfg.Bots,
		Now:            e.Now,
		Zone:           cfg.Zone(),
	}, cfg.Zone())
}

// githubToken finds a token without ever reading one from a file: the
// variable the config names, then GITHUB_TOKEN, then the gh CLI's login.
// Empty means anonymous.
func (e Env) githubToken(ctx context.Context, env string) string {
	for _, name := range []string{env, config.DefaultTokenEnv} {
		if name == "" {
			continue
		}
		if t := strings.TrimSpace(e.Getenv(name)); t != "" {
			return t
		}
	}
	gh, err := exec.LookPath("gh")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, gh, "auth", "token").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// discourseSource builds the Discourse connector of d; its API key and
// username come from the environment variables the config names.
func (e Env) discourseSource(cfg *config.Config, d config.Discourse) (connector.Source, error) {
	env := func(name string) string {
		if name == "" {
			return ""
		}
		return strings.TrimSpace(e.Getenv(name))
	}
	return NewDiscourse(d.URL, discourse.Options{
		APIKey:             env(d.APIKeyEnv),
		APIUsername:        env(d.APIUsernameEnv),
		QuestionCategories: d.QuestionCategories,
		Profiles:           d.Profiles,
		BotPatterns:        cfg.Bots,
		Now:                e.Now,
		Zone:               cfg.Zone(),
	}, cfg.Zone())
}

// newSlack returns the Slack export connector as a connector.Source.
func newSlack(path string, opts slack.Options) (connector.Source, error) {
	src, err := slack.New(path, opts)
	if err != nil {
		return nil, err
	}
	return src, nil
}
