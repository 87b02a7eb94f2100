package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"

	"hearth/config"
	"hearth/data"
	"hearth/data/git"
	"hearth/data/github"
	"hearth/model"
)

const syncUsage = `Usage:
  hearth sync [NAME...]                  sync the sources of the config file (all, or those named)
  hearth sync git PATH...                sync local git repositories
  hearth sync github OWNER/REPO... [--api-url URL]
                                         sync GitHub repositories
  hearth sync --status                   show when each source last synced and how it went

A sync resumes where the last one stopped, writes each batch atomically, and
can be interrupted at any moment. GitHub tokens come from the environment
variable named in the config (default GITHUB_TOKEN), else from "gh auth token".
`

// syncCacheMiB is the page cache for a sync: the activity key index of a
// large community then stays in memory during the upserts.
const syncCacheMiB = 64

func runSync(ctx context.Context, app *App, args []string) error {
	fs := pflag.NewFlagSet("sync", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	status := fs.Bool("status", false, "show the state of every source and exit")
	quiet := fs.Bool("quiet", false, "print only errors")
	cfgPath := fs.String("config", "", "configuration `file` (default $XDG_CONFIG_HOME/hearth/config.toml)")
	apiURL := fs.String("api-url", "", "GitHub API root `URL` for hearth sync github (GitHub Enterprise)")
	var g globalFlags
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", syncUsage, fs.FlagUsages())
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

	cfg, err := app.loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	sources, err := app.syncSources(ctx, cfg, rest, *apiURL)
	if err != nil {
		return err
	}

	path, err := app.DBPath()
	if err != nil {
		return err
	}
	st, err := data.Open(ctx, path, data.Options{CacheMiB: syncCacheMiB})
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
	results := st.Sync(ctx, sources, data.SyncOptions{
		OnProgress: view.progress,
		Now:        app.Now,
		Rules:      cfg.Rules(),
		People:     cfg.PeopleRules(),
	})
	view.done()
	var failed []error
	for _, r := range results {
		if r.Err == nil {
			if !*quiet {
				app.printf(app.Stderr, "%s: %d items in %d batches, %s\n",
					clean(r.Source), r.Items, r.Batches, roundElapsed(r.Elapsed))
			}
			continue
		}
		if errors.Is(r.Err, context.Canceled) {
			continue // reported once, as "interrupted", by the exit
		}
		failed = append(failed, r.Err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch len(failed) {
	case 0:
		return nil
	case 1:
		return failed[0]
	}
	// One line per failed source, then the verdict.
	for _, err := range failed {
		app.printf(app.Stderr, "hearth: %s\n", errorLine(err.Error()))
	}
	return fmt.Errorf("sync: %d of %d sources failed", len(failed), len(sources))
}

// loadConfig reads --config, else the default file; a missing file is the
// defaults.
func (a *App) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		var err error
		if path, err = config.DefaultPath(a.Getenv); err != nil {
			return nil, err
		}
	}
	return config.Load(path)
}

// syncSources builds the connectors a sync command line asks for.
func (a *App) syncSources(ctx context.Context, cfg *config.Config, args []string, apiURL string) ([]data.Source, error) {
	// The config's bot patterns are regular expressions; both connectors
	// take slashed patterns as such (anything else is a substring for git,
	// a glob for GitHub).
	var bots []string
	for _, p := range cfg.Bots {
		bots = append(bots, "/"+p+"/")
	}
	gitOpts := func(g config.Git) git.Options {
		return git.Options{Branch: g.Branch, DisplayName: g.Name, Bots: bots}
	}
	var out []data.Source
	if len(args) > 0 && (args[0] == "git" || args[0] == "github") {
		kind, targets := args[0], args[1:]
		if len(targets) == 0 {
			return nil, usageErrorf("sync %s: name at least one %s", kind, map[string]string{"git": "PATH", "github": "OWNER/REPO"}[kind])
		}
		for _, t := range targets {
			var src data.Source
			var err error
			if kind == "git" {
				src, err = newGit(t, gitOpts(config.Git{Path: t}))
			} else {
				src, err = a.githubSource(ctx, config.GitHub{Repo: t, APIURL: apiURL, TokenEnv: config.DefaultTokenEnv}, bots)
			}
			if err != nil {
				return nil, fmt.Errorf("sync %s %s: %w", kind, t, err)
			}
			out = append(out, src)
		}
		return out, nil
	}
	want := map[string]bool{}
	for _, n := range args {
		want[n] = true
	}
	used := map[string]bool{}
	pick := func(names ...string) bool {
		if len(want) == 0 {
			return true
		}
		for _, n := range names {
			if want[n] {
				used[n] = true
				return true
			}
		}
		return false
	}
	for _, g := range cfg.Git {
		if !pick(g.Name, g.Path) {
			continue
		}
		src, err := newGit(g.Path, gitOpts(g))
		if err != nil {
			return nil, fmt.Errorf("sync git %s: %w", g.Name, err)
		}
		out = append(out, src)
	}
	for _, g := range cfg.GitHub {
		if !pick(g.Name, g.Repo) {
			continue
		}
		src, err := a.githubSource(ctx, g, bots)
		if err != nil {
			return nil, fmt.Errorf("sync github %s: %w", g.Name, err)
		}
		out = append(out, src)
	}
	for n := range want {
		if !used[n] {
			return nil, usageErrorf("sync: no source named %q in %s", n, configName(cfg))
		}
	}
	if len(out) == 0 {
		return nil, usageErrorf("sync: nothing to sync: %s lists no sources (try hearth config init, or hearth sync git PATH)", configName(cfg))
	}
	return out, nil
}

// newGit returns the git connector as a data.Source (a nil *git.Source
// must not become a non-nil interface).
func newGit(path string, opts git.Options) (data.Source, error) {
	src, err := git.New(path, opts)
	if err != nil {
		return nil, err
	}
	return src, nil
}

func configName(cfg *config.Config) string {
	if cfg.Path == "" {
		return "the config file (there is none)"
	}
	return cfg.Path
}

// githubSource builds the GitHub connector of g; bots are extra bot
// patterns in github.Options.BotPatterns syntax.
func (a *App) githubSource(ctx context.Context, g config.GitHub, bots []string) (data.Source, error) {
	return newGitHub(g.Repo, github.Options{
		APIURL:         g.APIURL,
		Token:          a.githubToken(ctx, g.TokenEnv),
		QuestionLabels: g.QuestionLabels,
		BotPatterns:    bots,
		Now:            a.Now,
	})
}

// newGitHub returns the GitHub connector with its rate-limit waits turned
// into progress notes, so every front end (bars, log lines, the TUI's
// status line) shows why a sync stands still and until when.
func newGitHub(repo string, opts github.Options) (data.Source, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &rateWait{now: opts.Now, tick: time.Second}
	opts.OnWait = w.wait
	src, err := github.New(repo, opts)
	if err != nil {
		return nil, err
	}
	return &githubWithWaits{Source: src, waits: w}, nil
}

// githubWithWaits is a GitHub source whose rate-limit waits are reported
// through the run's progress callback.
type githubWithWaits struct {
	*github.Source
	waits *rateWait
}

func (s *githubWithWaits) Sync(ctx context.Context, state data.SyncState, emit func(data.Batch) error) error {
	s.waits.begin(ctx, state.Progress)
	defer s.waits.end()
	if state.Progress != nil {
		state.Progress = s.waits.report
	}
	return s.Source.Sync(ctx, state, emit)
}

// progressNote is the done value of a progress report that is a note with
// no count: what says it all ("rate limited by GitHub, resuming in 42s (at
// 15:04:05)"). Views keep the source's last count and show the note in
// place of its status until the next ordinary report.
const progressNote = -1

// rateWait shows a rate-limit wait as a countdown: one note when the wait
// starts, then one every tick until the wait ends, the connector reports
// progress again, the run ends or its context is cancelled.
type rateWait struct {
	now  func() time.Time
	tick time.Duration

	mu       sync.Mutex
	ctx      context.Context
	progress func(done, total int, what string) // of the running Sync; nil between runs
	stop     chan struct{}                      // closed to end the countdown; nil when none runs
	ticker   sync.WaitGroup
}

func (w *rateWait) begin(ctx context.Context, progress func(done, total int, what string)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx, w.progress = ctx, progress
}

// end stops the countdown and waits for its goroutine, so that no note
// arrives after Sync has returned.
func (w *rateWait) end() {
	w.mu.Lock()
	w.stopCountdown()
	w.ctx, w.progress = nil, nil
	w.mu.Unlock()
	w.ticker.Wait()
}

// report forwards the connector's progress: the wait, if any, is over.
func (w *rateWait) report(done, total int, what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopCountdown()
	if w.progress != nil {
		w.progress(done, total, what)
	}
}

// wait is github.Options.OnWait: the connector is about to sit until until.
func (w *rateWait) wait(until time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopCountdown()
	if w.progress == nil {
		return
	}
	w.note(until)
	if until.Sub(w.now()) <= 0 {
		return
	}
	stop := make(chan struct{})
	w.stop = stop
	ctx := w.ctx
	w.ticker.Add(1)
	go func() {
		defer w.ticker.Done()
		t := time.NewTicker(w.tick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			w.mu.Lock()
			// A report or a newer wait may have come in while this tick
			// waited for the lock.
			if w.stop != stop {
				w.mu.Unlock()
				return
			}
			w.note(until)
			if until.Sub(w.now()) <= 0 {
				w.stop = nil
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
		}
	}()
}

// note reports the wait; w.mu is held.
func (w *rateWait) note(until time.Time) {
	left := max(until.Sub(w.now()), 0).Round(time.Second)
	w.progress(progressNote, 0, fmt.Sprintf("rate limited by GitHub, resuming in %s (at %s)",
		left, until.Local().Format("15:04:05")))
}

// stopCountdown ends the running countdown, if any; w.mu is held.
func (w *rateWait) stopCountdown() {
	if w.stop != nil {
		close(w.stop)
		w.stop = nil
	}
}

// githubToken finds a token without ever reading one from a file: the
// variable the config names, then GITHUB_TOKEN, then the gh CLI's login.
// Empty means anonymous.
func (a *App) githubToken(ctx context.Context, env string) string {
	for _, name := range []string{env, config.DefaultTokenEnv} {
		if name == "" {
			continue
		}
		if t := strings.TrimSpace(a.Getenv(name)); t != "" {
			return t
		}
	}
	gh, err := exec.LookPath("gh")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, gh, "auth", "token").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
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
	return renderTable(app.Stdout, cells, []bool{false, false, false, true, false}, width)
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
	if done == progressNote {
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

func newBarView(w io.Writer, sources []data.Source, width int, noColor bool) *barView {
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
	if done == progressNote {
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
