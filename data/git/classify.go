package git

import (
	"fmt"
	"path"
	"strings"
)

// TopicRule maps the paths a commit touches to a topic. Pattern is one of:
//
//   - "dir/" (ends with a slash): a directory of that name at any depth, or a
//     directory path such as ".github/workflows/";
//   - a glob containing *, ? or [ : matched against the file's base name,
//     e.g. "*.md" or "*_test.go";
//   - a plain name: a directory or file of that name at any depth, or a file
//     whose name before the first dot is that name ("auth" matches auth.go).
//
// Rules are tried in order and the first match wins, so put narrow rules
// before broad ones.
type TopicRule struct {
	Pattern string
	Topic   string
}

// DocsTopic is the topic of documentation paths; a commit that touches only
// such paths is a doc change rather than a code commit.
const DocsTopic = "docs"

// DefaultTopics returns the rules used when Options.Topics is nil. The list
// is a fresh copy: callers may append their own rules to it.
func DefaultTopics() []TopicRule {
	var rules []TopicRule
	add := func(topic string, patterns ...string) {
		for _, p := range patterns {
			rules = append(rules, TopicRule{Pattern: p, Topic: topic})
		}
	}
	add(DocsTopic, "docs/", "doc/", "Documentation/", "*.md", "*.markdown", "*.rst", "*.adoc", "README")
	add("ci", ".github/", ".ci/", "ci/", ".circleci/", ".gitlab-ci.yml", ".travis.yml", "Jenkinsfile", "azure-pipelines.yml")
	add("networking", "net", "network", "networking")
	add("storage", "storage", "fs", "db", "database")
	add("security", "security", "crypto", "auth", "authn", "authz")
	add("ui", "ui", "web", "frontend")
	add("api", "api")
	add("testing", "test/", "tests/", "testdata/", "__tests__/", "*_test.go", "test_*.py", "*_test.py", "*.test.js", "*.test.ts", "*.spec.js", "*.spec.ts")
	return rules
}

// isContainerDir reports whether a directory holds code without naming an
// area; the fallback topic is the first directory below such directories.
func isContainerDir(dir string) bool {
	switch dir {
	case "src", "lib", "pkg", "internal", "cmd":
		return true
	}
	return false
}

type ruleKind uint8

const (
	ruleDir    ruleKind = iota // "dir/"
	ruleSuffix                 // "*.md": a glob that is only a suffix
	ruleGlob                   // any other glob, on the base name
	ruleName                   // a plain name
)

type topicRule struct {
	kind  ruleKind
	s     string // the directory with its slash, the suffix, the glob or the name
	topic string
}

// topicMatcher derives topics from paths. It remembers the answer per path:
// a repository touches the same files again and again.
type topicMatcher struct {
	rules []topicRule
	cache map[string]string
}

func newTopicMatcher(rules []TopicRule) (*topicMatcher, error) {
	m := &topicMatcher{cache: make(map[string]string, 1024)}
	for _, r := range rules {
		p, topic := r.Pattern, strings.TrimSpace(r.Topic)
		if p == "" || topic == "" {
			return nil, fmt.Errorf("topic rule %q → %q: pattern and topic are required", r.Pattern, r.Topic)
		}
		cr := topicRule{s: p, topic: topic}
		switch {
		case strings.HasSuffix(p, "/"):
			cr.kind = ruleDir
			cr.s = strings.TrimPrefix(p, "/")
		case strings.ContainsAny(p, "*?["):
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("topic rule %q: %w", p, err)
			}
			cr.kind = ruleGlob
			if strings.HasPrefix(p, "*") && !strings.ContainsAny(p[1:], "*?[\\") {
				cr.kind, cr.s = ruleSuffix, p[1:]
			}
		default:
			cr.kind = ruleName
		}
		m.rules = append(m.rules, cr)
	}
	return m, nil
}

// topic returns the topic of one path, "" when it has none (a file at the
// root of the repository that no rule names: a file name is not an area).
func (m *topicMatcher) topic(p []byte) string {
	if t, ok := m.cache[string(p)]; ok {
		return t
	}
	s := string(p)
	t := m.match(s)
	m.cache[s] = t
	return t
}

func (m *topicMatcher) match(p string) string {
	base := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
	}
	for _, r := range m.rules {
		var ok bool
		switch r.kind {
		case ruleDir:
			ok = strings.HasPrefix(p, r.s) || strings.Contains(p, "/"+r.s)
		case ruleSuffix:
			ok = strings.HasSuffix(base, r.s)
		case ruleGlob:
			ok, _ = path.Match(r.s, base)
		case ruleName:
			ok = hasComponent(p, r.s) || stem(base) == r.s
		}
		if ok {
			return r.topic
		}
	}
	// Fallback: the first directory, skipping the ones that only hold code.
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return ""
		}
		if dir := p[:i]; !isContainerDir(dir) {
			return dir
		}
		p = p[i+1:]
	}
}

// hasComponent reports whether name is one of the slash-separated parts of p.
func hasComponent(p, name string) bool {
	for {
		i := strings.Index(p, name)
		if i < 0 {
			return false
		}
		end := i + len(name)
		if (i == 0 || p[i-1] == '/') && (end == len(p) || p[end] == '/') {
			return true
		}
		p = p[i+1:]
	}
}

func stem(base string) string {
	if i := strings.IndexByte(base, '.'); i > 0 {
		return base[:i]
	}
	return base
}
