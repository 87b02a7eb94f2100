package slack

import (
	"encoding/json"
	"time"
)

// cursor is where a sync of an export stands, stored as JSON.
type cursor struct {
	// Channels is, by channel id, how far its day files were read.
	Channels map[string]*channelState `json:"channels,omitempty"`
	// Open are the questions nobody but their asker has answered yet, by
	// question id: a reply in a later day file, or a later export, answers
	// them, so they must outlive the run.
	Open map[string]*openQuestion `json:"open,omitempty"`
}

// channelState is how far one channel was read.
type channelState struct {
	Day string `json:"day"`          // the last day file read, "2024-03-05.json"
	TS  string `json:"ts,omitempty"` // the last message read in it
	// Sig is the day file's signature once it was read to its end; while
	// it matches, the file is not opened again.
	Sig string `json:"sig,omitempty"`
}

// openQuestion is an unanswered question, with everything its record
// needs, so that the reply answering it can write the whole record.
type openQuestion struct {
	Channel string    `json:"channel"` // its name
	Author  string    `json:"author"`  // identity external id
	Name    string    `json:"name,omitempty"`
	At      time.Time `json:"at"`
	Title   string    `json:"title"`
	Body    string    `json:"body,omitempty"`
	URL     string    `json:"url,omitempty"`
}

// parseCursor reads a stored cursor. Anything unreadable starts over:
// every row is an idempotent upsert, so reading again costs time, not
// correctness.
func parseCursor(s string) cursor {
	var c cursor
	if s != "" {
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			c = cursor{}
		}
	}
	if c.Channels == nil {
		c.Channels = map[string]*channelState{}
	}
	if c.Open == nil {
		c.Open = map[string]*openQuestion{}
	}
	return c
}

func (c cursor) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // plain structs of strings and times always marshal
	}
	return string(b)
}
