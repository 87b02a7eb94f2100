package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"hearth/model"
)

// ExpertNames lists the names a query word can match (topics, directory
// and file names), for the hint when a query finds nobody.
func (s *Store) ExpertNames(ctx context.Context) ([]string, error) {
	names, err := queryStrings(ctx, s.db, "SELECT DISTINCT name FROM expertise_names ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("read topics: %w", friendly(err))
	}
	return names, nil
}

// MemberAreas lists a member's strongest areas as of now: topics and
// directories, not single files (their directory says as much), at most n.
func (s *Store) MemberAreas(ctx context.Context, member int64, now time.Time, n int) ([]model.ExpertArea, error) {
	meta, err := readExpertiseMeta(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("read areas: %w", friendly(err))
	}
	if !meta.ok {
		return nil, nil
	}
	cells, err := queryRows(ctx, s.db, scanCell, `SELECT area, member_id, weight, fixed, first, last, kinds
		FROM expertise WHERE member_id = ?`, member)
	if err != nil {
		return nil, fmt.Errorf("read areas: %w", friendly(err))
	}
	scale := math.Exp2(-float64(now.Sub(meta.ref)) / float64(meta.halfLife))
	var out []model.ExpertArea
	for _, c := range cells {
		if !strings.HasPrefix(c.Area, "topic:") && !strings.HasSuffix(c.Area, "/") {
			continue
		}
		out = append(out, model.ExpertArea{Name: model.AreaLabel(c.Area), Value: c.Weight*scale + c.Fixed, Evidence: c.Line()})
	}
	slices.SortFunc(out, func(a, b model.ExpertArea) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// TopicStat is one topic of the Topics view.
type TopicStat struct {
	Name    string
	Areas   []string // what it covers: "topic:storage", "engine/"
	Active  int      // active experts (see Topics)
	Experts []string // the names of the first few, most active first
}

// topicExpertMin is how many pieces of evidence in a topic, the latest
// within the lapse window, make someone an active expert of it.
const topicExpertMin = 2

// Topics lists the topics with how many active experts each has: people
// (not bots, not do-not-contact) with at least two pieces of evidence in
// the topic and the latest within rules.LapsedAfter of now, or tagged
// with it by hand. The topics are the configured ones, or without
// configuration every label, category or tag seen and every top-level
// directory. Topics with the fewest experts come first.
func (s *Store) Topics(ctx context.Context, topics model.TopicMap, now time.Time, rules model.Rules) ([]TopicStat, error) {
	var stats []TopicStat
	if len(topics) > 0 {
		for _, name := range topics.Names() {
			paths, words := topics.Expand([]string{name})
			st := TopicStat{Name: name}
			for _, p := range paths {
				st.Areas = append(st.Areas, model.PathAreas(p)[len(model.PathAreas(p))-1])
			}
			for _, w := range words {
				st.Areas = append(st.Areas, "topic:"+w)
			}
			stats = append(stats, st)
		}
	} else {
		areas, err := queryStrings(ctx, s.db, `SELECT DISTINCT area FROM expertise_names
			WHERE area LIKE 'topic:%' OR (area LIKE '%/' AND instr(area, '/') = length(area)) ORDER BY area`)
		if err != nil {
			return nil, fmt.Errorf("read topics: %w", friendly(err))
		}
		// A top-level directory and the topic of the same name (the git
		// connector names a path's topic after its directory) are one.
		byName := map[string]int{}
		for _, a := range areas {
			name := strings.TrimSuffix(model.AreaLabel(a), "/")
			if i, ok := byName[name]; ok {
				stats[i].Areas = append(stats[i].Areas, a)
				continue
			}
			byName[name] = len(stats)
			stats = append(stats, TopicStat{Name: name, Areas: []string{a}})
		}
	}
	skip, err := s.unsuggestable(ctx, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("read topics: %w", friendly(err))
	}
	cutoff := now.Add(-rules.LapsedAfter).Unix()
	for i := range stats {
		st := &stats[i]
		if len(st.Areas) == 0 {
			continue
		}
		args := []any{cutoff}
		for _, a := range st.Areas {
			args = append(args, a)
		}
		type row struct {
			member int64
			kinds  string
			fixed  float64
			last   int64
			name   string
		}
		rows, err := queryRows(ctx, s.db, func(sc scanner, r *row) error {
			return sc.Scan(&r.member, &r.kinds, &r.fixed, &r.last, &r.name)
		}, `SELECT e.member_id, e.kinds, e.fixed, coalesce(e.last, 0), m.name
			FROM expertise e JOIN member_stats m ON m.member_id = e.member_id
			WHERE (e.last >= ? OR e.fixed > 0) AND e.area IN (`+placeholders(len(st.Areas))+`)
			ORDER BY e.last DESC`, args...)
		if err != nil {
			return nil, fmt.Errorf("read topics: %w", friendly(err))
		}
		type tally struct {
			n      int
			tagged bool
			recent bool
			name   string
		}
		byMember := map[int64]*tally{}
		var order []int64
		for _, r := range rows {
			if skip[r.member] {
				continue
			}
			t := byMember[r.member]
			if t == nil {
				t = &tally{name: r.name}
				byMember[r.member] = t
				order = append(order, r.member)
			}
			for _, k := range decodeKinds(r.kinds) {
				if k.Kind != model.KindTagged {
					t.n += k.N
				}
			}
			t.tagged = t.tagged || r.fixed > 0
			t.recent = t.recent || r.last >= cutoff
		}
		for _, m := range order {
			t := byMember[m]
			if t.tagged || (t.recent && t.n >= topicExpertMin) {
				st.Active++
				if len(st.Experts) < 3 {
					st.Experts = append(st.Experts, model.CleanLine(t.name))
				}
			}
		}
	}
	slices.SortStableFunc(stats, func(a, b TopicStat) int {
		if c := cmp.Compare(a.Active, b.Active); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return stats, nil
}

// EnsureExpertise builds the expertise tables when they were never built
// (a database from before them that no sync has refreshed since).
func (s *Store) EnsureExpertise(ctx context.Context, now time.Time, rules model.Rules) error {
	meta, err := readExpertiseMeta(ctx, s.db)
	if err != nil {
		return fmt.Errorf("read expertise: %w", friendly(err))
	}
	if meta.ok {
		return nil
	}
	err = s.immediate(ctx, func(tx execer) error {
		return rebuildExpertise(ctx, tx, now, model.NewExpertIndex(expertiseParams(rules)).Params())
	})
	if err != nil {
		return fmt.Errorf("derive expertise: %w", friendly(err))
	}
	return nil
}

// busyFactor is how much each open question already assigned to someone
// lowers their rank as a suggested answerer: a little, so the expert
// still comes first unless they carry a queue.
const busyFactor = 0.15

// SuggestAnswerers ranks the people best placed to answer a question, at
// most n: by the question's topics and the words of its title, the asker
// excluded, people with open questions assigned to them a little lower
// (Expert.Assigned says how many, this question aside).
func (s *Store) SuggestAnswerers(ctx context.Context, questionID int64, now time.Time, rules model.Rules, n int) ([]Expert, error) {
	var title, topics string
	var asker sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT q.title, q.topics, i.member_id FROM questions q
		LEFT JOIN identities i ON i.id = q.author_id WHERE q.id = ?`, questionID).Scan(&title, &topics, &asker)
	if err != nil {
		return nil, fmt.Errorf("suggest answerers: %w", friendly(err))
	}
	words, paths := model.QueryWords(append(splitList(topics, ","), title))
	q := WhoQuery{Words: words, Paths: paths, Limit: n * 3}
	if asker.Valid {
		q.Skip = []int64{asker.Int64}
	}
	experts, err := s.WhoKnows(ctx, q, now, rules)
	if err != nil || len(experts) == 0 {
		return nil, err
	}
	type load struct {
		assignee string
		n        int
	}
	loads, err := queryRows(ctx, s.db, func(sc scanner, l *load) error { return sc.Scan(&l.assignee, &l.n) },
		`SELECT lower(t.assignee), count(*) FROM question_triage t
			JOIN questions q ON q.source = t.source AND q.external_id = t.external_id
			WHERE t.assignee <> '' AND t.status <> 'done' AND q.first_response_at IS NULL AND q.closed_at IS NULL
				AND q.id <> ?
			GROUP BY lower(t.assignee)`, questionID)
	if err != nil {
		return nil, fmt.Errorf("suggest answerers: %w", friendly(err))
	}
	open := make(map[string]int, len(loads))
	for _, l := range loads {
		open[l.assignee] = l.n
	}
	for i := range experts {
		e := &experts[i]
		for _, name := range append(slices.Clone(e.Handles), e.Emails...) {
			e.Assigned += open[strings.ToLower(name)]
		}
		e.Score /= 1 + busyFactor*float64(e.Assigned)
	}
	slices.SortStableFunc(experts, func(a, b Expert) int { return cmp.Compare(b.Score, a.Score) })
	if len(experts) > n {
		experts = experts[:n]
	}
	return experts, nil
}
