package git

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"hearth/model"
)

// logFormat is the --format of every `git log` we read, with -z. Each
// record starts with RS (0x1e) and its fields end with NUL, which no name,
// e-mail or message can contain; --name-only then appends "\n" and the
// paths, each ended by NUL. A field that starts with RS therefore opens the
// next record, and nothing in a message can be mistaken for a separator.
// %aN and %aE are the author after .mailmap.
const logFormat = "--format=%x1e%H%x00%aN%x00%aE%x00%at%x00%s%x00%b%x00"

// contact is a "Name <email>" pair as written in a trailer.
type contact struct{ name, email string }

func (c contact) String() string { return c.name + " <" + c.email + ">" }

// commit is one record of the log.
type commit struct {
	sha       string
	name      string // author name after .mailmap
	email     string // author e-mail after .mailmap, as written
	at        int64  // author date, Unix seconds
	subject   string
	coauthors []contact // from Co-authored-by trailers, not yet mailmapped
	topics    []string  // from the paths touched, first appearance first
	paths     []string  // the paths touched; none when more than model.MaxActivityPaths
	docsOnly  bool      // at least one path, and every path is documentation
}

// logReader parses the output of `git log -z --format=logFormat`, with or
// without --name-only, one commit at a time, without holding more than one
// record in memory.
type logReader struct {
	r       *bufio.Reader
	topics  *topicMatcher // nil: the log has no paths
	pending []byte        // the first field of the next record, already read
	long    []byte        // scratch for fields longer than the buffer
	strs    map[string]string
}

func newLogReader(r io.Reader, topics *topicMatcher) *logReader {
	return &logReader{
		r:      bufio.NewReaderSize(r, 256<<10),
		topics: topics,
		strs:   make(map[string]string, 1024),
	}
}

// field returns the next NUL-terminated field, without its NUL. The slice is
// valid until the next call. At the end of the stream it returns io.EOF.
func (l *logReader) field() ([]byte, error) {
	if l.pending != nil {
		f := l.pending
		l.pending = nil
		return f, nil
	}
	b, err := l.r.ReadSlice(0)
	if err == nil {
		return b[:len(b)-1], nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		if err == io.EOF && len(b) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	l.long = append(l.long[:0], b...)
	for {
		b, err = l.r.ReadSlice(0)
		l.long = append(l.long, b...)
		if err == nil {
			return l.long[:len(l.long)-1], nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// intern returns b as a string, sharing one copy for the names and e-mails
// that recur on every commit of a person.
func (l *logReader) intern(b []byte) string {
	if s, ok := l.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	l.strs[s] = s
	return s
}

// next reads one commit into c. It returns io.EOF after the last one.
func (l *logReader) next(c *commit) error {
	f, err := l.field()
	if err != nil {
		return err
	}
	if len(f) == 0 || f[0] != 0x1e {
		return fmt.Errorf("unexpected git log output %q", truncate(f))
	}
	c.sha = string(f[1:])
	var header [5][]byte // name, email, date, subject, body
	for i := range header {
		if header[i], err = l.field(); err != nil {
			return fmt.Errorf("commit %s: %w", c.sha, noEOF(err))
		}
		switch i {
		case 0:
			c.name = l.intern(header[i])
		case 1:
			c.email = l.intern(header[i])
		case 2:
			if c.at, err = strconv.ParseInt(string(header[i]), 10, 64); err != nil {
				return fmt.Errorf("commit %s: author date %q", c.sha, header[i])
			}
		case 3:
			c.subject = string(header[i])
		case 4:
			c.coauthors = coauthors(header[i])
		}
	}
	c.topics, c.paths, c.docsOnly = nil, nil, false
	paths := 0
	for {
		f, err := l.field()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("commit %s: %w", c.sha, err)
		}
		if len(f) > 0 && f[0] == 0x1e {
			l.pending = f
			break
		}
		if paths == 0 {
			f = bytes.TrimPrefix(f, []byte{'\n'})
		}
		if len(f) == 0 || l.topics == nil {
			continue // the record's terminator
		}
		t := l.topics.topic(f)
		if paths == 0 {
			c.docsOnly = true
		}
		paths++
		c.docsOnly = c.docsOnly && t == DocsTopic
		if paths <= model.MaxActivityPaths {
			c.paths = append(c.paths, l.intern(f))
		} else {
			c.paths = nil
		}
		if t != "" && !contains(c.topics, t) {
			c.topics = append(c.topics, t)
		}
	}
	return nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func truncate(b []byte) []byte {
	if len(b) > 60 {
		return b[:60]
	}
	return b
}

const coauthorKey = "co-authored-by:"

// coauthors returns the people credited by "Co-authored-by: Name <email>"
// lines of a commit body. The key is matched without regard to case, as
// git's trailer code does; lines that do not hold a name and an address are
// ignored.
func coauthors(body []byte) []contact {
	var out []contact
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		line = bytes.TrimSpace(line)
		if !hasPrefixFold(line, coauthorKey) {
			continue
		}
		if c, ok := parseContact(string(line[len(coauthorKey):])); ok {
			out = append(out, c)
		}
	}
	return out
}

// parseContact parses "Name <email>". The address must look like one: no
// spaces or angle brackets, an @ with something on both sides.
func parseContact(s string) (contact, bool) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '<')
	if open < 0 || !strings.HasSuffix(s, ">") {
		return contact{}, false
	}
	name := strings.TrimSpace(s[:open])
	email := s[open+1 : len(s)-1]
	at := strings.IndexByte(email, '@')
	if strings.ContainsAny(name, "<>") || strings.ContainsAny(email, "<> \t") ||
		at <= 0 || at == len(email)-1 {
		return contact{}, false
	}
	return contact{name: name, email: email}, true
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
