package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// drive runs a command and feeds what it produces back into the model, the
// way the program would, so plain Update tests see loaded data. Batches are
// followed; ticks of the spinner are dropped so it terminates.
func drive(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case nil:
			continue
		}
		if isTick(msg) || isInternal(msg) {
			continue
		}
		_, next := m.Update(msg)
		queue = append(queue, next)
	}
}

func isTick(msg tea.Msg) bool {
	_, ok := msg.(spinner.TickMsg)
	return ok
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// isInternal spots Bubble Tea's own request messages (background colour,
// quit) that only a running program understands.
func isInternal(msg tea.Msg) bool {
	n := typeName(msg)
	return strings.HasPrefix(n, "tea.") && !strings.HasPrefix(n, "tea.Key") && !strings.HasPrefix(n, "tea.Window")
}

// newTestModel builds a model over a store, sized and fully loaded.
func newTestModel(t testing.TB, s Store, w, h int) *Model {
	t.Helper()
	m := New(Options{Store: s, DBPath: "/srv/hearth/community.db", Theme: "dark", Now: func() time.Time { return testNow }})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drive(t, m, m.Init())
	return m
}

func press(t testing.TB, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		drive(t, m, cmd)
	}
}

// typeText types s rune by rune.
func typeText(t testing.TB, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		_, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		drive(t, m, cmd)
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the model's view as plain text.
func screen(m *Model) string { return ansi.Strip(m.View().Content) }
