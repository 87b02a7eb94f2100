package mbox

import (
	"strings"
)

// replyPrefixes start the subjects of replies and forwards, in the
// languages mailers most often write them.
var replyPrefixes = []string{"re:", "fwd:", "fw:", "aw:", "sv:", "vs:", "antw:", "r:", "tr:", "wg:"}

// cutPrefix removes one reply prefix ("Re:", "RE[2]:", "Fwd:") from the
// start of s.
func cutPrefix(s string) (string, bool) {
	lower := strings.ToLower(s)
	for _, p := range replyPrefixes {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(s[len(p):]), true
		}
		// Counted forms: "Re[2]:", "Re(2):".
		if stem := p[:len(p)-1]; strings.HasPrefix(lower, stem+"[") || strings.HasPrefix(lower, stem+"(") {
			if end := strings.IndexByte(lower, ':'); end > len(stem) && end < len(stem)+6 {
				return strings.TrimSpace(s[end+1:]), true
			}
		}
	}
	return s, false
}

// cutTag removes one leading "[tag]", as lists prefix subjects.
func cutTag(s string) (string, bool) {
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end > 0 {
			return strings.TrimSpace(s[end+1:]), true
		}
	}
	return s, false
}

// replySubject reports whether a subject is a reply's or a forward's,
// behind any list tags.
func replySubject(subject string) bool {
	s := strings.TrimSpace(subject)
	for {
		var ok bool
		if s, ok = cutTag(s); !ok {
			break
		}
	}
	_, ok := cutPrefix(s)
	return ok
}

// cleanSubject is the subject as a title: reply and forward prefixes
// removed, wherever among the list tags they stand ("[dev] Re: x" is
// "[dev] x").
func cleanSubject(subject string) string {
	s := strings.Join(strings.Fields(subject), " ")
	var tags []string
	for {
		if rest, ok := cutPrefix(s); ok {
			s = rest
			continue
		}
		if rest, ok := cutTag(s); ok {
			tag := strings.TrimSpace(s[:len(s)-len(rest)])
			if !containsFold(tags, tag) {
				tags = append(tags, tag)
			}
			s = rest
			continue
		}
		break
	}
	if len(tags) > 0 {
		s = strings.TrimSpace(strings.Join(tags, " ") + " " + s)
	}
	return s
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// threadKey is what replies without threading headers are matched on: the
// subject without prefixes and tags, lower case, spaces collapsed.
func threadKey(subject string) string {
	s := strings.Join(strings.Fields(subject), " ")
	for {
		if rest, ok := cutPrefix(s); ok {
			s = rest
			continue
		}
		if rest, ok := cutTag(s); ok {
			s = rest
			continue
		}
		break
	}
	return strings.ToLower(s)
}

// askPhrases are the words that make a thread starter a question without
// a question mark.
var askPhrases = []string{
	"how do i ", "how can i ", "how should i ", "is there a way", "is it possible",
	"does anyone", "does anybody", "anyone know", "can anyone", "can someone",
	"could someone", "any idea", "any advice", "what is the best way", "i need help", "help needed",
}

// asks reports whether a thread starter asks something: a question mark
// ending a word of the subject or first paragraph (not one inside a URL),
// or one of askPhrases.
func asks(subject, para string) bool {
	for _, s := range []string{subject, para} {
		for i := 0; i < len(s); i++ {
			if s[i] != '?' {
				continue
			}
			if i+1 == len(s) || strings.IndexByte(" \t\r\n)\"'.!?,:;", s[i+1]) >= 0 {
				return true
			}
		}
	}
	lower := strings.ToLower(subject + " " + para + " ")
	for _, p := range askPhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}
