package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
	if strings.TrimSpace(b.Item) == "" {
		return 0, errors.New("add budget line: a budget line needs a label")
	}
	if !KnownCurrency(b.Currency) {
		return 0, fmt.Errorf("add budget line: unknown currency %q (an ISO 4217 code such as EUR or USD)", b.Currency)
	}
	return w.addPlan(ctx, budgetTable, planRow{EventUID: uid, Label: b.Item, Category: b.Category, Amount: b.AmountCents, Currency: b.Currency})
}

// AddAttendee adds an attendee to the event uid and returns its id.
func (w *Writer) AddAttendee(ctx context.Context, uid string, a model.Attendee) (int64, error) {
	if strings.TrimSpace(a.Name) == "" && a.MemberKey == "" {
		return 0, errors.New("add attendee: an attendee needs a name or a member")
	}
	switch a.Status {
	case "":
		a.Status = "registered"
	case "registered", "attended", "cancelled":
	default:
		return 0, fmt.Errorf("add attendee: unknown status %q (choose registered, attended or cancelled)", a.Status)
	}
	if a.Name == "" {
		a.Name = a.MemberKey
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

// currencies are the ISO 4217 codes hearth knows, with their minor
// units (digits after the decimal point).
var currencies = map[string]int{
	"AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "COP": 2,
	"CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
	"ISK": 0, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2,
	"PHP": 2, "PLN": 2, "RON": 2, "RSD": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TRY": 2, "TWD": 2,
	"UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
}

// KnownCurrency reports whether code is an ISO 4217 code hearth knows.
func KnownCurrency(code string) bool {
	_, ok := currencies[code]
	return ok
}

// MinorUnits returns the digits after the decimal point of the currency
// code (2 for EUR, 0 for JPY), and false for an unknown code.
func MinorUnits(code string) (int, bool) {
	d, ok := currencies[code]
	return d, ok
}
