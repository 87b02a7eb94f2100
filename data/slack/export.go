package slack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// export reads the files of an export, zipped or not. Names are slash
// paths relative to the export's root (the directory holding
// channels.json).
type export struct {
	dir string // the directory of an unzipped export; "" for a zip
	zr  *zip.ReadCloser
	// files of a zip by name; days of a zip by channel directory.
	files map[string]*zip.File
	days  map[string][]dayFile
	// unsafe counts zip entries whose names leave the export (../x, /x).
	unsafe int
}

// dayFile is one day of a channel: "2024-03-05.json".
type dayFile struct {
	name string // base name
	day  string // "2024-03-05"
	// sig changes when the file does: size and CRC-32 in a zip, size and
	// modification time in a directory.
	sig string
	zf  *zip.File
}

var dayName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.json$`)

// openExport opens the export at p: a directory, or a zip file. The error
// is one line naming the file.
func openExport(p string) (*export, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, unwrapPath(err))
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(p, "channels.json")); err != nil {
			return nil, fmt.Errorf("%s: not a Slack export: no channels.json", p)
		}
		return &export{dir: p}, nil
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		why := "not a zip file"
		if errors.Is(err, zip.ErrFormat) {
			why = "not a zip file, or a cut one"
		}
		return nil, fmt.Errorf("%s: %s: %v", p, why, err)
	}
	e := &export{zr: zr, files: map[string]*zip.File{}, days: map[string][]dayFile{}}
	// The root is the shallowest directory holding channels.json: exports
	// are zipped at their root, but an unzipped one zipped again is not.
	best := ""
	for _, f := range zr.File {
		if path.Base(f.Name) == "channels.json" && fs.ValidPath(f.Name) &&
			(best == "" || strings.Count(f.Name, "/") < strings.Count(best, "/")) {
			best = f.Name
		}
	}
	if best == "" {
		zr.Close()
		return nil, fmt.Errorf("%s: not a Slack export: no channels.json", p)
	}
	prefix := ""
	if root := path.Dir(best); root != "." {
		prefix = root + "/"
	}
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if !fs.ValidPath(name) || strings.Contains(name, `\`) {
			e.unsafe++ // never opened: a name that climbs out of the export
			continue
		}
		if f.FileInfo().IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		name = name[len(prefix):]
		e.files[name] = f
		if dir, base, ok := strings.Cut(name, "/"); ok && !strings.Contains(base, "/") {
			d := dayFile{name: base, sig: fmt.Sprintf("%d:%08x", f.UncompressedSize64, f.CRC32), zf: f}
			if m := dayName.FindStringSubmatch(base); m != nil {
				d.day = m[1]
			}
			e.days[dir] = append(e.days[dir], d)
		}
	}
	return e, nil
}

func (e *export) close() {
	if e.zr != nil {
		e.zr.Close()
	}
}

// read returns the file called name; fs.ErrNotExist when there is none.
func (e *export) read(name string) ([]byte, error) {
	if e.zr == nil {
		b, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, unwrapPath(err)
		}
		return b, nil
	}
	f := e.files[name]
	if f == nil {
		return nil, fs.ErrNotExist
	}
	return readZip(f)
}

func readZip(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b := make([]byte, 0, min(f.UncompressedSize64, 1<<30)+1)
	for {
		n, err := rc.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, len(b))
		}
	}
}

// dayFiles lists a channel directory's files, day files first in
// calendar order, then the others (day "").
func (e *export) dayFiles(dir string) []dayFile {
	var out []dayFile
	if e.zr != nil {
		out = slices.Clone(e.days[dir])
	} else {
		entries, err := os.ReadDir(filepath.Join(e.dir, dir))
		if err != nil {
			return nil
		}
		for _, de := range entries {
			if de.IsDir() || strings.HasPrefix(de.Name(), ".") {
				continue
			}
			fi, err := de.Info()
			if err != nil {
				continue
			}
			d := dayFile{name: de.Name(), sig: fmt.Sprintf("%d:%d", fi.Size(), fi.ModTime().UnixNano())}
			if m := dayName.FindStringSubmatch(d.name); m != nil {
				d.day = m[1]
			}
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b dayFile) int {
		if (a.day == "") != (b.day == "") {
			if a.day == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}

// readDay returns a day file's bytes.
func (e *export) readDay(dir string, d dayFile) ([]byte, error) {
	if d.zf != nil {
		return readZip(d.zf)
	}
	return e.read(dir + "/" + d.name)
}

// user is an entry of users.json.
type user struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	RealName  string  `json:"real_name"`
	Deleted   bool    `json:"deleted"`
	IsBot     bool    `json:"is_bot"`
	IsAppUser bool    `json:"is_app_user"`
	Profile   profile `json:"profile"`
}

type profile struct {
	Title       string `json:"title"`
	RealName    string `json:"real_name"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email"`
	Name        string `json:"name"` // in a message's user_profile
}

// channel is an entry of channels.json (or groups.json).
type channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// message is one element of a day file. Fields hearth does not use
// (blocks, attachments, edited, ...) are not decoded.
type message struct {
	Type       string    `json:"type"`
	Subtype    string    `json:"subtype"`
	User       string    `json:"user"`
	Text       string    `json:"text"`
	TS         string    `json:"ts"`
	ThreadTS   string    `json:"thread_ts"`
	ReplyCount int       `json:"reply_count"`
	BotID      string    `json:"bot_id"`
	Username   string    `json:"username"` // a bot_message's name
	BotProfile *struct { //
		Name string `json:"name"`
	} `json:"bot_profile"`
	UserProfile *profile   `json:"user_profile"`
	Reactions   []reaction `json:"reactions"`
	Files       []struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	} `json:"files"`

	at ts // parsed TS
}

type reaction struct {
	Name  string   `json:"name"`
	Users []string `json:"users"`
	Count int      `json:"count"`
}

// eventSubtypes are the channel events Slack writes as messages: nobody
// said anything.
var eventSubtypes = map[string]bool{
	"channel_join": true, "channel_leave": true, "channel_topic": true, "channel_purpose": true,
	"channel_name": true, "channel_archive": true, "channel_unarchive": true, "group_join": true,
	"group_leave": true, "group_topic": true, "group_purpose": true, "group_name": true,
	"group_archive": true, "group_unarchive": true, "pinned_item": true, "unpinned_item": true,
	"tombstone": true, "reminder_add": true, "bot_add": true, "bot_remove": true,
	"channel_convert_to_private": true, "channel_convert_to_public": true, "huddle_thread": true,
	"sh_room_created": true, "channel_canvas_updated": true,
}
