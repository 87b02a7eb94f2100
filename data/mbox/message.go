package mbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// message is what hearth keeps of one mail.
type message struct {
	id        string // "<local@domain>", angle brackets included
	addr      string // the sender's address as written, obfuscation undone
	name      string // the sender's display name, decoded; "" when none
	date      time.Time
	subject   string   // decoded
	inReplyTo string   // "<...>" or ""
	refs      []string // References, oldest first
	// para is the first paragraph of the text, read only for thread
	// starters (wantBody): it decides whether the thread asks something.
	para string
}

// reply reports whether the headers say the message answers another.
func (m *message) reply() bool { return m.inReplyTo != "" || len(m.refs) > 0 }

// malformed is why a message was skipped. Its text is the reason counted
// in Stats.
type malformed string

func (e malformed) Error() string { return string(e) }

// Reasons a message is skipped.
const (
	errNoFrom      malformed = "no sender"
	errNoDate      malformed = "no valid date"
	errNoID        malformed = "no Message-ID"
	errBadHeader   malformed = "broken header"
	errTruncated   malformed = "truncated"
	errEncoding    malformed = "bad encoding"
	errMIME        malformed = "broken MIME"
	errNotMbox     malformed = "not mbox data"
	errUnreadable  malformed = "unreadable file"
	errTooLarge    malformed = "message too large"
	maxHeaderBytes           = 1 << 20
)

// headers are the fields a message is read for, raw (unfolded, not
// decoded).
type headers struct {
	from, date, id, subject, inReplyTo, refs, ctype, cte string
}

// parser reads messages. It caches the parsed form of sender fields: a
// list's few thousand people write most of its messages, and address
// parsing is the costliest step after splitting.
type parser struct {
	dec     mime.WordDecoder
	senders map[string]sender
}

type sender struct {
	addr, name string
	err        error
}

func newParser() *parser {
	p := &parser{senders: map[string]sender{}}
	p.dec.CharsetReader = charsetReader
	return p
}

// parse reads one message: raw starts after its "From " separator line.
// wantBody asks for the first paragraph of a thread starter's text.
func (p *parser) parse(raw []byte, wantBody func(*message) bool) (*message, error) {
	var h headers
	body, err := splitHeaders(raw, &h)
	if err != nil {
		return nil, err
	}
	m := &message{}
	if h.from == "" {
		return nil, errNoFrom
	}
	s, ok := p.senders[h.from]
	if !ok {
		s.addr, s.name, s.err = p.sender(h.from)
		if len(p.senders) < 100_000 {
			p.senders[h.from] = s
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	m.addr, m.name = s.addr, s.name
	if h.date == "" {
		return nil, errNoDate
	}
	if m.date, err = parseDate(h.date); err != nil {
		return nil, errNoDate
	}
	if m.id = firstID(h.id); m.id == "" {
		return nil, errNoID
	}
	m.inReplyTo = firstID(h.inReplyTo)
	m.refs = allIDs(h.refs)
	m.subject = p.text(h.subject)
	mt, params := "text/plain", map[string]string(nil)
	if h.ctype != "" {
		if mt, params, err = mime.ParseMediaType(h.ctype); err != nil {
			return nil, errMIME
		}
	}
	if strings.HasPrefix(mt, "multipart/") {
		b := params["boundary"]
		if b == "" || !bytes.Contains(body, []byte("--"+b)) {
			return nil, errMIME
		}
	}
	if wantBody(m) {
		text, err := bodyText(mt, params, h.cte, body)
		if err != nil {
			return nil, err
		}
		m.para = firstParagraph(text)
	}
	return m, nil
}

// splitHeaders reads the header section into h and returns the body. A
// line that is neither a field nor a continuation is a broken header; a
// message that ends inside its headers is truncated.
func splitHeaders(raw []byte, h *headers) ([]byte, error) {
	var field *string
	rest := raw
	for n := 0; ; n++ {
		if len(rest) == 0 {
			return nil, errTruncated
		}
		if raw := len(raw) - len(rest); raw > maxHeaderBytes {
			return nil, errBadHeader
		}
		i := bytes.IndexByte(rest, '\n')
		var line []byte
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if n == 0 {
				return nil, errNoFrom
			}
			if i < 0 {
				return nil, errTruncated
			}
			return rest, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if n == 0 {
				return nil, errBadHeader
			}
			if field != nil {
				*field += " " + string(bytes.TrimSpace(line))
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !fieldName(line[:colon]) {
			return nil, errBadHeader
		}
		field = nil
		name := line[:colon]
		switch len(name) {
		case 4:
			if asciiEqualFold(name, "from") {
				field = &h.from
			} else if asciiEqualFold(name, "date") {
				field = &h.date
			}
		case 7:
			if asciiEqualFold(name, "subject") {
				field = &h.subject
			}
		case 10:
			if asciiEqualFold(name, "message-id") {
				field = &h.id
			} else if asciiEqualFold(name, "references") {
				field = &h.refs
			}
		case 11:
			if asciiEqualFold(name, "in-reply-to") {
				field = &h.inReplyTo
			}
		case 12:
			if asciiEqualFold(name, "content-type") {
				field = &h.ctype
			}
		case 25:
			if asciiEqualFold(name, "content-transfer-encoding") {
				field = &h.cte
			}
		}
		if field != nil {
			if *field != "" {
				field = nil // the first occurrence counts
				continue
			}
			*field = string(bytes.TrimSpace(line[colon+1:]))
		}
	}
}

func fieldName(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// sender parses a From field: RFC 5322 forms with RFC 2047 names, and the
// obfuscated forms archives publish ("user at example.org (Full Name)",
// pipermail's).
func (p *parser) sender(v string) (addr, name string, err error) {
	if !strings.Contains(v, "@") {
		v = deobfuscate(v)
	}
	ap := mail.AddressParser{WordDecoder: &p.dec}
	a, perr := ap.Parse(v)
	if perr == nil {
		if !validName(a.Name) {
			return "", "", errEncoding
		}
		return a.Address, strings.TrimSpace(a.Name), nil
	}
	// Lenient fallback for what real mailers write and net/mail refuses:
	// unquoted dots or commas in names, 8-bit names.
	if lt := strings.LastIndexByte(v, '<'); lt >= 0 {
		if gt := strings.IndexByte(v[lt:], '>'); gt > 0 {
			addr = strings.TrimSpace(v[lt+1 : lt+gt])
			name = strings.Trim(strings.TrimSpace(v[:lt]), `"`)
		}
	} else if at := strings.Fields(v); len(at) > 0 {
		addr = at[0]
		if rest := strings.TrimSpace(strings.TrimPrefix(v, addr)); strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
			name = rest[1 : len(rest)-1]
		}
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(addr, " \t<>()\",;") {
		return "", "", errNoFrom
	}
	if name != "" {
		dn, derr := p.dec.DecodeHeader(name)
		if derr != nil || !validName(dn) {
			return "", "", errEncoding
		}
		name = toUTF8(dn)
	}
	return addr, strings.TrimSpace(name), nil
}

// validName rejects decoded names that are not text: invalid UTF-8 from
// an encoded word that claimed UTF-8, an encoded word that did not decode,
// or control characters.
func validName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	// An encoded word left as written did not decode.
	if i := strings.Index(s, "=?"); i >= 0 && strings.Contains(s[i:], "?=") {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// deobfuscate undoes the archive forms "user at example.org" and
// "user at example dot org", keeping a trailing "(Full Name)".
func deobfuscate(v string) string {
	addr, comment := v, ""
	if i := strings.IndexByte(v, '('); i > 0 {
		addr, comment = v[:i], v[i:]
	}
	f := strings.Fields(addr)
	if len(f) < 3 || f[1] != "at" {
		return v
	}
	domain := strings.Join(f[2:], " ")
	domain = strings.ReplaceAll(domain, " dot ", ".")
	if strings.ContainsAny(domain, " ") {
		return v
	}
	out := f[0] + "@" + domain
	if comment != "" {
		out += " " + comment
	}
	return out
}

// text decodes an unstructured header such as Subject. Encoded words that
// do not decode are kept as written: a subject is a title, not an address.
func (p *parser) text(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := p.dec.DecodeHeader(v); err == nil {
			v = d
		}
	}
	return toUTF8(v)
}

// toUTF8 reads 8-bit text that is not UTF-8 as Latin-1, the usual charset
// of raw 8-bit headers in old archives.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]rune, 0, len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, rune(s[i]))
	}
	return string(b)
}

// dateLayouts are what mailers wrote that net/mail.ParseDate refuses.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon Jan 2 15:04:05 2006",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC3339,
}

func parseDate(v string) (time.Time, error) {
	t, err := mail.ParseDate(v)
	if err == nil {
		return t, nil
	}
	v = strings.Join(strings.Fields(v), " ")
	for _, l := range dateLayouts {
		if t, e := time.Parse(l, v); e == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// firstID returns the first "<...>" of a Message-ID or In-Reply-To field.
// In-Reply-To fields sometimes hold prose ("your message of ...") around
// the id, or only prose: then there is none.
func firstID(v string) string {
	lt := strings.IndexByte(v, '<')
	if lt < 0 {
		// A bare id without brackets, as some archivers write it.
		if f := strings.Fields(v); len(f) == 1 && strings.Count(f[0], "@") == 1 {
			return "<" + f[0] + ">"
		}
		return ""
	}
	gt := strings.IndexByte(v[lt:], '>')
	if gt < 2 {
		return ""
	}
	id := v[lt : lt+gt+1]
	if strings.ContainsAny(id[1:len(id)-1], " \t<") {
		return ""
	}
	return id
}

// allIDs returns every "<...>" of a References field, in order.
func allIDs(v string) []string {
	var out []string
	for v != "" {
		id := firstID(v)
		if id == "" {
			break
		}
		out = append(out, id)
		v = v[strings.Index(v, id)+len(id):]
	}
	return out
}

// bodyText decodes the text a message says, as UTF-8: the first text/plain
// part of a multipart message, "" when it has none.
func bodyText(mt string, params map[string]string, cte string, body []byte) (string, error) {
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for depth := 0; ; depth++ {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return "", nil
			}
			if err != nil || depth > 100 {
				return "", errMIME
			}
			raw, err := io.ReadAll(part)
			if err != nil {
				return "", errMIME
			}
			pmt, pparams := "text/plain", map[string]string(nil)
			if ct := part.Header.Get("Content-Type"); ct != "" {
				if pmt, pparams, err = mime.ParseMediaType(ct); err != nil {
					return "", errMIME
				}
			}
			if pmt == "text/plain" || strings.HasPrefix(pmt, "multipart/") {
				return bodyText(pmt, pparams, part.Header.Get("Content-Transfer-Encoding"), raw)
			}
		}
	case mt != "text/plain":
		return "", nil
	}
	var r io.Reader = bytes.NewReader(body)
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, newlineStripper{r})
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	}
	text, err := io.ReadAll(r)
	if err != nil {
		return "", errEncoding
	}
	return toUTF8(string(charsetText(params["charset"], text))), nil
}

// newlineStripper drops line breaks from base64 text, which
// encoding/base64 refuses inside a stream only in some positions.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	c, err := n.r.Read(p)
	out := 0
	for _, b := range p[:c] {
		if b != '\r' && b != '\n' && b != ' ' && b != '\t' {
			p[out] = b
			out++
		}
	}
	return out, err
}

// maxPara bounds the paragraph kept as a question's body.
const maxPara = 500

// firstParagraph returns the first paragraph of a text, lines joined by
// spaces, with mbox's ">From " quoting undone.
func firstParagraph(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			if b.Len() > 0 {
				break
			}
			continue
		}
		if t := strings.TrimLeft(line, ">"); len(t) < len(line) && strings.HasPrefix(t, "From ") {
			line = line[1:]
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		if b.Len() >= maxPara {
			break
		}
	}
	s := b.String()
	if len(s) > maxPara {
		s = strings.ToValidUTF8(s[:maxPara], "")
	}
	return s
}

// messageID returns the Message-ID of a raw message, "" when its headers
// do not give one.
func (p *parser) messageID(raw []byte) string {
	var h headers
	if _, err := splitHeaders(raw, &h); err != nil {
		return ""
	}
	return firstID(h.id)
}
