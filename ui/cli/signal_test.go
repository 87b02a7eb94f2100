package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childArgs, in a child's environment, makes TestMain run hearth with
// these arguments (separated by newlines) instead of the tests.
const childArgs = "HEARTH_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		os.Exit(Run("test", strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// TestDemoStopsCleanlyOnSignals: SIGTERM, like Ctrl-C, stops a demo being
// generated, exits with one line and leaves no temporary file behind.
func TestDemoStopsCleanlyOnSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large demo")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childArgs+"=demo\n--db\n"+filepath.Join(dir, "demo.db")+"\n--members\n100000",
			"HOME="+dir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the generator is writing its temporary file.
		deadline := time.Now().Add(30 * time.Second)
		for {
			matches, _ := filepath.Glob(filepath.Join(dir, ".demo.db.new-*"))
			if len(matches) > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("%v: no temporary file appeared", sig)
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%v: exit %v, want 1 (stderr %q)", sig, err, stderr.String())
		}
		if got := stderr.String(); got != "hearth: interrupted\n" {
			t.Errorf("%v: stderr %q, want one line", sig, got)
		}
		left, _ := os.ReadDir(dir)
		for _, e := range left {
			t.Errorf("%v: left %s behind", sig, e.Name())
		}
	}
}
