package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/model"
)

// privateStore is a fake community whose first member has everything a
// viewer must not see, whose second is known only by an e-mail address,
// and whose first question is assigned and has a triage note.
func privateStore() *fakeStore {
	s := newFakeStore(50)
	s.members[1].Name, s.members[1].Handles = "", nil
	s.detail = func(m model.Member) model.MemberDetail {
		d := model.MemberDetail{
			Member: m,
			Identities: []model.Identity{
				{Source: "github", Username: "ada", Name: "Ada Lovelace", Email: "ada@analytical.example", URL: "https://github.example/ada"},
				{Source: "git", ExternalID: "ada@analytical.example", Name: "Ada Lovelace", Email: "ada@analytical.example"},
			},
			Notes:        []model.Note{{Body: "Prefers reviews on Fridays.", Created: testNow}},
			Tags:         []string{"vip-sponsor", "storage"},
			Flags:        []string{"mentor", "staff"},
			MergeReasons: []string{"same e-mail ada@analytical.example"},
		}
		if m.ID == 3 {
			d.Flags = []string{"speaker", doNotContact}
		}
		return d
	}
	s.questions[0].Triage = model.Triage{Assignee: "grace@example.org", Note: "ask Ada, she wrote it"}
	s.questions[1].Author = "someone@lists.example"
	return s
}

func newModelWith(t *testing.T, opts Options) *Model {
	t.Helper()
	opts.DBPath, opts.Theme, opts.Now = "demo.db", "dark", func() time.Time { return testNow }
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	drive(t, m, m.Init())
	return m
}

func TestViewerSeesNoPrivateData(t *testing.T) {
	private := []string{"ada@analytical.example", "Prefers reviews", "vip-sponsor", "staff", "same e-mail", "Notes", "Tags"}
	manager := newModelWith(t, Options{Store: privateStore(), User: "ana"})
	viewer := newModelWith(t, Options{Store: privateStore(), User: "guest", Viewer: true})

	if got := screen(manager); !strings.Contains(got, "ana · manager") {
		t.Errorf("the manager's status line does not say who:\n%s", got)
	}
	got := screen(viewer)
	if !strings.Contains(got, "guest · viewer") {
		t.Errorf("the viewer's status line does not say who:\n%s", got)
	}
	// The member known only by e-mail.
	if !strings.Contains(got, noPublicHandle) {
		t.Errorf("the viewer's list lacks %q:\n%s", noPublicHandle, got)
	}

	press(t, manager, "enter")
	press(t, viewer, "enter")
	mgot, vgot := screen(manager), screen(viewer)
	for _, s := range private {
		if !strings.Contains(mgot, s) {
			t.Errorf("the manager's member detail lacks %q:\n%s", s, mgot)
		}
		if strings.Contains(vgot, s) {
			t.Errorf("the viewer's member detail shows %q:\n%s", s, vgot)
		}
	}
	for _, s := range []string{"mentor", "@ada", "github.example/ada", "git · " + noPublicHandle} {
		if !strings.Contains(vgot, s) {
			t.Errorf("the viewer's member detail lacks the public %q:\n%s", s, vgot)
		}
	}

	// Someone flagged do-not-contact: no way to reach them.
	press(t, viewer, "esc", "down", "down", "enter")
	vgot = screen(viewer)
	for _, s := range []string{"@ada", "github.example", "@user3"} {
		if strings.Contains(vgot, s) {
			t.Errorf("the viewer sees %q of a do-not-contact member:\n%s", s, vgot)
		}
	}
	if !strings.Contains(vgot, "speaker, do-not-contact") {
		t.Errorf("the viewer is not told not to contact:\n%s", vgot)
	}

	// A viewer cannot find anyone by e-mail; a manager can.
	press(t, viewer, "esc", "/")
	typeText(t, viewer, "example.org")
	press(t, manager, "esc", "/")
	typeText(t, manager, "example.org")
	if n := viewer.members.list.shown(); n != 0 {
		t.Errorf("an e-mail filter finds %d members for a viewer", n)
	}
	if n := manager.members.list.shown(); n != 50 {
		t.Errorf("an e-mail filter finds %d members for a manager, want 50", n)
	}
}

func TestViewerSeesNoTriageNotes(t *testing.T) {
	manager := newModelWith(t, Options{Store: privateStore(), User: "ana"})
	viewer := newModelWith(t, Options{Store: privateStore(), User: "guest", Viewer: true})
	press(t, manager, "3")
	press(t, viewer, "3")
	if !strings.Contains(screen(manager), "unassigned") || strings.Contains(screen(viewer), "unassigned") {
		t.Errorf("the unassigned queue: manager\n%s\nviewer\n%s", screen(manager), screen(viewer))
	}
	if !strings.Contains(screen(manager), "grace@example.org") || strings.Contains(screen(viewer), "grace@example.org") {
		t.Errorf("the assignee in the list: manager\n%s\nviewer\n%s", screen(manager), screen(viewer))
	}
	press(t, manager, "enter")
	press(t, viewer, "enter")
	for _, s := range []string{"grace@example.org", "ask Ada", "Assigned to"} {
		if !strings.Contains(screen(manager), s) {
			t.Errorf("the manager's question lacks %q:\n%s", s, screen(manager))
		}
		if strings.Contains(screen(viewer), s) {
			t.Errorf("the viewer's question shows %q:\n%s", s, screen(viewer))
		}
	}
	press(t, viewer, "esc", "down", "enter")
	if got := screen(viewer); strings.Contains(got, "someone@lists.example") || !strings.Contains(got, noPublicHandle) {
		t.Errorf("the viewer sees an author's e-mail:\n%s", got)
	}
	// Write keys say why they do nothing.
	press(t, viewer, "d")
	if got := screen(viewer); !strings.Contains(got, "read-only: viewers cannot triage questions") {
		t.Errorf("d in a viewer's question says nothing:\n%s", got)
	}
	// The queue keys skip the unassigned queue.
	press(t, viewer, "esc", "v")
	if viewer.tabs[tabQuestions].(*questionsTab).queue != queueSnoozed {
		t.Errorf("v from waiting goes to queue %d for a viewer", viewer.tabs[tabQuestions].(*questionsTab).queue)
	}
}

func TestViewerNeverSearchesTheStore(t *testing.T) {
	s := privateStore()
	s.held = make(chan struct{})
	m := New(Options{Store: s, Theme: "dark", Now: func() time.Time { return testNow }, Viewer: true, User: "guest"})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(m.loadSummary()())
	m.Update(m.members.load(false)())
	press(t, m, "/")
	typeText(t, m, "user2@")
	if n := s.searches.Load(); n != 0 {
		t.Errorf("a viewer's filter searched the store %d times", n)
	}
	if n := m.members.list.shown(); n != 0 {
		t.Errorf("an e-mail filter shows %d rows of the first page", n)
	}
	close(s.held)
}

// eventStore is privateStore whose events have a description with an
// address and a hostile sequence (the fake's event detail adds speakers,
// tasks, a budget and attendees), and whose third question quotes an
// address.
func eventStore() *fakeStore {
	s := privateStore()
	for i := range s.events {
		s.events[i].Description = "Talks and pizza. Questions to orga@widgets.example please.\n" + hostileName
	}
	s.questions[2].Body = "Full log below.\nOn Monday, Ngozi <ngozi@lists.example> wrote:\n" + hostileName
	return s
}

func TestViewerSeesEventsAndQuestionsWithoutPersonalData(t *testing.T) {
	manager := newModelWith(t, Options{Store: eventStore(), User: "ana"})
	viewer := newModelWith(t, Options{Store: eventStore(), User: "guest", Viewer: true})
	pages := func(m *Model) (event, question string) {
		press(t, m, "4", "enter")
		event = m.View().Content
		press(t, m, "esc", "3", "down", "down", "enter")
		return event, m.View().Content
	}
	mEvent, mQuestion := pages(manager)
	vEvent, vQuestion := pages(viewer)
	// Tasks and their owners, the budget, invited and declined speakers,
	// addresses.
	for _, s := range []string{"Book venue", "Grace", "Pizza", "Speaker 1", "Dropped Out", "orga@widgets.example", "ngozi@lists.example"} {
		if !strings.Contains(ansi.Strip(mEvent+mQuestion), s) {
			t.Fatalf("the manager does not see %q (the test needs it):\n%s\n%s", s, ansi.Strip(mEvent), ansi.Strip(mQuestion))
		}
		if strings.Contains(ansi.Strip(vEvent+vQuestion), s) {
			t.Errorf("the viewer sees %q:\n%s\n%s", s, ansi.Strip(vEvent), ansi.Strip(vQuestion))
		}
	}
	// The announcement: description, confirmed speakers and their talks,
	// how many registered.
	for _, s := range []string{"Talks and pizza", "Ada", "Widgets at scale", "Attendees     2", hiddenEmail} {
		if !strings.Contains(ansi.Strip(vEvent), s) {
			t.Errorf("the viewer's event lacks %q:\n%s", s, ansi.Strip(vEvent))
		}
	}
	if q := ansi.Strip(vQuestion); !strings.Contains(q, "Full log below.") || !strings.Contains(q, hiddenEmail) {
		t.Errorf("the viewer's question body:\n%s", q)
	}
	// Every field a viewer is shown passes the sanitiser.
	for _, raw := range []string{vEvent, vQuestion} {
		if strings.Contains(raw, "]52;") || strings.Contains(raw, "\x07") || strings.Contains(raw, "\x1b[31m") {
			t.Errorf("a hostile sequence reached the viewer: %q", raw)
		}
	}
}

func TestWithoutEmails(t *testing.T) {
	for in, want := range map[string]string{
		"no address here @ana":              "no address here @ana",
		"write to a@b.example, or c@d.org.": "write to (e-mail hidden), or (e-mail hidden)",
		"Ngozi <ngozi@x.example> wrote:\n>": "Ngozi <(e-mail hidden)> wrote:\n>",
		"mailto:x@y.example":                "(e-mail hidden)",
	} {
		if got := withoutEmails(in); got != want {
			t.Errorf("withoutEmails(%q) = %q, want %q", in, got, want)
		}
	}
}
