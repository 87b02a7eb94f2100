package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// These benchmarks isolate the UI's own cost (matching, layout, render)
// over 100,000 in-memory members; bench_test.go measures the same paths
// over a real database.

func BenchmarkFilterKeystrokeInMemory100k(b *testing.B) {
	m := newTestModel(b, newFakeStore(100_000), 120, 40)
	benchFilterKeystrokes(b, m)
}

func BenchmarkRenderMembersInMemory100k(b *testing.B) {
	m := newTestModel(b, newFakeStore(100_000), 200, 50)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		_ = m.View()
	}
}

// benchFilterKeystrokes types words of 1 to 6 characters into an empty
// member filter, rendering after each keystroke, and reports the cost of
// one keystroke.
func benchFilterKeystrokes(b *testing.B, m *Model) {
	words := []string{"mullerx", "garcia", "kowals", "chen", "sofia", "tanaka", "okafor"}
	members := m.members.members
	keys := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// A fresh index: each word is typed into a filter that remembers
		// nothing, as after opening the program.
		m.members.list.filter = memberFilter(members, nil)
		m.members.list.setQuery("", false)
		m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
		b.StartTimer()
		w := words[i%len(words)]
		for n := 0; n < 6 && n < len(w); n++ {
			m.Update(tea.KeyPressMsg{Code: rune(w[n]), Text: w[n : n+1]})
			_ = m.View()
			keys++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(keys)/1e6, "ms/keystroke")
}

// BenchmarkMeasureColumns100k: measuring the members table's column widths
// when the directory loads (in the load command, off the UI goroutine):
// about 50 ms on a shared 2-core machine.
func BenchmarkMeasureColumns100k(b *testing.B) {
	ms := newFakeStore(100_000).members
	measure := []bool{memberName: true, memberHandles: true, memberOrg: true, memberTopics: true, memberStage: false, memberActive: false}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		naturalWidths(len(ms), measure, func(r, col int) string { return memberText(&ms[r], col, testNow) })
	}
}
