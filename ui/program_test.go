package ui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

var update = flag.Lookup("update")

// updateGolden reports whether golden files should be rewritten (-update,
// the flag the golden package registers).
func updateGolden() bool {
	return update != nil && update.Value.String() == "true"
}

// TestProgram drives the real program: open, visit every tab, filter the
// members by typing, open and close a detail, quit. The frames it checks
// are compared with golden files (go test ./ui -run TestProgram -update
// rewrites them).
func TestProgram(t *testing.T) {
	m := New(Options{Store: demoStore(t, 200), DBPath: "/srv/hearth/community.db", Theme: "dark",
		Now: func() time.Time { return testNow }})
	tm := teatest.NewTestModel(t, probed{m},
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))

	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	frames := map[string]string{}
	snap := func(name, want string) {
		t.Helper()
		waitFor(want)
		// The model is only read between messages: ask the program to run
		// a probe that copies the frame on its own goroutine.
		deadline := time.Now().Add(5 * time.Second)
		for {
			done := make(chan string, 1)
			tm.Send(probeMsg{done})
			select {
			case s := <-done:
				if s != "" {
					frames[name] = s
					return
				}
			case <-time.After(5 * time.Second):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no settled frame for %s", name)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	snap("members", "Organisation")
	tm.Send(tea.KeyPressMsg{Code: '2', Text: "2"})
	snap("funnel", "Bus factor")
	tm.Send(tea.KeyPressMsg{Code: '3', Text: "3"})
	snap("questions", "Author")
	tm.Send(tea.KeyPressMsg{Code: '4', Text: "4"})
	snap("events", "Past")
	tm.Send(tea.KeyPressMsg{Code: '1', Text: "1"})
	tm.Type("/core")
	snap("filtered", "of 197")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	snap("detail", "Why core")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(probed).Model
	if final.members.detail.open || final.members.list.query != "core" {
		t.Fatalf("after esc: detail open %v, filter %q", final.members.detail.open, final.members.list.query)
	}
	frames["final"] = ansi.Strip(final.View().Content)

	// Every row the filter leaves is a core member.
	rows := 0
	for _, l := range strings.Split(frames["filtered"], "\n")[3:21] {
		if strings.TrimSpace(l) == "" {
			break
		}
		if !strings.Contains(l, " core ") {
			t.Fatalf("the filter left a row that is not core: %q", l)
		}
		rows++
	}
	if rows == 0 || strings.Contains(frames["filtered"], "197 of 197") {
		t.Fatalf("the filter did not narrow:\n%s", frames["filtered"])
	}
	for _, name := range []string{"members", "funnel", "questions", "events", "filtered", "detail", "final"} {
		checkGolden(t, name, frames[name])
	}
}

// probeMsg asks the running model for its current frame; it answers ""
// while something is still loading.
type probeMsg struct{ out chan<- string }

// probed wraps the root model to answer probes on the program's goroutine.
type probed struct{ *Model }

func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pr, ok := msg.(probeMsg); ok {
		if p.loading() {
			pr.out <- ""
		} else {
			pr.out <- ansi.Strip(p.View().Content)
		}
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	got = strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", "program-"+name+".golden")
	if updateGolden() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s frame differs from %s:\n got: %s\nwant: %s", name, path, got, want)
	}
}

// TestProgramTriage drives the real program on a real store with its
// writer: assign a question, snooze another, close a third, undo the
// close; the frames are golden files and the store holds what the frames
// say.
func TestProgramTriage(t *testing.T) {
	st := demoStore(t, 200)
	m := New(Options{Store: st, Writer: st.Writer("tester"), DBPath: "/srv/hearth/community.db", Theme: "dark",
		Now: func() time.Time { return testNow }, Zone: time.UTC})
	tm := teatest.NewTestModel(t, probed{m},
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	frames := map[string]string{}
	snap := func(name, want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			done := make(chan string, 1)
			tm.Send(probeMsg{done})
			select {
			case s := <-done:
				if s != "" && strings.Contains(s, want) {
					frames[name] = s
					return
				}
			case <-time.After(5 * time.Second):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no frame for %s with %q", name, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	key := func(s string) {
		for _, r := range s {
			tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	snap("start", "Organisation")
	key("3")
	snap("questions", "waiting 5")
	key("a")
	key("dung")
	snap("picker", "@dung-d")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	snap("assigned", "assigned to @dung-d · u undo")
	key("j")
	key("s")
	snap("snooze-prompt", "Snooze until")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	snap("snoozed", "snoozed until 2026-06-18 · u undo")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	snap("detail", "Assigned to")
	key("d")
	snap("done", "Status        done") // the page read again, not only the notice
	key("u")
	snap("undone", "Status        waiting")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	key("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	qs, err := st.OpenQuestions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		if q.Triage.Version > 0 {
			got = append(got, fmt.Sprintf("%s|%s|%s|%s", q.Title, q.Triage.Assignee, q.Triage.Status, q.Triage.SnoozedUntil.Format(time.DateOnly)))
		}
	}
	want := []string{
		"How do I script kestrelctl with JSON output?|@dung-d||0001-01-01",
		"Can nodes talk over a VPN with high latency?|@dung-d|snoozed|2026-06-18",
		"Is there a Grafana dashboard for Kestrel?|||0001-01-01", // done, then undone
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the store holds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, name := range []string{"questions", "picker", "assigned", "snooze-prompt", "snoozed", "done", "undone"} {
		checkGolden(t, "triage-"+name, frames[name])
	}
}
