package ical

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"hearth/data/engine/enginetest"
	"hearth/data/store/storetest"
)

// A URL is fetched with the validators of the last run; a 304 writes
// nothing, a changed feed is read again.
func TestHTTPConditional(t *testing.T) {
	var mu sync.Mutex
	body, etag := fixture, `"v1"`
	var conditional []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		conditional = append(conditional, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Tue, 13 May 2025 10:00:00 GMT")
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	ctx := context.Background()
	st, _ := storetest.Open(t)
	src := newSource(t, srv.URL+"/team.ics", Options{})
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	if n := storetest.Int(t, st, `SELECT count(*) FROM events`); n != 9 {
		t.Fatalf("%d events", n)
	}
	written := writesCounter(t, st)
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil || res.Batches != 0 {
		t.Fatalf("304 run: %+v", res)
	}
	if n := written(); n != 0 {
		t.Errorf("a 304 wrote %d rows", n)
	}
	mu.Lock()
	body, etag = strings.Replace(fixture, "SUMMARY:Call", "SUMMARY:Call (moved)", 1), `"v2"`
	mu.Unlock()
	if res := enginetest.Run(t, ctx, st, syncNow, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	if n := storetest.Int(t, st, `SELECT count(*) FROM events WHERE name = 'Call (moved)'`); n != 1 {
		t.Error("the changed feed was not read")
	}
	if got := storetest.Rows(t, st, `SELECT etag FROM http_cache`); len(got) != 1 || got[0] != `"v2"` {
		t.Errorf("validators: %q", got)
	}
	want := []string{"|", `"v1"|Tue, 13 May 2025 10:00:00 GMT`, `"v1"|Tue, 13 May 2025 10:00:00 GMT`}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(conditional, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests carried %q, want %q", conditional, want)
	}
}
