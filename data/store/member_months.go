package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"hearth/model"
)

// member_months keeps, per member, every activity of their identities that
// are not bots, grouped by calendar month, in one compact blob. The health
// figures read these 100,000 rows instead of millions of activities. The
// figures cut periods at any second (the last 90 days, as of any date), so
// the blob keeps each activity's time to the second and its kind rather
// than monthly totals alone, and the numbers are exactly those of the
// activities.
//
// The blob: the member's kinds (a count, then each as a length and its
// bytes); then per month with activity, ascending: the month as a step
// from the previous one (MonthIndex, from 0), the number of activities,
// and each activity, in time order, as its seconds after the previous one
// (the first after the start of the month) and the index of its kind.
// Every number is an unsigned varint.

// memberMonthsFullShare is the share of all members a refresh touches from
// which the table is rebuilt from one scan of all activities rather than
// with a query per member. A scan reads every activity of the community, so
// it pays only when most members are touched anyway (a first import, a full
// refresh); an incremental sync of a few thousand members at 100k stays on
// the per-member reads, like the rest of its refresh.
const memberMonthsFullShare = 0.5

// writeMemberMonths rewrites the member_months rows of members (those a
// refresh rederived), and drops the rows of members that no longer exist.
// The table is rebuilt whole when it was never built (a new database, or
// one migrated from before it existed) or when many members changed.
func writeMemberMonths(ctx context.Context, tx execer, members []memberAgg) error {
	var built bool
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM member_months), (SELECT count(*) FROM members)").
		Scan(&built, &total); err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	if !built || float64(len(members)) >= memberMonthsFullShare*float64(total) {
		return rebuildMemberMonths(ctx, tx)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM member_months WHERE member_id NOT IN (SELECT id FROM members)"); err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	if len(members) == 0 {
		// A refresh with nothing to rederive reads no activity at all.
		return nil
	}
	del, err := tx.PrepareContext(ctx, "DELETE FROM member_months WHERE member_id = ?")
	if err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	defer del.Close()
	acts, err := tx.PrepareContext(ctx, `SELECT a.at, a.kind FROM identities i
		JOIN activities a ON a.identity_id = i.id WHERE i.member_id = ? AND i.bot = 0`)
	if err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	defer acts.Close()
	ins, err := prepareMemberMonths(ctx, tx)
	if err != nil {
		return err
	}
	defer ins.Close()
	kinds := map[string]model.Kind{}
	for i := range members {
		id := members[i].ID
		if _, err := del.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("write member months: %w", err)
		}
		rows, err := acts.QueryContext(ctx, id)
		if err != nil {
			return fmt.Errorf("write member months: %w", err)
		}
		var list []monthAct
		for rows.Next() {
			var a monthAct
			var kind []byte
			if err := rows.Scan(&a.At, &kind); err != nil {
				rows.Close()
				return fmt.Errorf("write member months: %w", err)
			}
			a.Kind = internKind(kinds, kind)
			list = append(list, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("write member months: %w", err)
		}
		if err := ins.write(ctx, id, list); err != nil {
			return err
		}
	}
	return nil
}

// rebuildMemberMonths replaces every row from one pass over the
// activities, in table order (no index lookup per row).
func rebuildMemberMonths(ctx context.Context, tx execer) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM member_months"); err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	owner, err := queryRows(ctx, tx, func(sc scanner, v *[2]int64) error { return sc.Scan(&v[0], &v[1]) },
		"SELECT id, member_id FROM identities WHERE member_id IS NOT NULL AND bot = 0")
	if err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	memberOf := make(map[int64]int64, len(owner))
	for _, o := range owner {
		memberOf[o[0]] = o[1]
	}
	byMember := map[int64][]monthAct{}
	rows, err := tx.QueryContext(ctx, "SELECT identity_id, kind, at FROM activities")
	if err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	kinds := map[string]model.Kind{}
	for rows.Next() {
		var iid, at int64
		var kind []byte
		if err := rows.Scan(&iid, &kind, &at); err != nil {
			rows.Close()
			return fmt.Errorf("write member months: %w", err)
		}
		if mid, ok := memberOf[iid]; ok {
			byMember[mid] = append(byMember[mid], monthAct{At: at, Kind: internKind(kinds, kind)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	ins, err := prepareMemberMonths(ctx, tx)
	if err != nil {
		return err
	}
	defer ins.Close()
	ids := make([]int64, 0, len(byMember))
	for id := range byMember {
		ids = append(ids, id)
	}
	slices.Sort(ids) // rows in key order: appends to the B-tree
	for _, id := range ids {
		if err := ins.write(ctx, id, byMember[id]); err != nil {
			return err
		}
	}
	return nil
}

// monthAct is an activity as member_months stores it: its time and its
// kind by name, whatever the kind (model.Act keeps only the kinds the
// health figures tell apart).
type monthAct struct {
	At   int64
	Kind model.Kind
}

// internKind shares one string per kind across millions of activities.
func internKind(kinds map[string]model.Kind, b []byte) model.Kind {
	k, ok := kinds[string(b)]
	if !ok {
		k = model.Kind(b)
		kinds[string(k)] = k
	}
	return k
}

// monthsInsert writes member_months rows through one prepared statement.
type monthsInsert struct{ stmt *sql.Stmt }

func prepareMemberMonths(ctx context.Context, tx execer) (*monthsInsert, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO member_months(member_id, activities, first_at, last_at, months)
		VALUES (?,?,?,?,?)`)
	if err != nil {
		return nil, fmt.Errorf("write member months: %w", err)
	}
	return &monthsInsert{stmt}, nil
}

func (w *monthsInsert) Close() error { return w.stmt.Close() }

// write stores acts (sorted here) as member id's row; no activity, no row.
func (w *monthsInsert) write(ctx context.Context, id int64, acts []monthAct) error {
	if len(acts) == 0 {
		return nil
	}
	slices.SortFunc(acts, func(a, b monthAct) int { return cmp.Compare(a.At, b.At) })
	if _, err := w.stmt.ExecContext(ctx, id, len(acts), acts[0].At, acts[len(acts)-1].At, encodeMemberMonths(acts)); err != nil {
		return fmt.Errorf("write member months: %w", err)
	}
	return nil
}

// encodeMemberMonths encodes activities sorted by time (see the format
// above).
func encodeMemberMonths(acts []monthAct) []byte {
	var kinds []model.Kind
	kindIndex := func(k model.Kind) int {
		if i := slices.Index(kinds, k); i >= 0 {
			return i
		}
		kinds = append(kinds, k)
		return len(kinds) - 1
	}
	var body []byte
	prevMonth := 0
	for i := 0; i < len(acts); {
		m := monthOf(acts[i].At)
		j := i
		for j < len(acts) && monthOf(acts[j].At) == m {
			j++
		}
		body = binary.AppendUvarint(body, uint64(m-prevMonth))
		body = binary.AppendUvarint(body, uint64(j-i))
		prev := monthStartUnix(m)
		for _, a := range acts[i:j] {
			body = binary.AppendUvarint(body, uint64(a.At-prev))
			body = binary.AppendUvarint(body, uint64(kindIndex(a.Kind)))
			prev = a.At
		}
		prevMonth, i = m, j
	}
	out := binary.AppendUvarint(nil, uint64(len(kinds)))
	for _, k := range kinds {
		out = binary.AppendUvarint(out, uint64(len(k)))
		out = append(out, k...)
	}
	return append(out, body...)
}

var errBadMonths = errors.New("malformed member_months row")

// decodeMemberMonths appends the activities of a blob to acts, in time
// order, looking each kind up once through kinds.
func decodeMemberMonths(b []byte, acts []model.Act, kinds map[string]model.ActKind) ([]model.Act, error) {
	r := uvarintReader{b: b}
	nk := r.next()
	if nk > uint64(len(b)) {
		return nil, errBadMonths
	}
	ks := make([]model.ActKind, nk)
	for i := range ks {
		n := r.next()
		if r.bad || n > uint64(len(r.b)) {
			return nil, errBadMonths
		}
		k, ok := kinds[string(r.b[:n])]
		if !ok {
			k = model.ActKindOf(model.Kind(r.b[:n]))
			kinds[string(r.b[:n])] = k
		}
		ks[i] = k
		r.b = r.b[n:]
	}
	month := 0
	for len(r.b) > 0 && !r.bad {
		month += int(r.next())
		n := r.next()
		at := monthStartUnix(month)
		for range n {
			at += int64(r.next())
			k := r.next()
			if r.bad || k >= uint64(len(ks)) {
				return nil, errBadMonths
			}
			acts = append(acts, model.Act{At: at, Kind: ks[k]})
		}
	}
	if r.bad {
		return nil, errBadMonths
	}
	return acts, nil
}

type uvarintReader struct {
	b   []byte
	bad bool
}

func (r *uvarintReader) next() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

// monthOf is model.MonthIndex of a Unix time.
func monthOf(unix int64) int { return model.MonthIndex(time.Unix(unix, 0)) }

func monthStartUnix(m int) int64 {
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Unix()
}
