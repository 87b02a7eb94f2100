package git

import "context"

// removed lists the activity ids of the commits reachable from old but not
// from tip (all of them when tip is ""), co-author activities included, and
// the identities credited with them (authors and co-authors), each once.
func (s *Source) removed(ctx context.Context, old, tip string) (ids, credited []string, err error) {
	var commits []commit
	args := []string{"log", "--no-merges", "-z", "--no-color", "--no-show-signature",
		logFormat, "--end-of-options", old}
	if tip != "" {
		args = append(args, "^"+tip)
	}
	if err := s.streamLog(ctx, nil, args, func(c *commit) error {
		commits = append(commits, *c)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	r := &run{s: s, mailmap: map[contact]contact{}}
	if err := r.mapCoauthors(ctx, commits); err != nil {
		return nil, nil, err
	}
	ids = make([]string, 0, len(commits))
	seen := map[string]bool{}
	credit := func(id string) {
		if !seen[id] {
			seen[id] = true
			credited = append(credited, id)
		}
	}
	for i := range commits {
		c := &commits[i]
		author := identityID(c.name, c.email)
		ids = append(ids, c.sha)
		credit(author)
		for _, co := range r.coauthorIDs(c, author) {
			m := r.mailmap[co]
			id := identityID(m.name, m.email)
			ids = append(ids, c.sha+":"+id)
			credit(id)
		}
	}
	return ids, credited, nil
}
