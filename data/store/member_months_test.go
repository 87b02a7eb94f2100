package store

import (
	"slices"
	"testing"
	"time"

	"hearth/model"
)

func TestMemberMonthsCodecRoundTrip(t *testing.T) {
	acts := []model.Act{
		{At: time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC).Unix(), Kind: model.KindCommit},
		{At: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC).Unix(), Kind: model.KindReview},
		{At: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC).Unix(), Kind: model.KindCommit},
		{At: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC).Unix(), Kind: "new_kind"},
	}
	got, err := decodeMemberMonths(encodeMemberMonths(acts), nil, map[string]model.Kind{})
	if err != nil || !slices.Equal(got, acts) {
		t.Fatalf("got %v (%v), want %v", got, err, acts)
	}
	if _, err := decodeMemberMonths([]byte{5, 1}, nil, map[string]model.Kind{}); err == nil {
		t.Error("a truncated row decoded")
	}
}
