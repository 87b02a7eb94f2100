package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"hearth/model"
)

// A question's detail suggests who could answer it: the three people who
// know its topics and the words of its title best, its asker left out,
// people already holding open questions a little lower. A assigns the
// first suggestion through the triage writer, as a does by hand.

// suggestCount is how many people a question's detail suggests.
const suggestCount = 3

// suggestion is one suggested answerer.
type suggestion struct {
	name     string
	assignee string // how a triage names them: @handle, else an address
	reason   string // the strongest evidence line
	assigned int    // open questions already theirs
	lapsed   bool
}

// suggestAnswerers reads the suggestions in the detail's command; a store
// without expertise, or a failed read, suggests nobody.
func suggestAnswerers(ctx context.Context, s Store, questionID int64, now time.Time) []suggestion {
	es, ok := s.(expertStore)
	if !ok {
		return nil
	}
	experts, err := es.SuggestAnswerers(ctx, questionID, now, model.DefaultRules(), suggestCount)
	if err != nil {
		return nil
	}
	out := make([]suggestion, 0, len(experts))
	for _, e := range experts {
		sg := suggestion{name: e.Name, assigned: e.Assigned, lapsed: e.Lapsed}
		m := model.Member{Handles: e.Handles, Emails: e.Emails}
		sg.assignee = assigneeOf(&m)
		if len(e.Evidence) > 0 {
			sg.reason = e.Evidence[0]
		}
		out = append(out, sg)
	}
	return out
}

// suggestSection adds "Who could answer" to a question's page. A viewer
// sees names and reasons but no handles.
func suggestSection(p *page, sugs []suggestion, private bool) {
	if len(sugs) == 0 {
		return
	}
	head := "Who could answer"
	if k := p.c.Keys.Suggest; k.Enabled() && p.c.Writer != nil {
		head += " (" + k.Help().Key + " assigns the first)"
	}
	p.heading(head)
	for i, s := range sugs {
		line := "  " + string(rune('1'+i)) + ". " + model.CleanLine(s.name)
		if s.assignee != "" && !private {
			line += "  " + model.CleanLine(s.assignee)
		}
		var notes []string
		if s.lapsed {
			notes = append(notes, "lapsed")
		}
		if s.assigned > 0 {
			notes = append(notes, model.Plural(s.assigned, "open question assigned", "open questions assigned"))
		}
		if len(notes) > 0 {
			line += "  (" + strings.Join(notes, ", ") + ")"
		}
		p.line(line)
		if s.reason != "" {
			p.styled(p.c.Styles.Muted.Render(cut("     "+model.CleanLine(s.reason), p.w)))
		}
	}
}

// suggestKey assigns the question in the detail to the first suggestion;
// ok is false when the key is not the suggest key.
func (t *questionsTab) suggestKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	if !key.Matches(msg, t.c.Keys.Suggest) || !t.detail.open {
		return nil, false
	}
	q, ok := t.current()
	switch {
	case !ok:
		return notify("no question selected"), true
	case len(t.suggested) == 0:
		return notify("nobody to suggest for this question"), true
	case t.suggested[0].assignee == "":
		return notify("the suggestion has neither a handle nor an address to assign to"), true
	}
	tr := q.Triage
	tr.Assignee = t.suggested[0].assignee
	return t.write(q, tr, "assigned to "+model.CleanLine(tr.Assignee)), true
}
