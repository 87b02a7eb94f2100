package model

import (
	"slices"
	"testing"
)

func TestTopicMapExpand(t *testing.T) {
	m := TopicMap{"storage": {"engine/**", "label:Storage", "category:Storage", "docs/storage.md"}}
	paths, words := m.Expand([]string{"Storage", "tls"})
	if !slices.Equal(paths, []string{"engine/", "docs/storage.md"}) {
		t.Errorf("paths = %q", paths)
	}
	if !slices.Equal(words, []string{"storage", "tls"}) {
		t.Errorf("words = %q", words)
	}
}

func TestCheckTopicPattern(t *testing.T) {
	for p, ok := range map[string]bool{
		"engine/**": true, "engine/": true, "src/x.c": true, "label:bug": true, "category:Help": true,
		"label:": false, "colour:red": false, "a/*/b": false, "/": false,
	} {
		if err := CheckTopicPattern(p); (err == nil) != ok {
			t.Errorf("CheckTopicPattern(%q) = %v", p, err)
		}
	}
}

func TestQueryWords(t *testing.T) {
	words, paths := QueryWords([]string{"who knows the", "Compaction, src/wal.c?"})
	if !slices.Equal(words, []string{"compaction"}) || !slices.Equal(paths, []string{"src/wal.c"}) {
		t.Fatalf("words %q paths %q", words, paths)
	}
	if words, paths := QueryWords([]string{"the", "of a"}); len(words)+len(paths) != 0 {
		t.Fatalf("stop-words gave %q %q", words, paths)
	}
}

func TestClosest(t *testing.T) {
	names := []string{"storage", "networking", "security", "api", "store"}
	if got := Closest("storag", names, 2); !slices.Equal(got, []string{"storage", "store"}) {
		t.Fatalf("Closest = %q", got)
	}
	if got := Closest("zzzzzz", names, 3); len(got) != 0 {
		t.Fatalf("Closest of nonsense = %q", got)
	}
}
