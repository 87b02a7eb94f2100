package backend

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/config"
	"hearth/data/connector"
	"hearth/data/discourse/discoursetest"
	"hearth/data/engine"
	"hearth/data/store"
)

// TestDiscourseFromConfig: a [[discourse]] section becomes a source whose
// API key and username come from the variables it names, and whose
// rate-limit waits show the same countdown as GitHub's.
func TestDiscourseFromConfig(t *testing.T) {
	f := discoursetest.Default()
	f.APIKey, f.APIUsername = "k3y", "hearth"
	srv := discoursetest.New(t, f)
	srv.Inject("/t/12.json", 1, discoursetest.RetryAfter(2))
	cfg, err := config.Parse("c.toml", "[[discourse]]\nname = \"forum\"\nurl = \""+srv.URL+"\"\n"+
		"api_key_env = \"FORUM_KEY\"\napi_username_env = \"FORUM_USER\"\n")
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	env := Env{Now: clock.now, Getenv: func(k string) string {
		return map[string]string{"FORUM_KEY": "k3y", "FORUM_USER": "hearth"}[k]
	}}
	srcs, err := env.Sources(context.Background(), cfg, []string{"forum"})
	if err != nil || len(srcs) != 1 || !strings.HasPrefix(srcs[0].Name(), "discourse:127.0.0.1:") {
		t.Fatalf("sources %v, %v", srcs, err)
	}
	w := srcs[0].(*discourseWithWaits)
	w.waits.tick = time.Millisecond
	var log progressLog
	// The source's own Sleep is the real one; the 2s wait is short.
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res := engine.Run(context.Background(), st, []connector.Source{w}, engine.Options{
		Now:        clock.now,
		OnProgress: func(_ string, done, _ int, what string) { log.add(done, what) },
	})
	if res[0].Err != nil || res[0].Items != len(f.Topics) {
		t.Fatalf("result %+v", res[0])
	}
	log.waitFor(t, "note: rate limited by Discourse, resuming in 2s")
	for _, r := range srv.Requests() {
		if !r.Authorized {
			t.Errorf("%s sent without the configured key", r.URL)
		}
	}
	if _, ok := LookupKind("discourse"); !ok {
		t.Error("no discourse kind")
	}
}
