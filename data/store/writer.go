package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"time"
)

// ErrConflict is returned when a record was written by someone else
// between the moment a person read it and the moment they wrote it back:
// the later write is refused, never silently applied over the other.
var ErrConflict = errors.New("changed by someone else since you read it")

// ErrNothingToUndo is returned by Undo when the journal holds no change
// that can be undone.
var ErrNothingToUndo = errors.New("nothing to undo")

// Writer writes the user-authored tables: the triage of questions, notes,
// tags and flags on people, manual links between identities. Every write
// is one transaction that also records the change in the journal (who,
// when, which record, before and after), so that Undo can revert it.
//
// A Writer exists only for a writable store: Store.Writer returns nil for
// a read-only one, so a read-only session cannot write by construction.
type Writer struct {
	s     *Store
	actor string
	rules *writerRules // nil: merges and splits wait for the next sync (writer_people.go)
}

// Writer returns the write API of the store, recording actor as the
// author of its changes ("" means DefaultActor). It is nil when the store
// was opened read-only.
func (s *Store) Writer(actor string) *Writer {
	if s == nil || s.readOnly {
		return nil
	}
	if actor == "" {
		actor = DefaultActor()
	}
	return &Writer{s: s, actor: actor}
}

// Actor is the name the writer's changes are recorded under.
func (w *Writer) Actor() string { return w.actor }

// DefaultActor is the name of the user running hearth, as the operating
// system knows it.
func DefaultActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if v := os.Getenv("USER"); v != "" {
		return v
	}
	return "unknown"
}

// change is one write in progress: its entries share the journal's
// change id, allocated with the first entry.
type change struct {
	ctx    context.Context
	tx     execer
	w      *Writer
	at     int64
	what   string
	id     int64 // 0 until the first entry
	undoes int64 // the change this one reverts; 0 for a new change
}

// write runs fn as one change described by what, in one transaction with
// the write lock taken up front.
func (w *Writer) write(ctx context.Context, what string, fn func(c *change) error) error {
	err := w.s.immediate(ctx, func(tx execer) error {
		return fn(&change{ctx: ctx, tx: tx, w: w, at: w.s.now().Unix(), what: what})
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, friendly(err))
	}
	return nil
}

// record adds one entry to the journal; before and after are the
// record's JSON, nil when absent.
func (c *change) record(tbl string, key any, before, after []byte) error {
	k, err := json.Marshal(key)
	if err != nil {
		return err
	}
	if c.id == 0 {
		if err := c.tx.QueryRowContext(c.ctx, "SELECT coalesce(max(id), 0) + 1 FROM journal").Scan(&c.id); err != nil {
			return err
		}
	}
	var undoes any
	if c.undoes != 0 {
		undoes = c.undoes
	}
	_, err = c.tx.ExecContext(c.ctx, `INSERT INTO journal(change, at, actor, what, tbl, key, before, after, undoes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.id, c.at, c.w.actor, c.what, tbl, string(k), nullJSON(before), nullJSON(after), undoes)
	return err
}

func nullJSON(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// table is how the journal reads and restores the records of one
// user-authored table, as JSON.
type table struct {
	load func(ctx context.Context, tx execer, key []byte) (row []byte, err error)
	save func(ctx context.Context, tx execer, key, row []byte, at int64) error
}

// typedTable is a table seen through its Go key and row types. load
// returns nil when the record does not exist and the record's version (0
// for tables without one); save writes a record (nil deletes it) and moves
// its version on.
type typedTable[K, R any] struct {
	name string
	load func(ctx context.Context, tx execer, key K) (*R, int64, error)
	save func(ctx context.Context, tx execer, key K, row *R, at int64) error
}

func (t typedTable[K, R]) untyped() table {
	return table{
		load: func(ctx context.Context, tx execer, key []byte) ([]byte, error) {
			var k K
			if err := json.Unmarshal(key, &k); err != nil {
				return nil, err
			}
			r, _, err := t.load(ctx, tx, k)
			if err != nil {
				return nil, err
			}
			return encodeRow(r)
		},
		save: func(ctx context.Context, tx execer, key, row []byte, at int64) error {
			var k K
			if err := json.Unmarshal(key, &k); err != nil {
				return err
			}
			var r *R
			if row != nil {
				r = new(R)
				if err := json.Unmarshal(row, r); err != nil {
					return err
				}
			}
			return t.save(ctx, tx, k, r, at)
		},
	}
}

func encodeRow[R any](r *R) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	return json.Marshal(r)
}

// put writes after as the record key of t and journals the change; a
// write that changes nothing is neither made nor journaled. It returns the
// record as it was.
func put[K, R any](c *change, t typedTable[K, R], key K, before, after *R) error {
	b, err := encodeRow(before)
	if err != nil {
		return err
	}
	a, err := encodeRow(after)
	if err != nil {
		return err
	}
	if bytes.Equal(a, b) {
		return nil
	}
	if err := t.save(c.ctx, c.tx, key, after, c.at); err != nil {
		return err
	}
	return c.record(t.name, key, b, a)
}

// tables lists every table the journal can restore, by name.
var tables = map[string]table{
	triageTable.name: triageTable.untyped(),
	notesTable.name:  notesTable.untyped(),
	tagsTable.name:   tagsTable.untyped(),
	flagsTable.name:  flagsTable.untyped(),
	linksTable.name:  linksTable.untyped(),
	// Pairs of people said not to be one (writer_people.go).
	notDuplicatesTable.name: notDuplicatesTable.untyped(),
	// Events planned in hearth and the plans attached to any event.
	eventsTable.name:    eventsTable.untyped(),
	speakersTable.name:  speakersTable.typed().untyped(),
	tasksTable.name:     tasksTable.typed().untyped(),
	budgetTable.name:    budgetTable.typed().untyped(),
	attendeesTable.name: attendeesTable.typed().untyped(),
}

// Change is one entry of the journal's history, as Undo reports it.
type Change struct {
	ID      int64
	At      time.Time
	Actor   string
	What    string
	Records int // how many records it changed
}

// Undo reverts the newest change that is neither undone nor itself an
// undo: each record it changed gets its "before" back. The undo is a
// change of its own in the journal (its entries name the change they
// revert), and the next Undo reverts the change before: undo walks back
// through history and never undoes an undo. A record changed since (by
// anyone) is not overwritten: Undo then fails with ErrConflict and
// changes nothing.
func (w *Writer) Undo(ctx context.Context) (Change, error) {
	var done Change
	err := w.s.immediate(ctx, func(tx execer) error {
		var id sql.NullInt64
		if err := tx.QueryRowContext(ctx,
			"SELECT max(change) FROM journal WHERE undoes IS NULL AND undone = 0").Scan(&id); err != nil {
			return err
		}
		if !id.Valid {
			return ErrNothingToUndo
		}
		type entry struct {
			tbl, key      string
			before, after sql.NullString
		}
		var entries []entry
		var at int64
		rows, err := tx.QueryContext(ctx, `SELECT at, actor, what, tbl, key, before, after FROM journal
			WHERE change = ? ORDER BY id DESC`, id.Int64)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e entry
			if err := rows.Scan(&at, &done.Actor, &done.What, &e.tbl, &e.key, &e.before, &e.after); err != nil {
				rows.Close()
				return err
			}
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		done.ID, done.At, done.Records = id.Int64, time.Unix(at, 0).UTC(), len(entries)
		c := &change{ctx: ctx, tx: tx, w: w, at: w.s.now().Unix(), what: "undo " + done.What, undoes: id.Int64}
		for _, e := range entries {
			t, ok := tables[e.tbl]
			if e.tbl == importTable {
				return fmt.Errorf("the last change is %q, which undo cannot revert (import the export you made before it instead)", done.What)
			}
			if !ok {
				return fmt.Errorf("cannot undo %q: hearth cannot restore %s", done.What, e.tbl)
			}
			cur, err := t.load(ctx, tx, []byte(e.key))
			if err != nil {
				return err
			}
			if !bytes.Equal(cur, rawJSON(e.after)) {
				return fmt.Errorf("cannot undo %q: %w", done.What, ErrConflict)
			}
			before := rawJSON(e.before)
			if err := t.save(ctx, tx, []byte(e.key), before, c.at); err != nil {
				return err
			}
			// What the record looks like now, as load reads it (a restored
			// triage, say, is as it was, with a new version).
			now, err := t.load(ctx, tx, []byte(e.key))
			if err != nil {
				return err
			}
			if err := c.record(e.tbl, json.RawMessage(e.key), cur, now); err != nil {
				return err
			}
		}
		if _, err = tx.ExecContext(ctx, "UPDATE journal SET undone = 1 WHERE change = ?", id.Int64); err != nil {
			return err
		}
		// An undone merge, split or flag shows at once (writer_people.go).
		for _, e := range entries {
			if e.tbl == linksTable.name || e.tbl == flagsTable.name {
				return w.settle(ctx, tx)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNothingToUndo) {
			return done, err
		}
		return done, fmt.Errorf("undo: %w", friendly(err))
	}
	return done, nil
}

func rawJSON(s sql.NullString) []byte {
	if !s.Valid {
		return nil
	}
	return []byte(s.String)
}

// History returns the newest limit changes of the journal, newest first.
func (s *Store) History(ctx context.Context, limit int) ([]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT change, min(at), min(actor), min(what), count(*) FROM journal
		GROUP BY change ORDER BY change DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", friendly(err))
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at int64
		if err := rows.Scan(&c.ID, &at, &c.Actor, &c.What, &c.Records); err != nil {
			return nil, fmt.Errorf("read history: %w", friendly(err))
		}
		c.At = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", friendly(err))
	}
	return out, nil
}
