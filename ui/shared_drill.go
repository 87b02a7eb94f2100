package ui

import (
	"strings"
	"sync"

	"hearth/model"
)

// drillKey names one list of the people behind a number of the Funnel
// overview: the overview (shared by a server's programs, so its pointer
// names its window and view), the number and the directory rows the list
// points into.
type drillKey struct {
	health *model.Health
	dir    *model.Member
	door   string
}

func newDrillKey(h *model.Health, dir []model.Member, d door) drillKey {
	k := drillKey{health: h, door: d.title + "\x00" + strings.Join(d.keys, "\x00")}
	if len(dir) > 0 {
		k.dir = &dir[0]
	}
	return k
}

// drillRows is a list of people as every program shows it: the rows, the
// index their filter matches over and the column widths measured on
// them. Nothing in it is written after it is built; each program filters
// with its own Share of the filter.
type drillRows struct {
	members         []*model.Member
	filter          *model.Filter
	natural, widest []int
}

// drillMemory is how many lists a server keeps: the list of everyone at
// 100,000 members holds about 5 MB.
const drillMemory = 8

// drillShare is the lists of people the programs of a server opened,
// each built once; Directory.Refresh drops them with the overviews.
type drillShare struct {
	mu    sync.Mutex
	lists map[drillKey]*drillBuild
	order []drillKey // oldest first
}

type drillBuild struct {
	once sync.Once
	rows drillRows
	ok   bool // built: a build that panicked left nothing to share
}

// drill returns the list k, building it with build the first time a
// program asks (programs asking meanwhile wait for that build); without a
// directory (the local TUI) it builds.
func (d *Directory) drill(k drillKey, build func() drillRows) drillRows {
	if d == nil || k.health == nil {
		return build()
	}
	d.mu.Lock()
	if d.drills == nil {
		d.drills = &drillShare{lists: map[drillKey]*drillBuild{}}
	}
	s := d.drills
	d.mu.Unlock()
	s.mu.Lock()
	b := s.lists[k]
	if b == nil {
		b = &drillBuild{}
		s.lists[k] = b
		s.order = append(s.order, k)
		if len(s.order) > drillMemory {
			delete(s.lists, s.order[0])
			s.order = s.order[1:]
		}
	}
	s.mu.Unlock()
	b.once.Do(func() { b.rows, b.ok = build(), true })
	if !b.ok {
		return build()
	}
	return b.rows
}
