package ui

import (
	"cmp"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// The order of the Members list: the sort key (o) cycles through most
// active first (the directory's own order), name, last active and stage.
// Sorting copies and re-indexes the rows in a command, off the UI
// goroutine (100,000 rows take a moment), and a reload keeps the order.

type sortOrder int

const (
	sortActivity sortOrder = iota // most activities first: the directory's order
	sortName                      // A to Z
	sortRecent                    // last active, most recent first
	sortStage                     // highest stage first, then most active
	sortOrders
)

func (o sortOrder) String() string {
	return [...]string{"activity", "name", "last active", "stage"}[o]
}

// sortedPayload is the list re-sorted in order.
type sortedPayload struct {
	order sortOrder
	rows  membersPayload
}

// sortMembers orders ms (in place) by o; ties keep the directory's order
// (most active first, then by id), so the order is the same every time.
func sortMembers(ms []model.Member, o sortOrder) {
	if o == sortActivity {
		slices.SortStableFunc(ms, byActivity)
		return
	}
	var key func(a, b *model.Member) int
	switch o {
	case sortName:
		// Names fold case once, not at every comparison.
		folded := make(map[int64]string, len(ms))
		for i := range ms {
			folded[ms[i].ID] = strings.ToLower(memberText(&ms[i], memberName, ms[i].LastActive))
		}
		key = func(a, b *model.Member) int { return cmp.Compare(folded[a.ID], folded[b.ID]) }
	case sortRecent:
		key = func(a, b *model.Member) int { return b.LastActive.Compare(a.LastActive) }
	case sortStage:
		key = func(a, b *model.Member) int { return cmp.Compare(b.Standing.Stage, a.Standing.Stage) }
	}
	slices.SortStableFunc(ms, func(a, b model.Member) int {
		if c := key(&a, &b); c != 0 {
			return c
		}
		return byActivity(a, b)
	})
}

func byActivity(a, b model.Member) int {
	if c := cmp.Compare(b.Activities, a.Activities); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// cycleSort moves to the next order and re-sorts the rows, once the whole
// directory has loaded (until then the order applies when it arrives).
func (t *membersTab) cycleSort() tea.Cmd {
	t.order = (t.order + 1) % sortOrders
	t.showOrder()
	if !t.full {
		return notify("sorted by " + t.order.String() + " once every member has loaded")
	}
	ms := slices.Clone(t.members)
	labels, order, now := t.labels, t.order, t.c.Now()
	return tea.Batch(notify("sorted by "+order.String()), func() tea.Msg {
		sortMembers(ms, order)
		return loadedMsg{Tab: tabMembers, Payload: sortedPayload{order: order, rows: memberRows(ms, labels, true, now)}}
	})
}

// showOrder marks the sorted column in the header and names the order in
// the help of the sort key.
func (t *membersTab) showOrder() {
	titles := map[int]string{memberName: "Name", memberStage: "Stage", memberActive: "Active"}
	for col, title := range titles {
		t.list.table.cols[col].title = title
	}
	switch t.order {
	case sortName:
		t.list.table.cols[memberName].title = "Name ↑"
	case sortRecent:
		t.list.table.cols[memberActive].title = "Active ↓"
	case sortStage:
		t.list.table.cols[memberStage].title = "Stage ↓"
	}
	t.c.Keys.Sort.SetHelp("o", "sort: "+t.order.String())
}
