package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"hearth/data/store"
	"hearth/model"
)

// firstPage is how many of the most active members load first, so the
// first frame does not wait for the whole directory.
const firstPage = 100

// searchPage is how many matches a search over the whole directory shows
// while the directory loads.
const searchPage = 500

// recentActivity is how many activities a member detail shows.
const recentActivity = 15

type membersPayload struct {
	members         []model.Member
	labels          map[int64]store.Labels // tags, flags and notes, by member id
	filter          *model.Filter
	natural, widest []int // content widths of the columns
	full            bool
}

// memberSearchPayload is the answer of the store to a filter typed while
// only the first page of the directory is loaded.
type memberSearchPayload struct {
	query string // normalised, as memberSearch.query
	rows  membersPayload
	total int // matches in the whole directory
}

// Columns of the members table.
const (
	memberName = iota
	memberHandles
	memberOrg
	memberStage
	memberActive
	memberTopics
)

type memberDetailPayload struct {
	id     int64
	detail model.MemberDetail
}

// membersTab is the directory: who is in the community, how far they came
// and what they know.
type membersTab struct {
	c *Context
	browser[int64]
	// members are the rows of the list: the whole directory once it has
	// loaded; before, its first page, or the first matches of a search.
	members []model.Member
	full    bool
	loading bool
	page    membersPayload // the first page, kept until the directory loads
	size    int            // members in the directory, from the summary
	search  memberSearch
	// shown is the member of the detail page, once it has loaded; edit
	// the open note, tags or flags edit (members_edit.go).
	shown model.MemberDetail
	edit  *memberEdit
	// labels are the tags, flags and notes of the members, by id; order
	// is the list's (members_sort.go); merge the open merge picker and
	// dups the open list of possible duplicates (duplicates.go).
	labels    map[int64]store.Labels
	order     sortOrder
	merge     *mergePicker
	pickerSeq int
	dups      *dupList
}

// memberSearch is a filter answered by the store while the directory
// loads: filtering the first page alone would present a partial count
// ("0 of 100") as the answer.
type memberSearch struct {
	query   string // the normalised query the search is for; "" none
	pending bool   // the store has not answered yet
	total   int    // matches in the whole directory, when answered
	shown   int    // of which the rows hold this many (0: the rows are the first page)
	err     error
	cancel  context.CancelFunc
}

func newMembersTab(c *Context) *membersTab {
	t := &membersTab{c: c}
	t.browser = newBrowser[int64](c, memberColumns())
	return t
}

// memberMeasured marks the member columns whose width follows their text:
// Stage and Active have fixed widths.
func memberMeasured() []bool {
	return []bool{memberName: true, memberHandles: true, memberOrg: true, memberStage: false, memberActive: false, memberTopics: true}
}

// memberColumns are the columns of a list of members (memberText fills
// them), in the Members tab and the Funnel's lists of people.
func memberColumns() []column {
	return []column{
		{title: "Name", min: 14, max: 30, weight: 3},
		{title: "Handles", min: 10, max: 28, weight: 2, drop: 1},
		{title: "Organisation", min: 12, max: 24, weight: 1, drop: 3},
		// Wide enough for the longest label, "participant · new", so the
		// new or lapsed state is never cut off.
		{title: "Stage", min: 17, max: 17, weight: 1},
		{title: "Active", min: 8, max: 8},
		{title: "Topics", min: 10, weight: 2, drop: 2},
	}
}

func (t *membersTab) Title() string { return "Members" }

// Init loads the directory: the first page first, for a fast first frame,
// unless the whole directory was loaded before (a reload after a sync),
// which then comes back in one piece.
func (t *membersTab) Init() tea.Cmd {
	t.loading = true
	return t.load(t.full)
}

// load reads the first page (full false) or every member, and builds the
// filter index in the command, off the UI goroutine.
func (t *membersTab) load(full bool) tea.Cmd {
	// The server's shared copy is in the directory's own order; a program
	// sorted otherwise reads and sorts its own.
	if d := t.c.Directory; d != nil && t.order == sortActivity && (full || d.ready(t.c.Private)) {
		return d.load(t.c.Ctx, t.c.Private)
	}
	st, ctx, now, private, order := t.c.Store, t.c.Ctx, t.c.Now(), t.c.Private, t.order
	return func() tea.Msg {
		var ms []model.Member
		var err error
		if full {
			ms, err = st.Members(ctx)
		} else {
			ms, err = st.TopMembers(ctx, firstPage)
		}
		// The labels come with the whole directory: the first page is
		// about a fast first frame.
		var labels map[int64]store.Labels
		if err == nil && full {
			labels, err = st.MemberLabels(ctx)
		}
		if err != nil {
			return loadedMsg{Tab: tabMembers, Err: err, Payload: membersPayload{full: full}}
		}
		if private {
			ms, labels = publicMembers(ms), publicLabels(labels)
		}
		if full && order != sortActivity {
			sortMembers(ms, order)
		}
		return loadedMsg{Tab: tabMembers, Payload: memberRows(ms, labels, full, now)}
	}
}

// memberRows measures and indexes rows for the list, off the UI goroutine.
func memberRows(ms []model.Member, labels map[int64]store.Labels, full bool, now time.Time) membersPayload {
	natural, widest := naturalWidths(len(ms), memberMeasured(), func(r, col int) string {
		if col == memberTopics {
			return topicsCell(&ms[r], labels[ms[r].ID])
		}
		return memberText(&ms[r], col, now)
	})
	return membersPayload{members: ms, labels: labels, filter: memberFilter(ms, labels), natural: natural, widest: widest, full: full}
}

// normalQuery is a query as model.Filter reads it: lower case, single
// spaces between words.
func normalQuery(q string) string {
	return strings.Join(strings.Fields(strings.ToLower(q)), " ")
}

// setDirectorySize records how many members the directory has (the
// summary's count), for the filter line while the directory loads.
func (t *membersTab) setDirectorySize(n int) {
	t.size = n
	t.updateNote()
}

// followQuery keeps a search over the whole directory in step with the
// query while only the first page is loaded: each change shows the
// matches of the first page at once (the first rows of the answer, since
// the page is the top of the directory's order) and asks the store for
// the rest. Once the directory has loaded, the list filters it itself.
//
// A viewer's program does not ask the store, whose search also matches
// e-mail addresses: it filters the first page until the directory, with
// only public text in its filter, has loaded.
func (t *membersTab) followQuery() tea.Cmd {
	if t.full || t.c.Private {
		return nil
	}
	q := normalQuery(t.list.query)
	if queryHasFields(q) {
		// The store's search reads no fields: filter the first page
		// until the directory has loaded.
		q = ""
	}
	if q == t.search.query {
		return nil
	}
	if t.search.shown > 0 {
		t.install(t.page) // the rows are the matches of the previous query
	}
	t.stopSearch()
	t.search = memberSearch{query: q, pending: q != ""}
	t.updateNote()
	if q == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(t.c.Ctx)
	t.search.cancel = cancel
	store, now := t.c.Store, t.c.Now()
	return func() tea.Msg {
		ms, total, err := store.SearchMembers(ctx, q, searchPage)
		if ctx.Err() != nil {
			return nil // a newer query or the whole directory took over
		}
		p := memberSearchPayload{query: q, total: total}
		if err == nil {
			p.rows = memberRows(ms, nil, false, now)
		}
		return loadedMsg{Tab: tabMembers, Err: err, Payload: p}
	}
}

func (t *membersTab) stopSearch() {
	if t.search.cancel != nil {
		t.search.cancel()
	}
	t.search = memberSearch{}
}

// install makes p's members the rows of the list, filtered by the query.
func (t *membersTab) install(p membersPayload) {
	t.members, t.labels = p.members, p.labels
	t.list.setData(len(p.members), p.filter)
	t.list.table.setNatural(p.natural, p.widest)
}

// updateNote says on the filter line what the rows are while the
// directory loads; once it has loaded, the list counts for itself.
func (t *membersTab) updateNote() {
	note := ""
	s := &t.search
	all := "all members"
	if t.size > 0 {
		all = "all " + model.Thousands(t.size)
	}
	switch {
	case t.full:
	case s.query == "":
		note = "first " + model.Thousands(len(t.members)) + " of " + strings.TrimPrefix(all, "all ") + " · loading the rest…"
	case s.err != nil:
		note = "could not search " + all + ": " + model.CleanLine(s.err.Error())
	case s.pending:
		note = "searching " + all + "…"
	default:
		note = model.Thousands(s.total) + " of " + model.Thousands(max(t.size, s.total))
		if s.shown < s.total {
			note += " · first " + model.Thousands(s.shown) + " shown until the directory has loaded"
		}
	}
	t.list.note = note
}

// directory returns the whole directory and its filter once it has
// loaded (the member picker reuses them; neither is changed after).
func (t *membersTab) directory() ([]model.Member, *model.Filter, bool) {
	if !t.full {
		return nil, nil, false
	}
	return t.members, t.list.filter, true
}

// queryHasFields reports whether a member query names a field (tag:,
// stage:, new…).
func queryHasFields(q string) bool {
	for _, term := range model.ParseQuery(q) {
		if term.Field != "" {
			return true
		}
	}
	return false
}

// memberFilter indexes the rows for the filter; tag: and flag: match the
// labels (nil: none loaded, as for a picker).
func memberFilter(ms []model.Member, labels map[int64]store.Labels) *model.Filter {
	texts, fields := make([]string, len(ms)), make([]string, len(ms))
	for i := range ms {
		texts[i] = model.MemberText(&ms[i])
		l := labels[ms[i].ID]
		fields[i] = model.MemberFields(&ms[i], l.Tags, l.Flags)
	}
	return model.NewFieldFilter(texts, fields)
}

func (t *membersTab) loadDetail(id int64) tea.Cmd {
	store, ctx, private, now := t.c.Store, t.c.Ctx, t.c.Private, t.c.Now()
	return func() tea.Msg {
		d, err := store.MemberDetail(ctx, id, recentActivity)
		d.Areas = memberAreas(ctx, store, id, now) // members_areas.go
		if private {
			d = publicDetail(d)
		}
		return loadedMsg{Tab: tabMembers, Err: err, Payload: memberDetailPayload{id: id, detail: d}}
	}
}

func (t *membersTab) Loading() bool { return t.loading }

func (t *membersTab) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		switch p := msg.Payload.(type) {
		case membersPayload:
			if msg.Err != nil {
				t.loading = false
				return nil
			}
			if t.full && !p.full {
				return nil // the whole directory already arrived
			}
			t.full = p.full
			t.install(p)
			if !p.full {
				t.page = p
				t.stopSearch()
				t.updateNote()
				return tea.Batch(t.load(true), t.followQuery())
			}
			t.stopSearch()
			t.page = membersPayload{}
			t.updateNote()
			t.loading = false
		case memberSearchPayload:
			if t.full || p.query != t.search.query {
				return nil // stale: the query changed or the directory arrived
			}
			t.search.pending, t.search.err, t.search.total = false, msg.Err, p.total
			if msg.Err == nil && p.total > 0 {
				t.install(p.rows)
				t.search.shown = len(p.rows.members)
			}
			t.updateNote()
		case memberDetailPayload:
			d := p.detail
			if msg.Err == nil && p.id == t.opened {
				t.shown = d
			}
			t.loaded(p.id, msg.Err, func(w int) page { return t.detailPage(&d, w) })
		case memberEditPayload:
			if msg.Err != nil {
				return notify("could not read the member: " + model.CleanLine(msg.Err.Error()))
			}
			return t.startEdit(p.kind, p.detail)
		case pickerPayload:
			if t.merge != nil {
				t.merge.loaded(p, msg.Err)
			}
		case dupsPayload:
			t.dupsLoaded(p, msg.Err)
		case sortedPayload:
			if p.order == t.order && t.full {
				t.install(p.rows)
			}
		}
		return nil
	}
	switch {
	case t.merge != nil:
		return t.updateMerge(msg)
	case t.dups != nil:
		return t.updateDups(msg)
	case t.edit != nil:
		return t.updateEdit(msg)
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && !t.list.typing {
		if cmd, ok := t.editKey(km); ok {
			return cmd
		}
		if cmd, ok := t.mergeKey(km); ok {
			return cmd
		}
		if !t.detail.open {
			if cmd, ok := t.dupsKey(km); ok {
				return cmd
			}
			if key.Matches(km, t.c.Keys.Sort) {
				return t.cycleSort()
			}
		}
	}
	r, ok, cmd := t.navigate(msg)
	if ok {
		t.open(t.members[r].ID)
		return t.loadDetail(t.members[r].ID)
	}
	if t.full {
		t.updateNote() // the filter line speaks of tag: and flag:
	}
	if search := t.followQuery(); search != nil {
		return tea.Batch(cmd, search)
	}
	return cmd
}

// Capturing: the filter, an open edit and the merge picker take text.
func (t *membersTab) Capturing() bool {
	if t.dups != nil {
		return t.dups.list.typing
	}
	return t.edit != nil || t.merge != nil || t.browser.Capturing()
}

// SetSize sizes the list and detail, and the picker or the duplicates
// when open (one line goes to their heading).
func (t *membersTab) SetSize(w, h int) {
	t.browser.SetSize(w, h)
	if t.merge != nil {
		t.merge.list.setSize(w, max(h-1, 1))
	}
	if t.dups != nil {
		t.dups.list.setSize(w, max(h-1, 1))
	}
}

func (t *membersTab) View() string {
	switch {
	case t.merge != nil:
		return t.mergeView()
	case t.dups != nil:
		return t.dupsView()
	}
	empty := t.c.Styles.Muted.Render("No members yet.")
	if t.loading {
		empty = t.c.Styles.Muted.Render("Loading members…")
	}
	body := t.view(empty, t.fill, nil)
	if t.edit == nil {
		return body
	}
	// The edit's line takes the place of the body's last line.
	if i := strings.LastIndexByte(body, '\n'); i >= 0 {
		body = body[:i]
	}
	return cut(t.editView(), t.list.width) + "\n" + body
}

func (t *membersTab) fill(r int32, cells []cell) {
	m := &t.members[r]
	now := t.c.Now()
	for i := range cells {
		cells[i].text = memberText(m, i, now)
	}
	cells[memberTopics].text = topicsCell(m, t.labels[m.ID])
	cells[memberStage].style = t.stageStyle(m.Standing.Stage)
}

// memberText is the cleaned text of one cell of the members table.
func memberText(m *model.Member, col int, now time.Time) string {
	switch col {
	case memberName:
		name := m.Name
		if name == "" && len(m.Handles) > 0 {
			name = m.Handles[0]
		}
		return model.CleanLine(name)
	case memberHandles:
		return model.CleanLine(strings.Join(m.Handles, " "))
	case memberOrg:
		return model.CleanLine(m.Org)
	case memberStage:
		return m.Standing.Label()
	case memberActive:
		return model.Ago(now, m.LastActive)
	case memberTopics:
		return model.CleanLine(strings.Join(m.Topics, ", "))
	}
	return ""
}

func (t *membersTab) stageStyle(s model.Stage) *lipgloss.Style {
	if s < 0 || int(s) >= len(t.c.Styles.Stage) {
		return nil
	}
	return &t.c.Styles.Stage[s]
}

func (t *membersTab) detailPage(d *model.MemberDetail, w int) page {
	p := page{c: t.c, w: w}
	now := t.c.Now()
	name := model.CleanLine(d.Name)
	if name == "" && len(d.Handles) > 0 {
		name = model.CleanLine(d.Handles[0])
	}
	p.title(name)
	p.field("Organisation", model.CleanLine(d.Org))
	stage := d.Standing.Stage.Title()
	if d.Standing.New {
		stage += ", new"
	}
	if d.Standing.Lapsed {
		stage += ", lapsed"
	}
	p.field("Stage", stage)
	p.field("Activity", fmt.Sprintf("%s, %s", model.Plural(d.Activities, "activity", "activities"),
		model.Plural(d.Contributions, "contribution", "contributions")))
	p.field("First seen", t.c.Day(d.FirstActive))
	p.field("Last active", fmt.Sprintf("%s (%s)", t.c.Day(d.LastActive), model.Ago(now, d.LastActive)))
	p.field("Topics", model.CleanLine(strings.Join(d.Topics, ", ")))
	areasSection(&p, d.Areas) // members_areas.go
	if len(d.Tags) > 0 {
		p.field("Tags", model.CleanLine(strings.Join(d.Tags, ", ")))
	}
	if len(d.Flags) > 0 {
		p.field("Flags", model.CleanLine(strings.Join(d.Flags, ", ")))
	}
	if len(d.Standing.Evidence) > 0 {
		p.heading("Why " + d.Standing.Stage.String())
		for _, e := range d.Standing.Evidence {
			p.line("  • " + model.CleanLine(e))
		}
	}
	if len(d.Identities) > 0 {
		p.heading("Identities")
		for _, id := range d.Identities {
			handle := id.Handle()
			if handle == "" && t.c.Private {
				handle = noPublicHandle
			}
			parts := []string{id.Source, handle}
			if id.Name != "" {
				parts = append(parts, id.Name)
			}
			if id.Company != "" {
				parts = append(parts, id.Company)
			}
			if id.Location != "" {
				parts = append(parts, id.Location)
			}
			if id.Bot {
				parts = append(parts, "bot")
			}
			if !t.c.Private {
				// The account's key, as hearth people split takes it.
				parts = append(parts, "["+id.Key()+"]")
			}
			p.line("  " + model.CleanLine(strings.Join(parts, " · ")))
			p.linkLine(4, id.URL)
			if id.Website != "" && id.Website != id.URL {
				p.linkLine(4, id.Website)
			}
		}
	}
	if len(d.MergeReasons) > 0 {
		p.heading("Why these accounts are one person")
		for _, r := range d.MergeReasons {
			p.line("  • " + model.CleanLine(r))
		}
	}
	if len(d.Recent) > 0 {
		p.heading("Recent activity")
		// Date, kind and channel in aligned columns, the title after them;
		// a very long channel is cut so titles keep some room.
		kinds := make([]string, len(d.Recent))
		channels := make([]string, len(d.Recent))
		kw, cw := 0, 0
		for i, a := range d.Recent {
			kinds[i] = model.CleanLine(strings.ReplaceAll(string(a.Kind), "_", " "))
			channels[i] = model.CleanLine(a.Channel)
			kw = max(kw, ansi.StringWidth(kinds[i]))
			cw = max(cw, ansi.StringWidth(channels[i]))
		}
		kw, cw = min(kw, 16), min(cw, max(w/4, 12))
		for i, a := range d.Recent {
			line := "  " + t.c.Day(a.At) + "  " + fitCell(kinds[i], kw) + "  " + fitCell(channels[i], cw)
			if a.Title != "" {
				line += "  " + model.CleanLine(a.Title)
			}
			p.line(strings.TrimRight(line, " "))
		}
	}
	if len(d.Notes) > 0 {
		p.heading("Notes")
		for _, n := range d.Notes {
			p.styled(t.c.Styles.Muted.Render(cut("  "+t.c.Day(n.Created), w)))
			p.text(model.CleanText(n.Body))
		}
	}
	return p
}

func (t *membersTab) ShortHelp() []key.Binding {
	switch {
	case t.merge != nil:
		return t.mergeHelp()
	case t.dups != nil:
		return t.dupsHelp()
	case t.edit != nil:
		return t.editHelp()
	case t.detail.open:
		return append(t.detail.shortHelp(), t.writeHelp()...)
	case t.list.typing:
		return t.list.shortHelp("details")
	}
	// The order and the duplicates are in the full help (?): the short
	// line keeps room for the keys that switch tabs.
	return append(t.list.shortHelp("details"), t.writeHelp()...)
}

// listHelp are the list's own keys beyond moving and filtering: the
// order, and the duplicates (not for a viewer).
func (t *membersTab) listHelp() []key.Binding {
	k := t.c.Keys
	if t.c.Private {
		return []key.Binding{k.Sort}
	}
	return []key.Binding{k.Sort, k.Duplicates}
}

func (t *membersTab) FullHelp() [][]key.Binding {
	switch {
	case t.merge != nil:
		return [][]key.Binding{t.mergeHelp()}
	case t.dups != nil:
		return [][]key.Binding{t.dupsHelp()}
	case t.edit != nil:
		return [][]key.Binding{t.editHelp()}
	case t.detail.open:
		return append(t.detail.fullHelp(), t.writeHelp())
	case t.list.typing:
		return t.list.fullHelp("details")
	}
	return append(t.list.fullHelp("details"), t.writeHelp(), t.listHelp())
}
