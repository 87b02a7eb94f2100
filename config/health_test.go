package config

import (
	"strings"
	"testing"
)

func TestHealthExcludeStaff(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", true},
		{"[health]\n", true},
		{"[health]\nexclude_staff = false\n", false},
		{"[health]\nexclude_staff = true\n", true},
	} {
		c, err := Parse("t.toml", tc.text)
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		if got := c.ExcludeStaff(); got != tc.want {
			t.Errorf("%q: exclude staff %v, want %v", tc.text, got, tc.want)
		}
	}
	_, err := Parse("t.toml", "[health]\nexclude_staff = \"yes\"\n")
	if err == nil || !strings.Contains(err.Error(), "t.toml:2") {
		t.Errorf("a string for a bool: %v", err)
	}
}
