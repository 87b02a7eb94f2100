package ui

import (
	"strings"

	"hearth/model"
)

// Links come from sources, so they are untrusted: a URL is cleaned, then
// every byte that is not printable ASCII is percent-encoded, so nothing in
// it can end the OSC 8 sequence it travels in or start another one.

// maxLinkLen is the longest URL made clickable; longer ones are shown and
// copied but not sent inside an escape sequence.
const maxLinkLen = 2048

// safeURL returns raw cleaned and percent-encoded down to printable ASCII
// without spaces. linkable reports whether a terminal may be asked to open
// it: only http, https and mailto URLs of a sane length are.
func safeURL(raw string) (u string, linkable bool) {
	s := strings.TrimSpace(model.CleanLine(raw))
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	u = b.String()
	lower := strings.ToLower(u)
	linkable = len(u) <= maxLinkLen &&
		(strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "mailto:"))
	return u, linkable
}

// shortenURL fits a safe (ASCII) URL in w cells by leaving out the middle:
// the scheme and host stay, and as much of the end of the path as fits,
// since that is what tells links apart ("https://github.com/…/issues/42").
func shortenURL(u string, w int) string {
	if len(u) <= w {
		return u
	}
	if w <= 1 {
		return ellipsis[:len(ellipsis)*max(w, 0)]
	}
	head := ""
	if i := strings.Index(u, "://"); i >= 0 {
		head = u
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			head = u[:i+3+j+1]
		}
	}
	// Keep the host when at least a few characters of the path still fit
	// after it; otherwise cut in the middle.
	const minTail = 8
	if head == "" || len(head)+1+minTail > w {
		head = u[:(w-1)/2]
	}
	tail := w - 1 - len(head)
	return head + ellipsis + u[len(u)-tail:]
}

// hyperlink wraps text in an OSC 8 hyperlink to u, which must come from
// safeURL.
func hyperlink(u, text string) string {
	return "\x1b]8;;" + u + "\x1b\\" + text + "\x1b]8;;\x1b\\"
}
