package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// The people merge: package people decides, from the identities, the
// user's links and the config's rules, which identities are one member;
// this file loads its input and saves its plan, in the transaction that
// marks the members it changed for rederiving.

// peopleRulesKey is the meta key of the fingerprint of the rules the last full
// merge used (people.Fingerprint).
const peopleRulesKey = "people_rules"

// MergePeople regroups every identity into members by the rules above,
// assigns organisations and bot marks, deletes members left empty and
// rebuilds the index of merge keys, in one transaction. It is the full
// merge: the reference MergeDirtyPeople must agree with, and what a change
// of the rules needs.
func (s *Store) MergePeople(ctx context.Context, rules people.Rules) error {
	_, err := s.mergePeople(ctx, rules)
	return err
}

// MergeDirtyPeople is what a sync runs: it regroups only the identities
// marked in dirty_people and dirty_groups and everything connected to
// them through the merge keys, links and aliases, plus every identity of
// the members involved, which gives the same members as MergePeople at a
// cost that grows with what changed. With nothing marked it reads two
// tables and writes nothing. When the rules differ from those of the last
// full merge (or no full merge was recorded), it runs MergePeople.
func (s *Store) MergeDirtyPeople(ctx context.Context, rules people.Rules) error {
	_, err := s.merge(ctx, rules, false)
	return err
}

// mergePeople is MergePeople that also returns the ids of the members it
// created, changed, regrouped or deleted: whose summaries are stale.
func (s *Store) mergePeople(ctx context.Context, rules people.Rules) (map[int64]bool, error) {
	return s.merge(ctx, rules, true)
}

func (s *Store) merge(ctx context.Context, rules people.Rules, full bool) (map[int64]bool, error) {
	bots, err := model.NewBotMatcher(rules.Bots)
	if err != nil {
		return nil, fmt.Errorf("merge people: %w", err)
	}
	fp := people.Fingerprint(rules)
	if !full {
		// Outside a transaction first: a sync that brought nothing new
		// takes no write lock.
		full, err = mergeDue(ctx, s.db, fp)
		if err != nil {
			return nil, fmt.Errorf("merge people: %w", friendly(err))
		}
		if !full {
			var dirty bool
			if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dirty_people)
				OR EXISTS (SELECT 1 FROM dirty_groups)`).Scan(&dirty); err != nil {
				return nil, fmt.Errorf("merge people: %w", friendly(err))
			}
			if !dirty {
				return map[int64]bool{}, nil
			}
		}
	}
	changed := map[int64]bool{}
	err = s.immediate(ctx, func(tx execer) error {
		return mergeIn(ctx, tx, rules, bots, fp, full, changed)
	})
	if err != nil {
		return nil, fmt.Errorf("merge people: %w", friendly(err))
	}
	return changed, nil
}

// mergeIn is the merge inside the transaction tx: the full one when full
// is set or the rules of fingerprint fp are not those of the last full
// merge, else the merge of what is marked dirty. It records in changed the
// members it touched and marks them for the refresh.
func mergeIn(ctx context.Context, tx execer, rules people.Rules, bots *model.BotMatcher, fp string, full bool, changed map[int64]bool) error {
	all := full
	if !all {
		// Another process may have merged with other rules since.
		var err error
		if all, err = mergeDue(ctx, tx, fp); err != nil {
			return err
		}
	}
	if all {
		if err := mergePeople(ctx, tx, rules, bots, changed); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, peopleRulesKey, fp); err != nil {
			return err
		}
	} else if err := mergeDirty(ctx, tx, rules, bots, changed); err != nil {
		return err
	}
	// Everything marked is regrouped now.
	for _, q := range []string{"DELETE FROM dirty_people", "DELETE FROM dirty_groups"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	// In the same transaction: a run stopped before its refresh
	// leaves these marked for the next one.
	return markDirty(ctx, tx, "dirty_members", changed)
}

// mergeDue reports whether the last full merge was made with other rules
// than those of fingerprint fp, or none was recorded.
func mergeDue(ctx context.Context, db interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, fp string) (bool, error) {
	var stored string
	err := db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", peopleRulesKey).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return stored != fp, err
}

// mergePeople loads, groups and saves every identity in tx; it records in
// changed the members it created, changed, regrouped or deleted.
func mergePeople(ctx context.Context, tx execer, rules people.Rules, bots *model.BotMatcher, changed map[int64]bool) error {
	ids, err := loadPeopleIdentities(ctx, tx, "", nil)
	if err != nil {
		return fmt.Errorf("load identities: %w", err)
	}
	links, err := loadLinks(ctx, tx)
	if err != nil {
		return fmt.Errorf("load links: %w", err)
	}
	existing, err := loadMemberIDs(ctx, tx)
	if err != nil {
		return fmt.Errorf("load member ids: %w", err)
	}
	plan := people.Merge(ids, links, existing, rules, bots)
	if err := savePlan(ctx, tx, ids, plan, changed); err != nil {
		return err
	}
	// Organisations nobody works for and the config does not list are
	// synced leftovers.
	configured := configuredOrgs(rules)
	q := "DELETE FROM orgs WHERE id NOT IN (SELECT org_id FROM members WHERE org_id IS NOT NULL)"
	if len(configured) > 0 {
		q += " AND name NOT IN (" + placeholders(len(configured)) + ")"
	}
	if _, err = tx.ExecContext(ctx, q, configured...); err != nil {
		return err
	}
	// The index of merge keys, rebuilt whole.
	if _, err := tx.ExecContext(ctx, "DELETE FROM identity_keys"); err != nil {
		return err
	}
	return writeKeys(ctx, tx, ids)
}

func configuredOrgs(rules people.Rules) []any {
	configured := make([]any, 0, len(rules.Orgs))
	for name := range rules.Orgs {
		configured = append(configured, name)
	}
	return configured
}

// savePlan writes the plan's organisations, members and member ids, and
// deletes the members it drops.
func savePlan(ctx context.Context, tx execer, ids []people.Identity, plan people.Plan, changed map[int64]bool) error {
	orgIDs, err := saveOrgs(ctx, tx, plan)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	if err := saveGroups(ctx, tx, ids, plan, orgIDs, changed); err != nil {
		return err
	}
	if err := saveReasons(ctx, tx, plan); err != nil {
		return fmt.Errorf("merge reasons: %w", err)
	}
	for _, id := range plan.Deleted {
		if _, err := tx.ExecContext(ctx, "DELETE FROM members WHERE id = ?", id); err != nil {
			return err
		}
		changed[id] = true
	}
	return nil
}

// mergeDirty regroups the part of the identities the dirty tables reach
// (see closure) with people.MergePart, and saves that part only.
func mergeDirty(ctx context.Context, tx execer, rules people.Rules, bots *model.BotMatcher, changed map[int64]bool) error {
	dirty, err := queryIDs(ctx, tx, "SELECT id FROM dirty_people")
	if err != nil {
		return fmt.Errorf("load dirty identities: %w", err)
	}
	groups, err := queryIDs(ctx, tx, "SELECT id FROM dirty_groups")
	if err != nil {
		return fmt.Errorf("load dirty members: %w", err)
	}
	// The keys of the marked identities first: new ones have none yet,
	// changed ones may have others. Their old keys lead to their old
	// groups, which their members lead to as well; but an old website
	// also leads to those it was too common to join, who may join now
	// that one sharer fewer names it: those keys seed the closure.
	var marked []people.Identity
	var oldSites []string
	if err := inChunks(dirty, func(part []any) error {
		got, err := loadPeopleIdentities(ctx, tx, "WHERE id IN ("+placeholders(len(part))+")", part)
		marked = append(marked, got...)
		if err != nil {
			return err
		}
		sites, err := queryStrings(ctx, tx, "SELECT DISTINCT key FROM identity_keys WHERE key >= 'site:' AND key < 'site;' AND identity_id IN ("+placeholders(len(part))+")", part...)
		if err != nil {
			return err
		}
		oldSites = append(oldSites, sites...)
		_, err = tx.ExecContext(ctx, "DELETE FROM identity_keys WHERE identity_id IN ("+placeholders(len(part))+")", part...)
		return err
	}); err != nil {
		return fmt.Errorf("merge keys: %w", err)
	}
	if err := writeKeys(ctx, tx, marked); err != nil {
		return fmt.Errorf("merge keys: %w", err)
	}
	links, err := loadLinks(ctx, tx)
	if err != nil {
		return fmt.Errorf("load links: %w", err)
	}
	partIDs, members, err := closure(ctx, tx, dirty, groups, oldSites, links, rules)
	if err != nil {
		return fmt.Errorf("find connected identities: %w", err)
	}
	var ids []people.Identity
	if err := inChunks(partIDs, func(part []any) error {
		got, err := loadPeopleIdentities(ctx, tx, "WHERE id IN ("+placeholders(len(part))+")", part)
		ids = append(ids, got...)
		return err
	}); err != nil {
		return fmt.Errorf("load identities: %w", err)
	}
	// Groups list in identity order, as in a full merge.
	slices.SortFunc(ids, func(a, b people.Identity) int { return cmp.Compare(a.ID, b.ID) })
	var existing []int64
	oldOrgs := map[int64]bool{}
	if err := inChunks(members, func(part []any) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, org_id FROM members WHERE id IN ("+placeholders(len(part))+")", part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var org sql.NullInt64
			if err := rows.Scan(&id, &org); err != nil {
				return err
			}
			existing = append(existing, id)
			if org.Valid {
				oldOrgs[org.Int64] = true
			}
		}
		return rows.Err()
	}); err != nil {
		return fmt.Errorf("load member ids: %w", err)
	}
	var maxID int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM members").Scan(&maxID); err != nil {
		return fmt.Errorf("load member ids: %w", err)
	}
	plan := people.MergePart(ids, links, existing, maxID, rules, bots)
	if err := savePlan(ctx, tx, ids, plan, changed); err != nil {
		return err
	}
	// Only organisations the part's members worked for can be left
	// without anyone.
	configured := configuredOrgs(rules)
	q := "DELETE FROM orgs WHERE id = ? AND NOT EXISTS (SELECT 1 FROM members WHERE org_id = orgs.id)"
	if len(configured) > 0 {
		q += " AND name NOT IN (" + placeholders(len(configured)) + ")"
	}
	for org := range oldOrgs {
		if _, err := tx.ExecContext(ctx, q, append([]any{org}, configured...)...); err != nil {
			return fmt.Errorf("organisations: %w", err)
		}
	}
	return nil
}

// closure returns the identities and members a merge of the marked
// identities, members and keys must regroup: everything reachable from them
// through a shared merge key, a link, an alias list or a common member,
// each hop one indexed lookup per few hundred rows. Every group the full
// merge would form either lies wholly inside it or wholly outside, and so
// does every member: outside it, nothing changes.
//
// A website some identities share is a key like the others: the closure
// reaches all its sharers, so that the merge counts them as a full merge
// does (a site of many is a company's and joins no one).
func closure(ctx context.Context, tx execer, dirty, groups []int64, keys []string, links []people.Link, rules people.Rules) (ids, members []int64, err error) {
	aliases := people.AliasKeys(rules)
	aliasOf := map[string][]int{}
	for n, keys := range aliases {
		for _, k := range keys {
			aliasOf[k] = append(aliasOf[k], n)
		}
	}
	linked := map[string][]string{}
	for _, l := range links {
		a, b := people.LinkKeys(l)
		linked[a] = append(linked[a], b)
		linked[b] = append(linked[b], a)
	}
	seenID, seenMember, seenKey := map[int64]bool{}, map[int64]bool{}, map[string]bool{}
	var newIDs, newMembers []int64
	var newKeys []any
	addID := func(id int64) {
		if !seenID[id] {
			seenID[id] = true
			newIDs = append(newIDs, id)
		}
	}
	addMember := func(id int64) {
		if !seenMember[id] {
			seenMember[id] = true
			newMembers = append(newMembers, id)
		}
	}
	var addKey func(k string)
	addKey = func(k string) {
		if seenKey[k] {
			return
		}
		seenKey[k] = true
		newKeys = append(newKeys, k)
		for _, n := range aliasOf[k] {
			for _, other := range aliases[n] {
				addKey(other)
			}
		}
		for _, other := range linked[k] {
			addKey(other)
		}
	}
	for _, id := range dirty {
		addID(id)
	}
	for _, id := range groups {
		addMember(id)
	}
	for _, k := range keys {
		addKey(k)
	}
	// Each round reads what the last one found: the keys of new identities,
	// the members they belong to, the identities of new members, and the
	// identities that share a new key.
	for len(newIDs)+len(newMembers)+len(newKeys) > 0 {
		batchIDs := newIDs
		newIDs = nil
		if err := inChunks(batchIDs, func(part []any) error {
			in := placeholders(len(part))
			keys, err := queryStrings(ctx, tx, "SELECT key FROM identity_keys WHERE identity_id IN ("+in+")", part...)
			if err != nil {
				return err
			}
			for _, k := range keys {
				addKey(k)
			}
			ms, err := queryIDs(ctx, tx, "SELECT member_id FROM identities WHERE id IN ("+in+") AND member_id IS NOT NULL", part...)
			for _, m := range ms {
				addMember(m)
			}
			return err
		}); err != nil {
			return nil, nil, err
		}
		batchMembers := newMembers
		newMembers = nil
		if err := inChunks(batchMembers, func(part []any) error {
			found, err := queryIDs(ctx, tx, "SELECT id FROM identities WHERE member_id IN ("+placeholders(len(part))+")", part...)
			for _, id := range found {
				addID(id)
			}
			return err
		}); err != nil {
			return nil, nil, err
		}
		batchKeys := newKeys
		newKeys = nil
		for start := 0; start < len(batchKeys); start += inChunk {
			part := batchKeys[start:min(start+inChunk, len(batchKeys))]
			found, err := queryIDs(ctx, tx, "SELECT identity_id FROM identity_keys WHERE key IN ("+placeholders(len(part))+")", part...)
			if err != nil {
				return nil, nil, err
			}
			for _, id := range found {
				addID(id)
			}
		}
	}
	for id := range seenID {
		ids = append(ids, id)
	}
	for id := range seenMember {
		members = append(members, id)
	}
	slices.Sort(ids)
	slices.Sort(members)
	return ids, members, nil
}

// inChunk is how many ids one IN (...) list carries.
const inChunk = 500

// inChunks calls fn with ids, a few hundred at a time, as arguments.
func inChunks(ids []int64, fn func(part []any) error) error {
	args := make([]any, 0, min(len(ids), inChunk))
	for start := 0; start < len(ids); start += inChunk {
		args = args[:0]
		for _, id := range ids[start:min(start+inChunk, len(ids))] {
			args = append(args, id)
		}
		if err := fn(args); err != nil {
			return err
		}
	}
	return nil
}

// queryIDs runs a query of one integer column and returns its values.
func queryIDs(ctx context.Context, tx querier, q string, args ...any) ([]int64, error) {
	return queryRows(ctx, tx, func(sc scanner, id *int64) error { return sc.Scan(id) }, q, args...)
}

// writeKeys adds the merge keys of ids to identity_keys.
func writeKeys(ctx context.Context, tx execer, ids []people.Identity) error {
	if len(ids) == 0 {
		return nil
	}
	const per = 200
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, 2*per)
	flush := func() error {
		n := len(args) / 2
		if n == 0 {
			return nil
		}
		st, ok := stmts[n]
		if !ok {
			var err error
			st, err = tx.PrepareContext(ctx, "INSERT OR IGNORE INTO identity_keys(key, identity_id) VALUES "+
				strings.TrimSuffix(strings.Repeat("(?,?),", n), ","))
			if err != nil {
				return err
			}
			stmts[n] = st
		}
		_, err := st.ExecContext(ctx, args...)
		args = args[:0]
		return err
	}
	for _, p := range ids {
		for _, k := range people.Keys(p) {
			args = append(args, k, p.ID)
			if len(args) == 2*per {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// saveGroups writes each group's member row and its identities' member
// ids, touching only rows that change.
func saveGroups(ctx context.Context, tx execer, ids []people.Identity, plan people.Plan, orgIDs map[string]int64, changed map[int64]bool) error {
	insMember, err := tx.PrepareContext(ctx, "INSERT INTO members(id, name, org_id, bot) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer insMember.Close()
	updMember, err := tx.PrepareContext(ctx, `UPDATE members SET name = ?2, org_id = ?3, bot = ?4
		WHERE id = ?1 AND (name IS NOT ?2 OR org_id IS NOT ?3 OR bot IS NOT ?4)`)
	if err != nil {
		return err
	}
	defer updMember.Close()
	// An identity back in the member a manual merge took it from, or
	// split off into a member of its own, has used its hint
	// (writer_people.go).
	updIdentity, err := tx.PrepareContext(ctx, `UPDATE identities SET member_id = ?2, bot = max(bot, ?3),
		former_member = CASE WHEN former_member = ?2 OR former_member < 0 THEN NULL ELSE former_member END
		WHERE id = ?1 AND (member_id IS NOT ?2 OR bot < ?3)`)
	if err != nil {
		return err
	}
	defer updIdentity.Close()
	for _, g := range plan.Groups {
		var org any
		if g.Org != "" {
			org = orgIDs[strings.ToLower(g.Org)]
		}
		if g.New {
			if _, err := insMember.ExecContext(ctx, g.Member, g.Name, org, g.Bot); err != nil {
				return err
			}
			changed[g.Member] = true
		} else {
			res, err := updMember.ExecContext(ctx, g.Member, g.Name, org, g.Bot)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed[g.Member] = true
			}
		}
		for n, i := range g.Identities {
			res, err := updIdentity.ExecContext(ctx, ids[i].ID, g.Member, g.IdentityBot[n])
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				// The identity moved (or became a bot): both its old and
				// its new member are stale.
				changed[g.Member] = true
				if old := ids[i].Member; old != 0 {
					changed[old] = true
				}
			}
		}
	}
	return nil
}

// saveReasons rewrites the merge reasons of the plan's groups whose
// reasons changed. The reasons of deleted members go with them (ON DELETE
// CASCADE).
func saveReasons(ctx context.Context, tx execer, plan people.Plan) error {
	read, err := tx.PrepareContext(ctx, "SELECT reason FROM member_merge_reasons WHERE member_id = ? ORDER BY position")
	if err != nil {
		return err
	}
	defer read.Close()
	del, err := tx.PrepareContext(ctx, "DELETE FROM member_merge_reasons WHERE member_id = ?")
	if err != nil {
		return err
	}
	defer del.Close()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO member_merge_reasons(member_id, position, reason) VALUES (?, ?, ?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, g := range plan.Groups {
		var old []string
		if !g.New {
			rows, err := read.QueryContext(ctx, g.Member)
			if err != nil {
				return err
			}
			for rows.Next() {
				var r string
				if err := rows.Scan(&r); err != nil {
					rows.Close()
					return err
				}
				old = append(old, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if slices.Equal(old, g.Reasons) {
			continue
		}
		if _, err := del.ExecContext(ctx, g.Member); err != nil {
			return err
		}
		for n, r := range g.Reasons {
			if _, err := ins.ExecContext(ctx, g.Member, n, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// saveOrgs writes the configured organisations (with their domains) and
// those the plan names, and returns every organisation's id by lower-case
// name.
func saveOrgs(ctx context.Context, tx execer, plan people.Plan) (map[string]int64, error) {
	names := make([]string, 0, len(plan.Orgs))
	for name := range plan.Orgs {
		names = append(names, name)
	}
	sort.Strings(names)
	up, err := tx.PrepareContext(ctx, `INSERT INTO orgs(name, domains) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET domains = excluded.domains WHERE domains IS NOT excluded.domains`)
	if err != nil {
		return nil, err
	}
	defer up.Close()
	for _, name := range names {
		if _, err := up.ExecContext(ctx, name, plan.Orgs[name]); err != nil {
			return nil, err
		}
	}
	// Only the organisations the plan names, looked up one by one: a
	// merge of a few identities reads a few rows.
	byName := map[string]int64{}
	find, err := tx.PrepareContext(ctx, "SELECT id FROM orgs WHERE name = ?")
	if err != nil {
		return nil, err
	}
	defer find.Close()
	for _, name := range names {
		var id int64
		if err := find.QueryRowContext(ctx, name).Scan(&id); err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		byName[strings.ToLower(name)] = id
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO orgs(name) VALUES (?) ON CONFLICT(name) DO NOTHING")
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	for _, g := range plan.Groups {
		key := strings.ToLower(g.Org)
		if g.Org == "" || byName[key] != 0 {
			continue
		}
		if _, err := ins.ExecContext(ctx, g.Org); err != nil {
			return nil, err
		}
		var id int64
		if err := find.QueryRowContext(ctx, g.Org).Scan(&id); err != nil {
			return nil, err
		}
		byName[key] = id
	}
	return byName, nil
}

// loadPeopleIdentities reads the identities where says (all for ""),
// with their activity counts (the weight that chooses names and
// organisations), by id.
func loadPeopleIdentities(ctx context.Context, tx execer, where string, args []any) ([]people.Identity, error) {
	return queryRows(ctx, tx, func(sc scanner, p *people.Identity) error {
		var member sql.NullInt64
		err := sc.Scan(&p.ID, &p.Source, &p.ExternalID, &p.Username, &p.Name, &p.Email, &p.Company, &p.Bot, &member, &p.Weight,
			&p.URL, &p.Website, &p.Bio, &p.Former)
		p.Member = member.Int64
		return err
	}, `SELECT id, source, external_id, username, name, email, company, bot, member_id, activities,
		url, website, bio, `+formerCol+` FROM identities `+where+` ORDER BY id`, args...)
}

// formerCol reads identities.former_member for the merge: 0 when unset,
// and when another member holds that id now (the hint is void then).
const formerCol = `CASE WHEN former_member IS NULL OR former_member = member_id
	OR NOT EXISTS (SELECT 1 FROM members WHERE id = former_member) THEN coalesce(former_member, 0) ELSE 0 END`

// loadLinks reads the user's manual merges and splits, oldest first.
func loadLinks(ctx context.Context, tx execer) ([]people.Link, error) {
	return queryRows(ctx, tx, func(sc scanner, l *people.Link) error {
		return sc.Scan(&l.Kind, &l.ASource, &l.AExt, &l.BSource, &l.BExt)
	}, "SELECT kind, a_source, a_external_id, b_source, b_external_id FROM identity_links ORDER BY id")
}

func loadMemberIDs(ctx context.Context, tx execer) ([]int64, error) {
	return queryIDs(ctx, tx, "SELECT id FROM members")
}

// LinkIdentities records that two identities, each "source:external_id",
// are one person (kind "merge") or must never be merged ("split"). It is
// user-authored data: it survives every sync, and takes effect at the next
// merge (every sync runs one), which regroups the two identities.
func (s *Store) LinkIdentities(ctx context.Context, kind string, a, b string) error {
	if kind != "merge" && kind != "split" {
		return fmt.Errorf("link identities: kind %q is neither merge nor split", kind)
	}
	aSrc, aExt, okA := strings.Cut(a, ":")
	bSrc, bExt, okB := strings.Cut(b, ":")
	if !okA || aSrc == "" || aExt == "" {
		return fmt.Errorf("link identities: %q is not source:external_id", a)
	}
	if !okB || bSrc == "" || bExt == "" {
		return fmt.Errorf("link identities: %q is not source:external_id", b)
	}
	if a == b {
		return fmt.Errorf("link identities: %s with itself", a)
	}
	err := s.immediate(ctx, func(tx execer) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO identity_links(kind, a_source, a_external_id, b_source, b_external_id, created)
			VALUES (?, ?, ?, ?, ?, ?)`, kind, aSrc, aExt, bSrc, bExt, s.now().Unix()); err != nil {
			return err
		}
		return markLinked(ctx, tx, people.Link{Kind: kind, ASource: aSrc, AExt: aExt, BSource: bSrc, BExt: bExt})
	})
	if err != nil {
		return fmt.Errorf("link identities: %w", friendly(err))
	}
	return nil
}

// UnlinkIdentities deletes one manual link by id.
func (s *Store) UnlinkIdentities(ctx context.Context, id int64) error {
	err := s.immediate(ctx, func(tx execer) error {
		var l people.Link
		err := tx.QueryRowContext(ctx, `DELETE FROM identity_links WHERE id = ?
			RETURNING kind, a_source, a_external_id, b_source, b_external_id`, id).
			Scan(&l.Kind, &l.ASource, &l.AExt, &l.BSource, &l.BExt)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("identity link %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return markLinked(ctx, tx, l)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("unlink identities: %w", friendly(err))
	}
	return nil
}

// markLinked marks the identities a link names for the next merge. An
// identity not yet in identity_keys has never been merged, and is marked
// already.
func markLinked(ctx context.Context, tx execer, l people.Link) error {
	a, b := people.LinkKeys(l)
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_people(id)
		SELECT identity_id FROM identity_keys WHERE key IN (?, ?)`, a, b)
	return err
}
