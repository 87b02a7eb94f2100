package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"hearth/model"
)

// expertise_months (migration 0016) keeps every expertise cell, and every
// member's row of all evidence (area ""), month by month, so that `hearth
// who --before DATE` adds up whole months and reads the activities of
// DATE's month only (expertise_before.go). The refresh that writes the
// other expertise tables writes it from the same index (KeepMonths): a
// rebuild rewrites it whole, an incremental refresh the rows of the
// members it refreshes.
//
// The blob: the cell's kinds (a count, then each as a length and its
// bytes); the number of months; per month, oldest first: the month as a
// step from the previous one (model.MonthIndex, the first one whole), the
// first and last work as seconds after the month's start and after the
// first, the weight as 8 bytes (IEEE 754, little-endian), the activity
// weight's bits as a varint (zero, one byte, outside the area ""), the
// number of kinds and each as its index in the list and its count.
// Numbers are unsigned varints.

// monthsKey is the expertise_meta key a rebuild sets once the table is
// filled: a database migrated from before 0016 has expertise tables
// without it.
const monthsKey = "months"

// writeMonths writes the index's monthly rows: all of them when all is
// set, after deleting every row; else those of the members in
// temp.refresh_members, which ix holds whole. An incremental refresh
// writes only the rows that changed: a small sync moves one or two of a
// member's cells, and rewriting every row of theirs cost the refresh of
// 100 members at 10k as much as the rest of expertise
// (BenchmarkRefreshExpertiseShare10k).
func writeMonths(ctx context.Context, tx execer, ix *model.ExpertIndex, all bool) error {
	fail := func(err error) error { return fmt.Errorf("write expertise months: %w", err) }
	type key struct {
		area   string
		member int64
	}
	old := map[key][]byte{}
	if all {
		if _, err := tx.ExecContext(ctx, "DELETE FROM expertise_months"); err != nil {
			return fail(err)
		}
	} else {
		type row struct {
			key
			blob []byte
		}
		rows, err := queryRows(ctx, tx, func(sc scanner, r *row) error { return sc.Scan(&r.area, &r.member, &r.blob) },
			"SELECT area, member_id, months FROM expertise_months WHERE member_id IN (SELECT id FROM temp.refresh_members)")
		if err != nil {
			return fail(err)
		}
		for _, r := range rows {
			old[r.key] = r.blob
		}
	}
	ins, err := tx.PrepareContext(ctx, "INSERT OR REPLACE INTO expertise_months(area, member_id, months) VALUES (?,?,?)")
	if err != nil {
		return fail(err)
	}
	defer ins.Close()
	var buf []byte
	err = ix.EachCellMonths(func(h model.CellMonths) error {
		buf = encodeCellMonths(buf[:0], h.Months)
		k := key{h.Area, h.Member}
		was, found := old[k]
		delete(old, k)
		if found && bytes.Equal(was, buf) {
			return nil
		}
		_, err := ins.ExecContext(ctx, h.Area, h.Member, buf)
		return err
	})
	if err != nil {
		return fail(err)
	}
	// What is left was not derived again: the member lost that area.
	del, err := tx.PrepareContext(ctx, "DELETE FROM expertise_months WHERE area = ? AND member_id = ?")
	if err != nil {
		return fail(err)
	}
	defer del.Close()
	for k := range old {
		if _, err := del.ExecContext(ctx, k.area, k.member); err != nil {
			return fail(err)
		}
	}
	if all {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO expertise_meta(key, value) VALUES (?, 1)", monthsKey); err != nil {
			return fail(err)
		}
	}
	return nil
}

// encodeCellMonths appends the blob of a cell's months to b.
func encodeCellMonths(b []byte, months []model.MonthBucket) []byte {
	var kinds []model.Kind
	index := func(k model.Kind) int {
		for i, x := range kinds {
			if x == k {
				return i
			}
		}
		kinds = append(kinds, k)
		return len(kinds) - 1
	}
	for _, m := range months {
		for _, k := range m.Kinds {
			index(k.Kind)
		}
	}
	// The same cell derived again encodes to the same bytes whatever the
	// order its evidence came in (writeMonths compares them).
	slices.Sort(kinds)
	b = binary.AppendUvarint(b, uint64(len(kinds)))
	for _, k := range kinds {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	b = binary.AppendUvarint(b, uint64(len(months)))
	prev := 0
	for i, m := range months {
		step := m.Month
		if i > 0 {
			step = m.Month - prev
		}
		prev = m.Month
		b = binary.AppendUvarint(b, uint64(step))
		b = binary.AppendUvarint(b, uint64(m.First-monthStartUnix(m.Month)))
		b = binary.AppendUvarint(b, uint64(m.Last-m.First))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.Weight))
		b = binary.AppendUvarint(b, math.Float64bits(m.Active))
		b = binary.AppendUvarint(b, uint64(len(m.Kinds)))
		for i := range kinds {
			for _, k := range m.Kinds {
				if k.Kind == kinds[i] {
					b = binary.AppendUvarint(b, uint64(i))
					b = binary.AppendUvarint(b, uint64(k.N))
				}
			}
		}
	}
	return b
}

var errBadCellMonths = errors.New("malformed expertise_months row")

// monthReader reads blobs, sharing the kinds' strings between rows and
// reusing its buffers: a query decodes one row per member.
type monthReader struct {
	kinds   map[string]model.Kind
	buckets []model.MonthBucket
	counts  []model.KindCount
	names   []model.Kind
}

// decode reads what encodeCellMonths wrote. The buckets are valid until
// the next call.
func (r *monthReader) decode(b []byte) ([]model.MonthBucket, error) {
	bad := false
	next := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	nk := next()
	if bad || nk > uint64(len(b)) {
		return nil, errBadCellMonths
	}
	kinds := slices.Grow(r.names[:0], int(nk))[:nk]
	r.names = kinds
	for i := range kinds {
		l := next()
		if bad || l > uint64(len(b)) {
			return nil, errBadCellMonths
		}
		k, ok := r.kinds[string(b[:l])]
		if !ok {
			k = model.Kind(b[:l])
			r.kinds[string(k)] = k
		}
		kinds[i], b = k, b[l:]
	}
	nm := next()
	if bad || nm > uint64(len(b)) {
		return nil, errBadCellMonths
	}
	out := slices.Grow(r.buckets[:0], int(nm))[:nm]
	r.buckets = out
	counts := r.counts[:0]
	month := 0
	for i := range out {
		m := &out[i]
		month += int(next())
		m.Month = month
		m.First = monthStartUnix(month) + int64(next())
		m.Last = m.First + int64(next())
		if len(b) < 8 {
			return nil, errBadCellMonths
		}
		m.Weight, b = math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:]
		m.Active = math.Float64frombits(next())
		n := next()
		if bad || n > uint64(len(b)) {
			return nil, errBadCellMonths
		}
		from := len(counts)
		for range n {
			k := next()
			if k >= uint64(len(kinds)) {
				return nil, errBadCellMonths
			}
			counts = append(counts, model.KindCount{Kind: kinds[k], N: int(next())})
		}
		if bad {
			return nil, errBadCellMonths
		}
		m.Kinds = counts[from:len(counts):len(counts)]
	}
	// counts may have moved while growing: point the buckets at its
	// final array.
	at := 0
	for i := range out {
		n := len(out[i].Kinds)
		out[i].Kinds = counts[at : at+n : at+n]
		at += n
	}
	r.counts = counts
	return out, nil
}
