// Package connector is the contract between the sync engine and the
// connectors that read a community's sources (git, GitHub, ...): a Source
// hands the engine Batches, each committed atomically with its cursor.
package connector

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hearth/model"
)

// Source is implemented by every sync connector (git, GitHub, ...). A
// connector reads its source and hands the engine batches; it never touches
// the database or the UI.
type Source interface {
	// Name identifies the source in sync_state, e.g. "git:/src/project" or
	// "github:owner/repo". It must be stable across runs.
	Name() string
	// Sync reads everything after state.Cursor and calls emit for each
	// batch, in order. The engine writes a batch and its cursor in one
	// transaction before emit returns, so a connector that is killed
	// resumes, next time, from the cursor of the last batch emitted.
	// Sync returns ctx.Err() promptly when ctx is cancelled.
	Sync(ctx context.Context, state SyncState, emit func(Batch) error) error
}

// SyncState is what a connector gets back from its previous run.
type SyncState struct {
	Cursor string
	// Validator returns the stored ETag / Last-Modified for a URL, so that
	// a connector can make conditional requests.
	Validator func(url string) Validator
	// Progress reports how far the run is; total is 0 when unknown.
	Progress func(done, total int, what string)
}

// Validator is an HTTP cache validator pair.
type Validator struct {
	ETag         string
	LastModified string
}

// Batch is one unit of work, committed atomically with its cursor.
type Batch struct {
	Identities []model.Identity // upserted by (Source, ExternalID)
	Activities []model.Activity // upserted by (Source, ExternalID)
	Questions  []QuestionRecord // upserted by (Source, ExternalID)
	// RemovedActivities lists external ids (of Source) that no longer exist,
	// e.g. commits dropped by a rewritten history. They are removed after
	// the batch's activities are written; an identity they leave with no
	// activity and no question is deleted, so a later batch that credits
	// it again must carry it in Identities.
	RemovedActivities []string
	// Events are upserted by UID with the batch's source (iCalendar feeds:
	// "ical:<name>"). An event of another source with the same UID (one
	// planned in hearth, another feed's) is left as it is; what users attach
	// to events by UID (speakers, tasks, budget, attendees) is never written.
	Events []model.Event
	// RemovedEvents lists UIDs of the source's events that no longer exist
	// (cancelled, or gone from the feed); they are deleted after Events are
	// written. Plans attached to those UIDs stay.
	RemovedEvents []string
	// Validators are stored with the batch, never before its rows: a saved
	// ETag whose data was not saved would hide that data forever.
	Validators map[string]Validator
	// Cursor is where the next run resumes once this batch is committed.
	Cursor string
	// Items is how many source items (commits, issues, ...) this batch covers,
	// for sync_state and progress.
	Items int
}

// QuestionRecord is a question as a connector reports it: the author and
// first responder are identity external ids of the same source.
type QuestionRecord struct {
	model.Question
	AuthorID    string
	ResponderID string
}

// Skips counts the malformed input a connector skipped rather than stopped
// at (a message without a sender, a file that is not JSON…), by reason.
type Skips map[string]int

// Total is how many items were skipped, for every reason.
func (s Skips) Total() int {
	n := 0
	for _, c := range s {
		n += c
	}
	return n
}

// String says it for a progress line: "2 malformed skipped (1 no date,
// 1 no sender)"; reasons in a stable order.
func (s Skips) String() string {
	out := fmt.Sprintf("%d malformed skipped", s.Total())
	if len(s) == 0 {
		return out
	}
	why := make([]string, 0, len(s))
	for k, n := range s {
		why = append(why, fmt.Sprintf("%d %s", n, k))
	}
	slices.Sort(why)
	return out + " (" + strings.Join(why, ", ") + ")"
}

// Each calls fn for every unit of a sync (a file, a channel…) in order and
// stops at the first error. Once ctx is cancelled it returns ctx's error,
// whatever fn said, so that an interrupted run reports the interruption.
func Each[T any](ctx context.Context, units []T, fn func(T) error) error {
	for _, u := range units {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(u); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
	return nil
}
