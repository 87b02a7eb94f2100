package serve

import (
	"bytes"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"
)

// settledGoroutines waits (bounded) until no more than want goroutines
// run, and returns how many run then.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(wait)
	n := runtime.NumGoroutine()
	for n > want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// TestMisbehavingClients: a client that hangs up in the middle of a frame,
// one with a 20×5 window and one that floods keys do not disturb a steady
// session, and leave no goroutine behind.
func TestMisbehavingClients(t *testing.T) {
	ts := start(t, Config{Open: true})
	steady := ts.open(t, newSigner(t), "steady", 100, 30)
	steady.waitFor(t, "Members")
	// Warm the connection path once, so that lazily started goroutines
	// of the libraries are counted before.
	warm := ts.open(t, newSigner(t), "warm", 100, 30)
	warm.waitFor(t, "Members")
	warm.in.Write([]byte("q"))
	warm.waitEnd(t)
	warm.conn.Close()
	before := settledGoroutines(0)
	for range 2 {
		// A few rounds catch a leak that a one-off count would blur.
		roundOfMisbehaviour(t, ts, steady)
	}

	// The steady session still filters.
	steady.in.Write([]byte("/zz"))
	steady.waitShown(t, 100, 30, "0 of ")

	if after := settledGoroutines(before); after > before {
		var stacks bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		t.Errorf("goroutines: %d before the misbehaving clients, %d after they left:\n%s", before, after, stacks.String())
	}
	steady.in.Write([]byte("\r"))
	quit(t, steady)
}

func roundOfMisbehaviour(t *testing.T, ts *testServer, steady *term) {
	t.Helper()
	// Hangs up in the middle of a frame: asks for a large redraw and
	// drops the connection while it is written.
	rude := ts.open(t, newSigner(t), "rude", 100, 30)
	rude.waitFor(t, "Members")
	rude.sess.WindowChange(200, 300)
	rude.in.Write([]byte("jjjj"))
	rude.conn.Close()

	// A window far below the layout's minimum.
	tiny := ts.open(t, newSigner(t), "tiny", 20, 5)
	tiny.waitFor(t, "window too small")
	tiny.in.Write([]byte("j/abc\r"))

	// A flood of keys, escape sequences and stray bytes, while the
	// steady session works.
	flood := ts.open(t, newSigner(t), "flood", 100, 30)
	flood.waitFor(t, "Members")
	keys := []byte("jjkk/ab\x7f\x7fc\r\x1b[A\x1b[B\x1b[5~\x1b[6~\tG g?\x1b[200~pasted\x1b[201~\x1b[<0;5;5M\xff\xfe")
	burst := bytes.Repeat(keys, 2000) // about 130 kB
	wrote := make(chan error, 1)
	go func() {
		_, err := flood.in.Write(burst)
		wrote <- err
	}()
	for _, tab := range []string{"2", "1"} {
		mark := len(steady.out.String())
		steady.in.Write([]byte(tab))
		waitUntil(t, "the steady session answers during the flood", func() bool {
			return len(steady.out.String()) > mark
		})
	}
	// The client hangs up in the middle of its flood, keys still queued.
	flood.conn.Close()
	select {
	case <-wrote:
	case <-time.After(wait):
		t.Fatal("the flood's writer never returned")
	}

	// Each leaves in its own way: tiny quits, flood hangs up.
	tiny.in.Write([]byte("q"))
	tiny.waitEnd(t)
	tiny.conn.Close()
	for _, tm := range []*term{rude, flood} {
		select {
		case <-tm.ended:
		case <-time.After(wait):
			t.Fatal("a hung-up session did not end")
		}
	}
}

// A signal to the server's process is the server's to answer (with a
// goodbye to every session, see Serve): a session's program does not
// quit on it by itself.
func TestProgramsIgnoreTheProcessSignals(t *testing.T) {
	// Caught here, so the signal does not end the test's process.
	caught := make(chan os.Signal, 1)
	signal.Notify(caught, syscall.SIGTERM)
	defer signal.Stop(caught)

	ts := start(t, Config{Open: true})
	tm := ts.open(t, newSigner(t), "guest", 100, 30)
	tm.waitFor(t, "Members")
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-caught
	select {
	case err := <-tm.ended:
		t.Fatalf("the session ended on the process's SIGTERM (%v):\n%s", err, tm.screen())
	case <-time.After(500 * time.Millisecond):
	}
	tm.in.Write([]byte("2"))
	tm.waitFor(t, "Community health")
	quit(t, tm)
}
