package model

import "testing"

func TestSpeakerTallyCountsWhatListsCount(t *testing.T) {
	e := Event{Speakers: []Speaker{
		{Status: "confirmed"}, {Status: "invited"}, {Status: ""}, {Status: "declined"}, {Status: "confirmed"},
	}}
	active, confirmed, declined := e.SpeakerTally()
	if active != 4 || confirmed != 2 || declined != 1 {
		t.Fatalf("tally %d active, %d confirmed, %d declined; want 4, 2, 1", active, confirmed, declined)
	}
}
