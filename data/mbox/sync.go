package mbox

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hearth/data/connector"
	"hearth/model"
)

// Sync reads what the archive gained since state.Cursor and emits it in
// batches of at most BatchSize messages, files in archive order. Each
// batch's cursor records every file's progress and the open questions, so
// a sync stopped after any batch resumes exactly where it stood. The last
// progress report says how many messages were stored and how many
// malformed ones were skipped, by reason.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &run{
		s: s, ctx: ctx, state: state, emit: emit,
		cur: parseCursor(state.Cursor), p: newParser(),
		rootOf: map[string]*openQuestion{}, bySubject: map[string]*openQuestion{},
		stats: Stats{Skipped: map[string]int{}},
	}
	for _, q := range r.cur.Open {
		r.track(q)
	}
	r.b = r.newBatch()
	defer func() { s.stats = r.stats }()
	files, err := s.files()
	if err != nil {
		return err
	}
	if err := connector.Each(ctx, files, r.file); err != nil {
		return err
	}
	if err := r.flush(); err != nil {
		return err
	}
	if state.Progress != nil {
		state.Progress(r.stats.Messages, r.stats.Messages, r.summary())
	}
	return nil
}

// run is one Sync.
type run struct {
	s     *Source
	ctx   context.Context
	state connector.SyncState
	emit  func(connector.Batch) error
	cur   cursor
	p     *parser
	b     *batch
	stats Stats
	// rootOf finds the open question a message belongs to, by the
	// Message-ID of the question or of the asker's later messages;
	// bySubject by the thread key of its subject, for replies without
	// threading headers.
	rootOf    map[string]*openQuestion
	bySubject map[string]*openQuestion
	// asked holds the questions of this run, so a message archived twice
	// does not ask again.
	asked map[string]bool
}

// batch collects one connector.Batch.
type batch struct {
	connector.Batch
	people    map[string]int // identity external id → index in Identities
	questions map[string]int // question external id → index in Questions
	changed   bool           // a file state changed: the cursor must be saved
}

func (r *run) newBatch() *batch {
	return &batch{people: map[string]int{}, questions: map[string]int{}}
}

// file reads one file of the archive from where the cursor left it.
func (r *run) file(f archiveFile) error {
	st := r.cur.Files[f.key]
	if st == nil && f.alias != "" {
		if a := r.cur.Files[f.alias]; a != nil {
			c := *a
			c.Done, c.Size = false, -1
			st = &c
		}
	}
	fh, err := os.Open(f.path)
	if err != nil {
		r.skip(errUnreadable)
		return nil
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		r.skip(errUnreadable)
		return nil
	}
	size, mtime := fi.Size(), fi.ModTime().UnixNano()
	if st != nil && st.Done && st.Size == size && st.MTime == mtime {
		return nil // unchanged: not even opened for reading
	}
	var verify *fileState
	if st != nil && st.LastID != "" {
		verify = st
	}
	if err := r.read(f, fh, size, mtime, verify); !errors.Is(err, errRewritten) {
		return err
	}
	// The recorded message is not where it was: the file was rewritten.
	// Read all of it; its messages are upserted again, unchanged ones
	// writing nothing.
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		r.skip(errUnreadable)
		return nil
	}
	return r.read(f, fh, size, mtime, nil)
}

var errRewritten = errors.New("file rewritten")

// read reads fh's messages. With verify, it starts at verify.LastAt,
// expects the message there to be verify.LastID, and goes on past
// verify.Off; errRewritten when the message is not there.
func (r *run) read(f archiveFile, fh *os.File, size, mtime int64, verify *fileState) error {
	br := bufio.NewReaderSize(fh, 1<<16)
	var in io.Reader = br
	gz := false
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			r.skip(errNotMbox)
			r.done(f, size, mtime, &fileState{})
			return nil
		}
		zr.Multistream(true)
		in, gz = zr, true
	}
	var start int64
	if verify != nil {
		if !gz && size < verify.Size {
			return errRewritten // shrank
		}
		start = verify.LastAt
		if gz {
			if n, err := io.CopyN(io.Discard, in, start); n != start || err != nil {
				return errRewritten
			}
		} else if _, err := fh.Seek(start, io.SeekStart); err != nil {
			return errRewritten
		} else {
			br.Reset(fh)
			in = br
		}
	}
	st := &fileState{Size: size, MTime: mtime}
	if verify != nil {
		*st = *verify
		st.Size, st.MTime, st.Done = size, mtime, false
	}
	sp := newSplitter(in, start)
	first := verify != nil
	broken := false // the last chunk was cut by a stream error
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		c, err := sp.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The stream broke between messages: a truncated gzip file.
			if !broken {
				r.skip(errTruncated)
			}
			break
		}
		broken = c.truncated
		if first {
			first = false
			if !c.sep || c.truncated || r.p.messageID(c.raw) != verify.LastID {
				return errRewritten
			}
			continue
		}
		if verify != nil && c.end <= verify.Off {
			continue // read, and counted, by an earlier run
		}
		st.Off = c.end
		if id := r.chunk(c); id != "" {
			st.LastAt, st.LastID = c.at, id
		}
		r.b.changed = true
		if len(r.b.Activities) >= r.s.batch {
			r.cur.Files[f.key] = st
			cp := *st
			st = &cp
			if err := r.flush(); err != nil {
				return err
			}
			r.progress(f)
		}
	}
	r.done(f, size, mtime, st)
	r.progress(f)
	return nil
}

// done records a file as read to its end.
func (r *run) done(f archiveFile, size, mtime int64, st *fileState) {
	cp := *st
	cp.Size, cp.MTime, cp.Done = size, mtime, true
	r.cur.Files[f.key] = &cp
	r.b.changed = true
}

// chunk handles one chunk of the stream and returns the Message-ID of a
// message stored, "" when it was skipped.
func (r *run) chunk(c chunk) string {
	switch {
	case !c.sep:
		r.skip(errNotMbox)
		return ""
	case c.tooLarge:
		r.skip(errTooLarge)
		return ""
	case c.truncated:
		r.skip(errTruncated)
		return ""
	}
	m, err := r.p.parse(c.raw, r.starter)
	if err != nil {
		var why malformed
		if !errors.As(err, &why) {
			why = errBadHeader
		}
		r.skip(why)
		return ""
	}
	r.message(m)
	return m.id
}

// starter reports whether a message starts a thread: it has no threading
// headers and its subject is not a reply's. Only a starter's text is read.
func (r *run) starter(m *message) bool {
	return !m.reply() && !replySubject(m.subject)
}

// message turns one message into rows of the batch.
func (r *run) message(m *message) {
	actor := strings.ToLower(m.addr)
	bot := r.s.bots.IsBot("", m.name, actor)
	r.person(actor, m.name, bot)
	title := cleanSubject(m.subject)
	at := m.date.UTC()
	kind := model.KindComment
	if r.starter(m) {
		kind = model.KindPost
		if asks(title, m.para) && !r.asked[m.id] {
			kind = model.KindQuestion
			if r.asked == nil {
				r.asked = map[string]bool{}
			}
			r.asked[m.id] = true
			q := &openQuestion{ID: m.id, Author: actor, Name: m.name, At: at, Title: title, Body: m.para, Key: threadKey(m.subject)}
			r.cur.Open = append(r.cur.Open, q)
			r.track(q)
			r.question(q, nil, "")
		}
	} else if q := r.thread(m); q != nil {
		switch {
		case actor == q.Author:
			q.More = append(q.More, m.id)
			r.rootOf[m.id] = q
		case !bot:
			kind = model.KindAnswer
			r.answered(q, m, actor)
		}
	}
	r.b.Activities = append(r.b.Activities, model.Activity{
		Source: SourceName, ExternalID: m.id, Actor: actor, Kind: kind, At: at,
		Channel: r.s.channel, Title: title,
	})
	r.b.Items++
	r.stats.Messages++
}

// thread finds the open question a reply belongs to: by its In-Reply-To
// and References, nearest first; by its subject only when it has neither.
func (r *run) thread(m *message) *openQuestion {
	if !m.reply() {
		return r.bySubject[threadKey(m.subject)]
	}
	if q := r.rootOf[m.inReplyTo]; q != nil {
		return q
	}
	for _, id := range slices.Backward(m.refs) {
		if q := r.rootOf[id]; q != nil {
			return q
		}
	}
	return nil
}

// track indexes an open question for the replies to come.
func (r *run) track(q *openQuestion) {
	r.rootOf[q.ID] = q
	for _, id := range q.More {
		r.rootOf[id] = q
	}
	if q.Key != "" {
		r.bySubject[q.Key] = q
	}
}

// answered closes q with m, the first reply by someone else.
func (r *run) answered(q *openQuestion, m *message, actor string) {
	delete(r.rootOf, q.ID)
	for _, id := range q.More {
		delete(r.rootOf, id)
	}
	if r.bySubject[q.Key] == q {
		delete(r.bySubject, q.Key)
	}
	r.cur.Open = slices.DeleteFunc(r.cur.Open, func(o *openQuestion) bool { return o == q })
	r.question(q, m, actor)
}

// question writes q's record into the batch, answered by m when m is set.
func (r *run) question(q *openQuestion, m *message, actor string) {
	author := q.Name
	if author == "" {
		author = q.Author
	}
	rec := connector.QuestionRecord{
		Question: model.Question{
			Source: SourceName, ExternalID: q.ID, Channel: r.s.channel,
			Title: q.Title, Body: q.Body, Author: author, Created: q.At,
		},
		AuthorID: q.Author,
	}
	if m != nil {
		rec.ResponderID = actor
		rec.Responder = m.name
		if rec.Responder == "" {
			rec.Responder = actor
		}
		// A reply dated before its question (a sender's wrong clock) is
		// answered at once, not before it was asked.
		if m.date.UTC().Before(q.At) {
			rec.FirstResponse = q.At
		} else {
			rec.FirstResponse = m.date.UTC()
		}
	}
	if i, ok := r.b.questions[q.ID]; ok {
		r.b.Questions[i] = rec
		return
	}
	r.b.questions[q.ID] = len(r.b.Questions)
	r.b.Questions = append(r.b.Questions, rec)
}

// person puts the sender's identity in the batch; the newest name given
// wins, and a message without one keeps the name known.
func (r *run) person(id, name string, bot bool) {
	if i, ok := r.b.people[id]; ok {
		if name != "" {
			r.b.Identities[i].Name = name
		}
		return
	}
	r.b.people[id] = len(r.b.Identities)
	r.b.Identities = append(r.b.Identities, model.Identity{
		Source: SourceName, ExternalID: id, Name: name, Email: id, Bot: bot,
	})
}

func (r *run) skip(why malformed) { r.stats.Skipped[string(why)]++ }

// flush emits the batch with the cursor as it now stands, if anything
// changed.
func (r *run) flush() error {
	b := r.b
	if !b.changed && len(b.Activities) == 0 {
		return nil
	}
	b.Cursor = r.cur.String()
	if err := r.emit(b.Batch); err != nil {
		return err
	}
	r.b = r.newBatch()
	return nil
}

func (r *run) progress(f archiveFile) {
	if r.state.Progress != nil {
		r.state.Progress(r.stats.Messages, 0, fmt.Sprintf("%s, %d skipped", filepath.Base(f.path), r.stats.Skipped.Total()))
	}
}

// summary is the run's last progress line: what was stored and what was
// skipped, by reason.
func (r *run) summary() string {
	return "messages, " + r.stats.Skipped.String()
}
