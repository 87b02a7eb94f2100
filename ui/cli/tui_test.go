package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/data/store"
	"hearth/ui"
)

// The TUI's sync key runs the config's sources into the open store and
// reports progress; without sources it is off, and a broken config is an
// error when the key is used, not when the directory opens.
func TestTUISyncUsesTheConfig(t *testing.T) {
	repo := gitRepo(t)
	env := newTestEnv(t)
	env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], "cfg")
	app := newApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, env.get)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(env["HOME"], "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	if app.tuiSync(st) != nil {
		t.Fatal("with no config file the sync key should be off")
	}

	cfg := filepath.Join(env["XDG_CONFIG_HOME"], "hearth", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[[git]]\nname = \"proj\"\npath = \""+repo+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fn := app.tuiSync(st)
	if fn == nil {
		t.Fatal("a config with sources should enable the sync key")
	}
	var reports []ui.SyncProgress
	if err := fn(ctx, func(p ui.SyncProgress) { reports = append(reports, p) }); err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 || !strings.HasPrefix(reports[len(reports)-1].Source, "git:") {
		t.Fatalf("progress reports %+v", reports)
	}
	ms, err := st.Members(ctx)
	if err != nil || len(ms) != 2 {
		t.Fatalf("after the TUI sync: %d members, %v", len(ms), err)
	}

	if err := os.WriteFile(cfg, []byte("[[git]]\npath = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fn = app.tuiSync(st)
	if fn == nil {
		t.Fatal("a broken config must still give the key something to say")
	}
	if err := fn(ctx, func(ui.SyncProgress) {}); err == nil || !strings.Contains(err.Error(), cfg) {
		t.Fatalf("broken config error %v should name the file", err)
	}
}
