package mbox

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"
)

// msg is one message of a test archive.
type msg struct {
	from    string // address
	name    string // display name as the header writes it (may be RFC 2047)
	at      time.Time
	id      string // without brackets
	subject string
	replyTo string   // In-Reply-To, without brackets
	refs    []string // References, without brackets
	body    string
}

var march = time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)

// pipermail renders messages as Mailman's pipermail writes its monthly
// .txt archives: "From user at host  date" separators, obfuscated From
// fields with the name in parentheses, and body lines starting "From "
// quoted as ">From ".
func pipermail(msgs ...msg) string {
	var b strings.Builder
	for _, m := range msgs {
		obf := strings.Replace(m.from, "@", " at ", 1)
		fmt.Fprintf(&b, "From %s  %s\n", obf, m.at.Format(time.ANSIC))
		if m.name != "" {
			fmt.Fprintf(&b, "From: %s (%s)\n", obf, m.name)
		} else {
			fmt.Fprintf(&b, "From: %s\n", obf)
		}
		fmt.Fprintf(&b, "Date: %s\n", m.at.Format(time.RFC1123Z))
		fmt.Fprintf(&b, "Subject: %s\n", m.subject)
		if m.replyTo != "" {
			fmt.Fprintf(&b, "In-Reply-To: <%s>\n", m.replyTo)
		}
		if len(m.refs) > 0 {
			fmt.Fprintf(&b, "References: <%s>\n", strings.Join(m.refs, ">\n\t<"))
		}
		fmt.Fprintf(&b, "Message-ID: <%s>\n\n", m.id)
		b.WriteString(quoteFrom(m.body))
		b.WriteString("\n\n")
	}
	return b.String()
}

// mboxrd renders messages as a mail client's mbox file: "From addr date"
// separators and RFC 5322 From fields.
func mboxrd(msgs ...msg) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "From %s %s\n", m.from, m.at.Format(time.ANSIC))
		if m.name != "" {
			fmt.Fprintf(&b, "From: %s <%s>\n", m.name, m.from)
		} else {
			fmt.Fprintf(&b, "From: %s\n", m.from)
		}
		fmt.Fprintf(&b, "Date: %s\nSubject: %s\nMessage-ID: <%s>\n", m.at.Format(time.RFC1123Z), m.subject, m.id)
		if m.replyTo != "" {
			fmt.Fprintf(&b, "In-Reply-To: <%s>\n", m.replyTo)
		}
		b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
		b.WriteString(quoteFrom(m.body))
		b.WriteString("\n\n")
	}
	return b.String()
}

func quoteFrom(body string) string {
	var b strings.Builder
	for line := range strings.Lines(body) {
		if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
			b.WriteByte('>')
		}
		b.WriteString(line)
	}
	return b.String()
}

func gz(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustNew(t testing.TB, path string, opts Options) *Source {
	t.Helper()
	s, err := New(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
