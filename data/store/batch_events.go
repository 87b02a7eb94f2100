package store

import (
	"context"
	"fmt"

	"hearth/model"
)

// Synced events (iCalendar feeds), written inside applyBatch's
// transaction. The events table is shared with the events planned in
// hearth: a synced event only ever writes rows of its own source, and the
// user-authored tables keyed by event UID (event_speakers, event_tasks,
// event_budget, event_attendees) are never touched, so a plan survives
// every resync and even the event's removal from its feed.

// eventUpsert inserts an event or updates one of the same source when a
// column really differs. The call for papers is not in feeds: an update
// leaves it as it is.
const eventUpsert = `INSERT INTO events(uid, source, name, kind, place, url, description, starts, ends, cfp_deadline, cfp_url)
	VALUES (?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT(uid) DO UPDATE SET
	name = excluded.name, kind = excluded.kind, place = excluded.place, url = excluded.url,
	description = excluded.description, starts = excluded.starts, ends = excluded.ends
	WHERE events.source = excluded.source
	AND (name IS NOT excluded.name OR kind IS NOT excluded.kind OR place IS NOT excluded.place
	OR url IS NOT excluded.url OR description IS NOT excluded.description
	OR starts IS NOT excluded.starts OR ends IS NOT excluded.ends)`

// events upserts evs by UID under the batch's source, then deletes the
// source's events listed in removed.
func (w *batchWriter) events(ctx context.Context, evs []model.Event, removed []string) error {
	if len(evs) > 0 {
		up, err := w.prepare(ctx, eventUpsert)
		if err != nil {
			return err
		}
		for i := range evs {
			e := &evs[i]
			if e.UID == "" {
				return fmt.Errorf("event %q of %s without a UID", e.Name, w.source)
			}
			if _, err := up.ExecContext(ctx, e.UID, w.source, e.Name, e.Kind, e.Place, e.URL, e.Description,
				e.Start.Unix(), nullUnix(e.End), nullUnix(e.CFPDeadline), e.CFPURL); err != nil {
				return fmt.Errorf("write event %s: %w", e.UID, friendly(err))
			}
		}
	}
	if len(removed) == 0 {
		return nil
	}
	del, err := w.prepare(ctx, "DELETE FROM events WHERE uid = ? AND source = ?")
	if err != nil {
		return err
	}
	for _, uid := range removed {
		if _, err := del.ExecContext(ctx, uid, w.source); err != nil {
			return fmt.Errorf("remove event %s: %w", uid, friendly(err))
		}
	}
	return nil
}
