package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
)

const benchCommits = 20000

// benchRepo returns a synthetic repository of benchCommits commits, built
// once with git fast-import under the temporary directory and reused by
// later runs. No large real repository ships with the machines we test on;
// this one imitates one: ~2,400 files in nested areas, a few hundred
// authors of very unequal activity, 1–6 files per commit, co-authors on
// some commits and a merge every 50 commits.
func benchRepo(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("hearth-git-bench-%d", benchCommits))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	tmp := dir + ".building"
	os.RemoveAll(tmp)
	if out, err := exec.Command("git", "-c", "init.defaultBranch=main", "init", "-q", "--bare", tmp).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = tmp
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	w := bufio.NewWriterSize(in, 1<<20)
	writeHistory(w)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("fast-import: %v", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// writeHistory writes a fast-import stream for the synthetic history.
func writeHistory(w io.Writer) {
	rng := rand.New(rand.NewPCG(1, 2))
	areas := []string{"net", "storage", "fs", "crypto", "auth", "ui", "web", "api", "docs",
		"Documentation", "drivers", "kernel", "compiler", "parser", "runtime", "tools", "scripts",
		"lib", "internal", "cmd", "plugins", "sched", "mm", "sound", "tests", ".github"}
	var files []string
	for _, a := range areas {
		for d := 0; d < 8; d++ {
			for f := 0; f < 12; f++ {
				ext := ".go"
				switch {
				case a == "docs" || a == "Documentation":
					ext = ".md"
				case f%5 == 0:
					ext = "_test.go"
				case f%7 == 0:
					ext = ".c"
				}
				files = append(files, fmt.Sprintf("%s/sub%d/file%d%s", a, d, f, ext))
			}
		}
	}
	const authors = 400
	person := func() int {
		// A handful of people make most commits, as in real projects.
		return int(float64(authors) * rng.Float64() * rng.Float64() * rng.Float64())
	}
	start := int64(1_400_000_000)
	mark := 0
	version := map[string]int{}
	mainTip, sideTip := 0, 0
	for i := 1; i <= benchCommits; i++ {
		mark++
		at := start + int64(i)*3600
		branch, parent := "main", mainTip
		if i%50 > 45 { // a short side branch, merged below
			branch, parent = "side", sideTip
			if parent == 0 || i%50 == 46 {
				parent = mainTip
			}
		}
		p := person()
		fmt.Fprintf(w, "commit refs/heads/%s\nmark :%d\n", branch, mark)
		fmt.Fprintf(w, "author Person %d <person%d@example.com> %d +0000\n", p, p, at)
		fmt.Fprintf(w, "committer Person %d <person%d@example.com> %d +0000\n", p, p, at)
		msg := fmt.Sprintf("area: change number %d\n\nA longer description of change %d,\nwrapped over two lines.\n", i, i)
		if i%9 == 0 {
			q := person()
			msg += fmt.Sprintf("\nCo-authored-by: Person %d <person%d@example.com>\n", q, q)
		}
		fmt.Fprintf(w, "data %d\n%s", len(msg), msg)
		if parent != 0 {
			fmt.Fprintf(w, "from :%d\n", parent)
		}
		area := rng.IntN(len(areas))
		for n := 1 + rng.IntN(6); n > 0; n-- {
			f := files[area*96+rng.IntN(96)]
			if rng.IntN(4) == 0 {
				f = files[rng.IntN(len(files))]
			}
			version[f]++
			content := fmt.Sprintf("%s version %d\n", f, version[f])
			fmt.Fprintf(w, "M 644 inline %s\ndata %d\n%s", f, len(content), content)
		}
		fmt.Fprintln(w)
		if branch == "side" {
			sideTip = mark
		} else {
			mainTip = mark
		}
		if i%50 == 49 && sideTip != 0 { // merge the side branch
			mark++
			msg := "Merge branch 'side'\n"
			fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Maintainer <maint@example.com> %d +0000\ndata %d\n%sfrom :%d\nmerge :%d\n\n",
				mark, at+60, len(msg), msg, mainTip, sideTip)
			mainTip, sideTip = mark, 0
		}
	}
}

// syncAll is one full sync of dir, as `hearth sync` runs it (with progress,
// which adds a concurrent count), minus the database.
func syncAll(b *testing.B, dir string) int {
	s, err := New(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	commits := 0
	state := connector.SyncState{Progress: func(done, total int, what string) {}}
	if err := s.Sync(context.Background(), state, func(batch connector.Batch) error {
		commits += batch.Items
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return commits
}

func gitLogBaseline(b *testing.B, dir string) {
	cmd := exec.Command("git", "-C", dir, "log", "--no-merges", "--name-only")
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkSyncGit(b *testing.B) {
	dir := benchRepo(b)
	commits := 0
	for b.Loop() {
		commits = syncAll(b, dir)
	}
	b.ReportMetric(float64(commits), "commits/op")
}

func BenchmarkGitLogBaseline(b *testing.B) {
	dir := benchRepo(b)
	for b.Loop() {
		gitLogBaseline(b, dir)
	}
}

// BenchmarkSyncGitRatio alternates a sync and the baseline and reports the
// ratio of their total times, which stays meaningful on a machine whose
// load changes between two separate benchmarks.
func BenchmarkSyncGitRatio(b *testing.B) {
	dir := benchRepo(b)
	var sync, base time.Duration
	for b.Loop() {
		t0 := time.Now()
		syncAll(b, dir)
		t1 := time.Now()
		gitLogBaseline(b, dir)
		sync, base = sync+t1.Sub(t0), base+time.Since(t1)
	}
	b.ReportMetric(float64(sync)/float64(base), "sync/baseline")
}

// BenchmarkSyncGitToStoreRatio is the whole sync a user waits for: the
// connector, the writes into a new database, the people merge and the
// summaries, alternated with `git log --no-merges --name-only` as in
// BenchmarkSyncGitRatio. The target is at most 1.5.
func BenchmarkSyncGitToStoreRatio(b *testing.B) {
	dir := benchRepo(b)
	ctx := context.Background()
	var sync, base time.Duration
	n := 0
	for b.Loop() {
		src, err := New(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n++
		t0 := time.Now()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("sync%d.db", n)), store.Options{CacheMiB: 64})
		if err != nil {
			b.Fatal(err)
		}
		if res := engine.Run(ctx, st, []connector.Source{src}, engine.Options{}); res[0].Err != nil || len(res) != 1 {
			b.Fatal(res)
		}
		st.Close()
		t1 := time.Now()
		gitLogBaseline(b, dir)
		sync, base = sync+t1.Sub(t0), base+time.Since(t1)
	}
	b.ReportMetric(float64(sync)/float64(base), "sync/baseline")
}
