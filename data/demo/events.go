package demo

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"hearth/model"
)

// demoEventCount is how many events the demo plans, about one every five
// weeks over the last two years and the coming months.
const demoEventCount = 25

// demoCast is who takes part in events.
type demoCast struct {
	talkers    []int32 // speakers
	crowd      []int32 // attendees
	organisers []int32 // task owners
}

// writeEvents plans the demo's events, past and upcoming, with their
// speakers, tasks, budget and attendees.
func (g *demoGen) writeEvents() error {
	cast := demoCast{
		talkers: g.people(archCore, archRegular),
		crowd:   g.people(archCasual, archContributor, archRegular, archCore),
	}
	// Maintainers organise; a community too small to have any relies on
	// whoever is most involved.
	cast.organisers = g.people(archCore)
	if len(cast.organisers) == 0 {
		cast.organisers = cast.talkers
	}
	if len(cast.organisers) == 0 {
		cast.organisers = cast.crowd
	}
	if len(cast.organisers) == 0 {
		cast.organisers = g.people(archOneOff)
	}
	for _, p := range g.planEvents() {
		e := g.event(p)
		past := e.End.Before(g.now)
		used := map[int32]bool{} // members already on the event, as speaker or attendee
		g.addSpeakers(&e, p.place, past, cast.talkers, used)
		g.addTasks(&e, past, cast.organisers)
		g.addBudget(&e, p.place)
		g.addAttendees(&e, past, cast.crowd, used)
		if err := g.load.AddEvent(&e); err != nil {
			return err
		}
	}
	return nil
}

// demoEventPlan is when and where an event happens, decided before it is
// named.
type demoEventPlan struct {
	i      int // index, for the UID
	kind   string
	place  demoPlace
	start  time.Time
	number int // a meetup's number in its city
}

// planEvents dates and places every event, about five weeks apart, and
// numbers the meetups.
func (g *demoGen) planEvents() []demoEventPlan {
	plans := make([]demoEventPlan, demoEventCount)
	for i := range plans {
		p := &plans[i]
		p.i, p.kind = i, "meetup"
		p.place = demoEventPlaces[(i*7+3)%len(demoEventPlaces)]
		switch i {
		case 2, 12, 23:
			p.kind = "conference"
		case 10, 21:
			p.kind = "workshop"
		case 13:
			p.kind = "community day"
		}
		day := g.now.AddDate(0, 0, -640+i*35+int(g.between(-6, 6)))
		at := func(hour, minute int) time.Time {
			return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
		}
		switch p.kind {
		case "conference":
			p.start = at(8, 0)
		case "workshop":
			p.start = at(9, 0)
		case "community day":
			// Brussels, the Friday before FOSDEM (early February).
			p.place = demoEventPlaces[12]
			p.start = time.Date(g.now.Year(), 2, 1, 9, 0, 0, 0, time.UTC)
			if p.start.After(g.now) {
				p.start = p.start.AddDate(-1, 0, 0)
			}
		default:
			p.start = at(17, 30)
		}
	}
	g.numberMeetups(plans)
	return plans
}

// numberMeetups numbers each city's meetups in date order, without gaps
// or repeats. The first one in the demo is not #1: the city's group met a
// few times before the demo's history begins.
func (g *demoGen) numberMeetups(plans []demoEventPlan) {
	var meetups []int
	for k := range plans {
		if plans[k].kind == "meetup" {
			meetups = append(meetups, k)
		}
	}
	sort.SliceStable(meetups, func(a, b int) bool { return plans[meetups[a]].start.Before(plans[meetups[b]].start) })
	next := map[string]int{}
	for _, k := range meetups {
		city := plans[k].place.city
		if next[city] == 0 {
			next[city] = 2 + g.rng.IntN(4)
		}
		plans[k].number = next[city]
		next[city]++
	}
}

// event names and describes the planned event p.
func (g *demoGen) event(p demoEventPlan) model.Event {
	var name string
	switch p.kind {
	case "conference":
		name = "KestrelConf " + p.place.region + " " + strconv.Itoa(p.start.Year())
	case "workshop":
		name = pickOne(g.rng, []string{"Storage internals workshop", "Operator hands-on lab", "Contributor sprint"}) + " " + p.place.city
	case "community day":
		name = "Kestrel Community Day at FOSDEM " + strconv.Itoa(p.start.Year())
	default:
		name = "Kestrel Meetup " + p.place.city + " #" + strconv.Itoa(p.number)
	}
	e := model.Event{UID: fmt.Sprintf("demo-%02d@kestrel-db.org", p.i), Source: "hearth", Name: name, Kind: p.kind,
		Place: p.place.venue + ", " + p.place.city, Start: p.start, End: p.start.Add(eventLength(p.kind))}
	switch {
	case p.kind == "conference" && p.i == 23:
		e.CFPDeadline = g.now.AddDate(0, 0, 12).Add(23*time.Hour + 59*time.Minute)
	case p.i == 20:
		e.CFPDeadline = g.now.AddDate(0, 0, 26).Add(18 * time.Hour)
	case p.kind == "conference":
		e.CFPDeadline = p.start.AddDate(0, -3, 0)
	}
	e.URL = "https://kestrel-db.org/events/" + slug(name)
	if !e.CFPDeadline.IsZero() {
		e.CFPURL = e.URL + "/cfp"
	}
	e.Description = map[string]string{
		"meetup":        "Two talks, pizza and plenty of time to talk to the maintainers. Hosted by " + p.place.venue + ".",
		"conference":    "The yearly gathering of the Kestrel community: talks, workshops and the contributor summit.",
		"workshop":      "A hands-on day for people who want to go deeper. Bring a laptop.",
		"community day": "A day of talks and hacking before FOSDEM.",
	}[p.kind]
	return e
}

func eventLength(kind string) time.Duration {
	switch kind {
	case "meetup":
		return 3 * time.Hour
	case "conference":
		return 2*24*time.Hour + 10*time.Hour
	}
	return 8 * time.Hour
}

// addSpeakers invites speakers, mostly community members, some from
// outside; some of them get a travel grant.
func (g *demoGen) addSpeakers(e *model.Event, place demoPlace, past bool, talkers []int32, used map[int32]bool) {
	ns := 2 + g.rng.IntN(2)
	switch e.Kind {
	case "conference":
		ns = 8 + g.rng.IntN(5)
	case "workshop":
		ns = 1 + g.rng.IntN(2)
	}
	for range ns {
		var sp model.Speaker
		if len(talkers) > 0 && g.chance(0.7) {
			s := pickOne(g.rng, talkers)
			if used[s] {
				continue
			}
			used[s] = true
			sp.Name, sp.MemberKey = g.members[s].name, g.memberKey(s)
		} else {
			sp.Name, _, _, _ = g.personName()
		}
		sp.Status = "confirmed"
		if !past {
			sp.Status = pickOne(g.rng, []string{"confirmed", "confirmed", "invited", "invited", "declined"})
		} else if g.chance(0.05) {
			sp.Status = "declined"
		}
		sp.Talk = pickOne(g.rng, demoTalkTitles)
		e.Speakers = append(e.Speakers, sp)
		if e.Kind != "meetup" && sp.Status != "declined" && g.chance(0.4) {
			e.Budget = append(e.Budget, model.BudgetLine{Item: "Travel grant: " + sp.Name, Category: "travel",
				AmountCents: g.between(300, 1500) * 100, Currency: place.currency})
		}
	}
}

// addTasks adds the organisers' to-do list, due before the event; past
// events have done theirs.
func (g *demoGen) addTasks(e *model.Event, past bool, organisers []int32) {
	nt := 4 + g.rng.IntN(5)
	if e.Kind == "conference" {
		nt = len(demoEventTasks)
	}
	for k := range nt {
		title := demoEventTasks[k%len(demoEventTasks)]
		due := e.Start.AddDate(0, 0, -7*(nt-k)+g.rng.IntN(3))
		if title == "Send thank-you notes" {
			due = e.Start.AddDate(0, 0, 3)
		}
		done := past && g.chance(0.95) || !past && due.Before(g.now) && g.chance(0.8)
		e.Tasks = append(e.Tasks, model.Task{Title: title, Owner: g.handle(pickOne(g.rng, organisers)), Due: due, Done: done})
	}
}

// addBudget adds the event's budget lines, in cents.
func (g *demoGen) addBudget(e *model.Event, place demoPlace) {
	type line struct {
		item, cat string
		lo, hi    int64
	}
	lines := []line{
		{"Venue rental", "venue", 0, 800},
		{"Pizza and drinks", "catering", 250, 900},
		{"Stickers", "swag", 80, 300},
	}
	if e.Kind == "conference" {
		lines = []line{
			{"Venue and AV", "venue", 15000, 40000},
			{"Catering, two days", "catering", 8000, 20000},
			{"T-shirts and stickers", "swag", 2000, 6000},
			{"Speaker dinner", "catering", 1200, 3000},
			{"Live captioning", "accessibility", 1500, 3500},
		}
	}
	for _, l := range lines {
		e.Budget = append(e.Budget, model.BudgetLine{Item: l.item, Category: l.cat,
			AmountCents: g.between(l.lo, l.hi) * 100, Currency: place.currency})
	}
}

// addAttendees registers members and people who only came to the event.
func (g *demoGen) addAttendees(e *model.Event, past bool, crowd []int32, used map[int32]bool) {
	na := 15 + g.rng.IntN(55)
	if e.Kind == "conference" {
		na = 60 + g.rng.IntN(80)
	}
	for range na {
		var a model.Attendee
		if len(crowd) > 0 && g.chance(0.6) {
			mi := pickOne(g.rng, crowd)
			if used[mi] {
				continue
			}
			used[mi] = true
			a.Name, a.MemberKey = g.members[mi].name, g.memberKey(mi)
		} else {
			a.Name, _, _, _ = g.personName()
		}
		a.Status = "registered"
		switch u := g.rng.Float64(); {
		case past && u < 0.75:
			a.Status = "attended"
		case u > 0.9:
			a.Status = "cancelled"
		}
		e.Attendees = append(e.Attendees, a)
	}
}
