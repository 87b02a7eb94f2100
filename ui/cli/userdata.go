package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
)

const userdataUsage = `Usage: hearth userdata export FILE.json
       hearth userdata import FILE.json [--replace]

Everything typed by hand — notes, tags and flags on people, manual merges
and splits, the triage of questions, events planned in hearth with their
speakers, tasks, budget and attendees, saved filters — written to a JSON
file, or read back from one. Rows name people, questions and events by
their stable keys, so a file can be imported into a database synced anew.

import merges by default: the file's rows are added, and overwrite rows
with the same key. With --replace, the database's user data is replaced by
the file's, exactly. A malformed file is reported with its line, and
nothing is imported. "-" as FILE is standard output (export).
`

func runUserdata(ctx context.Context, app *App, args []string) error {
	var replace bool
	fs := newFlags("userdata")
	fs.BoolVar(&replace, "replace", false, "import: replace all user data by the file's instead of merging")
	help, err := app.parseCommand("userdata", userdataUsage, fs, args)
	if err != nil || help {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "export" && fs.Arg(0) != "import") {
		return usageErrorf("userdata: give export FILE or import FILE (see hearth userdata --help)")
	}
	file := fs.Arg(1)
	if fs.Arg(0) == "export" {
		if replace {
			return usageErrorf("userdata: --replace is for import")
		}
		return exportUserdata(ctx, app, file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("userdata import: %w", err)
	}
	st, w, err := app.openWriter(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := w.ImportUserData(ctx, file, data, replace); err != nil {
		return err
	}
	app.printf(app.Stdout, "imported %s\n", clean(file))
	return nil
}

// exportUserdata writes the export to file through a temporary file in
// the same directory, renamed when complete: an interrupted export never
// leaves half a file where a good one was.
func exportUserdata(ctx context.Context, app *App, file string) error {
	st, err := app.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var buf bytes.Buffer
	if err := st.ExportUserData(ctx, &buf); err != nil {
		return err
	}
	if file == "-" {
		_, err := app.Stdout.Write(buf.Bytes())
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".hearth-export-*")
	if err != nil {
		return fmt.Errorf("userdata export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("userdata export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("userdata export: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("userdata export: %w", err)
	}
	return nil
}
