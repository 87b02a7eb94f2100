package model

import "sync"

// Share returns a filter over the same index with a memory of its own.
// The index (the row texts and fields) is never written after it is
// built, so many programs can share one copy of it; the memory of recent
// results is written by every Match, so each program needs its own. The
// filters of one index also share the results they computed (filterMemo):
// on a server, the sessions typing the same first letters scan for them
// once.
func (f *Filter) Share() *Filter {
	return &Filter{hay: f.hay, fields: f.fields, masks: f.masks, shared: f.shared}
}

// Bounds of a filterMemo: the results of a server's last queries, at most
// 8 MB of row numbers.
const (
	memoResults = 64
	memoRows    = 2 << 20
)

// filterMemo is the results of the last queries over one index, shared by
// the filters made from it with Share; safe for concurrent use. A query
// asked while another filter computes it waits for that result instead of
// scanning again.
type filterMemo struct {
	mu      sync.Mutex
	results map[string]*memoResult
	order   []string // computed results, oldest first
	rows    int      // row numbers held by the computed results
}

type memoResult struct {
	done chan struct{} // closed once the scan ended
	ok   bool          // the scan returned rows
	filterResult
}

// get returns the rows of the query with key q and terms, computing them
// with scan unless a filter of the index has; scan gets the computed
// results, to start from one that covers the query.
func (m *filterMemo) get(q string, terms []Term, scan func(shared []filterResult) []int32) []int32 {
	m.mu.Lock()
	if r, ok := m.results[q]; ok {
		m.mu.Unlock()
		<-r.done
		if r.ok {
			return r.rows
		}
		return scan(nil) // the scan that was asked first failed
	}
	if m.results == nil {
		m.results = map[string]*memoResult{}
	}
	r := &memoResult{done: make(chan struct{}), filterResult: filterResult{query: q, terms: terms}}
	m.results[q] = r
	computed := make([]filterResult, 0, len(m.order))
	for _, k := range m.order {
		computed = append(computed, m.results[k].filterResult)
	}
	m.mu.Unlock()

	defer func() {
		// Whatever happened to scan, the waiters wake and the result is
		// kept only if it was computed.
		close(r.done)
		m.mu.Lock()
		defer m.mu.Unlock()
		if !r.ok {
			delete(m.results, q)
			return
		}
		m.order = append(m.order, q)
		m.rows += len(r.rows)
		for len(m.order) > 1 && (len(m.order) > memoResults || m.rows > memoRows) {
			old := m.order[0]
			m.order = m.order[1:]
			m.rows -= len(m.results[old].rows)
			delete(m.results, old)
		}
	}()
	r.rows = scan(computed)
	r.ok = true
	return r.rows
}
