package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

func prs(login string, from, n int, at time.Time) []model.Activity {
	var out []model.Activity
	for i := 0; i < n; i++ {
		out = append(out, model.Activity{Source: "github", ExternalID: fmt.Sprintf("%s/pr/%d", login, from+i),
			Actor: login, Kind: "pr_opened", At: at.Add(-time.Duration(i) * 24 * time.Hour)})
	}
	return out
}

func externalIDs(acts []model.Activity) []string {
	var out []string
	for _, a := range acts {
		out = append(out, a.ExternalID)
	}
	return out
}

func memberOfIdentity(t *testing.T, s *store.Store, ext string) int64 {
	t.Helper()
	var id int64
	if err := storetest.DB(t, s).QueryRow("SELECT member_id FROM identities WHERE external_id = ?", ext).Scan(&id); err != nil {
		t.Fatalf("member of %s: %v", ext, err)
	}
	return id
}

// Removed activities take their traces with them: a member left with
// none is no longer listed or counted, and an identity left with none no
// longer gives its member a name, handle or address.
func TestRemovalsUpdateMembers(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	opt := fixedOptions()
	// Bob is one person with two logins (the config says so); his old
	// login did most of the work and names him.
	opt.People.Same = [][]string{{"github:bobold", "github:bobby"}, {"github:eve", "github:eve-old"}}
	ann := model.Identity{Source: "github", ExternalID: "ann", Username: "ann", Name: "Ann Aa"}
	bobOld := model.Identity{Source: "github", ExternalID: "bobold", Username: "bobold", Name: "Bobby Old",
		Email: "bob@old.example", Company: "@oldco"}
	bobby := model.Identity{Source: "github", ExternalID: "bobby", Username: "bobby", Name: "Bob New"}
	carl := model.Identity{Source: "github", ExternalID: "carl", Username: "carl", Name: "Carl Cee"}
	dana := model.Identity{Source: "github", ExternalID: "dana", Username: "dana", Name: "Dana Dee"}
	// Eve has two logins under one name: losing one changes only her handles.
	eve := model.Identity{Source: "github", ExternalID: "eve", Username: "eve", Name: "Eve Ee"}
	eveOld := model.Identity{Source: "github", ExternalID: "eve-old", Username: "eve-old", Name: "Eve Ee"}
	annPRs, oldPRs, carlPRs := prs("ann", 0, 2, syncClock), prs("bobold", 0, 5, syncClock), prs("carl", 0, 1, syncClock)
	evePRs := prs("eve-old", 0, 1, syncClock)
	first := connector.Batch{Identities: []model.Identity{ann, bobOld, bobby, carl, dana, eve, eveOld}, Cursor: "1"}
	for _, a := range [][]model.Activity{annPRs, oldPRs, prs("bobby", 0, 1, syncClock), carlPRs,
		prs("dana", 0, 3, syncClock), prs("eve", 0, 1, syncClock.Add(-time.Hour)), evePRs} {
		first.Activities = append(first.Activities, a...)
	}
	// Carl asked a question: that keeps his account even without activity.
	first.Questions = []connector.QuestionRecord{{Question: model.Question{Source: "github", ExternalID: "q1", Title: "how?",
		Created: syncClock.Add(-time.Hour)}, AuthorID: "carl"}}
	// Thirty others, so that the refreshes after the removal are partial.
	for n := 0; n < 30; n++ {
		login := fmt.Sprintf("other%d", n)
		first.Identities = append(first.Identities, model.Identity{Source: "github", ExternalID: login, Username: login})
		first.Activities = append(first.Activities, prs(login, 0, 1, syncClock)...)
	}
	mustSync(t, s, opt, listSource{"github:o/r", []connector.Batch{first}})
	if _, err := storetest.DB(t, s).Exec("UPDATE member_stats SET topics = 'marker' WHERE name = 'other0'"); err != nil {
		t.Fatal(err)
	}

	annID, bobID, eveID := memberOfIdentity(t, s, "ann"), memberOfIdentity(t, s, "bobby"), memberOfIdentity(t, s, "eve")
	if d, err := s.MemberDetail(ctx, bobID, 0); err != nil || d.Name != "Bobby Old" || d.Org != "oldco" ||
		!slices.Equal(d.Handles, []string{"@bobby", "@bobold"}) {
		t.Fatalf("Bob before: %+v %v", d.Member, err)
	}
	before, _ := s.Summary(ctx)

	// The history is rewritten: Ann's, Carl's and Bob's and Eve's old
	// logins' work is gone.
	removal := connector.Batch{Cursor: "2"}
	for _, a := range [][]model.Activity{annPRs, oldPRs, carlPRs, evePRs} {
		removal.RemovedActivities = append(removal.RemovedActivities, externalIDs(a)...)
	}
	mustSync(t, s, opt, listSource{"github:o/r", []connector.Batch{removal}})

	ms, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "other") })
	if countRows(t, s, "SELECT count(*) FROM member_stats WHERE topics = 'marker'") != 1 {
		t.Error("the refresh after the removal was not incremental")
	}
	if !slices.Equal(names, []string{"Dana Dee", "Bob New", "Eve Ee"}) {
		t.Errorf("members after the removal: %q, want Dana, Bob under his remaining name, Eve", names)
	}
	top, _ := s.TopMembers(ctx, 10)
	if len(top) != 10 || top[0].Name != "Dana Dee" {
		t.Errorf("top members: %d, first %q; want 10, Dana first", len(top), top[0].Name)
	}
	if d, err := s.MemberDetail(ctx, eveID, 0); err != nil || !slices.Equal(d.Handles, []string{"@eve"}) {
		t.Errorf("Eve's handles after: %q (%v), want @eve only", d.Handles, err)
	}
	if _, err := s.MemberDetail(ctx, annID, 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Ann's detail: %v, want not found", err)
	}
	d, err := s.MemberDetail(ctx, bobID, 0)
	if err != nil || d.Name != "Bob New" || d.Org != "" || !slices.Equal(d.Handles, []string{"@bobby"}) ||
		len(d.Emails) != 0 || d.Activities != 1 || len(d.Identities) != 1 {
		t.Errorf("Bob after: %+v, %d identities (%v); want only what his login bobby says", d.Member, len(d.Identities), err)
	}
	sum, _ := s.Summary(ctx)
	if sum.Members != before.Members-2 || sum.Members != 33 || sum.Activities != 35 || sum.Questions != 1 {
		t.Errorf("summary after: %d members, %d activities, %d questions (before: %d members)",
			sum.Members, sum.Activities, sum.Questions, before.Members)
	}
	// Carl's account stays, for his question; Ann's and bobold's go.
	if n := countRows(t, s, "SELECT count(*) FROM identities WHERE external_id IN ('ann', 'bobold', 'carl')"); n != 1 {
		t.Errorf("%d of the emptied identities left, want Carl's only", n)
	}
	if n := countRows(t, s, "SELECT count(*) FROM orgs"); n != 0 {
		t.Errorf("%d organisations left, want none", n)
	}
	// The incremental result is the full one.
	if _, err := storetest.DB(t, s).Exec("UPDATE member_stats SET topics = '' WHERE name = 'other0'"); err != nil {
		t.Fatal(err)
	}
	got := dumpTruth(t, s)
	if err := s.RefreshDerived(ctx, syncClock, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	sameTables(t, got, dumpTruth(t, s))

	// Ann comes back (a new commit under the same login): listed again.
	back := connector.Batch{Identities: []model.Identity{ann}, Activities: prs("ann", 10, 1, syncClock), Cursor: "3"}
	mustSync(t, s, opt, listSource{"github:o/r", []connector.Batch{back}})
	if sum, _ := s.Summary(ctx); sum.Members != 34 {
		t.Errorf("%d members after Ann's return, want 34", sum.Members)
	}
}

// TestNothingNewOnTheSameDay: a refresh on a new day judges everyone again,
// even after a small sync; a later sync that brings nothing on the same day
// skips the refresh, and the tables stay those of the last refresh (as_of).
func TestNothingNewOnTheSameDay(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx := context.Background()
	var first connector.Batch
	for n := 0; n < 20; n++ {
		id := devIdentity(n)
		first.Identities = append(first.Identities, id)
		// dev0's first activity is 29.5 days old: new now, not in a day.
		first.Activities = append(first.Activities, commits(id, 0, 1, syncClock.Add(-time.Duration(29*24+12+n*24)*time.Hour))...)
	}
	first.Cursor = "1"
	at := func(h int) Options {
		opt := fixedOptions()
		opt.Now = func() time.Time { return syncClock.Add(time.Duration(h) * time.Hour) }
		return opt
	}
	mustSync(t, s, at(0), listSource{"git:/p", []connector.Batch{first}})
	if sum, _ := s.Summary(ctx); sum.Funnel.New != 1 {
		t.Fatalf("new after the first sync: %d", sum.Funnel.New)
	}
	// 20 hours later (the next day) one person commits: everyone is judged
	// again, so dev0 is no longer new.
	id := devIdentity(5)
	small := connector.Batch{Identities: []model.Identity{id}, Activities: commits(id, 50, 1, syncClock.Add(20*time.Hour)), Cursor: "2"}
	mustSync(t, s, at(20), listSource{"git:/p", []connector.Batch{small}})
	if sum, _ := s.Summary(ctx); sum.Funnel.New != 0 || !sum.AsOf.Equal(syncClock.Add(20*time.Hour)) {
		t.Errorf("20 hours later: %d new as of %v; want 0, from a refresh then", sum.Funnel.New, sum.AsOf)
	}
	// 30 hours after the first sync, the same day as the last refresh,
	// nothing new: no refresh, and nothing written.
	before := dumpTruth(t, s)
	mustSync(t, s, at(30), listSource{"git:/p", nil})
	sameTables(t, dumpTruth(t, s), before)
	// What is stored is a full computation as of the last refresh.
	if err := s.RefreshDerived(ctx, syncClock.Add(20*time.Hour), model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	sameTables(t, dumpTruth(t, s), before)
}

// randomHistory is a script of batches for one source over a small
// community: new activities, some by aliases that merge with other
// identities, a bot, renames, and removals of earlier activities, some of
// which empty an identity.
type randomHistory struct {
	name    string
	batches []connector.Batch
	avail   int // how many batches the source has so far
	// stopAfter, when set, cancels the run after that many of its
	// batches are committed.
	stopAfter int
	cancel    context.CancelFunc
}

func (h *randomHistory) Name() string { return h.name }

func (h *randomHistory) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	start, _ := strconv.Atoi(state.Cursor)
	for i := start; i < h.avail; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(h.batches[i]); err != nil {
			return err
		}
		if h.stopAfter > 0 && i-start+1 == h.stopAfter {
			h.cancel()
		}
	}
	return nil
}

func newRandomHistory(r *rand.Rand, n int) *randomHistory {
	h := &randomHistory{name: "git:/random"}
	var live []model.Activity
	identity := func(k int) model.Identity {
		switch {
		case k == 0:
			return model.Identity{Source: "git", ExternalID: "ci[bot]@example.com", Name: "CI", Email: "ci[bot]@example.com"}
		case k%7 == 3:
			// An alias of k-1, in other case and with a tag: the same
			// person, another address.
			e := fmt.Sprintf("Dev%d+old@Example.com", k-1)
			return model.Identity{Source: "git", ExternalID: e, Name: fmt.Sprintf("Alias %d", k), Email: e}
		}
		e := fmt.Sprintf("dev%d@example.com", k)
		return model.Identity{Source: "git", ExternalID: e, Name: fmt.Sprintf("Dev %d", k), Email: e}
	}
	kinds := []model.Kind{model.KindCommit, model.KindDocChange, "comment", "review", "question"}
	seq := 0
	for i := 0; i < n; i++ {
		b := connector.Batch{Cursor: strconv.Itoa(i + 1)}
		seen := map[string]bool{}
		people := 100
		if i > n/2 {
			people = 130 // newcomers later on
		}
		focus := 1 + r.IntN(8) // how many people act in this batch
		acts := 1 + r.IntN(15)
		if i == 0 {
			acts = people // a first import: everyone
		}
		for j := 0; j < acts; j++ {
			id := identity(r.IntN(focus) * people / focus)
			if i == 0 {
				id = identity(j)
			} else if r.IntN(8) == 0 {
				id = identity(r.IntN(people))
			}
			if r.IntN(10) == 0 {
				id.Name = fmt.Sprintf("Renamed %d", r.IntN(3)) // people change names
			}
			if !seen[id.ExternalID] {
				seen[id.ExternalID] = true
				b.Identities = append(b.Identities, id)
			}
			seq++
			a := model.Activity{Source: "git", ExternalID: fmt.Sprintf("a%d", seq), Actor: id.ExternalID,
				Kind: kinds[r.IntN(len(kinds))], At: syncClock.Add(-time.Duration(r.IntN(500*24)) * time.Hour),
				Topics: []string{"t" + strconv.Itoa(r.IntN(4))}}
			b.Activities = append(b.Activities, a)
		}
		switch r.IntN(4) {
		case 0: // a few random activities go
			for k := 0; k < 1+r.IntN(5) && len(live) > 0; k++ {
				x := r.IntN(len(live))
				b.RemovedActivities = append(b.RemovedActivities, live[x].ExternalID)
				live = slices.Delete(live, x, x+1)
			}
		case 1: // everything of one identity goes
			if len(live) > 0 {
				who := live[r.IntN(len(live))].Actor
				live = slices.DeleteFunc(live, func(a model.Activity) bool {
					if a.Actor == who {
						b.RemovedActivities = append(b.RemovedActivities, a.ExternalID)
						return true
					}
					return false
				})
			}
		}
		live = append(live, b.Activities...)
		h.batches = append(h.batches, b)
	}
	return h
}

// Random histories synced with interruptions (cancelled after a random
// number of batches, sometimes followed by a sync of another source with
// nothing new), with the clock standing still or jumping past a day, end
// after every completed sync with the derived rows a full recomputation
// gives.
func TestInterruptedSyncsMatchFullRecomputation(t *testing.T) {
	seeds := 30
	if testing.Short() {
		seeds = 8
	}
	for seed := range seeds {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			s, _ := storetest.Open(t)
			ctx := context.Background()
			h := newRandomHistory(r, 24)
			now := syncClock
			opt := fixedOptions()
			opt.Now = func() time.Time { return now }
			opt.People.Same = [][]string{{"dev1@example.com", "dev20@example.com"}}
			check := func(when string) {
				t.Helper()
				got := dumpTruth(t, s)
				if err := s.RefreshDerived(ctx, now, model.DefaultRules()); err != nil {
					t.Fatal(err)
				}
				sameTables(t, got, dumpTruth(t, s))
				if t.Failed() {
					t.Fatal(when)
				}
			}
			done := 0
			for runs := 0; done < len(h.batches); runs++ {
				if r.IntN(6) == 0 {
					// A day later: new and lapsed move, a full refresh is due.
					now = now.Add(25 * time.Hour)
				}
				// The source grows by a few batches between runs.
				h.avail = min(len(h.batches), h.avail+1+r.IntN(3))
				cctx, cancel := context.WithCancel(ctx)
				h.stopAfter, h.cancel = 0, cancel
				if r.IntN(2) == 0 {
					h.stopAfter = 1 + r.IntN(2)
				}
				res := Run(cctx, s, []connector.Source{h}, opt)
				cancel()
				done += res[0].Batches
				if res[0].Err != nil && !errors.Is(res[0].Err, context.Canceled) {
					t.Fatal(res[0].Err)
				}
				if len(res) > 1 {
					t.Fatal(res[1].Err)
				}
				if res[0].Err != nil && r.IntN(2) == 0 {
					mustSync(t, s, opt, listSource{name: "git:/idle"})
				} else if res[0].Err != nil {
					continue
				}
				check(fmt.Sprintf("after run %d (%d of %d batches)", runs, done, len(h.batches)))
			}
			h.stopAfter = 0
			mustSync(t, s, opt, h)
			check("at the end")
			if n := countRows(t, s, "SELECT count(*) FROM activities"); n == 0 {
				t.Fatal("no activities: the history is empty")
			}
		})
	}
}
