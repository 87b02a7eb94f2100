package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/demo"
	"hearth/data/demo/demotest"
	"hearth/data/git"
	"hearth/data/store"
	"hearth/data/store/storetest"
)

// noopRepo makes a git repository of 300 commits by five authors in a
// temporary directory, with git fast-import (one process, not 300).
func noopRepo(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	dir := filepath.Join(b.TempDir(), "repo")
	if out, err := exec.Command("git", "-c", "init.defaultBranch=main", "init", "-q", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	var in bytes.Buffer
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 1; i <= 300; i++ {
		p := i % 5
		at := start + int64(i)*86400/2
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\n", i)
		fmt.Fprintf(&in, "author Author %d <author%d@example.net> %d +0000\n", p, p, at)
		fmt.Fprintf(&in, "committer Author %d <author%d@example.net> %d +0000\n", p, p, at)
		msg := fmt.Sprintf("change %d\n", i)
		fmt.Fprintf(&in, "data %d\n%s", len(msg), msg)
		if i > 1 {
			fmt.Fprintf(&in, "from :%d\n", i-1)
		}
		content := fmt.Sprintf("version %d\n", i)
		fmt.Fprintf(&in, "M 644 inline area%d/file%d.go\ndata %d\n%s\n", i%7, i%11, len(content), content)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = &in
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("fast-import: %v\n%s", err, out)
	}
	if out, err := exec.Command("git", "-C", dir, "checkout", "-q", "main").CombinedOutput(); err != nil {
		b.Fatalf("git checkout: %v\n%s", err, out)
	}
	return dir
}

// benchmarkSyncNoop measures a sync that brings nothing new, as `hearth
// sync git PATH` runs it: a demo community of the given size, into which a
// real repository was synced once, then per iteration a sync of the
// unchanged repository (the git connector, the people merge and the
// refresh decisions). Its cost must not grow with the community. Run the
// large ones once:
//
//	go test ./data/engine -run '^$' -bench 'SyncNoop100k' -benchtime 20x
//	HEARTH_BENCH_LARGE=1 go test ./data/engine -run '^$' -bench 'SyncNoop300k' -benchtime 20x -timeout 30m
func benchmarkSyncNoop(b *testing.B, members int) {
	ctx := context.Background()
	now := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	s := demotest.Fresh(b, members, now)
	dir := noopRepo(b)
	opt := Options{Now: func() time.Time { return now.Add(time.Hour) }}
	syncRepo := func() {
		src, err := git.New(dir, git.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range Run(ctx, s, []connector.Source{src}, opt) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	// The first sync imports the repository and merges the whole demo
	// (no merge was recorded yet).
	syncRepo()
	if n := countRowsB(b, s, "SELECT count(*) FROM activities WHERE source = 'git' AND channel = 'repo'"); n != 300 {
		b.Fatalf("%d commits synced, want 300", n)
	}
	// A rewritten summary would lose this row.
	if _, err := storetest.DB(b, s).ExecContext(ctx, "INSERT INTO summary(key, value) VALUES ('bench_marker', 1)"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		syncRepo()
	}
	if n := countRowsB(b, s, "SELECT count(*) FROM summary WHERE key = 'bench_marker'"); n != 1 {
		b.Fatal("an unchanged sync rewrote the summary")
	}
}

func countRowsB(b *testing.B, s *store.Store, q string) int {
	var n int
	if err := storetest.DB(b, s).QueryRow(q).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

func BenchmarkSyncNoop10k(b *testing.B)  { benchmarkSyncNoop(b, 10_000) }
func BenchmarkSyncNoop100k(b *testing.B) { benchmarkSyncNoop(b, 100_000) }

// BenchmarkSyncNoop300k (the largest demo, demo.MaxMembers) needs
// HEARTH_BENCH_LARGE=1: the demo alone takes about three minutes and
// 2.5 GB of memory.
func BenchmarkSyncNoop300k(b *testing.B) {
	if os.Getenv("HEARTH_BENCH_LARGE") == "" {
		b.Skip("set HEARTH_BENCH_LARGE=1 to run")
	}
	benchmarkSyncNoop(b, demo.MaxMembers)
}
