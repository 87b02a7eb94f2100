// Command hearth is a terminal application for the people who run open-source
// and developer communities: a members directory, the contributor funnel,
// unanswered questions and events, read from a local SQLite cache.
//
// main only hands the command line to package cli.
package main

import (
	"os"
	// The zone database inside the binary: display_timezone works on
	// machines without /usr/share/zoneinfo (about 450 KB).
	_ "time/tzdata"

	"hearth/ui/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(cli.Run(version, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
