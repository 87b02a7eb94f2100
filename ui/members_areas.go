package ui

import (
	"context"
	"time"

	"hearth/model"
)

// memberAreaCount is how many areas a member's detail shows.
const memberAreaCount = 5

// memberAreas reads a member's strongest areas for the detail page, in the
// detail's command. The areas are extra: a store without expertise, or a
// failed read, leaves them out and the rest of the page still shows.
func memberAreas(ctx context.Context, s Store, id int64, now time.Time) []model.ExpertArea {
	es, ok := s.(expertStore)
	if !ok {
		return nil
	}
	areas, err := es.MemberAreas(ctx, id, now, memberAreaCount)
	if err != nil {
		return nil
	}
	return areas
}

// areasSection adds "Knows about": each area with what the member did
// there, strongest first.
func areasSection(p *page, areas []model.ExpertArea) {
	if len(areas) == 0 {
		return
	}
	p.heading("Knows about")
	for _, a := range areas {
		p.line("  • " + model.CleanLine(a.Evidence))
	}
}
