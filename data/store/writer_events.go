package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/model"
)

// Events planned in hearth (source 'hearth') and the plans attached to
// any event by its UID: speakers, tasks, budget lines, attendees. Every
// write goes through the journal like a triage, so Undo reverts it, and
// edits state the version they read. Synced events (source 'ical:<feed>')
// are never written here: they can carry plans, but only their feed
// changes or removes them.

// PlannedSource is the source of the events planned in hearth.
const PlannedSource = "hearth"

// EventPlan is an event as a person plans it: everything the events table
// holds for it. Times are instants; Zone is the IANA time zone the event
// is planned in ("" for UTC).
type EventPlan struct {
	UID         string
	Source      string // read only: PlannedSource or the feed's source
	Name        string
	Kind        string
	Place       string
	URL         string
	Description string
	Start, End  time.Time
	Zone        string
	CFPOpens    time.Time
	CFPCloses   time.Time
	CFPURL      string
	Capacity    int64 // 0: not set
	Version     int64 // the version read; 0 for a new event
}

// nullUnixTime is a time as Unix seconds, NULL when zero.
type nullUnixTime int64

func (t *nullUnixTime) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*t = nullUnixTime(n.Int64)
	return nil
}

func (t nullUnixTime) Value() (driver.Value, error) {
	if t == 0 {
		return nil, nil
	}
	return int64(t), nil
}

func unixOf(t time.Time) nullUnixTime {
	if t.IsZero() {
		return 0
	}
	return nullUnixTime(t.Unix())
}

func timeOf(t nullUnixTime) time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.Unix(int64(t), 0).UTC()
}

type uidRef struct {
	UID string `json:"uid"`
}

type eventRow struct {
	Name        string       `json:"name"`
	Kind        string       `json:"kind"`
	Place       string       `json:"place"`
	URL         string       `json:"url"`
	Description string       `json:"description"`
	Starts      int64        `json:"starts"`
	Ends        nullUnixTime `json:"ends"`
	Zone        string       `json:"tz"`
	CFPOpens    nullUnixTime `json:"cfp_opens"`
	CFPDeadline nullUnixTime `json:"cfp_deadline"`
	CFPURL      string       `json:"cfp_url"`
	Capacity    nullUnixTime `json:"capacity"` // an integer, NULL when 0
}

func eventRowOf(p *EventPlan) *eventRow {
	return &eventRow{Name: p.Name, Kind: p.Kind, Place: p.Place, URL: p.URL, Description: p.Description,
		Starts: p.Start.Unix(), Ends: unixOf(p.End), Zone: p.Zone, CFPOpens: unixOf(p.CFPOpens),
		CFPDeadline: unixOf(p.CFPCloses), CFPURL: p.CFPURL, Capacity: nullUnixTime(p.Capacity)}
}

func (r *eventRow) plan(uid, source string, version int64) EventPlan {
	return EventPlan{UID: uid, Source: source, Name: r.Name, Kind: r.Kind, Place: r.Place, URL: r.URL,
		Description: r.Description, Start: time.Unix(r.Starts, 0).UTC(), End: timeOf(r.Ends), Zone: r.Zone,
		CFPOpens: timeOf(r.CFPOpens), CFPCloses: timeOf(r.CFPDeadline), CFPURL: r.CFPURL,
		Capacity: int64(r.Capacity), Version: version}
}

const eventRowCols = `name, kind, place, url, description, starts, ends, tz, cfp_opens, cfp_deadline, cfp_url, capacity`

func (r *eventRow) scan(sc interface{ Scan(...any) error }, extra ...any) error {
	return sc.Scan(append([]any{&r.Name, &r.Kind, &r.Place, &r.URL, &r.Description, &r.Starts, &r.Ends,
		&r.Zone, &r.CFPOpens, &r.CFPDeadline, &r.CFPURL, &r.Capacity}, extra...)...)
}

// eventsTable: the events planned in hearth, by UID. A synced event is
// not one of its records: load does not see it and save never writes it.
var eventsTable = typedTable[uidRef, eventRow]{
	name: "events",
	load: func(ctx context.Context, tx execer, k uidRef) (*eventRow, int64, error) {
		var r eventRow
		var version int64
		err := r.scan(tx.QueryRowContext(ctx, "SELECT "+eventRowCols+", version FROM events WHERE uid = ? AND source = ?",
			k.UID, PlannedSource), &version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		return &r, version, nil
	},
	save: func(ctx context.Context, tx execer, k uidRef, r *eventRow, _ int64) error {
		if r == nil {
			_, err := tx.ExecContext(ctx, "DELETE FROM events WHERE uid = ? AND source = ?", k.UID, PlannedSource)
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO events(uid, source, `+eventRowCols+`, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT(uid) DO UPDATE SET name = excluded.name, kind = excluded.kind, place = excluded.place,
				url = excluded.url, description = excluded.description, starts = excluded.starts, ends = excluded.ends,
				tz = excluded.tz, cfp_opens = excluded.cfp_opens, cfp_deadline = excluded.cfp_deadline,
				cfp_url = excluded.cfp_url, capacity = excluded.capacity, version = events.version + 1
			WHERE events.source = excluded.source`,
			k.UID, PlannedSource, r.Name, r.Kind, r.Place, r.URL, r.Description, r.Starts, r.Ends, r.Zone,
			r.CFPOpens, r.CFPDeadline, r.CFPURL, r.Capacity)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return fmt.Errorf("event %s is synced from a feed: hearth does not change it", k.UID)
		}
		return nil
	},
}

// eventSource returns the source of the event uid, "" when there is none.
func eventSource(ctx context.Context, tx execer, uid string) (string, error) {
	var src string
	err := tx.QueryRowContext(ctx, "SELECT source FROM events WHERE uid = ?", uid).Scan(&src)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return src, err
}

// EventPlan returns the event uid (planned or synced) as a plan.
func (s *Store) EventPlan(ctx context.Context, uid string) (EventPlan, error) {
	var r eventRow
	var src string
	var version int64
	err := r.scan(s.db.QueryRowContext(ctx, "SELECT "+eventRowCols+", source, version FROM events WHERE uid = ?", uid), &src, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return EventPlan{}, fmt.Errorf("event %s: %w", uid, ErrNotFound)
	}
	if err != nil {
		return EventPlan{}, fmt.Errorf("read event %s: %w", uid, friendly(err))
	}
	return r.plan(uid, src, version), nil
}

// newUID returns a fresh, globally unique event UID.
func newUID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]) + "@hearth", nil
}

// validEvent checks what every planned event needs.
func validEvent(p *EventPlan) error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("an event needs a name")
	}
	if p.Start.IsZero() {
		return errors.New("an event needs a start")
	}
	if !p.End.IsZero() && !p.End.After(p.Start) {
		return errors.New("the end must be after the start")
	}
	if !p.CFPOpens.IsZero() && !p.CFPCloses.IsZero() && !p.CFPCloses.After(p.CFPOpens) {
		return errors.New("the call for papers must close after it opens")
	}
	if _, err := model.EventZone(p.Zone); err != nil {
		return err
	}
	if p.Capacity < 0 {
		return errors.New("the capacity cannot be negative")
	}
	return nil
}

// AddEvent plans a new event and returns its UID: p.UID, or a new one
// when it is empty.
func (w *Writer) AddEvent(ctx context.Context, p EventPlan) (string, error) {
	if err := validEvent(&p); err != nil {
		return "", fmt.Errorf("add event: %w", err)
	}
	if p.UID == "" {
		uid, err := newUID()
		if err != nil {
			return "", fmt.Errorf("add event: %w", err)
		}
		p.UID = uid
	}
	err := w.write(ctx, "add event "+p.UID, func(c *change) error {
		src, err := eventSource(ctx, c.tx, p.UID)
		if err != nil {
			return err
		}
		if src != "" {
			return fmt.Errorf("there already is an event %s", p.UID)
		}
		return put(c, eventsTable, uidRef{p.UID}, nil, eventRowOf(&p))
	})
	return p.UID, err
}

// EditEvent replaces the planned event p.UID with p; p.Version is the
// version the caller read. A synced event cannot be edited.
func (w *Writer) EditEvent(ctx context.Context, p EventPlan) error {
	if err := validEvent(&p); err != nil {
		return fmt.Errorf("edit event %s: %w", p.UID, err)
	}
	return w.write(ctx, "edit event "+p.UID, func(c *change) error {
		before, version, err := plannedEvent(c, p.UID)
		if err != nil {
			return err
		}
		if version != p.Version {
			return ErrConflict
		}
		return put(c, eventsTable, uidRef{p.UID}, before, eventRowOf(&p))
	})
}

// plannedEvent loads the planned event uid, with an error saying why when
// there is none or it is synced.
func plannedEvent(c *change, uid string) (*eventRow, int64, error) {
	src, err := eventSource(c.ctx, c.tx, uid)
	if err != nil {
		return nil, 0, err
	}
	switch src {
	case "":
		return nil, 0, fmt.Errorf("event %s: %w", uid, ErrNotFound)
	case PlannedSource:
	default:
		return nil, 0, fmt.Errorf("event %s is synced from %s: hearth does not change it", uid, src)
	}
	return eventsTable.load(c.ctx, c.tx, uidRef{uid})
}

// DeleteEvent deletes the planned event uid with all its plans, as one
// change that Undo reverts whole. A synced event is refused: only its
// feed removes it (its plans may be deleted one by one).
func (w *Writer) DeleteEvent(ctx context.Context, uid string) error {
	return w.write(ctx, "delete event "+uid, func(c *change) error {
		before, _, err := plannedEvent(c, uid)
		if err != nil {
			return err
		}
		for _, t := range []planTable{speakersTable, tasksTable, budgetTable, attendeesTable} {
			ids, err := t.ids(c, uid)
			if err != nil {
				return err
			}
			for _, id := range ids {
				r, _, err := t.typed().load(ctx, c.tx, idRef{id})
				if err != nil {
					return err
				}
				if err := put(c, t.typed(), idRef{id}, r, nil); err != nil {
					return err
				}
			}
		}
		return put(c, eventsTable, uidRef{uid}, before, nil)
	})
}

// ImportEvents adds or updates planned events by UID, as one change.
// Only the events' own fields are written: the plans attached to them are
// never touched. An event that exists as a synced event is left alone and
// counted in skipped.
func (w *Writer) ImportEvents(ctx context.Context, name string, evs []EventPlan) (added, updated, skipped int, err error) {
	for i := range evs {
		if evs[i].UID == "" {
			return 0, 0, 0, fmt.Errorf("import %s: event %q has no UID", name, evs[i].Name)
		}
		if err := validEvent(&evs[i]); err != nil {
			return 0, 0, 0, fmt.Errorf("import %s: event %s: %w", name, evs[i].UID, err)
		}
	}
	err = w.write(ctx, "import events from "+name, func(c *change) error {
		added, updated, skipped = 0, 0, 0
		for i := range evs {
			p := &evs[i]
			src, err := eventSource(ctx, c.tx, p.UID)
			if err != nil {
				return err
			}
			if src != "" && src != PlannedSource {
				skipped++
				continue
			}
			before, _, err := eventsTable.load(ctx, c.tx, uidRef{p.UID})
			if err != nil {
				return err
			}
			after := eventRowOf(p)
			if before != nil && *before == *after {
				continue
			}
			if before == nil {
				added++
			} else {
				updated++
			}
			if err := put(c, eventsTable, uidRef{p.UID}, before, after); err != nil {
				return err
			}
		}
		return nil
	})
	return added, updated, skipped, err
}
