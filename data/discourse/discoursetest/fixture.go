package discoursetest

import "time"

// Start is the time Default's forum starts at.
func Start() time.Time { return time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC) }

// At is Start plus hours.
func At(hours int) time.Time { return Start().Add(time.Duration(hours) * time.Hour) }

// Default is a small forum with every case the connector handles:
//
//   - 10, in Support: dave asks; the system user's greeting, dave's
//     follow-up, bob's answer (marked the solution), alice; then the topic
//     is closed (a small action);
//   - 11, pinned in General: alice shows something, carol replies;
//   - 12, in Q&A (a subcategory of Development): erin asks, only erin
//     replies;
//   - 13, in Support: carol answers her own question and marks it solved;
//   - 14, in Development: bob posts, a deleted account replies.
//
// PerPage 2 and Chunk 2 make every listing and long topic span pages.
func Default() Fixture {
	return Fixture{
		PerPage: 2,
		Chunk:   2,
		Solved:  true,
		Categories: []Category{
			{ID: 1, Name: "General", Slug: "general"},
			{ID: 2, Name: "Support", Slug: "support"},
			{ID: 3, Name: "Development", Slug: "dev"},
			{ID: 4, Name: "Q&A", Slug: "q-a", Parent: 3},
		},
		Users: []User{
			{Username: "alice", Name: "Alice Liddell", Location: "Oxford", Bio: "maintainer"},
			{Username: "Bob", Name: "Bob Builder"},
			{Username: "carol", Name: "Carol Danvers"},
			{Username: "erin", Name: "Erin"},
			{Username: "system", Name: "system"},
		},
		Topics: []Topic{
			{ID: 10, Title: "How do I configure widgets?", Category: 2, Tags: []string{"config"}, Posts: []Post{
				{ID: 1001, Author: "dave", Created: At(0), Body: "I tried everything."},
				{ID: 1002, Author: "system", Created: At(1), Body: "Thanks! Someone will reply soon."},
				{ID: 1003, Author: "dave", Created: At(2), Body: "Any idea?"},
				{ID: 1004, Author: "Bob", Created: At(3), Body: "Set gears=3.", Accepted: true},
				{ID: 1005, Author: "alice", Created: At(4), Body: "Also see the docs."},
				{ID: 1006, Author: "system", Created: At(5), Type: 3, Action: "closed.enabled"},
			}},
			{ID: 11, Title: "Show and tell", Category: 1, Pinned: true, Posts: []Post{
				{ID: 1101, Author: "alice", Created: At(1), Body: "Look!"},
				{ID: 1102, Author: "carol", Created: At(6), Body: "Nice."},
			}},
			{ID: 12, Title: "Is there a dark theme?", Category: 4, Tags: []string{"ui", "themes"}, Posts: []Post{
				{ID: 1201, Author: "erin", Created: At(2), Body: "Asking for a friend."},
				{ID: 1202, Author: "erin", Created: At(7), Body: "bump"},
			}},
			{ID: 13, Title: "Self answered", Category: 2, Posts: []Post{
				{ID: 1301, Author: "carol", Created: At(3), Body: "How?"},
				{ID: 1302, Author: "carol", Created: At(8), Body: "Like this.", Accepted: true},
			}},
			{ID: 14, Title: "Roadmap", Category: 3, Posts: []Post{
				{ID: 1401, Author: "Bob", Created: At(4), Body: "Plans."},
				{ID: 1402, Author: "", Created: At(9), Body: "Gone now."},
			}},
		},
	}
}
