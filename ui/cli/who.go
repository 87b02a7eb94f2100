package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hearth/data/store"
	"hearth/model"
)

const whoUsage = `Usage: hearth who QUERY... [--path P]... [--before DATE] [--limit N] [--format table|csv|json]

Who knows a topic, a directory or a file, best first, each with the evidence:
what they did there and when. QUERY is words (a topic from the config's
[topics], a label, a category, or the name of a directory or file) and/or
paths (anything with a slash). Bots and people flagged do-not-contact are
never suggested; lapsed people are marked and ranked lower.

--before answers from the activity before that date only, as the history
stood then (from monthly tables kept by sync, plus the activities of the
date's own month).
`

// whoRecord is one suggestion as printed; its JSON keys are the CSV header.
type whoRecord struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Handles  []string `json:"handles"`
	Emails   []string `json:"emails"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence"`
	Lapsed   bool     `json:"lapsed"`
	Flags    []string `json:"flags"`
}

func newWhoRecord(e *store.Expert) whoRecord {
	r := whoRecord{ID: e.ID, Name: clean(e.Name), Handles: cleanList(e.Handles), Emails: cleanList(e.Emails),
		Score: float64(int64(e.Score*1000+0.5)) / 1000, Evidence: cleanList(e.Evidence), Lapsed: e.Lapsed,
		Flags: cleanList(e.Flags)}
	// Lists are [] rather than null in JSON: a script iterates them.
	for _, l := range []*[]string{&r.Handles, &r.Emails, &r.Evidence, &r.Flags} {
		if *l == nil {
			*l = []string{}
		}
	}
	return r
}

func whoColumns() []column[whoRecord] {
	return []column[whoRecord]{
		{name: "id", text: func(r *whoRecord) string { return itoa(int(r.ID)) }},
		{name: "name", title: "NAME", least: 16, text: func(r *whoRecord) string {
			s := r.Name
			if r.Lapsed {
				s += " (lapsed)"
			}
			return s
		}},
		{name: "handles", title: "HANDLES", drop: 2, text: func(r *whoRecord) string { return strings.Join(r.Handles, " ") }},
		{name: "emails", text: func(r *whoRecord) string { return strings.Join(r.Emails, " ") }},
		{name: "score", title: "SCORE", right: true, drop: 3, text: func(r *whoRecord) string {
			return strconv.FormatFloat(r.Score, 'f', 3, 64)
		}},
		{name: "lapsed", text: func(r *whoRecord) string { return boolText(r.Lapsed) }},
		{name: "flags", title: "FLAGS", drop: 1, text: func(r *whoRecord) string { return strings.Join(r.Flags, " ") }},
		{name: "evidence", title: "EVIDENCE", text: func(r *whoRecord) string { return strings.Join(r.Evidence, "; ") }},
	}
}

// parseBefore reads --before: a date (midnight UTC) or an RFC 3339 time.
func parseBefore(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func runWho(ctx context.Context, app *App, args []string) error {
	fs := newFlags("who")
	paths := fs.StringArray("path", nil, "a file or directory `P` to ask about (repeatable)")
	before := fs.String("before", "", "answer from activity before `DATE` (YYYY-MM-DD or RFC 3339)")
	limit := fs.Int("limit", 10, "suggest at most `n` people")
	format := fs.String("format", "", "output `format`: table, csv or json (default table on a terminal, csv otherwise)")
	if help, err := app.parseCommand("who", whoUsage, fs, args); err != nil || help {
		return err
	}
	f := strings.ToLower(*format)
	switch f {
	case "":
		f = formatCSV
		if tty, _ := app.terminal(); tty {
			f = formatTable
		}
	case formatTable, formatCSV, formatJSON:
	default:
		return usageErrorf("who: unknown format %q (choose table, csv or json)", *format)
	}
	if *limit <= 0 {
		return usageErrorf("who: --limit must be 1 or more")
	}
	var q store.WhoQuery
	q.Limit = *limit
	if *before != "" {
		t, err := parseBefore(*before)
		if err != nil {
			return usageErrorf("who: --before %q: want a date like 2025-01-31 or a time like 2025-01-31T12:00:00Z", *before)
		}
		q.Before = t
	}
	words, typed := model.QueryWords(fs.Args())
	for _, p := range append(typed, *paths...) {
		if strings.TrimSpace(p) != "" {
			q.Paths = append(q.Paths, p)
		}
	}
	if len(words) == 0 && len(q.Paths) == 0 {
		if fs.NArg() > 0 {
			return usageErrorf("who: %q names no topic or path (only common words); try a topic such as storage", strings.Join(fs.Args(), " "))
		}
		return usageErrorf("who: say what to look for: a topic, a directory or a file (see hearth who --help)")
	}
	rules := model.DefaultRules()
	var topics model.TopicMap
	if cfg, err := app.env().LoadConfig(""); err == nil {
		rules, topics = cfg.Rules(), cfg.TopicMap()
	}
	expanded, words := topics.Expand(words)
	q.Paths, q.Words = append(q.Paths, expanded...), words

	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	now := app.Now().UTC()
	if err := st.EnsureExpertise(ctx, now, rules); err != nil {
		return err
	}
	experts, err := st.WhoKnows(ctx, q, now, rules)
	if err != nil {
		return err
	}
	if len(experts) == 0 {
		if err := whoHint(ctx, app, st, q, topics); err != nil {
			return err
		}
	}
	return writeWho(app, f, experts)
}

// whoHint says on stderr that nobody was found, with the closest topics
// and names, so a typo is one step from the answer.
func whoHint(ctx context.Context, app *App, st *store.Store, q store.WhoQuery, topics model.TopicMap) error {
	names, err := st.ExpertNames(ctx)
	if err != nil {
		return err
	}
	names = append(names, topics.Names()...)
	var close []string
	for _, w := range append(q.Words, q.Paths...) {
		for _, c := range model.Closest(strings.Trim(w, "/"), names, 5) {
			if !containsString(close, c) {
				close = append(close, c)
			}
		}
	}
	asked := strings.Join(append(append([]string{}, q.Words...), q.Paths...), " ")
	if len(close) == 0 {
		app.printf(app.Stderr, "hearth: nobody found for %q\n", clean(asked))
		return nil
	}
	app.printf(app.Stderr, "hearth: nobody found for %q; closest topics: %s\n", clean(asked), clean(strings.Join(close, ", ")))
	return nil
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func writeWho(app *App, format string, experts []store.Expert) error {
	bw := bufio.NewWriter(app.Stdout)
	recs := make([]whoRecord, len(experts))
	for i := range experts {
		recs[i] = newWhoRecord(&experts[i])
	}
	var err error
	switch format {
	case formatJSON:
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(recs)
	case formatCSV:
		out := newCSVWriter(bw, whoColumns())
		for i := range recs {
			if err = out.write(&recs[i]); err != nil {
				break
			}
		}
		if err == nil {
			err = out.close()
		}
	default:
		width := 0
		if tty, wd := app.terminal(); tty {
			width = wd
		}
		err = writeTable(bw, whoColumns(), recs, width)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// topicMap is the config's [topics] for the interactive view; none when
// the config does not load (the commands that need it report why).
func (a *App) topicMap() model.TopicMap {
	if cfg, err := a.env().LoadConfig(""); err == nil {
		return cfg.TopicMap()
	}
	return nil
}
