package backend

import (
	"context"

	"hearth/data/people"
	"hearth/data/store"
	"hearth/model"
)

// Regrouping returns w set to regroup and rederive members as it writes
// (store.Writer.WithRules) with the rules a sync of st uses: the
// generated demo's own (it is never synced), else the config file's at
// ConfigPath(cfgFlag). A nil writer stays nil.
func (e Env) Regrouping(ctx context.Context, st *store.Store, w *store.Writer, cfgFlag string) (*store.Writer, error) {
	if w == nil {
		return nil, nil
	}
	if sum, err := st.Summary(ctx); err == nil && sum.Demo {
		return w.WithRules(people.Rules{}, model.DefaultRules()), nil
	}
	cfg, err := e.LoadConfig(cfgFlag)
	if err != nil {
		return nil, err
	}
	return w.WithRules(cfg.PeopleRules(), cfg.Rules()), nil
}
