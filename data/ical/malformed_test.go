package ical

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/data/connector"
)

// A feed that cannot be read is one line naming it; nothing is emitted.
func TestMalformedFeeds(t *testing.T) {
	good := vevent("UID:a@example.org", "SUMMARY:A", "DTSTART:20250601T100000Z")
	cases := []struct {
		name, body, want string
	}{
		{"empty", "", "empty, not an iCalendar feed"},
		{"html", "<!doctype html><html><body>Sign in</body></html>", "not an iCalendar feed: looks like HTML"},
		{"json", `{"events": []}`, "not an iCalendar feed: looks like JSON"},
		{"text", "hello\n", "does not start with BEGIN:VCALENDAR"},
		{"truncated", strings.TrimSuffix(calendar(good), "END:VCALENDAR\r\n")[:120], "truncated: no END:VCALENDAR"},
		{"bad line", calendar("BEGIN:VEVENT\nUID:x\nthis line has no colon\nEND:VEVENT"), "line"},
		{"wrong end", calendar("BEGIN:VEVENT\nUID:x\nEND:VTODO"), "team.ics"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "team.ics")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			err := syncAll(t, newSource(t, path, Options{}))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) ||
				strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line naming %s with %q", err, path, c.want)
			}
		})
	}
}

func TestMalformedHTTP(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/missing.ics", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	fails := 0
	mux.HandleFunc("/broken.ics", func(w http.ResponseWriter, r *http.Request) {
		fails++
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/big.ics", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(calendar(strings.Repeat(vevent("UID:a", "DTSTART:20250601T100000Z")+"\n", 200))))
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(calendar()))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for path, want := range map[string]string{
		"/missing.ics": "404 Not Found",
		"/broken.ics":  "500 Internal Server Error (after 3 attempts)",
		"/big.ics":     "larger than 4096 bytes",
		"/login":       "not an iCalendar feed (the server sent text/html)",
	} {
		err := syncAll(t, newSource(t, srv.URL+path, Options{MaxBytes: 4096}))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), srv.URL+path) {
			t.Errorf("%s: error %v, want %q naming the URL", path, err, want)
		}
	}
	if fails != 3 {
		t.Errorf("a 500 was tried %d times, want 3", fails)
	}
}

// A malformed event is skipped and counted; the others are read.
func TestMalformedEventsSkipped(t *testing.T) {
	body := calendar(
		vevent("UID:ok@example.org", "SUMMARY:Fine", "DTSTART:20250601T100000Z"),
		vevent("SUMMARY:No UID", "DTSTART:20250601T100000Z"),
		vevent("UID:nostart@example.org", "SUMMARY:No start"),
		vevent("UID:badstart@example.org", "DTSTART:2025-06-01 10:00"),
		vevent("UID:zone@example.org", "DTSTART;TZID=Mars/Olympus:20250601T100000"),
		vevent("UID:rule@example.org", "DTSTART:20250601T100000Z", "RRULE:FREQ=FORTNIGHTLY"),
		vevent("UID:minutely@example.org", "DTSTART:20250601T100000Z", "RRULE:FREQ=MINUTELY"),
		vevent("UID:end@example.org", "DTSTART:20250601T100000Z", "DTEND:20250501T100000Z"),
		vevent("UID:dur@example.org", "DTSTART:20250601T100000Z", "DURATION:one hour"),
	)
	src := newSource(t, writeFeed(t, t.TempDir(), body), Options{})
	var got []connector.Batch
	err := src.Sync(context.Background(), connector.SyncState{}, func(b connector.Batch) error { got = append(got, b); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Events) != 1 || got[0].Events[0].UID != "ok@example.org" {
		t.Fatalf("batches %+v", got)
	}
	want := map[string]int{skipNoUID: 1, skipStart: 2, skipZone: 1, skipRule: 2, skipEnd: 2}
	if s := src.Stats().Skipped; len(s) != len(want) {
		t.Errorf("skipped %v, want %v", s, want)
	} else {
		for k, n := range want {
			if s[k] != n {
				t.Errorf("skipped %v, want %v", s, want)
			}
		}
	}
}

func syncAll(t *testing.T, src *Source) error {
	t.Helper()
	return src.Sync(context.Background(), connector.SyncState{}, func(b connector.Batch) error {
		t.Errorf("a malformed feed emitted a batch of %d events", len(b.Events))
		return nil
	})
}
