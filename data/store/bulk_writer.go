package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
)

// bulkTable buffers the rows of one table and hands them to the loader's
// writer as multi-row INSERT statements: one prepared statement of per
// rows, and one ad-hoc statement for the remainder.
type bulkTable struct {
	l       *BulkLoader
	head    string // INSERT INTO table(columns) VALUES
	cols    int
	per     int
	args    []any
	rows    int
	parents []*bulkTable // flushed first: their rows are referred to
	free    chan []any   // argument buffers the writer has finished with
	raw     driver.Stmt  // the writer's prepared statement of per rows
}

func newBulkTable(l *BulkLoader, table string, cols []string, per int) *bulkTable {
	return &bulkTable{l: l, per: per, cols: len(cols),
		head: "INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES ",
		args: make([]any, 0, per*len(cols)),
		free: make(chan []any, bulkWriterDepth+1)}
}

func (b *bulkTable) query(rows int) string {
	var sb strings.Builder
	sb.WriteString(b.head)
	one := "(" + placeholders(b.cols) + ")"
	for i := range rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(one)
	}
	return sb.String()
}

func (b *bulkTable) add(vals ...any) error {
	if b.l.over {
		return errLoadOver
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.per {
		return b.flush()
	}
	return nil
}

// flush sends the buffered rows to the writer.
func (b *bulkTable) flush() error {
	if b.rows == 0 {
		return nil
	}
	for _, p := range b.parents {
		if err := p.flush(); err != nil {
			return err
		}
	}
	if err := b.l.writer().send(bulkJob{b: b, args: b.args, rows: b.rows}); err != nil {
		return friendly(err)
	}
	select {
	case b.args = <-b.free:
	default:
		b.args = make([]any, 0, b.per*b.cols)
	}
	b.rows = 0
	return nil
}

// bulkWriterDepth is how many statements may wait for the writer: enough
// to smooth out bursts, small enough to bound memory.
const bulkWriterDepth = 8

type bulkJob struct {
	b    *bulkTable
	args []any
	rows int
}

// bulkWriter executes bulk statements on its own goroutine, in the order
// they were sent. It talks to the driver directly, inside the transaction
// already open on conn: database/sql would otherwise check and convert
// every one of the millions of arguments, and allocate for each statement,
// which cost more than a fifth of the demo generation. Until wait returns,
// the writer holds the connection: nothing else may use the transaction.
type bulkWriter struct {
	ctx  context.Context
	conn *sql.Conn
	jobs chan bulkJob
	done chan struct{}
	err  error // set by the writer goroutine; read after done is closed
}

func newBulkWriter(ctx context.Context, conn *sql.Conn) *bulkWriter {
	w := &bulkWriter{ctx: ctx, conn: conn, jobs: make(chan bulkJob, bulkWriterDepth), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		w.err = conn.Raw(w.run)
		for range w.jobs {
			// Drain after an error so senders never block.
		}
	}()
	return w
}

func (w *bulkWriter) run(dc any) error {
	prep, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return errors.New("the SQLite driver cannot prepare statements")
	}
	var prepared []*bulkTable
	defer func() {
		for _, b := range prepared {
			b.raw.Close()
			b.raw = nil
		}
	}()
	nv := make([]driver.NamedValue, 0, 1024)
	for j := range w.jobs {
		st := j.b.raw
		if j.rows != j.b.per || st == nil {
			var err error
			if st, err = prep.PrepareContext(w.ctx, j.b.query(j.rows)); err != nil {
				return err
			}
			if j.rows == j.b.per {
				j.b.raw = st
				prepared = append(prepared, j.b)
			}
		}
		nv = nv[:0]
		for i, a := range j.args {
			nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: a})
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("the SQLite driver cannot execute statements")
		}
		_, err := ex.ExecContext(w.ctx, nv)
		if j.rows != j.b.per {
			st.Close()
		}
		if err != nil {
			return err
		}
		clear(j.args)
		select {
		case j.b.free <- j.args[:0]:
		default:
		}
	}
	return nil
}

func (w *bulkWriter) send(j bulkJob) error {
	select {
	case w.jobs <- j:
		return nil
	case <-w.done:
		if w.err == nil {
			return errors.New("bulk writer stopped")
		}
		return w.err // the writer stopped on an error
	}
}

// wait lets every sent statement finish, gives the connection back and
// reports the first error.
func (w *bulkWriter) wait() error {
	close(w.jobs)
	<-w.done
	return w.err
}
