package model

import (
	"strings"
)

// Filter finds the rows whose text contains every word of a query,
// ignoring case. It remembers recent results: a query that contains an
// earlier query can only match a subset of the earlier matches, so typing one
// more character narrows the previous result instead of scanning everything,
// and deleting one returns to a remembered result.
//
// A filter made with NewFieldFilter also reads fields in the query (see
// ParseQuery): `stage:core`, `org:"Packet Foundry"`, `new`. Field terms
// match the row's field values, never its free text.
type Filter struct {
	hay    []string // lower-cased searchable text per row
	fields []string // lower-cased field values per row (MemberFields); nil: none
	masks  []uint64 // the bytes each row's text holds (byteMask)
	recent []filterResult
	// shared holds the results of every filter sharing this index (Share):
	// a server's sessions typing the same letters compute them once.
	shared *filterMemo
}

type filterResult struct {
	query string
	terms []Term
	rows  []int32
}

const filterMemory = 16

// NewFilter indexes one searchable text per row.
func NewFilter(texts []string) *Filter {
	hay := make([]string, len(texts))
	masks := make([]uint64, len(texts))
	for i, t := range texts {
		hay[i] = strings.ToLower(t)
		masks[i] = byteMask(hay[i])
	}
	return &Filter{hay: hay, masks: masks, shared: &filterMemo{}}
}

// NewFieldFilter indexes one searchable text and one set of field values
// (as MemberFields encodes them) per row.
func NewFieldFilter(texts, fields []string) *Filter {
	f := NewFilter(texts)
	f.fields = make([]string, len(fields))
	for i, v := range fields {
		f.fields[i] = strings.ToLower(v)
	}
	return f
}

// Len is the number of rows indexed.
func (f *Filter) Len() int { return len(f.hay) }

// Match returns the indices, in row order, of the rows matching query. An
// empty query matches nothing special: it returns nil, meaning all rows.
// The returned slice must not be modified.
func (f *Filter) Match(query string) []int32 {
	terms := f.parse(query)
	if len(terms) == 0 {
		return nil
	}
	q := queryKey(terms)
	for _, r := range f.recent {
		if r.query == q {
			return r.rows
		}
	}
	rows := f.shared.get(q, terms, func(shared []filterResult) []int32 { return f.scan(terms, shared) })
	f.remember(q, terms, rows)
	return rows
}

// scan finds the rows matching terms, starting from the smallest result,
// remembered here or shared, whose terms each cover some term of the
// query: those rows are a superset of the answer.
func (f *Filter) scan(terms []Term, shared []filterResult) []int32 {
	var base []int32
	haveBase := false
	for _, rs := range [][]filterResult{f.recent, shared} {
		for _, r := range rs {
			if covers(r.terms, terms) && (!haveBase || len(r.rows) < len(base)) {
				base, haveBase = r.rows, true
			}
		}
	}
	ts := compile(terms)
	var out []int32
	if haveBase {
		out = make([]int32, 0, len(base))
		for _, i := range base {
			if f.matchRow(int(i), ts) {
				out = append(out, i)
			}
		}
	} else {
		out = make([]int32, 0, len(f.hay))
		for i := range f.hay {
			if f.matchRow(i, ts) {
				out = append(out, int32(i))
			}
		}
	}
	if cap(out) > 2*len(out)+1024 {
		// Narrowed from a much larger result: keep only what matched, since
		// the result stays in memory.
		out = append([]int32(nil), out...)
	}
	return out
}

// parse reads a query: with fields (NewFieldFilter) as ParseQuery does,
// else as plain words, each of which must occur in the text.
func (f *Filter) parse(query string) []Term {
	if f.fields != nil {
		return ParseQuery(query)
	}
	words := strings.Fields(strings.ToLower(query))
	terms := make([]Term, len(words))
	for i, w := range words {
		terms[i] = Term{Value: w}
	}
	return terms
}

func (f *Filter) remember(q string, terms []Term, rows []int32) {
	if len(f.recent) >= filterMemory {
		copy(f.recent, f.recent[1:])
		f.recent = f.recent[:len(f.recent)-1]
	}
	f.recent = append(f.recent, filterResult{q, terms, rows})
}

// covers reports whether every term of prev is contained in some term
// of the same field in terms, so that anything matching terms also
// matches prev.
func covers(prev, terms []Term) bool {
	for _, p := range prev {
		found := false
		for _, t := range terms {
			if t.Field == p.Field && strings.Contains(t.Value, p.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// compiledTerm is a term with the bytes a row's text must hold for it.
type compiledTerm struct {
	Term
	need uint64 // byteMask of a free word's value
	// byMask: the mask alone decides (a free word of one letter or digit).
	byMask bool
}

func compile(terms []Term) []compiledTerm {
	out := make([]compiledTerm, len(terms))
	for i, t := range terms {
		out[i] = compiledTerm{Term: t}
		if t.Field == "" {
			out[i].need = byteMask(t.Value)
			out[i].byMask = len(t.Value) == 1 && maskExact(t.Value[0])
		}
	}
	return out
}

func (f *Filter) matchRow(i int, terms []compiledTerm) bool {
	for _, t := range terms {
		if t.Field == "" {
			if f.masks[i]&t.need != t.need {
				return false
			}
			if !t.byMask && !strings.Contains(f.hay[i], t.Value) {
				return false
			}
			continue
		}
		if f.fields == nil || !matchField(f.fields[i], t.Term) {
			return false
		}
	}
	return true
}

// byteMask has a bit for each letter and digit s holds, and bits shared
// by the other bytes: a row whose mask lacks a bit of a word's mask cannot
// contain the word, which most rows are ruled out by without reading
// their text.
func byteMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << maskBit(s[i])
	}
	return m
}

func maskBit(b byte) uint {
	switch {
	case 'a' <= b && b <= 'z':
		return uint(b - 'a')
	case '0' <= b && b <= '9':
		return 26 + uint(b-'0')
	}
	return 36 + uint(b)%28
}

// maskExact reports whether b has a bit of its own in a mask.
func maskExact(b byte) bool { return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' }

// matchField reports whether one of the values of t's field, in the
// encoded field values fs, contains t's value.
func matchField(fs string, t Term) bool {
	for fs != "" {
		line := fs
		if i := strings.IndexByte(fs, '\n'); i >= 0 {
			line, fs = fs[:i], fs[i+1:]
		} else {
			fs = ""
		}
		name, value, ok := strings.Cut(line, ":")
		if ok && name == t.Field && strings.Contains(value, t.Value) {
			return true
		}
	}
	return false
}

// MemberText is the searchable text of a member: name, organisation,
// handles, e-mails, stage (with new or lapsed) and topics.
func MemberText(m *Member) string {
	var b strings.Builder
	b.WriteString(m.Name)
	b.WriteByte('\n')
	b.WriteString(m.Org)
	for _, h := range m.Handles {
		b.WriteByte('\n')
		b.WriteString(h)
	}
	for _, e := range m.Emails {
		b.WriteByte('\n')
		b.WriteString(e)
	}
	b.WriteByte('\n')
	b.WriteString(m.Standing.Label())
	for _, t := range m.Topics {
		b.WriteByte('\n')
		b.WriteString(t)
	}
	return b.String()
}
