package model

import (
	"slices"
	"testing"
)

// TestExcludeStaff: a staff member who makes most of the contributions
// counts in the bus factor and the conversion only when staff are not
// excluded; the funnel counts them either way.
func TestExcludeStaff(t *testing.T) {
	var paid, volunteer, other []Act
	for d := 1; d <= 9; d++ {
		paid = append(paid, hact(KindCommit, 2026, 4, d))
	}
	volunteer = []Act{hact(KindCommit, 2026, 4, 20), hact(KindCommit, 2026, 4, 21)}
	other = []Act{hact(KindCommit, 2026, 4, 22)}
	members := func() []HealthMember {
		return []HealthMember{
			{ID: 1, Name: "Pat", Staff: true, Acts: slices.Clone(paid)},
			{ID: 2, Name: "Val", Acts: slices.Clone(volunteer)},
			{ID: 3, Name: "Oli", Acts: slices.Clone(other)},
		}
	}
	o := DefaultHealthOptions(healthNow)
	if !o.ExcludeStaff {
		t.Fatal("staff are excluded by default")
	}
	h := ComputeHealth(members(), nil, o)
	// Without Pat: 3 contributions, Val's 2 cover half.
	if h.Bus.N != 1 || !slices.Equal(h.Bus.Names, []string{"Val"}) || h.Bus.Contributions != 3 {
		t.Errorf("bus without staff %+v", h.Bus)
	}
	if got := enteredIn(h, StageParticipant, "2026-Q2"); got != 2 {
		t.Errorf("participants entered in 2026-Q2 without staff: %d, want 2", got)
	}
	if h.Members != 3 {
		t.Errorf("members %d, want 3 (staff still counted in the funnel)", h.Members)
	}

	o.ExcludeStaff = false
	h = ComputeHealth(members(), nil, o)
	if h.Bus.N != 1 || !slices.Equal(h.Bus.Names, []string{"Pat"}) || h.Bus.Contributions != 12 {
		t.Errorf("bus with staff %+v", h.Bus)
	}
	if got := enteredIn(h, StageParticipant, "2026-Q2"); got != 3 {
		t.Errorf("participants entered in 2026-Q2 with staff: %d, want 3", got)
	}
}

func enteredIn(h Health, from Stage, quarter string) int {
	for _, c := range h.Conversion {
		if c.From == from && c.Quarter == quarter {
			return c.Entered
		}
	}
	return -1
}
