package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"hearth/data/store"
	"hearth/model"
)

const peopleUsage = `Usage: hearth people COMMAND ...

Who is who, settled by hand:

  hearth people merge MEMBER MEMBER     the two members are one person
  hearth people split IDENTITY          take one account out of its member
  hearth people duplicates [flags]      members that are possibly one person
  hearth people not-same MEMBER MEMBER  the two are two people: stop offering them

MEMBER is a member id, an @handle or an e-mail address. IDENTITY is an
account's key, SOURCE:EXTERNAL_ID ("github:ada", "mbox:ada@example.org"),
as the identities of hearth members --format json and the member page list
them. Merges, splits and not-same are recorded like every change made by
hand: they survive every sync, and hearth undo reverts them. The members
are regrouped at once with the config file's rules (--config).
`

const duplicatesUsage = `Usage: hearth people duplicates [flags]

Lists pairs of members that are possibly one person, strongest reason first:
two GitHub noreply addresses of one account, a noreply address and an
address with the same login, the same login on two sources, the same name
with different addresses. A login or name that more than three members
share is left out. Settle a pair with hearth people merge A B, or say they
are two people with hearth people not-same A B.
`

// peopleCommands are the subcommands of hearth people.
var peopleCommands = map[string]commandFunc{
	"merge":      runPeopleMerge,
	"split":      runPeopleSplit,
	"duplicates": runDuplicates,
	"not-same":   runNotSame,
}

func runPeople(ctx context.Context, app *App, args []string) error {
	// The subcommand is the first argument that is not a flag or a flag's
	// value, so that global flags may come first.
	for i, a := range args {
		if strings.HasPrefix(a, "-") || i > 0 && peopleFlagTakesValue(args[i-1]) {
			continue
		}
		run, ok := peopleCommands[a]
		if !ok {
			return usageErrorf("people: unknown command %q (see hearth people --help)", a)
		}
		return run(ctx, app, append(append([]string{}, args[:i]...), args[i+1:]...))
	}
	fs := newFlags("people")
	help, err := app.parseCommand("people", peopleUsage, fs, args)
	if err != nil || help {
		return err
	}
	return usageErrorf("people: give a command: merge, split, duplicates or not-same (see hearth people --help)")
}

func peopleFlagTakesValue(a string) bool {
	switch a {
	case "--db", "--format", "--filter", "--limit", "--config":
		return true
	}
	return false
}

// openRegrouping opens the database for a change of who is who, with a
// writer that regroups the members at once.
func (a *App) openRegrouping(ctx context.Context, cfgPath string) (*store.Store, *store.Writer, error) {
	st, w, err := a.openWriter(ctx)
	if err != nil {
		return nil, nil, err
	}
	if w, err = a.env().Regrouping(ctx, st, w, cfgPath); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, w, nil
}

// regrouping is w set to show merges and splits at once, for the TUI: a
// config file that cannot be read leaves them for the next sync (the TUI
// says so) rather than keeping the program from starting.
func (a *App) regrouping(ctx context.Context, st *store.Store, w *store.Writer) *store.Writer {
	if rw, err := a.env().Regrouping(ctx, st, w, ""); err == nil {
		return rw
	}
	return w
}

// findMember resolves a reference (an id, @handle or e-mail address) to
// the account it names, with verb in its one-line error.
func findMember(ctx context.Context, st *store.Store, verb, ref string) (model.Identity, error) {
	who, err := st.FindMember(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return who, fmt.Errorf("%s: no member %s", verb, ref)
	}
	if err != nil {
		return who, fmt.Errorf("%s: %w", verb, err)
	}
	return who, nil
}

// findMembers resolves each reference to its member's id.
func findMembers(ctx context.Context, st *store.Store, verb string, refs []string) ([]int64, error) {
	ids := make([]int64, len(refs))
	for i, ref := range refs {
		who, err := findMember(ctx, st, verb, ref)
		if err != nil {
			return nil, err
		}
		if who.MemberID == 0 {
			return nil, fmt.Errorf("%s: %s is not in a member yet (run hearth sync)", verb, ref)
		}
		ids[i] = who.MemberID
	}
	return ids, nil
}

// pairCommand parses the flags and the two MEMBER arguments of merge and
// not-same, and opens the database for writing.
func pairCommand(ctx context.Context, app *App, name, usage string, args []string) (*store.Store, *store.Writer, []int64, error) {
	var cfgPath string
	fs := newFlags(name)
	fs.StringVar(&cfgPath, "config", "", "config file `path` (its people rules regroup the members)")
	help, err := app.parseCommand(name, usage, fs, args)
	if err != nil || help {
		return nil, nil, nil, err
	}
	if fs.NArg() != 2 {
		return nil, nil, nil, usageErrorf("%s: give two members (see hearth people --help)", name)
	}
	st, w, err := app.openRegrouping(ctx, cfgPath)
	if err != nil {
		return nil, nil, nil, err
	}
	ids, err := findMembers(ctx, st, name, fs.Args())
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	if ids[0] == ids[1] {
		st.Close()
		return nil, nil, nil, fmt.Errorf("%s: %s and %s are already one member (%d)", name, fs.Arg(0), fs.Arg(1), ids[0])
	}
	return st, w, ids, nil
}

func runPeopleMerge(ctx context.Context, app *App, args []string) error {
	st, w, ids, err := pairCommand(ctx, app, "people merge", peopleUsage, args)
	if err != nil || st == nil {
		return err
	}
	defer st.Close()
	if err := w.MergeMembers(ctx, ids[0], ids[1]); err != nil {
		return err
	}
	// The merged member keeps the smaller id; it is described from what
	// the database holds now (without the rules, the merge waits for the
	// next sync and the members are still two).
	kept := min(ids[0], ids[1])
	if !w.Regroups() {
		app.printf(app.Stdout, "recorded: members %d and %d are one person; the next sync merges them · hearth undo reverts it\n", ids[0], ids[1])
		return nil
	}
	d, err := st.MemberDetail(ctx, kept, 0)
	if err != nil {
		return fmt.Errorf("people merge: merged, but could not read member %d: %w", kept, err)
	}
	app.printf(app.Stdout, "merged: member %d, %s, %s · hearth undo reverts it\n", kept, memberName(&d.Member),
		plural(len(d.Identities), "account"))
	return nil
}

func runNotSame(ctx context.Context, app *App, args []string) error {
	st, w, ids, err := pairCommand(ctx, app, "people not-same", peopleUsage, args)
	if err != nil || st == nil {
		return err
	}
	defer st.Close()
	if err := w.NotDuplicates(ctx, ids[0], ids[1]); err != nil {
		return err
	}
	app.printf(app.Stdout, "noted: members %d and %d are two people · hearth undo reverts it\n", ids[0], ids[1])
	return nil
}

func runPeopleSplit(ctx context.Context, app *App, args []string) error {
	var cfgPath string
	fs := newFlags("people split")
	fs.StringVar(&cfgPath, "config", "", "config file `path` (its people rules regroup the members)")
	help, err := app.parseCommand("people split", peopleUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("people split: give one IDENTITY, source:external_id (see hearth people --help)")
	}
	key := fs.Arg(0)
	if i := strings.LastIndexByte(key, ':'); i <= 0 || i == len(key)-1 {
		return usageErrorf("people split: %q is not an identity key: give source:external_id, as hearth members --format json lists them", key)
	}
	st, w, err := app.openRegrouping(ctx, cfgPath)
	if err != nil {
		return err
	}
	defer st.Close()
	from, err := w.SplitIdentity(ctx, key)
	if err != nil {
		return err
	}
	app.printf(app.Stdout, "split %s off member %d · hearth undo reverts it\n", clean(key), from)
	return nil
}

// memberName is how a member is named in one line: its name, else its
// first handle.
func memberName(m *model.Member) string {
	if m.Name != "" {
		return clean(m.Name)
	}
	if len(m.Handles) > 0 {
		return clean(m.Handles[0])
	}
	return fmt.Sprintf("member %d", m.ID)
}

// duplicateRecord is one pair as hearth people duplicates prints it.
type duplicateRecord struct {
	AID      int64    `json:"a_id"`
	AName    string   `json:"a_name"`
	AHandles []string `json:"a_handles"`
	AKey     string   `json:"a_key"`
	BID      int64    `json:"b_id"`
	BName    string   `json:"b_name"`
	BHandles []string `json:"b_handles"`
	BKey     string   `json:"b_key"`
	Reasons  []string `json:"reasons"`
	Reason   string   `json:"-"` // the reasons in one line, for tables and CSV
}

func newDuplicateRecord(d *store.Duplicate) duplicateRecord {
	reasons := cleanList(d.Reasons)
	return duplicateRecord{
		AID: d.A.ID, BID: d.B.ID, AName: memberName(&d.A), BName: memberName(&d.B),
		AHandles: cleanList(d.A.Handles), BHandles: cleanList(d.B.Handles),
		AKey: clean(d.AKey), BKey: clean(d.BKey),
		Reason: strings.Join(reasons, "; "), Reasons: reasons,
	}
}

func duplicateColumns() []column[duplicateRecord] {
	return []column[duplicateRecord]{
		{name: "a_id", title: "A", right: true, text: func(r *duplicateRecord) string { return itoa(int(r.AID)) }},
		{name: "a_name", title: "NAME", least: 12, text: func(r *duplicateRecord) string { return r.AName }},
		{name: "a_key", text: func(r *duplicateRecord) string { return r.AKey }},
		{name: "b_id", title: "B", right: true, text: func(r *duplicateRecord) string { return itoa(int(r.BID)) }},
		{name: "b_name", title: "NAME", least: 12, text: func(r *duplicateRecord) string { return r.BName }},
		{name: "b_key", text: func(r *duplicateRecord) string { return r.BKey }},
		{name: "reason", title: "WHY", least: 20, text: func(r *duplicateRecord) string { return r.Reason }},
	}
}

// appendJSON writes the record as encoding/json would (see jsonObject).
func (r *duplicateRecord) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.int("a_id", r.AID)
	o.str("a_name", r.AName)
	o.strs("a_handles", r.AHandles)
	o.str("a_key", r.AKey)
	o.int("b_id", r.BID)
	o.str("b_name", r.BName)
	o.strs("b_handles", r.BHandles)
	o.str("b_key", r.BKey)
	o.strs("reasons", r.Reasons)
	return o.end()
}

func runDuplicates(ctx context.Context, app *App, args []string) error {
	return listCommand(ctx, app, "people duplicates", duplicatesUsage, args,
		func(st *store.Store) ([]store.Duplicate, error) { return st.Duplicates(ctx) },
		func(d *store.Duplicate) string {
			return model.MemberText(&d.A) + " " + model.MemberText(&d.B) + " " + strings.Join(d.Reasons, " ")
		},
		func(_ *store.Store, d *store.Duplicate) (duplicateRecord, error) { return newDuplicateRecord(d), nil },
		duplicateColumns())
}
