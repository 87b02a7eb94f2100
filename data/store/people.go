package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"hearth/data/people"
	"hearth/model"
)

// The people merge: package people decides, from the identities, the
// user's links and the config's rules, which identities are one member;
// this file loads its input and saves its plan, in the transaction that
// marks the members it changed for rederiving.

// MergePeople regroups identities into members by the rules above, assigns
// organisations and bot marks, and deletes members left empty, in one
// transaction.
func (s *Store) MergePeople(ctx context.Context, rules people.Rules) error {
	_, err := s.mergePeople(ctx, rules)
	return err
}

// mergePeople is MergePeople that also returns the ids of the members it
// created, changed, regrouped or deleted: whose summaries are stale.
func (s *Store) mergePeople(ctx context.Context, rules people.Rules) (map[int64]bool, error) {
	bots, err := model.NewBotMatcher(rules.Bots)
	if err != nil {
		return nil, fmt.Errorf("merge people: %w", err)
	}
	changed := map[int64]bool{}
	err = s.immediate(ctx, func(tx execer) error {
		if err := mergePeople(ctx, tx, rules, bots, changed); err != nil {
			return err
		}
		// In the same transaction: a run stopped before its refresh
		// leaves these marked for the next one.
		return markDirty(ctx, tx, "dirty_members", changed)
	})
	if err != nil {
		return nil, fmt.Errorf("merge people: %w", friendly(err))
	}
	return changed, nil
}

// mergePeople loads, groups and saves in tx; it records in changed the
// members it created, changed, regrouped or deleted.
func mergePeople(ctx context.Context, tx execer, rules people.Rules, bots *model.BotMatcher, changed map[int64]bool) error {
	ids, err := loadPeopleIdentities(ctx, tx)
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
	orgIDs, err := saveOrgs(ctx, tx, plan)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	if err := saveGroups(ctx, tx, ids, plan, orgIDs, changed); err != nil {
		return err
	}
	for _, id := range plan.Deleted {
		if _, err := tx.ExecContext(ctx, "DELETE FROM members WHERE id = ?", id); err != nil {
			return err
		}
		changed[id] = true
	}
	// Organisations nobody works for and the config does not list are
	// synced leftovers.
	configured := make([]any, 0, len(rules.Orgs))
	for name := range rules.Orgs {
		configured = append(configured, name)
	}
	q := "DELETE FROM orgs WHERE id NOT IN (SELECT org_id FROM members WHERE org_id IS NOT NULL)"
	if len(configured) > 0 {
		q += " AND name NOT IN (" + placeholders(len(configured)) + ")"
	}
	_, err = tx.ExecContext(ctx, q, configured...)
	return err
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
	updIdentity, err := tx.PrepareContext(ctx, `UPDATE identities SET member_id = ?2, bot = max(bot, ?3)
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
	byName := map[string]int64{}
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM orgs")
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load: %w", err)
		}
		byName[strings.ToLower(name)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
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
		if err := tx.QueryRowContext(ctx, "SELECT id FROM orgs WHERE name = ?", g.Org).Scan(&id); err != nil {
			return nil, err
		}
		byName[key] = id
	}
	return byName, nil
}

// loadPeopleIdentities reads every identity with its activity count (the
// weight that chooses names and organisations).
func loadPeopleIdentities(ctx context.Context, tx execer) ([]people.Identity, error) {
	weights := map[int64]int{}
	rows, err := tx.QueryContext(ctx, "SELECT identity_id, count(*) FROM activities GROUP BY identity_id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		weights[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, source, external_id, username, name, email, company, bot, member_id
		FROM identities ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []people.Identity
	for rows.Next() {
		var p people.Identity
		var member sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Source, &p.ExternalID, &p.Username, &p.Name, &p.Email, &p.Company, &p.Bot, &member); err != nil {
			return nil, err
		}
		p.Member = member.Int64
		p.Weight = weights[p.ID]
		ids = append(ids, p)
	}
	return ids, rows.Err()
}

// loadLinks reads the user's manual merges and splits, oldest first.
func loadLinks(ctx context.Context, tx execer) ([]people.Link, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, a_source, a_external_id, b_source, b_external_id
		FROM identity_links ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []people.Link
	for rows.Next() {
		var l people.Link
		if err := rows.Scan(&l.Kind, &l.ASource, &l.AExt, &l.BSource, &l.BExt); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func loadMemberIDs(ctx context.Context, tx execer) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM members")
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

// LinkIdentities records that two identities, each "source:external_id",
// are one person (kind "merge") or must never be merged ("split"). It is
// user-authored data: it survives every sync, and takes effect at the next
// MergePeople (every Sync runs one).
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
	_, err := s.db.ExecContext(ctx, `INSERT INTO identity_links(kind, a_source, a_external_id, b_source, b_external_id, created)
		VALUES (?, ?, ?, ?, ?, ?)`, kind, aSrc, aExt, bSrc, bExt, s.now().Unix())
	if err != nil {
		return fmt.Errorf("link identities: %w", friendly(err))
	}
	return nil
}

// UnlinkIdentities deletes one manual link by id.
func (s *Store) UnlinkIdentities(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM identity_links WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("unlink identities: %w", friendly(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("identity link %d: %w", id, ErrNotFound)
	}
	return nil
}
