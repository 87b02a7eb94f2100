package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/data/store"
	"hearth/model"
)

// TestEventsReadOnlySaysWhy: without a writer no planning key is offered,
// and pressing one opens no form but says why in the status line.
func TestEventsReadOnlySaysWhy(t *testing.T) {
	m := newTestModel(t, newFakeStore(50), 100, 30)
	press(t, m, "4")
	if got := screen(m); strings.Contains(got, "a add") || strings.Contains(got, "x delete") {
		t.Fatalf("read-only help offers planning keys:\n%s", got)
	}
	for _, keys := range [][]string{{"a"}, {"e"}, {"x"}, {"enter", "a"}, {"e"}, {"x"}} {
		press(t, m, keys...)
		ev := m.tabs[tabEvents].(*eventsTab)
		if ev.form != nil {
			t.Fatalf("%v opened a form without a writer", keys)
		}
		if got := screen(m); !strings.Contains(got, "read-only: events cannot be planned in this session") {
			t.Fatalf("%v: the status line does not say why:\n%s", keys, got)
		}
	}
}

type fakeFinder map[string]model.Identity

func (f fakeFinder) PlanMember(_ context.Context, ref string) (string, string, error) {
	if k, id, ok := strings.Cut(ref, ":"); ok && k != "" && id != "" {
		return ref, "", nil
	}
	i, ok := f[ref]
	if !ok {
		return "", "", fmt.Errorf("member %s: %w", ref, store.ErrNotFound)
	}
	name := i.Name
	if name == "" {
		name = i.Username
	}
	return i.Source + ":" + i.ExternalID, name, nil
}

// TestFindMember: the Member field takes a key as it is, or an @handle,
// e-mail or id looked up; the member's name fills an empty name.
func TestFindMember(t *testing.T) {
	f := fakeFinder{"@grace": {Source: "github", ExternalID: "grace", Name: "Grace Hopper"}, "7": {Source: "git", ExternalID: "ada@example.org", Username: "ada"}}
	ctx := context.Background()
	for _, c := range []struct{ ref, name, key, wantName string }{
		{"", "Linus", "", "Linus"},
		{"slack:U123", "", "slack:U123", ""},
		{"@grace", "", "github:grace", "Grace Hopper"},
		{"@grace", "Amazing Grace", "github:grace", "Amazing Grace"},
		{"7", "", "git:ada@example.org", "ada"},
	} {
		key, name, err := findMember(ctx, f, c.ref, c.name)
		if err != nil || key != c.key || name != c.wantName {
			t.Errorf("findMember(%q, %q) = %q, %q, %v; want %q, %q", c.ref, c.name, key, name, err, c.key, c.wantName)
		}
	}
	if _, _, err := findMember(ctx, f, "@nobody", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown handle: %v", err)
	}
	for _, ok := range []string{"", "github:grace", "@grace", "ada@example.org", "42"} {
		if err := checkMemberKey(ok); err != nil {
			t.Errorf("checkMemberKey(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"grace", ":x", "github:", "@"} {
		if err := checkMemberKey(bad); err == nil {
			t.Errorf("checkMemberKey(%q) accepted", bad)
		}
	}
}

// TestMemberRef: a picked member goes into a member field by a handle
// only they have, else by member id; into a task's owner by a handle,
// else by name.
func TestMemberRef(t *testing.T) {
	ada := model.Member{ID: 7, Name: "Ada", Handles: []string{"ada@example.org", "@ada"}}
	sam1 := model.Member{ID: 8, Name: "Sam One", Handles: []string{"@sam", "@sam-one"}}
	sam2 := model.Member{ID: 9, Name: "Sam Two", Handles: []string{"@SAM"}}
	none := model.Member{ID: 10, Name: "No Handle", Emails: []string{"no@example.org"}}
	dir := []model.Member{ada, sam1, sam2, none}
	for _, c := range []struct {
		m          model.Member
		ref, owner string
	}{
		{ada, "@ada", "@ada"},
		{sam1, "@sam-one", "@sam"}, // @sam is Sam Two's too, whatever the case
		{sam2, "9", "@SAM"},
		{none, "10", "No Handle"},
	} {
		if got := memberRef(&c.m, dir); got != c.ref {
			t.Errorf("memberRef(%s) = %q, want %q", c.m.Name, got, c.ref)
		}
		if got := ownerText(&c.m, dir); got != c.owner {
			t.Errorf("ownerText(%s) = %q, want %q", c.m.Name, got, c.owner)
		}
	}
}

// TestEventValuesRefuseByField: what only a save can find (a field
// changed after a later one was checked against it) names its field.
func TestEventValuesRefuseByField(t *testing.T) {
	base := eventValues{name: "Gopher night", start: "2026-07-02 18:30", end: "2026-07-02 21:00"}
	for _, c := range []struct {
		change func(v *eventValues)
		field  string
	}{
		{func(v *eventValues) { v.start = "2026-07-02 22:00" }, "End"},
		{func(v *eventValues) { v.name = " " }, "Name"},
		{func(v *eventValues) { v.start = "" }, "Start"},
		{func(v *eventValues) { v.zone = "Mars/Olympus" }, "Time zone"},
		{func(v *eventValues) { v.cfpOpens, v.cfpCloses = "2026-06-10", "2026-06-01" }, "CFP closes"},
		{func(v *eventValues) { v.capacity = "lots" }, "Capacity"},
		{func(v *eventValues) { v.end = "tomorrowish" }, "End"},
	} {
		v := base
		c.change(&v)
		var p store.EventPlan
		err := v.apply(&p, time.UTC)
		var fe fieldError
		if !errors.As(err, &fe) || fe.field != c.field {
			t.Errorf("%+v: %v, want an error about %s", v, err, c.field)
		}
	}
	v := base
	var p store.EventPlan
	if err := v.apply(&p, time.UTC); err != nil || p.Name != "Gopher night" || !p.End.After(p.Start) {
		t.Errorf("a good event: %+v, %v", p, err)
	}
}

// TestFormComesBackOnItsField: a refused save reopens the form with the
// values as they were, focused on the field refused (in the second
// group here), the error in its title; an error about no field shows
// above the form, on the first field.
func TestFormComesBackOnItsField(t *testing.T) {
	m := newTestModel(t, newFakeStore(5), 100, 40)
	et := m.tabs[tabEvents].(*eventsTab)
	f := et.eventForm(store.EventPlan{})
	f.start(100, 37)
	typed := map[string]string{"Name": "Gopher night", "Start": "2026-07-02 18:30", "CFP opens": "2026-06-10", "CFP closes": "2026-06-01"}
	for title, v := range typed {
		*f.field(title).v = v
	}
	f.refuse(fieldError{"CFP closes", errors.New("must be after it opens")})
	if got := f.form.GetFocusedField(); got != huh.Field(f.field("CFP closes").in) {
		t.Fatalf("the focus is on %T, not CFP closes", got)
	}
	view := ansi.Strip(f.view())
	if !strings.Contains(view, "CFP closes  ✗ must be after it opens") || !strings.Contains(view, "> 2026-06-01") {
		t.Fatalf("the refused field:\n%s", view)
	}
	for title, v := range typed {
		if got := *f.field(title).v; got != v {
			t.Errorf("%s is %q after coming back, want %q", title, got, v)
		}
	}
	// Typing another value clears the error.
	f.update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	for _, r := range "2026-06-20" {
		f.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if view := ansi.Strip(f.view()); strings.Contains(view, "✗") || *f.field("CFP closes").v != "2026-06-20" {
		t.Fatalf("the error stayed after the value changed to %q:\n%s", *f.field("CFP closes").v, view)
	}

	f.refuse(errors.New("database is locked"))
	view = ansi.Strip(f.view())
	if !strings.HasPrefix(view, "✗ not saved: database is locked") || !strings.Contains(view, "> Gopher night") {
		t.Fatalf("an error about no field:\n%s", view)
	}
	if got := f.form.GetFocusedField(); got != huh.Field(f.field("Name").in) {
		t.Fatalf("the focus is on %T, not the first field", got)
	}
}
