package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// servedDemo runs hearth serve over a small demo with a manager (ana) and
// a viewer (sam) in its config, on a loopback port, until the test ends;
// it returns the address.
func servedDemo(t *testing.T, ana, sam gossh.Signer) string {
	t.Helper()
	env := newTestEnv(t)
	db := smallDemo(t, env)
	dir := t.TempDir()
	line := func(k gossh.Signer) string {
		return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey())))
	}
	cfg := filepath.Join(dir, "config.toml")
	body := "[serve]\nlisten = \"127.0.0.1:0\"\nhost_key = \"" + filepath.Join(dir, "host_key") + "\"\n\n" +
		"[[serve.users]]\nname = \"ana\"\nrole = \"manager\"\nkey = \"" + line(ana) + "\"\n\n" +
		"[[serve.users]]\nname = \"sam\"\nrole = \"viewer\"\nkey = \"" + line(sam) + "\"\n\n" +
		// A topic of the config's own, which sessions' lookups know.
		"[topics]\ndiskwork = [\"label:storage\", \"category:Storage\"]\n"
	writeFile(t, cfg, body)
	srv := startServe(env, "--db", db, "--config", cfg)
	t.Cleanup(func() {
		if c := srv.stop(t); c != 0 {
			t.Errorf("hearth serve: exit %d; stderr:\n%s", c, srv.stderr.String())
		}
	})
	if m := srv.waitStderr(listening); m != nil {
		return m[1]
	}
	t.Fatalf("not listening; stderr:\n%s", srv.stderr.String())
	return ""
}

// sshTerm is a session of the test's SSH client.
type sshTerm struct {
	in  io.Writer
	out *syncBuffer
}

func openTerm(t *testing.T, addr string, key gossh.Signer) *sshTerm {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "someone", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	tm := &sshTerm{out: &syncBuffer{}}
	sess.Stdout, sess.Stderr = tm.out, tm.out
	tm.in, _ = sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", 40, 120, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return tm
}

// waitFor waits (bounded) until what tm received since mark shows want.
func waitFor(t *testing.T, out *syncBuffer, mark int, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(ansi.Strip(out.String()[mark:]), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never appeared:\n%s", want, ansi.Strip(out.String()[mark:]))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var anEmail = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+`)

// TestServeEndToEnd drives hearth serve as its users do: the manager sees
// the Members tab and e-mail addresses, the viewer sees the same member
// without any, the viewer's write keys do nothing and say why, and a key
// nobody listed is refused.
func TestServeEndToEnd(t *testing.T) {
	ana, sam := newKey(t), newKey(t)
	addr := servedDemo(t, ana, sam)

	m := openTerm(t, addr, ana)
	v := openTerm(t, addr, sam)
	waitFor(t, m.out, 0, "ana · manager")
	waitFor(t, v.out, 0, "sam · viewer")
	waitFor(t, m.out, 0, "Members")
	for _, tm := range []*sshTerm{m, v} {
		// Once the directory is drawn, the first member's page.
		waitFor(t, tm.out, 0, "Topics")
		tm.in.Write([]byte("\r"))
		waitFor(t, tm.out, 0, "Identities")
	}
	if !anEmail.MatchString(ansi.Strip(m.out.String())) {
		t.Fatalf("the manager's member page shows no address (the test needs one):\n%s", ansi.Strip(m.out.String()))
	}
	if found := anEmail.FindString(ansi.Strip(v.out.String())); found != "" {
		t.Errorf("the viewer sees %q", found)
	}
	// Write keys: a note on the member, done on a question.
	mark := len(v.out.String())
	v.in.Write([]byte("n"))
	waitFor(t, v.out, mark, "viewers cannot edit members")
	mark = len(v.out.String())
	v.in.Write([]byte("3"))
	waitFor(t, v.out, mark, "waiting")
	v.in.Write([]byte("d"))
	waitFor(t, v.out, mark, "viewers cannot triage questions")

	// The config's topics reach the sessions' lookup: the topic is listed
	// and names people.
	mark = len(m.out.String())
	m.in.Write([]byte("w"))
	waitFor(t, m.out, mark, "diskwork")
	mark = len(m.out.String())
	m.in.Write([]byte("diskwork\r"))
	waitFor(t, m.out, mark, " 1. ")
	m.in.Write([]byte("\x1b"))

	stranger := openTerm(t, addr, newKey(t))
	waitFor(t, stranger.out, 0, "this hearth does not know your key")
	for _, tm := range []*sshTerm{m, v} {
		tm.in.Write([]byte("q"))
	}
}

// TestServeWithOpenSSH logs in with the OpenSSH client, where it and tmux
// (for a terminal of a known size) are installed, as the README tells
// people to: the key of the authorized keys file sees the Members tab, and
// q ends the session and ssh with it.
func TestServeWithOpenSSH(t *testing.T) {
	sshPath, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client")
	}
	tmuxPath, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux")
	}
	dir := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	ana, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "ana@test")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := servedDemo(t, ana, newKey(t))
	host, port, _ := strings.Cut(addr, ":")

	// A tmux server of the test's own, on its own socket.
	socket := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command(tmuxPath, append([]string{"-S", socket}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tmux("kill-server") })
	ssh := strings.Join([]string{sshPath, "-F", "/dev/null", "-i", keyFile, "-p", port,
		"-o", "UserKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "BatchMode=yes",
		"-o", "LogLevel=ERROR", "ana@" + host, "; sleep 30"}, " ")
	if out, err := tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", ssh); err != nil {
		t.Skipf("tmux cannot start a session: %v %s", err, out)
	}
	screen := func() string { out, _ := tmux("capture-pane", "-p", "-t", "t"); return out }
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(screen(), "ana · manager") || !strings.Contains(screen(), "Topics") {
		if time.Now().After(deadline) {
			t.Fatalf("the Members tab never appeared:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := screen(); !strings.Contains(got, "1 Members") {
		t.Errorf("no tab bar:\n%s", got)
	}
	tmux("send-keys", "-t", "t", "q")
	// ssh has ended when the pane is back to the shell's sleep: the
	// alternate screen is gone.
	for strings.Contains(screen(), "ana · manager") {
		if time.Now().After(deadline) {
			t.Fatalf("q did not end the session:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
