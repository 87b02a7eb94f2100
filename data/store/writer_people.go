package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// Merges and splits by hand. They are links between identities
// (identity_links, journaled like any user data, so Undo reverts them);
// what makes them show at once is that the write also regroups the
// identities the links name and rederives their members, in the same
// transaction, as the end of a sync would. For that the writer needs the
// rules a sync uses (WithRules): without them a link is only recorded and
// takes effect at the next sync.

// writerRules are the config's rules a writer regroups and rederives with.
type writerRules struct {
	people people.Rules
	model  model.Rules
}

// WithRules returns a writer that, after a write that bears on who is
// who or on a member's stage (a merge, a split, a flag, an undo of one),
// regroups and rederives the members concerned with these rules in the
// same transaction: the rules a sync uses (the config's).
func (w *Writer) WithRules(p people.Rules, r model.Rules) *Writer {
	if w == nil {
		return nil
	}
	c := *w
	c.rules = &writerRules{people: p, model: r}
	return &c
}

// Regroups reports whether the writer regroups members as it writes
// (WithRules); without, merges and splits take effect at the next sync.
func (w *Writer) Regroups() bool { return w.rules != nil }

// settle regroups what is marked for the people merge and rederives what
// is marked for the refresh, inside the write's transaction, as a sync's
// end does. Nothing marked, nothing done; no rules, nothing done (the next
// sync does it).
func (w *Writer) settle(ctx context.Context, tx execer) error {
	if w.rules == nil {
		return nil
	}
	var regroup, rederive bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dirty_people) OR EXISTS (SELECT 1 FROM dirty_groups),
		EXISTS (SELECT 1 FROM dirty_members) OR EXISTS (SELECT 1 FROM dirty_identities)`).Scan(&regroup, &rederive); err != nil {
		return err
	}
	// A store never merged with these rules (the generated demo, or one
	// whose config changed since its last sync) is regrouped whole, as
	// its next sync would: links name identities through the index of
	// merge keys, which only a merge writes.
	fp := people.Fingerprint(w.rules.people)
	due, err := mergeDue(ctx, tx, fp)
	if err != nil {
		return err
	}
	if regroup || due {
		bots, err := model.NewBotMatcher(w.rules.people.Bots)
		if err != nil {
			return err
		}
		changed := map[int64]bool{}
		if err := mergeIn(ctx, tx, w.rules.people, bots, fp, false, changed); err != nil {
			return fmt.Errorf("regroup people: %w", err)
		}
		rederive = rederive || len(changed) > 0
	}
	if !rederive {
		return nil
	}
	if err := refreshIn(ctx, tx, w.s.now(), w.rules.model, refreshDirty, nil); err != nil {
		return fmt.Errorf("derive summaries: %w", err)
	}
	return nil
}

// memberIdentity is an identity of a member as a merge or split names it.
type memberIdentity struct {
	id          int64
	source, ext string
	member      int64
}

func (i memberIdentity) key() string { return i.source + ":" + i.ext }

// memberIdentities reads the identities of member id, most active first.
func memberIdentities(ctx context.Context, tx execer, id int64) ([]memberIdentity, error) {
	return queryRows(ctx, tx, func(sc scanner, i *memberIdentity) error {
		return sc.Scan(&i.id, &i.source, &i.ext, &i.member)
	}, "SELECT id, source, external_id, member_id FROM identities WHERE member_id = ? ORDER BY activities DESC, id", id)
}

// MergeMembers makes members a and b one person: a manual merge link
// between their most active identities, journaled, and (with WithRules)
// the regrouped member rederived in the same transaction. The member
// keeps the smaller id. A member that no longer exists (merged or
// forgotten since it was read) is a conflict: nothing is written.
func (w *Writer) MergeMembers(ctx context.Context, a, b int64) error {
	if a == b {
		return fmt.Errorf("merge members: member %d with itself", a)
	}
	return w.write(ctx, fmt.Sprintf("merge members %d and %d", a, b), func(c *change) error {
		ia, err := memberIdentities(ctx, c.tx, a)
		if err != nil {
			return err
		}
		ib, err := memberIdentities(ctx, c.tx, b)
		if err != nil {
			return err
		}
		for _, m := range []struct {
			id  int64
			ids []memberIdentity
		}{{a, ia}, {b, ib}} {
			if len(m.ids) == 0 {
				return fmt.Errorf("member %d is gone (merged or removed since it was read): %w", m.id, ErrConflict)
			}
		}
		if err := addLink(c, "merge", ia[0], ib[0]); err != nil {
			return err
		}
		// The member keeps the smaller id; the identities of the other
		// remember theirs, for an undo (migration 0012).
		if _, err := c.tx.ExecContext(ctx, "UPDATE identities SET former_member = member_id WHERE member_id = ?", max(a, b)); err != nil {
			return err
		}
		return w.settle(ctx, c.tx)
	})
}

// addLink records a manual link between two identities, journaled.
func addLink(c *change, kind string, a, b memberIdentity) error {
	var id int64
	if err := c.tx.QueryRowContext(c.ctx, "SELECT coalesce(max(id), 0) + 1 FROM identity_links").Scan(&id); err != nil {
		return err
	}
	return put(c, linksTable, idRef{id}, nil, &linkRow{kind, a.source, a.ext, b.source, b.ext, c.at})
}

// SplitIdentity takes the identity key ("source:external_id", as the
// member detail and hearth members --format json show it) out of its
// member: a split link from it to each other identity of the member, and
// the manual merges that joined it to them removed, all one journaled
// change; with WithRules the two members are rederived at once. It
// returns the id of the member the identity leaves.
func (w *Writer) SplitIdentity(ctx context.Context, key string) (int64, error) {
	if _, _, err := splitIdentity(key); err != nil {
		return 0, fmt.Errorf("split: %w", err)
	}
	var from int64
	err := w.write(ctx, "split "+key, func(c *change) error {
		id, src, ext, member, err := findIdentity(ctx, c.tx, key)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no identity %s (see the identities of hearth members --format json)", key)
		}
		if err != nil {
			return err
		}
		from = member.Int64
		others, err := memberIdentities(ctx, c.tx, member.Int64)
		if err != nil {
			return err
		}
		self := memberIdentity{id: id, source: src, ext: ext, member: member.Int64}
		others = slices.DeleteFunc(others, func(i memberIdentity) bool { return i.id == id })
		if !member.Valid || len(others) == 0 {
			return fmt.Errorf("%s is the only account of its member: nothing to split", key)
		}
		if err := dropMergeLinks(c, self, others); err != nil {
			return err
		}
		for _, o := range others {
			if err := addLink(c, "split", self, o); err != nil {
				return err
			}
		}
		// The member keeps its id for the identities that stay, whichever
		// comes first (migration 0012).
		if _, err := c.tx.ExecContext(ctx, "UPDATE identities SET former_member = -1 WHERE id = ?", id); err != nil {
			return err
		}
		return w.settle(ctx, c.tx)
	})
	return from, err
}

// findIdentity finds the identity of key, "source:external_id". Either
// part may hold colons ("github:owner/repo", a chat account
// "@ann:example.org"), so each colon is tried as the separator, the last
// first, each an indexed lookup.
func findIdentity(ctx context.Context, tx execer, key string) (id int64, source, ext string, member sql.NullInt64, err error) {
	for i := len(key) - 1; i > 0; i-- {
		if key[i] != ':' || i == len(key)-1 {
			continue
		}
		source, ext = key[:i], key[i+1:]
		err = tx.QueryRowContext(ctx, "SELECT id, member_id FROM identities WHERE source = ? AND external_id = ?", source, ext).
			Scan(&id, &member)
		if !errors.Is(err, sql.ErrNoRows) {
			return id, source, ext, member, err
		}
	}
	return 0, "", "", member, sql.ErrNoRows
}

// dropMergeLinks removes the manual merges between self and any of
// others: a split of what a person merged by hand undoes that merge.
func dropMergeLinks(c *change, self memberIdentity, others []memberIdentity) error {
	type merge struct {
		id                     int64
		aSrc, aExt, bSrc, bExt string
	}
	links, err := queryRows(c.ctx, c.tx, func(sc scanner, l *merge) error {
		return sc.Scan(&l.id, &l.aSrc, &l.aExt, &l.bSrc, &l.bExt)
	}, `SELECT id, a_source, a_external_id, b_source, b_external_id FROM identity_links WHERE kind = 'merge' ORDER BY id`)
	if err != nil {
		return err
	}
	// Identities compare without case, as the merge compares them.
	is := func(src, ext string, i memberIdentity) bool {
		return strings.EqualFold(src+":"+ext, i.key())
	}
	for _, l := range links {
		joins := false
		for _, o := range others {
			joins = joins || is(l.aSrc, l.aExt, self) && is(l.bSrc, l.bExt, o) ||
				is(l.bSrc, l.bExt, self) && is(l.aSrc, l.aExt, o)
		}
		if !joins {
			continue
		}
		before, _, err := linksTable.load(c.ctx, c.tx, idRef{l.id})
		if err != nil {
			return err
		}
		if err := put(c, linksTable, idRef{l.id}, before, nil); err != nil {
			return err
		}
	}
	return nil
}
