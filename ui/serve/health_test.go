package serve

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"hearth/data/store"
	"hearth/model"
	"hearth/ui"
)

// healthHeader is the Funnel tab's first line for a window, as the screen
// shows it once escape sequences are stripped.
func healthHeader(window string) string { return "Community health  " + window + " ·" }

// TestSessionsShareOneHealthInput: the Funnel tab's input is read once
// for every session, managers and viewers, and again after a sync; each
// session keeps its own window.
func TestSessionsShareOneHealthInput(t *testing.T) {
	st := &countingStore{Store: demoStore(t)}
	ana := newSigner(t)
	ts := start(t, Config{
		Store: st, DBName: "hearth.db", Open: true,
		Users: []User{{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}}},
		Sync:  func(ctx context.Context, progress func(ui.SyncProgress)) error { return nil },
	})
	terms := []*term{ts.open(t, ana, "ana", 120, 40)}
	for range 3 {
		terms = append(terms, ts.open(t, newSigner(t), "guest", 120, 40))
	}
	for _, tm := range terms {
		tm.waitFor(t, "Members")
		tm.in.Write([]byte("2"))
	}
	for _, tm := range terms {
		tm.waitShown(t, 120, 40, healthHeader("last 12 months"))
	}
	if n := st.health.Load(); n != 1 {
		t.Errorf("4 sessions read the health input %d times, want once", n)
	}
	if n := ts.srv.dir.HealthReads(); n != 1 {
		t.Errorf("the directory counted %d reads of the health input, want 1", n)
	}

	// One viewer's window switch is theirs alone.
	terms[1].in.Write([]byte("p"))
	terms[1].waitShown(t, 120, 40, healthHeader("all time"))
	terms[2].in.Write([]byte("j"))
	terms[2].waitShown(t, 120, 40, healthHeader("last 12 months"))
	for _, tm := range []*term{terms[0], terms[2], terms[3]} {
		if strings.Contains(tm.screen(), healthHeader("all time")) {
			t.Errorf("one session's window switch showed in another:\n%s", tm.screen())
		}
	}
	// The same window in a second session is computed from the same
	// input, not read again.
	terms[3].in.Write([]byte("p"))
	terms[3].waitShown(t, 120, 40, healthHeader("all time"))
	if n := st.health.Load(); n != 1 {
		t.Errorf("after window switches the health input was read %d times, want once", n)
	}

	// A sync drops the shared input: it is read again, once.
	terms[0].in.Write([]byte("r"))
	terms[0].waitShown(t, 120, 40, "sync finished")
	waitUntil(t, "the health input is read again", func() bool { return st.health.Load() >= 2 })
	for _, tm := range terms[1:] {
		tm.waitShown(t, 120, 40, "sync by ana finished")
	}
	time.Sleep(300 * time.Millisecond) // room for a wrong extra read
	if n := st.health.Load(); n != 2 {
		t.Errorf("after a sync the health input was read %d times in all, want 2", n)
	}
	// The switched session still shows its own window.
	terms[1].waitShown(t, 120, 40, healthHeader("all time"))
	quit(t, terms...)
}

// emailNameStore gives every member a name with an e-mail address in it,
// as mailing lists often do, in the directory and in the health input.
type emailNameStore struct {
	*store.Store
}

func emailName(name string, id int64) string { return fmt.Sprintf("%s <m%d@example.org>", name, id) }

func (s emailNameStore) Members(ctx context.Context) ([]model.Member, error) {
	ms, err := s.Store.Members(ctx)
	for i := range ms {
		ms[i].Name = emailName(ms[i].Name, ms[i].ID)
	}
	return ms, err
}

func (s emailNameStore) HealthInput(ctx context.Context) (store.HealthInput, error) {
	in, err := s.Store.HealthInput(ctx)
	for i := range in.Members {
		in.Members[i].Name = emailName(in.Members[i].Name, in.Members[i].ID)
	}
	return in, err
}

// TestViewerHealthHasNoEmail: the overview's names and the people behind
// a number, as the manager and a viewer see them.
func TestViewerHealthHasNoEmail(t *testing.T) {
	ana, sam := newSigner(t), newSigner(t)
	ts := start(t, Config{Store: emailNameStore{demoStore(t)}, DBName: "hearth.db", Users: []User{
		{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
		{Name: "sam", Role: Viewer, Keys: []string{authorizedLine(sam)}},
	}})
	m := ts.open(t, ana, "ana", 160, 60)
	v := ts.open(t, sam, "sam", 160, 60)
	for _, tm := range []*term{m, v} {
		tm.waitFor(t, "Members")
		tm.in.Write([]byte("2"))
		tm.waitShown(t, 160, 60, "Ready for the next step")
	}
	// "Name <address>: stage → stage" is a line of the overview's list
	// of people ready for the next step.
	if !readyWithAddress.MatchString(m.screen()) {
		t.Fatalf("the manager's overview shows no e-mail address (the test needs one):\n%s", m.screen())
	}
	if found := emailAddress.FindString(v.screen()); found != "" {
		t.Errorf("the viewer's overview shows %q:\n%s", found, v.screen())
	}
	for _, tm := range []*term{m, v} {
		tm.in.Write([]byte("\r")) // the first number: everyone who reached the first stage
		tm.waitShown(t, 160, 60, "people · esc back")
	}
	if found := emailAddress.FindString(v.screen()); found != "" {
		t.Errorf("the viewer's list shows %q:\n%s", found, v.screen())
	}
	quit(t, m, v)
}

// readyWithAddress finds a name with an address in the overview's list of
// people ready for the next step.
var readyWithAddress = regexp.MustCompile(`<m[0-9]+@example\.org>: [a-z]+ → `)
