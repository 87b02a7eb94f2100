package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/data/store"
	"hearth/data/store/storetest"
	"hearth/model"
)

var demoNow = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

func genDemo(t *testing.T, members int, seed int64) *store.Store {
	t.Helper()
	s, _ := storetest.Open(t)
	if err := Generate(context.Background(), s, Options{Members: members, Seed: seed, Now: demoNow}); err != nil {
		t.Fatal(err)
	}
	return s
}

func queryInt(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	return storetest.Int(t, s, q, args...)
}

// dumpTable renders every row of a query as text, for comparing databases.
func dumpTable(t *testing.T, s *store.Store, q string) string {
	t.Helper()
	return strings.Join(storetest.Rows(t, s, q), "\n")
}

func demoFingerprint(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for table, q := range map[string]string{
		"member_stats": "SELECT * FROM member_stats ORDER BY member_id",
		"summary":      "SELECT * FROM summary ORDER BY key",
		"identities":   "SELECT * FROM identities ORDER BY id",
		"questions":    "SELECT * FROM questions ORDER BY id",
		"events":       "SELECT * FROM events ORDER BY id",
		"budget":       "SELECT * FROM event_budget ORDER BY id",
		"flags":        "SELECT * FROM member_flags ORDER BY 1, 2, 3",
	} {
		out[table] = dumpTable(t, s, q)
	}
	h := fnv.New64a()
	h.Write([]byte(dumpTable(t, s, "SELECT * FROM activities ORDER BY id")))
	out["activities"] = fmt.Sprint(h.Sum64(), queryInt(t, s, "SELECT count(*) FROM activities"))
	return out
}

func TestDemoDeterministic(t *testing.T) {
	a := demoFingerprint(t, genDemo(t, 300, 7))
	b := demoFingerprint(t, genDemo(t, 300, 7))
	for k := range a {
		if a[k] != b[k] {
			t.Errorf("same seed, different %s", k)
		}
	}
	c := demoFingerprint(t, genDemo(t, 300, 8))
	if a["member_stats"] == c["member_stats"] || a["activities"] == c["activities"] {
		t.Error("a different seed produced the same community")
	}
}

func TestDemoShape(t *testing.T) {
	s := genDemo(t, 300, 1)
	ctx := context.Background()

	if n := queryInt(t, s, "SELECT count(*) FROM members"); n != 300 {
		t.Errorf("members %d, want 300", n)
	}
	if n := queryInt(t, s, "SELECT count(DISTINCT source) FROM activities"); n < 5 {
		t.Errorf("activities from %d sources, want git, github, discourse, mail and chat", n)
	}
	for _, k := range []model.Kind{model.KindCommit, model.KindPRMerged, model.KindReview, model.KindMergedOther,
		model.KindComment, model.KindQuestion, model.KindAnswer, model.KindPost, model.KindMessage} {
		if queryInt(t, s, "SELECT count(*) FROM activities WHERE kind = ?", string(k)) == 0 {
			t.Errorf("no %s activities", k)
		}
	}
	if n := queryInt(t, s, "SELECT count(*) FROM activities WHERE title = '' OR url NOT LIKE 'https://%'"); n > 0 {
		t.Errorf("%d activities without a title or URL", n)
	}
	// Commits carry topics from the paths they touch.
	if n := queryInt(t, s, "SELECT count(*) FROM activities WHERE source = 'git' AND topics = ''"); n > 0 {
		t.Errorf("%d commits without topics", n)
	}
	// About 40 organisations at 2,000 members, scaled down gently.
	orgs := queryInt(t, s, "SELECT count(*) FROM orgs")
	if orgs < 15 || orgs > 30 {
		t.Errorf("%d organisations for 300 members", orgs)
	}
	for _, d := range demoFreeMail {
		if n := queryInt(t, s, "SELECT count(*) FROM orgs WHERE ',' || domains || ',' LIKE ?", "%,"+d+",%"); n > 0 {
			t.Errorf("personal domain %s made an organisation", d)
		}
	}
	if n := queryInt(t, s, "SELECT count(*) FROM members WHERE org_id IS NOT NULL"); n < 30 || n > 200 {
		t.Errorf("%d of 300 members in an organisation", n)
	}
	// Names from many cultures, some of them not ASCII.
	if n := queryInt(t, s, "SELECT count(*) FROM members WHERE name <> CAST(name AS BLOB) OR length(CAST(name AS BLOB)) > length(name)"); n < 10 {
		t.Errorf("only %d non-ASCII names", n)
	}
	// Bots are marked on members and identities.
	if n := queryInt(t, s, "SELECT count(*) FROM members WHERE bot = 1 AND name LIKE '%[bot]'"); n < 2 {
		t.Errorf("%d bots", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM identities i JOIN members m ON m.id = i.member_id WHERE i.bot <> m.bot"); n > 0 {
		t.Errorf("%d identities disagree with their member about being a bot", n)
	}
	// Every member has one to three identities; every row refers to real ones.
	if n := queryInt(t, s, `SELECT count(*) FROM (SELECT m.id, count(i.id) c FROM members m
		LEFT JOIN identities i ON i.member_id = m.id GROUP BY m.id) WHERE c < 1 OR c > 3`); n > 0 {
		t.Errorf("%d members without 1-3 identities", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM activities a LEFT JOIN identities i ON i.id = a.identity_id WHERE i.id IS NULL OR i.source <> a.source"); n > 0 {
		t.Errorf("%d activities with a missing or foreign identity", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM questions q JOIN identities a ON a.id = q.author_id
		LEFT JOIN identities r ON r.id = q.responder_id
		WHERE a.source <> q.source OR (q.responder_id IS NOT NULL AND (r.source <> q.source OR r.id = a.id OR r.bot))`); n > 0 {
		t.Errorf("%d questions with inconsistent author or responder", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM activities WHERE at > ?", demoNow.Unix()); n > 0 {
		t.Errorf("%d activities after now", n)
	}

	sum, err := s.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range model.Stages {
		if sum.Funnel.AtStage[st] == 0 {
			t.Errorf("nobody at stage %s: %+v", st, sum.Funnel)
		}
	}
	f := sum.Funnel
	if !(f.AtStage[model.StageParticipant] > f.AtStage[model.StageContributor] && f.AtStage[model.StageContributor] > f.AtStage[model.StageCore]) {
		t.Errorf("funnel is not a funnel: %+v", f.AtStage)
	}
	if f.New == 0 || f.Lapsed == 0 {
		t.Errorf("new %d, lapsed %d: want some of each", f.New, f.Lapsed)
	}
	if per := float64(sum.Activities) / float64(sum.Members); per < 25 || per > 90 {
		t.Errorf("%.1f activities per member, want about 50", per)
	}

	// Questions: about one per four members, most answered within a day,
	// some never.
	if sum.Questions < 40 || sum.Questions > 130 {
		t.Errorf("%d questions for 300 members", sum.Questions)
	}
	if sum.OpenQuestions == 0 {
		t.Error("no unanswered questions")
	}
	answered := queryInt(t, s, "SELECT count(*) FROM questions WHERE first_response_at IS NOT NULL")
	fast := queryInt(t, s, "SELECT count(*) FROM questions WHERE first_response_at - created <= 86400")
	if answered == 0 || float64(fast) < 0.6*float64(answered) || fast == answered {
		t.Errorf("%d of %d answered within a day: want most, not all", fast, answered)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM questions WHERE first_response_at IS NULL AND closed_at IS NOT NULL"); n == 0 {
		t.Error("no question closed without an answer")
	}
	if n := queryInt(t, s, "SELECT count(*) FROM questions WHERE first_response_at IS NOT NULL AND (responder_id IS NULL OR first_response_at < created)"); n > 0 {
		t.Errorf("%d answered questions without a responder or answered before asked", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM question_triage t JOIN questions q USING (source, external_id)
		WHERE q.first_response_at IS NULL AND q.closed_at IS NULL`); n == 0 {
		t.Error("no triage on open questions")
	}

	// Events: past and upcoming, a call for papers closing soon, plans.
	evs, err := s.Events(ctx, demoNow)
	if err != nil {
		t.Fatal(err)
	}
	var up, past, cfpSoon int
	for _, e := range evs {
		if e.Upcoming(demoNow) {
			up++
		} else {
			past++
		}
		if e.CFPOpen(demoNow) && e.CFPDeadline.Before(demoNow.AddDate(0, 0, 31)) {
			cfpSoon++
		}
		full, err := s.Event(ctx, e.UID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Speakers) == 0 || len(full.Tasks) == 0 || len(full.Budget) == 0 || len(full.Attendees) == 0 {
			t.Errorf("event %s lacks speakers, tasks, budget or attendees", e.Name)
		}
	}
	if len(evs) < 20 || up < 3 || past < 10 || cfpSoon < 1 {
		t.Errorf("%d events, %d upcoming, %d past, %d calls for papers closing soon", len(evs), up, past, cfpSoon)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM event_speakers sp JOIN identities i
		ON sp.member_key = i.source || ':' || i.external_id`); n == 0 {
		t.Error("no speaker linked to a member")
	}

	// User-authored data, keyed by identities that exist.
	for _, table := range []string{"member_notes", "member_tags", "member_flags"} {
		total := queryInt(t, s, "SELECT count(*) FROM "+table)
		linked := queryInt(t, s, "SELECT count(*) FROM "+table+" x JOIN identities i USING (source, external_id)")
		if total == 0 || linked != total {
			t.Errorf("%s: %d rows, %d keyed by an identity", table, total, linked)
		}
	}
	for _, flag := range []string{"maintainer", "core", "mentor", "staff", "speaker"} {
		if queryInt(t, s, "SELECT count(*) FROM member_flags WHERE flag = ?", flag) == 0 {
			t.Errorf("no member flagged %s", flag)
		}
	}
	if n := queryInt(t, s, `SELECT count(*) FROM member_flags f JOIN identities i USING (source, external_id)
		JOIN member_stats ms ON ms.member_id = i.member_id WHERE f.flag IN ('core', 'maintainer') AND ms.stage <> 4`); n > 0 {
		t.Errorf("%d members flagged core or maintainer are not at stage core", n)
	}
}

func TestDemoSummaryAgreesWithMembers(t *testing.T) {
	s := genDemo(t, 300, 3)
	sum, err := s.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	people := queryInt(t, s, "SELECT count(*) FROM member_stats WHERE bot = 0")
	staged := 0
	for _, n := range sum.Funnel.AtStage {
		staged += n
	}
	if staged != people || sum.Members != people {
		t.Errorf("stage counts sum to %d, summary members %d, member_stats people %d", staged, sum.Members, people)
	}
	if acts := queryInt(t, s, "SELECT sum(activities) FROM member_stats WHERE bot = 0"); sum.Activities != acts {
		t.Errorf("summary activities %d, member_stats %d", sum.Activities, acts)
	}
	if all := queryInt(t, s, "SELECT count(*) FROM activities"); all != queryInt(t, s, "SELECT sum(activities) FROM member_stats") {
		t.Errorf("member_stats does not account for all %d activities", all)
	}
	if sum.Bots != queryInt(t, s, "SELECT count(*) FROM members WHERE bot = 1") {
		t.Errorf("summary bots %d", sum.Bots)
	}
	// Unanswered: no response, not closed, not done, not snoozed past now
	// (the store's clock here is the machine's).
	if sum.OpenQuestions != queryInt(t, s, `SELECT count(*) FROM questions q WHERE first_response_at IS NULL AND closed_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM question_triage t WHERE t.source = q.source AND t.external_id = q.external_id
			AND (t.status = 'done' OR (t.status = 'snoozed' AND t.snoozed_until > ?)))`, time.Now().Unix()) {
		t.Errorf("summary open questions %d", sum.OpenQuestions)
	}
	if !sum.Demo {
		t.Error("summary does not say demo")
	}
}

// The generator tallies activities as it writes them; deriving from the
// written rows, as sync does, must give the very same member_stats.
func TestDemoDerivedMatchesRefresh(t *testing.T) {
	s := genDemo(t, 300, 5)
	before := dumpTable(t, s, "SELECT * FROM member_stats ORDER BY member_id")
	sumBefore := dumpTable(t, s, "SELECT * FROM summary ORDER BY key")
	if err := s.RefreshDerived(context.Background(), demoNow, model.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	after := dumpTable(t, s, "SELECT * FROM member_stats ORDER BY member_id")
	if before != after {
		b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("member_stats differ from a refresh at row %d:\n generated %s\n refreshed %s", i, b[i], a[i])
			}
		}
		t.Fatalf("member_stats differ in length: %d vs %d", len(b), len(a))
	}
	if sumAfter := dumpTable(t, s, "SELECT * FROM summary ORDER BY key"); sumBefore != sumAfter {
		t.Errorf("summary differs from a refresh:\n%s\n%s", sumBefore, sumAfter)
	}
}

func TestDemoSchemaUnchanged(t *testing.T) {
	fresh, _ := storetest.Open(t)
	demo := genDemo(t, 100, 1)
	q := "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
	if a, b := dumpTable(t, fresh, q), dumpTable(t, demo, q); a != b {
		t.Errorf("schema after the demo differs from the migration's:\n%s\nvs\n%s", a, b)
	}
	if n := queryInt(t, demo, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"); n > 0 {
		t.Error("integrity check failed")
	}
	// (That the loader gives the store's connections back their usual
	// pragmas is tested with the loader, in package store.)
	var mode string
	if err := storetest.DB(t, demo).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode left at %q (%v)", mode, err)
	}
}

func TestDemoRefusesNonEmptyStore(t *testing.T) {
	ctx := context.Background()
	s := genDemo(t, 100, 1)
	// Counted through the store: a second connection would keep the
	// loader from leaving write-ahead mode, and the refusal must come
	// from the data, not from a busy file.
	activities := func() int {
		sum, err := s.Summary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sum.Activities
	}
	acts := activities()
	err := Generate(ctx, s, Options{Members: 100, Seed: 2, Now: demoNow})
	if !errors.Is(err, store.ErrNotEmpty) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("second generation: %v", err)
	}
	if n := activities(); n != acts {
		t.Errorf("refused generation still wrote: %d activities, had %d", n, acts)
	}

	// A store holding only an event is not empty either.
	s2, path := storetest.Open(t)
	func() {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close() // before Generate, which needs the file to itself
		if _, err := db.Exec("INSERT INTO events(uid, source, name, starts) VALUES ('x', 'hearth', 'Planning call', 0)"); err != nil {
			t.Fatal(err)
		}
	}()
	if empty, err := s2.IsEmpty(ctx); err != nil || empty {
		t.Fatalf("IsEmpty with an event: %v %v", empty, err)
	}
	if err := Generate(ctx, s2, Options{Members: 100}); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("generation over an event: %v", err)
	}
}

func TestDemoMarksStore(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.Open(t)
	if demo, err := s.IsDemo(ctx); err != nil || demo {
		t.Fatalf("new store IsDemo %v %v", demo, err)
	}
	if empty, err := s.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("new store IsEmpty %v %v", empty, err)
	}
	var calls, last, total int
	err := Generate(ctx, s, Options{Members: 100, Seed: 1, Now: demoNow,
		Progress: func(d, t int) { calls, last, total = calls+1, d, t }})
	if err != nil {
		t.Fatal(err)
	}
	if demo, err := s.IsDemo(ctx); err != nil || !demo {
		t.Fatalf("IsDemo after generation %v %v", demo, err)
	}
	if empty, _ := s.IsEmpty(ctx); empty {
		t.Fatal("IsEmpty after generation")
	}
	if acts := queryInt(t, s, "SELECT count(*) FROM activities"); calls == 0 || last != acts || total != acts {
		t.Errorf("progress: %d calls, last %d/%d, want %d/%d", calls, last, total, acts, acts)
	}
}

func TestDemoCancelled(t *testing.T) {
	s, _ := storetest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := Generate(ctx, s, Options{Members: 2000, Seed: 1, Now: demoNow,
		Progress: func(done, total int) {
			if done > 0 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled generation returned %v", err)
	}
	if empty, err := s.IsEmpty(context.Background()); err != nil || !empty {
		t.Fatalf("cancelled generation left data behind (empty %v, %v)", empty, err)
	}
}

// Each city's meetups are numbered in date order, without repeats, and no
// two events share a name, whatever the seed and the day.
func TestDemoMeetupsNumberedInOrder(t *testing.T) {
	ctx := context.Background()
	for _, now := range []time.Time{demoNow, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)} {
		for seed := int64(1); seed <= 3; seed++ {
			s, _ := storetest.Open(t)
			if err := Generate(ctx, s, Options{Members: 100, Seed: seed, Now: now}); err != nil {
				t.Fatal(err)
			}
			evs, err := s.Events(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			sort.SliceStable(evs, func(i, j int) bool { return evs[i].Start.Before(evs[j].Start) })
			last := map[string]int{} // city → number of its latest meetup so far
			names := map[string]bool{}
			repeats := 0
			for _, e := range evs {
				if names[e.Name] {
					t.Errorf("seed %d, %s: two events named %q", seed, now.Format(time.DateOnly), e.Name)
				}
				names[e.Name] = true
				if e.Kind != "meetup" {
					continue
				}
				city, num, ok := strings.Cut(strings.TrimPrefix(e.Name, "Kestrel Meetup "), " #")
				n, err := strconv.Atoi(num)
				if !ok || err != nil || n < 1 {
					t.Fatalf("meetup name %q is not \"Kestrel Meetup <city> #<n>\"", e.Name)
				}
				if prev, seen := last[city]; seen {
					repeats++
					if n != prev+1 {
						t.Errorf("seed %d, %s: %s meetup on %s is #%d after #%d", seed, now.Format(time.DateOnly),
							city, e.Start.Format(time.DateOnly), n, prev)
					}
				}
				last[city] = n
			}
			if repeats == 0 {
				t.Errorf("seed %d: no city has a second meetup; the test checks nothing", seed)
			}
		}
	}
}

// No two identities of one source share a user name (compared as the
// platforms do, ignoring case): a handle names one person.
func TestDemoUsernamesUniquePerSource(t *testing.T) {
	sizes := []int{2000, 20000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		s := genDemo(t, n, 4)
		rows, err := storetest.DB(t, s).Query(`SELECT source, lower(username), count(*) FROM identities
			WHERE username <> '' GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 3 DESC LIMIT 5`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var src, user string
			var count int
			if err := rows.Scan(&src, &user, &count); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%d members: %d identities on %s are called %q", n, count, src, user)
		}
		rows.Close()
		if named := queryInt(t, s, "SELECT count(DISTINCT source) FROM identities WHERE username <> ''"); named != 3 {
			t.Errorf("%d members: user names on %d sources, want github, discourse and chat", n, named)
		}
	}
}

func TestDemoMemberLimits(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.Open(t)
	for _, n := range []int{MinMembers - 1, MaxMembers + 1} {
		err := Generate(ctx, s, Options{Members: n, Seed: 1, Now: demoNow})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%d members: %v, want one line refusing", n, err)
		}
		if !strings.Contains(err.Error(), model.Thousands(n)) {
			t.Errorf("%d members: %q does not say how many were asked for", n, err)
		}
	}
	if empty, err := s.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("refused generations wrote something (empty %v, %v)", empty, err)
	}
}

// The smallest communities may have nobody at the higher stages: their
// events still get organisers, whatever the seed.
func TestDemoSmallestCommunities(t *testing.T) {
	ctx := context.Background()
	for seed := int64(1); seed <= 40; seed++ {
		s, _ := storetest.Open(t)
		if err := Generate(ctx, s, Options{Members: MinMembers, Seed: seed, Now: demoNow}); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if n := queryInt(t, s, "SELECT count(*) FROM event_tasks WHERE owner = ''"); n > 0 {
			t.Errorf("seed %d: %d event tasks without an owner", seed, n)
		}
	}
}
