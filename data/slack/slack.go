// Package slack syncs a Slack workspace export into hearth: the .zip that
// a workspace admin downloads (Settings → Import/Export Data), or the
// directory it unzips to. The export holds users.json, channels.json and,
// per channel, a directory of day files (general/2024-03-05.json), each a
// JSON array of the day's messages.
//
// Every message becomes an activity of its author, every author an
// identity keyed by Slack user id (source "slack"), with the name, display
// name, title and e-mail users.json gives. A message in the channel is a
// message (model.KindMessage); a thread reply is a comment
// (model.KindComment). In a help channel (config help_channels; by default
// channels named like help, support, questions or q-and-a) a message that
// starts a thread or ends with a question mark is a question
// (model.KindQuestion), and the first reply in its thread by someone else,
// bots excluded, its answer (model.KindAnswer) and first response.
//
// Bot and app messages (a bot_id, or subtype bot_message) are credited to
// an identity of the bot itself, keyed by its bot id and always a bot; a
// user users.json calls a bot, Slackbot, and any account the config's bot
// patterns match are bots too. Join, leave, topic and other channel events
// are not activities. Reactions are counted but not stored: the model has
// no kind for them, and a star is a GitHub star.
//
// Only public channels (channels.json) are read, and private ones
// (groups.json) when Options.Private says so; direct messages (dms.json,
// mpims.json) never are.
//
// A sync is incremental: the cursor keeps, per channel, the last day file
// read, the ts of the last message read in it and, once it was read to its
// end, its size and checksum. Earlier day files are not opened; the last
// one is read again only when it changed, and then only past that ts. A
// newer export of the same workspace at the same path therefore adds only
// what is new. Malformed files and messages are skipped and counted; an
// export that cannot be read at all (not a zip, a cut zip, no
// channels.json) is a one-line error naming the file.
package slack

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hearth/data/connector"
	"hearth/model"
)

// SourceName is the Source of the identities, activities and questions
// this connector produces.
const SourceName = "slack"

// Options tune a Source. The zero value reads public channels with the
// default help channels and the built-in bot conventions.
type Options struct {
	// URL is the workspace's address (https://acme.slack.com), for links to
	// messages; empty leaves activities without a URL.
	URL string
	// HelpChannels are the names (or path.Match patterns) of the channels
	// whose messages can be questions; nil means DefaultHelpChannel.
	HelpChannels []string
	// Private also reads the private channels of groups.json.
	Private bool
	// Bots are extra patterns marking automated accounts, in the syntax
	// of model.NewBotMatcher (the config file's bots).
	Bots []string
	// BatchSize is how many messages go in one batch; 0 means
	// DefaultBatchSize.
	BatchSize int
}

// DefaultBatchSize is the number of messages per batch.
const DefaultBatchSize = 5000

// Source is a Slack export: a .zip or its unzipped directory. Sync it from
// one goroutine at a time.
type Source struct {
	path  string // absolute
	url   string
	help  []string
	priv  bool
	bots  *model.BotMatcher
	batch int
	stats Stats
}

var _ connector.Source = (*Source)(nil)

// Stats is what the last Sync read.
type Stats struct {
	Messages  int // activities stored
	Reactions int // reactions seen on the messages stored (not stored)
	Events    int // channel events (joins, topics...) that are not activities
	// Unknown is how many messages came from user ids users.json does not
	// list; they are stored under the id, named from the message's
	// user_profile when it has one.
	Unknown int
	Skipped connector.Skips // malformed files and messages, by reason
}

// New opens the export at path, a .zip file or a directory. It fails with
// one line when the path does not exist, or a bot or help-channel pattern
// is invalid; whether the export is readable is found when it syncs.
func New(path string, opts Options) (*Source, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s: no such file or directory", abs)
		}
		return nil, fmt.Errorf("%s: %w", abs, unwrapPath(err))
	}
	s := &Source{path: abs, url: strings.TrimRight(opts.URL, "/"), priv: opts.Private, batch: opts.BatchSize}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.bots, err = model.NewBotMatcher(opts.Bots); err != nil {
		return nil, err
	}
	s.help = opts.HelpChannels
	for _, p := range s.help {
		if _, err := matchChannel(p, ""); err != nil {
			return nil, fmt.Errorf("help channel %q: %w", p, err)
		}
	}
	return s, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Name is "slack:" and the absolute path of the export.
func (s *Source) Name() string { return "slack:" + s.path }

// Stats reports what the last Sync read; call it after Sync returns.
func (s *Source) Stats() Stats { return s.stats }

// WorkspaceName is the name hearth gives an export path when the config
// names none: the file's name without .zip.
func WorkspaceName(path string) string {
	base := filepath.Base(filepath.Clean(path))
	if b := strings.TrimSuffix(base, ".zip"); b != "" {
		return b
	}
	return base
}

// helpChannel reports whether messages of the channel called name can be
// questions.
func (s *Source) helpChannel(name string) bool {
	if s.help == nil {
		return DefaultHelpChannel(name)
	}
	return slices.ContainsFunc(s.help, func(p string) bool {
		ok, _ := matchChannel(p, name)
		return ok
	})
}
