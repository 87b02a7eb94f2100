package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"hearth/data/connector"
	"hearth/model"
)

// Reasons a file or a message is skipped, as Stats.Skipped counts them.
const (
	skipUnsafePath   = "unsafe path in zip"
	skipNoUsers      = "no users.json"
	skipBadJSON      = "bad JSON"
	skipUnreadable   = "unreadable file"
	skipEmptyDay     = "empty day file"
	skipNotDay       = "not a day file"
	skipBadChannel   = "channel without id or name"
	skipBadMessage   = "bad message"
	skipNotMessage   = "not a message"
	skipBadTS        = "bad ts"
	skipNoAuthor     = "no author"
	skipEmptyMessage = "no text"
)

// Sync reads what the export gained since state.Cursor and emits it in
// batches of at most BatchSize messages, channel by channel in name
// order, each channel's days in calendar order and each day's messages
// in ts order. Each batch's cursor records every channel's progress and
// the open questions, so a sync stopped after any batch resumes exactly
// where it stood. The last progress report says how many messages were
// stored and how many malformed files and messages were skipped.
func (s *Source) Sync(ctx context.Context, state connector.SyncState, emit func(connector.Batch) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &run{
		s: s, ctx: ctx, state: state, emit: emit, cur: parseCursor(state.Cursor),
		users: map[string]*user{}, channels: map[string]string{},
		stats: Stats{Skipped: map[string]int{}},
	}
	defer func() { s.stats = r.stats }()
	e, err := openExport(s.path)
	if err != nil {
		return err
	}
	defer e.close()
	if e.unsafe > 0 {
		r.stats.Skipped[skipUnsafePath] += e.unsafe
	}
	r.loadUsers(e)
	chans, err := r.loadChannels(e)
	if err != nil {
		return err
	}
	r.names = names{
		user: func(id string) string {
			if u := r.users[id]; u != nil {
				return firstOf(u.Profile.DisplayName, u.Name, u.RealName)
			}
			return ""
		},
		channel: func(id string) string { return r.channels[id] },
	}
	r.b = r.newBatch()
	if err := connector.Each(ctx, chans, func(ch channel) error { return r.channel(e, ch) }); err != nil {
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
	b     *batch
	stats Stats

	users    map[string]*user
	channels map[string]string // channel id → name
	names    names
}

// batch collects one connector.Batch.
type batch struct {
	connector.Batch
	people    map[string]int // identity external id → index in Identities
	questions map[string]int // question external id → index in Questions
	changed   bool           // a channel's state changed: the cursor must be saved
}

func (r *run) newBatch() *batch {
	return &batch{people: map[string]int{}, questions: map[string]int{}}
}

func (r *run) skip(why string) { r.stats.Skipped[why]++ }

// loadUsers reads users.json. Without it messages are still read, their
// authors named from the messages' own user profiles.
func (r *run) loadUsers(e *export) {
	b, err := e.read("users.json")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.skip(skipNoUsers)
		return
	case err != nil:
		r.skip(skipUnreadable)
		return
	}
	var users []*user
	if err := json.Unmarshal(b, &users); err != nil {
		r.skip(skipBadJSON)
		return
	}
	for _, u := range users {
		if u != nil && u.ID != "" {
			r.users[u.ID] = u
		}
	}
}

// loadChannels reads channels.json, and groups.json when private
// channels are wanted, and returns the channels to read by name. An
// unreadable channels.json is an error: it is what makes a directory an
// export.
func (r *run) loadChannels(e *export) ([]channel, error) {
	b, err := e.read("channels.json")
	if err != nil {
		return nil, fmt.Errorf("%s: channels.json: %v", r.s.path, err)
	}
	var chans []channel
	if err := json.Unmarshal(b, &chans); err != nil {
		return nil, fmt.Errorf("%s: channels.json is not a list of channels: %v", r.s.path, err)
	}
	if r.s.priv {
		b, err := e.read("groups.json")
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			r.skip(skipUnreadable)
		default:
			var groups []channel
			if err := json.Unmarshal(b, &groups); err != nil {
				r.skip(skipBadJSON)
			} else {
				chans = append(chans, groups...)
			}
		}
	}
	var out []channel
	for _, c := range chans {
		// The name is the channel's directory: it must stay inside the export.
		if c.ID == "" || c.Name == "" || !fs.ValidPath(c.Name) || strings.ContainsAny(c.Name, `/\`) {
			r.skip(skipBadChannel)
			continue
		}
		if _, dup := r.channels[c.ID]; dup {
			continue
		}
		r.channels[c.ID] = c.Name
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b channel) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// channel reads one channel's day files from where the cursor left it.
func (r *run) channel(e *export, ch channel) error {
	st := r.cur.Channels[ch.ID]
	help := r.s.helpChannel(ch.Name)
	for _, d := range e.dayFiles(ch.Name) {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if d.day == "" {
			if strings.HasSuffix(d.name, ".json") {
				r.skip(skipNotDay) // canvases and other files that hold no messages
			}
			continue
		}
		var after ts
		if st != nil {
			if d.name < st.Day || d.name == st.Day && d.sig == st.Sig {
				continue // read by an earlier run
			}
			if d.name == st.Day {
				after, _ = parseTS(st.TS)
			}
		}
		next, err := r.day(e, ch, d, after, help)
		if err != nil {
			return err
		}
		st = next
	}
	return nil
}

// day reads one day file past after and returns the channel's new state.
func (r *run) day(e *export, ch channel, d dayFile, after ts, help bool) (*channelState, error) {
	st := &channelState{Day: d.name}
	if after != 0 {
		st.TS = after.String()
	}
	done := func() (*channelState, error) {
		st.Sig = d.sig
		r.cur.Channels[ch.ID] = st
		r.b.changed = true
		return st, nil
	}
	raw, err := e.readDay(ch.Name, d)
	if err != nil {
		r.skip(skipUnreadable)
		return done()
	}
	msgs := r.decode(raw)
	if len(msgs) == 0 {
		return done()
	}
	slices.SortStableFunc(msgs, func(a, b *message) int { return int(min(max(a.at-b.at, -1), 1)) })
	for _, m := range msgs {
		if m.at <= after {
			continue
		}
		r.message(ch, m, help)
		st.TS = m.at.String()
		r.b.changed = true
		if len(r.b.Activities) >= r.s.batch {
			cp := *st
			r.cur.Channels[ch.ID] = &cp
			if err := r.flush(); err != nil {
				return nil, err
			}
			r.progress(ch)
		}
	}
	return done()
}

// decode reads a day file's array of messages, skipping (and counting)
// messages that do not decode or have no readable ts. A file that is not
// a JSON array, or breaks off, keeps the messages before the break.
func (r *run) decode(raw []byte) []*message {
	// The common case, a well-formed file, in one pass (a Decoder scans
	// every value twice: 1M messages parse in about half the time).
	var all []message
	if err := json.Unmarshal(raw, &all); err == nil {
		if len(all) == 0 {
			r.skip(skipEmptyDay)
			return nil
		}
		out := make([]*message, 0, len(all))
		for i := range all {
			m := &all[i]
			var err error
			if m.at, err = parseTS(m.TS); err != nil || m.at == 0 {
				r.skip(skipBadTS)
				continue
			}
			out = append(out, m)
		}
		return out
	}
	// Something is wrong: read message by message, to keep what can be
	// kept and count what cannot.
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		r.skip(skipBadJSON)
		return nil
	}
	var out []*message
	n := 0
	for dec.More() {
		m := &message{}
		err := dec.Decode(m)
		n++
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			r.skip(skipBadMessage)
			continue
		case err != nil:
			r.skip(skipBadJSON)
			return out
		}
		if m.at, err = parseTS(m.TS); err != nil || m.at == 0 {
			r.skip(skipBadTS)
			continue
		}
		out = append(out, m)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		r.skip(skipBadJSON)
	} else if n == 0 {
		r.skip(skipEmptyDay)
	}
	return out
}

// message turns one message into rows of the batch.
func (r *run) message(ch channel, m *message, help bool) {
	switch {
	case m.Type != "" && m.Type != "message":
		r.skip(skipNotMessage)
		return
	case eventSubtypes[m.Subtype]:
		r.stats.Events++
		return
	}
	var thread ts
	if m.ThreadTS != "" {
		var err error
		if thread, err = parseTS(m.ThreadTS); err != nil {
			r.skip(skipBadTS)
			return
		}
	}
	text := r.names.render(m.Text)
	title := titleOf(text)
	if title == "" {
		for _, f := range m.Files {
			if title = cut(firstOf(f.Title, f.Name), 120); title != "" {
				break
			}
		}
	}
	if title == "" {
		r.skip(skipEmptyMessage)
		return
	}
	actor, name, bot := r.author(m)
	if actor == "" {
		r.skip(skipNoAuthor)
		return
	}
	for _, re := range m.Reactions {
		r.stats.Reactions += max(re.Count, len(re.Users))
	}
	id := ch.ID + "/" + m.at.String()
	url := link(r.s.url, ch.ID, m.at, thread)
	kind := model.KindMessage
	if reply := thread != 0 && thread != m.at; !reply {
		if help && !bot && (thread == m.at || m.ReplyCount > 0 || asks(text)) {
			kind = model.KindQuestion
			q := &openQuestion{Channel: ch.Name, Author: actor, Name: name, At: m.at.Time(),
				Title: title, Body: cut(strings.TrimSpace(text), 2000), URL: url}
			r.cur.Open[id] = q
			r.question(id, q, "", "", m)
		}
	} else {
		kind = model.KindComment
		qid := ch.ID + "/" + thread.String()
		if q := r.cur.Open[qid]; q != nil && actor != q.Author && !bot {
			kind = model.KindAnswer
			delete(r.cur.Open, qid)
			r.question(qid, q, actor, name, m)
		}
	}
	r.b.Activities = append(r.b.Activities, model.Activity{
		Source: SourceName, ExternalID: id, Actor: actor, Kind: kind, At: m.at.Time(),
		Channel: "#" + ch.Name, URL: url, Title: title,
	})
	r.b.Items++
	r.stats.Messages++
}

// author puts the message's author in the batch and returns their
// identity's external id, name and whether it is a bot. A bot or app
// message is the bot's, keyed by its bot id.
func (r *run) author(m *message) (id, name string, bot bool) {
	if m.BotID != "" || m.Subtype == "bot_message" {
		id = m.BotID
		if m.BotProfile != nil {
			name = m.BotProfile.Name
		}
		name = firstOf(name, m.Username)
		if u := r.users[m.User]; u != nil && name == "" {
			name = firstOf(u.RealName, u.Profile.RealName, u.Name)
		}
		if id == "" {
			if name == "" {
				return "", "", false
			}
			id = "bot:" + name
		}
		r.identity(model.Identity{Source: SourceName, ExternalID: id, Username: name, Name: name, Bot: true}, true)
		return id, name, true
	}
	if m.User == "" {
		return "", "", false
	}
	ident := model.Identity{Source: SourceName, ExternalID: m.User}
	u := r.users[m.User]
	if u == nil {
		// A user of another workspace (a shared channel), or an export
		// without users.json: the message says who wrote it.
		r.stats.Unknown++
		if p := m.UserProfile; p != nil {
			ident.Username = firstOf(p.DisplayName, p.Name)
			ident.Name = firstOf(p.RealName, p.DisplayName, p.Name)
		}
		ident.Bot = r.s.bots.IsBot(ident.Username, ident.Name, "")
	} else {
		// A deactivated user (deleted) keeps the names and title of their
		// last profile, and every message they wrote.
		ident.Username = firstOf(u.Profile.DisplayName, u.Name)
		ident.Name = firstOf(u.RealName, u.Profile.RealName, u.Profile.DisplayName, u.Name)
		ident.Email = u.Profile.Email
		ident.Bio = u.Profile.Title
		kind := ""
		if u.IsBot || u.ID == "USLACKBOT" {
			kind = "bot"
		}
		ident.Bot = r.s.bots.IsBotAccount(kind, firstOf(u.Name, ident.Username), ident.Name, ident.Email)
		if r.s.url != "" {
			ident.URL = r.s.url + "/team/" + u.ID
		}
	}
	r.identity(ident, u == nil)
	return ident.ExternalID, firstOf(ident.Name, ident.Username, ident.ExternalID), ident.Bot
}

// identity puts an identity in the batch once; when newest is set, a
// later message's names replace earlier ones (names taken from the
// messages themselves, which may change over time).
func (r *run) identity(ident model.Identity, newest bool) {
	if i, ok := r.b.people[ident.ExternalID]; ok {
		if newest && ident.Name != "" {
			r.b.Identities[i] = ident
		}
		return
	}
	r.b.people[ident.ExternalID] = len(r.b.Identities)
	r.b.Identities = append(r.b.Identities, ident)
}

// question writes q's record into the batch, answered by m when
// responder is set.
func (r *run) question(id string, q *openQuestion, responder, name string, m *message) {
	rec := connector.QuestionRecord{
		Question: model.Question{
			Source: SourceName, ExternalID: id, Channel: "#" + q.Channel, URL: q.URL,
			Title: q.Title, Body: q.Body, Author: firstOf(q.Name, q.Author), Created: q.At,
		},
		AuthorID: q.Author,
	}
	if responder != "" {
		rec.ResponderID = responder
		rec.Responder = firstOf(name, responder)
		rec.FirstResponse = m.at.Time()
		if rec.FirstResponse.Before(q.At) {
			rec.FirstResponse = q.At
		}
	}
	if i, ok := r.b.questions[id]; ok {
		r.b.Questions[i] = rec
		return
	}
	r.b.questions[id] = len(r.b.Questions)
	r.b.Questions = append(r.b.Questions, rec)
}

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

func (r *run) progress(ch channel) {
	if r.state.Progress != nil {
		r.state.Progress(r.stats.Messages, 0, fmt.Sprintf("#%s, %d skipped", ch.Name, r.stats.Skipped.Total()))
	}
}

// summary is the run's last progress line: what was stored and what was
// skipped, by reason.
func (r *run) summary() string {
	return fmt.Sprintf("messages (%d reactions not stored, %d channel events), %s",
		r.stats.Reactions, r.stats.Events, r.stats.Skipped)
}

// firstOf is the first of its arguments that is not blank.
func firstOf(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
