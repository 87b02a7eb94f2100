package store

import (
	"context"
	"fmt"
	"slices"
)

// Labels are what people wrote about a member, in short: the tags and
// flags of all its identities (sorted, each once) and how many notes.
type Labels struct {
	Tags  []string
	Flags []string
	Notes int
}

// MemberLabels returns the labels of every member that has any, by member
// id: what the directory's rows carry so that tag: and flag: filter them.
// The directory's index holds no labels, and joining them there would
// slow every load; they are few (typed by hand), so one pass over the
// three small tables, each row finding its identity by the unique key,
// costs little whatever the size of the directory.
func (s *Store) MemberLabels(ctx context.Context) (map[int64]Labels, error) {
	type label struct {
		member      int64
		kind, value string
	}
	rows, err := queryRows(ctx, s.db, func(sc scanner, l *label) error {
		return sc.Scan(&l.member, &l.kind, &l.value)
	}, `SELECT i.member_id, 't', t.tag FROM member_tags t
			JOIN identities i ON i.source = t.source AND i.external_id = t.external_id WHERE i.member_id IS NOT NULL
		UNION ALL SELECT i.member_id, 'f', f.flag FROM member_flags f
			JOIN identities i ON i.source = f.source AND i.external_id = f.external_id WHERE i.member_id IS NOT NULL
		UNION ALL SELECT i.member_id, 'n', '' FROM member_notes n
			JOIN identities i ON i.source = n.source AND i.external_id = n.external_id WHERE i.member_id IS NOT NULL
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("read tags and flags: %w", friendly(err))
	}
	out := map[int64]Labels{}
	for _, l := range rows {
		ls := out[l.member]
		switch l.kind {
		case "t":
			if !slices.Contains(ls.Tags, l.value) {
				ls.Tags = append(ls.Tags, l.value)
			}
		case "f":
			if !slices.Contains(ls.Flags, l.value) {
				ls.Flags = append(ls.Flags, l.value)
			}
		default:
			ls.Notes++
		}
		out[l.member] = ls
	}
	return out, nil
}

// MemberIdentityKeys returns the identity keys ("source:external_id") of
// every member, most active first: the names hearth people split takes.
func (s *Store) MemberIdentityKeys(ctx context.Context) (map[int64][]string, error) {
	type key struct {
		member int64
		key    string
	}
	rows, err := queryRows(ctx, s.db, func(sc scanner, k *key) error {
		return sc.Scan(&k.member, &k.key)
	}, `SELECT member_id, source || ':' || external_id FROM identities WHERE member_id IS NOT NULL
		ORDER BY member_id, activities DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("read identities: %w", friendly(err))
	}
	out := map[int64][]string{}
	for _, k := range rows {
		out[k.member] = append(out[k.member], k.key)
	}
	return out, nil
}
