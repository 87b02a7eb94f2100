package cli

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHealthWindowAsOfCSV: --window moves the start, --as-of counts only
// what had happened by the end of that day (checked in SQL), and the CSV
// carries the same figures as the JSON.
func TestHealthWindowAsOfCSV(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	path := healthDemo(t, now)
	var h healthJSON
	if err := json.Unmarshal([]byte(runHealthCLI(t, now, "--db", path, "--format", "json", "--window", "3m")), &h); err != nil {
		t.Fatal(err)
	}
	if !h.Since.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || len(h.Cohorts) != 4 {
		t.Errorf("3m: since %v, %d cohorts", h.Since, len(h.Cohorts))
	}

	var past healthJSON
	if err := json.Unmarshal([]byte(runHealthCLI(t, now, "--db", path, "--format", "json", "--as-of", "2026-01-31")), &past); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want int
	end := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).Unix()
	if err := db.QueryRow(`SELECT count(DISTINCT m.id) FROM activities a JOIN identities i ON i.id = a.identity_id
		JOIN members m ON m.id = i.member_id WHERE m.bot = 0 AND i.bot = 0 AND a.at < ?`, end).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if past.Members != want || past.Members >= h.Members || !past.AsOf.Equal(time.Unix(end-1, 0).UTC()) {
		t.Errorf("as of 2026-01-31: %d members (SQL %d, today %d), as of %v", past.Members, want, h.Members, past.AsOf)
	}

	rows, err := csv.NewReader(strings.NewReader(runHealthCLI(t, now, "--db", path, "--format", "csv", "--window", "3m"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		if len(r) != 4 {
			t.Fatalf("row %v", r)
		}
		got[r[0]+"/"+r[1]+"/"+r[2]] = r[3]
	}
	for k, v := range map[string]int{
		"report//members":             h.Members,
		"funnel//regular_at_stage":    h.Funnel.Regular,
		"factors//elephant_factor":    h.Elephant.N,
		"cohort/2026-03/size":         h.Cohorts[0].Size,
		"cohort/2026-03/contributors": h.Cohorts[0].Contributors,
	} {
		if got[k] != strconv.Itoa(v) {
			t.Errorf("csv %s = %q, json says %d", k, got[k], v)
		}
	}
}
