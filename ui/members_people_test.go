package ui

import (
	"slices"
	"strings"
	"testing"

	"hearth/data/store"
	"hearth/model"
)

// memberIDs are the ids of the list's rows, in order.
func memberIDs(m *Model) []int64 {
	var ids []int64
	for _, r := range m.members.members {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestMergeFromList(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	if got := screen(m); !strings.Contains(got, "m merge") || !strings.Contains(got, "S split") {
		t.Fatalf("the help does not offer merge and split:\n%s", got)
	}
	press(t, m, "m")
	if m.members.merge == nil || !m.members.Capturing() {
		t.Fatal("m did not open the picker")
	}
	if got := screen(m); !strings.Contains(got, "Merge Ada Lovelace with") {
		t.Fatalf("picker:\n%s", got)
	}
	// The member itself is no choice.
	press(t, m, "enter")
	if got := statusLine(m); !strings.Contains(got, "same member") {
		t.Fatalf("merging a member with itself: %q", got)
	}
	wantCalls(t, w)
	typeText(t, m, "grace hopper")
	press(t, m, "enter")
	wantCalls(t, w, "merge 1 2")
	if m.members.merge != nil {
		t.Fatal("the picker stayed open")
	}
	if got := statusLine(m); !strings.Contains(got, "merged Ada Lovelace and Grace Hopper · u undo") {
		t.Fatalf("status line: %q", got)
	}
	// The list shows the merged member with both members' activities.
	if n := len(m.members.members); n != 39 {
		t.Fatalf("after the merge the list has %d members, want 39", n)
	}
	if a := m.members.members[0]; a.ID != 1 || a.Activities != 500+499 {
		t.Fatalf("merged member: %d with %d activities", a.ID, a.Activities)
	}
	// esc leaves the picker without writing.
	press(t, m, "m", "esc")
	if m.members.merge != nil {
		t.Fatal("esc did not close the picker")
	}
	wantCalls(t, w, "merge 1 2")
}

func TestSplitChoosesAnAccount(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	// Member 1 has two accounts: the chooser offers both.
	press(t, m, "S")
	if m.members.edit == nil || m.members.edit.kind != editSplit {
		t.Fatal("S did not open the chooser")
	}
	if got := screen(m); !strings.Contains(got, "Split off") || !strings.Contains(got, "git ada@example.org") {
		t.Fatalf("chooser:\n%s", got)
	}
	pressMsg(t, m, rightKey)
	press(t, m, "enter")
	wantCalls(t, w, "split git:ada@example.org")
	if got := statusLine(m); !strings.Contains(got, "split off git ada@example.org · u undo") {
		t.Fatalf("status line: %q", got)
	}
	// Member 2 has one: nothing to split.
	press(t, m, "j", "S")
	if m.members.edit != nil || !strings.Contains(statusLine(m), "one account") {
		t.Fatalf("a lone account: edit %v, status %q", m.members.edit, statusLine(m))
	}
	wantCalls(t, w, "split git:ada@example.org")
}

func TestDuplicatesList(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	s := w.s
	s.dups = []store.Duplicate{
		{A: s.members[0], B: s.members[1], Reasons: []string{"same login ada on github and discourse"}},
		{A: s.members[2], B: s.members[3], Reasons: []string{"same name Linus Müller, different addresses"}},
	}
	press(t, m, "D")
	if m.members.dups == nil {
		t.Fatal("D did not open the duplicates")
	}
	got := screen(m)
	for _, want := range []string{"Possible duplicates", "2 pairs", "same login ada on github", "Grace Hopper", "x: not the same person"} {
		if !strings.Contains(got, want) {
			t.Fatalf("duplicates screen lacks %q:\n%s", want, got)
		}
	}
	// x says the first pair are two people; the list reloads without it.
	press(t, m, "x")
	wantCalls(t, w, "not-same 1 2")
	if n := len(m.members.dups.rows); n != 1 {
		t.Fatalf("after x the list has %d pairs, want 1", n)
	}
	if !strings.Contains(statusLine(m), "are two people · u undo") {
		t.Fatalf("status line: %q", statusLine(m))
	}
	// m merges the next one.
	press(t, m, "m")
	wantCalls(t, w, "not-same 1 2", "merge 3 4")
	if n := len(m.members.dups.rows); n != 0 || !strings.Contains(screen(m), "None found") {
		t.Fatalf("after m: %d pairs\n%s", n, screen(m))
	}
	press(t, m, "esc")
	if m.members.dups != nil {
		t.Fatal("esc did not close the duplicates")
	}
}

// Without a writer the keys that write explain, and write nothing; a
// viewer does not see the duplicates at all.
func TestPeopleKeysReadOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		viewer bool
		says   string
	}{{"read-only", false, "read-only: this database cannot be changed"}, {"viewer", true, "viewers cannot"}} {
		t.Run(c.name, func(t *testing.T) {
			m, w := newMemberModel(t, true, c.viewer)
			w.s.dups = []store.Duplicate{{A: w.s.members[0], B: w.s.members[1], Reasons: []string{"why"}}}
			if got := screen(m); strings.Contains(got, "m merge") {
				t.Fatalf("a read-only program offers merge:\n%s", got)
			}
			for _, k := range []string{"m", "S"} {
				press(t, m, k)
				if !strings.Contains(statusLine(m), c.says) {
					t.Fatalf("%s says %q", k, statusLine(m))
				}
				if m.members.merge != nil || m.members.edit != nil {
					t.Fatalf("%s opened something", k)
				}
			}
			press(t, m, "D")
			if c.viewer {
				if m.members.dups != nil || !strings.Contains(statusLine(m), "viewers cannot review duplicates") {
					t.Fatalf("a viewer opened the duplicates: %q", statusLine(m))
				}
			} else {
				press(t, m, "x")
				press(t, m, "m")
				if !strings.Contains(statusLine(m), c.says) {
					t.Fatalf("m in the duplicates says %q", statusLine(m))
				}
			}
			wantCalls(t, w)
		})
	}
}

func TestSortCycles(t *testing.T) {
	m, _ := newMemberModel(t, false, false)
	byActivity := memberIDs(m)
	press(t, m, "o")
	if got := statusLine(m); !strings.Contains(got, "sorted by name") {
		t.Fatalf("status line: %q", got)
	}
	var names []string
	for _, r := range m.members.members {
		names = append(names, strings.ToLower(memberText(&r, memberName, testNow)))
	}
	if !slices.IsSorted(names) {
		t.Fatalf("not sorted by name: %v", names)
	}
	if got := screen(m); !strings.Contains(got, "Name ↑") {
		t.Fatalf("the header does not show the order:\n%s", got)
	}
	press(t, m, "o")
	for i := 1; i < len(m.members.members); i++ {
		if m.members.members[i].LastActive.After(m.members.members[i-1].LastActive) {
			t.Fatalf("not sorted by last activity at row %d", i)
		}
	}
	press(t, m, "o")
	for i := 1; i < len(m.members.members); i++ {
		if m.members.members[i].Standing.Stage > m.members.members[i-1].Standing.Stage {
			t.Fatalf("not sorted by stage at row %d", i)
		}
	}
	if got := screen(m); !strings.Contains(got, "Stage ↓") {
		t.Fatalf("the header does not show the order:\n%s", got)
	}
	// A reload keeps the order; the fourth press comes back to activity.
	drive(t, m, m.reload())
	if m.members.members[0].Standing.Stage != model.StageCore {
		t.Fatalf("a reload lost the order")
	}
	press(t, m, "o")
	if got := memberIDs(m); !slices.Equal(got, byActivity) {
		t.Fatalf("back to activity: %v, want %v", got, byActivity)
	}
}

// A chat account's key holds a second colon ("chat:@ann:example.org"): a
// tag goes to it like to any other account, as the key reads back.
func TestTagOnChatAccount(t *testing.T) {
	m, w := newMemberModel(t, false, false)
	w.s.detail = func(mb model.Member) model.MemberDetail {
		return model.MemberDetail{Member: mb, Identities: []model.Identity{{Source: "chat", ExternalID: "@ann:example.org", Username: "ann"}}}
	}
	press(t, m, "t")
	typeText(t, m, "+berlin")
	press(t, m, "enter")
	wantCalls(t, w, "tag chat:@ann:example.org berlin")
}
