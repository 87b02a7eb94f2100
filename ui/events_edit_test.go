package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

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
