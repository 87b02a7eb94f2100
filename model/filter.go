package model

import (
	"strings"
)

// Filter finds the rows whose text contains every word of a query,
// ignoring case. It remembers recent results: a query that contains an
// earlier query can only match a subset of the earlier matches, so typing one
// more character narrows the previous result instead of scanning everything,
// and deleting one returns to a remembered result.
type Filter struct {
	hay    []string // lower-cased searchable text per row
	recent []filterResult
}

type filterResult struct {
	query string
	rows  []int32
}

const filterMemory = 16

// NewFilter indexes one searchable text per row.
func NewFilter(texts []string) *Filter {
	hay := make([]string, len(texts))
	for i, t := range texts {
		hay[i] = strings.ToLower(t)
	}
	return &Filter{hay: hay}
}

// Len is the number of rows indexed.
func (f *Filter) Len() int { return len(f.hay) }

// Match returns the indices, in row order, of the rows matching query. An
// empty query matches nothing special: it returns nil, meaning all rows.
// The returned slice must not be modified.
func (f *Filter) Match(query string) []int32 {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	words := strings.Fields(q)
	q = strings.Join(words, " ")
	for _, r := range f.recent {
		if r.query == q {
			return r.rows
		}
	}
	// Start from the smallest remembered result whose query words are each
	// contained in some word of q: those rows are a superset of the answer.
	var base []int32
	haveBase := false
	for _, r := range f.recent {
		if covers(r.query, words) && (!haveBase || len(r.rows) < len(base)) {
			base, haveBase = r.rows, true
		}
	}
	var out []int32
	if haveBase {
		out = make([]int32, 0, len(base))
		for _, i := range base {
			if matchAll(f.hay[i], words) {
				out = append(out, i)
			}
		}
	} else {
		out = make([]int32, 0, 256)
		for i, h := range f.hay {
			if matchAll(h, words) {
				out = append(out, int32(i))
			}
		}
	}
	f.remember(q, out)
	return out
}

func (f *Filter) remember(q string, rows []int32) {
	if len(f.recent) >= filterMemory {
		copy(f.recent, f.recent[1:])
		f.recent = f.recent[:len(f.recent)-1]
	}
	f.recent = append(f.recent, filterResult{q, rows})
}

// covers reports whether every word of prev is a substring of some word of
// words, so that anything matching words also matches prev.
func covers(prev string, words []string) bool {
	for _, p := range strings.Fields(prev) {
		found := false
		for _, w := range words {
			if strings.Contains(w, p) {
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

func matchAll(h string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
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
