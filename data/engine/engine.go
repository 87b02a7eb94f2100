// Package engine runs a sync: a few sources at a time, each batch written
// through the store with its cursor, then the people merge and the refresh
// of the derived tables once for the whole run. Connectors never see the
// store, and the store never runs a connector: the engine is between them.
package engine

import (
	"context"
	"fmt"
	"hearth/data/connector"
	"hearth/data/people"
	"hearth/data/store"
	"hearth/model"
	"sync"
	"time"
)

// Options tune Sync.
type Options struct {
	// Concurrency bounds how many sources run at once; 0 means 3. Writes
	// are serialised anyway: the bound is for network and git work.
	Concurrency int
	// OnProgress, when set, receives the connectors' progress reports. Calls
	// are serialised, so it need not be safe for concurrent use.
	OnProgress func(source string, done, total int, what string)
	// Now is the clock for sync_state times and the summaries; nil means
	// time.Now.
	Now func() time.Time
	// Rules are the funnel definitions for the summaries; the zero value
	// means model.DefaultRules().
	Rules model.Rules
	// People are the identity-merging rules from the config file.
	People people.Rules
}

// Result is how one source's sync went. Sync appends one more result
// with an empty Source when merging people or refreshing the summaries
// failed.
type Result struct {
	Source  string
	Batches int // committed this run
	Items   int // source items committed this run
	Elapsed time.Duration
	Err     error
}

// Run runs the sources, a few at a time, records per source when it ran
// and how it went, then merges identities into people and refreshes the
// summaries once for the whole run. A cancelled context stops every source
// after its last committed batch; the next Sync resumes there.
func Run(ctx context.Context, s *store.Store, sources []connector.Source, opt Options) []Result {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	limit := opt.Concurrency
	if limit <= 0 {
		limit = 3
	}
	bulk, err := s.BeginBulk(ctx)
	if err != nil {
		return []Result{{Err: fmt.Errorf("sync: %w", err)}}
	}
	var progressMu, writeMu sync.Mutex
	results := make([]Result, len(sources))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	seen := map[string]bool{}
	for n, src := range sources {
		name := src.Name()
		results[n].Source = name
		if seen[name] {
			results[n].Err = fmt.Errorf("sync %s: listed twice", name)
			continue
		}
		seen[name] = true
		// Sources start in the order given; the semaphore is taken here, not
		// in the goroutine, so that order holds under the bound.
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			results[n].Err = fmt.Errorf("sync %s: %w", name, ctx.Err())
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[n] = syncOne(ctx, s, src, now, &writeMu, func(done, total int, what string) {
				if opt.OnProgress == nil {
					return
				}
				progressMu.Lock()
				defer progressMu.Unlock()
				opt.OnProgress(name, done, total, what)
			})
		}()
	}
	wg.Wait()
	if bulk {
		// Even after a cancellation: the index is needed by every reader.
		if err := s.EndBulk(ctx); err != nil {
			return append(results, Result{Err: err})
		}
	}
	if ctx.Err() != nil {
		// People and summaries are rebuilt by the next complete run, which
		// finds what this one wrote in the dirty tables.
		return results
	}
	rules := opt.Rules
	if rules == (model.Rules{}) {
		rules = model.DefaultRules()
	}
	// Both steps cost what the run changed, not what the community holds:
	// the merge regroups only the identities the batches marked (all of
	// them when the people rules changed), and the refresh runs only when
	// something is marked or the date made the standings stale. A run that
	// brought nothing reads a few rows and writes none.
	if err := s.MergeDirtyPeople(ctx, opt.People); err != nil {
		return append(results, Result{Err: err})
	}
	pending, err := s.RefreshPending(ctx, now(), rules)
	if err != nil {
		return append(results, Result{Err: err})
	}
	if pending {
		if err := s.RefreshDirty(ctx, now(), rules); err != nil {
			return append(results, Result{Err: err})
		}
	}
	return results
}

func syncOne(ctx context.Context, s *store.Store, src connector.Source, now func() time.Time, writeMu *sync.Mutex,
	progress func(done, total int, what string)) (res Result) {
	name := src.Name()
	res = Result{Source: name}
	start := time.Now()
	defer func() { res.Elapsed = time.Since(start) }() // res is the named result: the caller sees it
	// Status writes take the same lock as batches: they would only wait
	// on SQLite's busy timeout otherwise.
	writeMu.Lock()
	cursor, err := s.StartRun(ctx, name, now())
	writeMu.Unlock()
	if err != nil {
		res.Err = fmt.Errorf("sync %s: %w", name, err)
		return res
	}
	state := connector.SyncState{
		Cursor:    cursor,
		Validator: func(url string) connector.Validator { return s.Validator(ctx, url) },
		Progress:  progress,
	}
	err = src.Sync(ctx, state, func(b connector.Batch) error {
		writeMu.Lock()
		defer writeMu.Unlock()
		if err := s.ApplyBatchAt(ctx, name, b, now()); err != nil {
			return fmt.Errorf("write batch: %w", err)
		}
		res.Batches++
		res.Items += b.Items
		return nil
	})
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		res.Err = fmt.Errorf("sync %s: %w", name, err)
	}
	writeMu.Lock()
	rerr := s.RecordRun(ctx, name, now(), res.Err)
	writeMu.Unlock()
	if rerr != nil && res.Err == nil {
		res.Err = fmt.Errorf("sync %s: %w", name, rerr)
	}
	return res
}
