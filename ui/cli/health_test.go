package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/data/demo"
	"hearth/data/store"
)

// healthDemo writes a 300-member demo dated now and returns its path.
func healthDemo(t *testing.T, now time.Time) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Generate(ctx, s, demo.Options{Members: 300, Seed: 7, Now: now}); err != nil {
		s.Close()
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func runHealthCLI(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, newTestEnv(t).get)
	app.Now = func() time.Time { return now }
	app.terminal = func() (bool, int) { return false, 0 }
	if code := app.run(context.Background(), append([]string{"health"}, args...)); code != 0 {
		t.Fatalf("health %v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestHealthCommand runs the report on a demo and checks its key numbers
// against counts made directly in SQL over the same file.
func TestHealthCommand(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	path := healthDemo(t, now)
	var h healthJSON
	if err := json.Unmarshal([]byte(runHealthCLI(t, now, "--db", path, "--format", "json")), &h); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	people := `FROM activities a JOIN identities i ON i.id = a.identity_id
		JOIN members m ON m.id = i.member_id WHERE m.bot = 0 AND i.bot = 0`
	if want := count("SELECT count(DISTINCT m.id) " + people); h.Members != want || want < 100 {
		t.Errorf("members %d, SQL says %d", h.Members, want)
	}

	// Bus factor over the last 12 months, counted in SQL and ranked here;
	// staff are left out by default ([health] exclude_staff).
	from := now.Add(-365 * 24 * time.Hour).Unix()
	contribs := people + ` AND a.kind IN ('commit', 'pr_merged', 'accepted_answer', 'talk', 'doc_change')
		AND a.at >= ? AND a.at < ?`
	staff := `m.id IN (SELECT s.member_id FROM member_flags f JOIN identities s
		ON s.source = f.source AND s.external_id = f.external_id WHERE f.flag = 'staff')`
	if n := count("SELECT count(DISTINCT m.id) "+contribs+" AND "+staff, from, now.Unix()); n == 0 {
		t.Fatal("no staff member contributed in the window: the test would not see them left out")
	}
	rows, err := db.Query(`SELECT m.id, count(*) `+contribs+` AND NOT `+staff+` GROUP BY m.id`, from, now.Unix())
	if err != nil {
		t.Fatal(err)
	}
	var per []int
	total := 0
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		per = append(per, n)
		total += n
	}
	rows.Close()
	slices.Sort(per)
	slices.Reverse(per)
	bus, covered := 0, 0
	for _, n := range per {
		if 2*covered >= total {
			break
		}
		bus++
		covered += n
	}
	if h.Bus.N != bus || h.Bus.Contributions != total || h.Bus.Covered != covered || bus == 0 || len(h.Bus.Names) != bus {
		t.Errorf("bus factor %+v; SQL: %d people cover %d of %d", h.Bus, bus, covered, total)
	}

	// Questions asked since the start of the series, per source, bots'
	// questions left out.
	since := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if !h.Since.Equal(since) {
		t.Errorf("since %v", h.Since)
	}
	asked := 0
	for _, r := range h.Response {
		if r.Channel != "" {
			continue
		}
		want := count(`SELECT count(*) FROM questions q LEFT JOIN identities i ON i.id = q.author_id
			LEFT JOIN members m ON m.id = i.member_id
			WHERE q.source = ? AND q.created >= ? AND q.created <= ?
			AND coalesce(i.bot, 0) = 0 AND coalesce(m.bot, 0) = 0`, r.Source, since.Unix(), now.Unix())
		if r.Asked != want {
			t.Errorf("%s: %d asked, SQL says %d", r.Source, r.Asked, want)
		}
		if r.Answered > r.Asked || r.Median <= 0 || r.P90 < r.Median || len(r.Months) != 13 {
			t.Errorf("%s: %+v", r.Source, r.statsJSON)
		}
		asked += r.Asked
	}
	if asked == 0 {
		t.Error("no questions in the report")
	}

	// The cohort of a month: people whose first activity fell in it.
	first := `SELECT count(*) FROM (SELECT min(a.at) AS first ` + people + ` GROUP BY m.id) WHERE first >= ? AND first < ?`
	for _, c := range h.Cohorts {
		start, _ := time.Parse("2006-01", c.Month)
		if want := count(first, start.Unix(), start.AddDate(0, 1, 0).Unix()); c.Size != want {
			t.Errorf("cohort %s: %d people, SQL says %d", c.Month, c.Size, want)
		}
	}
	if len(h.Cohorts) != 13 || h.Cohorts[12].Active1 != nil || h.Cohorts[0].Active1 == nil {
		t.Errorf("cohorts %+v", h.Cohorts)
	}
	if len(h.Conversion) != 3*5 || len(h.Factors) != 5 || len(h.Unanswered) != 13 {
		t.Errorf("%d conversions, %d quarters of factors, %d months unanswered", len(h.Conversion), len(h.Factors), len(h.Unanswered))
	}
	f := h.Funnel
	if f.Participant+f.Contributor+f.Regular+f.Core != h.Members {
		t.Errorf("funnel %+v does not add up to %d", f, h.Members)
	}
	if len(h.Ready) == 0 || len(h.Ready) > 20 || len(h.AtRisk) > 10 {
		t.Errorf("%d ready, %d at risk", len(h.Ready), len(h.AtRisk))
	}
	for _, c := range h.Ready {
		if c.Rule == "" || len(c.Evidence) == 0 {
			t.Errorf("candidate without rule or evidence: %+v", c)
		}
	}

	md := runHealthCLI(t, now, "--db", path, "--format", "markdown", "--since", "2026-01")
	for _, want := range []string{"# Community health\n", "## Funnel now\n", "## Conversion by quarter\n", "### Participant → Contributor\n",
		"## Cohorts by month of first activity\n", "## Contributor absence and elephant factors\n",
		"## Time to first response\n", "## Ready for the next step\n", "## At risk\n",
		"| Stage | At stage | Reached | Went on to the next |\n| --- | ---: | ---: | ---: |\n", "| 2026-01 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "| 2025-12 |") {
		t.Error("--since 2026-01 still shows December")
	}
	text := runHealthCLI(t, now, "--db", path)
	if !strings.HasPrefix(text, "Community health\n================\n") || strings.Contains(text, "| ---") {
		t.Errorf("text report starts %q", text[:min(len(text), 80)])
	}
}

func TestHealthUsage(t *testing.T) {
	env := newTestEnv(t)
	for _, args := range [][]string{
		{"health", "--format", "xml"},
		{"health", "--window", "5y"},
		{"health", "--as-of", "soon"},
		{"health", "--since", "yesterday"},
		{"health", "--since", "2999-01-01"},
		{"health", "extra"},
	} {
		oneLineError(t, runCLI(t, env, 0, args...), 2)
	}
	if r := runCLI(t, env, 0, "health", "--help"); r.code != 0 || !strings.Contains(r.stdout, "--since") {
		t.Errorf("help: %+v", r)
	}
}
