package serve

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"hearth/model"
	"hearth/ui"
)

// questionStore counts how often the open questions are read.
type questionStore struct {
	*countingStore
	questions atomic.Int32
}

func (q *questionStore) OpenQuestions(ctx context.Context, limit int) ([]model.Question, error) {
	q.questions.Add(1)
	return q.countingStore.OpenQuestions(ctx, limit)
}

// newQuestionStore is a demo community with unanswered questions.
func newQuestionStore(t *testing.T) *questionStore {
	return &questionStore{countingStore: &countingStore{Store: demoStoreOf(t, 300)}}
}

// doneCount reads the size of the done queue from the last queue bar
// drawn whole in s.
func doneCount(t *testing.T, s string) string {
	t.Helper()
	all := regexp.MustCompile(`done ([0-9,]+)  all`).FindAllStringSubmatch(s, -1)
	if len(all) == 0 {
		t.Fatalf("no done queue on the screen:\n%s", s)
	}
	return all[len(all)-1][1]
}

func TestSessionsShareQuestions(t *testing.T) {
	st := newQuestionStore(t)
	ctx := context.Background()
	qs, err := st.Store.OpenQuestions(ctx, 0)
	if err != nil || len(qs) == 0 {
		t.Fatalf("the demo has %d open questions (%v)", len(qs), err)
	}
	// The oldest question, first in every list, carries what only
	// managers may read.
	secret := model.Triage{Assignee: "secret.helper@example.org", Note: "zzsecretnote"}
	if _, err := st.Store.Writer("test").SetTriage(ctx, qs[0].Source, qs[0].ExternalID, qs[0].Triage.Version, secret); err != nil {
		t.Fatal(err)
	}
	before := st.questions.Load()
	ana, bo := newSigner(t), newSigner(t)
	ts := start(t, Config{
		Store: st, DBName: "hearth.db", Open: true,
		Users: []User{{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
			{Name: "bo", Role: Manager, Keys: []string{authorizedLine(bo)}}},
	})
	managers := []*term{ts.open(t, ana, "ana", 120, 40), ts.open(t, bo, "bo", 120, 40)}
	viewers := []*term{ts.open(t, newSigner(t), "guest", 120, 40), ts.open(t, newSigner(t), "guest", 120, 40)}
	for _, tm := range append(managers, viewers...) {
		tm.waitFor(t, "Members")
		tm.in.Write([]byte("3"))
		tm.waitFor(t, "waiting")
	}
	for _, tm := range managers {
		tm.waitFor(t, "unassigned")
		tm.waitFor(t, "secret.helper")
	}
	// Four sessions, two views: the questions were read once per view.
	if n := st.questions.Load() - before; n != 2 || ts.srv.dir.QuestionReads() != 2 {
		t.Errorf("4 sessions read the open questions %d times (counted %d), want twice", n, ts.srv.dir.QuestionReads())
	}
	// Each filters on its own, from an index of its view: a manager's
	// finds the note, a viewer's has none to find.
	managers[0].in.Write([]byte("/zzsecretnote"))
	managers[0].waitFor(t, "1 of ")
	viewers[0].in.Write([]byte("/zzsecretnote"))
	viewers[0].waitFor(t, "0 of ")
	for _, v := range viewers {
		if s := v.screen(); strings.Contains(s, "secret.helper") || strings.Contains(s, "@example.org") {
			t.Errorf("a viewer saw the assignee:\n%s", s)
		}
	}
	managers[0].in.Write([]byte("\r"))
	viewers[0].in.Write([]byte("\r"))
	quit(t, append(managers, viewers...)...)
}

// A triage write shows at once in the session that wrote it, and in
// another once it reloads: here, because its own write on the same
// question conflicts.
func TestTriageWriteReachesOtherSessions(t *testing.T) {
	st := newQuestionStore(t)
	ana, bo := newSigner(t), newSigner(t)
	ts := start(t, Config{
		Store: st, DBName: "hearth.db",
		Users: []User{{Name: "ana", Role: Manager, Keys: []string{authorizedLine(ana)}},
			{Name: "bo", Role: Manager, Keys: []string{authorizedLine(bo)}}},
		Writer: func(actor string) ui.Writer { return st.Store.Writer(actor) },
	})
	a, b := ts.open(t, ana, "ana", 120, 40), ts.open(t, bo, "bo", 120, 40)
	for _, tm := range []*term{a, b} {
		tm.waitFor(t, "Members")
		tm.in.Write([]byte("3"))
		tm.waitFor(t, "unassigned")
		// The queue bar shows zeros while the questions load: its counts
		// are read once the list is drawn.
		tm.waitFor(t, "Channel")
	}
	done, err := strconv.Atoi(doneCount(t, b.screen()))
	if err != nil {
		t.Fatal(err)
	}
	// A redraw rewrites only the cells that changed: waitShown draws all.
	want := fmt.Sprintf("done %d  all", done+1)
	reads := st.questions.Load()

	a.in.Write([]byte("d"))
	a.waitFor(t, "marked done")
	a.waitShown(t, 120, 40, want)
	// The writer showed its own write without reading the questions.
	if n := st.questions.Load(); n != reads {
		t.Errorf("the write read the open questions %d times", n-reads)
	}

	// bo still lists the question as waiting; marking it done too
	// conflicts, and the reload shows ana's write.
	b.in.Write([]byte("d"))
	b.waitShown(t, 120, 40, "changed")
	waitUntil(t, "bo reloads the questions", func() bool { return st.questions.Load() == reads+1 })
	b.waitShown(t, 120, 40, want)
	quit(t, a, b)
}
