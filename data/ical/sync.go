package ical

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"hearth/data/connector"
)

// cursor is what a feed's sync_state.cursor holds, as JSON.
type cursor struct {
	// Hash identifies the feed's content and Window the recurrence window
	// it was expanded over (the month it starts from).
	Hash   string `json:"hash,omitempty"`
	Window string `json:"window,omitempty"`
	// Done is set once every event of Hash is stored; until then Next is
	// how many of its events (in UID order) are.
	Done bool `json:"done,omitempty"`
	Next int  `json:"next,omitempty"`
	// Known lists every UID of this feed that may be in the store, with
	// the start (Unix seconds) of recurrence occurrences and 0 for the
	// other events: the UIDs a new version of the feed no longer has are
	// removed.
	Known map[string]int64 `json:"known,omitempty"`
}

func parseCursor(s string) cursor {
	var c cursor
	if s != "" && json.Unmarshal([]byte(s), &c) != nil {
		c = cursor{} // from an older format: read the feed again
	}
	if c.Known == nil {
		c.Known = map[string]int64{}
	}
	return c
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// window is the span recurrences are expanded over: a year back and a
// year ahead of the month of now. It moves once a month, so a feed is
// read again (unconditionally) at most monthly when it does not change.
func window(now time.Time) (from, to time.Time, name string) {
	now = now.UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return month.AddDate(-1, 0, 0), month.AddDate(1, 1, 0), month.Format("2006-01")
}

// Sync reads the feed and emits its events in batches of at most
// BatchSize, in UID order. A feed whose content and window are those of
// the last complete run emits nothing, and neither does a 304. The last
// batch removes the events the feed no longer has (cancelled or deleted),
// except occurrences that merely fell behind the window, and saves the
// HTTP validators: a run stopped before it resumes where it stood, or
// starts over when the feed changed meanwhile.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.stats = Stats{Skipped: map[string]int{}}
	cur := parseCursor(state.Cursor)
	from, to, win := window(s.opts.Now())
	conditional := state.Cursor != "" && cur.Done && cur.Window == win
	f, err := s.fetch(ctx, state, conditional)
	if err != nil {
		return err
	}
	if f.notModified {
		s.progress(state, 0)
		return nil
	}
	sum := sha256.Sum256(f.body)
	hash := hex.EncodeToString(sum[:16])
	p := &parser{where: s.target, floating: s.opts.Zone, from: from, to: to, skipped: s.stats.Skipped}
	items, err := p.parse(f.body)
	if err != nil {
		return err
	}
	s.stats.Events = len(items)
	if cur.Done && cur.Hash == hash && cur.Window == win {
		// Same content: only a changed validator is worth saving.
		if s.url != "" && state.Validator != nil && state.Validator(s.url) != f.validator {
			if err := emit(connector.Batch{Cursor: state.Cursor, Validators: map[string]connector.Validator{s.url: f.validator}}); err != nil {
				return err
			}
		}
		s.progress(state, len(items))
		return nil
	}
	next := 0
	if !cur.Done && cur.Hash == hash && cur.Window == win && cur.Next <= len(items) {
		next = cur.Next // resume the interrupted run
	}
	known := cur.Known
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(next+s.opts.BatchSize, len(items))
		b := connector.Batch{Items: end - next}
		for _, it := range items[next:end] {
			it.ev.Source = s.Name()
			b.Events = append(b.Events, it.ev)
			known[it.ev.UID] = knownStart(it)
		}
		c := cursor{Hash: hash, Window: win, Next: end, Known: known}
		if end == len(items) {
			b.RemovedEvents, c.Known = removals(known, items, from)
			c.Done, c.Next = true, 0
			if s.url != "" {
				b.Validators = map[string]connector.Validator{s.url: f.validator}
			}
		}
		b.Cursor = c.String()
		if err := emit(b); err != nil {
			return err
		}
		if state.Progress != nil && end < len(items) {
			state.Progress(end, len(items), "events")
		}
		if end == len(items) {
			break
		}
		next = end
	}
	s.progress(state, len(items))
	return nil
}

func knownStart(it item) int64 {
	if it.occurrence {
		return it.ev.Start.Unix()
	}
	return 0
}

// removals lists the known UIDs the feed no longer has, sorted, and the
// UIDs to know from now on: the feed's. An occurrence that fell behind the
// window start is neither removed nor known any more: it stays as history.
func removals(known map[string]int64, items []item, from time.Time) ([]string, map[string]int64) {
	now := make(map[string]int64, len(items))
	for _, it := range items {
		now[it.ev.UID] = knownStart(it)
	}
	var gone []string
	for uid, start := range known {
		if _, ok := now[uid]; ok {
			continue
		}
		if start != 0 && start < from.Unix() {
			continue
		}
		gone = append(gone, uid)
	}
	sort.Strings(gone)
	return gone, now
}

// progress reports the run's last line: events read and skips by reason.
func (s *Source) progress(state connector.SyncState, n int) {
	if state.Progress == nil {
		return
	}
	what := fmt.Sprintf("%d events", n)
	if k := s.stats.SkippedTotal(); k > 0 {
		var parts []string
		for _, r := range slices.Sorted(maps.Keys(s.stats.Skipped)) {
			parts = append(parts, fmt.Sprintf("%d %s", s.stats.Skipped[r], r))
		}
		what += fmt.Sprintf(", %d skipped (%s)", k, strings.Join(parts, ", "))
	}
	state.Progress(n, n, what)
}
