package ui

import (
	"testing"

	"hearth/data/demo/demotest"
	"hearth/data/store"
)

// The real store is what the program runs on.
var _ Store = (*store.Store)(nil)

// demoStore opens a new database holding the deterministic demo community.
func demoStore(t testing.TB, members int) *store.Store {
	t.Helper()
	return demotest.Fresh(t, members, testNow)
}
