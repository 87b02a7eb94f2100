package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"

	"hearth/config"
	"hearth/data/store"
	"hearth/ui"
	"hearth/ui/serve"
)

const serveUsage = `Usage: hearth serve [flags]

Serves the interactive view over SSH: every client gets its own session on
the same database, sized and coloured for its terminal.

  hearth serve --demo --authorized-keys ~/.ssh/id_ed25519.pub
  ssh -p 2222 localhost

Who may come in: the [[serve.users]] of the config file, each a manager or
a viewer, and the keys in --authorized-keys (OpenSSH format), which are
viewers. A manager has everything the local view has; a viewer browses
without e-mail addresses, notes, tags, flags other than speaker and mentor,
triage notes or assignees, and writes nothing. Any other key is refused
with one line, unless --open (or open = true in [serve]) lets it in as a
viewer. There are no passwords. The host key is made on the first start
and kept, so clients see the same key every time.

One sync runs at a time, started by a manager (r) or by --sync-every;
every session shows its progress and reloads when it ends. Ctrl-C or
SIGTERM says goodbye to every session, lets writes in flight finish, and
stops.
`

func runServe(ctx context.Context, app *App, args []string) error {
	fs := newFlags("serve")
	listen := fs.String("listen", serve.DefaultAddr, "listen on `address` host:port")
	hostKey := fs.String("host-key", "", "host key `file`, made when missing (default $XDG_DATA_HOME/hearth/ssh_host_ed25519)")
	authKeys := fs.String("authorized-keys", "", "`file` of viewers' keys, OpenSSH authorized_keys format")
	open := fs.Bool("open", false, "let in keys nobody listed, as viewers (default: refuse them)")
	maxSessions := fs.Int("max-sessions", serve.DefaultMaxSessions, "the most sessions open at once `n`")
	idle := fs.Duration("idle", serve.DefaultIdle, "end a session after this `duration` without a key (0: never)")
	syncEvery := fs.Duration("sync-every", 0, "sync the configured sources every `duration`, e.g. 1h (0: only when a manager presses r)")
	cfgPath := fs.String("config", "", "configuration `file` whose [serve] section gives the defaults (default $XDG_CONFIG_HOME/hearth/config.toml)")
	var g globalFlags
	g.register(fs, "db", "demo", "theme")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			app.printf(app.Stdout, "%s\nFlags:\n%s", serveUsage, flagUsages(fs))
			return nil
		}
		return usageErrorf("serve: %v (see hearth serve --help)", err)
	}
	if err := app.applyGlobals(fs, &g); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("serve: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := app.env().LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	// The [serve] section fills in what the command line did not say.
	fromFile := func(flag string, dst *string, v string) {
		if !fs.Changed(flag) && v != "" {
			*dst = v
		}
	}
	fromFile("listen", listen, cfg.Serve.Listen)
	fromFile("host-key", hostKey, cfg.Serve.HostKey)
	fromFile("authorized-keys", authKeys, cfg.Serve.AuthorizedKeys)
	if !fs.Changed("max-sessions") && cfg.Serve.MaxSessions > 0 {
		*maxSessions = cfg.Serve.MaxSessions
	}
	if !fs.Changed("open") && cfg.Serve.Open {
		*open = true
	}
	if !fs.Changed("idle") && cfg.Serve.IdleSet {
		*idle = cfg.Serve.IdleTimeout()
	}
	if !fs.Changed("sync-every") && cfg.Serve.SyncInterval() > 0 {
		*syncEvery = cfg.Serve.SyncInterval()
	}
	if *maxSessions < 1 {
		return usageErrorf("serve: --max-sessions must be at least 1")
	}
	if *idle < 0 {
		return usageErrorf("serve: --idle cannot be negative")
	}
	if *syncEvery < 0 {
		return usageErrorf("serve: --sync-every cannot be negative")
	}
	if *syncEvery > 0 && app.Demo {
		return usageErrorf("serve: --sync-every: the demo community cannot be synced")
	}

	keyPath := *hostKey
	if keyPath == "" {
		p, err := app.env().HostKeyPath()
		if err != nil {
			return err
		}
		keyPath = p
	}
	signer, created, err := serve.HostKey(keyPath)
	if err != nil {
		return err
	}

	st, path, err := app.openServed(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var syncFn ui.SyncFunc
	if !app.Demo && !st.ReadOnly() {
		syncFn = app.syncOf(st, *cfgPath) // the sources of the config the server read
	}
	if *syncEvery > 0 && syncFn == nil {
		if st.ReadOnly() {
			return fmt.Errorf("serve: --sync-every: %s is read-only", path)
		}
		return fmt.Errorf("serve: --sync-every: no sources configured: run hearth config init, then edit the file")
	}
	// A read-only store has no writer; give no interface at all then,
	// not one holding a nil pointer.
	writer := func(actor string) ui.Writer {
		if w := st.Writer(actor); w != nil {
			return app.regrouping(ctx, st, w)
		}
		return nil
	}
	srv, err := serve.New(serve.Config{
		Store:          st,
		ReadOnly:       st.ReadOnly(),
		DBName:         path,
		Demo:           app.Demo,
		Theme:          app.Theme,
		Zone:           app.zone(),
		Now:            app.Now,
		Health:         healthOptionsOf(cfg, app.Now()),
		Topics:         cfg.TopicMap(),
		Sync:           syncFn,
		SyncEvery:      *syncEvery,
		HostKey:        signer,
		AuthorizedKeys: *authKeys,
		Users:          serveUsers(cfg.Serve.Users),
		Open:           *open,
		Writer:         writer,
		MaxSessions:    *maxSessions,
		Idle:           *idle,
		Log:            app.Stderr,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Said once everything is ready, so that a failure stays one line.
	if created {
		fmt.Fprintf(app.Stderr, "hearth serve: new host key in %s\n", keyPath)
	}
	door := "unknown keys refused"
	if *open {
		door = "unknown keys let in as viewers"
	}
	fmt.Fprintf(app.Stderr, "hearth serve: listening on %s, host key %s, %d keys (%d managers'), %s, database %s\n",
		ln.Addr(), gossh.FingerprintSHA256(signer.PublicKey()), srv.Keys(), srv.Managers(), door, path)
	if *syncEvery > 0 {
		fmt.Fprintf(app.Stderr, "hearth serve: syncing the configured sources every %s\n", *syncEvery)
	}
	if srv.Keys() == 0 && !*open {
		fmt.Fprintf(app.Stderr, "hearth serve: no key may come in: add [[serve.users]] to the config, or use --authorized-keys or --open\n")
	}
	start := time.Now()
	err = srv.Serve(ctx, ln)
	fmt.Fprintf(app.Stderr, "hearth serve: served for %s\n", time.Since(start).Round(time.Second))
	return err
}

// serveUsers are the config file's users as the server takes them (the
// config has checked their roles and keys).
func serveUsers(us []config.ServeUser) []serve.User {
	out := make([]serve.User, len(us))
	for i, u := range us {
		role := serve.Viewer
		if u.Role == config.RoleManager {
			role = serve.Manager
		}
		out[i] = serve.User{Name: u.Name, Role: role, Keys: u.AllKeys()}
	}
	return out
}

// openServed opens the database the server shows: the demo with --demo,
// else the user's database (created empty when missing, like the local
// view).
func (a *App) openServed(ctx context.Context) (*store.Store, string, error) {
	if a.Demo {
		return a.openDemo(ctx)
	}
	path, err := a.DBPath()
	if err != nil {
		return nil, "", err
	}
	st, err := a.env().OpenView(ctx, path)
	return st, path, err
}
