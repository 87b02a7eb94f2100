package store

import (
	"hash/fnv"
	"testing"
)

func TestActivityKey(t *testing.T) {
	for _, c := range [][2]string{{"git", "0123abcd"}, {"github", "kestrel-db/kestrel#12"}, {"", ""}, {"mail", "<a@b>"}} {
		h := fnv.New64a()
		h.Write([]byte(c[0] + "\x00" + c[1]))
		if got, want := ActivityKey(c[0], c[1]), int64(h.Sum64()); got != want {
			t.Errorf("ActivityKey(%q, %q) = %d, want FNV-1a %d", c[0], c[1], got, want)
		}
	}
	if ActivityKey("ab", "c") == ActivityKey("a", "bc") {
		t.Error("the separator does not separate")
	}
}
