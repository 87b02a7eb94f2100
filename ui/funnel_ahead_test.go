package ui

import (
	"reflect"
	"testing"

	"hearth/model"
)

// The local program computes every window's overview once the first is
// shown, so p switches at once; each is what a computation of that
// window alone gives. After the input is read again (a sync), an overview
// of the old input arriving late is dropped.
func TestFunnelWindowsComputedAhead(t *testing.T) {
	m := newTestModel(t, demoStore(t, 200), 100, 30)
	press(t, m, "2")
	f := m.funnel
	if len(f.ahead.done) != len(model.Windows) || f.ahead.running {
		t.Fatalf("%d windows computed ahead (running %v), want %d", len(f.ahead.done), f.ahead.running, len(model.Windows))
	}
	for range model.Windows {
		_, cmd := m.Update(keyMsg("p"))
		if cmd != nil || f.computing {
			t.Fatalf("window %v was computed again on p", f.window)
		}
		alone := computeOverview(f.in, testNow, f.window, f.options)
		if f.health != f.ahead.done[f.window].health || !reflect.DeepEqual(f.health, alone.health) {
			t.Fatalf("window %v: not the overview computed alone", f.window)
		}
	}

	late := f.ahead.done[f.window]
	f.Init() // the program reads the input again, as after a sync
	f.Update(loadedMsg{Tab: tabFunnel, Payload: late})
	if len(f.ahead.done) != 0 || !f.ahead.running {
		t.Fatalf("an overview of the old input was kept: %d windows, running %v", len(f.ahead.done), f.ahead.running)
	}
}
