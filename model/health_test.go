package model

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// The health figures on small communities whose answers are worked out by
// hand in the comments.

var healthNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func hact(k Kind, y int, m time.Month, d int) Act {
	return Act{At: date(y, m, d).Unix(), Kind: ActKindOf(k)}
}

func healthOf(members []HealthMember, qs []QuestionTiming) Health {
	return ComputeHealth(members, qs, DefaultHealthOptions(healthNow))
}

func TestLadder(t *testing.T) {
	r := DefaultRules()
	acts := []Act{
		hact(KindQuestion, 2025, 1, 10),
		hact(KindCommit, 2025, 2, 5),
		hact(KindCommit, 2025, 3, 1),
		hact(KindComment, 2025, 4, 1),
		hact(KindCommit, 2025, 5, 20), // third month with contributions: regular
		hact(KindReview, 2025, 6, 1),
		hact(KindReview, 2025, 6, 2),
		hact(KindReview, 2025, 6, 3),
		hact(KindReview, 2025, 6, 4),
		hact(KindReview, 2025, 6, 5), // fifth review in the window: core
	}
	got := Ladder(acts, r)
	want := [5]time.Time{{}, date(2025, 1, 10), date(2025, 2, 5), date(2025, 5, 20), date(2025, 6, 5)}
	if got != want {
		t.Errorf("ladder\n got %v\nwant %v", got, want)
	}

	// A first commit is also the first activity; core straight away by
	// reviews (no contributions) means contributor and regular that day.
	got = Ladder([]Act{hact(KindCommit, 2025, 3, 3)}, r)
	if got[StageParticipant] != date(2025, 3, 3) || got[StageContributor] != date(2025, 3, 3) || !got[StageRegular].IsZero() {
		t.Errorf("one commit: %v", got)
	}
	var reviews []Act
	for d := 1; d <= 5; d++ {
		reviews = append(reviews, hact(KindReview, 2025, 9, d))
	}
	got = Ladder(reviews, r)
	for s := StageParticipant; s <= StageCore; s++ {
		want := date(2025, 9, 1)
		if s >= StageContributor {
			want = date(2025, 9, 5)
		}
		if got[s] != want {
			t.Errorf("reviews only: %s reached %v, want %v", s, got[s], want)
		}
	}

	// Three months with contributions, but never three within 12 months.
	got = Ladder([]Act{hact(KindCommit, 2023, 1, 1), hact(KindCommit, 2024, 6, 1), hact(KindCommit, 2025, 6, 1), hact(KindCommit, 2025, 7, 1)}, r)
	if !got[StageRegular].IsZero() {
		t.Errorf("months spread over years made a regular on %v", got[StageRegular])
	}
}

func TestConversionByQuarter(t *testing.T) {
	ms := []HealthMember{
		{ID: 1, Name: "A", Acts: []Act{hact(KindComment, 2025, 7, 1), hact(KindCommit, 2025, 8, 15)}}, // 45 days
		{ID: 2, Name: "B", Acts: []Act{hact(KindCommit, 2026, 1, 1), hact(KindComment, 2025, 7, 10)}}, // 175 days, out of order
		{ID: 3, Name: "C", Acts: []Act{hact(KindComment, 2025, 8, 1)}},
		{ID: 4, Name: "D", Acts: []Act{hact(KindStar, 2025, 4, 1)}},
	}
	h := healthOf(ms, nil)
	find := func(from Stage, q string) Conversion {
		for _, c := range h.Conversion {
			if c.From == from && c.Quarter == q {
				return c
			}
		}
		t.Fatalf("no conversion from %s in %s", from, q)
		return Conversion{}
	}
	got := find(StageParticipant, "2025-Q3")
	want := Conversion{From: StageParticipant, To: StageContributor, Quarter: "2025-Q3", Entered: 3,
		Within90: 1, Within180: 2, Advanced: 2, MedianDays: (45 + 175) / 2.0, Complete90: true, Complete180: true}
	if got != want {
		t.Errorf("participant 2025-Q3\n got %+v\nwant %+v", got, want)
	}
	if c := find(StageParticipant, "2025-Q2"); c.Entered != 1 || c.Advanced != 0 {
		t.Errorf("participant 2025-Q2: %+v", c)
	}
	if c := find(StageContributor, "2025-Q3"); c.Entered != 1 || c.Within180 != 0 {
		t.Errorf("contributor 2025-Q3: %+v", c)
	}
	// B became a contributor in 2026-Q1: not even 90 days after the
	// quarter have passed. After 2025-Q4, 90 days have, 180 not.
	if c := find(StageContributor, "2026-Q1"); c.Entered != 1 || c.Complete90 || c.Complete180 {
		t.Errorf("contributor 2026-Q1: %+v", c)
	}
	if c := find(StageParticipant, "2025-Q4"); c.Entered != 0 || !c.Complete90 || c.Complete180 {
		t.Errorf("participant 2025-Q4: %+v", c)
	}
	if c := find(StageParticipant, "2026-Q2"); c.Complete90 {
		t.Errorf("the current quarter counted as complete: %+v", c)
	}
	if h.Funnel.AtStage[StageParticipant] != 2 || h.Funnel.AtStage[StageContributor] != 2 || h.Members != 4 {
		t.Errorf("funnel %+v members %d", h.Funnel, h.Members)
	}
}

func TestCohorts(t *testing.T) {
	ms := []HealthMember{
		{ID: 1, Acts: []Act{hact(KindComment, 2025, 6, 3), hact(KindComment, 2025, 7, 4)}},
		{ID: 2, Acts: []Act{hact(KindCommit, 2025, 6, 10), hact(KindComment, 2025, 9, 10), hact(KindComment, 2025, 12, 1), hact(KindComment, 2026, 6, 1)}},
		{ID: 3, Acts: []Act{hact(KindComment, 2025, 6, 20)}},
		{ID: 4, Acts: []Act{hact(KindComment, 2025, 5, 31), hact(KindComment, 2025, 6, 30)}}, // cohort before the series
		{ID: 5, Acts: []Act{hact(KindRSVP, 2026, 5, 2), hact(KindTalk, 2026, 6, 2)}},
	}
	h := healthOf(ms, nil)
	if len(h.Cohorts) != 13 || h.Cohorts[0].Month != "2025-06" || h.Cohorts[12].Month != "2026-06" {
		t.Fatalf("cohort months: %+v", h.Cohorts)
	}
	want := Cohort{Month: "2025-06", Size: 3, Retained: [4]int{1, 1, 1, -1}, Contributors: 1}
	if h.Cohorts[0] != want {
		t.Errorf("2025-06\n got %+v\nwant %+v", h.Cohorts[0], want)
	}
	// May 2026: a month later is June, which is not over.
	want = Cohort{Month: "2026-05", Size: 1, Retained: [4]int{-1, -1, -1, -1}, Contributors: 1}
	if h.Cohorts[11] != want {
		t.Errorf("2026-05\n got %+v\nwant %+v", h.Cohorts[11], want)
	}
	// April 2026: +1 (May) is over, +3 (July) is not.
	if c := h.Cohorts[10]; c.Retained != [4]int{0, -1, -1, -1} {
		t.Errorf("2026-04: %+v", c)
	}
}

func TestReady(t *testing.T) {
	regular := func(id int64, name string, extra ...Act) HealthMember {
		acts := []Act{hact(KindCommit, 2026, 2, 1), hact(KindCommit, 2026, 3, 1), hact(KindCommit, 2026, 4, 1), hact(KindCommit, 2026, 6, 1)}
		return HealthMember{ID: id, Name: name, Acts: append(acts, extra...)}
	}
	ms := []HealthMember{
		{ID: 1, Name: "Ready contributor", Org: "X", Acts: []Act{hact(KindComment, 2025, 1, 1), hact(KindCommit, 2026, 4, 1), hact(KindCommit, 2026, 5, 1), hact(KindDocChange, 2026, 5, 2)}},
		{ID: 2, Name: "Two commits", Acts: []Act{hact(KindCommit, 2026, 5, 1), hact(KindCommit, 2026, 5, 2)}},
		{ID: 3, Name: "Old commits", Acts: []Act{hact(KindCommit, 2026, 3, 1), hact(KindCommit, 2026, 3, 2), hact(KindCommit, 2026, 5, 2)}}, // 1 within 90 days
		regular(4, "Reviewer", hact(KindReview, 2026, 5, 5), hact(KindMergedOther, 2026, 6, 1)),
		regular(5, "Quiet regular"),
		regular(6, "Core", hact(KindReview, 2026, 1, 1), hact(KindReview, 2026, 1, 2), hact(KindReview, 2026, 1, 3), hact(KindReview, 2026, 1, 4), hact(KindReview, 2026, 1, 5)),
	}
	h := healthOf(ms, nil)
	if len(h.Ready) != 2 {
		t.Fatalf("ready: %+v", h.Ready)
	}
	c := h.Ready[0]
	if c.MemberID != 4 || c.Stage != StageRegular || c.Next != StageCore || c.Score != 2 {
		t.Errorf("first candidate %+v", c)
	}
	if want := "2 reviews or merges of others' work in the last 12 months, the latest on 2026-06-01; core needs 5"; c.Evidence[0] != want {
		t.Errorf("evidence %q", c.Evidence[0])
	}
	c = h.Ready[1]
	if c.MemberID != 1 || c.Stage != StageContributor || c.Next != StageRegular || c.Score != 3 || c.Org != "X" {
		t.Errorf("second candidate %+v", c)
	}
	wantEv := []string{"3 contributions in the last 90 days, the latest on 2026-05-02", "contributed in 2 of the last 12 months; regular needs 3"}
	if !reflect.DeepEqual(c.Evidence, wantEv) {
		t.Errorf("evidence %q", c.Evidence)
	}
	if c.Rule == "" {
		t.Error("no rule")
	}
	// Top limits each step, so candidates for core do not crowd out those
	// for regular.
	o := DefaultHealthOptions(healthNow)
	o.Top = 1
	if h := ComputeHealth(ms, nil, o); len(h.Ready) != 2 {
		t.Errorf("Top 1 kept %+v", h.Ready)
	}
}

func TestAtRisk(t *testing.T) {
	// 40 activities spread over the year before the last 90 days, then
	// few in the last 90 days (since 2026-03-17 12:00).
	member := func(id int64, name string, recent int) HealthMember {
		var acts []Act
		for i := range 40 {
			acts = append(acts, Act{At: date(2025, 4, 1).Add(time.Duration(i) * 8 * day).Unix(), Kind: ActKindOf(KindCommit)})
		}
		for i := range recent {
			acts = append(acts, Act{At: date(2026, 4, 1).Add(time.Duration(i) * 5 * day).Unix(), Kind: ActKindOf(KindComment)})
		}
		return HealthMember{ID: id, Name: name, Acts: acts}
	}
	ms := []HealthMember{member(1, "Fading", 4), member(2, "Steady enough", 5), member(3, "Lapsed", 0)}
	h := healthOf(ms, nil)
	// 2025-04-01 + 39×8 days = 2026-02-07: all 40 in the usual year.
	usual := 40 * 90 / 365.0 // 9.86; at risk at 4.93 or fewer
	if len(h.AtRisk) != 1 {
		t.Fatalf("at risk: %+v", h.AtRisk)
	}
	r := h.AtRisk[0]
	if r.MemberID != 1 || r.Recent != 4 || math.Abs(r.Usual-usual) > 1e-9 || math.Abs(r.Drop-(1-4/usual)) > 1e-9 {
		t.Errorf("at risk %+v", r)
	}
	// Months 2026-01 … 2026-06: commits on 01-06, 01-14, 01-22, 01-30,
	// 02-07; comments on 04-01, 04-06, 04-11, 04-16.
	if want := []int{4, 1, 0, 4, 0, 0}; !reflect.DeepEqual(r.Trend, want) {
		t.Errorf("trend %v, want %v", r.Trend, want)
	}
	if r.Last != date(2026, 4, 16) || r.Stage != StageRegular {
		t.Errorf("last %v stage %s", r.Last, r.Stage)
	}
	if h.Funnel.Lapsed != 1 {
		t.Errorf("lapsed %d", h.Funnel.Lapsed)
	}
}

func TestFactors(t *testing.T) {
	commits := func(n int) []Act {
		var acts []Act
		for i := range n {
			acts = append(acts, Act{At: date(2026, 1, 1).Add(time.Duration(i) * day).Unix(), Kind: ActKindOf(KindCommit)},
				hact(KindComment, 2026, 1, 2)) // comments do not count
		}
		return acts
	}
	ms := []HealthMember{
		{ID: 1, Name: "Alice", Org: "X", Acts: commits(6)},
		{ID: 2, Name: "Bob", Org: "Y", Acts: commits(5)},
		{ID: 3, Name: "Carol", Org: "Y", Acts: commits(5)},
		{ID: 4, Name: "Dan", Acts: append(commits(4), hact(KindCommit, 2025, 1, 1))}, // one outside the window
	}
	h := healthOf(ms, nil)
	// 20 contributions: Alice 6 + Bob 5 (Bob before Carol by name) = 11 ≥ 10.
	want := Factor{N: 2, Names: []string{"Alice", "Bob"}, Contributions: 20, Covered: 11, IDs: []int64{1, 2}}
	if !reflect.DeepEqual(h.Bus, want) {
		t.Errorf("bus %+v, want %+v", h.Bus, want)
	}
	// Affiliated: Y 10, X 6 = 16; Y alone covers 8.
	want = Factor{N: 1, Names: []string{"Y"}, Contributions: 16, Covered: 10, IDs: []int64{2, 3}}
	if !reflect.DeepEqual(h.Elephant, want) {
		t.Errorf("elephant %+v, want %+v", h.Elephant, want)
	}
	var q1 QuarterFactors
	for _, f := range h.Factors {
		if f.Quarter == "2026-Q1" {
			q1 = f
		}
		if f.Quarter == "2025-Q3" && f.Bus.N != 0 {
			t.Errorf("a quarter without contributions: %+v", f)
		}
	}
	if q1.Bus.N != 2 || q1.Elephant.N != 1 {
		t.Errorf("2026-Q1: %+v", q1)
	}
	if f := FewestCovering(map[string]int{"a": 1, "b": 1, "c": 1, "d": 1}, 0.5); f.N != 2 {
		t.Errorf("four equal: %+v", f)
	}
	if f := FewestCovering(nil, 0.5); f.N != 0 {
		t.Errorf("none: %+v", f)
	}
}

func TestResponseTimes(t *testing.T) {
	q := func(ch string, created time.Time, after time.Duration) QuestionTiming {
		x := QuestionTiming{Source: "forum", Channel: ch, Created: created}
		if after > 0 {
			x.FirstResponse = created.Add(after)
		}
		return x
	}
	may := date(2026, 5, 10)
	self := q("a", may, time.Hour)
	self.SelfReply = true
	bot := q("a", may, time.Hour)
	bot.ResponderBot = true
	asker := q("a", may, time.Minute)
	asker.AuthorBot = true
	closed := q("b", date(2026, 5, 20), 0)
	closed.Closed = date(2026, 6, 1)
	qs := []QuestionTiming{
		q("a", may, time.Hour), q("a", may, 2*time.Hour), q("a", may, 3*time.Hour), q("a", may, 10*time.Hour),
		self, bot, asker, closed,
		q("b", date(2026, 4, 10), 25*24*time.Hour),               // answered 2026-05-05
		{Source: "git", Channel: "r", Created: date(2025, 1, 1)}, // before the period
	}
	h := healthOf(nil, qs)
	var forum, forumA, forumB *ResponseSeries
	for i := range h.Response {
		s := &h.Response[i]
		switch s.Source + "/" + s.Channel {
		case "forum/":
			forum = s
		case "forum/a":
			forumA = s
		case "forum/b":
			forumB = s
		default:
			t.Errorf("unexpected series %s/%s", s.Source, s.Channel)
		}
	}
	if forum == nil || forumA == nil || forumB == nil {
		t.Fatalf("series %+v", h.Response)
	}
	var mayA ResponseStats
	for _, m := range forumA.Months {
		if m.Month == "2026-05" {
			mayA = m.ResponseStats
		}
	}
	// 1, 2, 3, 10 hours: median 2.5 h, nearest-rank p90 the 4th: 10 h; the
	// self-reply and the bot's reply leave two unanswered.
	want := ResponseStats{Asked: 6, Answered: 4, Unanswered: 2, Median: 150 * time.Minute, P90: 10 * time.Hour}
	if mayA != want {
		t.Errorf("forum/a 2026-05\n got %+v\nwant %+v", mayA, want)
	}
	// The whole forum: 8 asked, 5 answered (1,2,3,10,600 h), the closed one
	// not unanswered.
	want = ResponseStats{Asked: 8, Answered: 5, Unanswered: 2, Median: 3 * time.Hour, P90: 600 * time.Hour}
	if forum.Total != want {
		t.Errorf("forum\n got %+v\nwant %+v", forum.Total, want)
	}
	if forumB.Total.Asked != 2 || len(forumB.Months) != 13 {
		t.Errorf("forum/b %+v", forumB)
	}
	// End of April: the April question. End of May: self, bot and the
	// one closed in June. Now: self and bot. The 2025 question was never
	// answered: it counts every month.
	byMonth := map[string]int{}
	for _, p := range h.Unanswered {
		byMonth[p.Period] = p.N
	}
	if byMonth["2026-03"] != 1 || byMonth["2026-04"] != 2 || byMonth["2026-05"] != 4 || byMonth["2026-06"] != 3 {
		t.Errorf("unanswered over time %v", h.Unanswered)
	}
}

func TestMedianPercentile(t *testing.T) {
	cases := []struct {
		xs       []float64
		med, p90 float64
	}{
		{nil, 0, 0},
		{[]float64{5}, 5, 5},
		{[]float64{3, 1, 2}, 2, 3},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10},
	}
	for _, c := range cases {
		if m := Median(append([]float64(nil), c.xs...)); m != c.med {
			t.Errorf("median %v = %v, want %v", c.xs, m, c.med)
		}
		if p := Percentile(append([]float64(nil), c.xs...), 0.9); p != c.p90 {
			t.Errorf("p90 %v = %v, want %v", c.xs, p, c.p90)
		}
	}
}
