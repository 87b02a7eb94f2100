package store

import (
	"slices"
	"testing"
	"time"

	"hearth/model"
)

// The blob keeps every activity's second and kind by name; reading it
// gives the health figures' activities, a kind they do not tell apart as
// model.ActOther.
func TestMemberMonthsCodecRoundTrip(t *testing.T) {
	acts := []monthAct{
		{At: time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC).Unix(), Kind: model.KindCommit},
		{At: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC).Unix(), Kind: model.KindReview},
		{At: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC).Unix(), Kind: model.KindCommit},
		{At: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC).Unix(), Kind: "new_kind"},
	}
	got, err := decodeMemberMonths(encodeMemberMonths(acts), nil, map[string]model.ActKind{})
	want := make([]model.Act, len(acts))
	for i, a := range acts {
		want[i] = model.Act{At: a.At, Kind: model.ActKindOf(a.Kind)}
	}
	if err != nil || !slices.Equal(got, want) || got[3].Kind != model.ActOther {
		t.Fatalf("got %v (%v), want %v", got, err, want)
	}
	if _, err := decodeMemberMonths([]byte{5, 1}, nil, map[string]model.ActKind{}); err == nil {
		t.Error("a truncated row decoded")
	}
}
