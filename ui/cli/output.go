package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"

	"hearth/data/store"
	"hearth/model"
)

// Output formats of the listing commands.
const (
	formatTable = "table"
	formatCSV   = "csv"
	formatJSON  = "json"
)

// listFlags are the flags every listing command shares.
type listFlags struct {
	format string
	filter string
	limit  int
}

func (l *listFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&l.format, "format", "", "output `format`: table, csv or json (default table on a terminal, csv otherwise)")
	fs.StringVar(&l.filter, "filter", "", "show only rows containing every word of `text` (case-insensitive)")
	fs.IntVar(&l.limit, "limit", 0, "print at most `n` rows (0 = all)")
}

// parseList parses a listing command's arguments: its own flags plus the
// global ones, which may also come after the command name.
func (a *App) parseList(name, usage string, args []string) (l listFlags, help bool, err error) {
	fs := newFlags(name)
	l.register(fs)
	var g globalFlags
	g.register(fs, "db", "demo")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			a.printf(a.Stdout, "%s\nFlags:\n%s", usage, flagUsages(fs))
			return l, true, nil
		}
		return l, false, usageErrorf("%s: %v (see hearth %s --help)", name, err, name)
	}
	if fs.NArg() > 0 {
		return l, false, usageErrorf("%s: unexpected argument %q (to filter, use --filter)", name, fs.Arg(0))
	}
	if err := a.applyGlobals(fs, &g); err != nil {
		return l, false, err
	}
	l.format = strings.ToLower(l.format) // flag values ignore case, as --theme does
	switch l.format {
	case "":
		if tty, _ := a.terminal(); tty {
			l.format = formatTable
		} else {
			l.format = formatCSV
		}
	case formatTable, formatCSV, formatJSON:
	default:
		return l, false, usageErrorf("%s: unknown format %q (choose table, csv or json)", name, l.format)
	}
	if l.limit < 0 {
		return l, false, usageErrorf("%s: --limit must be 0 (all) or more", name)
	}
	return l, false, nil
}

// column is one field of a listing, for tables and CSV. JSON encodes the
// record struct itself, whose keys are the same snake_case names.
type column[T any] struct {
	name  string // CSV header, the same as the JSON key; "" keeps it out of CSV
	title string // table header; "" keeps the column out of tables
	right bool   // right-align in tables (numbers)
	// drop orders the columns a narrow terminal leaves out: the highest
	// first; 0 is never left out.
	drop int
	// whole columns are never cut (a stage that says "lapsed").
	whole bool
	// least is the width below which a cut value stops being useful
	// (a title); 0 means comfortable.
	least int
	text  func(*T) string
}

// listCommand is what members, questions and events share: parse the
// flags, read the rows, keep those whose text matches --filter (up to
// --limit) and print their records. text is the searchable text of a row,
// as the TUI's filter sees it; record turns a kept row into what is printed.
//
// CSV and JSON stream: each record is built and written in turn, so the
// output costs no memory beyond the rows read. A table must see every
// record to size its columns, and a terminal holds few anyway.
func listCommand[T, R any](ctx context.Context, app *App, name, usage string, args []string,
	load func(*store.Store) ([]T, error), text func(*T) string,
	record func(*store.Store, *T) (R, error), cols []column[R]) error {
	l, help, err := app.parseList(name, usage, args)
	if err != nil || help {
		return err
	}
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := load(st)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(app.Stdout, 64<<10)
	var out recordWriter[R]
	switch l.format {
	case formatJSON:
		out = newJSONWriter[R](bw)
	case formatCSV:
		out = newCSVWriter(bw, cols)
	default:
		width := 0
		if tty, wd := app.terminal(); tty {
			width = wd
		}
		out = &tableWriter[R]{w: bw, cols: cols, width: width}
	}
	n := 0
	err = matchRows(rows, text, l.filter, func(r *T) (bool, error) {
		rec, err := record(st, r)
		if err != nil {
			return false, err
		}
		if err := out.write(&rec); err != nil {
			return false, fmt.Errorf("write output: %w", err)
		}
		n++
		return l.limit == 0 || n < l.limit, nil
	})
	if err != nil {
		return err
	}
	if err := out.close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// matchChunk is how many rows are matched at a time: enough to amortise
// the filter, few enough that their texts take no noticeable memory.
const matchChunk = 1024

// matchRows calls emit for every row whose text matches query with the
// TUI's filter semantics (every word, case-insensitive; all rows when
// query is blank), in order, until emit returns false or an error.
func matchRows[T any](rows []T, text func(*T) string, query string, emit func(*T) (bool, error)) error {
	blank := strings.TrimSpace(query) == ""
	texts := make([]string, 0, min(matchChunk, len(rows)))
	for start := 0; start < len(rows); start += matchChunk {
		chunk := rows[start:min(start+matchChunk, len(rows))]
		if blank {
			for i := range chunk {
				if more, err := emit(&chunk[i]); !more || err != nil {
					return err
				}
			}
			continue
		}
		texts = texts[:0]
		for i := range chunk {
			texts = append(texts, text(&chunk[i]))
		}
		for _, i := range model.NewFilter(texts).Match(query) {
			if more, err := emit(&chunk[i]); !more || err != nil {
				return err
			}
		}
	}
	return nil
}

// recordWriter prints records one at a time.
type recordWriter[R any] interface {
	write(rec *R) error
	close() error // ends the output (the JSON array's bracket)
}

// jsonWriter writes a JSON array one object per line:
//
//	[
//	{"id":1,...},
//	{"id":2,...}
//	]
//
// Each object is appended to a reused buffer and written before the next
// is built, so no part of the output but one record is ever in memory.
type jsonWriter[R any] struct {
	w   io.Writer
	buf []byte
	n   int
}

// jsonAppender is a record that writes itself as JSON (see jsonObject).
type jsonAppender interface{ appendJSON(b []byte) []byte }

func newJSONWriter[R any](w io.Writer) *jsonWriter[R] {
	return &jsonWriter[R]{w: w}
}

func (j *jsonWriter[R]) write(rec *R) error {
	if j.n == 0 {
		j.buf = append(j.buf[:0], "[\n"...)
	} else {
		j.buf = append(j.buf[:0], ",\n"...)
	}
	a, ok := any(rec).(jsonAppender)
	if !ok {
		return fmt.Errorf("%T cannot be written as JSON", rec)
	}
	j.buf = a.appendJSON(j.buf)
	j.n++
	_, err := j.w.Write(j.buf)
	return err
}

func (j *jsonWriter[R]) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n" // an empty list, never null
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// csvWriter writes the header, then one line per record.
type csvWriter[R any] struct {
	cw     *csv.Writer
	shown  []column[R]
	row    []string
	header bool
}

func newCSVWriter[R any](w io.Writer, cols []column[R]) *csvWriter[R] {
	c := &csvWriter[R]{cw: csv.NewWriter(w)}
	for _, col := range cols {
		if col.name != "" {
			c.shown = append(c.shown, col)
		}
	}
	c.row = make([]string, len(c.shown))
	return c
}

func (c *csvWriter[R]) writeHeader() error {
	c.header = true
	for i, col := range c.shown {
		c.row[i] = col.name
	}
	return c.cw.Write(c.row)
}

func (c *csvWriter[R]) write(rec *R) error {
	if !c.header {
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	for j, col := range c.shown {
		c.row[j] = col.text(rec)
	}
	return c.cw.Write(c.row)
}

func (c *csvWriter[R]) close() error {
	if !c.header {
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	c.cw.Flush()
	return c.cw.Error()
}

// tableWriter keeps the records and prints them aligned at the end.
type tableWriter[R any] struct {
	w     io.Writer
	cols  []column[R]
	width int
	recs  []R
}

func (t *tableWriter[R]) write(rec *R) error {
	t.recs = append(t.recs, *rec)
	return nil
}

func (t *tableWriter[R]) close() error { return writeTable(t.w, t.cols, t.recs, t.width) }

// writeTable prints aligned columns sized to their content. With a
// terminal width, the widest columns are narrowed (with an ellipsis) until
// the table fits.
func writeTable[T any](w io.Writer, cols []column[T], recs []T, maxWidth int) error {
	var shown []column[T]
	for _, c := range cols {
		if c.title != "" {
			shown = append(shown, c)
		}
	}
	cells := make([][]string, len(recs)+1)
	cells[0] = make([]string, len(shown))
	for j, c := range shown {
		cells[0][j] = c.title
	}
	for i := range recs {
		row := make([]string, len(shown))
		for j, c := range shown {
			row[j] = c.text(&recs[i])
		}
		cells[i+1] = row
	}
	spec := make([]tableCol, len(shown))
	for j, c := range shown {
		spec[j] = tableCol{right: c.right, drop: c.drop, whole: c.whole, least: c.least}
	}
	return renderTable(w, cells, spec, maxWidth)
}

// tableCol says how a table column behaves when space is short.
type tableCol struct {
	right bool // right-aligned
	drop  int  // left out before the columns with a lower drop; 0 never
	whole bool // never cut
	least int  // cut no narrower than this while others can give way; 0: comfortable
}

// tableGap is the space between two columns.
const tableGap = 2

// minColumn is how narrow fitting may make a column that is wider.
const minColumn = 8

func renderTable(w io.Writer, cells [][]string, spec []tableCol, maxWidth int) error {
	if len(cells) == 0 || len(cells[0]) == 0 {
		return nil
	}
	widths := make([]int, len(spec))
	for _, row := range cells {
		for j, s := range row {
			widths[j] = max(widths[j], ansi.StringWidth(s))
		}
	}
	if maxWidth > 0 {
		keep := keptColumns(widths, spec, maxWidth)
		cells = pick(cells, keep)
		widths = fitWidths(pickOne(widths, keep), pickOne(spec, keep), maxWidth)
		spec = pickOne(spec, keep)
	}
	n := len(widths)
	right := make([]bool, n)
	for j := range spec {
		right[j] = spec[j].right
	}
	var b strings.Builder
	for _, row := range cells {
		b.Reset()
		for j, s := range row {
			if sw := ansi.StringWidth(s); sw > widths[j] {
				s = ansi.Truncate(s, widths[j], "…")
			}
			pad := widths[j] - ansi.StringWidth(s)
			last := j == n-1
			switch {
			case right[j]:
				b.WriteString(strings.Repeat(" ", pad))
				b.WriteString(s)
			case last:
				b.WriteString(s) // no trailing blanks
			default:
				b.WriteString(s)
				b.WriteString(strings.Repeat(" ", pad))
			}
			if !last {
				b.WriteString(strings.Repeat(" ", tableGap))
			}
		}
		line := b.String()
		// When even the narrowest columns do not fit, cut the line rather
		// than let the terminal wrap it into the next row.
		if maxWidth > 0 && ansi.StringWidth(line) > maxWidth {
			line = ansi.Truncate(line, maxWidth, "")
		}
		if _, err := io.WriteString(w, strings.TrimRight(line, " ")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// comfortable is the width below which a cut column stops being useful:
// rather than squeeze every column to a few letters, a narrow terminal
// leaves out the columns that matter least (tableCol.drop).
const comfortable = 14

// keptColumns returns the indices of the columns that fit maxWidth when
// every column is shown at least at a comfortable width (or whole, when
// narrower or marked whole), dropping columns in their drop order.
func keptColumns(widths []int, spec []tableCol, maxWidth int) []int {
	keep := make([]int, len(widths))
	for j := range keep {
		keep[j] = j
	}
	for {
		need := tableGap * (len(keep) - 1)
		for _, j := range keep {
			need += floorWidth(widths[j], spec[j], max(spec[j].least, comfortable))
		}
		if need <= maxWidth {
			return keep
		}
		worst := -1
		for i, j := range keep {
			if spec[j].drop > 0 && (worst < 0 || spec[j].drop > spec[keep[worst]].drop) {
				worst = i
			}
		}
		if worst < 0 {
			return keep // nothing left to drop: fitWidths cuts what it must
		}
		keep = append(keep[:worst:worst], keep[worst+1:]...)
	}
}

// floorWidth is how narrow a column of natural width w may become.
func floorWidth(w int, c tableCol, floor int) int {
	if c.whole {
		return w
	}
	return min(w, floor)
}

func pickOne[T any](xs []T, keep []int) []T {
	out := make([]T, len(keep))
	for i, j := range keep {
		out[i] = xs[j]
	}
	return out
}

func pick(rows [][]string, keep []int) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = pickOne(row, keep)
	}
	return out
}

// fitWidths caps the widest columns at a common width, as high as the total
// allows, so that narrow columns (dates, counts) stay whole and the long
// free-text ones give way. Whole columns keep their width.
func fitWidths(widths []int, spec []tableCol, maxWidth int) []int {
	total := func(ws []int) int {
		t := tableGap * (len(ws) - 1)
		for _, x := range ws {
			t += x
		}
		return t
	}
	if total(widths) <= maxWidth {
		return widths
	}
	widest := 0
	for _, x := range widths {
		widest = max(widest, x)
	}
	out := make([]int, len(widths))
	for limit := widest - 1; limit >= minColumn; limit-- {
		for j, x := range widths {
			out[j] = max(floorWidth(x, spec[j], limit), min(x, spec[j].least))
		}
		if total(out) <= maxWidth {
			return out
		}
	}
	for j, x := range widths {
		out[j] = floorWidth(x, spec[j], minColumn)
	}
	return out
}

// Text helpers shared by the listing commands.

// clean makes one database string safe for a single line of output.
func clean(s string) string { return model.CleanLine(s) }

// cleanList cleans every string of a list; never nil, so JSON shows [].
func cleanList(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x = strings.TrimSpace(clean(x)); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// rfc3339 is a time for CSV: RFC 3339 in UTC, empty when unknown.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func itoa(n int) string { return strconv.Itoa(n) }
