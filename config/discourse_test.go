package config

import (
	"context"
	"strings"
	"testing"
)

func TestDiscourseSection(t *testing.T) {
	c, err := Parse("c.toml", "[[discourse]]\nurl = \"https://forum.example.org/\"\napi_key_env = \"FORUM_KEY\"\n"+
		"api_username_env = \"FORUM_USER\"\nquestion_categories = [\"Support\"]\nprofiles = true\n\n"+
		"[[discourse]]\nname = \"meta\"\nurl = \"http://meta.example.org/community\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Discourse) != 2 {
		t.Fatalf("discourse %+v", c.Discourse)
	}
	d := c.Discourse[0]
	if d.URL != "https://forum.example.org" || d.Name != d.URL || d.APIKeyEnv != "FORUM_KEY" || d.APIUsernameEnv != "FORUM_USER" ||
		len(d.QuestionCategories) != 1 || !d.Profiles || d.line != 1 {
		t.Errorf("first %+v", d)
	}
	if c.Discourse[1].Name != "meta" || c.Discourse[1].line != 8 {
		t.Errorf("second %+v", c.Discourse[1])
	}
	if probs := c.Check(context.Background()); len(probs) != 0 {
		t.Errorf("check: %v", probs)
	}

	key := strings.Repeat("0f", 32)
	for text, want := range map[string]string{
		"[[discourse]]\nname = \"x\"\n":                                                             "c.toml:1: [[discourse]] needs a url",
		"[[discourse]]\nurl = \"forum.example.org\"\n":                                              "c.toml:1: [[discourse]] url \"forum.example.org\" is not a forum's http(s) address",
		"[[discourse]]\nurl = \"ftp://f.example\"\n":                                                "is not a forum's http(s) address",
		"[[discourse]]\nurl = \"https://f.example\"\napi_key_env = \"" + key + "\"\n":               "c.toml:1: api_key_env and api_username_env must name environment variables",
		"[[discourse]]\nurl = \"https://f.example\"\napi_username_env = \"a b\"\n":                  "must name environment variables",
		"[[discourse]]\nurl = \"https://a.example\"\n[[discourse]]\nurl = \"https://a.example/\"\n": "c.toml:3: two [[discourse]] sources named \"https://a.example\"",
		"[[discourse]]\nurl = \"https://a.example\"\napi_key = \"k\"\n":                             "unknown key",
	} {
		if _, err := Parse("c.toml", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
	if _, err := Parse("example.toml", Example()); err != nil {
		t.Errorf("the example configuration: %v", err)
	}
	if !strings.Contains(Example(), "# [[discourse]]") {
		t.Error("the example configuration shows no [[discourse]] section")
	}
}
