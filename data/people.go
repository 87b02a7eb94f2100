package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"hearth/model"
)

// People: after every sync, identities (accounts on sources) are grouped
// into members (people). The grouping is recomputed from scratch each time
// from the synced identities, the config's rules and the user's links, so
// it never drifts; what keeps it stable for the user is that a group reuses
// the member id its identities already had.
//
// Rules, strongest first:
//  1. manual 'merge' links (identity_links) join two identities, always;
//  2. manual 'split' links keep two identities apart against every rule
//     below (not against rule 1: a chain of manual merges wins);
//  3. the config's alias lists ([[people]] same = [...]);
//  4. the same e-mail address, compared case-insensitively and without a
//     "+tag" in the local part; GitHub noreply addresses stand for the
//     GitHub login they contain. A GitHub identity joins by its e-mail and
//     its login.
//
// When several links name the same pair, the latest one decides.
//
// A shared address (a team mailbox used by two people) makes one
// member: we cannot tell the people apart from the address alone, and a
// split link between their other identities, or between the address and one
// of them, undoes it.
//
// An identity is a bot when its source said so or model.BotMatcher (its
// conventions and the configured patterns) recognises its login, name or
// address; a member with any bot identity is a bot, and
// bot marks are never lowered by a sync (the connector cannot see the
// config's patterns). Bots stay members, so their activity is kept, but
// the summaries leave them out of every metric.

// PeopleRules are the config file's rules for people and organisations.
type PeopleRules struct {
	// Same lists aliases of one person each: e-mail addresses,
	// "github:login", or any identity key "source:external_id".
	Same [][]string
	// Orgs maps an organisation name to its e-mail domains.
	Orgs map[string][]string
	// Bots are regular expressions; an identity whose login, external id,
	// e-mail or name matches one is a bot.
	Bots []string
	// DomainOrgs lets an unknown company e-mail domain create an
	// organisation named after the domain. Off by default: a domain alone is
	// weak evidence of employment.
	DomainOrgs bool
}

// publicDomains never name an organisation: anyone can have an address there.
var publicDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true,
	"live.com": true, "msn.com": true, "yahoo.com": true, "ymail.com": true, "icloud.com": true,
	"me.com": true, "mac.com": true, "aol.com": true, "protonmail.com": true, "proton.me": true,
	"pm.me": true, "fastmail.com": true, "fastmail.fm": true, "gmx.de": true, "gmx.net": true,
	"web.de": true, "mail.ru": true, "yandex.ru": true, "qq.com": true, "163.com": true,
	"users.noreply.github.com": true, "github.com": true, "localhost": true,
}

const githubNoreply = "users.noreply.github.com"

// normEmail returns the merge key of an address: "login:<login>" for a
// GitHub noreply address, "email:<local>@<domain>" otherwise (lower case,
// "+tag" removed), "" when it is not an address.
func normEmail(addr string) string {
	addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>"))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return ""
	}
	if domain == githubNoreply {
		if _, login, ok := strings.Cut(local, "+"); ok {
			local = login
		}
		return "login:" + local
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return "email:" + local + "@" + domain
}

func emailDomain(addr string) string {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return ""
	}
	return strings.Trim(d, "<> ")
}

// personIdentity is what the merge reads of an identity.
type personIdentity struct {
	id                                      int64
	source, ext, user, name, email, company string
	bot                                     bool
	member                                  sql.NullInt64
	weight                                  int // activities, to choose names and orgs
}

// unionFind over identities and merge keys, with split constraints: a
// union that would put two split identities into one group is refused.
type unionFind struct {
	parent []int
	splits map[int][]int // root → identities that must never join its group
}

func (u *unionFind) add() int {
	u.parent = append(u.parent, len(u.parent))
	return len(u.parent) - 1
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins a and b unless force is false and a split forbids it; it
// reports whether they are now one group.
func (u *unionFind) union(a, b int, force bool) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return true
	}
	if !force {
		for _, p := range u.splits[ra] {
			if u.find(p) == rb {
				return false
			}
		}
		for _, p := range u.splits[rb] {
			if u.find(p) == ra {
				return false
			}
		}
	}
	// Keep the smaller index as root: groups then list in identity order.
	if rb < ra {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	if s := u.splits[rb]; len(s) > 0 {
		u.splits[ra] = append(u.splits[ra], s...)
		delete(u.splits, rb)
	}
	return true
}

// MergePeople regroups identities into members by the rules above, assigns
// organisations and bot marks, and deletes members left empty, in one
// transaction.
func (s *Store) MergePeople(ctx context.Context, rules PeopleRules) error {
	_, err := s.mergePeople(ctx, rules)
	return err
}

// mergePeople is MergePeople that also returns the ids of the members it
// created, changed, regrouped or deleted: whose summaries are stale.
func (s *Store) mergePeople(ctx context.Context, rules PeopleRules) (map[int64]bool, error) {
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

func loadPeopleIdentities(ctx context.Context, tx execer) ([]personIdentity, error) {
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
	var ids []personIdentity
	for rows.Next() {
		var p personIdentity
		if err := rows.Scan(&p.id, &p.source, &p.ext, &p.user, &p.name, &p.email, &p.company, &p.bot, &p.member); err != nil {
			return nil, err
		}
		p.weight = weights[p.id]
		ids = append(ids, p)
	}
	return ids, rows.Err()
}

// isBot: the source said so, or the shared matcher recognises the login,
// name or address; the external id is judged too (a git identity's is its
// address, a GitHub identity's its login).
func isBot(p personIdentity, bots *model.BotMatcher) bool {
	return p.bot || bots.IsBot(p.user, p.name, p.email) || bots.IsBot(p.ext, "", p.ext)
}

type linkRow struct {
	kind       string
	aSrc, aExt string
	bSrc, bExt string
}

func loadLinks(ctx context.Context, tx execer) ([]linkRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, a_source, a_external_id, b_source, b_external_id
		FROM identity_links ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []linkRow
	for rows.Next() {
		var l linkRow
		if err := rows.Scan(&l.kind, &l.aSrc, &l.aExt, &l.bSrc, &l.bExt); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func mergePeople(ctx context.Context, tx execer, rules PeopleRules, bots *model.BotMatcher, changed map[int64]bool) error {
	ids, err := loadPeopleIdentities(ctx, tx)
	if err != nil {
		return fmt.Errorf("load identities: %w", err)
	}
	links, err := loadLinks(ctx, tx)
	if err != nil {
		return fmt.Errorf("load links: %w", err)
	}
	// Identity lookup by key, exact and case-insensitive (logins and
	// addresses are case-insensitive on every source we read).
	byKey := make(map[string]int, len(ids))
	byFold := make(map[string]int, len(ids))
	for i, p := range ids {
		byKey[p.source+":"+p.ext] = i
		if _, dup := byFold[strings.ToLower(p.source+":"+p.ext)]; !dup {
			byFold[strings.ToLower(p.source+":"+p.ext)] = i
		}
	}
	lookup := func(src, ext string) (int, bool) {
		if i, ok := byKey[src+":"+ext]; ok {
			return i, true
		}
		i, ok := byFold[strings.ToLower(src+":"+ext)]
		return i, ok
	}

	u := &unionFind{splits: map[int][]int{}}
	for range ids {
		u.add()
	}
	keyNodes := map[string]int{}
	node := func(key string) int {
		if n, ok := keyNodes[key]; ok {
			return n
		}
		n := u.add()
		keyNodes[key] = n
		return n
	}

	// The latest link about a pair decides it: a split added after a merge
	// undoes the merge and the other way round.
	type pair struct{ a, b int }
	decided := map[pair]string{}
	var order []pair
	for _, l := range links {
		a, okA := lookup(l.aSrc, l.aExt)
		b, okB := lookup(l.bSrc, l.bExt)
		if !okA || !okB || a == b {
			continue // about identities not synced (yet): kept, applied later
		}
		if b < a {
			a, b = b, a
		}
		p := pair{a, b}
		if _, ok := decided[p]; !ok {
			order = append(order, p)
		}
		decided[p] = l.kind
	}
	for _, p := range order {
		if decided[p] == "split" {
			u.splits[p.a] = append(u.splits[p.a], p.b)
			u.splits[p.b] = append(u.splits[p.b], p.a)
		}
	}
	for _, p := range order {
		if decided[p] == "merge" {
			u.union(p.a, p.b, true)
		}
	}

	// Config aliases.
	for n, same := range rules.Same {
		group := node(fmt.Sprintf("same:%d", n))
		for _, item := range same {
			item = strings.TrimSpace(item)
			src, ext, hasSrc := strings.Cut(item, ":")
			switch {
			case hasSrc && !strings.Contains(src, "@") && strings.EqualFold(src, "github"):
				u.union(group, node("login:"+strings.ToLower(ext)), false)
			case hasSrc && !strings.Contains(src, "@"):
				if i, ok := lookup(src, ext); ok {
					u.union(group, i, false)
				}
			default:
				if k := normEmail(item); k != "" {
					u.union(group, node(k), false)
				}
			}
		}
	}

	// Addresses and logins.
	for i, p := range ids {
		if strings.EqualFold(p.source, "github") {
			login := p.user
			if login == "" {
				login = p.ext
			}
			u.union(i, node("login:"+strings.ToLower(login)), false)
		}
		for _, addr := range []string{p.email, p.ext} {
			if k := normEmail(addr); k != "" {
				u.union(i, node(k), false)
			}
		}
	}

	// Groups, in order of their first identity.
	groupOf := map[int]int{}
	var groups [][]int
	for i := range ids {
		r := u.find(i)
		g, ok := groupOf[r]
		if !ok {
			g = len(groups)
			groupOf[r] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}

	orgIDs, err := syncOrgs(ctx, tx, rules, ids, groups)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}

	// Member ids: each group keeps the smallest id its identities had, if no
	// earlier group took it; the rest get fresh ids.
	existing := map[int64]bool{}
	var maxID int64
	rows, err := tx.QueryContext(ctx, "SELECT id FROM members")
	if err != nil {
		return fmt.Errorf("load member ids: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("load member ids: %w", err)
		}
		existing[id] = true
		maxID = max(maxID, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load member ids: %w", err)
	}
	claimed := map[int64]bool{}
	memberOf := make([]int64, len(groups))
	for g, members := range groups {
		var best int64
		for _, i := range members {
			if m := ids[i].member; m.Valid && existing[m.Int64] && !claimed[m.Int64] && (best == 0 || m.Int64 < best) {
				best = m.Int64
			}
		}
		if best == 0 {
			maxID++
			best = maxID
		}
		claimed[best] = true
		memberOf[g] = best
	}

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
	for g, members := range groups {
		mid := memberOf[g]
		bot := false
		identityBot := make([]bool, len(members))
		for n, i := range members {
			identityBot[n] = isBot(ids[i], bots)
			bot = bot || identityBot[n]
		}
		var org any
		if id, ok := orgIDs[g]; ok {
			org = id
		}
		name := memberName(ids, members)
		if existing[mid] {
			res, err := updMember.ExecContext(ctx, mid, name, org, bot)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed[mid] = true
			}
		} else if _, err := insMember.ExecContext(ctx, mid, name, org, bot); err != nil {
			return err
		} else {
			changed[mid] = true
		}
		for n, i := range members {
			res, err := updIdentity.ExecContext(ctx, ids[i].id, mid, identityBot[n])
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				// The identity moved (or became a bot): both its old and
				// its new member are stale.
				changed[mid] = true
				if old := ids[i].member; old.Valid {
					changed[old.Int64] = true
				}
			}
		}
	}
	for id := range existing {
		if !claimed[id] {
			if _, err := tx.ExecContext(ctx, "DELETE FROM members WHERE id = ?", id); err != nil {
				return err
			}
			changed[id] = true
		}
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

// memberName picks the most complete name of a group: a GitHub profile
// name first, then the git name used for the most activity, then any other
// name, then a login or address.
func memberName(ids []personIdentity, members []int) string {
	score := map[string]int{}
	best := func(filter func(personIdentity) bool) string {
		clear(score)
		for _, i := range members {
			p := ids[i]
			if n := strings.TrimSpace(p.name); n != "" && filter(p) {
				score[n] += p.weight + 1
			}
		}
		var name string
		for n, sc := range score {
			if name == "" || sc > score[name] || sc == score[name] && (len(n) > len(name) || len(n) == len(name) && n < name) {
				name = n
			}
		}
		return name
	}
	if n := best(func(p personIdentity) bool { return strings.EqualFold(p.source, "github") }); n != "" {
		return n
	}
	if n := best(func(p personIdentity) bool { return strings.EqualFold(p.source, "git") }); n != "" {
		return n
	}
	if n := best(func(personIdentity) bool { return true }); n != "" {
		return n
	}
	for _, i := range members {
		if ids[i].user != "" {
			return ids[i].user
		}
	}
	for _, i := range members {
		if ids[i].email != "" {
			return ids[i].email
		}
	}
	return ids[members[0]].ext
}

// syncOrgs writes the configured organisations and those named by GitHub
// company fields (or, when enabled, by company e-mail domains) and returns
// each group's organisation. Evidence ranks: a configured domain (the user
// said so), then a company field, then an unconfigured domain; within a
// rank the identity with most activity wins.
func syncOrgs(ctx context.Context, tx execer, rules PeopleRules, ids []personIdentity, groups [][]int) (map[int]int64, error) {
	byName := map[string]int64{} // lower-case name → id
	load := func() error {
		rows, err := tx.QueryContext(ctx, "SELECT id, name FROM orgs")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			byName[strings.ToLower(name)] = id
		}
		return rows.Err()
	}
	domainOrg := map[string]string{}
	names := make([]string, 0, len(rules.Orgs))
	for name := range rules.Orgs {
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
		var ds []string
		for _, d := range rules.Orgs[name] {
			d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
			if d != "" {
				ds = append(ds, d)
				domainOrg[d] = name
			}
		}
		sort.Strings(ds)
		if _, err := up.ExecContext(ctx, name, strings.Join(ds, ",")); err != nil {
			return nil, err
		}
	}
	if err := load(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	configuredFor := func(domain string) string {
		for d := domain; d != ""; {
			if name, ok := domainOrg[d]; ok {
				return name
			}
			_, rest, ok := strings.Cut(d, ".")
			if !ok || !strings.Contains(rest, ".") {
				return ""
			}
			d = rest
		}
		return ""
	}

	chosen := map[int]string{}
	for g, members := range groups {
		var name string
		rank, weight := 0, -1
		consider := func(r int, n string, w int) {
			if n == "" {
				return
			}
			if r > rank || r == rank && w > weight {
				name, rank, weight = n, r, w
			}
		}
		for _, i := range members {
			p := ids[i]
			for _, addr := range []string{p.email, p.ext} {
				d := emailDomain(addr)
				if d == "" || publicDomains[d] || !strings.Contains(d, ".") {
					continue
				}
				if n := configuredFor(d); n != "" {
					consider(3, n, p.weight)
				} else if rules.DomainOrgs {
					consider(1, d, p.weight)
				}
			}
			if strings.EqualFold(p.source, "github") {
				consider(2, cleanCompany(p.company), p.weight)
			}
		}
		if name != "" {
			chosen[g] = name
		}
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO orgs(name) VALUES (?) ON CONFLICT(name) DO NOTHING")
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	out := map[int]int64{}
	for g := range groups {
		name, ok := chosen[g]
		if !ok {
			continue
		}
		id, ok := byName[strings.ToLower(name)]
		if !ok {
			if _, err := ins.ExecContext(ctx, name); err != nil {
				return nil, err
			}
			if err := tx.QueryRowContext(ctx, "SELECT id FROM orgs WHERE name = ?", name).Scan(&id); err != nil {
				return nil, err
			}
			byName[strings.ToLower(name)] = id
		}
		out[g] = id
	}
	return out, nil
}

// cleanCompany turns a GitHub company field ("@acme-corp ", "Acme, Inc.")
// into an organisation name.
func cleanCompany(c string) string {
	c = strings.TrimSpace(c)
	c = strings.TrimPrefix(c, "@")
	c = strings.TrimSpace(strings.TrimRight(c, ".,;"))
	switch strings.ToLower(c) {
	case "", "-", "none", "n/a", "self", "self-employed", "freelance", "freelancer", "independent":
		return ""
	}
	return c
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
		VALUES (?, ?, ?, ?, ?, ?)`, kind, aSrc, aExt, bSrc, bExt, time.Now().Unix())
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
