package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hearth/model"
)

func sampleReport() *Report {
	at := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	cur := model.Period{From: at(4), Until: at(7), Members: 1200, New: 90, Active: 400, Contributed: 120,
		Entered: 90, Converted: 18, AtRisk: 4,
		Response: model.ResponseStats{Asked: 50, Answered: 40, Median: 5 * time.Hour, P90: 60 * time.Hour},
		Bus:      model.Factor{N: 2, Names: []string{`Ann <script>alert(1)</script>`, "Bo & Co"}},
		Elephant: model.Factor{N: 1, Names: []string{`Kestrel "Labs"`}},
		Months: []model.MonthFigures{{Month: "2026-04", Active: 200, New: 30, NewContributors: 5},
			{Month: "2026-05", Active: 250, New: 35, NewContributors: 7}, {Month: "2026-06", Active: 220, New: 25, NewContributors: 6}}}
	prev := model.Period{From: at(1), Until: at(4), Members: 1110, New: 80, Active: 420, Contributed: 100, Entered: 80, Converted: 20, AtRisk: 2}
	return &Report{Generated: at(7), Current: cur, Previous: prev,
		Topics:       []model.TopicCount{{Topic: "storage", N: 12}, {Topic: "<b>ci</b>", N: 3}},
		Held:         []model.Event{{Name: "Meetup <Paris>", Start: at(5), Place: "Station F"}},
		ExcludeStaff: true}
}

// TestHTMLSelfContained: the page is well-formed, uses only the report's
// elements, loads and runs nothing, escapes hostile names, and draws its
// charts.
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if err := Validate(b.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, page)
	}
	for _, want := range []string{"Ann &lt;script&gt;", "Bo &amp; Co", "Meetup &lt;Paris&gt;", "@media print", "1,200", "−5.0 pp", "<svg "} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg "); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
}

// TestValidateCatches: the check fails on what it is there to catch.
func TestValidateCatches(t *testing.T) {
	ok := `<!DOCTYPE html><html><head><title>x</title></head><body><p>x</p></body></html>`
	if err := Validate([]byte(ok)); err != nil {
		t.Fatalf("a good page: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(ok, "<p>x</p>", "<p>x", 1),
		strings.Replace(ok, "<p>x</p>", `<img src="http://x/y.png"/>`, 1),
		strings.Replace(ok, "<p>x</p>", `<p style="background: url(x.png)">x</p>`, 1),
		strings.Replace(ok, "<p>x</p>", `<script>1</script>`, 1),
		strings.Replace(ok, "<p>x</p>", `<link rel="stylesheet" href="https://x/y.css"/>`, 1),
		strings.Replace(ok, "<title>x</title>", "", 1),
		strings.Replace(ok, "<p>x</p>", `<p onclick="x()">x</p>`, 1),
		strings.Replace(ok, "<p>x</p>", `<p>a & b</p>`, 1),
	} {
		if err := Validate([]byte(bad)); err == nil {
			t.Errorf("passed: %s", bad)
		}
	}
}

func TestMarkdownAndJSON(t *testing.T) {
	r := sampleReport()
	var md bytes.Buffer
	if err := Markdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Members | 1,200 | 1,110 | +90 ▲ |", "| At risk (regulars and core) | 4 | 2 | +2 ▼ |",
		"2026-05  ██████████████████████████████ 250 active", `Ann <script>`[:3], "Meetup &lt;Paris>"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := JSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Figures map[string]struct{ Current, Previous *float64 } `json:"figures"`
		Months  []struct{ Active int }                          `json:"months"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if f := got.Figures["new"]; f.Current == nil || *f.Current != 90 || *f.Previous != 80 {
		t.Errorf("new %+v", f)
	}
	if f := got.Figures["first_response_median_hours"]; f.Current == nil || *f.Current != 5 || f.Previous != nil {
		t.Errorf("median response %+v (no answers in the previous period: null)", f)
	}
	if len(got.Months) != 3 || got.Months[1].Active != 250 {
		t.Errorf("months %+v", got.Months)
	}
	if strings.Contains(js.String(), "<svg") || strings.Contains(js.String(), "█") {
		t.Error("charts in the JSON")
	}
}
