package store

import (
	"cmp"
	"context"
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

// Area is one of a member's areas, with how strongly it counts now.
type Area struct {
	Name     string // a topic's name or a path
	Value    float64
	Evidence string
}

// MemberAreas lists a member's strongest areas as of now: topics and
// directories, not single files (their directory says as much), at most n.
func (s *Store) MemberAreas(ctx context.Context, member int64, now time.Time, n int) ([]Area, error) {
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
	var out []Area
	for _, c := range cells {
		if !strings.HasPrefix(c.Area, "topic:") && !strings.HasSuffix(c.Area, "/") {
			continue
		}
		out = append(out, Area{Name: model.AreaLabel(c.Area), Value: c.Weight*scale + c.Fixed, Evidence: c.Line()})
	}
	slices.SortFunc(out, func(a, b Area) int {
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
		for _, a := range areas {
			stats = append(stats, TopicStat{Name: model.AreaLabel(a), Areas: []string{a}})
		}
	}
	skip, err := s.unsuggestable(ctx, nil)
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
		}, `SELECT e.member_id, e.kinds, e.fixed, coalesce(e.last, 0), coalesce(m.name, '')
			FROM expertise e LEFT JOIN member_stats m ON m.member_id = e.member_id
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
