package people

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Possible duplicates: members the merge keeps apart although they are
// probably one person. The merge joins only on strong evidence (the same
// address, the same GitHub login, links); these are the weaker hints a
// person should look at and settle by hand, with a merge or with "not the
// same person":
//
//   - two GitHub noreply addresses of one account: the number before the
//     "+" is the account's, so "12345+ann@…" and "12345+ann-lee@…" are one
//     account that changed its login;
//   - a noreply address of login L and an address whose local part is L
//     ("ann@example.org"): typically the commits of one account, made
//     before and after it hid its address;
//   - the same login on two sources ("ann" on GitHub and on the forum);
//   - the same name (two words at least, compared without case and extra
//     spaces) on members with different addresses.
//
// A login or name that more than maxShared members carry is too common to
// say anything ("john", "Alex Smith" in a large community) and is left out.

// maxShared is how many members may share a login or a name for it to
// still suggest they are one person.
const maxShared = 3

// Reasons of a pair, strongest first (the order of Pair.Rank).
const (
	rankNoreplyID = iota
	rankNoreplyCommit
	rankLogin
	rankName
)

// Account is what the duplicates read of an identity: far less than
// Identity, since they read every identity of the community.
type Account struct {
	Member                                    int64 // 0: none yet (left out)
	Source, ExternalID, Username, Name, Email string
}

// Pair is two members that are possibly one person: A < B, the identity
// keys ("source:external_id") that made the match, and why.
type Pair struct {
	A, B       int64
	AKey, BKey string
	Reasons    []string // strongest first
	Rank       int      // of the strongest reason; lower is stronger
}

// PairKey names an unordered pair of members.
type PairKey [2]int64

// MakePairKey orders a and b.
func MakePairKey(a, b int64) PairKey {
	if a > b {
		a, b = b, a
	}
	return PairKey{a, b}
}

// noreply reads a GitHub noreply address: the account number (empty for
// the older form without one) and the login.
func noreply(addr string) (num, login string, ok bool) {
	addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>"))
	local, domain, found := strings.Cut(addr, "@")
	if !found || domain != githubNoreply || local == "" {
		return "", "", false
	}
	if n, l, plus := strings.Cut(local, "+"); plus {
		return n, l, l != ""
	}
	return "", local, true
}

// normName is the name as the duplicates compare it: lower case, single
// spaces; "" for a name of fewer than two words.
func normName(name string) string {
	name = strings.TrimSpace(name)
	if !strings.ContainsAny(name, " \t") {
		return ""
	}
	if !strings.Contains(name, "  ") && !strings.ContainsAny(name, "\t\n") {
		return lower(name) // the usual case, "Ann Lee": no copy to split
	}
	f := strings.Fields(name)
	if len(f) < 2 {
		return ""
	}
	return lower(strings.Join(f, " "))
}

// lower is strings.ToLower without a copy of what is lower case already.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// sourceKind is the kind of a source: "github" for "github:owner/repo".
func sourceKind(source string) string {
	k, _, _ := strings.Cut(strings.ToLower(source), ":")
	return k
}

// Duplicates finds the possible duplicates among ids (the accounts with
// their members; those without a member are left out). apart lists the
// pairs a person said are not one person: they are never returned. Pairs
// come strongest reason first, then by member ids.
func Duplicates(ids []Account, apart map[PairKey]bool) []Pair {
	pairs := map[PairKey]*Pair{}
	add := func(a, b *Account, rank int, reason string) {
		if a.Member == 0 || b.Member == 0 || a.Member == b.Member {
			return
		}
		k := MakePairKey(a.Member, b.Member)
		if apart[k] {
			return
		}
		if a.Member > b.Member {
			a, b = b, a
		}
		p := pairs[k]
		if p == nil {
			p = &Pair{A: k[0], B: k[1], AKey: a.Source + ":" + a.ExternalID, BKey: b.Source + ":" + b.ExternalID, Rank: rank}
			pairs[k] = p
		}
		if !slices.Contains(p.Reasons, reason) {
			p.Reasons = append(p.Reasons, reason)
		}
		if rank < p.Rank {
			// The strongest reason names the pair's identities.
			p.Rank, p.AKey, p.BKey = rank, a.Source+":"+a.ExternalID, b.Source+":"+b.ExternalID
		}
	}
	// Index every identity by what may match it. This runs over every
	// identity of the community, so it allocates only for what it keeps:
	// lower-casing copies only names that have capitals, and addresses
	// are indexed by local part only when a noreply login could match.
	byNum := map[string][]int{}     // noreply account number
	byNoreply := map[string][]int{} // noreply login
	byLogin, byName := newKeyIndex(len(ids)), newKeyIndex(len(ids))
	hasMail := make([]bool, len(ids)) // the identity has an address
	for i := range ids {
		p := &ids[i]
		if p.Member == 0 {
			continue
		}
		for n, addr := range []string{p.Email, p.ExternalID} {
			if n == 1 && addr == p.Email || !strings.Contains(addr, "@") {
				continue
			}
			if num, login, ok := noreply(addr); ok {
				if num != "" {
					byNum[num] = appendOnce(byNum[num], i)
				}
				byNoreply[login] = appendOnce(byNoreply[login], i)
			}
			hasMail[i] = true
		}
		login := p.Username
		if login == "" && sourceKind(p.Source) == "github" {
			login = p.ExternalID
		}
		login = lower(strings.TrimPrefix(strings.TrimSpace(login), "@"))
		if len(login) >= 3 && !strings.Contains(login, "@") {
			byLogin.add(login, i)
		}
		if n := normName(p.Name); n != "" {
			byName.add(n, i)
		}
	}
	// The addresses whose local part is a noreply login: few.
	byLocal := map[string][]int{}
	if len(byNoreply) > 0 {
		for i := range ids {
			p := &ids[i]
			for n, addr := range []string{p.Email, p.ExternalID} {
				if p.Member == 0 || n == 1 && addr == p.Email {
					continue
				}
				local, domain, ok := strings.Cut(addr, "@")
				if !ok || strings.EqualFold(domain, githubNoreply) {
					continue
				}
				if j := strings.IndexByte(local, '+'); j > 0 {
					local = local[:j]
				}
				if local = lower(local); byNoreply[local] != nil {
					byLocal[local] = appendOnce(byLocal[local], i)
				}
			}
		}
	}
	for _, num := range sortedKeys(byNum) {
		group := byNum[num]
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				a, b := &ids[group[x]], &ids[group[y]]
				_, la, _ := noreplyOf(a)
				_, lb, _ := noreplyOf(b)
				add(a, b, rankNoreplyID, fmt.Sprintf("one GitHub account (noreply %s: %s, %s)", num, la, lb))
			}
		}
	}
	for _, login := range sortedKeys(byNoreply) {
		if members(ids, byLocal[login]) > maxShared {
			continue
		}
		for _, i := range byNoreply[login] {
			for _, j := range byLocal[login] {
				b := &ids[j]
				add(&ids[i], b, rankNoreplyCommit, fmt.Sprintf("noreply address of %s and address %s", login, strings.ToLower(addressOf(b))))
			}
		}
	}
	for _, login := range byLogin.sharedKeys() {
		group := byLogin.group(login)
		if members(ids, group) > maxShared {
			continue
		}
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				a, b := &ids[group[x]], &ids[group[y]]
				if sourceKind(a.Source) == sourceKind(b.Source) {
					continue // two accounts on one site are two people
				}
				add(a, b, rankLogin, fmt.Sprintf("same login %s on %s and %s", login, sourceKind(a.Source), sourceKind(b.Source)))
			}
		}
	}
	// Which members of a shared name have an address: asked of every
	// identity, but only for the few members a name is shared by.
	names := byName.sharedKeys()
	emails := map[int64]bool{}
	for _, name := range names {
		for _, i := range byName.group(name) {
			emails[ids[i].Member] = false
		}
	}
	for i := range ids {
		if had, ok := emails[ids[i].Member]; ok && !had && hasMail[i] {
			emails[ids[i].Member] = true
		}
	}
	for _, name := range names {
		group := byName.group(name)
		if members(ids, group) > maxShared {
			continue
		}
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				a, b := &ids[group[x]], &ids[group[y]]
				if !emails[a.Member] || !emails[b.Member] {
					continue
				}
				add(a, b, rankName, "same name "+strings.Join(strings.Fields(a.Name), " ")+", different addresses")
			}
		}
	}
	out := make([]Pair, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(x, y Pair) int {
		if c := cmp.Compare(x.Rank, y.Rank); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	return out
}

func noreplyOf(p *Account) (num, login string, ok bool) {
	if num, login, ok = noreply(p.Email); ok {
		return
	}
	return noreply(p.ExternalID)
}

// addressOf is the identity's address: its e-mail, else an external id
// that is one (commits are keyed by address).
func addressOf(p *Account) string {
	if strings.Contains(p.Email, "@") {
		return p.Email
	}
	return p.ExternalID
}

// members counts the distinct members of the identities group, up to
// one more than maxShared (all a caller needs to know).
func members(ids []Account, group []int) int {
	var seen [maxShared + 1]int64
	n := 0
	for _, i := range group {
		m := ids[i].Member
		if !slices.Contains(seen[:n], m) {
			seen[n] = m
			if n++; n == len(seen) {
				break
			}
		}
	}
	return n
}

func appendOnce(xs []int, x int) []int {
	if len(xs) > 0 && xs[len(xs)-1] == x {
		return xs
	}
	return append(xs, x)
}

// keyIndex finds the identities of a key (a login, a name) among all of
// a community's: each key's last identity, and for each identity the one
// before it with the same key. Most keys are one identity's; a slice per
// key would be 150,000 allocations for a community of 100,000.
type keyIndex struct {
	last   map[string]int32
	prev   []int32 // -1: the key's first identity
	shared []string
}

func newKeyIndex(n int) *keyIndex {
	return &keyIndex{last: make(map[string]int32, n), prev: make([]int32, n)}
}

func (x *keyIndex) add(key string, i int) {
	x.prev[i] = -1
	if j, ok := x.last[key]; ok {
		x.prev[i] = j
		if x.prev[j] == -1 {
			x.shared = append(x.shared, key) // its second identity
		}
	}
	x.last[key] = int32(i)
}

// sharedKeys are the keys of two identities or more, sorted.
func (x *keyIndex) sharedKeys() []string {
	slices.Sort(x.shared)
	return x.shared
}

// group is the identities of key, in order.
func (x *keyIndex) group(key string) []int {
	var g []int
	for i := x.last[key]; i >= 0; i = x.prev[i] {
		g = append(g, int(i))
	}
	slices.Reverse(g)
	return g
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
