package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"hearth/model"
)

// TestDetailShowsMergeReasons: the member page says why its accounts are
// one person, one line per reason, cleaned like every synced text; a
// member without reasons has no such section.
func TestDetailShowsMergeReasons(t *testing.T) {
	m := newTestModel(t, newFakeStore(10), 100, 30)
	d := model.MemberDetail{
		Member: model.Member{ID: 1, Name: "Ann"},
		Identities: []model.Identity{
			{Source: "github", ExternalID: "ann", Username: "ann", URL: "https://github.com/ann", Website: "https://ann.dev"},
			{Source: "discourse", ExternalID: "ann_d", Username: "ann_d", Website: "https://ann.dev"},
		},
		MergeReasons: []string{"same website ann.dev", "GitHub login ann in a Discourse profile\x1b[31m"},
	}
	page := ansi.Strip(strings.Join(m.members.detailPage(&d, 100).lines, "\n"))
	want := "Why these accounts are one person\n  • same website ann.dev\n  • GitHub login ann in a Discourse profile"
	if !strings.Contains(page, want) {
		t.Errorf("page lacks the reasons %q:\n%s", want, page)
	}
	if strings.Contains(page, "\x1b") || !strings.Contains(page, "ann.dev") {
		t.Errorf("page:\n%q", page)
	}
	d.MergeReasons = nil
	if page := ansi.Strip(strings.Join(m.members.detailPage(&d, 100).lines, "\n")); strings.Contains(page, "Why these accounts") {
		t.Errorf("a page without reasons has the section:\n%s", page)
	}
}
