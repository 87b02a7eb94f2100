package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"hearth/model"
)

// Problem is one thing wrong with a configuration, where the file says it.
type Problem struct {
	File string // "" when the configuration was not read from a file
	Line int    // 0 when unknown
	Msg  string
}

func (p Problem) String() string {
	switch {
	case p.File != "" && p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	case p.File != "":
		return p.File + ": " + p.Msg
	}
	return p.Msg
}

// Check looks past what Parse can see in the text: every git path must be
// a git repository (a working tree, a directory inside one, or a bare
// clone) and every GitHub repository must be owner/name with the
// characters GitHub allows; every mbox path must be a readable file or
// directory; every Discourse url an http(s) address; every Slack export a
// zip file or a directory holding channels.json. It returns one problem
// per fault, in the file's order; none when all is well.
func (c *Config) Check(ctx context.Context) []Problem {
	var out []Problem
	add := func(line int, format string, args ...any) {
		out = append(out, Problem{File: c.Path, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	for _, g := range c.Git {
		if msg := checkGitPath(ctx, g.Path); msg != "" {
			add(g.line, "[[git]] %s", msg)
		}
	}
	for _, g := range c.GitHub {
		if err := CheckRepo(g.Repo); err != nil {
			add(g.line, "[[github]] %v", err)
		}
	}
	for _, m := range c.Mbox {
		if msg := checkMboxPath(m.Path); msg != "" {
			add(m.line, "[[mbox]] %s", msg)
		}
	}
	for _, f := range c.ICal {
		if f.Path == "" {
			continue
		}
		if msg := checkMboxPath(f.Path); msg != "" {
			add(f.line, "[[ical]] %s", msg)
		} else if fi, err := os.Stat(f.Path); err == nil && fi.IsDir() {
			add(f.line, "[[ical]] path %s is a directory, not an .ics file", f.Path)
		}
	}
	for _, d := range c.Discourse {
		if msg := checkForumURL(d.URL); msg != "" {
			add(d.line, "[[discourse]] %s", msg)
		}
	}
	for _, sl := range c.Slack {
		if msg := checkSlackPath(sl.Path); msg != "" {
			add(sl.line, "[[slack]] %s", msg)
		}
	}
	return out
}

// checkForumURL returns what is wrong with u as a Discourse forum's
// address, "" when nothing is.
func checkForumURL(u string) string {
	if strings.TrimSpace(u) == "" {
		return "needs a url (the forum's address, e.g. https://forum.example.org)"
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" {
		return fmt.Sprintf("url %q is not a forum's http(s) address, e.g. https://forum.example.org", u)
	}
	return ""
}

// checkMboxPath returns what is wrong with path as a mailing-list archive,
// "" when nothing is: it must be a readable file or directory.
func checkMboxPath(path string) string {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("path %s does not exist", path)
	case err != nil:
		return fmt.Sprintf("path %s: %v", path, errors.Unwrap(err))
	case !fi.IsDir() && !fi.Mode().IsRegular():
		return fmt.Sprintf("path %s is neither a file nor a directory", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("path %s: %v", path, errors.Unwrap(err))
	}
	f.Close()
	return ""
}

// checkGitPath returns what is wrong with path as a git source, "" when
// nothing is. It asks git itself when git is installed, so a path passes
// exactly when the git connector can read it.
func checkGitPath(ctx context.Context, path string) string {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("path %s does not exist", path)
	case err != nil:
		return fmt.Sprintf("path %s: %v", path, errors.Unwrap(err))
	case !fi.IsDir():
		return fmt.Sprintf("path %s is not a directory", path)
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		if looksLikeRepo(path) {
			return ""
		}
		return fmt.Sprintf("path %s is not a git repository", path)
	}
	cmd := exec.CommandContext(ctx, gitPath, "-C", path, "rev-parse", "--git-dir")
	cmd.Env = gitEnv()
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	why := strings.TrimPrefix(model.CleanLine(model.FirstLine(strings.TrimSpace(string(out)))), "fatal: ")
	if why == "" || strings.HasPrefix(why, "not a git repository") {
		return fmt.Sprintf("path %s is not a git repository", path)
	}
	return fmt.Sprintf("path %s: %s", path, why)
}

// looksLikeRepo is the check without git: a bare repository (HEAD and
// objects/) or a working tree (.git, a directory or a "gitdir:" file).
func looksLikeRepo(path string) bool {
	bare := func(dir string) bool {
		head, err1 := os.Stat(filepath.Join(dir, "HEAD"))
		objects, err2 := os.Stat(filepath.Join(dir, "objects"))
		return err1 == nil && err2 == nil && head.Mode().IsRegular() && objects.IsDir()
	}
	if bare(path) || bare(filepath.Join(path, ".git")) {
		return true
	}
	b, err := os.ReadFile(filepath.Join(path, ".git"))
	return err == nil && strings.HasPrefix(string(b), "gitdir:")
}

// gitEnv is the environment without the variables that would point git at
// another repository than the path being checked.
func gitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
			"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
}

// CheckRepo reports whether repo names a GitHub repository as owner/name:
// an owner of up to 39 letters, digits, hyphens and underscores (the
// underscore for Enterprise managed users) not starting or ending with a
// hyphen, and a name of up to 100 letters, digits, dots, hyphens and
// underscores other than "." and "..". The error says what is wrong.
func CheckRepo(repo string) error {
	bad := func(why string) error {
		return fmt.Errorf("repo %q is not owner/name: %s", repo, why)
	}
	if strings.Contains(repo, "://") || strings.HasPrefix(repo, "github.com/") || strings.HasPrefix(repo, "git@") {
		return bad("give owner/name, not a URL")
	}
	owner, name, ok := strings.Cut(repo, "/")
	switch {
	case !ok:
		return bad("no slash")
	case owner == "":
		return bad("empty owner")
	case name == "":
		return bad("empty name")
	case strings.Contains(name, "/"):
		return bad("more than one slash")
	case len(owner) > 39:
		return bad("owner longer than 39 characters")
	case owner[0] == '-' || owner[len(owner)-1] == '-':
		return bad("owner starts or ends with a hyphen")
	case len(name) > 100:
		return bad("name longer than 100 characters")
	case name == "." || name == "..":
		return bad("name " + name)
	case strings.HasSuffix(strings.ToLower(name), ".git"):
		return bad("drop the .git")
	}
	for _, r := range owner {
		if !isAlnum(r) && r != '-' && r != '_' {
			return bad(fmt.Sprintf("character %q not allowed in an owner", r))
		}
	}
	for _, r := range name {
		if !isAlnum(r) && r != '-' && r != '_' && r != '.' {
			return bad(fmt.Sprintf("character %q not allowed in a name", r))
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
