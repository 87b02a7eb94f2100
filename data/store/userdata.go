package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// userTables are the user-authored tables, as export and import see them:
// everything a person typed. Rows refer to synced things by stable keys
// (identity and question source and external id, event uid); rows without
// a natural key keep their id. where selects the user's rows of a table
// shared with sync (events planned in hearth).
var userTables = []struct{ name, where string }{
	{"member_notes", ""},
	{"member_tags", ""},
	{"member_flags", ""},
	{"identity_links", ""},
	{"not_duplicates", ""},
	{"question_triage", ""},
	{"events", "source = 'hearth'"},
	{"event_speakers", ""},
	{"event_tasks", ""},
	{"event_budget", ""},
	{"event_attendees", ""},
	{"saved_filters", ""},
}

// userDataFormat is the version of the export's format.
const userDataFormat = 1

type columnInfo struct {
	name    string
	integer bool // declared INTEGER; else TEXT
	pk      bool
}

func tableColumns(ctx context.Context, q execer, name string) ([]columnInfo, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []columnInfo
	for rows.Next() {
		var c columnInfo
		var typ string
		var pk int
		if err := rows.Scan(&c.name, &typ, &pk); err != nil {
			return nil, err
		}
		c.integer, c.pk = strings.EqualFold(typ, "INTEGER"), pk > 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// ExportUserData writes every user-authored row as JSON: one object per
// row and per line, tables in a fixed order, rows in key order, so that
// two exports of the same data are the same bytes and diff well.
func (s *Store) ExportUserData(ctx context.Context, w io.Writer) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("export: %w", friendly(err))
	}
	defer tx.Rollback()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\"hearth_userdata\": %d,\n\"tables\": {", userDataFormat)
	for ti, t := range userTables {
		cols, err := tableColumns(ctx, tx, t.name)
		if err != nil {
			return fmt.Errorf("export %s: %w", t.name, friendly(err))
		}
		names := make([]string, len(cols))
		order := make([]string, len(cols))
		for i, c := range cols {
			names[i], order[i] = c.name, strconv.Itoa(i+1)
		}
		q := "SELECT " + strings.Join(names, ", ") + " FROM " + t.name
		if t.where != "" {
			q += " WHERE " + t.where
		}
		rows, err := tx.QueryContext(ctx, q+" ORDER BY "+strings.Join(order, ", "))
		if err != nil {
			return fmt.Errorf("export %s: %w", t.name, friendly(err))
		}
		if ti > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n%q: [", t.name)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return fmt.Errorf("export %s: %w", t.name, friendly(err))
			}
			if n > 0 {
				bw.WriteString(",")
			}
			n++
			bw.WriteString("\n  {")
			for i, c := range cols {
				if i > 0 {
					bw.WriteString(", ")
				}
				k, _ := json.Marshal(c.name)
				bw.Write(k)
				bw.WriteString(": ")
				v, err := json.Marshal(vals[i])
				if err != nil {
					rows.Close()
					return fmt.Errorf("export %s: %w", t.name, err)
				}
				bw.Write(v)
			}
			bw.WriteString("}")
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export %s: %w", t.name, friendly(err))
		}
		if n > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]")
	}
	bw.WriteString("\n}}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// importRow is one row of an import file, with the line it starts on.
type importRow struct {
	line int
	vals map[string]any
}

// ImportError is a malformed import file: the file and line, and what is
// wrong there.
type ImportError struct {
	File string
	Line int
	Msg  string
}

func (e *ImportError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// ImportUserData reads a file written by ExportUserData (name is how
// errors call it) and writes its rows, all or nothing. With replace the
// user-authored tables are emptied first, so that they end up exactly as
// exported; otherwise the file is merged in: rows with a natural key
// (tags, flags, triage, saved filters, events by uid) are overwritten by
// the file's, other rows are added unless an identical one exists. A
// malformed file is one *ImportError naming the line, and nothing is
// written. The import is one change in the journal, which Undo does not
// cross: it says so instead.
func (w *Writer) ImportUserData(ctx context.Context, name string, data []byte, replace bool) error {
	tablesIn, err := parseUserData(name, data)
	if err != nil {
		return err
	}
	what := "import " + name
	if replace {
		what += " (replace)"
	}
	err = w.s.immediate(ctx, func(tx execer) error {
		c := &change{ctx: ctx, tx: tx, w: w, at: w.s.now().Unix(), what: what}
		if err := markUserDirty(ctx, c.tx); err != nil {
			return err
		}
		for _, t := range userTables {
			cols, err := tableColumns(ctx, c.tx, t.name)
			if err != nil {
				return err
			}
			if replace {
				q := "DELETE FROM " + t.name
				if t.where != "" {
					q += " WHERE " + t.where
				}
				if _, err := c.tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			for _, r := range tablesIn[t.name] {
				if err := importOne(ctx, c.tx, name, t.name, cols, r, replace); err != nil {
					return err
				}
			}
		}
		if err := markUserDirty(ctx, c.tx); err != nil {
			return err
		}
		return c.record(importTable, map[string]string{"file": name}, nil, nil)
	})
	var ie *ImportError
	if err != nil && !errors.As(err, &ie) {
		return fmt.Errorf("%s: %w", what, friendly(err))
	}
	return err
}

// importTable is the journal's name for an import, which Undo stops at.
const importTable = "userdata"

// markUserDirty marks what user data bears on for the next sync: the
// members of flagged identities (stages) and the identities manual links
// name (the people merge). Called before and after an import, it covers
// what the import removed and what it added.
func markUserDirty(ctx context.Context, tx execer) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_members(id)
		SELECT i.member_id FROM member_flags f JOIN identities i ON i.source = f.source AND i.external_id = f.external_id
		WHERE i.member_id IS NOT NULL`); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, "SELECT kind, a_source, a_external_id, b_source, b_external_id, created FROM identity_links")
	if err != nil {
		return err
	}
	var links []linkRow
	for rows.Next() {
		var l linkRow
		if err := rows.Scan(&l.Kind, &l.ASource, &l.AExternalID, &l.BSource, &l.BExternalID, &l.Created); err != nil {
			rows.Close()
			return err
		}
		links = append(links, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range links {
		if err := markLinked(ctx, tx, l.link()); err != nil {
			return err
		}
	}
	return nil
}

func importOne(ctx context.Context, tx execer, file, table string, cols []columnInfo, r importRow, replace bool) error {
	fail := func(format string, args ...any) error {
		return &ImportError{File: file, Line: r.line, Msg: table + ": " + fmt.Sprintf(format, args...)}
	}
	known := map[string]columnInfo{}
	for _, c := range cols {
		known[c.name] = c
	}
	var names []string
	var args []any
	hasID := false
	for _, c := range cols {
		v, ok := r.vals[c.name]
		if !ok {
			continue
		}
		switch x := v.(type) {
		case nil:
		case json.Number:
			if !c.integer {
				return fail("%s must be text", c.name)
			}
			n, err := x.Int64()
			if err != nil {
				return fail("%s: %s is not a whole number", c.name, x)
			}
			v = n
		case string:
			if c.integer {
				return fail("%s must be a number", c.name)
			}
		default:
			return fail("%s must be a number, text or null", c.name)
		}
		if c.name == "id" && c.pk {
			hasID = true
		}
		names = append(names, c.name)
		args = append(args, v)
	}
	for k := range r.vals {
		if _, ok := known[k]; !ok {
			return fail("unknown field %q", k)
		}
	}
	if table == "events" {
		if v, _ := r.vals["source"].(string); v != "hearth" {
			return fail("only events planned in hearth (source \"hearth\") are user data")
		}
		uid, _ := r.vals["uid"].(string)
		var src string
		err := tx.QueryRowContext(ctx, "SELECT source FROM events WHERE uid = ?", uid).Scan(&src)
		switch {
		case err == nil && src != "hearth":
			return fail("event %q exists as a synced event", uid)
		case err == nil:
			if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE uid = ?", uid); err != nil {
				return err
			}
		}
	}
	if hasID {
		// Keep the id when it is free; a row that only differs by its id
		// is already there (merge).
		var other []string
		var otherArgs []any
		var id any
		for i, n := range names {
			if n == "id" {
				id = args[i]
				continue
			}
			other = append(other, n+" IS ?")
			otherArgs = append(otherArgs, args[i])
		}
		if !replace && table != "events" {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE "+strings.Join(other, " AND "), otherArgs...).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
		}
		var taken int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			for i, n := range names {
				if n == "id" {
					names = append(names[:i:i], names[i+1:]...)
					args = append(args[:i:i], args[i+1:]...)
					break
				}
			}
		}
	}
	verb := "INSERT"
	if !hasID {
		verb = "INSERT OR REPLACE"
	}
	if _, err := tx.ExecContext(ctx, verb+" INTO "+table+"("+strings.Join(names, ", ")+") VALUES ("+placeholders(len(names))+")", args...); err != nil {
		return fail("%v", friendly(err))
	}
	return nil
}

// parseUserData reads an export into rows per table, each with the line it
// starts on; anything malformed is an *ImportError.
func parseUserData(name string, data []byte) (map[string][]importRow, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	lineAt := func(off int64) int {
		// The decoder's offset is just past the previous token: the row
		// starts at the next character that is not blank.
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		return bytes.Count(data[:min(off, int64(len(data)))], []byte("\n")) + 1
	}
	fail := func(off int64, format string, args ...any) error {
		return &ImportError{File: name, Line: lineAt(off), Msg: fmt.Sprintf(format, args...)}
	}
	syntax := func(err error) error {
		// The decoder's offsets count from its buffer; checking the whole
		// file gives the offset in the file, just past the bad character.
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var v any
		switch whole := json.Unmarshal(data, &v); {
		case errors.As(whole, &se) && strings.HasPrefix(se.Error(), "unexpected end"):
			return &ImportError{File: name, Line: bytes.Count(data, []byte("\n")) + 1, Msg: "the file ends too soon"}
		case errors.As(whole, &se):
			return &ImportError{File: name, Line: bytes.Count(data[:max(se.Offset-1, 0)], []byte("\n")) + 1, Msg: se.Error()}
		case errors.As(err, &te):
			return fail(dec.InputOffset(), "%s must be %v", te.Field, te.Type)
		}
		return fail(dec.InputOffset(), "%v", err)
	}
	known := map[string]bool{}
	for _, t := range userTables {
		known[t.name] = true
	}
	expect := func(want json.Delim) error {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(off, "expected %q", string(want))
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return nil, err
	}
	out := map[string][]importRow{}
	format := false
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		switch tok {
		case "hearth_userdata":
			off := dec.InputOffset()
			var v json.Number
			if err := dec.Decode(&v); err != nil {
				return nil, syntax(err)
			}
			if v.String() != strconv.Itoa(userDataFormat) {
				return nil, fail(off, "format %s is not one this hearth reads (%d)", v, userDataFormat)
			}
			format = true
		case "tables":
			if err := expect('{'); err != nil {
				return nil, err
			}
			for dec.More() {
				off := dec.InputOffset()
				tok, err := dec.Token()
				if err != nil {
					return nil, syntax(err)
				}
				table, _ := tok.(string)
				if !known[table] {
					return nil, fail(off, "unknown table %q", table)
				}
				if _, dup := out[table]; dup {
					return nil, fail(off, "table %q twice", table)
				}
				if err := expect('['); err != nil {
					return nil, err
				}
				rows := []importRow{}
				for dec.More() {
					off := dec.InputOffset()
					var vals map[string]any
					if err := dec.Decode(&vals); err != nil {
						return nil, syntax(err)
					}
					if vals == nil {
						return nil, fail(off, "%s: a row must be an object", table)
					}
					rows = append(rows, importRow{line: lineAt(off), vals: vals})
				}
				if err := expect(']'); err != nil {
					return nil, err
				}
				out[table] = rows
			}
			if err := expect('}'); err != nil {
				return nil, err
			}
		default:
			return nil, fail(off, "unknown field %v", tok)
		}
	}
	if err := expect('}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(dec.InputOffset(), "unexpected data after the end")
	}
	if !format {
		return nil, &ImportError{File: name, Msg: "not a hearth user data export (no \"hearth_userdata\" field)"}
	}
	return out, nil
}
