package ui

import (
	"slices"
	"strings"

	"hearth/data/store"
	"hearth/model"
)

// What people wrote about members, on the list's rows: tags and flags
// (which tag: and flag: filter) shown first in the Topics cell.

// publicLabels are the labels a viewer may see: the public flags only.
func publicLabels(ls map[int64]store.Labels) map[int64]store.Labels {
	out := map[int64]store.Labels{}
	for id, l := range ls {
		var flags []string
		for _, f := range l.Flags {
			if publicFlags[f] || f == doNotContact {
				flags = append(flags, f)
			}
		}
		if len(flags) > 0 {
			out[id] = store.Labels{Flags: flags}
		}
	}
	return out
}

// topicsCell is the Topics cell: the member's flags and tags first
// ("mentor #rust"), since a person typed them, then the topics.
func topicsCell(m *model.Member, l store.Labels) string {
	topics := model.CleanLine(strings.Join(m.Topics, ", "))
	if len(l.Flags) == 0 && len(l.Tags) == 0 {
		return topics
	}
	parts := slices.Clone(l.Flags)
	for _, t := range l.Tags {
		parts = append(parts, "#"+t)
	}
	label := model.CleanLine(strings.Join(parts, " "))
	if topics == "" {
		return label
	}
	return label + " · " + topics
}

// labelKeys are the keys of the accounts a tag or flag can be written to,
// first account first.
func labelKeys(ids []model.Identity) []string {
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, id.Key())
	}
	return keys
}
