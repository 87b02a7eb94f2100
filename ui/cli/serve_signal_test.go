package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestServeStopsGracefullyOnSignals: SIGTERM, like Ctrl-C, gives an open
// session its goodbye and stops hearth serve with exit status 0.
func TestServeStopsGracefullyOnSignals(t *testing.T) {
	env := newTestEnv(t)
	db := smallDemo(t, env)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--open", "--host-key", filepath.Join(dir, "host_key")}
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args, "\n"), "HOME="+dir, "XDG_CONFIG_HOME="+dir)
			stderr := &syncBuffer{}
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			var addr string
			deadline := time.Now().Add(20 * time.Second)
			for addr == "" {
				if m := listening.FindStringSubmatch(stderr.String()); m != nil {
					addr = m[1]
				} else if time.Now().After(deadline) {
					t.Fatalf("not listening; stderr:\n%s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			tm := openTerm(t, addr, newKey(t))
			waitFor(t, tm.out, 0, "Members")

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			deadline = time.Now().Add(30 * time.Second)
			for !strings.Contains(ansi.Strip(tm.out.String()), "hearth is shutting down. Goodbye!") {
				if time.Now().After(deadline) {
					t.Fatalf("no goodbye after %v; server's stderr:\n%s\nscreen:\n%s", sig, stderr.String(), ansi.Strip(tm.out.String()))
				}
				time.Sleep(20 * time.Millisecond)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("hearth serve ended with %v; stderr:\n%s", err, stderr.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("hearth serve did not stop; stderr:\n%s", stderr.String())
			}
			if !strings.Contains(stderr.String(), "shutting down (1 open sessions)") || !strings.Contains(stderr.String(), "stopped") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
		})
	}
}
