package ui

import (
	"testing"

	"hearth/model"
)

// funnelBench is a model over the 100k demo with the directory loaded and
// the health overview computed, on the Members tab.
func funnelBench(b *testing.B) *Model {
	b.Helper()
	m := loadedBench(b)
	if m.funnel.health == nil {
		b.Fatalf("no health figures: %v", m.funnel.err)
	}
	return m
}

// BenchmarkFunnelOverview100k: pressing 2 shows the health overview,
// computed in the background once the app opened (target: 50 ms).
func BenchmarkFunnelOverview100k(b *testing.B) {
	m := funnelBench(b)
	for b.Loop() {
		m.Update(keyMsg("1"))
		m.Update(keyMsg("2"))
		if frame := m.View().Content; len(frame) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkFunnelDrill100k: enter on a number lists the people behind it
// (target: 50 ms). The doors are the largest (everyone who reached
// participant, about 100,000 people) and a month's active members.
func BenchmarkFunnelDrill100k(b *testing.B) {
	m := funnelBench(b)
	m.Update(keyMsg("2"))
	f := m.funnel
	for _, door := range []struct {
		name     string
		row, col int
	}{{"everyone", 0, 0}, {"month", 5, 12}} {
		b.Run(door.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				f.row, f.col = door.row, door.col
				m.Update(keyMsg("enter"))
				d, ok := f.drill.(*funnelDrill)
				if !ok {
					b.Fatal("no list of people")
				}
				n = len(d.members)
				_ = m.View().Content
				m.Update(keyMsg("esc"))
			}
			b.ReportMetric(float64(n), "people")
		})
	}
}

// BenchmarkFunnelWindow100k: computing the overview of another window
// from the input already loaded (w; runs in the background).
func BenchmarkFunnelWindow100k(b *testing.B) {
	m := funnelBench(b)
	f := m.funnel
	for b.Loop() {
		p := computeOverview(f.in, nowFunc(), model.Window(6), model.HealthOptions{})
		if p.health == nil {
			b.Fatal("nothing computed")
		}
	}
}

// BenchmarkFunnelSwitchWindow100k: p on the overview, with its frame,
// once the other windows were computed in the background (the local
// program computes them after the first; a server before its sessions).
func BenchmarkFunnelSwitchWindow100k(b *testing.B) {
	m := funnelBench(b)
	m.Update(keyMsg("2"))
	if len(m.funnel.ahead.done) != len(model.Windows) {
		b.Fatalf("%d windows computed ahead", len(m.funnel.ahead.done))
	}
	for b.Loop() {
		m.Update(keyMsg("p"))
		if m.funnel.computing {
			b.Fatal("the window was not computed ahead")
		}
		_ = m.View().Content
	}
}
