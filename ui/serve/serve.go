// Package serve puts hearth's interactive view behind SSH: every session
// gets its own Bubble Tea program with the same root model as the local
// TUI (ui.New), sized and coloured for that client's terminal, over one
// store shared by the whole server.
//
// Who may do what is decided here and nowhere else: the users of the
// configuration are managers or viewers, keys in the authorized keys file
// are viewers, and any other key is refused with one line before any
// program starts, or let in as a viewer when the server is open. A
// viewer's program is read-only and shows no private data (ui.Options
// Viewer). Passwords and keyboard-interactive logins are never offered.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"hearth/model"
	"hearth/ui"
)

// Defaults of the limits.
const (
	DefaultAddr         = "127.0.0.1:2222"
	DefaultMaxSessions  = 50
	DefaultIdle         = 30 * time.Minute
	DefaultShutdownWait = 10 * time.Second
	// handshakeTimeout bounds how long a connection may take to log in, so
	// that half-open connections do not pile up.
	handshakeTimeout = 30 * time.Second
)

// Config is everything a server is built from.
type Config struct {
	// Store is shared by every session.
	Store ui.Store
	// ReadOnly says the store cannot be written: every session is then
	// read-only, managers included.
	ReadOnly bool
	// DBName is what the status line shows for the database (a name, not
	// the server's path).
	DBName string
	Demo   bool
	Theme  string
	Zone   *time.Location
	Now    func() time.Time
	// Health and Topics are the configuration's funnel rules and topics,
	// as the local TUI has them (ui.Options).
	Health model.HealthOptions
	Topics model.TopicMap
	// Sync is what a manager's sync key runs; nil when there is nothing
	// to sync. The server runs one sync at a time; every session shows
	// its progress and reloads when it ends.
	Sync ui.SyncFunc
	// SyncEvery runs Sync on a schedule; 0 means only when a manager
	// asks.
	SyncEvery time.Duration

	// HostKey is the server's private host key (see HostKey).
	HostKey gossh.Signer
	// AuthorizedKeys is an OpenSSH authorized_keys file listing viewers'
	// keys; "" means none.
	AuthorizedKeys string
	// Users are the people the server knows, with their roles; a key in
	// both takes its user's name and role.
	Users []User
	// Open lets in keys nobody listed, as viewers; by default they are
	// refused.
	Open bool
	// Writer gives a manager's program the writer it triages and undoes
	// with, recording changes under actor (the manager's name); nil means
	// nobody writes. It must return a nil interface, not a nil pointer,
	// when there is no writer.
	Writer func(actor string) ui.Writer
	// MaxSessions is the most sessions open at once; 0 means
	// DefaultMaxSessions.
	MaxSessions int
	// Idle ends a session after this long without a key; 0 means never.
	Idle time.Duration
	// ShutdownWait bounds how long a shutdown waits for clients to
	// disconnect after their goodbye; 0 means DefaultShutdownWait.
	ShutdownWait time.Duration
	// Log receives one line per connect, disconnect and refusal; nil
	// discards them.
	Log io.Writer
}

// Server is an SSH server of hearth sessions.
type Server struct {
	cfg    Config
	keys   keyring
	ssh    *ssh.Server
	log    *log.Logger
	syncMu sync.Mutex // one sync at a time for the whole server
	// dir is the member directory every session shares.
	dir *ui.Directory
	// writes are the writes in flight, which a shutdown lets finish.
	writes writeGate
	// life ends when Serve returns: the directory's reads and the
	// scheduled syncs stop.
	life    context.Context
	endLife context.CancelFunc
	// warming is the reading of the shared data ahead of the sessions
	// (warm), which a shutdown waits for.
	warming sync.WaitGroup

	mu       sync.Mutex
	closing  bool
	sessions map[*session]struct{}
}

// New checks the configuration and builds the server; it reads the
// authorized keys file once, here.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("serve: no store")
	}
	if cfg.HostKey == nil {
		return nil, errors.New("serve: no host key")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.ShutdownWait <= 0 {
		cfg.ShutdownWait = DefaultShutdownWait
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.SyncEvery < 0 || cfg.SyncEvery > 0 && cfg.Sync == nil {
		return nil, errors.New("serve: a sync schedule needs sources to sync")
	}
	s := &Server{
		cfg:      cfg,
		keys:     keyring{},
		log:      log.New(cfg.Log, "hearth serve: ", log.LstdFlags),
		sessions: map[*session]struct{}{},
	}
	if cfg.AuthorizedKeys != "" {
		if err := s.keys.readAuthorizedKeys(cfg.AuthorizedKeys); err != nil {
			return nil, err
		}
	}
	if err := s.keys.addUsers(cfg.Users); err != nil {
		return nil, err
	}
	s.ssh = &ssh.Server{
		Version: "hearth",
		Handler: s.handler(),
		// Every key passes authentication, so that a key nobody listed
		// can be told why it is refused (see door) instead of a bare
		// "permission denied"; no program starts for it. With only this
		// handler set, password and keyboard-interactive authentication
		// are not offered.
		PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true },
		HandshakeTimeout: handshakeTimeout,
	}
	s.ssh.AddHostKey(cfg.HostKey)
	s.life, s.endLife = context.WithCancel(context.Background())
	s.dir = ui.NewDirectory(s.life, cfg.Store, cfg.Now)
	return s, nil
}

// Managers is how many keys are a manager's.
func (s *Server) Managers() int { return s.keys.managers() }

// Keys is how many keys the server knows.
func (s *Server) Keys() int { return len(s.keys) }

// Serve accepts sessions on ln until ctx ends, then shuts down
// gracefully: no new sessions, every open one gets a one-line goodbye,
// clients get ShutdownWait to disconnect before their connections are
// closed, and writes and a sync in flight finish before Serve returns (so
// the caller may close the store then).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	scheduled := make(chan struct{})
	go func() {
		defer close(scheduled)
		s.schedule(s.life)
	}()
	defer s.stopWork(scheduled)
	s.warm()
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	n := s.sayGoodbye()
	s.log.Printf("shutting down (%d open sessions)", n)
	ln.Close()
	wait, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownWait)
	defer cancel()
	if err := s.ssh.Shutdown(wait); err != nil {
		s.log.Printf("clients still connected after %s: closing them", s.cfg.ShutdownWait)
		s.ssh.Close()
	}
	<-errc
	s.log.Printf("stopped")
	return nil
}

// stopWork ends the server's own work: the schedule and the directory's
// reads stop, then Serve waits for the writes and the sync in flight.
func (s *Server) stopWork(scheduled <-chan struct{}) {
	s.endLife()
	<-scheduled
	if n := s.writes.close(); n > 0 {
		s.log.Printf("waited for %d writes in flight", n)
	}
	s.syncMu.Lock() // a running sync ends with its session's context
	defer s.syncMu.Unlock()
	s.warming.Wait() // after the sync, the only other caller of warm
}

// sayGoodbye refuses new sessions and ends every open one with a goodbye;
// it returns how many were open.
func (s *Server) sayGoodbye() int {
	s.mu.Lock()
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for st := range s.sessions {
		open = append(open, st)
	}
	s.mu.Unlock()
	for _, st := range open {
		st.end("hearth is shutting down. Goodbye!")
	}
	return len(open)
}

// admit registers a session, or says in one line why it cannot be.
func (s *Server) admit(st *session) (refusal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "hearth is shutting down. Please try again later."
	case len(s.sessions) >= s.cfg.MaxSessions:
		return fmt.Sprintf("hearth is full (%d sessions open). Please try again in a few minutes.", len(s.sessions))
	}
	s.sessions[st] = struct{}{}
	return ""
}

func (s *Server) leave(st *session) {
	s.mu.Lock()
	delete(s.sessions, st)
	s.mu.Unlock()
}

// errSyncBusy is the answer to a sync asked for while one runs.
var errSyncBusy = errors.New("another sync is running: try again when it ends")

// sync runs the configured sync unless one is running, for by (a user's
// name, or "schedule"); progress (nil: none) is the starter's own report.
// Every other session hears of its progress and its end; when it ends the
// shared directory is read again, before anyone reloads.
func (s *Server) sync(ctx context.Context, by string, starter *session, progress func(ui.SyncProgress)) error {
	if !s.syncMu.TryLock() {
		return errSyncBusy
	}
	defer s.syncMu.Unlock()
	s.tell(starter, ui.SyncNews{By: by})
	err := s.cfg.Sync(ctx, func(p ui.SyncProgress) {
		if progress != nil {
			progress(p)
		}
		s.tell(starter, ui.SyncNews{By: by, Progress: p})
	})
	s.dir.Refresh()
	s.warm()
	s.tell(starter, ui.SyncNews{By: by, Done: true, Err: err})
	return err
}

// warm reads the directory and computes the Funnel tab's overviews in
// the background, for the views the server's users will ask for, so that
// sessions find them ready: at 100,000 members they take seconds, which a
// hundred sessions switching the Funnel's window at once queued behind.
// Sessions asking meanwhile wait for the same reads (ui.Directory).
func (s *Server) warm() {
	var views []bool // viewer?
	if s.keys.managers() > 0 {
		views = append(views, false)
	}
	if s.cfg.Open || len(s.keys) > s.keys.managers() {
		views = append(views, true)
	}
	s.warming.Go(func() {
		for _, viewer := range views {
			err := s.dir.Warm(s.life, viewer)
			if err == nil {
				err = s.dir.WarmHealth(s.life, viewer, s.cfg.Health)
			}
			if err != nil && s.life.Err() == nil {
				s.log.Printf("reading ahead of the sessions: %v", err)
				return
			}
		}
	})
}

// tell posts news to every session but except.
func (s *Server) tell(except *session, n ui.SyncNews) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for st := range s.sessions {
		if st != except {
			st.news.post(n)
		}
	}
}

// schedule runs the sync every Config.SyncEvery until ctx ends.
func (s *Server) schedule(ctx context.Context) {
	if s.cfg.SyncEvery <= 0 {
		return
	}
	t := time.NewTicker(s.cfg.SyncEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		switch err := s.sync(ctx, "schedule", nil, nil); {
		case errors.Is(err, errSyncBusy):
			s.log.Printf("scheduled sync skipped: a session's sync is running")
		case err != nil:
			s.log.Printf("scheduled sync failed: %v", err)
		default:
			s.log.Printf("scheduled sync finished in %s", time.Since(start).Round(time.Second))
		}
	}
}
