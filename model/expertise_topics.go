package model

import (
	"fmt"
	"slices"
	"strings"
)

// Topics name areas across sources: the config maps a topic to path
// patterns, labels and categories (`storage = ["engine/**",
// "label:storage", "category:Storage"]`), and a query for the topic asks
// for all of them. Without a mapping, a word is matched as it is: against
// labels, categories and tags, and against the names of directories and
// files.

// TopicMap maps a topic's name (lower case) to its patterns.
type TopicMap map[string][]string

// CheckTopicPattern says what is wrong with one pattern of a topic, or nil:
// "dir/**", "dir/" or "dir/*" (everything under a directory), a file path,
// "label:NAME" or "category:NAME".
func CheckTopicPattern(p string) error {
	kind, name, ok := strings.Cut(p, ":")
	if ok && (kind == "label" || kind == "category" || kind == "tag") {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("%q names no %s", p, kind)
		}
		return nil
	}
	if ok {
		return fmt.Errorf("%q: unknown kind %q (use label:, category:, tag: or a path)", p, kind)
	}
	if cleanPath(topicPath(p)) == "" {
		return fmt.Errorf("%q is not a path", p)
	}
	if strings.ContainsAny(strings.TrimSuffix(strings.TrimSuffix(p, "**"), "*"), "*?[") {
		return fmt.Errorf("%q: only a trailing /** or /* is understood", p)
	}
	return nil
}

// topicPath turns "engine/**" and "engine/*" into the directory "engine/".
func topicPath(p string) string {
	p = strings.TrimSpace(p)
	for _, suffix := range []string{"/**", "/*"} {
		if d, ok := strings.CutSuffix(p, suffix); ok {
			return d + "/"
		}
	}
	return p
}

// Expand turns a query's words into the paths and words to ask for: a
// word naming a mapped topic becomes its patterns (and stays a word, so
// labels of that name still count); other words stay as they are.
func (m TopicMap) Expand(words []string) (paths, out []string) {
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		out = append(out, w)
		for _, p := range m[w] {
			if kind, name, ok := strings.Cut(p, ":"); ok && (kind == "label" || kind == "category" || kind == "tag") {
				out = append(out, strings.ToLower(strings.TrimSpace(name)))
				continue
			}
			paths = append(paths, topicPath(p))
		}
	}
	slices.Sort(out)
	return paths, slices.Compact(out)
}

// Names lists the mapped topics, sorted.
func (m TopicMap) Names() []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// stopWords are words a query may hold that name no area.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "in": true, "on": true,
	"to": true, "for": true, "with": true, "about": true, "is": true, "are": true, "who": true,
	"knows": true, "know": true, "what": true, "how": true, "does": true, "do": true, "can": true,
	"me": true, "i": true, "it": true, "at": true, "by": true, "from": true,
}

// QueryWords splits a typed query into its words, lower-cased, without
// stop-words and punctuation around them; a word holding a slash is a
// path and comes back in paths instead.
func QueryWords(args []string) (words, paths []string) {
	for _, a := range args {
		for _, f := range strings.Fields(a) {
			if strings.Contains(f, "/") {
				paths = append(paths, strings.TrimRight(f, ",;:!?\"')"))
				continue
			}
			f = strings.ToLower(strings.Trim(f, ".,;:!?\"'()[]{}"))
			if f == "" || stopWords[f] {
				continue
			}
			words = append(words, f)
		}
	}
	return words, paths
}

// Closest returns up to n of names closest to word by edit distance, for
// a hint when a query finds nothing; names further than half the word's
// length are left out.
func Closest(word string, names []string, n int) []string {
	word = strings.ToLower(word)
	type scored struct {
		name string
		d    int
	}
	var out []scored
	for _, name := range names {
		d := editDistance(word, strings.ToLower(name))
		if strings.HasPrefix(strings.ToLower(name), word) || strings.HasPrefix(word, strings.ToLower(name)) {
			d = min(d, 1)
		}
		if d <= max(1, len(word)/2) {
			out = append(out, scored{name, d})
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	var names2 []string
	for _, s := range out {
		if len(names2) == n {
			break
		}
		if !slices.Contains(names2, s.name) {
			names2 = append(names2, s.name)
		}
	}
	return names2
}

// editDistance is the Levenshtein distance between a and b, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
