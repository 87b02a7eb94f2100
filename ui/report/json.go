package report

import (
	"encoding/json"
	"io"
	"time"

	"hearth/model"
)

// jsonReport is the report's numbers for scripts: each figure of both
// periods (null when there was nothing to measure), the months, topics
// and events. Durations are in hours.
type jsonReport struct {
	Period       jsonPeriod                `json:"period"`
	Previous     jsonPeriod                `json:"previous"`
	ExcludeStaff bool                      `json:"exclude_staff"`
	Figures      map[string]jsonFigure     `json:"figures"`
	Months       []jsonMonth               `json:"months"`
	Topics       []jsonTopic               `json:"topics"`
	EventsHeld   []jsonEvent               `json:"events_held"`
	EventsComing []jsonEvent               `json:"events_coming"`
	Factors      map[string]jsonFactorPair `json:"factor_names"`
}

type jsonPeriod struct {
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
}

type jsonFigure struct {
	Current  *float64 `json:"current"`
	Previous *float64 `json:"previous"`
}

type jsonMonth struct {
	Month           string `json:"month"`
	Active          int    `json:"active"`
	New             int    `json:"new"`
	NewContributors int    `json:"new_contributors"`
}

type jsonTopic struct {
	Topic string `json:"topic"`
	N     int    `json:"questions"`
}

type jsonEvent struct {
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	Place string    `json:"place"`
}

type jsonFactorPair struct {
	Current  []string `json:"current"`
	Previous []string `json:"previous"`
}

// JSON writes the report's numbers as one JSON object.
func JSON(w io.Writer, r *Report) error {
	j := jsonReport{
		Period:       jsonPeriod{r.Current.From, r.Current.Until},
		Previous:     jsonPeriod{r.Previous.From, r.Previous.Until},
		ExcludeStaff: r.ExcludeStaff,
		Figures:      map[string]jsonFigure{},
		Months:       []jsonMonth{},
		Topics:       []jsonTopic{},
		EventsHeld:   events(r.Held),
		EventsComing: events(r.Coming),
		Factors: map[string]jsonFactorPair{
			"bus_factor":      {names(r.Current.Bus), names(r.Previous.Bus)},
			"elephant_factor": {names(r.Current.Elephant), names(r.Previous.Elephant)},
		},
	}
	for _, f := range r.figures() {
		jf := jsonFigure{}
		if f.known {
			v := f.cur
			jf.Current = &v
		}
		if f.prevKnown {
			v := f.prev
			jf.Previous = &v
		}
		j.Figures[f.key] = jf
	}
	for _, m := range r.Current.Months {
		j.Months = append(j.Months, jsonMonth{m.Month, m.Active, m.New, m.NewContributors})
	}
	for _, t := range r.Topics {
		j.Topics = append(j.Topics, jsonTopic{model.CleanLine(t.Topic), t.N})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

func names(f model.Factor) []string {
	out := make([]string, len(f.Names))
	for i, n := range f.Names {
		out[i] = model.CleanLine(n)
	}
	return out
}

func events(es []model.Event) []jsonEvent {
	out := make([]jsonEvent, 0, len(es))
	for _, e := range es {
		out = append(out, jsonEvent{model.CleanLine(e.Name), e.Start, model.CleanLine(e.Place)})
	}
	return out
}
