// Package serve puts hearth's interactive view behind SSH: every session
// gets its own Bubble Tea program with the same root model as the local
// TUI (ui.New), sized and coloured for that client's terminal, over one
// store shared by the whole server.
//
// Who may do what is decided here and nowhere else: any SSH public key is
// let in, keys listed in the authorized keys file are managers, every other
// key is a viewer whose program is read-only. Passwords and
// keyboard-interactive logins are never offered.
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
	// Sync is what a manager's sync key runs; nil when there is nothing
	// to sync. The server runs one sync at a time.
	Sync ui.SyncFunc

	// HostKey is the server's private host key (see HostKey).
	HostKey gossh.Signer
	// AuthorizedKeys is an OpenSSH authorized_keys file listing the
	// managers' keys; "" means everyone is a viewer.
	AuthorizedKeys string
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
	keys   managerKeys
	ssh    *ssh.Server
	log    *log.Logger
	syncMu sync.Mutex // one sync at a time for the whole server

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
	s := &Server{
		cfg:      cfg,
		keys:     managerKeys{},
		log:      log.New(cfg.Log, "hearth serve: ", log.LstdFlags),
		sessions: map[*session]struct{}{},
	}
	if cfg.AuthorizedKeys != "" {
		keys, err := readAuthorizedKeys(cfg.AuthorizedKeys)
		if err != nil {
			return nil, err
		}
		s.keys = keys
	}
	s.ssh = &ssh.Server{
		Version: "hearth",
		Handler: s.handler(),
		// Every key is let in: the role, not the door, limits what a
		// session can do. With only this handler set, password and
		// keyboard-interactive authentication are not offered.
		PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true },
		HandshakeTimeout: handshakeTimeout,
	}
	s.ssh.AddHostKey(cfg.HostKey)
	return s, nil
}

// Managers is how many manager keys the authorized keys file lists.
func (s *Server) Managers() int { return len(s.keys) }

// Serve accepts sessions on ln until ctx ends, then shuts down
// gracefully: no new sessions, every open one gets a one-line goodbye, and
// clients get ShutdownWait to disconnect before their connections are
// closed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
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

// sync runs the configured sync unless another session's is running.
func (s *Server) sync(ctx context.Context, progress func(ui.SyncProgress)) error {
	if !s.syncMu.TryLock() {
		return errors.New("another session is syncing: try again when it ends")
	}
	defer s.syncMu.Unlock()
	return s.cfg.Sync(ctx, progress)
}
