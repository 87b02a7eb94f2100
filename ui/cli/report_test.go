package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	healthreport "hearth/ui/report"
)

func runReportCLI(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp(strings.NewReader(""), &out, &errb, newTestEnv(t).get)
	app.Now = func() time.Time { return now }
	app.terminal = func() (bool, int) { return false, 0 }
	if code := app.run(context.Background(), append([]string{"report"}, args...)); code != 0 {
		t.Fatalf("report %v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestReportCommand: the JSON figures of a period and the previous one
// match counts made directly in SQL; the HTML written with -o is a valid,
// self-contained page.
func TestReportCommand(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	path := healthDemo(t, now)
	var r struct {
		Figures map[string]struct{ Current, Previous *float64 } `json:"figures"`
		Months  []struct{ Month string }                        `json:"months"`
	}
	out := runReportCLI(t, now, "--db", path, "--format", "json", "--since", "2026-01-01", "--until", "2026-03-31")
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string, args ...any) float64 {
		t.Helper()
		var n float64
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	people := `FROM activities a JOIN identities i ON i.id = a.identity_id
		JOIN members m ON m.id = i.member_id WHERE m.bot = 0 AND i.bot = 0`
	jan, apr := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Unix()
	oct := time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC).Unix() // the previous period: 90 days, just before
	for _, c := range []struct {
		figure         string
		current, prior float64
	}{
		{"members", count("SELECT count(DISTINCT m.id) "+people+" AND a.at < ?", apr),
			count("SELECT count(DISTINCT m.id) "+people+" AND a.at < ?", jan)},
		{"active", count("SELECT count(DISTINCT m.id) "+people+" AND a.at >= ? AND a.at < ?", jan, apr),
			count("SELECT count(DISTINCT m.id) "+people+" AND a.at >= ? AND a.at < ?", oct, jan)},
		{"new", count("SELECT count(*) FROM (SELECT min(a.at) AS f "+people+" GROUP BY m.id) WHERE f >= ? AND f < ?", jan, apr),
			count("SELECT count(*) FROM (SELECT min(a.at) AS f "+people+" GROUP BY m.id) WHERE f >= ? AND f < ?", oct, jan)},
		{"questions_asked", count(`SELECT count(*) FROM questions q LEFT JOIN identities i ON i.id = q.author_id
			LEFT JOIN members m ON m.id = i.member_id WHERE q.created >= ? AND q.created < ?
			AND coalesce(i.bot, 0) = 0 AND coalesce(m.bot, 0) = 0`, jan, apr), -1},
	} {
		f := r.Figures[c.figure]
		if f.Current == nil || *f.Current != c.current || c.current == 0 {
			t.Errorf("%s: %v, SQL says %v", c.figure, f.Current, c.current)
		}
		if c.prior >= 0 && (f.Previous == nil || *f.Previous != c.prior) {
			t.Errorf("%s before: %v, SQL says %v", c.figure, f.Previous, c.prior)
		}
	}
	if len(r.Months) != 3 || r.Months[0].Month != "2026-01" {
		t.Errorf("months %+v", r.Months)
	}

	file := filepath.Join(t.TempDir(), "report.html")
	if got := runReportCLI(t, now, "--db", path, "--format", "html", "-o", file); got != "" {
		t.Errorf("-o also wrote to stdout: %q", got[:min(len(got), 80)])
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := healthreport.Validate(page); err != nil {
		t.Fatal(err)
	}
	md := runReportCLI(t, now, "--db", path)
	if !strings.HasPrefix(md, "# Community health report\n") || !strings.Contains(md, "| Members |") {
		t.Errorf("markdown starts %q", md[:min(len(md), 120)])
	}
}

func TestReportUsage(t *testing.T) {
	env := newTestEnv(t)
	for _, args := range [][]string{
		{"report", "--format", "pdf"},
		{"report", "--since", "2026-05-01", "--until", "2026-04-01"},
		{"report", "--until", "tomorrow"},
		{"report", "extra"},
	} {
		oneLineError(t, runCLI(t, env, 0, args...), 2)
	}
}
