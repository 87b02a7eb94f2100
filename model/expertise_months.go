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

// addMonth records one piece of dated evidence in the cell's bucket of its
// month; active is zero outside the area of all evidence.
func (c *expertCell) addMonth(at time.Time, k Kind, w, active float64) {
	m := MonthIndex(at)
	// Evidence mostly comes in time order: look at the newest bucket first.
	i := len(c.months)
	if i == 0 || c.months[i-1].Month != m {
		var found bool
		i, found = slices.BinarySearchFunc(c.months, m, func(b MonthBucket, m int) int { return cmp.Compare(b.Month, m) })
		if !found {
			c.months = slices.Insert(c.months, i, MonthBucket{Month: m, First: at.Unix(), Last: at.Unix()})
		}
	} else {
		i--
	}
	b := &c.months[i]
	b.First, b.Last = min(b.First, at.Unix()), max(b.Last, at.Unix())
	b.Weight += w
	b.Active += active
	for j := range b.Kinds {
		if b.Kinds[j].Kind == k {
			b.Kinds[j].N++
			return
		}
	}
	b.Kinds = append(b.Kinds, KindCount{k, 1})
}

// CellMonths lists the buckets of every cell that has any, the area of
// all evidence included, by area then member.
func (ix *ExpertIndex) CellMonths() []CellMonths {
	var out []CellMonths
	for area, a := range ix.areas {
		for m, c := range a.cells {
			if len(c.months) > 0 {
				out = append(out, CellMonths{Area: area, Member: m, Months: c.months})
			}
		}
	}
	slices.SortFunc(out, func(a, b CellMonths) int {
		if c := strings.Compare(a.Area, b.Area); c != 0 {
			return c
		}
		return cmp.Compare(a.Member, b.Member)
	})
	return out
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
