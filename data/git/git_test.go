package git

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/model"
)

// isolate keeps the user's and the system's git configuration out of the
// test, for the test's own git commands and for the Source's.
func isolate(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// testRepo is a repository built commit by commit with fixed identities and
// dates.
type testRepo struct {
	t   *testing.T
	dir string
	day int
}

var epoch = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

func newTestRepo(t *testing.T, name string) *testRepo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &testRepo{t: t, dir: dir}
	r.git(nil, "-c", "init.defaultBranch=main", "init", "-q")
	return r
}

func (r *testRepo) git(env []string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (a nil content deletes) and commits them as the given
// author, one day after the previous commit. It returns the commit id.
func (r *testRepo) commit(author, msg string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git(nil, "add", "-A")
	return r.commitStaged(author, msg, "--allow-empty")
}

func (r *testRepo) commitStaged(author, msg string, extra ...string) string {
	r.t.Helper()
	c, ok := parseContact(author)
	if !ok {
		r.t.Fatalf("bad author %q", author)
	}
	r.day++
	date := strconv.FormatInt(r.at(r.day).Unix(), 10) + " +0000"
	env := []string{
		"GIT_AUTHOR_NAME=" + c.name, "GIT_AUTHOR_EMAIL=" + c.email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=Committer", "GIT_COMMITTER_EMAIL=committer@example.com", "GIT_COMMITTER_DATE=" + date,
	}
	r.git(env, append([]string{"commit", "-q", "-m", msg}, extra...)...)
	return r.git(nil, "rev-parse", "HEAD")
}

func (r *testRepo) at(day int) time.Time { return epoch.AddDate(0, 0, day) }

// collector records what a Sync emits.
type collector struct {
	batches []connector.Batch
	fail    func(n int) error // called before recording batch n (0-based)
}

func (c *collector) emit(b connector.Batch) error {
	if c.fail != nil {
		if err := c.fail(len(c.batches)); err != nil {
			return err
		}
	}
	c.batches = append(c.batches, b)
	return nil
}

func (c *collector) activities() []model.Activity {
	var out []model.Activity
	for _, b := range c.batches {
		out = append(out, b.Activities...)
	}
	return out
}

func (c *collector) ids() []string {
	var out []string
	for _, a := range c.activities() {
		out = append(out, a.ExternalID)
	}
	return out
}

// sortedIDs is ids in sorted order: batches come newest first, and what
// matters is the set.
func (c *collector) sortedIDs() []string {
	out := c.ids()
	sort.Strings(out)
	return out
}

func sorted(xs ...string) []string {
	sort.Strings(xs)
	return xs
}

func (c *collector) removed() []string {
	var out []string
	for _, b := range c.batches {
		out = append(out, b.RemovedActivities...)
	}
	sort.Strings(out)
	return out
}

func (c *collector) cursor() string {
	if len(c.batches) == 0 {
		return ""
	}
	return c.batches[len(c.batches)-1].Cursor
}

func sync(t *testing.T, s *Source, cursor string) *collector {
	t.Helper()
	c := &collector{}
	if err := s.Sync(context.Background(), connector.SyncState{Cursor: cursor}, c.emit); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return c
}

func mustNew(t *testing.T, path string, opts Options) *Source {
	t.Helper()
	s, err := New(path, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

const (
	alice    = "Alice <alice@example.com>"
	aliceOld = "alice (laptop) <Alice@Old.Example>"
	bob      = "Bob <bob@example.com>"
	carol    = "Carol Jones <carol@example.com>"
	depbot   = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
)

// community builds the repository most tests read: several authors, a
// .mailmap joining two addresses of Alice and two of Carol, co-authors, a
// docs-only commit, a bot, and a merge.
func community(t *testing.T) (r *testRepo, sha map[string]string) {
	r = newTestRepo(t, "project")
	sha = map[string]string{}
	sha["mailmap"] = r.commit(alice, "Add mailmap", map[string]string{
		".mailmap": "Alice Liddell <alice@example.com>\n" +
			"Alice Liddell <alice@example.com> <alice@old.example>\n" +
			"Carol Jones <carol@example.com> <carol@old.example>\n",
	})
	sha["net"] = r.commit(alice, "Add network stack", map[string]string{
		"net/conn.go": "package net", "README.md": "# project",
	})
	sha["docs"] = r.commit(bob, "Document storage", map[string]string{
		"docs/storage.md": "storage", "Documentation/index.rst": "index",
	})
	r.git(nil, "checkout", "-q", "-b", "feature")
	sha["feature"] = r.commit(carol, "Add UI and tests", map[string]string{
		"ui/app.js": "app", "api/handler_test.go": "package api", "tests/e2e.sh": "echo",
	})
	r.git(nil, "checkout", "-q", "main")
	sha["storage"] = r.commit(aliceOld, "Fix storage\n\nLonger explanation.\n\n"+
		"Co-authored-by: Bob <BOB@example.com>\n"+
		"co-authored-by: Carol <carol@old.example>\n"+
		"CO-AUTHORED-BY: not an address\n"+
		"Co-authored-by: Alice <alice@example.com>\n"+
		"Co-authored-by: Bob Again <bob@example.com>\n", map[string]string{
		"storage/db.go": "package storage", "pkg/crypto/hash.go": "package crypto",
	})
	sha["bump"] = r.commit(depbot, "Bump golang.org/x/net", map[string]string{"go.mod": "module x"})
	r.day++
	date := strconv.FormatInt(r.at(r.day).Unix(), 10) + " +0000"
	r.git([]string{
		"GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com", "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=Alice", "GIT_COMMITTER_EMAIL=alice@example.com", "GIT_COMMITTER_DATE=" + date,
	}, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
	sha["merge"] = r.git(nil, "rev-parse", "HEAD")
	return r, sha
}

func TestSyncCommunity(t *testing.T) {
	isolate(t)
	r, sha := community(t)
	s := mustNew(t, r.dir, Options{BatchSize: 2})
	if want := "git:" + r.dir; s.Name() != want {
		t.Errorf("Name = %q, want %q", s.Name(), want)
	}
	c := sync(t, s, "")

	// The paths each commit touched, as expertise keeps them.
	paths := map[string][]string{
		"Add mailmap": {".mailmap"}, "Add network stack": {"README.md", "net/conn.go"},
		"Document storage": {"Documentation/index.rst", "docs/storage.md"},
		"Add UI and tests": {"api/handler_test.go", "tests/e2e.sh", "ui/app.js"},
		"Fix storage":      {"pkg/crypto/hash.go", "storage/db.go"}, "Bump golang.org/x/net": {"go.mod"},
	}
	act := func(id, actor string, kind model.Kind, day int, title string, topics ...string) model.Activity {
		return model.Activity{Source: "git", ExternalID: id, Actor: actor, Kind: kind,
			At: r.at(day), Channel: "project", Title: title, Topics: topics, Paths: paths[title]}
	}
	want := map[string]model.Activity{}
	for _, a := range []model.Activity{
		act(sha["mailmap"], "alice@example.com", model.KindCommit, 1, "Add mailmap"),
		act(sha["net"], "alice@example.com", model.KindCommit, 2, "Add network stack", "docs", "networking"),
		act(sha["docs"], "bob@example.com", model.KindDocChange, 3, "Document storage", "docs"),
		act(sha["feature"], "carol@example.com", model.KindCommit, 4, "Add UI and tests", "api", "testing", "ui"),
		act(sha["storage"], "alice@example.com", model.KindCommit, 5, "Fix storage", "security", "storage"),
		act(sha["storage"]+":bob@example.com", "bob@example.com", model.KindCommit, 5, "Fix storage", "security", "storage"),
		act(sha["storage"]+":carol@example.com", "carol@example.com", model.KindCommit, 5, "Fix storage", "security", "storage"),
		act(sha["bump"], "49699333+dependabot[bot]@users.noreply.github.com", model.KindCommit, 6, "Bump golang.org/x/net"),
	} {
		want[a.ExternalID] = a
	}
	got := map[string]model.Activity{}
	for _, a := range c.activities() {
		if _, dup := got[a.ExternalID]; dup {
			t.Errorf("activity %s emitted twice", a.ExternalID)
		}
		got[a.ExternalID] = a
	}
	if !reflect.DeepEqual(got, want) {
		for id, w := range want {
			if g, ok := got[id]; !ok || !reflect.DeepEqual(g, w) {
				t.Errorf("activity %s:\n got %+v\nwant %+v", id, g, w)
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("unexpected activity %s (the merge is %s)", id, sha["merge"])
			}
		}
	}

	// Identities: one per mailmapped address, the latest name, bots marked.
	idents := map[string]model.Identity{}
	for _, b := range c.batches {
		for _, id := range b.Identities {
			// Later batches win, as upserts do, except that an empty name
			// means "keep the stored one".
			if old, ok := idents[id.ExternalID]; ok && id.Name == "" {
				id.Name = old.Name
			}
			idents[id.ExternalID] = id
		}
	}
	wantIdents := map[string]model.Identity{
		"alice@example.com": {Source: "git", ExternalID: "alice@example.com", Name: "Alice Liddell", Email: "alice@example.com"},
		"bob@example.com":   {Source: "git", ExternalID: "bob@example.com", Name: "Bob", Email: "bob@example.com"},
		"carol@example.com": {Source: "git", ExternalID: "carol@example.com", Name: "Carol Jones", Email: "carol@example.com"},
		"49699333+dependabot[bot]@users.noreply.github.com": {Source: "git",
			ExternalID: "49699333+dependabot[bot]@users.noreply.github.com", Name: "dependabot[bot]",
			Email: "49699333+dependabot[bot]@users.noreply.github.com", Bot: true},
	}
	if !reflect.DeepEqual(idents, wantIdents) {
		t.Errorf("identities:\n got %+v\nwant %+v", idents, wantIdents)
	}

	// Batches: 6 commits by 2, each cursor stored only once everything it
	// reaches is stored; the last cursor is the tip, a merge.
	if len(c.batches) != 3 {
		t.Fatalf("%d batches, want 3", len(c.batches))
	}
	stored := map[string]bool{}
	items := 0
	for i, b := range c.batches {
		items += b.Items
		for _, a := range b.Activities {
			stored[a.ExternalID] = true
			if a.Actor != "" {
				if !hasIdentity(b, a.Actor) {
					t.Errorf("batch %d: activity %s by %s without its identity", i, a.ExternalID, a.Actor)
				}
			}
		}
		// Every cursor names exactly what is stored so far: a commit
		// whose ancestry is stored, or the first n commits of a listing.
		if i == len(c.batches)-1 {
			for _, reach := range strings.Fields(r.git(nil, "rev-list", "--no-merges", b.Cursor)) {
				if !stored[reach] {
					t.Errorf("final cursor %s reaches %s, which is not stored", b.Cursor, reach)
				}
			}
			continue
		}
		p, ok := parsePartial(b.Cursor)
		if !ok || p.since != "" || p.tip != sha["merge"] {
			t.Fatalf("batch %d: cursor %q is not a partial cursor of the run", i, b.Cursor)
		}
		listed := strings.Fields(r.git(nil, "log", "--no-merges", "--format=%H", p.tip))
		if p.n > len(listed) {
			t.Fatalf("batch %d: cursor %q counts more commits than the branch has", i, b.Cursor)
		}
		for _, sha := range listed[:p.n] {
			if !stored[sha] {
				t.Errorf("batch %d: cursor %q covers %s, which is not stored yet", i, b.Cursor, sha)
			}
		}
		for _, sha := range listed[p.n:] {
			if stored[sha] {
				t.Errorf("batch %d: cursor %q does not cover stored %s", i, b.Cursor, sha)
			}
		}
	}
	if items != 6 {
		t.Errorf("batches cover %d commits, want 6", items)
	}
	if c.cursor() != sha["merge"] {
		t.Errorf("final cursor %s, want the tip %s", c.cursor(), sha["merge"])
	}

	// Same totals as git's own count, for the commits' authors.
	shortlog := map[string]int{}
	for _, line := range strings.Split(r.git(nil, "shortlog", "-sne", "--no-merges", "main"), "\n") {
		n, rest, _ := strings.Cut(strings.TrimSpace(line), "\t")
		count, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("shortlog line %q", line)
		}
		email := strings.ToLower(rest[strings.LastIndexByte(rest, '<')+1 : len(rest)-1])
		shortlog[email] += count
	}
	primary := map[string]int{}
	for _, a := range c.activities() {
		if !strings.Contains(a.ExternalID, ":") {
			primary[a.Actor]++
		}
	}
	if !reflect.DeepEqual(primary, shortlog) {
		t.Errorf("commits per author = %v, git shortlog says %v", primary, shortlog)
	}
}

func hasIdentity(b connector.Batch, id string) bool {
	for _, i := range b.Identities {
		if i.ExternalID == id {
			return true
		}
	}
	return false
}

func TestBareClone(t *testing.T) {
	isolate(t)
	r, sha := community(t)
	bare := filepath.Join(t.TempDir(), "mirror.git")
	r.git(nil, "clone", "-q", "--bare", r.dir, bare)
	s := mustNew(t, bare, Options{})
	if s.Name() != "git:"+bare || s.Channel() != "mirror" {
		t.Errorf("Name %q, Channel %q", s.Name(), s.Channel())
	}
	c := sync(t, s, "")
	want := sync(t, mustNew(t, r.dir, Options{DisplayName: "mirror"}), "")
	if !reflect.DeepEqual(c.activities(), want.activities()) {
		t.Errorf("bare clone activities differ from the work tree's:\n%v\n%v", c.ids(), want.ids())
	}
	if c.cursor() != sha["merge"] {
		t.Errorf("cursor %s, want %s", c.cursor(), sha["merge"])
	}
}

func TestDefaultBranchOfClone(t *testing.T) {
	isolate(t)
	r, sha := community(t)
	clone := filepath.Join(t.TempDir(), "clone")
	r.git(nil, "clone", "-q", r.dir, clone)
	cr := &testRepo{t: t, dir: clone, day: r.day}
	cr.git(nil, "checkout", "-q", "-b", "topic")
	topic := cr.commit(bob, "Work in progress", map[string]string{"wip.txt": "x"})

	s := mustNew(t, clone, Options{})
	if s.Branch() != "refs/remotes/origin/HEAD" {
		t.Errorf("default branch %q, want origin/HEAD", s.Branch())
	}
	if c := sync(t, s, ""); c.cursor() != sha["merge"] || contains(c.ids(), topic) {
		t.Errorf("default branch sync: cursor %s, ids %v", c.cursor(), c.ids())
	}
	c := sync(t, mustNew(t, clone, Options{Branch: "topic"}), "")
	if c.cursor() != topic || !contains(c.ids(), topic) {
		t.Errorf("topic branch sync: cursor %s, ids %v", c.cursor(), c.ids())
	}
	if _, err := New(clone, Options{Branch: "nope"}); err == nil || !strings.Contains(err.Error(), "branch nope not found") {
		t.Errorf("missing branch: %v", err)
	}
}

func TestIncremental(t *testing.T) {
	isolate(t)
	r, sha := community(t)
	s := mustNew(t, r.dir, Options{})
	first := sync(t, s, "")
	if len(first.batches) != 1 || first.cursor() != sha["merge"] {
		t.Fatalf("first sync: %d batches, cursor %s", len(first.batches), first.cursor())
	}
	if again := sync(t, s, first.cursor()); len(again.batches) != 0 {
		t.Errorf("sync without new commits emitted %d batches", len(again.batches))
	}
	one := r.commit(bob, "Tune storage\n\nCo-authored-by: Dan <dan@example.com>", map[string]string{"storage/db.go": "v2"})
	two := r.commit(carol, "Explain storage", map[string]string{"docs/storage.md": "v2"})
	c := sync(t, s, first.cursor())
	want := sorted(one, one+":dan@example.com", two)
	if !reflect.DeepEqual(c.sortedIDs(), want) {
		t.Errorf("incremental ids %v, want %v", c.sortedIDs(), want)
	}
	if c.cursor() != two || len(c.removed()) != 0 {
		t.Errorf("cursor %s, removed %v", c.cursor(), c.removed())
	}
	if got := c.batches[0].Items; got != 2 {
		t.Errorf("Items = %d, want 2", got)
	}
}

func TestForcePush(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "rewrite")
	a := r.commit(alice, "A", map[string]string{"a.go": "a"})
	b := r.commit(alice, "B", map[string]string{"b.go": "b"})
	cc := r.commit(bob, "C\n\nCo-authored-by: Carol <Carol@Example.com>", map[string]string{"c.go": "c"})
	d := r.commit(bob, "D", map[string]string{"d.go": "d"})
	s := mustNew(t, r.dir, Options{})
	first := sync(t, s, "")
	if want := sorted(a, b, cc, cc+":carol@example.com", d); !reflect.DeepEqual(first.sortedIDs(), want) {
		t.Fatalf("first sync %v, want %v", first.sortedIDs(), want)
	}

	r.git(nil, "reset", "-q", "--hard", b)
	e := r.commit(carol, "E\n\nCo-authored-by: Bob <bob@example.com>", map[string]string{"e.go": "e"})
	f := r.commit(carol, "F", map[string]string{"f.go": "f"})
	c := sync(t, s, first.cursor())
	if want := sorted(e, e+":bob@example.com", f); !reflect.DeepEqual(c.sortedIDs(), want) {
		t.Errorf("after rewrite emitted %v, want %v", c.sortedIDs(), want)
	}
	wantRemoved := []string{cc, cc + ":carol@example.com", d}
	sort.Strings(wantRemoved)
	if !reflect.DeepEqual(c.removed(), wantRemoved) {
		t.Errorf("removed %v, want %v", c.removed(), wantRemoved)
	}
	if len(c.batches[0].RemovedActivities) == 0 || c.cursor() != f {
		t.Errorf("removals must come with the first batch; cursor %s want %s", c.cursor(), f)
	}

	// Reset back without new commits: only removals, and the cursor moves.
	r.git(nil, "reset", "-q", "--hard", a)
	c = sync(t, s, f)
	if len(c.batches) != 1 || len(c.activities()) != 0 || c.cursor() != a {
		t.Fatalf("reset to ancestor: %d batches, %v, cursor %s", len(c.batches), c.ids(), c.cursor())
	}
	wantRemoved = []string{b, e, e + ":bob@example.com", f}
	sort.Strings(wantRemoved)
	if !reflect.DeepEqual(c.removed(), wantRemoved) {
		t.Errorf("removed %v, want %v", c.removed(), wantRemoved)
	}
}

func TestCursorGoneRereadsAll(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "gone")
	a := r.commit(alice, "A", map[string]string{"a.go": "a"})
	b := r.commit(bob, "B", map[string]string{"b.go": "b"})
	s := mustNew(t, r.dir, Options{})
	evil := filepath.Join(t.TempDir(), "written")
	for _, cursor := range []string{strings.Repeat("0", 40), "--output=" + evil, "HEAD~1"} {
		c := sync(t, s, cursor)
		if want := sorted(a, b); !reflect.DeepEqual(c.sortedIDs(), want) || c.cursor() != b {
			t.Errorf("cursor %q: emitted %v, cursor %s", cursor, c.ids(), c.cursor())
		}
	}
	if _, err := os.Stat(evil); err == nil {
		t.Error("a cursor was passed to git as an option")
	}
}

func TestResumeAfterKill(t *testing.T) {
	isolate(t)
	r, _ := community(t)
	s := mustNew(t, r.dir, Options{BatchSize: 3})
	all := sync(t, s, "")
	killed := errors.New("killed")
	c := &collector{fail: func(n int) error {
		if n == 1 {
			return killed
		}
		return nil
	}}
	if err := s.Sync(context.Background(), connector.SyncState{}, c.emit); !errors.Is(err, killed) {
		t.Fatalf("Sync returned %v, want the emit error", err)
	}
	if len(c.batches) != 1 {
		t.Fatalf("%d batches stored before the kill", len(c.batches))
	}
	rest := sync(t, s, c.cursor())
	got := map[string]bool{}
	for _, id := range append(c.ids(), rest.ids()...) {
		got[id] = true
	}
	for _, id := range all.ids() {
		if !got[id] {
			t.Errorf("%s lost across the resumed sync", id)
		}
	}
	if rest.cursor() != all.cursor() {
		t.Errorf("resumed cursor %s, want %s", rest.cursor(), all.cursor())
	}
}

func TestCancel(t *testing.T) {
	isolate(t)
	r, _ := community(t)
	s := mustNew(t, r.dir, Options{BatchSize: 1})
	ctx, cancel := context.WithCancel(context.Background())
	c := &collector{fail: func(n int) error {
		if n == 1 {
			cancel()
		}
		return nil
	}}
	err := s.Sync(ctx, connector.SyncState{}, c.emit)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sync returned %v, want context.Canceled", err)
	}
	if len(c.batches) > 2 {
		t.Errorf("%d batches emitted after cancellation", len(c.batches))
	}
	if err := s.Sync(ctx, connector.SyncState{}, c.emit); !errors.Is(err, context.Canceled) {
		t.Errorf("Sync with a cancelled context returned %v", err)
	}
}

func TestProgress(t *testing.T) {
	isolate(t)
	r, _ := community(t)
	s := mustNew(t, r.dir, Options{BatchSize: 2})
	progress := func(cursor string) (calls int, last [2]int) {
		state := connector.SyncState{Cursor: cursor, Progress: func(done, total int, what string) {
			if what != "commits" || done < last[0] {
				t.Errorf("Progress(%d, %d, %q) after %v", done, total, what, last)
			}
			last, calls = [2]int{done, total}, calls+1
		}}
		if err := s.Sync(context.Background(), state, (&collector{}).emit); err != nil {
			t.Fatal(err)
		}
		return calls, last
	}
	// Without a commit-graph, a full sync does not count: total unknown.
	if calls, last := progress(""); calls != 3 || last != [2]int{6, 0} {
		t.Errorf("%d progress calls, last %v; want 3 calls ending at [6 0]", calls, last)
	}
	r.git(nil, "commit-graph", "write", "--reachable")
	if calls, last := progress(""); calls != 3 || last != [2]int{6, 6} {
		t.Errorf("with a commit-graph: %d progress calls, last %v; want 3 calls ending at [6 6]", calls, last)
	}
	base := r.git(nil, "rev-parse", "HEAD")
	r.commit(bob, "One more", map[string]string{"x.go": "x"})
	if calls, last := progress(base); calls != 1 || last != [2]int{1, 1} {
		t.Errorf("incremental: %d progress calls, last %v; want 1 call [1 1]", calls, last)
	}
}

func TestEmptyRepository(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "empty")
	if c := sync(t, mustNew(t, r.dir, Options{}), ""); len(c.batches) != 0 {
		t.Errorf("empty repository emitted %d batches", len(c.batches))
	}
}

func TestErrors(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	if _, err := New(dir, Options{}); err == nil || err.Error() != dir+": not a git repository" {
		t.Errorf("plain directory: %v", err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := New(missing, Options{}); err == nil || err.Error() != missing+": not a git repository" {
		t.Errorf("missing directory: %v", err)
	}
	r := newTestRepo(t, "ok")
	if _, err := New(r.dir, Options{Bots: []string{"/([/"}}); err == nil || !strings.HasPrefix(err.Error(), `bot pattern "/([/":`) {
		t.Errorf("bad bot pattern: %v", err)
	}
	if _, err := New(r.dir, Options{Topics: []TopicRule{{Pattern: "[", Topic: "x"}}}); err == nil {
		t.Error("bad topic glob accepted")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := New(r.dir, Options{}); err == nil || err.Error() != "git is not installed" {
		t.Errorf("without git: %v", err)
	}
}

func TestSubdirectoryIsItsRepository(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "top")
	r.commit(alice, "A", map[string]string{"sub/a.go": "a"})
	for _, p := range []string{filepath.Join(r.dir, "sub"), filepath.Join(r.dir, ".git")} {
		s := mustNew(t, p, Options{})
		if s.Name() != "git:"+r.dir || s.Channel() != "top" {
			t.Errorf("New(%s): Name %q Channel %q", p, s.Name(), s.Channel())
		}
	}
}

func TestCoauthorTrailers(t *testing.T) {
	body := "Text mentioning Co-authored-by: inline <x@y.z>\n\n" +
		"Co-authored-by: Ann Lee <ann@example.com>\n" +
		"  co-AUTHORED-by:Ben <ben@example.com>  \n" +
		"Co-authored-by: <anon@example.com>\n" +
		"Co-authored-by: No Address\n" +
		"Co-authored-by: Broken <broken@example.com\n" +
		"Co-authored-by: Spaces <a b@example.com>\n" +
		"Co-authored-by: NoAt <nobody>\n" +
		"Signed-off-by: Sam <sam@example.com>"
	got := coauthors([]byte(body))
	want := []contact{{"Ann Lee", "ann@example.com"}, {"Ben", "ben@example.com"}, {"", "anon@example.com"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("coauthors = %q, want %q", got, want)
	}
}

func TestTopics(t *testing.T) {
	m, err := newTopicMatcher(DefaultTopics())
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"docs/intro.txt":                   "docs",
		"Documentation/networking/tcp.rst": "docs",
		"pkg/net/README.md":                "docs",
		".github/workflows/ci.yml":         "ci",
		".gitlab-ci.yml":                   "ci",
		"ci/run.sh":                        "ci",
		"net/conn.go":                      "networking",
		"src/network/socket.c":             "networking",
		"internal/db/query.go":             "storage",
		"fs/ext4/inode.c":                  "storage",
		"crypto/aes.go":                    "security",
		"server/auth.go":                   "security",
		"AUTHORS":                          "",
		"author/list.go":                   "author",
		"web/index.html":                   "ui",
		"frontend/app.tsx":                 "ui",
		"api/v1/users.go":                  "api",
		"tests/e2e.sh":                     "testing",
		"parser/parse_test.go":             "testing",
		"cmd/hearth/main.go":               "hearth",
		"compiler/lexer.go":                "compiler",
		"main.go":                          "",
		"src/main.rs":                      "",
	} {
		if got := m.topic([]byte(path)); got != want {
			t.Errorf("topic(%q) = %q, want %q", path, got, want)
		}
	}
	custom, err := newTopicMatcher([]TopicRule{{"kernel/sched/", "scheduler"}, {"*.proto", "api"}, {"Makefile", "build"}})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"kernel/sched/core.c": "scheduler", "kernel/fork.c": "kernel",
		"proto/user.proto": "api", "Makefile": "build", "tools/Makefile": "build",
	} {
		if got := custom.topic([]byte(path)); got != want {
			t.Errorf("custom topic(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestBots: authors are judged by model.BotMatcher with the configured
// patterns (its own tests hold the full table of conventions).
func TestBots(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "bots")
	authors := map[string]bool{
		"Renovate <29139614+renovate[bot]@users.noreply.github.com>": true,
		"GitHub <noreply@github.com>":                                true,
		"Sync <docs-bot@example.org>":                                true,
		"CI <CI-Runner@example.org>":                                 true,
		"Release <release-2@corp.example>":                           true,
		"Release <release-2@corp.example.org>":                       false,
		"Abbot Smith <abbot@example.org>":                            false,
		"Ann <12345+ann@users.noreply.github.com>":                   false,
	}
	for a := range authors {
		r.commit(a, "change", nil)
	}
	s := mustNew(t, r.dir, Options{Bots: []string{"ci-runner", "/^release-.*@corp\\.example$/"}})
	got := map[string]bool{}
	for _, b := range sync(t, s, "").batches {
		for _, id := range b.Identities {
			got[id.Email] = id.Bot
		}
	}
	for a, bot := range authors {
		c, _ := parseContact(a)
		if b, ok := got[strings.ToLower(c.email)]; !ok || b != bot {
			t.Errorf("%s: bot = %v (seen %v), want %v", a, b, ok, bot)
		}
	}
}

func TestManyCommitsStreamInBatches(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "many")
	var in strings.Builder
	const n = 120
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\nauthor P%d <p%d@example.com> %d +0000\ncommitter P <p@example.com> %d +0000\ndata <<EOF\nChange %d\nEOF\n",
			i, i%7, i%7, epoch.Unix()+int64(i), epoch.Unix()+int64(i), i)
		if i > 1 {
			fmt.Fprintf(&in, "from :%d\n", i-1)
		}
		fmt.Fprintf(&in, "M 644 inline area%d/file.go\ndata 2\n%d\n\n", i%5, i%10)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir, cmd.Stdin = r.dir, strings.NewReader(in.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v\n%s", err, out)
	}
	c := sync(t, mustNew(t, r.dir, Options{BatchSize: 50}), "")
	if len(c.batches) != 3 || len(c.activities()) != n {
		t.Fatalf("%d batches, %d activities", len(c.batches), len(c.activities()))
	}
	for i, a := range c.activities() {
		if want := fmt.Sprintf("Change %d", n-i); a.Title != want || a.Topics[0] != fmt.Sprintf("area%d", (n-i)%5) {
			t.Fatalf("activity %d: %q %v, want %q newest first", i, a.Title, a.Topics, want)
		}
	}
}

// A run killed part-way resumes its listing even when the branch moved on
// in between, and reads no commit twice.
func TestResumeAfterKillWhileBranchMoved(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "moving")
	for i := 0; i < 5; i++ {
		r.commit(alice, fmt.Sprintf("change %d", i), map[string]string{"f.go": strconv.Itoa(i)})
	}
	s := mustNew(t, r.dir, Options{BatchSize: 2})
	killed := errors.New("killed")
	first := &collector{fail: func(n int) error {
		if n == 1 {
			return killed
		}
		return nil
	}}
	if err := s.Sync(context.Background(), connector.SyncState{}, first.emit); !errors.Is(err, killed) {
		t.Fatalf("Sync returned %v", err)
	}
	newer := r.commit(bob, "after the kill", map[string]string{"g.go": "g"})
	rest := sync(t, s, first.cursor())
	seen := map[string]bool{}
	for _, id := range append(first.ids(), rest.ids()...) {
		if seen[id] {
			t.Errorf("%s read twice", id)
		}
		seen[id] = true
	}
	all := sync(t, s, "")
	if len(seen) != len(all.ids()) {
		t.Errorf("resumed runs stored %d commits, the branch has %d", len(seen), len(all.ids()))
	}
	if rest.cursor() != newer {
		t.Errorf("final cursor %s, want the new tip %s", rest.cursor(), newer)
	}
}

// Batches come newest first, so an identity's name is sent once, from its
// newest commit; later batches, and runs resumed after a kill, leave it.
func TestNewestNameWins(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "rename")
	r.commit("Al Old <al@example.com>", "one", map[string]string{"a": "1"})
	r.commit("Al Old <al@example.com>", "two", map[string]string{"a": "2"})
	r.commit("Al New <al@example.com>", "three", map[string]string{"a": "3"})
	s := mustNew(t, r.dir, Options{BatchSize: 1})
	name := func(batches ...[]connector.Batch) string {
		n := ""
		for _, bs := range batches {
			for _, b := range bs {
				for _, id := range b.Identities {
					if id.Name != "" {
						n = id.Name // what the engine keeps: the last non-empty name
					}
				}
			}
		}
		return n
	}
	if got := name(sync(t, s, "").batches); got != "Al New" {
		t.Errorf("name after a full sync %q, want the newest", got)
	}
	killed := errors.New("killed")
	first := &collector{fail: func(n int) error {
		if n == 1 {
			return killed
		}
		return nil
	}}
	s.Sync(context.Background(), connector.SyncState{}, first.emit)
	rest := sync(t, s, first.cursor())
	if got := name(first.batches, rest.batches); got != "Al New" {
		t.Errorf("name after a resumed sync %q, want the newest", got)
	}
}
