package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const questionsUsage = `Usage: hearth questions [flags]

Lists the questions waiting for an answer, oldest first, as the Questions
tab shows them: nobody but their author has answered, and they are neither
marked done nor snoozed into the future (a snoozed question comes back on
its date). --filter matches source, channel, title, author and topics. The
key column is what "hearth questions triage" takes.

--mine lists only those assigned to you: the member the config file's
me = "@your-handle" (or e-mail address, or member id) names, by any of
their handles and addresses.

       hearth questions triage KEY [--assign MEMBER] [--snooze DATE|DURATION]
                               [--done] [--reopen] [--note TEXT]
`

// questionRecord is one question as the listing prints it.
type questionRecord struct {
	ID            int64     `json:"id"`
	Key           string    `json:"key"`
	Source        string    `json:"source"`
	Channel       string    `json:"channel"`
	URL           string    `json:"url"`
	Title         string    `json:"title"`
	Author        string    `json:"author"`
	Created       time.Time `json:"created,omitzero"`
	FirstResponse time.Time `json:"first_response,omitzero"`
	Age           string    `json:"age"`
	AgeSeconds    int64     `json:"age_seconds"`
	Topics        []string  `json:"topics"`
	Assignee      string    `json:"assignee"`
	Status        string    `json:"status"`
	SnoozedUntil  time.Time `json:"snoozed_until,omitzero"`
	Note          string    `json:"note"`
}

func newQuestionRecord(q *model.Question, now time.Time) questionRecord {
	d := now.Sub(q.Created)
	return questionRecord{
		ID:            q.ID,
		Key:           clean(model.QuestionKey(q.Source, q.ExternalID)),
		Source:        clean(q.Source),
		Channel:       clean(q.Channel),
		URL:           clean(q.URL),
		Title:         clean(q.Title),
		Author:        clean(q.Author),
		Created:       q.Created,
		FirstResponse: q.FirstResponse,
		Age:           model.Age(now, q.Created),
		AgeSeconds:    int64(max(d, 0) / time.Second),
		Topics:        cleanList(q.Topics),
		Assignee:      clean(q.Triage.Assignee),
		Status:        clean(q.Triage.Status),
		SnoozedUntil:  q.Triage.SnoozedUntil,
		Note:          model.CleanText(q.Triage.Note), // a note may have several lines
	}
}

// questionText is what --filter searches: the text the tab shows.
func questionText(q *model.Question) string {
	return strings.Join([]string{q.Source, q.Channel, q.Title, q.Author, strings.Join(q.Topics, " ")}, "\n")
}

func questionColumns(zone *time.Location) []column[questionRecord] {
	return []column[questionRecord]{
		{name: "id", text: func(r *questionRecord) string { return itoa(int(r.ID)) }},
		{name: "key", text: func(r *questionRecord) string { return r.Key }},
		{name: "age", title: "AGE", right: true, text: func(r *questionRecord) string { return r.Age }},
		{name: "age_seconds", text: func(r *questionRecord) string { return itoa(int(r.AgeSeconds)) }},
		{name: "source", title: "SOURCE", drop: 4, text: func(r *questionRecord) string { return r.Source }},
		{name: "channel", title: "CHANNEL", drop: 2, text: func(r *questionRecord) string { return r.Channel }},
		{name: "title", title: "TITLE", least: 30, text: func(r *questionRecord) string { return r.Title }},
		{name: "author", title: "AUTHOR", drop: 1, text: func(r *questionRecord) string { return r.Author }},
		{name: "created", text: func(r *questionRecord) string { return rfc3339(r.Created) }},
		{title: "CREATED", drop: 5, text: func(r *questionRecord) string { return model.Day(r.Created, zone) }},
		{name: "first_response", text: func(r *questionRecord) string { return rfc3339(r.FirstResponse) }},
		{name: "topics", text: func(r *questionRecord) string { return strings.Join(r.Topics, ", ") }},
		{name: "assignee", text: func(r *questionRecord) string { return r.Assignee }},
		{name: "status", text: func(r *questionRecord) string { return r.Status }},
		{name: "snoozed_until", text: func(r *questionRecord) string { return rfc3339(r.SnoozedUntil) }},
		{name: "note", text: func(r *questionRecord) string { return r.Note }},
		{name: "url", title: "URL", drop: 3, text: func(r *questionRecord) string { return r.URL }},
	}
}

func runQuestions(ctx context.Context, app *App, args []string) error {
	// "triage" is a subcommand wherever it stands among the arguments, so
	// that global flags may come first (hearth questions --db X triage KEY).
	for i, a := range args {
		if a == "triage" {
			return runTriage(ctx, app, append(append([]string{}, args[:i]...), args[i+1:]...))
		}
		if !strings.HasPrefix(a, "-") && (i == 0 || !flagTakesValue(args[i-1])) {
			break // a positional argument that is not triage: the listing reports it
		}
	}
	now := app.Now()
	args, mine := cutFlag(args, "--mine")
	load := func(st *store.Store) ([]model.Question, error) { return st.UnansweredQuestions(ctx, 0) }
	if mine {
		load = func(st *store.Store) ([]model.Question, error) { return app.myQuestions(ctx, st) }
	}
	return listCommand(ctx, app, "questions", questionsUsage, args,
		load,
		questionText,
		func(_ *store.Store, q *model.Question) (questionRecord, error) { return newQuestionRecord(q, now), nil },
		questionColumns(app.zone()))
}

// appendJSON writes the record as encoding/json would (see jsonObject).
func (r *questionRecord) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.int("id", r.ID)
	o.str("key", r.Key)
	o.str("source", r.Source)
	o.str("channel", r.Channel)
	o.str("url", r.URL)
	o.str("title", r.Title)
	o.str("author", r.Author)
	o.time("created", r.Created)
	o.time("first_response", r.FirstResponse)
	o.str("age", r.Age)
	o.int("age_seconds", r.AgeSeconds)
	o.strs("topics", r.Topics)
	o.str("assignee", r.Assignee)
	o.str("status", r.Status)
	o.time("snoozed_until", r.SnoozedUntil)
	o.str("note", r.Note)
	return o.end()
}

// flagTakesValue reports whether the flag a (written without "=") takes the
// next argument as its value, for the flags the questions commands know.
func flagTakesValue(a string) bool {
	switch a {
	case "--db", "--format", "--filter", "--limit", "--assign", "--snooze", "--note":
		return true
	}
	return false
}

// cutFlag removes the boolean flag name from args (up to a "--") and
// reports whether it was there: the listing's shared flag set does not
// know it.
func cutFlag(args []string, name string) ([]string, bool) {
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	found := false
	out := make([]string, 0, len(args))
	for i, a := range args {
		if i < end && a == name {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// myQuestions are the unanswered questions assigned to the config's me.
func (a *App) myQuestions(ctx context.Context, st *store.Store) ([]model.Question, error) {
	cfg, err := a.env().LoadConfig("")
	if err != nil {
		return nil, err
	}
	if cfg.Me == "" {
		where := "the config file (hearth config path shows where)"
		if cfg.Path != "" {
			where = cfg.Path
		}
		return nil, fmt.Errorf(`questions --mine: who are you? Add me = "@your-handle" to %s`, where)
	}
	names, err := myNames(ctx, st, cfg.Me)
	if err != nil {
		return nil, fmt.Errorf("questions --mine: %w", err)
	}
	qs, err := st.UnansweredQuestions(ctx, 0)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(qs, func(q model.Question) bool { return !model.AssignedTo(q.Triage.Assignee, names) }), nil
}

// myNames are the names questions are assigned to the member me by (see
// model.MemberNames).
func myNames(ctx context.Context, st *store.Store, me string) ([]string, error) {
	id, err := st.FindMember(ctx, me)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("me = %q names no member", me)
	}
	if err != nil {
		return nil, err
	}
	if id.MemberID == 0 { // an identity not (yet) part of a member
		return model.MemberNames(model.MemberDetail{Identities: []model.Identity{id}}), nil
	}
	d, err := st.MemberDetail(ctx, id.MemberID, 0)
	if err != nil {
		return nil, err
	}
	return model.MemberNames(d), nil
}

// tuiMine is the TUI's Options.Mine: nil when the config names nobody (or
// does not load: sync and config check report that).
func (a *App) tuiMine(st *store.Store) func(context.Context) ([]string, error) {
	cfg, err := a.env().LoadConfig("")
	if err != nil || cfg.Me == "" {
		return nil
	}
	me := cfg.Me
	return func(ctx context.Context) ([]string, error) { return myNames(ctx, st, me) }
}
