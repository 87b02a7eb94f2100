package slack

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/data/connector"
	"hearth/data/engine/enginetest"
)

// goodDay is a day file every malformed case sits next to: its message
// must be stored whatever its neighbours do.
const goodDay = `[{"type":"message","text":"hello","user":"U01ANN","ts":"1709542800.000100"}]`

const goodUsers = `[{"id":"U01ANN","name":"ann","real_name":"Ann Lee","deleted":false,"is_bot":false,"profile":{"real_name":"Ann Lee","display_name":"ann"}}]`

const goodChannels = `[{"id":"C01","name":"general"}]`

// base is a minimal export with one good message, to which each case
// adds or replaces files.
func base() map[string]string {
	return map[string]string{
		"users.json":              goodUsers,
		"channels.json":           goodChannels,
		"general/2024-03-04.json": goodDay,
	}
}

func TestMalformedIsSkippedAndCounted(t *testing.T) {
	msg := func(fields string) string {
		return `[{"type":"message","ts":"1709542900.000200",` + fields + `}]`
	}
	for _, c := range []struct {
		name  string
		files map[string]string // added to base(); "" removes the file
		why   string
		n     int // messages stored, 1 (the good one) unless set
		count int // how many skipped, 1 unless set
	}{
		{name: "bad JSON in a day file", files: map[string]string{"general/2024-03-05.json": `[{"type":"message",`}, why: skipBadJSON},
		{name: "a day file that is not an array", files: map[string]string{"general/2024-03-05.json": `{"ok":true}`}, why: skipBadJSON},
		{name: "a day file cut after a message", files: map[string]string{"general/2024-03-05.json": msg(`"user":"U01ANN","text":"kept"`)[:len(msg(`"user":"U01ANN","text":"kept"`))-1] + `,{"ty`}, why: skipBadJSON, n: 2},
		{name: "a day file cut after its bracket", files: map[string]string{"general/2024-03-05.json": "["}, why: skipBadJSON},
		{name: "an empty day file", files: map[string]string{"general/2024-03-05.json": " "}, why: skipBadJSON},
		{name: "empty array", files: map[string]string{"general/2024-03-05.json": `[]`}, why: skipEmptyDay},
		{name: "missing users.json", files: map[string]string{"users.json": ""}, why: skipNoUsers},
		{name: "bad users.json", files: map[string]string{"users.json": `[{"id":`}, why: skipBadJSON},
		{name: "bad ts", files: map[string]string{"general/2024-03-05.json": msg(`"user":"U01ANN","text":"x","ts":"yesterday"`)}, why: skipBadTS},
		{name: "ts as a number", files: map[string]string{"general/2024-03-05.json": `[{"type":"message","user":"U01ANN","text":"x","ts":1709542900.0002}]`}, why: skipBadMessage},
		{name: "no ts", files: map[string]string{"general/2024-03-05.json": `[{"type":"message","user":"U01ANN","text":"x"}]`}, why: skipBadTS},
		{name: "bad thread_ts", files: map[string]string{"general/2024-03-05.json": msg(`"user":"U01ANN","text":"x","thread_ts":"soon"`)}, why: skipBadTS},
		{name: "a message without text", files: map[string]string{"general/2024-03-05.json": msg(`"user":"U01ANN"`)}, why: skipEmptyMessage},
		{name: "a message of blank text", files: map[string]string{"general/2024-03-05.json": msg(`"user":"U01ANN","text":"  \n "`)}, why: skipEmptyMessage},
		{name: "a message without author", files: map[string]string{"general/2024-03-05.json": msg(`"text":"who?"`)}, why: skipNoAuthor},
		{name: "not a message", files: map[string]string{"general/2024-03-05.json": `[{"type":"reaction_added","ts":"1709542900.000200","user":"U01ANN","text":"x"}]`}, why: skipNotMessage},
		{name: "an element that is not an object", files: map[string]string{"general/2024-03-05.json": `["hello", 3]`}, why: skipBadMessage, count: 2},
		{name: "a file in a channel directory that is not a day", files: map[string]string{"general/canvas.json": `{}`}, why: skipNotDay},
		{name: "a channel named to climb out of the export", files: map[string]string{"channels.json": `[{"id":"C01","name":"general"},{"id":"C02","name":".."}]`}, why: skipBadChannel},
		{name: "a channel without id", files: map[string]string{"channels.json": `[{"id":"C01","name":"general"},{"name":"random"}]`}, why: skipBadChannel},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := base()
			for k, v := range c.files {
				if v == "" {
					delete(files, k)
				} else {
					files[k] = v
				}
			}
			for _, zipped := range []bool{false, true} {
				path := writeFiles(t, files, zipped)
				src := mustNew(t, path, Options{})
				got := enginetest.Collapse(enginetest.Collect(t, src, ""))
				want := max(c.n, 1)
				if len(got.Activities) != want {
					t.Errorf("zip %v: %d messages stored, want %d: %+v", zipped, len(got.Activities), want, got.Activities)
				}
				st := src.Stats()
				if n := max(c.count, 1); st.Skipped[c.why] != n || st.Skipped.Total() != n {
					t.Errorf("zip %v: skipped %v, want %d %q", zipped, st.Skipped, n, c.why)
				}
			}
		})
	}
}

// Messages from user ids users.json does not list are kept, named from
// their user_profile, and counted.
func TestUnknownUser(t *testing.T) {
	files := base()
	files["general/2024-03-05.json"] = `[{"type":"message","user":"U0STRANGER","text":"hi","ts":"1709542900.000200",
		"user_profile":{"name":"zoe","real_name":"Zoe Quinn","display_name":""}},
		{"type":"message","user":"U0GHOST","text":"boo","ts":"1709542901.000200"}]`
	src := mustNew(t, writeFiles(t, files, false), Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	names := map[string]string{}
	for _, i := range got.Identities {
		names[i.ExternalID] = i.Username + "/" + i.Name
	}
	if names["U0STRANGER"] != "zoe/Zoe Quinn" || names["U0GHOST"] != "/" || len(got.Activities) != 3 {
		t.Errorf("identities %v, %d activities", names, len(got.Activities))
	}
	if st := src.Stats(); st.Unknown != 2 || st.Skipped.Total() != 0 {
		t.Errorf("stats %+v", st)
	}
}

// Zip entries whose names leave the export are never read, and counted.
func TestZipTraversal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	files := base()
	files["../x/2024-03-04.json"] = goodDay
	files["/etc/2024-03-04.json"] = goodDay
	files["general/../../2024-03-05.json"] = goodDay
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()
	src := mustNew(t, path, Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if len(got.Activities) != 1 {
		t.Errorf("%d messages stored", len(got.Activities))
	}
	if st := src.Stats(); st.Skipped[skipUnsafePath] != 3 || st.Skipped.Total() != 3 {
		t.Errorf("skipped %v", st.Skipped)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "..", "x")); err == nil {
		t.Error("something was written outside the export")
	}
}

// An export that cannot be read at all is one line naming the file.
func TestUnreadableExport(t *testing.T) {
	dir := t.TempDir()
	zipped := writeFiles(t, base(), true)
	whole, err := os.ReadFile(zipped)
	if err != nil {
		t.Fatal(err)
	}
	noChannels := base()
	delete(noChannels, "channels.json")
	for name, c := range map[string]struct {
		path string
		want string
	}{
		"a file that is not a zip":     {path: writeRaw(t, filepath.Join(dir, "notes.zip"), "these are my notes\n"), want: "not a zip file"},
		"a truncated zip":              {path: writeRaw(t, filepath.Join(dir, "cut.zip"), string(whole[:len(whole)/2])), want: "not a zip file, or a cut one"},
		"a zip without channels":       {path: writeFiles(t, noChannels, true), want: "not a Slack export: no channels.json"},
		"a directory without channels": {path: writeFiles(t, noChannels, false), want: "not a Slack export: no channels.json"},
		"bad channels.json":            {path: writeFiles(t, map[string]string{"channels.json": "{"}, false), want: "channels.json is not a list of channels"},
	} {
		src := mustNew(t, c.path, Options{})
		err := src.Sync(context.Background(), connector.SyncState{}, func(connector.Batch) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line naming %s: %s", name, err, c.path, c.want)
		}
	}
	if _, err := New(filepath.Join(dir, "gone.zip"), Options{}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing export: %v", err)
	}
}

// A zip entry whose data is damaged (its checksum fails) is skipped as
// unreadable; the rest is read.
func TestDamagedZipEntry(t *testing.T) {
	files := base()
	files["general/2024-03-05.json"] = `[{"type":"message","text":"DAMAGED-ENTRY","user":"U01ANN","ts":"1709542900.000200"}]`
	path := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range []string{"users.json", "channels.json", "general/2024-03-04.json", "general/2024-03-05.json"} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	zw.Close()
	f.Close()
	b, _ := os.ReadFile(path)
	i := strings.Index(string(b), "DAMAGED-ENTRY")
	copy(b[i:], "damaged-entry")
	writeRaw(t, path, string(b))
	src := mustNew(t, path, Options{})
	got := enginetest.Collapse(enginetest.Collect(t, src, ""))
	if len(got.Activities) != 1 || src.Stats().Skipped[skipUnreadable] != 1 {
		t.Errorf("%d stored, skipped %v", len(got.Activities), src.Stats().Skipped)
	}
}

func writeRaw(t *testing.T, path, body string) string {
	t.Helper()
	enginetest.WriteFile(t, path, []byte(body))
	return path
}

// writeFiles writes an export of raw files, as a directory or a zip.
func writeFiles(t *testing.T, files map[string]string, zipped bool) string {
	t.Helper()
	w := workspace{}
	for k, v := range files {
		w[k] = []byte(v)
	}
	if zipped {
		return w.writeZip(t, filepath.Join(t.TempDir(), "export.zip"))
	}
	return w.writeDir(t, filepath.Join(t.TempDir(), "export"))
}
