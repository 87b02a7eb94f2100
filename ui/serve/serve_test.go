package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"hearth/data/backend"
	"hearth/data/store"
)

// wait bounds every wait on the server in these tests.
const wait = 20 * time.Second

// demoStore is a small generated community in a temporary database.
func demoStore(t *testing.T) *store.Store {
	t.Helper()
	return demoStoreOf(t, backend.DemoMinMembers)
}

// demoStoreOf is a generated community of n members.
func demoStoreOf(t *testing.T, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := backend.WriteDemo(ctx, path, n, 1); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// lockedBuffer collects what a goroutine writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testServer is a server on a loopback port.
type testServer struct {
	srv     *Server
	addr    string
	hostKey gossh.PublicKey
	log     *lockedBuffer
	stop    context.CancelFunc
	done    chan error // Serve's result
}

// start runs a server over a small demo with cfg's limits and keys.
func start(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = demoStore(t)
		cfg.Demo = true
		cfg.DBName = "demo.db"
	}
	if cfg.HostKey == nil {
		cfg.HostKey = newSigner(t)
	}
	logs := &lockedBuffer{}
	cfg.Log = logs
	if cfg.ShutdownWait == 0 {
		cfg.ShutdownWait = 5 * time.Second
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{srv: srv, addr: ln.Addr().String(), hostKey: cfg.HostKey.PublicKey(), log: logs, stop: cancel, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-ts.done:
		case <-time.After(wait):
			t.Error("the server did not stop")
		}
	})
	return ts
}

// dial logs in with key, checking the server's host key.
func (ts *testServer) dial(t *testing.T, key gossh.Signer, user string) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
		Timeout:         wait,
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// term is a client session with a PTY: what the server sent (escape
// sequences stripped) and a way to type.
type term struct {
	conn  *gossh.Client
	sess  *gossh.Session
	in    io.WriteCloser
	out   *lockedBuffer
	ended chan error
}

func (ts *testServer) open(t *testing.T, key gossh.Signer, user string, w, h int) *term {
	t.Helper()
	conn := ts.dial(t, key, user)
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{conn: conn, sess: sess, in: in, out: &lockedBuffer{}, ended: make(chan error, 1)}
	sess.Stdout = tm.out
	sess.Stderr = tm.out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { tm.ended <- sess.Wait() }()
	return tm
}

// screen is everything received so far, without escape sequences.
func (tm *term) screen() string { return ansi.Strip(tm.out.String()) }

// waitFor waits (bounded) until the screen shows s.
func (tm *term) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), s) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%q never appeared; the screen:\n%s", s, tm.screen())
}

// waitEnd waits (bounded) for the server to end the session and returns
// its exit error (nil for status 0).
func (tm *term) waitEnd(t *testing.T) error {
	t.Helper()
	select {
	case err := <-tm.ended:
		return err
	case <-time.After(wait):
		t.Fatalf("the session did not end; the screen:\n%s", tm.screen())
		return nil
	}
}

func writeKeys(t *testing.T, keys ...gossh.Signer) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# the team\n\n")
	for _, k := range keys {
		b.WriteString(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey()))) + " sam@example\n")
	}
	path := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A manager of the configuration, a viewer of the authorized keys file
// (named by its line's comment) and, on an open server, a guest.
func TestManagerAndViewer(t *testing.T) {
	manager, viewer, visitor := newSigner(t), newSigner(t), newSigner(t)
	ana := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(manager.PublicKey())))
	ts := start(t, Config{AuthorizedKeys: writeKeys(t, viewer), Open: true,
		Users: []User{{Name: "ana", Role: Manager, Keys: []string{ana}}}})

	m := ts.open(t, manager, "ana", 100, 30)
	s := ts.open(t, viewer, "sam", 100, 30)
	v := ts.open(t, visitor, "guest", 100, 30)
	m.waitFor(t, "Members")
	v.waitFor(t, "Members")
	v.waitFor(t, "guest · viewer")
	s.waitFor(t, "sam@example · viewer")
	m.waitFor(t, "ana · manager")
	// The manager's status line is complete once it names the demo.
	m.waitFor(t, "demo community")
	if strings.Contains(m.screen(), "read-only") {
		t.Errorf("a manager's session says read-only:\n%s", m.screen())
	}

	for _, tm := range []*term{m, s, v} {
		if _, err := tm.in.Write([]byte("q")); err != nil {
			t.Fatal(err)
		}
		if err := tm.waitEnd(t); err != nil {
			t.Errorf("session ended with %v", err)
		}
	}
	logs := ts.log.String()
	for _, want := range []string{`connect manager "ana" (SHA256:`, `connect viewer "sam" (SHA256:`, "sam@example", `connect viewer "guest" (SHA256:`, "unknown key", `disconnect viewer "guest"`, "from 127.0.0.1:"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}

func TestWindowSizeFollowsClient(t *testing.T) {
	ts := start(t, Config{Open: true})
	tm := ts.open(t, newSigner(t), "guest", 100, 30)
	tm.waitFor(t, "Members")
	// Below the layout's minimum the view says so; back to a large
	// window, the tabs come back.
	if err := tm.sess.WindowChange(8, 30); err != nil {
		t.Fatal(err)
	}
	before := len(tm.out.String())
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && !strings.Contains(ansi.Strip(tm.out.String()[before:]), "window too small: 30×8") {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(ansi.Strip(tm.out.String()[before:]), "window too small: 30×8") {
		t.Fatalf("a small window was not followed; after the resize:\n%s", ansi.Strip(tm.out.String()[before:]))
	}
	tm.in.Write([]byte("q"))
	tm.waitEnd(t)
}

func TestHostKeyKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "hearth", "ssh_host_ed25519")
	first, created, err := HostKey(path)
	if err != nil || !created {
		t.Fatalf("first HostKey: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s", first.PublicKey().Type())
	}
	// A client that checks the fingerprint connects to one start, then to
	// the next.
	ts := start(t, Config{HostKey: first, Open: true})
	ts.dial(t, newSigner(t), "guest")
	again, created, err := HostKey(path)
	if err != nil || created {
		t.Fatalf("second HostKey: created %v, %v", created, err)
	}
	if a, b := gossh.FingerprintSHA256(first.PublicKey()), gossh.FingerprintSHA256(again.PublicKey()); a != b {
		t.Fatalf("the host key changed on restart: %s then %s", a, b)
	}
	ts2 := start(t, Config{HostKey: again, Open: true})
	ts2.hostKey = first.PublicKey()
	ts2.dial(t, newSigner(t), "guest")
}

func TestMaxSessions(t *testing.T) {
	ts := start(t, Config{MaxSessions: 1, Open: true})
	first := ts.open(t, newSigner(t), "one", 100, 30)
	first.waitFor(t, "Members")
	second := ts.open(t, newSigner(t), "two", 100, 30)
	err := second.waitEnd(t)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("the refused session ended with %v, want exit status 1", err)
	}
	if got := second.screen(); !strings.Contains(got, "hearth is full (1 sessions open)") {
		t.Errorf("the refused session saw:\n%s", got)
	}
	if strings.Contains(second.screen(), "Members") {
		t.Error("the refused session got a program")
	}
	// The first session is unaffected, and once it leaves there is room.
	first.in.Write([]byte("q"))
	if err := first.waitEnd(t); err != nil {
		t.Fatal(err)
	}
	var third *term
	deadline := time.Now().Add(wait)
	for {
		third = ts.open(t, newSigner(t), "three", 100, 30)
		select {
		case <-third.ended: // the first session's slot was not freed yet
		case <-time.After(500 * time.Millisecond):
		}
		if strings.Contains(third.screen(), "Members") || !strings.Contains(third.screen(), "full") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no room after the first session left")
		}
	}
	third.waitFor(t, "Members")
}

func TestShutdownSaysGoodbye(t *testing.T) {
	ts := start(t, Config{Open: true})
	tm := ts.open(t, newSigner(t), "guest", 100, 30)
	tm.waitFor(t, "Members")
	ts.stop()
	tm.waitEnd(t)
	tm.waitFor(t, "hearth is shutting down. Goodbye!")
	// Like OpenSSH, the client hangs up when its session ends: the server
	// then stops without waiting out ShutdownWait.
	tm.conn.Close()
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		ts.done <- err // for the cleanup
	case <-time.After(wait):
		t.Fatal("Serve did not return")
	}
	if _, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		t.Error("the server still accepts connections")
	}
	if strings.Contains(ts.log.String(), "still connected") {
		t.Errorf("the server waited for a client that had hung up:\n%s", ts.log.String())
	}
	if !strings.Contains(ts.log.String(), "shutting down (1 open sessions)") {
		t.Errorf("log:\n%s", ts.log.String())
	}
}

func TestIdleTimeout(t *testing.T) {
	ts := start(t, Config{Idle: 400 * time.Millisecond, Open: true})
	tm := ts.open(t, newSigner(t), "guest", 100, 30)
	tm.waitFor(t, "Members")
	tm.waitEnd(t)
	tm.waitFor(t, "No key pressed for 400ms: goodbye from hearth.")
}

func TestNoPasswords(t *testing.T) {
	ts := start(t, Config{Open: true})
	_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User: "guest",
		Auth: []gossh.AuthMethod{
			gossh.Password("secret"),
			gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil }),
		},
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
		Timeout:         wait,
	})
	if err == nil {
		t.Fatal("logged in without a key")
	}
}

func TestBadAuthorizedKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(path, []byte("# ok\nssh-ed25519 not-base64 x\n"), 0o600)
	_, err := New(Config{Store: demoStore(t), HostKey: newSigner(t), AuthorizedKeys: path})
	if err == nil || !strings.Contains(err.Error(), ":2: not an SSH public key") {
		t.Fatalf("got %v", err)
	}
}

// waitShown waits (bounded) until a full redraw of the screen shows s.
// The renderer rewrites only the cells that changed, so text that replaces
// other text ("sync finished" over "syncing forum 1/2") never arrives
// whole; a change of the window's width makes the program draw
// everything again.
func (tm *term) waitShown(t *testing.T, w, h int, s string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for i := 0; time.Now().Before(deadline); i++ {
		before := len(tm.out.String())
		if err := tm.sess.WindowChange(h, w-i%2); err != nil {
			t.Fatal(err)
		}
		for end := time.Now().Add(time.Second); time.Now().Before(end); {
			if strings.Contains(ansi.Strip(tm.out.String()[before:]), s) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	t.Fatalf("%q never appeared in a redraw; the screen:\n%s", s, tm.screen())
}
