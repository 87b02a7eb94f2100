package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hearth/model"
)

// HealthInput is what the community health figures are computed from:
// every person who is not a bot with the kind and time of each of their
// activities, and every question with its first response.
type HealthInput struct {
	Members   []model.HealthMember
	Questions []model.QuestionTiming
}

// HealthInput reads the members, their flags and all their activities, and
// the questions, in one read transaction so the figures agree with each
// other. Activities come from member_months, one row per member; see
// BenchmarkHealthInput100k.
func (s *Store) HealthInput(ctx context.Context) (HealthInput, error) {
	var in HealthInput
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return in, fmt.Errorf("read health: %w", friendly(err))
	}
	defer tx.Rollback()
	if in.Members, err = healthMembers(ctx, tx, false); err != nil {
		return in, fmt.Errorf("read health: %w", friendly(err))
	}
	if in.Questions, err = healthQuestions(ctx, tx); err != nil {
		return in, fmt.Errorf("read health: %w", friendly(err))
	}
	return in, nil
}

// healthMembers reads the people who are not bots with their flags and
// activities; scan reads the activities table instead of member_months.
func healthMembers(ctx context.Context, tx *sql.Tx, scan bool) ([]model.HealthMember, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM members WHERE bot = 0").Scan(&n); err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	members := make([]model.HealthMember, 0, n)
	index := make(map[int64]int, n)
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.name, coalesce(o.name, '')
		FROM members m LEFT JOIN orgs o ON o.id = m.org_id WHERE m.bot = 0 ORDER BY m.id`)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	for rows.Next() {
		var m model.HealthMember
		if err := rows.Scan(&m.ID, &m.Name, &m.Org); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load members: %w", err)
		}
		index[m.ID] = len(members)
		members = append(members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	flags, err := loadFlags(ctx, tx)
	if err != nil {
		return nil, err
	}
	for id, f := range flags {
		if i, ok := index[id]; ok {
			members[i].Flags = f
		}
	}

	staff, err := queryIDs(ctx, tx, `SELECT DISTINCT i.member_id FROM member_flags f
		JOIN identities i ON i.source = f.source AND i.external_id = f.external_id
		WHERE i.member_id IS NOT NULL AND f.flag = 'staff'`)
	if err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}
	for _, id := range staff {
		if i, ok := index[id]; ok {
			members[i].Staff = true
		}
	}
	var built, hasActs bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM member_months),
		EXISTS (SELECT 1 FROM activities)`).Scan(&built, &hasActs); err != nil {
		return nil, fmt.Errorf("load activities: %w", err)
	}
	if scan || hasActs && !built {
		// Migrated, not yet refreshed: the table fills at the next sync.
		return members, healthActsScan(ctx, tx, members, index)
	}
	return members, healthActsMonths(ctx, tx, members, index)
}

// healthActsMonths reads every member's activities from member_months:
// one row per member, not one per activity (see member_months.go).
func healthActsMonths(ctx context.Context, tx *sql.Tx, members []model.HealthMember, index map[int64]int) error {
	// One allocation holds everyone's activities, each member a slice of
	// it: millions of small growing slices kept the collector busy.
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(sum(activities), 0) FROM member_months").Scan(&total); err != nil {
		return fmt.Errorf("load activities: %w", err)
	}
	slab := make([]model.Act, 0, total)
	rows, err := tx.QueryContext(ctx, "SELECT member_id, activities, months FROM member_months")
	if err != nil {
		return fmt.Errorf("load activities: %w", err)
	}
	defer rows.Close()
	kinds := map[string]model.ActKind{}
	var blob sql.RawBytes
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n, &blob); err != nil {
			return fmt.Errorf("load activities: %w", err)
		}
		i, ok := index[id]
		if !ok {
			continue // a bot
		}
		var own []model.Act
		if len(slab)+n <= cap(slab) {
			own = slab[len(slab) : len(slab) : len(slab)+n]
			slab = slab[:len(slab)+n]
		}
		if members[i].Acts, err = decodeMemberMonths(blob, own, kinds); err != nil {
			return fmt.Errorf("load activities of member %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load activities: %w", err)
	}
	return nil
}

// healthActsScan reads every activity once, in table order (a full scan
// is the cheapest way to read them all: no index lookup per row), and
// keeps two numbers per activity. It is the reference member_months is
// tested against, and the path of a database not yet refreshed since
// that table was added.
func healthActsScan(ctx context.Context, tx *sql.Tx, members []model.HealthMember, index map[int64]int) error {
	// Identities of bots are left out even when merged into a person.
	identityMember := map[int64]int{}
	rows, err := tx.QueryContext(ctx, "SELECT id, member_id FROM identities WHERE member_id IS NOT NULL AND bot = 0")
	if err != nil {
		return fmt.Errorf("load identities: %w", err)
	}
	for rows.Next() {
		var id, mid int64
		if err := rows.Scan(&id, &mid); err != nil {
			rows.Close()
			return fmt.Errorf("load identities: %w", err)
		}
		if i, ok := index[mid]; ok {
			identityMember[id] = i
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load identities: %w", err)
	}

	rows, err = tx.QueryContext(ctx, "SELECT identity_id, kind, at FROM activities")
	if err != nil {
		return fmt.Errorf("load activities: %w", err)
	}
	defer rows.Close()
	// A handful of kinds repeat millions of times: read them as raw bytes
	// and look each up once.
	kinds := map[string]model.ActKind{}
	var kind sql.RawBytes
	for rows.Next() {
		var iid, at int64
		if err := rows.Scan(&iid, &kind, &at); err != nil {
			return fmt.Errorf("load activities: %w", err)
		}
		i, ok := identityMember[iid]
		if !ok {
			continue
		}
		k, ok := kinds[string(kind)]
		if !ok {
			k = model.ActKindOf(model.Kind(kind))
			kinds[string(kind)] = k
		}
		members[i].Acts = append(members[i].Acts, model.Act{At: at, Kind: k})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load activities: %w", err)
	}
	return nil
}

// healthQuestions reads every question with whether its author or its first
// responder is a bot (the account or the person it belongs to), and whether
// the first response came from the asker under another account.
func healthQuestions(ctx context.Context, tx *sql.Tx) ([]model.QuestionTiming, error) {
	rows, err := tx.QueryContext(ctx, `SELECT q.id, q.title, q.source, q.channel, q.created, q.first_response_at, q.closed_at,
			coalesce(ai.bot, 0) OR coalesce(am.bot, 0),
			coalesce(ri.bot, 0) OR coalesce(rm.bot, 0),
			q.responder_id IS NOT NULL AND (q.responder_id = q.author_id OR ri.member_id = ai.member_id)
		FROM questions q
		LEFT JOIN identities ai ON ai.id = q.author_id
		LEFT JOIN members am ON am.id = ai.member_id
		LEFT JOIN identities ri ON ri.id = q.responder_id
		LEFT JOIN members rm ON rm.id = ri.member_id`)
	if err != nil {
		return nil, fmt.Errorf("load questions: %w", err)
	}
	defer rows.Close()
	var out []model.QuestionTiming
	for rows.Next() {
		var q model.QuestionTiming
		var created int64
		var first, closed sql.NullInt64
		var self sql.NullBool
		if err := rows.Scan(&q.ID, &q.Title, &q.Source, &q.Channel, &created, &first, &closed, &q.AuthorBot, &q.ResponderBot, &self); err != nil {
			return nil, fmt.Errorf("load questions: %w", err)
		}
		q.Created = time.Unix(created, 0).UTC()
		q.FirstResponse, q.Closed = unixTime(first), unixTime(closed)
		q.SelfReply = self.Bool
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load questions: %w", err)
	}
	return out, nil
}

// QuestionTopics returns the topics of the questions asked in [from,
// until), bots' questions included (what people ask about), each as many
// times as it was asked: the report ranks them.
func (s *Store) QuestionTopics(ctx context.Context, from, until time.Time) ([]string, error) {
	lists, err := queryStrings(ctx, s.db, "SELECT topics FROM questions WHERE created >= ? AND created < ? AND topics <> ''",
		from.Unix(), until.Unix())
	if err != nil {
		return nil, fmt.Errorf("read question topics: %w", friendly(err))
	}
	var out []string
	for _, l := range lists {
		out = append(out, splitList(l, ",")...)
	}
	return out, nil
}
