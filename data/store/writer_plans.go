package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/model"
)

// planRow is one row of a plan table (speaker, task, budget line,
// attendee) as the journal keeps it: the fields a table does not have
// stay empty and out of its JSON.
type planRow struct {
	EventUID  string       `json:"event_uid"`
	Label     string       `json:"label"` // the speaker's or attendee's name, the task's title, the budget item
	MemberKey string       `json:"member_key,omitempty"`
	Talk      string       `json:"talk,omitempty"`
	Status    string       `json:"status,omitempty"`
	Owner     string       `json:"owner,omitempty"`
	Due       nullUnixTime `json:"due,omitempty"`
	Done      bool         `json:"done,omitempty"`
	Category  string       `json:"category,omitempty"`
	Amount    int64        `json:"amount_cents,omitempty"`
	Currency  string       `json:"currency,omitempty"`
}

// planTable is one plan table: its columns and the planRow fields they
// hold, in order, starting with event_uid.
type planTable struct {
	name   string
	what   string // for people: "speaker"
	cols   string
	fields func(r *planRow) []any
}

var speakersTable = planTable{"event_speakers", "speaker", "event_uid, name, member_key, talk, status",
	func(r *planRow) []any { return []any{&r.EventUID, &r.Label, &r.MemberKey, &r.Talk, &r.Status} }}

var tasksTable = planTable{"event_tasks", "task", "event_uid, title, owner, due, done",
	func(r *planRow) []any { return []any{&r.EventUID, &r.Label, &r.Owner, &r.Due, &r.Done} }}

var budgetTable = planTable{"event_budget", "budget line", "event_uid, item, category, amount_cents, currency",
	func(r *planRow) []any { return []any{&r.EventUID, &r.Label, &r.Category, &r.Amount, &r.Currency} }}

var attendeesTable = planTable{"event_attendees", "attendee", "event_uid, name, member_key, status",
	func(r *planRow) []any { return []any{&r.EventUID, &r.Label, &r.MemberKey, &r.Status} }}

// values turns the field pointers of fields into values for Exec.
func values(ptrs []any) []any {
	out := make([]any, len(ptrs))
	for i, p := range ptrs {
		switch p := p.(type) {
		case *string:
			out[i] = *p
		case *int64:
			out[i] = *p
		case *bool:
			out[i] = *p
		case *nullUnixTime:
			out[i] = *p
		default:
			panic(fmt.Sprintf("plan field of type %T", p))
		}
	}
	return out
}

func (t planTable) typed() typedTable[idRef, planRow] {
	n := strings.Count(t.cols, ",") + 1
	var set []string
	for _, c := range strings.Split(t.cols, ",") {
		c = strings.TrimSpace(c)
		set = append(set, c+" = excluded."+c)
	}
	insert := "INSERT INTO " + t.name + "(id, " + t.cols + ", version) VALUES (?" + strings.Repeat(", ?", n) + ", 1)" +
		" ON CONFLICT(id) DO UPDATE SET " + strings.Join(set, ", ") + ", version = " + t.name + ".version + 1"
	return typedTable[idRef, planRow]{
		name: t.name,
		load: func(ctx context.Context, tx execer, k idRef) (*planRow, int64, error) {
			var r planRow
			var version int64
			err := tx.QueryRowContext(ctx, "SELECT "+t.cols+", version FROM "+t.name+" WHERE id = ?", k.ID).
				Scan(append(t.fields(&r), &version)...)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, 0, nil
			}
			if err != nil {
				return nil, 0, err
			}
			return &r, version, nil
		},
		save: func(ctx context.Context, tx execer, k idRef, r *planRow, _ int64) error {
			if r == nil {
				_, err := tx.ExecContext(ctx, "DELETE FROM "+t.name+" WHERE id = ?", k.ID)
				return err
			}
			_, err := tx.ExecContext(ctx, insert, append([]any{k.ID}, values(t.fields(r))...)...)
			return err
		},
	}
}

// ids returns the ids of the rows of t attached to the event uid.
func (t planTable) ids(c *change, uid string) ([]int64, error) {
	rows, err := c.tx.QueryContext(c.ctx, "SELECT id FROM "+t.name+" WHERE event_uid = ? ORDER BY id", uid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// addPlan adds r to t for an existing event (planned or synced) and
// returns the new row's id.
func (w *Writer) addPlan(ctx context.Context, t planTable, r planRow) (int64, error) {
	var id int64
	err := w.write(ctx, "add "+t.what+" to event "+r.EventUID, func(c *change) error {
		src, err := eventSource(ctx, c.tx, r.EventUID)
		if err != nil {
			return err
		}
		if src == "" {
			return fmt.Errorf("event %s: %w", r.EventUID, ErrNotFound)
		}
		if err := c.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM "+t.name).Scan(&id); err != nil {
			return err
		}
		return put(c, t.typed(), idRef{id}, nil, &r)
	})
	return id, err
}

// editPlan changes the row id of t with edit; read is the version the
// caller read (0: whatever it is now). An edit that returns nil deletes
// the row.
func (w *Writer) editPlan(ctx context.Context, t planTable, verb string, id, read int64, edit func(r planRow) (*planRow, error)) error {
	return w.write(ctx, fmt.Sprintf("%s %s %d", verb, t.what, id), func(c *change) error {
		tt := t.typed()
		before, version, err := tt.load(ctx, c.tx, idRef{id})
		if err != nil {
			return err
		}
		if before == nil {
			return fmt.Errorf("%s %d: %w", t.what, id, ErrNotFound)
		}
		if read != 0 && version != read {
			return ErrConflict
		}
		after, err := edit(*before)
		if err != nil {
			return err
		}
		return put(c, tt, idRef{id}, before, after)
	})
}

// Speaker statuses.
var speakerStatuses = []string{"invited", "confirmed", "declined"}

func validSpeaker(sp *model.Speaker) error {
	if strings.TrimSpace(sp.Name) == "" && sp.MemberKey == "" {
		return errors.New("a speaker needs a name or a member")
	}
	if sp.Status == "" {
		sp.Status = "invited"
	}
	for _, s := range speakerStatuses {
		if sp.Status == s {
			return nil
		}
	}
	return fmt.Errorf("unknown speaker status %q (choose invited, confirmed or declined)", sp.Status)
}

// AddSpeaker adds a speaker (a member by identity key, or a free name) to
// the event uid, planned or synced, and returns the speaker's id.
func (w *Writer) AddSpeaker(ctx context.Context, uid string, sp model.Speaker) (int64, error) {
	if err := validSpeaker(&sp); err != nil {
		return 0, fmt.Errorf("add speaker: %w", err)
	}
	if sp.Name == "" {
		sp.Name = sp.MemberKey
	}
	return w.addPlan(ctx, speakersTable, planRow{EventUID: uid, Label: sp.Name, MemberKey: sp.MemberKey, Talk: sp.Talk, Status: sp.Status})
}

// EditSpeaker replaces speaker id with sp; read is the version read (0: any).
func (w *Writer) EditSpeaker(ctx context.Context, id, read int64, sp model.Speaker) error {
	if err := validSpeaker(&sp); err != nil {
		return fmt.Errorf("edit speaker %d: %w", id, err)
	}
	if sp.Name == "" {
		sp.Name = sp.MemberKey
	}
	return w.editPlan(ctx, speakersTable, "edit", id, read, func(r planRow) (*planRow, error) {
		r.Label, r.MemberKey, r.Talk, r.Status = sp.Name, sp.MemberKey, sp.Talk, sp.Status
		return &r, nil
	})
}

// AddTask adds a task to the event uid and returns its id.
func (w *Writer) AddTask(ctx context.Context, uid string, t model.Task) (int64, error) {
	if strings.TrimSpace(t.Title) == "" {
		return 0, errors.New("add task: a task needs a title")
	}
	return w.addPlan(ctx, tasksTable, planRow{EventUID: uid, Label: t.Title, Owner: t.Owner, Due: unixOf(t.Due), Done: t.Done})
}

// EditTask replaces task id with t (done included); read is the version
// read (0: any).
func (w *Writer) EditTask(ctx context.Context, id, read int64, t model.Task) error {
	if strings.TrimSpace(t.Title) == "" {
		return fmt.Errorf("edit task %d: a task needs a title", id)
	}
	return w.editPlan(ctx, tasksTable, "edit", id, read, func(r planRow) (*planRow, error) {
		r.Label, r.Owner, r.Due, r.Done = t.Title, t.Owner, unixOf(t.Due), t.Done
		return &r, nil
	})
}

// SetTaskDone ticks task id (or unticks it).
func (w *Writer) SetTaskDone(ctx context.Context, id int64, done bool) error {
	verb := "tick"
	if !done {
		verb = "untick"
	}
	return w.editPlan(ctx, tasksTable, verb, id, 0, func(r planRow) (*planRow, error) {
		r.Done = done
		return &r, nil
	})
}

// AddBudgetLine adds a budget line to the event uid and returns its id.
// The amount is in minor units of the ISO 4217 currency.
func (w *Writer) AddBudgetLine(ctx context.Context, uid string, b model.BudgetLine) (int64, error) {
	if err := validBudgetLine(&b); err != nil {
		return 0, fmt.Errorf("add budget line: %w", err)
	}
	return w.addPlan(ctx, budgetTable, planRow{EventUID: uid, Label: b.Item, Category: b.Category, Amount: b.AmountCents, Currency: b.Currency})
}

// validBudgetLine checks a budget line's label and currency.
func validBudgetLine(b *model.BudgetLine) error {
	if strings.TrimSpace(b.Item) == "" {
		return errors.New("a budget line needs a label")
	}
	if !KnownCurrency(b.Currency) {
		return fmt.Errorf("unknown currency %q (an ISO 4217 code such as EUR or USD)", b.Currency)
	}
	return nil
}

// EditBudgetLine replaces budget line id with b; read is the version read
// (0: any).
func (w *Writer) EditBudgetLine(ctx context.Context, id, read int64, b model.BudgetLine) error {
	if err := validBudgetLine(&b); err != nil {
		return fmt.Errorf("edit budget line %d: %w", id, err)
	}
	return w.editPlan(ctx, budgetTable, "edit", id, read, func(r planRow) (*planRow, error) {
		r.Label, r.Category, r.Amount, r.Currency = b.Item, b.Category, b.AmountCents, b.Currency
		return &r, nil
	})
}

// validAttendee checks an attendee and defaults the status to registered.
func validAttendee(a *model.Attendee) error {
	if strings.TrimSpace(a.Name) == "" && a.MemberKey == "" {
		return errors.New("an attendee needs a name or a member")
	}
	switch a.Status {
	case "":
		a.Status = "registered"
	case "registered", "attended", "cancelled":
	default:
		return fmt.Errorf("unknown status %q (choose registered, attended or cancelled)", a.Status)
	}
	if a.Name == "" {
		a.Name = a.MemberKey
	}
	return nil
}

// EditAttendee replaces attendee id with a; read is the version read (0: any).
func (w *Writer) EditAttendee(ctx context.Context, id, read int64, a model.Attendee) error {
	if err := validAttendee(&a); err != nil {
		return fmt.Errorf("edit attendee %d: %w", id, err)
	}
	return w.editPlan(ctx, attendeesTable, "edit", id, read, func(r planRow) (*planRow, error) {
		r.Label, r.MemberKey, r.Status = a.Name, a.MemberKey, a.Status
		return &r, nil
	})
}

// PlanMember resolves the member a speaker or an attendee is: an identity
// key ("source:external_id") as it is, or an @handle, e-mail address or
// member id through FindMember, to that identity's key. name is the
// member's name ("" for a key given as it is), for a plan row typed
// without one. The TUI and the command line both call it, so both accept
// the same references.
func (s *Store) PlanMember(ctx context.Context, ref string) (key, name string, err error) {
	ref = strings.TrimSpace(ref)
	if src, id, ok := strings.Cut(ref, ":"); ok && src != "" && id != "" {
		return ref, "", nil
	}
	i, err := s.FindMember(ctx, ref)
	if err != nil {
		return "", "", err
	}
	name = i.Name
	if name == "" {
		name = i.Username
	}
	return i.Source + ":" + i.ExternalID, name, nil
}

// OverdueTasks counts, per event UID, the tasks not done that were due
// before now: the Events list shows them next to each event.
func (s *Store) OverdueTasks(ctx context.Context, now time.Time) (map[string]int, error) {
	type count struct {
		uid string
		n   int
	}
	rows, err := queryRows(ctx, s.db, func(sc scanner, c *count) error { return sc.Scan(&c.uid, &c.n) },
		"SELECT event_uid, count(*) FROM event_tasks WHERE NOT done AND due IS NOT NULL AND due < ? GROUP BY event_uid", now.Unix())
	if err != nil {
		return nil, fmt.Errorf("read overdue tasks: %w", friendly(err))
	}
	out := make(map[string]int, len(rows))
	for _, c := range rows {
		out[c.uid] = c.n
	}
	return out, nil
}

// AddAttendee adds an attendee to the event uid and returns its id.
func (w *Writer) AddAttendee(ctx context.Context, uid string, a model.Attendee) (int64, error) {
	if err := validAttendee(&a); err != nil {
		return 0, fmt.Errorf("add attendee: %w", err)
	}
	return w.addPlan(ctx, attendeesTable, planRow{EventUID: uid, Label: a.Name, MemberKey: a.MemberKey, Status: a.Status})
}

// DeletePlan deletes one row of an event's plan: kind is "speaker",
// "task", "budget" or "attendee".
func (w *Writer) DeletePlan(ctx context.Context, kind string, id int64) error {
	var t planTable
	switch kind {
	case "speaker":
		t = speakersTable
	case "task":
		t = tasksTable
	case "budget":
		t = budgetTable
	case "attendee":
		t = attendeesTable
	default:
		return fmt.Errorf("delete: unknown kind %q (speaker, task, budget or attendee)", kind)
	}
	return w.editPlan(ctx, t, "delete", id, 0, func(planRow) (*planRow, error) { return nil, nil })
}

// KnownCurrency reports whether code is an ISO 4217 code hearth knows.
func KnownCurrency(code string) bool {
	_, ok := model.MinorUnits(code)
	return ok
}

// MinorUnits returns the digits after the decimal point of the currency
// code (2 for EUR, 0 for JPY), and false for an unknown code.
func MinorUnits(code string) (int, bool) { return model.MinorUnits(code) }
