package serve

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	bm "charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"

	"github.com/charmbracelet/x/ansi"

	"hearth/model"
	"hearth/themes"
	"hearth/ui"
)

// session is the server's record of one SSH session.
type session struct {
	who   string // for the logs: key fingerprint, role, user name
	from  string
	role  Role
	name  string // for the status line and as the writer's actor
	known bool   // the key is listed (else a guest of an open server, or refused)
	start time.Time
	// lastKey is when input last arrived, as time since start.
	lastKey atomic.Int64
	// news holds sync news for the program until it takes them.
	news mailbox

	mu      sync.Mutex
	program *tea.Program
	goodbye string // why the server ended the session; "" when it did not
}

type sessionKey struct{}

// stateOf is the record the logging middleware attached to sess.
func stateOf(sess ssh.Session) *session {
	st, _ := sess.Context().Value(sessionKey{}).(*session)
	return st
}

// end quits the session's program (now, or as soon as it starts) and
// keeps the first reason given, for the goodbye line.
func (st *session) end(reason string) {
	st.mu.Lock()
	if st.goodbye == "" {
		st.goodbye = reason
	}
	p := st.program
	st.mu.Unlock()
	if p != nil {
		// Quit waits for the program's event loop; never hold a lock on it.
		go p.Quit()
	}
}

// attach records the session's program; false when the session was ended
// before it had one.
func (st *session) attach(p *tea.Program) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.goodbye != "" {
		return false
	}
	st.program = p
	return true
}

func (st *session) goodbyeLine() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.goodbye
}

// handler is the whole life of a session, outermost first: panics
// recovered, connect and disconnect logged, an unknown key refused (door),
// the session admitted or refused (limits), a terminal required, the
// program run, the goodbye said.
func (s *Server) handler() ssh.Handler {
	h := bm.MiddlewareWithProgramHandler(s.newProgram)(s.farewell)
	h = activeterm.Middleware()(h)
	h = s.limits(h)
	h = s.door(h)
	h = s.logged(h)
	return recover.MiddlewareWithLogger(s.log)(h)
}

// logged attaches the session's record and logs who came, from where,
// and for how long.
func (s *Server) logged(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := &session{start: time.Now(), from: sess.RemoteAddr().String(), news: newMailbox()}
		p, known := s.keys.lookup(sess.PublicKey())
		st.role, st.name, st.known = p.role, p.name, known
		switch {
		case !known:
			st.role, st.name = Viewer, guest
		case st.name == "":
			// A key of the authorized keys file without a comment: the
			// name the client gave.
			st.name = model.CleanLine(sess.User())
		}
		st.who = s.describe(sess, st)
		sess.Context().SetValue(sessionKey{}, st)
		s.log.Printf("connect %s from %s", st.who, st.from)
		defer func() {
			s.log.Printf("disconnect %s from %s after %s", st.who, st.from, time.Since(st.start).Round(time.Second))
		}()
		next(sess)
	}
}

// describe names a session for the logs: its role, the user name the
// client gave (untrusted, so cleaned and quoted), the key's fingerprint
// and whose it is ("unknown key" when nobody listed it).
func (s *Server) describe(sess ssh.Session, st *session) string {
	key := "no key"
	if k := sess.PublicKey(); k != nil {
		key = gossh.FingerprintSHA256(k)
	}
	if st.known {
		key += " " + model.CleanLine(st.name)
	} else {
		key += " unknown key"
	}
	return fmt.Sprintf("%s %q (%s)", st.role, model.CleanLine(sess.User()), key)
}

// door refuses a key nobody listed, in one line and before any program
// starts, unless the server is open.
func (s *Server) door(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess)
		if !st.known && !s.cfg.Open {
			s.log.Printf("refused %s from %s: unknown key", st.who, st.from)
			wish.Println(sess, Refusal)
			_ = sess.Exit(1)
			return
		}
		next(sess)
	}
}

// limits admits the session (or refuses it in one line when the server is
// full or closing) and ends it after Config.Idle without a key.
func (s *Server) limits(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess)
		if msg := s.admit(st); msg != "" {
			s.log.Printf("refused %s from %s: %s", st.who, st.from, msg)
			wish.Println(sess, msg)
			_ = sess.Exit(1)
			return
		}
		defer s.leave(st)
		defer st.forwardNews()()
		if s.cfg.Idle > 0 {
			defer s.watchIdle(st)()
		}
		next(sess)
	}
}

// watchIdle ends st once no key arrived for Config.Idle; the function it
// returns stops the watch.
func (s *Server) watchIdle(st *session) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTimer(s.cfg.Idle)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				last := st.start.Add(time.Duration(st.lastKey.Load()))
				left := s.cfg.Idle - time.Since(last)
				if left <= 0 {
					st.end(fmt.Sprintf("No key pressed for %s: goodbye from hearth.", s.cfg.Idle))
					return
				}
				t.Reset(left)
			}
		}
	}()
	return func() { close(done) }
}

// newProgram builds the session's program: the local TUI's root model with
// this session's role, context, terminal size and colour profile.
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	st := stateOf(sess)
	readOnly := s.cfg.ReadOnly || st.role != Manager
	var syncFn ui.SyncFunc
	if !readOnly && !s.cfg.Demo && s.cfg.Sync != nil {
		syncFn = func(ctx context.Context, progress func(ui.SyncProgress)) error {
			return s.sync(ctx, st.name, st, progress)
		}
	}
	var writer ui.Writer
	if !readOnly && s.cfg.Writer != nil {
		if w := s.cfg.Writer(st.name); w != nil {
			writer = &gatedWriter{w: w, gate: &s.writes, dir: s.dir}
		}
	}
	m := ui.New(ui.Options{
		Store:    s.cfg.Store,
		DBPath:   filepath.Base(s.cfg.DBName),
		Theme:    s.cfg.Theme,
		Now:      s.cfg.Now,
		Context:  sess.Context(),
		Sync:     syncFn,
		Demo:     s.cfg.Demo,
		ReadOnly: readOnly,
		Viewer:   st.role != Manager,
		User:     st.name,
		Writer:   writer,
		Zone:     s.cfg.Zone,
		Health:   s.cfg.Health,
		Topics:   s.cfg.Topics,
		// One copy of the directory for the whole server.
		Directory: s.dir,
	})
	// MakeOptions sizes the program and picks the colour profile from the
	// client's TERM; the server emulates the PTY (it never allocates one).
	// The program reads no input itself: feedInput hands it the session's
	// keys (input.go).
	opts := append(bm.MakeOptions(sess),
		tea.WithInput(nil),
		tea.WithContext(sess.Context()),
		// The server's signals are the server's: on SIGINT or SIGTERM it
		// says goodbye to every session (Serve). A program listening too
		// would quit on its own first, and its session would get no
		// goodbye.
		tea.WithoutSignalHandler(),
	)
	p := tea.NewProgram(m, opts...)
	if !st.attach(p) {
		return nil // ended before it began: farewell says why
	}
	pty, _, _ := sess.Pty()
	if pal, err := themes.Lookup(s.cfg.Theme); err != nil || pal.Auto {
		// The program's own question is not sent without input.
		io.WriteString(sess, ansi.RequestBackgroundColor)
	}
	feedInput(sess.Context(), p, &keyClock{r: sess, st: st}, pty.Term)
	return p
}

// farewell runs when the program has ended: the goodbye, when the server
// ended the session.
func (s *Server) farewell(sess ssh.Session) {
	if msg := stateOf(sess).goodbyeLine(); msg != "" {
		wish.Println(sess, msg)
	}
}

// keyClock is the session's input, noting when a key last arrived.
type keyClock struct {
	r  io.Reader
	st *session
}

func (k *keyClock) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	if n > 0 {
		k.st.lastKey.Store(int64(time.Since(k.st.start)))
	}
	return n, err
}
