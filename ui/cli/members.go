package cli

import (
	"context"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const membersUsage = `Usage: hearth members [flags]
       hearth members edit MEMBER [--note TEXT] [--tag T] [--untag T] [--flag F] [--unflag F]

Lists the people of the community (bots excluded), most active first, as the
Members tab shows them. --filter matches name, organisation, handles,
e-mails, stage and topics, like / in the tab. JSON and CSV also carry each
member's tags, flags, number of notes and identities (the accounts' keys,
source:external_id, that hearth people split takes).
`

// memberRecord is one member as the listing prints it; its JSON keys are
// the CSV header.
type memberRecord struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Handles       []string  `json:"handles"`
	Emails        []string  `json:"emails"`
	Org           string    `json:"org"`
	Stage         string    `json:"stage"`
	New           bool      `json:"new"`
	Lapsed        bool      `json:"lapsed"`
	Activities    int       `json:"activities"`
	Contributions int       `json:"contributions"`
	FirstActive   time.Time `json:"first_active,omitzero"`
	LastActive    time.Time `json:"last_active,omitzero"`
	Topics        []string  `json:"topics"`
	Tags          []string  `json:"tags"`
	Flags         []string  `json:"flags"`
	NoteCount     int       `json:"note_count"`
	Identities    []string  `json:"identities"`
}

func newMemberRecord(m *model.Member, l store.Labels, keys []string) memberRecord {
	return memberRecord{
		Tags:          cleanList(l.Tags),
		Flags:         cleanList(l.Flags),
		NoteCount:     l.Notes,
		Identities:    cleanList(keys),
		ID:            m.ID,
		Name:          clean(m.Name),
		Handles:       cleanList(m.Handles),
		Emails:        cleanList(m.Emails),
		Org:           clean(m.Org),
		Stage:         m.Standing.Stage.String(),
		New:           m.Standing.New,
		Lapsed:        m.Standing.Lapsed,
		Activities:    m.Activities,
		Contributions: m.Contributions,
		FirstActive:   m.FirstActive,
		LastActive:    m.LastActive,
		Topics:        cleanList(m.Topics),
	}
}

// standing is the stage with the states across stages: "regular, lapsed".
func (r *memberRecord) standing() string {
	s := r.Stage
	if r.New {
		s += ", new"
	}
	if r.Lapsed {
		s += ", lapsed"
	}
	return s
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func memberColumns(zone *time.Location) []column[memberRecord] {
	return []column[memberRecord]{
		{name: "id", text: func(r *memberRecord) string { return itoa(int(r.ID)) }},
		{name: "name", title: "NAME", least: 20, text: func(r *memberRecord) string { return r.Name }},
		{name: "handles", title: "HANDLES", drop: 3, text: func(r *memberRecord) string { return strings.Join(r.Handles, " ") }},
		{name: "emails", text: func(r *memberRecord) string { return strings.Join(r.Emails, " ") }},
		{name: "org", title: "ORG", drop: 2, text: func(r *memberRecord) string { return r.Org }},
		{name: "stage", text: func(r *memberRecord) string { return r.Stage }},
		{name: "new", text: func(r *memberRecord) string { return boolText(r.New) }},
		{name: "lapsed", text: func(r *memberRecord) string { return boolText(r.Lapsed) }},
		{title: "STAGE", whole: true, text: (*memberRecord).standing},
		{name: "activities", title: "ACTIVITIES", right: true, text: func(r *memberRecord) string { return itoa(r.Activities) }},
		{name: "contributions", text: func(r *memberRecord) string { return itoa(r.Contributions) }},
		{name: "first_active", text: func(r *memberRecord) string { return rfc3339(r.FirstActive) }},
		{name: "last_active", text: func(r *memberRecord) string { return rfc3339(r.LastActive) }},
		{title: "FIRST", drop: 5, text: func(r *memberRecord) string { return model.Day(r.FirstActive, zone) }},
		{title: "LAST", drop: 1, text: func(r *memberRecord) string { return model.Day(r.LastActive, zone) }},
		{name: "topics", title: "TOPICS", drop: 4, text: func(r *memberRecord) string { return strings.Join(r.Topics, ", ") }},
		{name: "tags", text: func(r *memberRecord) string { return strings.Join(r.Tags, " ") }},
		{name: "flags", text: func(r *memberRecord) string { return strings.Join(r.Flags, " ") }},
		{name: "note_count", text: func(r *memberRecord) string { return itoa(r.NoteCount) }},
		{name: "identities", text: func(r *memberRecord) string { return strings.Join(r.Identities, " ") }},
	}
}

func runMembers(ctx context.Context, app *App, args []string) error {
	// "edit" is a subcommand wherever it stands among the arguments, so
	// that global flags may come first (hearth members --db X edit 12).
	for i, a := range args {
		if a == "edit" {
			return runMembersEdit(ctx, app, append(append([]string{}, args[:i]...), args[i+1:]...))
		}
		if !strings.HasPrefix(a, "-") && (i == 0 || !flagTakesValue(args[i-1])) {
			break // a positional argument that is not edit: the listing reports it
		}
	}
	// What people wrote about members, and their accounts, read once.
	var labels map[int64]store.Labels
	var keys map[int64][]string
	return listCommand(ctx, app, "members", membersUsage, args,
		func(st *store.Store) ([]model.Member, error) {
			ms, err := st.Members(ctx)
			if err != nil {
				return nil, err
			}
			if labels, err = st.MemberLabels(ctx); err != nil {
				return nil, err
			}
			keys, err = st.MemberIdentityKeys(ctx)
			return ms, err
		},
		model.MemberText,
		func(_ *store.Store, m *model.Member) (memberRecord, error) {
			return newMemberRecord(m, labels[m.ID], keys[m.ID]), nil
		},
		memberColumns(app.zone()))
}

// appendJSON writes the record as encoding/json would (see jsonObject).
func (r *memberRecord) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.int("id", r.ID)
	o.str("name", r.Name)
	o.strs("handles", r.Handles)
	o.strs("emails", r.Emails)
	o.str("org", r.Org)
	o.str("stage", r.Stage)
	o.bool("new", r.New)
	o.bool("lapsed", r.Lapsed)
	o.int("activities", int64(r.Activities))
	o.int("contributions", int64(r.Contributions))
	o.time("first_active", r.FirstActive)
	o.time("last_active", r.LastActive)
	o.strs("topics", r.Topics)
	o.strs("tags", r.Tags)
	o.strs("flags", r.Flags)
	o.int("note_count", int64(r.NoteCount))
	o.strs("identities", r.Identities)
	return o.end()
}
