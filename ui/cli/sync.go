package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"

	"hearth/data/backend"
	"hearth/data/connector"
	"hearth/model"
)

// syncUsage is the help of hearth sync; one line per kind of source, from
// the registry.
func syncUsage() string {
	var b strings.Builder
	b.WriteString("Usage:\n")
	line := func(cmd, what string) { fmt.Fprintf(&b, "  %-37s  %s\n", cmd, what) }
	line("hearth sync [NAME...]", "sync the sources of the config file (all, or those named)")
	for _, k := range backend.Kinds() {
		line("hearth sync "+k.Name+" "+k.Target+"...", k.Help)
	}
	line("hearth sync --status", "show when each source last synced and how it went")
	b.WriteString(`
A sync resumes where the last one stopped, writes each batch atomically, and
can be interrupted at any moment. GitHub tokens come from the environment
variable named in the config (default GITHUB_TOKEN), else from "gh auth token".
`)
	return b.String()
}

func runSync(ctx context.Context, app *App, args []string) error {
	fs := newFlags("sync")
	status := fs.Bool("status", false, "show the state of every source and exit")
	quiet := fs.Bool("quiet", false, "print only errors")
	cfgPath := fs.String("config", "", "configuration `file` (default $XDG_CONFIG_HOME/hearth/config.toml)")
	apiURL := fs.String("api-url", "", "GitHub API root `URL` for hearth sync github (GitHub Enterprise)")
	var g globalFlags
	g.register(fs, "db", "no-color")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", syncUsage(), flagUsages(fs))
			return nil
		}
		return usageErrorf("sync: %v (see hearth sync --help)", err)
	}
	if err := app.applyGlobals(fs, &g); err != nil {
		return err
	}
	if app.Demo {
		return usageErrorf("sync: the demo community cannot be synced; give --db PATH or drop --demo")
	}
	rest := fs.Args()
	if *status {
		if len(rest) > 0 {
			return usageErrorf("sync: --status takes no arguments")
		}
		return syncStatus(ctx, app)
	}
	if *apiURL != "" && (len(rest) == 0 || rest[0] != "github") {
		return usageErrorf("sync: --api-url is for hearth sync github")
	}

	env := app.env()
	cfg, err := env.LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	path, err := app.DBPath()
	if err != nil {
		return err
	}
	if err := backend.CheckSyncable(path); err != nil {
		return err
	}
	var sources []connector.Source
	if len(rest) > 0 && isKind(rest[0]) {
		sources, err = env.TargetSources(ctx, cfg, rest[0], rest[1:], backend.TargetOptions{APIURL: *apiURL})
	} else {
		sources, err = env.Sources(ctx, cfg, rest)
	}
	if err != nil {
		return err
	}
	st, err := env.OpenSync(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()

	isTerm, width := app.terminal()
	var view syncView
	switch {
	case *quiet:
		view = quietView{}
	case isTerm:
		view = newBarView(app.Stderr, sources, width, app.NoColor)
	default:
		view = newLineView(app.Stderr, app.Now)
	}
	results, err := env.Sync(ctx, st, cfg, sources, view.progress)
	view.done()
	if !*quiet {
		for _, r := range results {
			if r.Err == nil {
				app.printf(app.Stderr, "%s: %d items in %d batches, %s\n",
					clean(r.Source), r.Items, r.Batches, roundElapsed(r.Elapsed))
			}
		}
	}
	var serr *backend.SyncError
	if errors.As(err, &serr) && len(serr.Failed) > 1 {
		// One line per failed source, then the verdict.
		for _, err := range serr.Failed {
			app.printf(app.Stderr, "hearth: %s\n", errorLine(err.Error()))
		}
		return fmt.Errorf("sync: %d of %d sources failed", len(serr.Failed), serr.Total)
	}
	return err
}

// isKind reports whether word names a kind of source (hearth sync git …)
// rather than a source of the config file.
func isKind(word string) bool {
	_, ok := backend.LookupKind(word)
	return ok
}

func syncStatus(ctx context.Context, app *App) error {
	path, err := app.DBPath()
	if err != nil {
		return err
	}
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := st.SyncStatus(ctx)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		app.printf(app.Stdout, "%s has never been synced (try hearth sync)\n", path)
		return nil
	}
	now := app.Now()
	ago := func(t time.Time) string { return model.Ago(now, t) }
	cells := [][]string{{"SOURCE", "LAST RUN", "LAST SUCCESS", "ITEMS", "STATUS"}}
	for _, r := range rows {
		state := "ok"
		switch {
		case r.LastError != "":
			state = r.LastError
		case r.LastSuccess.IsZero() || r.LastSuccess.Before(r.LastRun):
			state = "incomplete (will resume)"
		}
		cells = append(cells, []string{clean(r.Source), ago(r.LastRun), ago(r.LastSuccess), itoa(r.Items), clean(state)})
	}
	_, width := app.terminal()
	return renderTable(app.Stdout, cells, []tableCol{{}, {drop: 1}, {drop: 3}, {right: true, drop: 2}, {}}, width)
}

// syncView shows a running sync.
type syncView interface {
	progress(source string, done, total int, what string)
	done()
}

type quietView struct{}

func (quietView) progress(string, int, int, string) {}
func (quietView) done()                             {}

// lineView prints plain progress lines for logs and pipes: one per source
// at most every few seconds, so a long sync shows life without flooding.
type lineView struct {
	w    io.Writer
	now  func() time.Time
	last map[string]time.Time
	// noted is set while a source's note (a rate-limit wait) stands: a log
	// gets its first line, not every second of its countdown.
	noted map[string]bool
}

func newLineView(w io.Writer, now func() time.Time) *lineView {
	return &lineView{w: w, now: now, last: map[string]time.Time{}, noted: map[string]bool{}}
}

const lineEvery = 3 * time.Second

func (v *lineView) progress(source string, done, total int, what string) {
	if done == backend.ProgressNote {
		if !v.noted[source] {
			v.noted[source] = true
			fmt.Fprintf(v.w, "%s: %s\n", clean(source), clean(what))
		}
		return
	}
	v.noted[source] = false
	t := v.now()
	if last, ok := v.last[source]; ok && t.Sub(last) < lineEvery && (total == 0 || done < total) {
		return
	}
	v.last[source] = t
	if total > 0 {
		fmt.Fprintf(v.w, "%s: %d/%d %s\n", clean(source), done, total, clean(what))
	} else {
		fmt.Fprintf(v.w, "%s: %d %s\n", clean(source), done, clean(what))
	}
}

func (v *lineView) done() {}

// barView draws one progress bar per source on a terminal, redrawn in place.
type barView struct {
	mu      sync.Mutex
	w       io.Writer
	width   int // lines are cut to it: a wrapped line would break the redraw
	noColor bool
	bar     progress.Model
	order   []string
	rows    map[string]*barRow
	drawn   int // lines drawn last time, to move back over them
	last    time.Time
	label   int // width of the source names, so the bars line up
}

type barRow struct {
	done, total int
	what        string
	note        string // shown instead of what and the rate while set
	start       time.Time
}

func newBarView(w io.Writer, sources []connector.Source, width int, noColor bool) *barView {
	v := &barView{w: w, width: width, noColor: noColor, rows: map[string]*barRow{}}
	name := 0
	for _, s := range sources {
		v.order = append(v.order, s.Name())
		v.rows[s.Name()] = &barRow{}
		name = max(name, ansi.StringWidth(clean(s.Name())))
	}
	v.label = min(name, 30)
	barWidth := min(40, max(10, width-v.label-40))
	v.bar = progress.New(progress.WithWidth(barWidth), progress.WithoutPercentage())
	return v
}

// barRedraw caps redraws: progress may arrive thousands of times a second.
const barRedraw = 100 * time.Millisecond

func (v *barView) progress(source string, done, total int, what string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	r, ok := v.rows[source]
	if !ok {
		r = &barRow{}
		v.rows[source] = r
		v.order = append(v.order, source)
	}
	if r.start.IsZero() {
		r.start = time.Now()
	}
	if done == backend.ProgressNote {
		// Notes are rare and each one counts (a countdown's seconds): no
		// throttle.
		r.note = what
		v.draw()
		return
	}
	r.done, r.total, r.what, r.note = done, total, what, ""
	if time.Since(v.last) < barRedraw {
		return
	}
	v.draw()
}

func (v *barView) done() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.draw()
}

func (v *barView) draw() {
	v.last = time.Now()
	var b strings.Builder
	if v.drawn > 0 {
		b.WriteString(ansi.CursorUp(v.drawn))
	}
	for _, name := range v.order {
		r := v.rows[name]
		pct := 0.0
		if r.total > 0 {
			pct = min(1, float64(r.done)/float64(r.total))
		}
		bar := v.bar.ViewAs(pct)
		if v.noColor {
			bar = ansi.Strip(bar)
		}
		if r.total == 0 {
			// Without a total (git counts commits up front only when
			// that is cheap) an empty bar would say "nothing done".
			bar = strings.Repeat(" ", ansi.StringWidth(bar))
		}
		count := itoa(r.done)
		if r.total > 0 {
			count += "/" + itoa(r.total)
		}
		label := ansi.Truncate(clean(name), v.label, "…")
		label += strings.Repeat(" ", max(0, v.label-ansi.StringWidth(label)))
		line := label + " " + bar + " " + count + " " + clean(r.what)
		if el := time.Since(r.start).Seconds(); !r.start.IsZero() && el > 0.5 {
			line += fmt.Sprintf(" %.0f/s", float64(r.done)/el)
		}
		if r.note != "" {
			// The note is why the bar stands still; it needs the room.
			line = label + " " + count + " " + clean(r.note)
		}
		if v.width > 1 {
			// One column spare: a line that fills the last column makes
			// some terminals wrap.
			line = ansi.Truncate(line, v.width-1, "…")
		}
		b.WriteString("\r" + ansi.EraseEntireLine + line + "\n")
	}
	v.drawn = len(v.order)
	io.WriteString(v.w, b.String())
}

// roundElapsed keeps two significant digits or so: "1.2s", "40ms".
func roundElapsed(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
