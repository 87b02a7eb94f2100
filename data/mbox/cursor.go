package mbox

import (
	"encoding/json"
	"time"
)

// cursor is where a sync of an archive stands, stored as JSON.
type cursor struct {
	Files map[string]*fileState `json:"files,omitempty"`
	// Open are the questions nobody but their asker has answered yet, in
	// the order they were asked: a reply in a later file or a later run
	// answers them, so the thread's state must outlive the run.
	Open []*openQuestion `json:"open,omitempty"`
}

// fileState is how far one file has been read. Offsets are into the
// uncompressed stream.
type fileState struct {
	Size  int64 `json:"size"`
	MTime int64 `json:"mtime"` // Unix nanoseconds
	Off   int64 `json:"off"`   // read up to here
	// LastAt is where the last message read with a Message-ID starts, and
	// LastID that Message-ID: a later run checks that it is still there
	// before reading on from Off.
	LastAt int64  `json:"last_at"`
	LastID string `json:"last_id,omitempty"`
	// Done is set once the file was read to its end at Size and MTime.
	Done bool `json:"done,omitempty"`
}

// openQuestion is an unanswered question, with everything its record
// needs, so that the reply answering it can write the whole record.
type openQuestion struct {
	ID     string    `json:"id"`
	Author string    `json:"author"` // identity external id
	Name   string    `json:"name,omitempty"`
	At     time.Time `json:"at"`
	Title  string    `json:"title"`
	Body   string    `json:"body,omitempty"`
	Key    string    `json:"key,omitempty"` // threadKey of the subject
	// More are the asker's own later messages in the thread: a reply to
	// one of them answers the question too.
	More []string `json:"more,omitempty"`
}

// parseCursor reads a stored cursor. Anything unreadable (another
// connector's, or an older format) starts over: every row is an idempotent
// upsert, so reading again costs time, not correctness.
func parseCursor(s string) cursor {
	var c cursor
	if s != "" {
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			c = cursor{}
		}
	}
	if c.Files == nil {
		c.Files = map[string]*fileState{}
	}
	return c
}

func (c cursor) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // plain structs of strings and numbers always marshal
	}
	return string(b)
}
