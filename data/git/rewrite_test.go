package git

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/store"
	"hearth/model"
)

// stored is what a user sees of a git import: the members and the
// identities and activities tables.
type stored struct {
	members    []model.Member
	identities []string
	activities []string
}

var syncNow = epoch.AddDate(0, 3, 0)

// syncStore syncs the repository at dir into the database at db, as
// `hearth sync git` does.
func syncStore(t *testing.T, dir, db string, opts Options) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res := engine.Run(ctx, st, []connector.Source{mustNew(t, dir, opts)}, engine.Options{Now: func() time.Time { return syncNow }})
	if len(res) != 1 || res[0].Err != nil {
		t.Fatalf("sync: %+v", res)
	}
}

func readStored(t *testing.T, db string) stored {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out stored
	if out.members, err = st.Members(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range out.members {
		out.members[i].ID = 0
	}
	sort.Slice(out.members, func(i, j int) bool {
		a, b := out.members[i], out.members[j]
		return a.Name+"\x00"+strings.Join(a.Emails, ",") < b.Name+"\x00"+strings.Join(b.Emails, ",")
	})

	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT i.source, i.external_id, i.username, i.name, i.email, i.url, i.company,
		i.location, i.bio, i.bot, coalesce(m.name, ''), (SELECT count(*) FROM activities a WHERE a.identity_id = i.id)
		FROM identities i LEFT JOIN members m ON m.id = i.member_id ORDER BY i.source, i.external_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var src, ext, user, name, email, url, company, location, bio, member string
		var bot bool
		var acts int
		if err := rows.Scan(&src, &ext, &user, &name, &email, &url, &company, &location, &bio, &bot, &member, &acts); err != nil {
			t.Fatal(err)
		}
		out.identities = append(out.identities, fmt.Sprintf("%s:%s user=%q name=%q email=%q url=%q company=%q location=%q bio=%q bot=%v member=%q activities=%d",
			src, ext, user, name, email, url, company, location, bio, bot, member, acts))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	acts, err := conn.Query(`SELECT a.source, a.external_id, i.external_id, a.kind, a.at, a.channel, a.url, a.title, a.topics
		FROM activities a JOIN identities i ON i.id = a.identity_id ORDER BY a.source, a.external_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer acts.Close()
	for acts.Next() {
		var src, ext, actor, kind, channel, url, title, topics string
		var at int64
		if err := acts.Scan(&src, &ext, &actor, &kind, &at, &channel, &url, &title, &topics); err != nil {
			t.Fatal(err)
		}
		out.activities = append(out.activities, fmt.Sprintf("%s:%s actor=%q kind=%s at=%d channel=%q url=%q title=%q topics=%q",
			src, ext, actor, kind, at, channel, url, title, topics))
	}
	if err := acts.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAsFreshImport syncs the repository into the database that followed
// it through its history, and into a new one, and reports any difference
// in members and identities. It returns what the followed one holds.
func sameAsFreshImport(t *testing.T, r *testRepo, db string, opts Options) stored {
	t.Helper()
	syncStore(t, r.dir, db, opts)
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	syncStore(t, r.dir, fresh, opts)
	got, want := readStored(t, db), readStored(t, fresh)
	if !reflect.DeepEqual(got.identities, want.identities) {
		t.Errorf("identities after the rewrite:\n\t%s\nfresh import:\n\t%s",
			strings.Join(got.identities, "\n\t"), strings.Join(want.identities, "\n\t"))
	}
	if !reflect.DeepEqual(got.activities, want.activities) {
		t.Errorf("activities after the rewrite:\n\t%s\nfresh import:\n\t%s",
			strings.Join(got.activities, "\n\t"), strings.Join(want.activities, "\n\t"))
	}
	if !reflect.DeepEqual(got.members, want.members) {
		t.Errorf("members after the rewrite:\n\t%+v\nfresh import:\n\t%+v", got.members, want.members)
	}
	return got
}

func memberNames(s stored) []string {
	var out []string
	for _, m := range s.members {
		out = append(out, m.Name)
	}
	sort.Strings(out)
	return out
}

// A force-push that drops the commits in which someone took a new name
// gives them back the name of their newest remaining commit.
func TestRewriteDropsRename(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "rename")
	db := filepath.Join(t.TempDir(), "hearth.db")
	r.commit(bob, "setup", map[string]string{"a": "1"})
	base := r.commit("Ann A <ann@x.example>", "first", map[string]string{"a": "2"})
	for i := 0; i < 3; i++ {
		r.commit("Ann Renamed <ann@x.example>", fmt.Sprint("renamed ", i), map[string]string{"a": fmt.Sprint(3 + i)})
	}
	syncStore(t, r.dir, db, Options{})
	if got := memberNames(readStored(t, db)); !reflect.DeepEqual(got, []string{"Ann Renamed", "Bob"}) {
		t.Fatalf("before the rewrite: members %q", got)
	}
	r.git(nil, "reset", "-q", "--hard", base)
	r.commit(bob, "unrelated", map[string]string{"b": "1"})
	got := sameAsFreshImport(t, r, db, Options{})
	if names := memberNames(got); !reflect.DeepEqual(names, []string{"Ann A", "Bob"}) {
		t.Errorf("after the rewrite: members %q, want Ann A and Bob", names)
	}
}

// A co-author named only in trailers of dropped commits loses that name
// (through .mailmap, as trailers are read), or disappears when nothing of
// them remains.
func TestRewriteDropsCoauthorTrailers(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "coauthors")
	db := filepath.Join(t.TempDir(), "hearth.db")
	r.commit(bob, "mailmap", map[string]string{".mailmap": "<carol@x.example> <carol@old.example>\n"})
	base := r.commit("Carol Author <carol@x.example>", "carol's own", map[string]string{"a": "1"})
	r.commit(bob, "paired\n\nCo-authored-by: Carol Trailer <carol@old.example>\nCo-authored-by: Dan <dan@x.example>",
		map[string]string{"a": "2"})
	r.commit(alice, "paired again\n\nCo-authored-by: Carol Trailer <carol@x.example>", map[string]string{"a": "3"})
	syncStore(t, r.dir, db, Options{})
	if got := memberNames(readStored(t, db)); !reflect.DeepEqual(got, []string{"Alice", "Bob", "Carol Trailer", "Dan"}) {
		t.Fatalf("before the rewrite: members %q", got)
	}
	r.git(nil, "reset", "-q", "--hard", base)
	r.commit(bob, "unrelated", map[string]string{"b": "1"})
	got := sameAsFreshImport(t, r, db, Options{})
	if names := memberNames(got); !reflect.DeepEqual(names, []string{"Bob", "Carol Author"}) {
		t.Errorf("after the rewrite: members %q, want Bob and Carol Author", names)
	}
}

// When the dropped commits carried a second name and the new ones a
// third, the third wins, as in a fresh import.
func TestRewriteThenThirdName(t *testing.T) {
	isolate(t)
	r := newTestRepo(t, "third")
	db := filepath.Join(t.TempDir(), "hearth.db")
	base := r.commit("Ann A <ann@x.example>", "first", map[string]string{"a": "1"})
	for i := 0; i < 3; i++ {
		r.commit("Ann Renamed <ann@x.example>", fmt.Sprint("renamed ", i), map[string]string{"a": fmt.Sprint(2 + i)})
	}
	syncStore(t, r.dir, db, Options{})
	r.git(nil, "reset", "-q", "--hard", base)
	r.commit(bob, "unrelated", map[string]string{"b": "1"})
	r.commit("Ann Third <ann@x.example>", "back", map[string]string{"c": "1"})
	got := sameAsFreshImport(t, r, db, Options{})
	if names := memberNames(got); !reflect.DeepEqual(names, []string{"Ann Third", "Bob"}) {
		t.Errorf("after the rewrite: members %q, want Ann Third and Bob", names)
	}
}

// names is what the store keeps of the identities a run of batches sends:
// an identity's latest non-empty name, dropped with its last activity.
type names struct {
	name map[string]string
	acts map[string]string // activity id → identity id
	lost map[string]bool   // identities that lost an activity
}

func newNames() *names {
	return &names{name: map[string]string{}, acts: map[string]string{}, lost: map[string]bool{}}
}

func (n *names) apply(b connector.Batch) error {
	for _, ident := range b.Identities {
		if _, ok := n.name[ident.ExternalID]; !ok || ident.Name != "" {
			n.name[ident.ExternalID] = ident.Name
		}
	}
	for _, a := range b.Activities {
		n.acts[a.ExternalID] = a.Actor
	}
	lost := map[string]bool{}
	for _, id := range b.RemovedActivities {
		if who, ok := n.acts[id]; ok {
			lost[who], n.lost[who] = true, true
			delete(n.acts, id)
		}
	}
	for _, who := range n.acts {
		delete(lost, who)
	}
	for who := range lost {
		delete(n.name, who)
	}
	return nil
}

// Random histories, rewritten at random, with batches of a few commits:
// after each rewrite, the names kept are those of a fresh import with the
// same batch size. When author dates go against the order of the log, a
// fresh import names people from the newest author date within its
// batches, which the batches of an incremental run need not match for the
// people of the new commits; only the identities that lost commits, which
// names sets as a fresh import would, are then compared.
func TestRewriteNamesMatchFreshImport(t *testing.T) {
	isolate(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for trial := 0; trial < 8; trial++ {
		r := newTestRepo(t, fmt.Sprint("random", trial))
		opts := Options{BatchSize: 1 + rng.IntN(4)}
		shuffled := trial%2 == 1
		// After .mailmap, p5 is P0 Canon at p0's address and p4 keeps
		// their names at p1's, for authors and co-authors alike.
		if err := os.WriteFile(filepath.Join(r.dir, ".mailmap"),
			[]byte("P0 Canon <p0@x.example> <p5@x.example>\n<p1@x.example> <p4@x.example>\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		mark := 0
		commits := func(from string, n int) string {
			var in strings.Builder
			fmt.Fprintf(&in, "reset refs/heads/main\n")
			if from != "" {
				fmt.Fprintf(&in, "from %s\n\n", from)
			}
			for i := 0; i < n; i++ {
				mark++
				who := rng.IntN(6)
				name := fmt.Sprintf("P%d %s", who, []string{"Aa", "Bb", "Cc"}[rng.IntN(3)])
				var msg strings.Builder
				fmt.Fprintf(&msg, "change %d\n\n", mark)
				for k := rng.IntN(3); k > 0; k-- {
					co := rng.IntN(6)
					email := fmt.Sprintf("p%d@x.example", co)
					if rng.IntN(3) == 0 {
						email = strings.ToUpper(email)
					}
					fmt.Fprintf(&msg, "Co-authored-by: C%d %s <%s>\n", co, []string{"Dd", "Ee"}[rng.IntN(2)], email)
				}
				at := epoch.Unix() + int64(mark/2) // ties too
				if shuffled {
					at = epoch.Unix() + int64(rng.IntN(1000))
				}
				fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\nauthor %s <p%d@x.example> %d +0000\ncommitter C <c@x.example> %d +0000\ndata %d\n%s\n",
					mark, name, who, at, epoch.Unix()+int64(mark), msg.Len(), msg.String())
				fmt.Fprintf(&in, "M 644 inline f\ndata <<END\n%d\nEND\n\n", mark)
			}
			cmd := exec.Command("git", "fast-import", "--quiet", "--force")
			cmd.Dir, cmd.Stdin = r.dir, strings.NewReader(in.String())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("fast-import: %v\n%s", err, out)
			}
			return r.git(nil, "rev-parse", "refs/heads/main")
		}
		commits("", 8+rng.IntN(8))
		s := mustNew(t, r.dir, opts)
		kept := newNames()
		cursor := ""
		for round := 0; round < 4; round++ {
			kept.lost = map[string]bool{}
			if err := s.Sync(context.Background(), connector.SyncState{Cursor: cursor}, func(b connector.Batch) error {
				cursor = b.Cursor
				return kept.apply(b)
			}); err != nil {
				t.Fatal(err)
			}
			fresh := newNames()
			if err := s.Sync(context.Background(), connector.SyncState{}, fresh.apply); err != nil {
				t.Fatal(err)
			}
			got, want := kept.name, fresh.name
			if shuffled {
				got, want = map[string]string{}, map[string]string{}
				for id := range kept.lost {
					if n, ok := kept.name[id]; ok {
						got[id] = n
					}
					if n, ok := fresh.name[id]; ok {
						want[id] = n
					}
				}
				if len(kept.name) != len(fresh.name) {
					t.Fatalf("trial %d round %d: %d identities, fresh import %d", trial, round, len(kept.name), len(fresh.name))
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d (batch %d) round %d: names %v, fresh import %v\n%s", trial, opts.BatchSize, round,
					got, want, r.git(nil, "log", "--format=%H %aN <%aE> %at%n%b"))
			}
			// Rewrite: back to a random ancestor of the tip, then new commits.
			n := len(strings.Fields(r.git(nil, "rev-list", "HEAD")))
			back := r.git(nil, "rev-parse", fmt.Sprintf("HEAD~%d", rng.IntN(n)))
			commits(back, rng.IntN(4))
		}
	}
}

// BenchmarkNamesWholeBranchRatio is the worst case of renaming after a
// rewrite: an identity with no commit left, for which names reads the
// whole branch, alternated with the `git log --name-only` a first sync
// runs, as in BenchmarkSyncGitRatio.
func BenchmarkNamesWholeBranchRatio(b *testing.B) {
	dir := benchRepo(b)
	s, err := New(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	tip, err := s.tip(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var pass, base time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.names(ctx, tip, []string{"gone@example.com"}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		gitLogBaseline(b, dir)
		pass, base = pass+t1.Sub(t0), base+time.Since(t1)
	}
	b.ReportMetric(float64(pass)/float64(base), "names/baseline")
}
