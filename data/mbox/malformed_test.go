package mbox

import (
	"hearth/data/engine/enginetest"
	"path/filepath"
	"testing"
)

// good is a well-formed message every malformed case sits next to: it must
// be stored whatever its neighbour does.
const good = "From ann at example.org  Mon Mar  4 10:00:00 2024\n" +
	"From: ann at example.org (Ann)\n" +
	"Date: Mon, 04 Mar 2024 10:00:00 +0000\n" +
	"Subject: hello\n" +
	"Message-ID: <good@example.org>\n" +
	"\n" +
	"Hi all.\n" +
	"\n"

// bad builds a message from its header lines and body.
func bad(headers, body string) string {
	return "From x at example.org  Mon Mar  4 11:00:00 2024\n" + headers + "\n" + body + "\n\n"
}

const okHeaders = "Date: Mon, 04 Mar 2024 11:00:00 +0000\nSubject: test\nMessage-ID: <bad@example.org>\n"

func TestMalformedIsSkippedAndCounted(t *testing.T) {
	for _, c := range []struct {
		name string
		file string // the archive's bytes; good is prepended unless raw
		raw  []byte
		why  malformed
	}{
		{"no From header", bad(okHeaders, "body"), nil, errNoFrom},
		{"From without an address", bad("From: nobody\n"+okHeaders, "body"), nil, errNoFrom},
		{"no Date", bad("From: x@example.org\nSubject: t\nMessage-ID: <bad@example.org>\n", "body"), nil, errNoDate},
		{"unreadable Date", bad("From: x@example.org\nDate: the day after yesterday\nMessage-ID: <bad@example.org>\n", "body"), nil, errNoDate},
		{"no Message-ID", bad("From: x@example.org\nDate: Mon, 04 Mar 2024 11:00:00 +0000\nSubject: t\n", "body"), nil, errNoID},
		{"empty Message-ID", bad("From: x@example.org\nDate: Mon, 04 Mar 2024 11:00:00 +0000\nMessage-ID: <>\n", "body"), nil, errNoID},
		{"garbage in the header", bad("From: x@example.org\nthis line is no header\n"+okHeaders, "body"), nil, errBadHeader},
		{"invalid base64 in an encoded name", bad("From: =?utf-8?b?!!!!?= <x@example.org>\n"+okHeaders, "body"), nil, errEncoding},
		{"encoded name that is not UTF-8", bad("From: =?utf-8?q?=FF=FE?= <x@example.org>\n"+okHeaders, "body"), nil, errEncoding},
		{"invalid base64 body", bad("From: x@example.org\n"+okHeaders+"Content-Transfer-Encoding: base64\n", "!!!! not base64 ****"), nil, errEncoding},
		{"multipart without boundary", bad("From: x@example.org\n"+okHeaders+"Content-Type: multipart/mixed\n", "body"), nil, errMIME},
		{"multipart boundary never used", bad("From: x@example.org\n"+okHeaders+"Content-Type: multipart/mixed; boundary=\"zz\"\n", "body"), nil, errMIME},
		{"unparsable Content-Type", bad("From: x@example.org\n"+okHeaders+"Content-Type: text/plain; charset\n", "body"), nil, errMIME},
		{"file cut inside the headers", "From x at example.org  Mon Mar  4 11:00:00 2024\nFrom: x@example.org\nDate: Mon, 04 Mar 2024 11:00:00 +0000", nil, errTruncated},
		{"data before the first separator", "", []byte("not an mbox line\nat all\n\n" + good), errNotMbox},
		{"a file that is not mbox", "", []byte("\x89PNG\r\n\x1a\n\x00\x00binary"), errNotMbox},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			data := c.raw
			want := 0
			if data == nil {
				data = []byte(good + c.file)
				want = 1
			}
			if c.name == "data before the first separator" {
				want = 1
			}
			enginetest.WriteFile(t, filepath.Join(dir, "list.mbox"), data)
			src := mustNew(t, dir, Options{})
			got := enginetest.Collapse(enginetest.Collect(t, src, ""))
			if len(got.Activities) != want {
				t.Errorf("%d messages stored, want %d: %+v", len(got.Activities), want, got.Activities)
			}
			st := src.Stats()
			if st.Skipped[string(c.why)] != 1 || st.Skipped.Total() != 1 {
				t.Errorf("skipped %v, want one %q", st.Skipped, c.why)
			}
		})
	}
}

// A gzip archive cut short keeps the messages before the cut and counts
// the one it broke.
func TestTruncatedGzip(t *testing.T) {
	dir := t.TempDir()
	text := good
	for i := range 50 {
		text += bad("From: x@example.org\nDate: Mon, 04 Mar 2024 11:00:00 +0000\nSubject: more\nMessage-ID: <m"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.org>\n",
			"A long enough body to spread the messages over the compressed stream.")
	}
	z := gz(t, text)
	enginetest.WriteFile(t, filepath.Join(dir, "2024-March.txt.gz"), z[:len(z)*2/3])
	src := mustNew(t, dir, Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if n := len(got.Activities); n == 0 || n >= 51 {
		t.Errorf("%d messages stored from a cut archive of 51", n)
	}
	if st := src.Stats(); st.Skipped[string(errTruncated)] != 1 || st.Skipped.Total() != 1 {
		t.Errorf("skipped %v, want one truncated", st.Skipped)
	}
}
