package model

import (
	"strings"
	"unicode"
)

// Term is one term of a filter query: a free word (Field "") that must
// occur in a row's text, or a field and the value one of the row's values
// for that field must contain. Both are lower case.
type Term struct {
	Field string
	Value string
}

// Fields a query may name as `field:value`. The value may be quoted
// (`org:"Packet Foundry"`); an empty value matches every row that has
// any value for the field.
var queryFields = map[string]bool{
	"tag": true, "flag": true, "stage": true, "org": true, "topic": true,
}

// stateWords are words that stand for a field on their own: `new` is
// `state:new`, `lapsed` is `state:lapsed`.
var stateWords = map[string]bool{"new": true, "lapsed": true}

// ParseQuery splits a filter query into terms, ignoring case. A word of
// the form `field:value` with a known field (tag, flag, stage, org,
// topic) is a field term; `new` and `lapsed` are the member's state;
// anything else, including an unknown `field:value`, is a free word.
// Double quotes group words into one value or one free word; an
// unterminated quote runs to the end of the query.
func ParseQuery(q string) []Term {
	var terms []Term
	rs := []rune(strings.ToLower(q))
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		// One word: up to the next space outside quotes.
		var b strings.Builder
		quoted := false
		for ; i < len(rs); i++ {
			r := rs[i]
			if r == '"' {
				quoted = !quoted
				continue
			}
			if unicode.IsSpace(r) && !quoted {
				break
			}
			b.WriteRune(r)
		}
		word := strings.Join(strings.Fields(b.String()), " ")
		if word == "" {
			continue
		}
		if name, value, ok := strings.Cut(word, ":"); ok && queryFields[name] {
			terms = append(terms, Term{Field: name, Value: value})
			continue
		}
		if stateWords[word] {
			terms = append(terms, Term{Field: "state", Value: word})
			continue
		}
		terms = append(terms, Term{Value: word})
	}
	return terms
}

// HasField reports whether a query has a term for one of the fields.
func HasField(q string, fields ...string) bool {
	for _, t := range ParseQuery(q) {
		for _, f := range fields {
			if t.Field == f {
				return true
			}
		}
	}
	return false
}

// queryKey is a canonical text of terms, for remembering results.
func queryKey(terms []Term) string {
	var b strings.Builder
	for _, t := range terms {
		b.WriteString(t.Field)
		b.WriteByte(':')
		b.WriteString(t.Value)
		b.WriteByte('\n')
	}
	return b.String()
}

// MemberFields encodes the values the filter's fields match for m, for
// NewFieldFilter: its stage, new or lapsed state, organisation and
// topics, and the tags and flags given (nil when they are not loaded).
func MemberFields(m *Member, tags, flags []string) string {
	var b strings.Builder
	add := func(name, value string) {
		value = strings.Join(strings.Fields(value), " ")
		if value == "" {
			return
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	add("stage", m.Standing.Stage.String())
	if m.Standing.New {
		add("state", "new")
	}
	if m.Standing.Lapsed {
		add("state", "lapsed")
	}
	add("org", m.Org)
	for _, t := range m.Topics {
		add("topic", t)
	}
	for _, t := range tags {
		add("tag", t)
	}
	for _, f := range flags {
		add("flag", f)
	}
	return b.String()
}
