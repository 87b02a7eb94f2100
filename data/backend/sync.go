package backend

import (
	"context"
	"errors"
	"fmt"

	"hearth/config"
	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
)

// ProgressFunc hears how a running sync goes, per source: done of total
// items (total 0 when unknown) and what is being read. done is ProgressNote
// for a note that stands in for the status (a rate-limit countdown).
type ProgressFunc func(source string, done, total int, what string)

// SyncError is a sync in which some sources failed; the others' batches
// are saved.
type SyncError struct {
	Failed []error // one per failed source, each naming its source
	Total  int     // sources run
}

func (e *SyncError) Error() string {
	if len(e.Failed) == 1 {
		return e.Failed[0].Error()
	}
	return fmt.Sprintf("%d of %d sources failed; first: %v", len(e.Failed), e.Total, e.Failed[0])
}

func (e *SyncError) Unwrap() []error { return e.Failed }

// Sync runs sources into st with the config's rules, reporting progress.
// It returns every source's result; the error is ctx's when the sync was
// interrupted (what was saved stays saved, and the next sync resumes from
// it), a *SyncError when sources failed, and nil otherwise.
func (e Env) Sync(ctx context.Context, st *store.Store, cfg *config.Config, sources []connector.Source, progress ProgressFunc) ([]engine.Result, error) {
	if st.ReadOnly() {
		return nil, fmt.Errorf("%s is read-only: hearth can show it but not sync into it", st.Path())
	}
	results := engine.Run(ctx, st, sources, engine.Options{
		OnProgress: progress,
		Now:        e.Now,
		Rules:      cfg.Rules(),
		People:     cfg.PeopleRules(),
	})
	if ctx.Err() != nil {
		return results, ctx.Err()
	}
	var failed []error
	for _, r := range results {
		if r.Err != nil && !errors.Is(r.Err, context.Canceled) {
			failed = append(failed, r.Err)
		}
	}
	if len(failed) > 0 {
		return results, &SyncError{Failed: failed, Total: len(sources)}
	}
	return results, nil
}

// ConfiguredSync is what an interactive view's sync key runs: every source
// of the config file (cfgFlag, or the default file), into st. It is nil
// when the config lists no sources, so the view can say how to add some.
// A config file that does not load is reported when the sync runs, so that
// a typo never keeps the directory from opening.
func (e Env) ConfiguredSync(st *store.Store, cfgFlag string) func(ctx context.Context, progress ProgressFunc) error {
	cfg, err := e.LoadConfig(cfgFlag)
	if err != nil {
		return func(context.Context, ProgressFunc) error { return err }
	}
	if len(ConfiguredSources(cfg)) == 0 {
		return nil
	}
	return func(ctx context.Context, progress ProgressFunc) error {
		sources, err := e.Sources(ctx, cfg, nil)
		if err != nil {
			return err
		}
		_, err = e.Sync(ctx, st, cfg, sources, progress)
		return err
	}
}
