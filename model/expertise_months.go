package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// An index asked to keep months (KeepMonths) also records, per cell, the
// evidence of each calendar month apart. A store writes these buckets so
// that a query "as the history stood on some date" adds up the whole
// months before the date instead of reading every activity, and reads
// only the activities of the date's own month.

// MonthBucket is a member's work in one area in one calendar month (UTC).
type MonthBucket struct {
	Month int // MonthIndex
	// First and Last are the Unix seconds of the month's first and last
	// work: the dates of an evidence line, kept small since a community of
	// 100,000 has millions of buckets.
	First, Last int64
	Weight      float64 // decayed like ExpertCell.Weight
	// Active is decayed with the activity half-life; kept in the area of
	// all evidence only, the one it is read from.
	Active float64
	Kinds  []KindCount
}

// CellMonths is one cell's buckets, oldest month first.
type CellMonths struct {
	Area   string // "" is the area of all evidence (the member's row)
	Member int64
	Months []MonthBucket
}

// KeepMonths makes the index record monthly buckets of the evidence added
// from now on. Tags have no date and are not bucketed.
func (ix *ExpertIndex) KeepMonths() { ix.keepMonths = true }

// monthBucket is a MonthBucket as a cell keeps it: a full rebuild at
// 100,000 members holds a few million, so kinds are indexes into the
// cell's own list, not strings.
type monthBucket struct {
	first, last int64
	w, active   float64
	kinds       []kindN
	month       int32
}

// kindN counts the evidence of the cell's i-th kind.
type kindN struct {
	i, n uint32
}

// addMonth records one piece of dated evidence, of the cell's k-th kind,
// in the cell's bucket of its month; active is zero outside the area of all
// evidence.
func (c *expertCell) addMonth(at time.Time, k int, w, active float64) {
	m := int32(MonthIndex(at))
	// Evidence mostly comes in time order: look at the newest bucket first.
	i := len(c.months)
	if i == 0 || c.months[i-1].month != m {
		var found bool
		i, found = slices.BinarySearchFunc(c.months, m, func(b monthBucket, m int32) int { return cmp.Compare(b.month, m) })
		if !found {
			c.months = slices.Insert(c.months, i, monthBucket{month: m, first: at.Unix(), last: at.Unix()})
		}
	} else {
		i--
	}
	b := &c.months[i]
	b.first, b.last = min(b.first, at.Unix()), max(b.last, at.Unix())
	b.w += w
	b.active += active
	ki := uint32(k)
	for j := range b.kinds {
		if b.kinds[j].i == ki {
			b.kinds[j].n++
			return
		}
	}
	b.kinds = append(b.kinds, kindN{ki, 1})
}

// EachCellMonths calls f with the buckets of every cell that has any, the
// area of all evidence included, by area then member, and stops at f's
// first error. The buckets are valid during the call only: they are made
// one cell at a time, not all at once.
func (ix *ExpertIndex) EachCellMonths(f func(CellMonths) error) error {
	type key struct {
		area   string
		member int64
	}
	var keys []key
	for area, a := range ix.areas {
		for m, c := range a.cells {
			if len(c.months) > 0 {
				keys = append(keys, key{area, m})
			}
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.area, b.area); c != 0 {
			return c
		}
		return cmp.Compare(a.member, b.member)
	})
	var buckets []MonthBucket
	var counts []KindCount
	for _, k := range keys {
		c := ix.areas[k.area].cells[k.member]
		buckets, counts = buckets[:0], counts[:0]
		for _, b := range c.months {
			from := len(counts)
			for _, kn := range b.kinds {
				counts = append(counts, KindCount{c.kinds[kn.i].Kind, int(kn.n)})
			}
			buckets = append(buckets, MonthBucket{Month: int(b.month), First: b.first, Last: b.last, Weight: b.w,
				Active: b.active, Kinds: counts[from:len(counts):len(counts)]})
		}
		// counts may have moved while growing: point at its final array.
		at := 0
		for i := range buckets {
			n := len(buckets[i].Kinds)
			buckets[i].Kinds = counts[at : at+n : at+n]
			at += n
		}
		if err := f(CellMonths{Area: k.area, Member: k.member, Months: buckets}); err != nil {
			return err
		}
	}
	return nil
}

// Before adds up the buckets of the months before month: the cell as an
// index fed only that evidence would hold it (without tags), and the
// member's activity when this is the area of all evidence. ok is false
// when no bucket is that old.
func (h CellMonths) Before(month int) (c ExpertCell, active float64, ok bool) {
	c = ExpertCell{Area: h.Area, Member: h.Member}
	for _, b := range h.Months {
		if b.Month >= month {
			break
		}
		if !ok {
			c.First = time.Unix(b.First, 0).UTC()
		}
		ok = true
		c.Last = time.Unix(b.Last, 0).UTC()
		c.Weight += b.Weight
		active += b.Active
		for _, k := range b.Kinds {
			if i := slices.IndexFunc(c.Kinds, func(x KindCount) bool { return x.Kind == k.Kind }); i >= 0 {
				c.Kinds[i].N += k.N
			} else {
				c.Kinds = append(c.Kinds, k)
			}
		}
	}
	return c, active, ok
}

// Bucket finds the cell's bucket of a month.
func (h CellMonths) Bucket(month int) (MonthBucket, bool) {
	i, found := slices.BinarySearchFunc(h.Months, month, func(b MonthBucket, m int) int { return cmp.Compare(b.Month, m) })
	if !found {
		return MonthBucket{}, false
	}
	return h.Months[i], true
}

// MonthStart is the first moment of a MonthIndex month, in UTC.
func MonthStart(month int) time.Time { return monthStart(month) }
