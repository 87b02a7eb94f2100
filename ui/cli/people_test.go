package cli

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// memberRow finds a member of the listing by id.
func memberRow(rows []map[string]any, id float64) map[string]any {
	for _, r := range rows {
		if r["id"] == id {
			return r
		}
	}
	return nil
}

// TestPeopleMergeThenUndo: a merge shows at once in the listing (one
// member fewer, the counts added up) and undo gives back the exact list.
func TestPeopleMergeThenUndo(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	list := func() []map[string]any { return membersJSON(t, env, "members", "--db", path, "--format", "json") }
	before := list()
	a, b := before[3], before[8]
	ida, idb := a["id"].(float64), b["id"].(float64)
	r := runCLI(t, env, 0, "people", "merge", fmt.Sprint(ida), "--db", path, fmt.Sprint(idb))
	if r.code != 0 || !strings.Contains(r.stdout, "merged: member") || !strings.Contains(r.stdout, "hearth undo") {
		t.Fatalf("merge: %d %q %q", r.code, r.stdout, r.stderr)
	}
	after := list()
	if len(after) != len(before)-1 {
		t.Fatalf("after the merge: %d members, want %d", len(after), len(before)-1)
	}
	merged := memberRow(after, min(ida, idb))
	if merged == nil || merged["activities"] != a["activities"].(float64)+b["activities"].(float64) {
		t.Fatalf("merged member: %v", merged)
	}
	if memberRow(after, max(ida, idb)) != nil {
		t.Fatal("the merged-away member is still listed")
	}
	// Merging them again: they are one member now.
	oneLineError(t, runCLI(t, env, 0, "people", "merge", fmt.Sprint(ida), fmt.Sprint(idb), "--db", path), 1)
	r = runCLI(t, env, 0, "undo", "--db", path)
	if r.code != 0 || !strings.Contains(r.stdout, "undone: merge members") {
		t.Fatalf("undo: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := list(); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo did not restore the member list (%d members, want %d)", len(got), len(before))
	}
}

func TestPeopleSplitThenUndo(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	list := func() []map[string]any { return membersJSON(t, env, "members", "--db", path, "--format", "json") }
	before := list()
	var key string
	var from float64
	for _, m := range before {
		if ids, _ := m["identities"].([]any); len(ids) > 1 {
			key, from = ids[1].(string), m["id"].(float64)
			break
		}
	}
	if key == "" {
		t.Fatal("no member of the demo has two accounts")
	}
	r := runCLI(t, env, 0, "people", "split", key, "--db", path)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("split %s off member %v", key, from)) {
		t.Fatalf("split: %d %q %q", r.code, r.stdout, r.stderr)
	}
	after := list()
	if len(after) != len(before)+1 {
		t.Fatalf("after the split: %d members, want %d", len(after), len(before)+1)
	}
	if ids, _ := memberRow(after, from)["identities"].([]any); slicesContainAny(ids, key) {
		t.Fatalf("%s is still an account of member %v", key, from)
	}
	runCLI(t, env, 0, "undo", "--db", path)
	if got := list(); !reflect.DeepEqual(got, before) {
		t.Fatal("undo did not restore the member list")
	}
}

func slicesContainAny(xs []any, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// TestPeopleDuplicates: two members given one name by a source are
// offered as a pair; not-same takes them out, undo brings them back.
func TestPeopleDuplicates(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	members := membersJSON(t, env, "members", "--db", path, "--format", "json")
	var a, b map[string]any
	for _, m := range members {
		if emails, _ := m["emails"].([]any); len(emails) == 0 {
			continue
		}
		if a == nil {
			a = m
		} else if m["name"] != a["name"] {
			b = m
			break
		}
	}
	execSQL(t, path, "UPDATE identities SET name = 'Quentin Zyx Duplicate' WHERE member_id IN (?, ?)", a["id"], b["id"])
	pairs := func() []map[string]any {
		return membersJSON(t, env, "people", "duplicates", "--db", path, "--format", "json")
	}
	has := func(rows []map[string]any) bool {
		for _, p := range rows {
			if p["a_id"] == min(a["id"].(float64), b["id"].(float64)) && p["b_id"] == max(a["id"].(float64), b["id"].(float64)) {
				return strings.Contains(fmt.Sprint(p["reasons"]), "same name Quentin Zyx Duplicate")
			}
		}
		return false
	}
	if !has(pairs()) {
		t.Fatalf("the pair is not listed: %v", pairs())
	}
	r := runCLI(t, env, 0, "people", "--db", path, "duplicates", "--format", "csv")
	if head := strings.SplitN(r.stdout, "\n", 2)[0]; head != "a_id,a_name,a_key,b_id,b_name,b_key,reason" {
		t.Fatalf("csv header %q", head)
	}
	r = runCLI(t, env, 0, "people", "not-same", fmt.Sprint(a["id"]), fmt.Sprint(b["id"]), "--db", path)
	if r.code != 0 || !strings.Contains(r.stdout, "are two people") {
		t.Fatalf("not-same: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if has(pairs()) {
		t.Fatal("a pair said to be two people is still listed")
	}
	runCLI(t, env, 0, "undo", "--db", path)
	if !has(pairs()) {
		t.Fatal("undo did not bring the pair back")
	}
}

func TestPeopleMistakes(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"people", "--db", path}, 2},
		{[]string{"people", "frob", "--db", path}, 2},
		{[]string{"people", "merge", "1", "--db", path}, 2},
		{[]string{"people", "merge", "1", "1", "--db", path}, 1},
		{[]string{"people", "merge", "1", "@nobody-here", "--db", path}, 1},
		{[]string{"people", "split", "nokey", "--db", path}, 2},
		{[]string{"people", "split", "github:nobody-here", "--db", path}, 1},
		{[]string{"people", "not-same", "1", "--db", path}, 2},
	} {
		oneLineError(t, runCLI(t, env, 0, c.args...), c.code)
	}
	r := runCLI(t, env, 0, "help", "people")
	if r.code != 0 || !strings.Contains(r.stdout, "hearth people merge MEMBER MEMBER") {
		t.Fatalf("help: %d %q", r.code, r.stdout)
	}
}

func TestMembersEdit(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	members := membersJSON(t, env, "members", "--db", path, "--format", "json")
	m := members[len(members)-1]
	id := fmt.Sprint(m["id"])
	notes := m["note_count"].(float64)
	r := runCLI(t, env, 0, "members", "edit", id, "--db", path, "--note", "runs the Lisbon meetup",
		"--tag", "lisbon", "--tag", "organiser", "--flag", "mentor", "--flag", "speaker")
	if r.code != 0 || !strings.Contains(r.stdout, "note added, +lisbon, +organiser, flag +mentor, flag +speaker") {
		t.Fatalf("edit: %d %q %q", r.code, r.stdout, r.stderr)
	}
	got := memberRow(membersJSON(t, env, "members", "--db", path, "--format", "json"), m["id"].(float64))
	if got["note_count"] != notes+1 || !slicesContainAny(got["tags"].([]any), "lisbon") ||
		!slicesContainAny(got["tags"].([]any), "organiser") || !slicesContainAny(got["flags"].([]any), "mentor") {
		t.Fatalf("after the edit: %v", got)
	}
	// Flags may come before the subcommand; untag and unflag reach every account.
	r = runCLI(t, env, 0, "members", "--db", path, "edit", id, "--untag", "lisbon", "--unflag", "mentor")
	if r.code != 0 {
		t.Fatalf("untag: %d %q", r.code, r.stderr)
	}
	got = memberRow(membersJSON(t, env, "members", "--db", path, "--format", "json"), m["id"].(float64))
	if slicesContainAny(got["tags"].([]any), "lisbon") || slicesContainAny(got["flags"].([]any), "mentor") ||
		!slicesContainAny(got["flags"].([]any), "speaker") {
		t.Fatalf("after untag and unflag: %v", got)
	}
	// Each change is one step of undo.
	r = runCLI(t, env, 0, "undo", "--db", path)
	if !strings.Contains(r.stdout, "undone: unflag") {
		t.Fatalf("undo: %q", r.stdout)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"members", "edit", id, "--db", path}, 2},
		{[]string{"members", "edit", "--db", path, "--tag", "x"}, 2},
		{[]string{"members", "edit", id, "--db", path, "--flag", "wizard"}, 2},
		{[]string{"members", "edit", id, "--db", path, "--note", " "}, 2},
		{[]string{"members", "edit", "@nobody-here", "--db", path, "--tag", "x"}, 1},
	} {
		oneLineError(t, runCLI(t, env, 0, c.args...), c.code)
	}
}

// A chat account's key holds a second colon ("chat:@ann:example.org"): a
// tag given through it is read back, whether the member has only that
// account or others too.
func TestMembersEditChatAccount(t *testing.T) {
	env := newTestEnv(t)
	path := smallDemo(t, env)
	var chat []map[string]any
	for _, m := range membersJSON(t, env, "members", "--db", path, "--format", "json") {
		ids, _ := m["identities"].([]any)
		if len(ids) > 0 && strings.Count(ids[0].(string), ":") >= 2 {
			chat = append(chat, m)
		}
	}
	if len(chat) == 0 {
		t.Fatal("the demo has no member whose first account is a chat account")
	}
	for _, m := range chat[:min(len(chat), 2)] {
		if r := runCLI(t, env, 0, "members", "edit", fmt.Sprint(m["id"]), "--db", path, "--tag", "chatty"); r.code != 0 {
			t.Fatalf("edit: %d %q", r.code, r.stderr)
		}
		got := memberRow(membersJSON(t, env, "members", "--db", path, "--format", "json"), m["id"].(float64))
		if !slicesContainAny(got["tags"].([]any), "chatty") {
			t.Fatalf("the tag is not read back: %v", got)
		}
	}
}
