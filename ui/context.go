// Package ui is hearth's Bubble Tea program: a root model with a tab bar,
// a status line and a help footer, one file per tab, and small shared
// components (a virtual table, a filter input, a scrolling detail view).
//
// The UI never runs SQL: it calls the store through commands and receives
// typed messages, so a slow query never freezes a frame.
package ui

import (
	"context"
	"time"

	"hearth/data/store"
	"hearth/model"
	"hearth/themes"
)

// Store is the read API the UI needs; *store.Store satisfies it.
type Store interface {
	Summary(ctx context.Context) (model.Summary, error)
	TopMembers(ctx context.Context, limit int) ([]model.Member, error)
	Members(ctx context.Context) ([]model.Member, error)
	// SearchMembers answers a filter over the whole directory (the first
	// limit matches and how many there are) while Members is still loading.
	SearchMembers(ctx context.Context, query string, limit int) ([]model.Member, int, error)
	MemberDetail(ctx context.Context, id int64, recent int) (model.MemberDetail, error)
	// OpenQuestions returns every open question nobody but its author
	// answered, whatever its triage; the Questions tab's views filter it.
	OpenQuestions(ctx context.Context, limit int) ([]model.Question, error)
	Question(ctx context.Context, id int64) (model.Question, error)
	Events(ctx context.Context, now time.Time) ([]model.Event, error)
	Event(ctx context.Context, uid string) (model.Event, error)
	// MemberLabels are the tags, flags and notes of members, by member id,
	// for the list's rows; Duplicates the members possibly one person.
	MemberLabels(ctx context.Context) (map[int64]store.Labels, error)
	Duplicates(ctx context.Context) ([]store.Duplicate, error)
}

// Writer is the write API the UI needs; *store.Writer satisfies it. A
// program without one (Options.Writer nil: a read-only session) offers no
// key that writes.
type Writer interface {
	SetTriage(ctx context.Context, source, externalID string, read int64, t model.Triage) (model.Triage, error)
	// Notes, tags and flags hang off an identity, who: "source:external_id".
	AddNote(ctx context.Context, who, body string) (int64, error)
	Tag(ctx context.Context, who, tag string) error
	Untag(ctx context.Context, who, tag string) error
	Flag(ctx context.Context, who, flag string) error
	Unflag(ctx context.Context, who, flag string) error
	Undo(ctx context.Context) (store.Change, error)
	// Who is who, by hand (members_edit.go, duplicates.go). Regroups
	// reports whether a merge or split shows at once or at the next sync.
	MergeMembers(ctx context.Context, a, b int64) error
	SplitIdentity(ctx context.Context, key string) (int64, error)
	NotDuplicates(ctx context.Context, a, b int64) error
	Regroups() bool
}

// Context is the state one program shares with all its components: the
// store, styles, key map, clock and window size. One is built per program
// (see New), never shared between programs, so `serve` can run many
// sessions in one process. Only the root model changes it, in Update.
type Context struct {
	Ctx      context.Context
	Store    Store
	Writer   Writer // nil: nothing can be written
	DBPath   string
	Now      func() time.Time
	ReadOnly bool
	// Private hides private data: a viewer's program (Options.Viewer).
	Private bool
	User    string         // who runs the program, for the status line; "" none
	Demo    bool           // the generated demo community: nothing to sync
	Zone    *time.Location // every date is shown in it (the config's display_timezone)
	Theme   themes.Palette
	Styles  themes.Styles
	Keys    KeyMap
	Width   int
	Height  int

	// Mine resolves the user's own member (Options.Mine); nil: not set.
	Mine func(ctx context.Context) ([]string, error)
	// Editor is the note editor's command; "" edits in the window.
	Editor string

	// Directory is the member directory the programs of a server share
	// (shared.go); nil: the program reads its own.
	Directory *Directory
}

// Day is t's date in the display zone, "—" when unknown.
func (c *Context) Day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return model.Day(t, c.Zone)
}
