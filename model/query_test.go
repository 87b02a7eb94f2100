package model

import (
	"reflect"
	"testing"
)

func TestParseQuery(t *testing.T) {
	cases := map[string][]Term{
		"":                           nil,
		"  ":                         nil,
		"Ada":                        {{Value: "ada"}},
		"TAG:Speaker":                {{Field: "tag", Value: "speaker"}},
		`org:"Packet Foundry" ada`:   {{Field: "org", Value: "packet foundry"}, {Value: "ada"}},
		`org:"Packet   Foundry"`:     {{Field: "org", Value: "packet foundry"}},
		`org:"Packet Fo`:             {{Field: "org", Value: "packet fo"}}, // still typing
		`"grace hopper"`:             {{Value: "grace hopper"}},
		"flag:mentor stage:core":     {{Field: "flag", Value: "mentor"}, {Field: "stage", Value: "core"}},
		"topic:storage New LAPSED":   {{Field: "topic", Value: "storage"}, {Field: "state", Value: "new"}, {Field: "state", Value: "lapsed"}},
		"colour:red":                 {{Value: "colour:red"}}, // unknown field: a free word
		"newton":                     {{Value: "newton"}},
		"tag:":                       {{Field: "tag", Value: ""}},
		"https://example.org ci:yes": {{Value: "https://example.org"}, {Value: "ci:yes"}},
	}
	for q, want := range cases {
		if got := ParseQuery(q); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseQuery(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestFieldFilter(t *testing.T) {
	ms := []Member{
		{Name: "Ada Lovelace", Org: "Packet Foundry", Standing: Standing{Stage: StageCore}, Topics: []string{"storage", "ci"}},
		{Name: "Grace Hopper", Org: "Navy", Standing: Standing{Stage: StageContributor, New: true}, Topics: []string{"compilers"}},
		{Name: "Linus Packet", Org: "Foundry Packet", Standing: Standing{Stage: StageRegular, Lapsed: true}, Topics: []string{"kernel"}},
		{Name: "Core Newton", Org: "", Standing: Standing{Stage: StageParticipant}},
	}
	tags := [][]string{{"Speaker"}, nil, {"speaker-berlin"}, nil}
	flags := [][]string{{"mentor"}, {"staff"}, nil, nil}
	texts, fields := make([]string, len(ms)), make([]string, len(ms))
	for i := range ms {
		texts[i] = MemberText(&ms[i])
		fields[i] = MemberFields(&ms[i], tags[i], flags[i])
	}
	f := NewFieldFilter(texts, fields)
	cases := map[string][]int32{
		"tag:speaker":                {0, 2},
		"TAG:SPEAKER ada":            {0},
		"flag:mentor":                {0},
		"flag:staff":                 {1},
		"stage:core":                 {0}, // not "Core Newton": a name is not a stage
		"core":                       {0, 3},
		`org:"Packet Foundry"`:       {0},
		`org:"packet foundry" grace`: {},
		"org:packet":                 {0, 2},
		"org:":                       {0, 1, 2},
		"topic:storage":              {0},
		"topic:storage stage:core":   {0},
		"new":                        {1},
		"lapsed":                     {2},
		"newton":                     {3},
		"colour:red":                 {},
		"packet":                     {0, 2}, // a free word still finds organisations in the text
	}
	for q, want := range cases {
		got := f.Match(q)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Match(%q) = %v, want %v", q, got, want)
		}
	}
	// Typing a field value narrows a remembered result: the answers must
	// not depend on what was typed before.
	f2 := NewFieldFilter(texts, fields)
	for _, q := range []string{"o", "org:", "org:p", "org:packet", `org:"packet f`, `org:"packet foundry"`, "t", "ta", "tag:", "tag:s", "tag:speaker-"} {
		fresh := NewFieldFilter(texts, fields).Match(q)
		if got := f2.Match(q); !reflect.DeepEqual(got, fresh) {
			t.Errorf("after typing, Match(%q) = %v, a fresh filter finds %v", q, got, fresh)
		}
	}
}

// A filter without fields reads every word as free text, as before.
func TestPlainFilterIgnoresFields(t *testing.T) {
	m := Member{Name: "Ada", Standing: Standing{Stage: StageCore, New: true}}
	f := NewFilter([]string{MemberText(&m)})
	for q, want := range map[string]int{"new": 1, "stage:core": 0, `"ada"`: 0} {
		if got := len(f.Match(q)); got != want {
			t.Errorf("Match(%q): %d rows, want %d", q, got, want)
		}
	}
}
