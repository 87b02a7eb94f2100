// Package mbox syncs mailing-list archives into hearth: mbox files,
// directories of them, and the gzip-compressed monthly archives that
// Mailman's pipermail publishes (2024-March.txt.gz). Every message becomes an
// activity of its sender, every sender address an identity, and every thread
// starter that asks something a question, answered by the first reply from
// someone else.
//
// Activity kinds: a message that starts a thread is a post (model.KindPost),
// or a question (model.KindQuestion) when it asks something; the first reply
// to a question by someone other than the asker (bots excluded) is an answer
// (model.KindAnswer); every other reply is a comment (model.KindComment), as
// on an issue tracker. The activity's title is the subject without its
// "Re:" and "Fwd:" prefixes; its channel is the list's name.
//
// A sync is incremental: the cursor keeps, per file, its size and
// modification time, how far it was read and the Message-ID of the last
// message read there. An unchanged file is not opened; a file that grew is
// read from its last message on, after checking that message is still the
// one recorded (else the file was rewritten and is read again from the
// start); a gzip file that changed is decompressed again and read past the
// recorded message the same way. Malformed messages and files are skipped
// and counted, never a reason to stop.
package mbox

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"hearth/data/connector"
	"hearth/model"
)

// SourceName is the Source of the identities, activities and questions
// this connector produces.
const SourceName = "mail"

// Options tune a Source. The zero value names the list after the path and
// applies the built-in bot conventions.
type Options struct {
	// ListName is the list's name, the activities' channel; empty means the
	// directory's name, or the file's without .txt, .mbox and .gz.
	ListName string
	// Bots are extra patterns marking automated senders, in the syntax of
	// model.NewBotMatcher (the config file's bots).
	Bots []string
	// BatchSize is how many messages go in one batch; 0 means
	// DefaultBatchSize.
	BatchSize int
}

// DefaultBatchSize is the number of messages per batch.
const DefaultBatchSize = 2000

// Source is a mailing-list archive: one mbox file or a directory of them.
// Sync it from one goroutine at a time.
type Source struct {
	path    string // absolute
	dir     bool
	channel string
	bots    *model.BotMatcher
	batch   int
	stats   Stats
}

var _ connector.Source = (*Source)(nil)

// Stats is what the last Sync read.
type Stats struct {
	Messages int             // messages stored
	Skipped  connector.Skips // malformed messages and files, by reason
}

// New opens the archive at path: a file or a directory of files. It fails
// with one line when the path does not exist or a bot pattern is invalid.
func New(path string, opts Options) (*Source, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s: no such file or directory", abs)
		}
		return nil, fmt.Errorf("%s: %w", abs, unwrapPath(err))
	}
	s := &Source{path: abs, dir: fi.IsDir(), channel: opts.ListName, batch: opts.BatchSize}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.bots, err = model.NewBotMatcher(opts.Bots); err != nil {
		return nil, err
	}
	if s.channel == "" {
		s.channel = ListName(abs)
	}
	return s, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ListName is the list name hearth gives an archive path when the config
// names none: a directory's base name, or a file's without .gz, .txt and
// .mbox.
func ListName(path string) string {
	base := filepath.Base(filepath.Clean(path))
	for _, ext := range []string{".gz", ".txt", ".mbox"} {
		if b := strings.TrimSuffix(base, ext); b != "" {
			base = b
		}
	}
	return base
}

// Name is "mbox:" and the absolute path of the archive.
func (s *Source) Name() string { return "mbox:" + s.path }

// Channel is the list name the activities carry.
func (s *Source) Channel() string { return s.channel }

// Stats reports what the last Sync read; call it after Sync returns.
func (s *Source) Stats() Stats { return s.stats }

// archiveFile is one file of the archive.
type archiveFile struct {
	path string // absolute
	key  string // its name in the cursor: relative to a directory source
	// alias is the cursor name of the same content uncompressed (the
	// "X.txt" of "X.txt.gz"), whose state serves when the file has none.
	alias string
}

// files lists the archive in the order its messages were written:
// pipermail's month, quarter and week files chronologically, others by
// name. Hidden files and web pages are not archives. When a directory
// holds both X and X.gz (pipermail keeps the current month both ways),
// only X is read: it is the same messages, readable from where it stopped.
func (s *Source) files() ([]archiveFile, error) {
	if !s.dir {
		return []archiveFile{{path: s.path, key: filepath.Base(s.path)}}, nil
	}
	entries, err := os.ReadDir(s.path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.path, unwrapPath(err))
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	var out []archiveFile
	for _, e := range entries {
		n := e.Name()
		lower := strings.ToLower(n)
		if strings.HasPrefix(n, ".") || strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm") {
			continue
		}
		if strings.HasSuffix(n, ".gz") && names[strings.TrimSuffix(n, ".gz")] {
			continue
		}
		p := filepath.Join(s.path, n)
		fi, err := os.Stat(p) // follows symbolic links
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		f := archiveFile{path: p, key: n}
		if strings.HasSuffix(n, ".gz") {
			f.alias = strings.TrimSuffix(n, ".gz")
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b archiveFile) int {
		if c := strings.Compare(archiveOrder(a.key), archiveOrder(b.key)); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return out, nil
}

var (
	monthFile   = regexp.MustCompile(`^(\d{4})-(January|February|March|April|May|June|July|August|September|October|November|December)\b`)
	quarterFile = regexp.MustCompile(`^(\d{4})q([1-4])\b`)
	months      = map[string]int{"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6,
		"July": 7, "August": 8, "September": 9, "October": 10, "November": 11, "December": 12}
)

// archiveOrder is the sort key of a file name: pipermail's "2024-March"
// and "2024q1" become "2024-03", so that months sort by time, not by name.
func archiveOrder(name string) string {
	if m := monthFile.FindStringSubmatch(name); m != nil {
		return fmt.Sprintf("%s-%02d", m[1], months[m[2]])
	}
	if m := quarterFile.FindStringSubmatch(name); m != nil {
		q, _ := strconv.Atoi(m[2])
		return fmt.Sprintf("%s-%02d", m[1], 3*q-2)
	}
	return name
}
