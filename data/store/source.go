package store

import "time"

// Status is one row of `hearth sync --status`.
type Status struct {
	Source      string
	Cursor      string
	LastRun     time.Time
	LastSuccess time.Time
	LastError   string
	Items       int
}
