package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"hearth/data/demo/demotest"
)

// BenchmarkReport100k: the whole of `hearth report` on the 100,000-member
// demo — open, read, compute both periods, render (target: 2 s).
func BenchmarkReport100k(b *testing.B) {
	path := demotest.Cached(b, 100_000)
	for _, format := range []string{"md", "html", "json"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				var out bytes.Buffer
				app := newApp(strings.NewReader(""), &out, io.Discard, testEnv{"HOME": b.TempDir()}.get)
				app.Now = func() time.Time { return demotest.Now }
				app.terminal = func() (bool, int) { return false, 0 }
				if code := app.run(context.Background(), []string{"report", "--db", path, "--format", format}); code != 0 || out.Len() == 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
