package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hearth/model"
	healthreport "hearth/ui/report"
)

const reportUsage = `Usage: hearth report [flags]

Writes the community health report of a period against the one before it
(of the same length): members, new and active members, conversion, people
at risk, time to first response, bus and elephant factors, the most asked
about topics, events held and coming, with charts.

The period runs from --since to --until, both days included (default: the
three months up to today).

--format md is Markdown with text charts; html is one self-contained page
with SVG charts that opens offline and prints; json is the numbers alone.
-o FILE writes to a file (replaced only once complete) instead of stdout.
`

// reportTopics is how many topics a report lists.
const reportTopics = 8

// reportComing is how many coming events a report lists.
const reportComing = 10

func runReport(ctx context.Context, app *App, args []string) error {
	fs := newFlags("report")
	since := fs.String("since", "", "first `date` of the period (YYYY-MM-DD; default 3 months before --until)")
	until := fs.String("until", "", "last `date` of the period (YYYY-MM-DD; default today)")
	format := fs.String("format", "md", "output `format`: md, html or json")
	out := fs.StringP("output", "o", "", "write to `file` instead of standard output")
	if help, err := app.parseCommand("report", reportUsage, fs, args); err != nil || help {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("report: unexpected argument %q", fs.Arg(0))
	}
	render, err := reportRenderer(*format)
	if err != nil {
		return err
	}
	now := app.Now().UTC()
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	if *until != "" {
		t, err := time.Parse("2006-01-02", *until)
		if err != nil {
			return usageErrorf("report: --until %q: want a date like 2026-03-31", *until)
		}
		end = t.AddDate(0, 0, 1)
	}
	start := end.AddDate(0, -3, 0)
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			return usageErrorf("report: --since %q: want a date like 2026-01-01", *since)
		}
		start = t
	}
	if !start.Before(end) {
		return usageErrorf("report: --since %s is not before --until", start.Format("2006-01-02"))
	}
	prevStart := start.Add(-end.Sub(start))

	opt := app.healthOptions(now)
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	in, err := st.HealthInput(ctx)
	var topics, prevTopics []string
	var evs []model.Event
	if err == nil {
		topics, err = st.QuestionTopics(ctx, start, end)
	}
	if err == nil {
		prevTopics, err = st.QuestionTopics(ctx, prevStart, start)
	}
	if err == nil {
		evs, err = st.Events(ctx, end)
	}
	st.Close()
	if err != nil {
		return err
	}
	// Both periods at once: they only read the input once it is sorted.
	model.SortActs(in.Members)
	var prev model.Period
	done := make(chan struct{})
	go func() {
		prev = model.ComputePeriod(in.Members, in.Questions, prevStart, start, opt)
		close(done)
	}()
	cur := model.ComputePeriod(in.Members, in.Questions, start, end, opt)
	<-done
	r := &healthreport.Report{
		Generated:    now,
		Current:      cur,
		Previous:     prev,
		Topics:       model.TopTopics(topics, reportTopics),
		PrevTopics:   model.TopTopics(prevTopics, reportTopics),
		ExcludeStaff: opt.ExcludeStaff,
	}
	r.Held, r.Coming = splitEvents(evs, start, end)

	var buf bytes.Buffer
	if err := render(&buf, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if *out == "" || *out == "-" {
		bw := bufio.NewWriter(app.Stdout)
		bw.Write(buf.Bytes())
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	return writeFileAtomic(*out, buf.Bytes())
}

func reportRenderer(format string) (func(io.Writer, *healthreport.Report) error, error) {
	switch strings.ToLower(format) {
	case "md", "markdown":
		return healthreport.Markdown, nil
	case "html":
		return healthreport.HTML, nil
	case "json":
		return healthreport.JSON, nil
	}
	return nil, usageErrorf("report: unknown format %q (choose md, html or json)", format)
}

// splitEvents picks the events that started in [from, until), oldest
// first, and up to reportComing that start from until on, soonest first.
func splitEvents(evs []model.Event, from, until time.Time) (held, coming []model.Event) {
	for _, e := range evs {
		switch {
		case !e.Start.Before(from) && e.Start.Before(until):
			held = append(held, e)
		case !e.Start.Before(until) && len(coming) < reportComing:
			coming = append(coming, e)
		}
	}
	// Events come upcoming first (soonest first), then past (latest
	// first): the held ones read better oldest first.
	for i, j := 0, len(held)-1; i < j; i, j = i+1, j-1 {
		held[i], held[j] = held[j], held[i]
	}
	return held, coming
}

// writeFileAtomic writes data to file through a temporary file in the same
// directory, renamed when complete, so an interrupted write never leaves
// half a report where a good one was.
func writeFileAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".hearth-report-*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
