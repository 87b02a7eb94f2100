package slack

import (
	"errors"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ts is a Slack message timestamp, "1709640000.123456", as microseconds
// since the epoch: unique within a channel, and the message's id there.
type ts int64

var errBadTS = errors.New("bad ts")

// parseTS reads a ts: seconds, and optionally a dot and up to six digits
// of fraction.
func parseTS(s string) (ts, error) {
	sec, frac, _ := strings.Cut(s, ".")
	if sec == "" || len(sec) > 12 || len(frac) > 6 || !digits(sec) || !digits(frac) {
		return 0, errBadTS
	}
	n, _ := strconv.ParseInt(sec, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	return ts(n*1e6 + f), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Time is the moment the ts stands for, in UTC.
func (t ts) Time() time.Time { return time.UnixMicro(int64(t)).UTC() }

// String is the ts as Slack writes it, always with six digits of fraction.
func (t ts) String() string {
	s := strconv.FormatInt(int64(t)/1e6, 10) + "." + strconv.FormatInt(1e6+int64(t)%1e6, 10)[1:]
	return s
}

// link is the message's permalink in the workspace at base, "" without
// one. A reply links into its thread.
func link(base, channelID string, t, thread ts) string {
	if base == "" {
		return ""
	}
	u := base + "/archives/" + channelID + "/p" + strings.Replace(t.String(), ".", "", 1)
	if thread != 0 && thread != t {
		u += "?thread_ts=" + thread.String() + "&cid=" + channelID
	}
	return u
}

// DefaultHelpChannel reports whether a channel's name says it is for
// questions: one of its words (split at - and _) is help, support,
// question(s), questions, qna or faq, or it holds "q-and-a" or "q&a".
func DefaultHelpChannel(name string) bool {
	n := strings.ToLower(strings.TrimPrefix(name, "#"))
	if strings.Contains(n, "q-and-a") || strings.Contains(n, "q&a") || strings.Contains(n, "q_and_a") {
		return true
	}
	for w := range strings.FieldsFuncSeq(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		switch w {
		case "help", "support", "question", "questions", "qna", "faq", "ask":
			return true
		}
	}
	return false
}

// matchChannel matches a configured help channel, a name or a path.Match
// pattern, "#" optional, ignoring case.
func matchChannel(pattern, name string) (bool, error) {
	p := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(pattern), "#"))
	return path.Match(p, strings.ToLower(name))
}

// asks reports whether a message's text asks something: its last
// sentence ends with a question mark, trailing emoji codes (":pray:")
// and closing punctuation aside.
func asks(text string) bool {
	t := strings.TrimSpace(text)
	for {
		t = strings.TrimRight(t, " \t\n)]*_~")
		if !strings.HasSuffix(t, ":") {
			break
		}
		i := strings.LastIndexByte(t[:len(t)-1], ':')
		if i < 0 || strings.ContainsAny(t[i+1:len(t)-1], " \t\n") || i == len(t)-2 {
			break
		}
		t = t[:i]
	}
	return strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？")
}

// names resolves the ids a message's text refers to.
type names struct {
	user    func(id string) string // a user's @-name, "" when unknown
	channel func(id string) string // a channel's name, "" when unknown
}

// render turns Slack's markup into plain text: <@U123> and <@U123|ann>
// become "@ann", <#C123|general> "#general", <!here> "@here", <url|label>
// the label and <url> the URL; &lt; &gt; and &amp; are unescaped.
func (n names) render(text string) string {
	if !strings.ContainsAny(text, "<&") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(unescape(text[:i]))
		b.WriteString(n.token(text[i+1 : i+j]))
		text = text[i+j+1:]
	}
	b.WriteString(unescape(text))
	return b.String()
}

// token renders what stood between < and >.
func (n names) token(tok string) string {
	ref, label, hasLabel := strings.Cut(tok, "|")
	switch {
	case strings.HasPrefix(ref, "@"):
		if hasLabel && label != "" {
			return "@" + strings.TrimPrefix(unescape(label), "@")
		}
		if name := n.user(ref[1:]); name != "" {
			return "@" + name
		}
		return ref
	case strings.HasPrefix(ref, "#"):
		if hasLabel && label != "" {
			return "#" + unescape(label)
		}
		if name := n.channel(ref[1:]); name != "" {
			return "#" + name
		}
		return ref
	case strings.HasPrefix(ref, "!"):
		if hasLabel && label != "" {
			return unescape(label)
		}
		cmd, _, _ := strings.Cut(ref[1:], "^")
		return "@" + cmd
	case hasLabel && label != "":
		return unescape(label)
	}
	return unescape(ref)
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// titleOf is a message's first non-empty line, cut to 120 characters.
func titleOf(text string) string {
	for line := range strings.Lines(text) {
		if l := strings.TrimSpace(line); l != "" {
			return cut(l, 120)
		}
	}
	return ""
}

// cut shortens s to at most n runes, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	return strings.TrimSpace(s[:i]) + "…"
}
