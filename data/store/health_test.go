package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"hearth/model"
)

// TestHealthInput: a small community with the cases the loader must get
// right: two accounts of one person, a bot member, a bot account merged
// into a person, an organisation, a flag, and questions answered by
// someone else, by the asker's other account, by a bot, by nobody.
func TestHealthInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, err := s.NewBulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.AddOrg(model.Org{ID: 1, Name: "Kestrel Labs"}))
	must(l.AddMember(1, "Ada", 1, false))
	must(l.AddMember(2, "Bo", 0, false))
	must(l.AddMember(3, "ci-bot", 0, true))
	must(l.AddIdentity(&model.Identity{ID: 1, Source: "github", ExternalID: "ada", Username: "ada", MemberID: 1}))
	must(l.AddIdentity(&model.Identity{ID: 2, Source: "git", ExternalID: "ada@k.io", Email: "ada@k.io", MemberID: 1}))
	must(l.AddIdentity(&model.Identity{ID: 3, Source: "github", ExternalID: "bo", Username: "bo", MemberID: 2}))
	must(l.AddIdentity(&model.Identity{ID: 4, Source: "github", ExternalID: "ci-bot", Username: "ci-bot", Bot: true, MemberID: 3}))
	must(l.AddIdentity(&model.Identity{ID: 5, Source: "github", ExternalID: "bo-bot", Username: "bo-bot", Bot: true, MemberID: 2}))
	add := func(iid int64, ext string, k model.Kind, d int) {
		t.Helper()
		must(l.AddActivity(iid, &model.Activity{Source: "x", ExternalID: ext, Kind: k, At: day(d)}))
	}
	add(1, "a1", model.KindReview, -10)
	add(2, "a2", model.KindCommit, -20)
	add(2, "a3", model.KindCommit, -30)
	add(3, "b1", model.KindQuestion, -5)
	add(4, "c1", model.KindComment, -1) // the bot member
	add(5, "b2", model.KindComment, -1) // Bo's bot account
	must(l.AddFlag("github", "ada", "maintainer"))
	q := func(ext string, author, responder int64, created, first int, closed bool) {
		t.Helper()
		x := &model.Question{Source: "github", ExternalID: ext, Channel: "kestrel", Created: day(created)}
		if first != 0 {
			x.FirstResponse = day(first)
		}
		if closed {
			x.Closed = day(-1)
		}
		must(l.AddQuestion(x, author, responder))
	}
	q("answered", 3, 1, -5, -4, false)
	q("self", 1, 2, -6, -5, false)     // Ada's other account
	q("by-bot", 3, 4, -7, -6, false)   // the bot answered
	q("from-bot", 4, 1, -8, -7, false) // a bot asked
	q("open", 3, 0, -9, 0, false)      // nobody answered
	q("closed", 3, 0, -10, 0, true)    // closed unanswered
	q("bo-bot", 5, 3, -11, -10, false) // Bo's bot account asked, Bo answered
	must(l.Commit())

	in, err := s.HealthInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Members) != 2 {
		t.Fatalf("members %+v", in.Members)
	}
	ada, bo := in.Members[0], in.Members[1]
	if ada.ID != 1 || ada.Name != "Ada" || ada.Org != "Kestrel Labs" || !ada.Flags.Maintainer || ada.Flags.Core {
		t.Errorf("ada %+v", ada)
	}
	slices.SortFunc(ada.Acts, func(a, b model.Act) int { return int(a.At - b.At) })
	wantAda := []model.Act{{At: day(-30).Unix(), Kind: model.ActCommit}, {At: day(-20).Unix(), Kind: model.ActCommit}, {At: day(-10).Unix(), Kind: model.ActReview}}
	if !slices.Equal(ada.Acts, wantAda) {
		t.Errorf("ada's activities %+v, want %+v", ada.Acts, wantAda)
	}
	if wantBo := []model.Act{{At: day(-5).Unix(), Kind: model.ActQuestion}}; bo.Org != "" || !slices.Equal(bo.Acts, wantBo) {
		t.Errorf("bo %+v", bo)
	}

	got := map[string]model.QuestionTiming{}
	for _, q := range in.Questions {
		got[q.Created.Format("01-02")] = q
	}
	check := func(created int, authorBot, responderBot, self, answered, closed bool) {
		t.Helper()
		q, ok := got[day(created).Format("01-02")]
		if !ok {
			t.Fatalf("question of day %d missing", created)
		}
		if q.AuthorBot != authorBot || q.ResponderBot != responderBot || q.SelfReply != self ||
			q.FirstResponse.IsZero() == answered || q.Closed.IsZero() == closed || q.Source != "github" || q.Channel != "kestrel" {
			t.Errorf("question of day %d: %+v", created, q)
		}
	}
	check(-5, false, false, false, true, false)
	check(-6, false, false, true, true, false)
	check(-7, false, true, false, true, false)
	check(-8, true, false, false, true, false)
	check(-9, false, false, false, false, false)
	check(-10, false, false, false, false, true)
	check(-11, true, false, true, true, false) // one person: also a self-reply
	if len(in.Questions) != 7 {
		t.Errorf("%d questions", len(in.Questions))
	}
}
