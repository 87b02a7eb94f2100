// Package people decides which accounts are one person: it groups
// identities (accounts on sources) into members by the rules below, names
// each member, picks its organisation and bot mark, and keeps member ids
// stable. It is pure logic over plain values, tested without a database;
// the store loads its input and saves its Plan.
package people

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"hearth/model"
)

// After every sync, identities (accounts on sources) are grouped
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
//     its login;
//  5. the same website in GitHub or Discourse profiles, and a profile
//     naming another account: a Discourse profile's website or bio naming
//     github.com/LOGIN, a GitHub profile's website being a Discourse
//     profile page (see sites.go).
//
// Each group records why its identities are one: per join, the rule and
// the key ("same e-mail ann@x.org", "config alias"), for the member page.
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

// Rules are the config file's rules for people and organisations.
type Rules struct {
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

// Identity is what the merge reads of an identity.
type Identity struct {
	ID                                                 int64
	Source, ExternalID, Username, Name, Email, Company string
	URL, Website, Bio                                  string // the profile page, the website it names, its bio
	Bot                                                bool   // as the source said
	Member                                             int64  // its member now; 0 for none
	// Former is the member it had before a manual merge joined that
	// member to another (0: none): when the identity is apart again (the
	// merge undone, or split), its group takes that id back if it is free.
	// Negative: the identity was split off its member, which keeps its id
	// for the identities that stay.
	Former int64
	Weight int // activities, to choose names and orgs
}

// Link is a manual merge or split of two identities, "source:external_id"
// each, in the order they were made.
type Link struct {
	Kind          string // "merge" or "split"
	ASource, AExt string
	BSource, BExt string
}

// Group is one member of the plan.
type Group struct {
	Member      int64 // kept from its identities when it can be, else new
	New         bool  // Member did not exist before
	Identities  []int // indexes into the identities given to Merge, ascending
	Name        string
	Org         string // "" for none
	Bot         bool   // any identity is a bot
	IdentityBot []bool // per identity of the group
	// Reasons say which rules joined the identities, one line each
	// ("same e-mail ann@x.org", "manual merge"), in a stable order; none
	// for a group of one.
	Reasons []string
}

// Plan is the merge's outcome, for the store to save.
type Plan struct {
	Groups []Group
	// Orgs are the configured organisations and their domains (sorted,
	// comma-separated): saved whether or not anyone works there.
	Orgs map[string]string
	// Deleted are existing members no group kept.
	Deleted []int64
}

// Merge groups ids into members by rules and links. existing lists the
// member ids the database has; a group keeps the smallest id its
// identities had, if no earlier group took it, and the others get ids above
// every existing one.
func Merge(ids []Identity, links []Link, existing []int64, rules Rules, bots *model.BotMatcher) Plan {
	var maxID int64
	for _, id := range existing {
		maxID = max(maxID, id)
	}
	return merge(ids, links, existing, maxID, rules, bots)
}

func merge(ids []Identity, links []Link, existing []int64, maxID int64, rules Rules, bots *model.BotMatcher) Plan {
	groups, reasons := group(ids, links, rules)
	orgs, configured := chooseOrgs(ids, groups, rules)
	plan := Plan{Orgs: configured}

	have := make(map[int64]bool, len(existing))
	for _, id := range existing {
		have[id] = true
		maxID = max(maxID, id)
	}
	// Each group keeps the smallest id its identities have, if no earlier
	// group took it; identities a manual merge brought into their member
	// (Former set) claim it only after the member's own identities, so
	// that a merge undone gives each side its id back.
	claimed := map[int64]bool{}
	ids2 := make([]int64, len(groups))
	claim := func(g int, ok func(p *Identity) bool) {
		var best int64
		for _, i := range groups[g] {
			if m := ids[i].Member; m != 0 && have[m] && !claimed[m] && ok(&ids[i]) && (best == 0 || m < best) {
				best = m
			}
		}
		if best != 0 {
			ids2[g], claimed[best] = best, true
		}
	}
	for g := range groups {
		claim(g, func(p *Identity) bool { return p.Former == 0 || p.Former == p.Member })
	}
	isNew := make([]bool, len(groups))
	for g, members := range groups {
		if ids2[g] != 0 {
			continue
		}
		// The id a merge took from it, if nobody has it now.
		for _, i := range members {
			if f := ids[i].Former; f > 0 && !have[f] && !claimed[f] && (ids2[g] == 0 || f < ids2[g]) {
				ids2[g] = f
			}
		}
		if ids2[g] != 0 {
			claimed[ids2[g]], isNew[g] = true, true
			maxID = max(maxID, ids2[g])
			continue
		}
		if claim(g, func(*Identity) bool { return true }); ids2[g] != 0 {
			continue
		}
		maxID++
		ids2[g], isNew[g] = maxID, true
		claimed[maxID] = true
	}
	for g, members := range groups {
		best := ids2[g]
		gr := Group{Member: best, New: isNew[g], Identities: members, Name: memberName(ids, members), Org: orgs[g],
			IdentityBot: make([]bool, len(members)), Reasons: reasons[g]}
		for n, i := range members {
			gr.IdentityBot[n] = isBot(ids[i], bots)
			gr.Bot = gr.Bot || gr.IdentityBot[n]
		}
		plan.Groups = append(plan.Groups, gr)
	}
	for _, id := range existing {
		if !claimed[id] {
			plan.Deleted = append(plan.Deleted, id)
		}
	}
	sort.Slice(plan.Deleted, func(i, j int) bool { return plan.Deleted[i] < plan.Deleted[j] })
	return plan
}

func isBot(p Identity, bots *model.BotMatcher) bool {
	return p.Bot || bots.IsBot(p.Username, p.Name, p.Email) || bots.IsBot(p.ExternalID, "", p.ExternalID)
}

// edge is a union group made and the union-find accepted: between two
// nodes (identities first, then keys), of a kind (edgeManual…), with the
// source of the identity for an edgeMention.
type edge struct {
	a, b, kind int
	src        string
}

// group applies the rules: the groups of identity indexes, in order of
// their first identity, and each group's reasons.
func group(ids []Identity, links []Link, rules Rules) ([][]int, [][]string) {
	// Identity lookup by key, exact and case-insensitive (logins and
	// addresses are case-insensitive on every source we read).
	byKey := make(map[string]int, len(ids))
	byFold := make(map[string]int, len(ids))
	for i, p := range ids {
		byKey[p.Source+":"+p.ExternalID] = i
		if _, dup := byFold[strings.ToLower(p.Source+":"+p.ExternalID)]; !dup {
			byFold[strings.ToLower(p.Source+":"+p.ExternalID)] = i
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
	var nodeKeys []string // by node - len(ids)
	node := func(key string) int {
		if n, ok := keyNodes[key]; ok {
			return n
		}
		n := u.add()
		keyNodes[key] = n
		nodeKeys = append(nodeKeys, key)
		return n
	}
	var edges []edge
	join := func(a, b int, kind int, src string) {
		if u.union(a, b, kind == edgeManual) {
			edges = append(edges, edge{a, b, kind, src})
		}
	}

	// The latest link about a pair decides it: a split added after a merge
	// undoes the merge and the other way round.
	type pair struct{ a, b int }
	decided := map[pair]string{}
	var order []pair
	for _, l := range links {
		a, okA := lookup(l.ASource, l.AExt)
		b, okB := lookup(l.BSource, l.BExt)
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
		decided[p] = l.Kind
	}
	for _, p := range order {
		if decided[p] == "split" {
			u.splits[p.a] = append(u.splits[p.a], p.b)
			u.splits[p.b] = append(u.splits[p.b], p.a)
		}
	}
	for _, p := range order {
		if decided[p] == "merge" {
			join(p.a, p.b, edgeManual, "")
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
				join(group, node("login:"+strings.ToLower(ext)), edgeAlias, "")
			case hasSrc && !strings.Contains(src, "@"):
				if i, ok := lookup(src, ext); ok {
					join(group, i, edgeAlias, "")
				}
			default:
				if k := normEmail(item); k != "" {
					join(group, node(k), edgeAlias, "")
				}
			}
		}
	}

	// A website named by more than MaxSiteSharers identities is a
	// company's: it joins no one.
	sharers := map[string]int{}
	for _, p := range ids {
		own, _ := siteKeys(p)
		for _, k := range own {
			if strings.HasPrefix(k, "site:") {
				sharers[k]++
			}
		}
	}

	// Addresses and logins.
	for i, p := range ids {
		if strings.EqualFold(p.Source, "github") {
			login := p.Username
			if login == "" {
				login = p.ExternalID
			}
			join(i, node("login:"+strings.ToLower(login)), edgeOwn, "")
		}
		for _, addr := range []string{p.Email, p.ExternalID} {
			if k := normEmail(addr); k != "" {
				join(i, node(k), edgeOwn, "")
			}
		}
		own, mention := siteKeys(p)
		for _, k := range own {
			if sharers[k] <= MaxSiteSharers {
				join(i, node(k), edgeOwn, "")
			}
		}
		for _, k := range mention {
			join(i, node(k), edgeMention, p.Source)
		}
	}

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
	return groups, reasons(len(ids), u, groupOf, len(groups), edges, nodeKeys)
}

// reasons explains each group: it replays the accepted edges of the group
// in a fresh union-find, manual merges first, then the keys identities
// share, then the alias lists, and records the edge of every union that
// joins two parts each holding an identity. The order makes a key shared
// directly read as that key, and an alias read as the alias, whatever the
// order group met them in. It depends only on the group's own identities
// and edges, so a merge of part of the identities (MergePart) explains a
// group as a merge of all does.
func reasons(nIDs int, u *unionFind, groupOf map[int]int, nGroups int, edges []edge, nodeKeys []string) [][]string {
	out := make([][]string, nGroups)
	// Per key, whether an identity holds it as its own and the source of
	// the first profile that named it, as the replay meets them.
	owned := map[int]bool{}
	mentionBy := map[int]string{}
	parent := map[int]int{}
	find := func(x int) int {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			if gp, ok := parent[p]; ok {
				parent[x] = gp
			}
			x = p
		}
	}
	hasID := map[int]bool{}
	for _, kinds := range [][]int{{edgeManual}, {edgeOwn, edgeMention}, {edgeAlias}} {
		for _, e := range edges {
			if !slices.Contains(kinds, e.kind) {
				continue
			}
			g, ok := groupOf[u.find(e.a)]
			if !ok {
				continue // keys and aliases no identity has
			}
			// A key joins as a mention when a profile names the account:
			// this edge, or an earlier one when no identity owned it yet.
			mention := ""
			switch e.kind {
			case edgeMention:
				mention = e.src
				if _, ok := mentionBy[e.b]; !ok {
					mentionBy[e.b] = e.src
				}
			case edgeOwn:
				if !owned[e.b] {
					mention = mentionBy[e.b]
				}
				owned[e.b] = true
			}
			ra, rb := find(e.a), find(e.b)
			if ra == rb {
				continue
			}
			idA := hasID[ra] || ra < nIDs
			idB := hasID[rb] || rb < nIDs
			parent[rb] = ra
			hasID[ra] = idA || idB
			if !idA || !idB {
				continue
			}
			var why string
			switch e.kind {
			case edgeManual:
				why = "manual merge"
			case edgeAlias:
				why = "config alias"
			default:
				why = keyReason(nodeKeys[e.b-nIDs], mention)
			}
			if !slices.Contains(out[g], why) {
				out[g] = append(out[g], why)
			}
		}
	}
	return out
}

// memberName picks the most complete name of a group: a GitHub profile
// name first, then the git name used for the most activity, then any other
// name, then a login or address.
func memberName(ids []Identity, members []int) string {
	score := map[string]int{}
	best := func(filter func(Identity) bool) string {
		clear(score)
		for _, i := range members {
			p := ids[i]
			if n := strings.TrimSpace(p.Name); n != "" && filter(p) {
				score[n] += p.Weight + 1
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
	if n := best(func(p Identity) bool { return strings.EqualFold(p.Source, "github") }); n != "" {
		return n
	}
	if n := best(func(p Identity) bool { return strings.EqualFold(p.Source, "git") }); n != "" {
		return n
	}
	if n := best(func(Identity) bool { return true }); n != "" {
		return n
	}
	for _, i := range members {
		if ids[i].Username != "" {
			return ids[i].Username
		}
	}
	for _, i := range members {
		if ids[i].Email != "" {
			return ids[i].Email
		}
	}
	return ids[members[0]].ExternalID
}

// chooseOrgs returns each group's organisation and the configured
// organisations with their domains. Evidence ranks: a configured domain
// (the user said so), then a GitHub company field, then an unconfigured
// company domain (only with DomainOrgs); within a rank the identity with
// most activity wins. Public mail domains never name one.
func chooseOrgs(ids []Identity, groups [][]int, rules Rules) (map[int]string, map[string]string) {
	domainOrg := map[string]string{}
	configured := map[string]string{}
	for name, domains := range rules.Orgs {
		var ds []string
		for _, d := range domains {
			d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
			if d != "" {
				ds = append(ds, d)
				domainOrg[d] = name
			}
		}
		sort.Strings(ds)
		configured[name] = strings.Join(ds, ",")
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
			for _, addr := range []string{p.Email, p.ExternalID} {
				d := emailDomain(addr)
				if d == "" || publicDomains[d] || !strings.Contains(d, ".") {
					continue
				}
				if n := configuredFor(d); n != "" {
					consider(3, n, p.Weight)
				} else if rules.DomainOrgs {
					consider(1, d, p.Weight)
				}
			}
			if strings.EqualFold(p.Source, "github") {
				consider(2, cleanCompany(p.Company), p.Weight)
			}
		}
		if name != "" {
			chosen[g] = name
		}
	}
	return chosen, configured
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

// The store keeps an index of merge keys so that a sync can regroup only
// the identities it added or changed and those connected to them, instead
// of every identity of the community. The keys below are the nodes group
// joins identities through; the store looks them up to find everything a
// changed identity may now be grouped with.

// Keys returns the merge keys of an identity: its GitHub login, its
// normalised addresses, and its own key folded to lower case ("id:…"),
// which links and aliases name it by. Two identities group() may join
// directly share a key; links and aliases join keys (LinkKeys, AliasKeys).
func Keys(p Identity) []string {
	keys := []string{IdentityKey(p.Source, p.ExternalID)}
	add := func(k string) {
		if k != "" && !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if strings.EqualFold(p.Source, "github") {
		login := p.Username
		if login == "" {
			login = p.ExternalID
		}
		add("login:" + strings.ToLower(login))
	}
	add(normEmail(p.Email))
	add(normEmail(p.ExternalID))
	own, mention := siteKeys(p)
	for _, k := range own {
		add(k)
	}
	for _, k := range mention {
		add(k)
	}
	return keys
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// IdentityKey is the key an identity is named by in links and aliases:
// "id:" and "source:external_id" in lower case (group looks identities
// up case-insensitively).
func IdentityKey(source, externalID string) string {
	return "id:" + strings.ToLower(source+":"+externalID)
}

// LinkKeys returns the keys of the two identities a link names.
func LinkKeys(l Link) (a, b string) {
	return IdentityKey(l.ASource, l.AExt), IdentityKey(l.BSource, l.BExt)
}

// AliasKeys returns, per alias list of rules.Same, the keys it joins, as
// group reads the list.
func AliasKeys(rules Rules) [][]string {
	out := make([][]string, len(rules.Same))
	for n, same := range rules.Same {
		for _, item := range same {
			item = strings.TrimSpace(item)
			src, ext, hasSrc := strings.Cut(item, ":")
			var k string
			switch {
			case hasSrc && !strings.Contains(src, "@") && strings.EqualFold(src, "github"):
				k = "login:" + strings.ToLower(ext)
			case hasSrc && !strings.Contains(src, "@"):
				k = IdentityKey(src, ext)
			default:
				k = normEmail(item)
			}
			if k != "" {
				out[n] = append(out[n], k)
			}
		}
	}
	return out
}

// MergePart is Merge over part of the identities: a set closed under
// every rule (whatever shares a key, a link or an alias with one of them
// is in it, and so is every identity of their members), with existing
// the members of those identities and maxID the largest member id of the
// whole database. New members get ids above maxID. For such a part it
// decides what Merge over all identities decides for it: groups never
// cross the part's border, so the groups outside it stay as they are.
func MergePart(ids []Identity, links []Link, existing []int64, maxID int64, rules Rules, bots *model.BotMatcher) Plan {
	return merge(ids, links, existing, maxID, rules, bots)
}

// Fingerprint identifies the rules a merge was made with; a merge with
// other rules must regroup everyone.
func Fingerprint(r Rules) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	orgs := map[string][]string{}
	for name, ds := range r.Orgs {
		orgs[name] = slices.Sorted(slices.Values(ds))
	}
	// The version names the key scheme above: a change of Keys must
	// rebuild the store's index.
	enc.Encode(struct {
		Version    int
		Same       [][]string
		Orgs       map[string][]string
		Bots       []string
		DomainOrgs bool
	}{2, r.Same, orgs, r.Bots, r.DomainOrgs})
	return hex.EncodeToString(h.Sum(nil))
}
