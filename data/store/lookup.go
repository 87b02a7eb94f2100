package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"hearth/model"
)

// QuestionByKey returns the question whose stable key
// (model.QuestionKey) is key.
func (s *Store) QuestionByKey(ctx context.Context, key string) (model.Question, error) {
	var q model.Question
	src, ext, ok := model.ParseQuestionKey(key)
	if !ok {
		return q, fmt.Errorf("%q is not a question key (source#id, as hearth questions --format json shows it)", key)
	}
	err := scanQuestion(s.db.QueryRowContext(ctx, "SELECT "+questionCols+questionFrom+
		" WHERE q.source = ? AND q.external_id = ?", src, ext), &q)
	if errors.Is(err, sql.ErrNoRows) {
		return q, fmt.Errorf("question %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return q, fmt.Errorf("read question %s: %w", key, friendly(err))
	}
	return q, nil
}

// FindMember resolves what a person types to name a member: its id, an
// "@handle" or an e-mail address. It returns the member's identity that
// the reference matched (for an id, the member's most active identity),
// whose "source:external_id" is the stable key user data hangs off.
func (s *Store) FindMember(ctx context.Context, ref string) (model.Identity, error) {
	var i model.Identity
	ref = strings.TrimSpace(ref)
	var where string
	var arg any
	switch {
	case ref == "":
		return i, errors.New("no member given")
	case strings.HasPrefix(ref, "@"):
		where, arg = "username = ? COLLATE NOCASE", strings.TrimPrefix(ref, "@")
	case strings.Contains(ref, "@"):
		where, arg = "(email = ? COLLATE NOCASE OR external_id = ? COLLATE NOCASE)", ref
	default:
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return i, fmt.Errorf("%q is not a member: give an id, @handle or e-mail address", ref)
		}
		where, arg = "member_id = ?", id
	}
	args := []any{arg}
	if strings.Count(where, "?") == 2 {
		args = append(args, arg)
	}
	var member sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT id, source, external_id, username, name, email, member_id FROM identities
		WHERE `+where+` ORDER BY member_id IS NULL, activities DESC, id LIMIT 1`, args...).
		Scan(&i.ID, &i.Source, &i.ExternalID, &i.Username, &i.Name, &i.Email, &member)
	if errors.Is(err, sql.ErrNoRows) {
		return i, fmt.Errorf("member %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return i, fmt.Errorf("find member %s: %w", ref, friendly(err))
	}
	i.MemberID = member.Int64
	return i, nil
}
