package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

func TestServeUsage(t *testing.T) {
	env := newTestEnv(t)
	for _, args := range [][]string{
		{"serve", "--max-sessions", "0"},
		{"serve", "--idle", "-1s"},
		{"serve", "--idle", "soon"},
		{"serve", "extra"},
		{"serve", "--demo", "--db", "x.db"},
		{"serve", "--sync-every", "-1h"},
		{"serve", "--sync-every", "often"},
		{"serve", "--demo", "--sync-every", "1h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			oneLineError(t, runCLI(t, env, 0, args...), 2)
		})
	}
	r := runCLI(t, env, 0, "help", "serve")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: hearth serve") || !strings.Contains(r.stdout, "--authorized-keys") {
		t.Errorf("hearth help serve: exit %d, %q", r.code, r.stdout)
	}
	if r := runCLI(t, env, 0, "--help"); !strings.Contains(r.stdout, "serve ") {
		t.Error("hearth --help does not list serve")
	}
	oneLineError(t, runCLI(t, env, 0, "serve", "--authorized-keys", filepath.Join(t.TempDir(), "none")), 1)
}

// syncBuffer is a buffer written by the server's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+), host key (SHA256:\S+),`)

// serveRun is hearth serve running in the background for a test.
type serveRun struct {
	stderr *syncBuffer
	cancel context.CancelFunc
	code   chan int
}

// startServe runs hearth serve with args in the background.
func startServe(env testEnv, args ...string) *serveRun {
	s := &serveRun{stderr: &syncBuffer{}, code: make(chan int, 1)}
	app := newApp(strings.NewReader(""), &bytes.Buffer{}, s.stderr, env.get)
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(context.Background())
	go func() { s.code <- app.run(ctx, append([]string{"serve"}, args...)) }()
	return s
}

// waitStderr waits (bounded) until stderr holds a match of re, and
// returns it; nil when it never does.
func (s *serveRun) waitStderr(re *regexp.Regexp) []string {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.stderr.String()); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// stop ends the server and returns its exit code; the test fails when it
// does not stop.
func (s *serveRun) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case c := <-s.code:
		return c
	case <-time.After(20 * time.Second):
		t.Fatal("hearth serve did not stop")
		return -1
	}
}

// writeFile writes a test's file.
func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestServeKeepsItsHostKey starts hearth serve twice over a small demo: the
// host key is made in the data directory on the first start, and a client
// sees the same key, and the Members tab, both times.
func TestServeKeepsItsHostKey(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	env["XDG_DATA_HOME"] = filepath.Join(env["HOME"], "data")
	keyPath := filepath.Join(env["XDG_DATA_HOME"], "hearth", "ssh_host_ed25519")
	var prints []string
	for i := range 2 {
		srv := startServe(env, "--db", db, "--listen", "127.0.0.1:0", "--open")
		errb := srv.stderr
		m := srv.waitStderr(listening)
		if m == nil {
			srv.stop(t)
			t.Fatalf("start %d: not listening; stderr:\n%s", i+1, errb.String())
		}
		if made := strings.Contains(errb.String(), "new host key in "+keyPath); made != (i == 0) {
			t.Errorf("start %d: new host key reported %v; stderr:\n%s", i+1, made, errb.String())
		}
		prints = append(prints, m[2])
		seen := sshScreen(t, m[1], nil, "Members")
		if gossh.FingerprintSHA256(seen) != m[2] {
			t.Errorf("the client saw host key %s, the server announced %s", gossh.FingerprintSHA256(seen), m[2])
		}

		if c := srv.stop(t); c != 0 {
			t.Errorf("start %d: exit %d; stderr:\n%s", i+1, c, errb.String())
		}
	}
	if prints[0] != prints[1] {
		t.Errorf("the host key changed between starts: %s then %s", prints[0], prints[1])
	}
	if fi, err := os.Stat(keyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key file: %v %v", fi, err)
	}
}

// sshScreen logs in to addr with signer (nil: a new key), waits (bounded)
// until the screen shows want, quits with q, and returns the server's host
// key.
func sshScreen(t *testing.T, addr string, signer gossh.Signer, want string) gossh.PublicKey {
	t.Helper()
	if signer == nil {
		signer = newKey(t)
	}
	var hostKey gossh.PublicKey
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "guest",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			hostKey = key
			return nil
		},
		Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	sess.Stdout = out
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(ansi.Strip(out.String()), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never appeared:\n%s", want, ansi.Strip(out.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.Write([]byte("q"))
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("q did not end the session")
	}
	return hostKey
}

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// TestServeUsersFromConfig: a [[serve.users]] manager comes in with their
// name and role; a key nobody listed is refused in one line.
func TestServeUsersFromConfig(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	dir := t.TempDir()
	ana := newKey(t)
	cfg := filepath.Join(dir, "config.toml")
	body := "[serve]\nlisten = \"127.0.0.1:0\"\nhost_key = \"" + filepath.Join(dir, "host_key") + "\"\n\n" +
		"[[serve.users]]\nname = \"ana\"\nrole = \"manager\"\nkey = \"" +
		strings.TrimSpace(string(gossh.MarshalAuthorizedKey(ana.PublicKey()))) + "\"\n"
	writeFile(t, cfg, body)
	srv := startServe(env, "--db", db, "--config", cfg)
	errb := srv.stderr
	m := srv.waitStderr(listening)
	if m == nil {
		srv.stop(t)
		t.Fatalf("not listening; stderr:\n%s", errb.String())
	}
	if !strings.Contains(errb.String(), "1 keys (1 managers'), unknown keys refused") {
		t.Errorf("the start line does not say who may come in:\n%s", errb.String())
	}
	sshScreen(t, m[1], ana, "ana · manager")
	sshScreen(t, m[1], nil, "this hearth does not know your key; ask its managers to add it")
	if c := srv.stop(t); c != 0 {
		t.Errorf("exit %d; stderr:\n%s", c, errb.String())
	}
}

// TestServeConfigSection: the [serve] section gives the defaults, a flag
// overrides them, and a bad setting is one line.
func TestServeConfigSection(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "host_key")
	cfg := filepath.Join(dir, "config.toml")
	writeFile(t, cfg, "[serve]\nlisten = \"127.0.0.1:0\"\nhost_key = \""+keyPath+"\"\nmax_sessions = 3\n")
	srv := startServe(env, "--db", db, "--config", cfg)
	errb := srv.stderr
	srv.waitStderr(listening)
	if c := srv.stop(t); c != 0 {
		t.Errorf("exit %d; stderr:\n%s", c, errb.String())
	}
	if !listening.MatchString(errb.String()) || !strings.Contains(errb.String(), "new host key in "+keyPath) {
		t.Errorf("the [serve] section was not used; stderr:\n%s", errb.String())
	}

	writeFile(t, cfg, "[serve]\nidle = \"soon\"\n")
	r := runCLI(t, env, 0, "serve", "--db", db, "--config", cfg)
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "config.toml:2: [serve] idle") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// TestServeSyncEveryNeedsSources: a schedule over a database without
// sources is one line, before anything listens.
func TestServeSyncEveryNeedsSources(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	r := runCLI(t, env, 0, "serve", "--db", db, "--listen", "127.0.0.1:0", "--sync-every", "1h")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "--sync-every: no sources configured") || strings.Contains(r.stderr, "listening") {
		t.Errorf("stderr: %q", r.stderr)
	}
}

// TestServeSyncEveryFromConfig: sync_every in [serve] schedules the sources
// of the same config file (not of the default one, which has none here).
func TestServeSyncEveryFromConfig(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	body := "[serve]\nlisten = \"127.0.0.1:0\"\nhost_key = \"" + filepath.Join(dir, "host_key") + "\"\nsync_every = \"1h\"\n\n" +
		"[[git]]\nname = \"project\"\npath = \"" + dir + "\"\n"
	writeFile(t, cfg, body)
	srv := startServe(env, "--db", db, "--config", cfg)
	scheduled := srv.waitStderr(regexp.MustCompile(`syncing the configured sources every 1h0m0s`))
	if c := srv.stop(t); c != 0 || scheduled == nil {
		t.Errorf("exit %d; stderr:\n%s", c, srv.stderr.String())
	}
}
