package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/config"
	"hearth/data/github/githubtest"
	"hearth/data/store"
)

// runCmd runs one command function in-process, as dispatch would once it
// is wired, and applies the same exit contract.
func runCmd(t *testing.T, env testEnv, width int, cmd commandFunc, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, env.get)
	app.terminal = func() (bool, int) { return width > 0, width }
	r := result{code: app.exit(cmd(context.Background(), app, args))}
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// gitRepo makes a repository with a few commits by two people.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := filepath.Join(t.TempDir(), "proj")
	run := func(env []string, args ...string) {
		t.Helper()
		c := exec.Command("git", args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		c.Env = append(c.Env, env...)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run(nil, "init", "-q", "-b", "main")
	for i, who := range []string{"Zoë Müller <zoe@acme.com>", "Bo <bo@example.org>", "Zoë Müller <zoe+lists@acme.com>"} {
		name, email, _ := strings.Cut(strings.TrimSuffix(who, ">"), " <")
		if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(strings.Repeat("x", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		env := []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email,
			"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email,
			"GIT_AUTHOR_DATE=2025-01-0" + string(rune('1'+i)) + "T10:00:00Z", "GIT_COMMITTER_DATE=2025-01-0" + string(rune('1'+i)) + "T10:00:00Z"}
		run(env, "add", "f.txt")
		run(env, "commit", "-q", "-m", "change "+string(rune('a'+i)))
	}
	return dir
}

func TestSyncGitPathThenStatus(t *testing.T) {
	repo := gitRepo(t)
	env := newTestEnv(t)
	db := filepath.Join(env["HOME"], "h.db")
	env["HEARTH_DB"] = db
	r := runCmd(t, env, 0, runSync, "git", repo)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "3 items") {
		t.Errorf("report %q, want the 3 commits", r.stderr)
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := st.Members(context.Background())
	st.Close()
	if err != nil || len(ms) != 2 {
		t.Fatalf("members %+v %v: want Zoë (two addresses, one person) and Bo", ms, err)
	}
	// A second sync is incremental and finds nothing new.
	r = runCmd(t, env, 0, runSync, "--quiet", "git", repo)
	if r.code != 0 || r.stderr != "" || r.stdout != "" {
		t.Errorf("quiet resync: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, env, 0, runSync, "--status")
	if r.code != 0 || !strings.Contains(r.stdout, "git:") || !strings.Contains(r.stdout, " ok") || !strings.Contains(r.stdout, "SOURCE") {
		t.Errorf("status: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestSyncFromConfigAndErrors(t *testing.T) {
	repo := gitRepo(t)
	env := newTestEnv(t)
	env["HEARTH_DB"] = filepath.Join(env["HOME"], "h.db")
	env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], "cfg")

	// No config, no arguments: nothing to sync is a usage error.
	r := runCmd(t, env, 0, runSync)
	oneLineError(t, r, 2)
	if !strings.Contains(r.stderr, "nothing to sync") {
		t.Errorf("stderr %q", r.stderr)
	}

	cfg := filepath.Join(env["XDG_CONFIG_HOME"], "hearth", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "bots = [\"^ci-\"]\n[[git]]\nname = \"proj\"\npath = \"" + repo + "\"\n[orgs]\n\"Acme\" = [\"acme.com\"]\n"
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, env, 0, runSync, "nope")
	oneLineError(t, r, 2)
	if !strings.Contains(r.stderr, `no source named "nope"`) {
		t.Errorf("stderr %q", r.stderr)
	}
	// On a terminal the progress is drawn as bars.
	r = runCmd(t, env, 100, runSync, "proj")
	if r.code != 0 || !strings.Contains(r.stderr, "3 items") {
		t.Fatalf("sync proj: %d %q", r.code, r.stderr)
	}
	st, err := store.Open(context.Background(), env["HEARTH_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, _ := st.Members(context.Background())
	orgs := map[string]string{}
	for _, m := range ms {
		orgs[m.Name] = m.Org
	}
	if orgs["Zoë Müller"] != "Acme" || orgs["Bo"] != "" {
		t.Errorf("orgs from the config: %v", orgs)
	}

	// A broken config is one line naming the file and line.
	if err := os.WriteFile(cfg, []byte("[[git]]\npath = \"/x\"\nbranh = \"main\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, env, 0, runSync)
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, cfg+":3: unknown key") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = runCmd(t, env, 0, runSync, "--demo")
	oneLineError(t, r, 2)
}

func TestConfigInit(t *testing.T) {
	env := newTestEnv(t)
	env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], "cfg")
	r := runCmd(t, env, 0, runConfig, "init")
	want := filepath.Join(env["XDG_CONFIG_HOME"], "hearth", "config.toml")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "wrote "+want {
		t.Fatalf("init: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// The example's repository is not on this machine yet.
	t.Setenv("HOME", env["HOME"])
	r = runCmd(t, env, 0, runConfig, "check")
	oneLineError(t, r, 1)
	gitLine := 1 + strings.Count(config.Example()[:strings.Index(config.Example(), "[[git]]")], "\n")
	if !strings.Contains(r.stderr, want+":"+itoa(gitLine)+": [[git]] path "+filepath.Join(env["HOME"], "src", "project")+" does not exist") {
		t.Errorf("check: %q", r.stderr)
	}
	project := &testRepo{t: t, dir: filepath.Join(env["HOME"], "src", "project")}
	if err := os.MkdirAll(project.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	project.git(nil, "init", "-q")
	r = runCmd(t, env, 0, runConfig, "check")
	if r.code != 0 || !strings.Contains(r.stdout, "ok (1 git, 1 github, 0 mbox, 0 ical, 0 discourse, 0 slack sources)") {
		t.Errorf("check: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, env, 0, runConfig, "init")
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second init: %q", r.stderr)
	}
	other := filepath.Join(env["HOME"], "elsewhere.toml")
	r = runCmd(t, env, 0, runConfig, "init", "--config", other)
	if _, err := os.Stat(other); r.code != 0 || err != nil {
		t.Errorf("init --config: %d %q %v", r.code, r.stderr, err)
	}
	oneLineError(t, runCmd(t, env, 0, runConfig), 2)
	oneLineError(t, runCmd(t, env, 0, runConfig, "frobnicate"), 2)
}

// TestConfigCheckFile: check FILE reads that file, and reports every
// problem on a line of its own before the verdict.
func TestConfigCheckFile(t *testing.T) {
	env := newTestEnv(t)
	repo := gitRepo(t)
	file := filepath.Join(env["HOME"], "team.toml")
	missing := filepath.Join(env["HOME"], "missing")
	text := "[[git]]\npath = \"" + repo + "\"\n\n[[git]]\npath = \"" + missing + "\"\n\n" +
		"[[git]]\nname = \"home\"\npath = \"" + env["HOME"] + "\"\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, env, 0, runConfig, "check", file)
	want := "hearth: " + file + ":4: [[git]] path " + missing + " does not exist\n" +
		"hearth: " + file + ":7: [[git]] path " + env["HOME"] + " is not a git repository\n" +
		"hearth: " + file + ": 2 problems\n"
	if r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Errorf("check FILE: %d %q %q, want stderr %q", r.code, r.stdout, r.stderr, want)
	}

	if err := os.WriteFile(file, []byte("[[git]]\npath = \""+repo+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, env, 0, runConfig, "check", file)
	if r.code != 0 || r.stdout != file+": ok (1 git, 0 github, 0 mbox, 0 ical, 0 discourse, 0 slack source)\n" {
		t.Errorf("check FILE: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, env, 0, runConfig, "check", filepath.Join(env["HOME"], "nope.toml"))
	oneLineError(t, r, 1)
	if !strings.Contains(r.stderr, "nope.toml does not exist") {
		t.Errorf("check of a missing FILE: %q", r.stderr)
	}
	oneLineError(t, runCmd(t, env, 0, runConfig, "check", file, "--config", file), 2)
	oneLineError(t, runCmd(t, env, 0, runConfig, "path", file), 2)
}

func TestLineViewThrottles(t *testing.T) {
	var b bytes.Buffer
	now := time.Unix(0, 0)
	v := newLineView(&b, func() time.Time { return now })
	for i := 0; i < 100; i++ {
		v.progress("git:/p", i, 100, "commits")
		now = now.Add(100 * time.Millisecond)
	}
	v.progress("git:/p", 100, 100, "commits")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) < 3 || len(lines) > 6 || lines[len(lines)-1] != "git:/p: 100/100 commits" {
		t.Errorf("lines %q", lines)
	}
}

func TestSyncGitHubTokenFromNamedVariable(t *testing.T) {
	f := githubtest.Default()
	f.Token = "sekrit"
	srv := githubtest.New(t, f)
	defer srv.Close()
	env := newTestEnv(t)
	env["HEARTH_DB"] = filepath.Join(env["HOME"], "h.db")
	env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], "cfg")
	env["PATH"] = "" // no gh CLI to fall back on

	// Ad hoc: the token comes from GITHUB_TOKEN.
	env["GITHUB_TOKEN"] = "sekrit"
	r := runCmd(t, env, 0, runSync, "github", srv.Repo, "--api-url", srv.URL)
	if r.code != 0 {
		t.Fatalf("sync github: %d %q", r.code, r.stderr)
	}
	delete(env, "GITHUB_TOKEN")

	// From the config: the token comes from the variable it names, and the
	// second run costs conditional requests.
	cfg := filepath.Join(env["XDG_CONFIG_HOME"], "hearth", "config.toml")
	os.MkdirAll(filepath.Dir(cfg), 0o755)
	text := "[[github]]\nrepo = \"" + srv.Repo + "\"\napi_url = \"" + srv.URL + "\"\ntoken_env = \"MY_TOKEN\"\n"
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, env, 0, runSync)
	oneLineError(t, r, 1) // no token: the server refuses
	env["MY_TOKEN"] = "sekrit"
	srv.ResetLog()
	r = runCmd(t, env, 0, runSync)
	if r.code != 0 {
		t.Fatalf("sync from config: %d %q", r.code, r.stderr)
	}
	if _, conditional, _ := srv.Stats(); conditional == 0 {
		t.Error("resync made no conditional requests")
	}
	st, err := store.Open(context.Background(), env["HEARTH_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ms, err := st.Members(context.Background()); err != nil || len(ms) == 0 {
		t.Errorf("no members after the GitHub sync: %v", err)
	}
}

// TestSyncShowsRateLimitWait: a short rate limit is waited out, and both
// views say so while the sync stands still.
func TestSyncShowsRateLimitWait(t *testing.T) {
	for _, width := range []int{0, 100} {
		srv := githubtest.New(t, githubtest.Default())
		// Retry-After: 0 keeps the test instant; the countdown itself is
		// tested below with a fake clock.
		srv.Inject("/issues?", 1, githubtest.RetryAfter(0))
		env := newTestEnv(t)
		env["HEARTH_DB"] = filepath.Join(env["HOME"], "h.db")
		env["GITHUB_TOKEN"] = "t"
		r := runCmd(t, env, width, runSync, "github", srv.Repo, "--api-url", srv.URL)
		if r.code != 0 {
			t.Fatalf("width %d: exit %d: %s", width, r.code, r.stderr)
		}
		want := "rate limited by GitHub, resuming in 0s (at "
		if width == 0 {
			want = "\ngithub:acme/widgets: " + want
		}
		if !strings.Contains("\n"+r.stderr, want) {
			t.Errorf("width %d: progress does not show the wait (%q):\n%s", width, want, r.stderr)
		}
		if strings.Count(r.stderr, "rate limited") != 1 {
			t.Errorf("width %d: the wait is shown %d times:\n%s", width, strings.Count(r.stderr, "rate limited"), r.stderr)
		}
	}
}

// testRepo is a git repository in a temp dir that tests commit to.
type testRepo struct {
	t    *testing.T
	dir  string
	tick int // commits get increasing, reproducible dates
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "proj")}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.git(nil, "init", "-q", "-b", "main")
	return r
}

// git runs git in the repository, without the user's configuration.
func (r *testRepo) git(env []string, args ...string) string {
	r.t.Helper()
	c := exec.Command("git", args...)
	c.Dir = r.dir
	c.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	c.Env = append(c.Env, env...)
	out, err := c.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// as is the environment of a commit by who ("Name <email>").
func (r *testRepo) as(who string) []string {
	name, email, _ := strings.Cut(strings.TrimSuffix(who, ">"), " <")
	r.tick++
	date := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(r.tick) * time.Hour).Format(time.RFC3339)
	return []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date}
}

// commit writes file and commits it as who with message msg.
func (r *testRepo) commit(who, file, msg string) {
	r.t.Helper()
	path := filepath.Join(r.dir, file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		r.t.Fatal(err)
	}
	fmt.Fprintln(f, msg)
	f.Close()
	env := r.as(who)
	r.git(env, "add", file)
	r.git(env, "commit", "-q", "-m", msg)
}

// shortlog is `git shortlog -sne --no-merges HEAD`: commits per
// "Name <email>" after .mailmap.
func (r *testRepo) shortlog() map[string]int {
	r.t.Helper()
	// shortlog reads stdin when it is not a terminal unless given a
	// revision, which HEAD is.
	out := r.git(nil, "shortlog", "-sne", "--no-merges", "HEAD")
	counts := map[string]int{}
	for line := range strings.Lines(out) {
		n, who, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok {
			r.t.Fatalf("shortlog line %q", line)
		}
		c, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil {
			r.t.Fatalf("shortlog line %q", line)
		}
		counts[who] = c
	}
	return counts
}

// history builds, on main: four authors, one of whom (Zoë) committed from
// two addresses that .mailmap merges, and a feature branch merged with a
// merge commit, which shortlog --no-merges and hearth both leave out.
func (r *testRepo) history() {
	r.t.Helper()
	zoe, zoeOld := "Zoë Müller <zoe@acme.com>", "Zoe M <zoe@old.example>"
	r.commit(zoe, "README", "start")
	r.commit("Bo Berg <bo@example.org>", "src/a.go", "add a")
	r.commit(zoeOld, "src/b.go", "add b")
	r.commit(zoeOld, "docs/guide.md", "write guide")
	if err := os.WriteFile(filepath.Join(r.dir, ".mailmap"), []byte("Zoë Müller <zoe@acme.com> <zoe@old.example>\n"), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.git(r.as(zoe), "add", ".mailmap")
	r.git(r.as(zoe), "commit", "-q", "-m", "mailmap")

	r.git(nil, "checkout", "-q", "-b", "feature")
	r.commit("Cy Chen <cy@example.net>", "src/c.go", "add c")
	r.commit("Cy Chen <cy@example.net>", "src/c.go", "fix c")
	r.git(nil, "checkout", "-q", "main")
	r.commit("Bo Berg <bo@example.org>", "src/a.go", "fix a")
	r.git(r.as("Ana Alves <ana@example.com>"), "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
	r.commit("Ana Alves <ana@example.com>", "src/d.go", "add d")
}

// listRecords runs a listing command with --format json --db db and
// decodes its records.
func listRecords[T any](t *testing.T, env testEnv, db, command string) []T {
	t.Helper()
	r := runCLI(t, env, 0, command, "--format", "json", "--db", db)
	if r.code != 0 {
		t.Fatalf("%s: %d %s", command, r.code, r.stderr)
	}
	var recs []T
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil {
		t.Fatalf("%s JSON: %v\n%s", command, err, r.stdout)
	}
	return recs
}

// checkActivities asserts that the members are exactly the people of want
// ("Name <email>" → commit activities) with those counts, and that the
// totals agree.
func checkActivities(t *testing.T, ms []memberRecord, want map[string]int) {
	t.Helper()
	got, wantTotal, gotTotal := map[string]int{}, 0, 0
	for _, m := range ms {
		gotTotal += m.Activities
		for who := range want {
			_, email, _ := strings.Cut(strings.TrimSuffix(who, ">"), " <")
			if slices.Contains(m.Emails, email) {
				got[who] += m.Activities
			}
		}
	}
	for who, n := range want {
		wantTotal += n
		if got[who] != n {
			t.Errorf("%s: %d activities, want %d", who, got[who], n)
		}
	}
	if len(ms) != len(want) || gotTotal != wantTotal {
		t.Errorf("%d members with %d activities, want %d with %d: %+v", len(ms), gotTotal, len(want), wantTotal, ms)
	}
}

// TestAcceptanceGitMatchesShortlog: after hearth sync git, every member has
// as many activities as git shortlog counts commits for them, .mailmap and
// merges included.
func TestAcceptanceGitMatchesShortlog(t *testing.T) {
	repo := newTestRepo(t)
	repo.history()
	want := repo.shortlog()
	if len(want) != 4 || want["Zoë Müller <zoe@acme.com>"] != 4 {
		t.Fatalf("the fixture is not what the test expects: %v", want)
	}
	env := newTestEnv(t)
	db := filepath.Join(env["HOME"], "x.db")
	if r := runCLI(t, env, 0, "sync", "git", repo.dir, "--db", db); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	checkActivities(t, listRecords[memberRecord](t, env, db, "members"), want)
}

// TestAcceptanceGitCoauthors: co-authors are credited with one more commit
// activity each, on top of what shortlog counts; a co-author's old address
// goes through .mailmap too.
func TestAcceptanceGitCoauthors(t *testing.T) {
	repo := newTestRepo(t)
	repo.history()
	env := repo.as("Bo Berg <bo@example.org>")
	if err := os.WriteFile(filepath.Join(repo.dir, "src", "e.go"), []byte("e\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo.git(env, "add", "src/e.go")
	repo.git(env, "commit", "-q", "-m", "add e\n\nPaired on it.\n\n"+
		"Co-authored-by: Zoe M <zoe@old.example>\nCo-authored-by: Dee Diaz <dee@example.net>\n")

	want := repo.shortlog()
	// The credits of the trailers, after .mailmap.
	want["Zoë Müller <zoe@acme.com>"]++
	want["Dee Diaz <dee@example.net>"]++
	tenv := newTestEnv(t)
	db := filepath.Join(tenv["HOME"], "x.db")
	if r := runCLI(t, tenv, 0, "sync", "git", repo.dir, "--db", db); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	checkActivities(t, listRecords[memberRecord](t, tenv, db, "members"), want)
}

// TestAcceptanceGitHub: hearth sync github against the fake API fills the
// members and the unanswered questions.
func TestAcceptanceGitHub(t *testing.T) {
	f := githubtest.Default()
	srv := githubtest.New(t, f)
	env := newTestEnv(t)
	env["GITHUB_TOKEN"] = "t"
	db := filepath.Join(env["HOME"], "y.db")
	if r := runCLI(t, env, 0, "sync", "github", srv.Repo, "--api-url", srv.URL, "--db", db); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}

	// Every person of the fixture but the bot accounts (a GitHub App,
	// helpdesk-bot) is a member.
	var handles []string
	for _, m := range listRecords[memberRecord](t, env, db, "members") {
		handles = append(handles, m.Handles...)
	}
	var want []string
	for _, u := range f.Users {
		if u.Type != "Bot" && u.Login != "helpdesk-bot" {
			want = append(want, "@"+u.Login)
		}
	}
	slices.Sort(handles)
	slices.Sort(want)
	if !slices.Equal(handles, want) {
		t.Errorf("member handles %q, want %q", handles, want)
	}

	// The questions: open issues labelled question (any case) that nobody
	// but their author and bots answered — in Default, #2 only.
	qs := listRecords[questionRecord](t, env, db, "questions")
	var got []string
	for _, q := range qs {
		got = append(got, q.Title)
	}
	if want := []string{f.Issues[1].Title}; !slices.Equal(got, want) {
		t.Errorf("questions %q, want %q", got, want)
	}
}

// TestSyncGitHubUsesConfigBots: the config's bot expressions reach the
// GitHub connector, so a bot's greeting on a question is no answer.
func TestSyncGitHubUsesConfigBots(t *testing.T) {
	f := githubtest.Default()
	f.Issues = append(f.Issues, githubtest.Issue{Number: 7, Title: "Where are the docs?", Author: "dave",
		Labels: []string{"question"}, Created: githubtest.At(14), Updated: githubtest.At(15)})
	f.Comments = append(f.Comments, githubtest.Comment{ID: 107, Issue: 7, Author: "helpdesk",
		Body: "Thanks! Someone will reply soon.", Created: githubtest.At(15), Updated: githubtest.At(15)})
	srv := githubtest.New(t, f)
	for _, tc := range []struct {
		bots string
		want []string
	}{
		// helpdesk is an ordinary account: its greeting answers #7.
		{`[]`, []string{"Is there a dark theme?"}},
		{`["^desk"]`, []string{"Is there a dark theme?"}},
		{`["^helpdesk$"]`, []string{"Is there a dark theme?", "Where are the docs?"}},
		// Logins match regardless of case, as the git connector matches
		// names and addresses.
		{`["^HelpDesk$"]`, []string{"Is there a dark theme?", "Where are the docs?"}},
	} {
		env := newTestEnv(t)
		env["GITHUB_TOKEN"] = "t"
		env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], "cfg")
		db := filepath.Join(env["HOME"], "h.db")
		cfg := filepath.Join(env["XDG_CONFIG_HOME"], "hearth", "config.toml")
		if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
			t.Fatal(err)
		}
		text := "bots = " + tc.bots + "\n[[github]]\nrepo = \"" + srv.Repo + "\"\napi_url = \"" + srv.URL + "\"\n"
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := runCLI(t, env, 0, "sync", "--db", db); r.code != 0 {
			t.Fatalf("bots %s: sync: %d %s", tc.bots, r.code, r.stderr)
		}
		var got []string
		for _, q := range listRecords[questionRecord](t, env, db, "questions") {
			got = append(got, q.Title)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("bots %s: questions %q, want %q", tc.bots, got, tc.want)
		}
	}
}
