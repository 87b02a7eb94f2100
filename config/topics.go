package config

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"

	"hearth/model"
)

// validateTopics checks the [topics] section: each topic a name and a
// list of patterns model.CheckTopicPattern accepts. Names are lower-cased,
// since queries ignore case.
func (c *Config) validateTopics(text string) error {
	if len(c.Topics) == 0 {
		return nil
	}
	topics := make(map[string][]string, len(c.Topics))
	for name, patterns := range c.Topics {
		line := keyLine(text, toml.Key{"topics", name})
		key := strings.ToLower(strings.TrimSpace(name))
		if key == "" || strings.ContainsAny(key, " /:") {
			return fmt.Errorf("%d: topic %q: a topic's name is one word", line, name)
		}
		if _, dup := topics[key]; dup {
			return fmt.Errorf("%d: topic %q is named twice", line, name)
		}
		if len(patterns) == 0 {
			return fmt.Errorf("%d: topic %q lists no paths, labels or categories", line, name)
		}
		for _, p := range patterns {
			if err := model.CheckTopicPattern(p); err != nil {
				return fmt.Errorf("%d: topic %q: %v", line, name, err)
			}
		}
		topics[key] = patterns
	}
	c.Topics = topics
	return nil
}

// TopicMap is the [topics] section for queries; nil without one.
func (c *Config) TopicMap() model.TopicMap { return model.TopicMap(c.Topics) }
