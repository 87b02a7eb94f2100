package cli

import (
	"context"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const membersUsage = `Usage: hearth members [flags]

Lists the people of the community (bots excluded), most active first, as the
Members tab shows them. --filter matches name, organisation, handles,
e-mails, stage and topics, like / in the tab.
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
}

func newMemberRecord(m *model.Member) memberRecord {
	return memberRecord{
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
	}
}

func runMembers(ctx context.Context, app *App, args []string) error {
	return listCommand(ctx, app, "members", membersUsage, args,
		func(st *store.Store) ([]model.Member, error) { return st.Members(ctx) },
		model.MemberText,
		func(_ *store.Store, m *model.Member) (memberRecord, error) { return newMemberRecord(m), nil },
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
	return o.end()
}
