package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"hearth/data/store"
	"hearth/model"
)

// fakeStore is a small in-memory community for tests that need exact,
// hand-checked content (hostile names, wide characters, empty states).
type fakeStore struct {
	sum       model.Summary
	members   []model.Member
	questions []model.Question
	events    []model.Event
	recent    []model.Activity // a member detail's activity, when set
	err       error
	// held, when set, holds Members back until it is closed (or the
	// context ends): a directory that is slow to load.
	held chan struct{}
	// searches counts the calls of SearchMembers.
	searches atomic.Int32
	// detail, when set, gives a member's detail page instead of the
	// default one.
	detail func(m model.Member) model.MemberDetail
	// labels and dups answer MemberLabels and Duplicates
	// (people_fake_test.go).
	labels map[int64]store.Labels
	dups   []store.Duplicate
}

var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

const hostileName = "\x1b]52;c;SGVsbG8=\x07evil\x1b[31m"

func newFakeStore(n int) *fakeStore {
	first := []string{"Ada", "Grace", "Linus", "Zoë", "王", "José", "Ngozi", "Yuki"}
	last := []string{"Lovelace", "Hopper", "Müller", "小明", "Okafor", "Tanaka", "Silva"}
	orgs := []string{"Acme", "Initech", "", "Globex"}
	topics := []string{"networking", "storage", "docs", "ci", "security"}
	f := &fakeStore{}
	for i := 0; i < n; i++ {
		st := model.Stage(1 + i%4)
		m := model.Member{
			ID:         int64(i + 1),
			Name:       first[i%len(first)] + " " + last[i%len(last)],
			Org:        orgs[i%len(orgs)],
			Handles:    []string{fmt.Sprintf("@user%d", i+1)},
			Emails:     []string{fmt.Sprintf("user%d@example.org", i+1)},
			Standing:   model.Standing{Stage: st, New: i%17 == 0, Evidence: []string{fmt.Sprintf("%d activities", 500-i)}},
			Activities: 500 - i,
			LastActive: testNow.Add(-time.Duration(i) * 7 * time.Hour),
			Topics:     []string{topics[i%len(topics)], topics[(i+2)%len(topics)]},
		}
		if i == 3 {
			m.Name = hostileName
		}
		f.members = append(f.members, m)
		f.sum.Funnel.Add(m.Standing)
	}
	f.sum.Members = n
	for i := 0; i < 30; i++ {
		f.questions = append(f.questions, model.Question{
			ID: int64(i + 1), Source: []string{"github", "discourse"}[i%2], Channel: "acme/widgets",
			Title:   fmt.Sprintf("How do I configure widget %d?", i+1),
			Body:    "I tried the docs.\n\x1b[2JIt did not work.",
			Author:  fmt.Sprintf("user%d", i+5),
			URL:     fmt.Sprintf("https://example.org/q/%d", i+1),
			Created: testNow.Add(-time.Duration(60-i) * 24 * time.Hour),
		})
	}
	f.sum.Questions, f.sum.OpenQuestions = 40, 30
	for i := 0; i < 6; i++ {
		start := testNow.AddDate(0, 0, 20*(i-2))
		e := model.Event{
			ID: int64(i + 1), UID: fmt.Sprintf("ev%d", i), Name: fmt.Sprintf("Widgets meetup #%d", i+1),
			Kind: "meetup", Place: "Berlin", Start: start, End: start.Add(3 * time.Hour),
			SpeakerCount: i,
		}
		if i == 3 {
			e.CFPDeadline = testNow.AddDate(0, 0, 5)
		}
		if i == 4 {
			e.CFPDeadline = testNow.AddDate(0, 0, 30)
		}
		f.events = append(f.events, e)
	}
	f.sum.Events = len(f.events)
	f.sum.LastSync = testNow.Add(-2 * time.Hour)
	return f
}

func (f *fakeStore) Summary(context.Context) (model.Summary, error) { return f.sum, f.err }

func (f *fakeStore) TopMembers(_ context.Context, limit int) ([]model.Member, error) {
	return f.members[:min(limit, len(f.members))], f.err
}

func (f *fakeStore) Members(ctx context.Context) ([]model.Member, error) {
	if f.held != nil {
		select {
		case <-f.held:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.members, f.err
}

// SearchMembers filters every member with model.Filter, which the store's
// SQL search is tested to agree with.
func (f *fakeStore) SearchMembers(_ context.Context, query string, limit int) ([]model.Member, int, error) {
	f.searches.Add(1)
	if strings.TrimSpace(query) == "" || f.err != nil {
		return nil, 0, f.err
	}
	texts := make([]string, len(f.members))
	for i := range f.members {
		texts[i] = model.MemberText(&f.members[i])
	}
	match := model.NewFilter(texts).Match(query)
	var out []model.Member
	for _, i := range match[:min(limit, len(match))] {
		out = append(out, f.members[i])
	}
	return out, len(match), nil
}

func (f *fakeStore) MemberDetail(_ context.Context, id int64, _ int) (model.MemberDetail, error) {
	for _, m := range f.members {
		if m.ID == id && f.detail != nil {
			return f.detail(m), nil
		}
		if m.ID == id {
			recent := f.recent
			if recent == nil {
				recent = []model.Activity{{Kind: model.KindCommit, At: testNow.Add(-time.Hour), Channel: "acme/widgets", Title: "Fix \x1b[31mthe\x1b[0m bug"}}
			}
			return model.MemberDetail{
				Member:     m,
				Identities: []model.Identity{{Source: "github", ExternalID: "x", Username: "user", Name: m.Name}},
				Recent:     recent,
				Notes:      []model.Note{{Body: "Great reviewer.\nAsk about storage.", Created: testNow}},
				Tags:       []string{"speaker"},
			}, nil
		}
	}
	return model.MemberDetail{}, fmt.Errorf("member %d: not found", id)
}

func (f *fakeStore) OpenQuestions(context.Context, int) ([]model.Question, error) {
	return append([]model.Question(nil), f.questions...), f.err
}

func (f *fakeStore) Question(_ context.Context, id int64) (model.Question, error) {
	for _, q := range f.questions {
		if q.ID == id {
			return q, nil
		}
	}
	return model.Question{}, fmt.Errorf("question %d: not found", id)
}

func (f *fakeStore) Events(_ context.Context, now time.Time) ([]model.Event, error) {
	es := append([]model.Event(nil), f.events...)
	sort.SliceStable(es, func(i, j int) bool {
		ui, uj := es[i].Upcoming(now), es[j].Upcoming(now)
		if ui != uj {
			return ui
		}
		if ui {
			return es[i].Start.Before(es[j].Start)
		}
		return es[i].Start.After(es[j].Start)
	})
	return es, f.err
}

func (f *fakeStore) Event(_ context.Context, uid string) (model.Event, error) {
	for _, e := range f.events {
		if e.UID == uid {
			// As many speakers not declined as the list counts, and
			// one who declined.
			for i := range e.SpeakerCount {
				sp := model.Speaker{Name: "Ada", Talk: "Widgets at scale", Status: "confirmed"}
				if i > 0 {
					sp = model.Speaker{Name: fmt.Sprintf("Speaker %d", i), Status: "invited"}
				}
				e.Speakers = append(e.Speakers, sp)
			}
			e.Speakers = append(e.Speakers, model.Speaker{Name: "Dropped Out", Status: "declined"})
			e.Tasks = []model.Task{{Title: "Book venue", Owner: "Grace", Due: testNow.AddDate(0, 0, -1)}, {Title: "Order pizza", Done: true}}
			e.Budget = []model.BudgetLine{{Item: "Pizza", Category: "catering", AmountCents: 12050, Currency: "EUR"}, {Item: "Stickers", AmountCents: 9900, Currency: "EUR"}}
			e.Attendees = []model.Attendee{{Name: "Linus"}, {Name: "Yuki"}}
			return e, nil
		}
	}
	return model.Event{}, fmt.Errorf("event %s: not found", uid)
}

func nowFunc() time.Time { return testNow }
