package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"hearth/data/store"
	"hearth/model"
)

// ctrl sends ctrl+r (r a letter).
func (d *eventsDriver) ctrl(r rune) { d.tm.Send(tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl}) }

func (d *eventsDriver) esc() { d.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) }

// speakersOf reads the speakers of the event uid from the store.
func speakersOf(t *testing.T, st *store.Store, uid string) []model.Speaker {
	t.Helper()
	e, err := st.Event(context.Background(), uid)
	if err != nil {
		t.Fatal(err)
	}
	return e.Speakers
}

// handled is a member of st with an @handle no other member has.
func handled(t *testing.T, st *store.Store) (model.Member, string) {
	t.Helper()
	ms, err := st.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if h := uniqueHandle(&m, ms); h != "" && m.Name != "" && !strings.ContainsAny(m.Name, "@:") {
			return m, h
		}
	}
	t.Fatal("no member with a handle of their own in the demo")
	return model.Member{}, ""
}

// firstEvent is the first row of st's Events list: upcoming, soonest
// first.
func firstEvent(t *testing.T, st *store.Store) model.Event {
	t.Helper()
	evs, err := st.Events(context.Background(), testNow)
	if err != nil || len(evs) == 0 {
		t.Fatalf("demo events: %v, %v", evs, err)
	}
	return evs[0]
}

// openEvent starts the program on st and opens e's detail in the Events
// tab.
func openEvent(t *testing.T, st *store.Store, e model.Event) *eventsDriver {
	t.Helper()
	d := startEventsProgram(t, st)
	d.keys("4")
	d.frame(e.Name)
	d.enter()
	d.frame("› " + e.Name)
	return d
}

// identityOf reports whether key (source:id) is one of member id's accounts.
func identityOf(t *testing.T, st *store.Store, id int64, key string) bool {
	t.Helper()
	d, err := st.MemberDetail(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range d.Identities {
		if i.Source+":"+i.ExternalID == key {
			return true
		}
	}
	return false
}

// TestSpeakerFormKeepsWhatWasTyped drives the real program on a demo
// database: a speaker whose member names nobody is refused next to the
// Member field, with every field kept and nothing written; fixing the
// handle saves the speaker linked to the member; ctrl+p picks a member
// into the field, and esc leaves the picker without changing it.
func TestSpeakerFormKeepsWhatWasTyped(t *testing.T) {
	st := demoStore(t, 60)
	first := firstEvent(t, st)
	before := len(speakersOf(t, st, first.UID))
	member, handle := handled(t, st)

	d := openEvent(t, st, first)
	d.keys("a")
	d.choose("Add to this event", 0)
	d.fill("Name", "Grace Hopper")
	d.fill("Member", "@nobody-here")
	d.fill("Talk", "Compilers for everyone")
	d.choose("Status", 1) // confirmed

	// (a) The form is back, focused on Member with the error next to it,
	// every field as typed; nothing was written.
	got := d.frame("┃ Member  ✗ nobody here is @nobody-here · ctrl+p picks a member")
	for _, s := range []string{"> Grace Hopper", "> @nobody-here", "> Compilers for everyone", "> confirmed"} {
		if !strings.Contains(got, s) {
			t.Errorf("the form came back without %q:\n%s", s, got)
		}
	}
	if n := len(speakersOf(t, st, first.UID)); n != before {
		t.Fatalf("a refused speaker was written: %d speakers, %d before", n, before)
	}
	// The same value is refused again without a second trip to the store.
	d.enter()
	d.frame("┃ Member  ✗ nobody here")

	// (b) Fixing the handle saves the speaker, linked to the member.
	d.fill("Member", handle)
	d.frame("┃ Talk")
	d.enter()
	d.choose("Status", 0) // still confirmed: the select keeps its value
	d.frame("speaker added · u undo")
	sps := speakersOf(t, st, first.UID)
	if len(sps) != before+1 {
		t.Fatalf("%d speakers after saving, want %d", len(sps), before+1)
	}
	var sp model.Speaker
	for _, s := range sps {
		if s.Talk == "Compilers for everyone" {
			sp = s
		}
	}
	if sp.Name != "Grace Hopper" || sp.Status != "confirmed" || !identityOf(t, st, member.ID, sp.MemberKey) {
		t.Fatalf("saved %+v; want Grace Hopper, confirmed, an account of %s (%d)", sp, member.Name, member.ID)
	}

	// (c) ctrl+p on the Member field opens the picker; esc goes back with
	// the field unchanged; enter on a member fills the field.
	d.keys("a")
	d.choose("Add to this event", 0)
	d.fill("Name", "")
	d.frame("┃ Member")
	d.keys("@zz")
	d.frame("┃ > @zz")
	d.ctrl('p')
	d.frame("Pick a member for Member")
	d.esc()
	d.frame("┃ > @zz")
	d.ctrl('u')
	d.ctrl('p')
	d.frame("Pick a member for Member")
	d.keys(member.Name)
	d.frame("1 of ")
	d.enter()
	d.frame("┃ > " + handle)
	d.enter()
	d.fill("Talk", "Picked")
	d.choose("Status", 0)
	d.frame("speaker added · u undo")
	var picked model.Speaker
	for _, s := range speakersOf(t, st, first.UID) {
		if s.Talk == "Picked" {
			picked = s
		}
	}
	if picked.Name != member.Name || !identityOf(t, st, member.ID, picked.MemberKey) {
		t.Fatalf("the picked speaker is %+v; want %s, an account of member %d", picked, member.Name, member.ID)
	}
	d.keys("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// TestTaskOwnerPicked: ctrl+p on a task's Owner picks a member into it,
// and the task is saved with their handle as its owner.
func TestTaskOwnerPicked(t *testing.T) {
	st := demoStore(t, 60)
	first := firstEvent(t, st)
	member, handle := handled(t, st)

	d := openEvent(t, st, first)
	d.keys("a")
	d.choose("Add to this event", 1)
	d.fill("Title", "Print the badges")
	d.frame("┃ Owner")
	d.frame("ctrl+p pick a member")
	d.ctrl('p')
	d.frame("Pick a member for Owner")
	d.keys(member.Name)
	d.frame("1 of ")
	d.enter()
	d.frame("┃ > " + handle)
	d.enter()
	d.fill("Due", "2026-12-01")
	d.choose("Done", 0)
	d.frame("task added · u undo")
	e, err := st.Event(context.Background(), first.UID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tk := range e.Tasks {
		found = found || tk.Title == "Print the badges" && tk.Owner == handle
	}
	if !found {
		t.Fatalf("no task Print the badges owned by %s: %+v", handle, e.Tasks)
	}
	d.keys("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// The forms' member picker shows the Members tab's directory once it has
// loaded, without reading the store again; before, it reads the store.
func TestFormPickerUsesTheDirectory(t *testing.T) {
	m := newTestModel(t, demoStore(t, 40), 120, 40)
	dir, _, ok := m.members.directory()
	if !ok || len(dir) == 0 {
		t.Fatal("the Members tab has not loaded")
	}
	v := "ana"
	f := &eventForm{c: m.c, directory: m.members.directory}
	if cmd := f.startPick(&formInput{title: "Member", v: &v}); cmd != nil {
		t.Fatal("the picker read the store with the directory loaded")
	}
	if len(f.pick.members) != len(dir) || &f.pick.members[0] != &dir[0] || f.pick.list.filter == nil {
		t.Fatalf("the picker holds %d members, not the directory's %d", len(f.pick.members), len(dir))
	}
	unloaded := &eventForm{c: m.c}
	if cmd := unloaded.startPick(&formInput{title: "Member", v: &v}); cmd == nil || !unloaded.pick.loading {
		t.Fatal("without a directory the picker does not read the store")
	}
}
