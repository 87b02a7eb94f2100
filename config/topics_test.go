package config

import (
	"slices"
	"strings"
	"testing"
)

func TestTopics(t *testing.T) {
	c, err := Parse("c.toml", "[topics]\nStorage = [\"engine/**\", \"label:storage\", \"category:Storage\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	paths, words := c.TopicMap().Expand([]string{"storage"})
	if !slices.Equal(paths, []string{"engine/"}) || !slices.Equal(words, []string{"storage"}) {
		t.Fatalf("storage expands to %q %q", paths, words)
	}
	for text, want := range map[string]string{
		"[topics]\nstorage = []\n":               "c.toml:2: topic \"storage\" lists no",
		"[topics]\nstorage = [\"colour:red\"]\n": "c.toml:2: topic \"storage\": \"colour:red\": unknown kind",
		"[topics]\nstorage = [\"a/*/b\"]\n":      "c.toml:2: topic \"storage\": \"a/*/b\": only a trailing",
		"[topics]\nstorage = \"engine/**\"\n":    "c.toml:2",
	} {
		_, err := Parse("c.toml", text)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %s…", text, err, want)
		}
	}
}
