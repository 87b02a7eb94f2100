package backend

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/data/store"
)

// testEnv is an Env rooted in a temporary home.
func testEnv(t *testing.T) (Env, string) {
	t.Helper()
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	return Env{Getenv: func(k string) string { return vars[k] }, Now: time.Now}, home
}

// TestForeignDatabaseIsRefusedAndUnchanged: another program's SQLite file
// is never given hearth's tables, by any way of opening it.
func TestForeignDatabaseIsRefusedAndUnchanged(t *testing.T) {
	env, home := testEnv(t)
	path := filepath.Join(home, "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opens := map[string]func() (*store.Store, error){
		"view":     func() (*store.Store, error) { return env.OpenView(ctx, path) },
		"sync":     func() (*store.Store, error) { return env.OpenSync(ctx, path) },
		"existing": func() (*store.Store, error) { return env.OpenExisting(ctx, path) },
	}
	for name, open := range opens {
		st, err := open()
		if err == nil {
			st.Close()
			t.Fatalf("%s: opened another program's database", name)
		}
		if !errors.Is(err, store.ErrForeign) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line saying it is not a hearth database", name, err)
		}
	}
	if state, err := Inspect(ctx, path); err != nil || state != DBForeign {
		t.Errorf("Inspect = %v, %v; want %v", state, err, DBForeign)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the foreign file changed")
	}
	for _, side := range []string{"-wal", "-journal"} {
		if _, err := os.Stat(path + side); err == nil {
			t.Errorf("left %s%s behind", filepath.Base(path), side)
		}
	}
}

// TestMissingDirectory: only the default database's directory is created.
func TestMissingDirectory(t *testing.T) {
	env, home := testEnv(t)
	ctx := context.Background()
	typo := filepath.Join(home, "no-such-dir", "h.db")
	for name, open := range map[string]func(string) (*store.Store, error){
		"view": func(p string) (*store.Store, error) { return env.OpenView(ctx, p) },
		"sync": func(p string) (*store.Store, error) { return env.OpenSync(ctx, p) },
	} {
		if st, err := open(typo); err == nil {
			st.Close()
			t.Errorf("%s: created a database in a directory that did not exist", name)
		} else if !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("%s: error %q does not say the directory is missing", name, err)
		}
	}
	if _, err := os.Stat(filepath.Dir(typo)); err == nil {
		t.Error("the missing directory was created")
	}
	if _, err := WriteDemo(ctx, typo, DemoMinMembers, 1); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("WriteDemo into a missing directory: %v", err)
	}

	def, err := env.DBPath("")
	if err != nil {
		t.Fatal(err)
	}
	st, err := env.OpenView(ctx, def)
	if err != nil {
		t.Fatalf("the default database's directory was not created: %v", err)
	}
	st.Close()
}

// readOnlyChild is set in the environment of the child process that
// TestReadOnlyDatabase runs as an unprivileged user.
const readOnlyChild = "HEARTH_TEST_READONLY_DB"

// TestReadOnlyDatabase: a database hearth cannot write opens read-only for
// viewing and listing, and a sync into it fails with one line. Root can
// write anything, so as root the checks run in a child process as nobody.
func TestReadOnlyDatabase(t *testing.T) {
	if path := os.Getenv(readOnlyChild); path != "" {
		checkReadOnly(t, path)
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	env, _ := testEnv(t)
	st, err := env.OpenSync(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if os.Geteuid() != 0 {
		checkReadOnly(t, path)
		return
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv: cannot make a file read-only for this process")
	}
	// The child must be able to reach the test binary and the database.
	bin := filepath.Join(t.TempDir(), "backend.test")
	exe, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Dir(bin), filepath.Dir(dir), filepath.Dir(filepath.Dir(bin))} {
		os.Chmod(d, 0o755)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
		bin, "-test.run=^TestReadOnlyDatabase$", "-test.v")
	cmd.Env = append(os.Environ(), readOnlyChild+"="+path, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestReadOnlyDatabase") {
		t.Fatalf("child did not run the checks:\n%s", out)
	}
}

func checkReadOnly(t *testing.T, path string) {
	env, _ := testEnv(t)
	ctx := context.Background()
	st, err := env.OpenView(ctx, path)
	if err != nil {
		t.Fatalf("view of a read-only database: %v", err)
	}
	if !st.ReadOnly() {
		t.Error("view of a read-only database is not marked read-only")
	}
	if _, err := st.Summary(ctx); err != nil {
		t.Errorf("cannot read the read-only database: %v", err)
	}
	st.Close()
	st, err = env.OpenExisting(ctx, path)
	if err != nil || !st.ReadOnly() {
		t.Fatalf("listing a read-only database: %v", err)
	}
	st.Close()
	_, err = env.OpenSync(ctx, path)
	if err == nil || !strings.HasSuffix(err.Error(), "is read-only: hearth can show it but not sync into it") {
		t.Errorf("sync into a read-only database: %v", err)
	}
}

// TestPaths: every file hearth keeps follows the XDG base directories,
// ignoring relative values as the specification says.
func TestPaths(t *testing.T) {
	vars := map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg/config", "XDG_DATA_HOME": "rel", "XDG_CACHE_HOME": "/xdg/cache"}
	env := Env{Getenv: func(k string) string { return vars[k] }}
	for _, c := range []struct {
		name string
		get  func() (string, error)
		want string
	}{
		{"config", func() (string, error) { return env.ConfigPath("") }, "/xdg/config/hearth/config.toml"},
		{"config flag", func() (string, error) { return env.ConfigPath("my.toml") }, "my.toml"},
		{"data (relative XDG ignored)", func() (string, error) { return env.DBPath("") }, "/home/u/.local/share/hearth/hearth.db"},
		{"db flag", func() (string, error) { return env.DBPath("x.db") }, "x.db"},
		{"demo", env.DemoPath, "/xdg/cache/hearth/demo.db"},
	} {
		if got, err := c.get(); err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	vars["HEARTH_DB"] = "/env.db"
	if got, _ := env.DBPath(""); got != "/env.db" {
		t.Errorf("HEARTH_DB ignored: %q", got)
	}
	delete(vars, "HOME")
	delete(vars, "XDG_CONFIG_HOME")
	if _, err := env.ConfigPath(""); err == nil {
		t.Error("no home and no XDG_CONFIG_HOME gave a path")
	}
}
