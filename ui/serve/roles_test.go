package serve

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"hearth/ui"
)

func authorizedLine(k gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey())))
}

func TestUnknownKeyRefusedUnlessOpen(t *testing.T) {
	known, stranger := newSigner(t), newSigner(t)
	users := []User{{Name: "sam", Role: Viewer, Keys: []string{authorizedLine(known)}}}

	ts := start(t, Config{Users: users})
	tm := ts.open(t, stranger, "mallory", 100, 30)
	err := tm.waitEnd(t)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("the refused session ended with %v, want exit status 1", err)
	}
	if got := strings.TrimSpace(tm.screen()); got != Refusal {
		t.Errorf("an unknown key saw %q, want only %q", got, Refusal)
	}
	if !strings.Contains(ts.log.String(), `refused viewer "mallory"`) {
		t.Errorf("the refusal is not logged:\n%s", ts.log.String())
	}
	// A listed key still comes in.
	sam := ts.open(t, known, "sam", 100, 30)
	sam.waitFor(t, "sam · viewer")

	open := start(t, Config{Users: users, Open: true})
	guestTerm := open.open(t, stranger, "mallory", 100, 30)
	guestTerm.waitFor(t, "guest · viewer")
	if strings.Contains(guestTerm.screen(), "does not know your key") {
		t.Errorf("an open server refused:\n%s", guestTerm.screen())
	}
}

// emailAddress finds an e-mail address on a screen.
var emailAddress = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+`)

func TestViewerDetailHasNoEmail(t *testing.T) {
	ana, sam := newSigner(t), newSigner(t)
	ts := start(t, Config{Users: []User{
		{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
		{Name: "sam", Role: Viewer, Keys: []string{authorizedLine(sam)}},
	}})
	m := ts.open(t, ana, "ana", 120, 60)
	v := ts.open(t, sam, "sam", 120, 60)
	for _, tm := range []*term{m, v} {
		tm.waitFor(t, "demo community")
		tm.in.Write([]byte("\r"))
		tm.waitFor(t, "Identities")
	}
	// The same member: the manager sees an address, the viewer none.
	if !emailAddress.MatchString(m.screen()) {
		t.Fatalf("the manager's member detail shows no e-mail address (the test needs one):\n%s", m.screen())
	}
	if found := emailAddress.FindString(v.screen()); found != "" {
		t.Errorf("the viewer's member detail shows %q:\n%s", found, v.screen())
	}
	for _, tm := range []*term{m, v} {
		tm.in.Write([]byte("q"))
		tm.waitEnd(t)
	}
}

// recordingWriter counts the writes a program makes through it.
type recordingWriter struct {
	ui.Writer
	mu     sync.Mutex
	actors []string
}

func TestManagerWritesViewerCannot(t *testing.T) {
	// Large enough to have unanswered questions.
	st := demoStoreOf(t, 300)
	ana, sam := newSigner(t), newSigner(t)
	rec := &recordingWriter{}
	ts := start(t, Config{
		Store: st, Demo: true, DBName: "demo.db",
		Users: []User{
			{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
			{Name: "sam", Role: Viewer, Keys: []string{authorizedLine(sam)}},
		},
		Writer: func(actor string) ui.Writer {
			rec.mu.Lock()
			rec.actors = append(rec.actors, actor)
			rec.mu.Unlock()
			return st.Writer(actor)
		},
	})
	v := ts.open(t, sam, "sam", 120, 40)
	v.waitFor(t, "sam · viewer")
	v.in.Write([]byte("3"))
	v.waitFor(t, "waiting")
	v.in.Write([]byte("d"))
	v.waitFor(t, "read-only: viewers cannot triage questions")

	m := ts.open(t, ana, "ana", 120, 40)
	m.waitFor(t, "ana · manager")
	m.in.Write([]byte("3"))
	m.waitFor(t, "unassigned")
	m.in.Write([]byte("d"))
	m.waitFor(t, "marked done")

	rec.mu.Lock()
	actors := append([]string(nil), rec.actors...)
	rec.mu.Unlock()
	if len(actors) != 1 || actors[0] != "ana" {
		t.Errorf("writers were made for %q, want only ana", actors)
	}
	for _, tm := range []*term{m, v} {
		tm.in.Write([]byte("q"))
		tm.waitEnd(t)
	}
}

func TestBadUserKey(t *testing.T) {
	_, err := New(Config{Store: demoStore(t), HostKey: newSigner(t), Users: []User{{Name: "bo", Role: Manager, Keys: []string{"ssh-ed25519 nope"}}}})
	if err == nil || !strings.Contains(err.Error(), "user bo: not an SSH public key") {
		t.Fatalf("got %v", err)
	}
}
