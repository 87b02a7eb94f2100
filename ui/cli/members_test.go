package cli

import (
	"bytes"
	"context"
	"hearth/data/demo/demotest"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkMembersCSV measures a script listing every member of a
// 2,000-person community: open, read, clean, filter and print.
func BenchmarkMembersCSV(b *testing.B) {
	benchMembers(b, "--format", "csv")
}

// BenchmarkMembersTableFiltered is the same with a filter and a table
// fitted to a terminal.
func BenchmarkMembersTableFiltered(b *testing.B) {
	benchMembers(b, "--format", "table", "--filter", "core storage")
}

func benchMembers(b *testing.B, args ...string) {
	env := testEnv{"HOME": b.TempDir()}
	path := filepath.Join(b.TempDir(), "bench.db")
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, env.get)
	if code := app.run(context.Background(), []string{"demo", "--db", path, "--members", "2000"}); code != 0 {
		b.Fatalf("demo: %s", errb.String())
	}
	args = append([]string{"members", "--db", path}, args...)
	app.terminal = func() (bool, int) { return true, 120 }
	b.ResetTimer()
	for b.Loop() {
		out.Reset()
		if code := app.run(context.Background(), args); code != 0 {
			b.Fatalf("members: %s", errb.String())
		}
	}
	b.ReportMetric(float64(strings.Count(out.String(), "\n")), "lines")
}

// BenchmarkMembersJSON100k and BenchmarkMembersCSV100k: a script exporting
// every member of a 100,000-person community (open, read, print); JSON
// should cost at most 1.3 times CSV.
func BenchmarkMembersJSON100k(b *testing.B) { benchExport100k(b, "json") }

func BenchmarkMembersCSV100k(b *testing.B) { benchExport100k(b, "csv") }

func benchExport100k(b *testing.B, format string) {
	path := demotest.Cached(b, 100_000)
	env := testEnv{"HOME": b.TempDir()}
	var errb bytes.Buffer
	out := &countingWriter{}
	app := newApp(strings.NewReader(""), out, &errb, env.get)
	args := []string{"members", "--db", path, "--format", format}
	for b.Loop() {
		if code := app.run(context.Background(), args); code != 0 {
			b.Fatalf("members: %s", errb.String())
		}
	}
	b.ReportMetric(float64(out.n)/float64(b.N)/1e6, "MB/op-out")
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
