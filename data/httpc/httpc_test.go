package httpc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
)

type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
	waits  []time.Time
}

func newClient(t *testing.T, srv *httptest.Server, c *fakeClock, o httpc.Options) *httpc.Client {
	t.Helper()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	o.Service, o.Base = "Forum", base
	o.Now = func() time.Time { return c.now }
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		c.sleeps = append(c.sleeps, d)
		c.now = c.now.Add(d)
		return ctx.Err()
	}
	o.OnWait = func(until time.Time) { c.waits = append(c.waits, until) }
	return httpc.New(o)
}

func TestTooLargeIsNotMalformed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"a":"` + strings.Repeat("x", 2000) + `"}`))
	}))
	defer srv.Close()
	c := newClient(t, srv, &fakeClock{}, httpc.Options{MaxBody: 1024})
	_, err := c.Get(context.Background(), srv.URL+"/big.json", connector.Validator{})
	var tl *httpc.TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "forum: "+srv.URL+"/big.json: response too large") ||
		strings.Contains(err.Error(), "JSON") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	// Exactly at the cap is fine.
	c = newClient(t, srv, &fakeClock{}, httpc.Options{MaxBody: 2008})
	if _, err := c.Get(context.Background(), srv.URL+"/big.json", connector.Validator{}); err != nil {
		t.Fatalf("body at the cap: %v", err)
	}
}

func TestNotFoundSaysWhat(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"errors":["The requested URL or resource could not be found."],"error_type":"not_found"}`))
	}))
	defer srv.Close()
	c := newClient(t, srv, &fakeClock{}, httpc.Options{NotFound: func(u *url.URL) string { return "no topic " + u.Path }})
	_, err := c.Get(context.Background(), srv.URL+"/t/12.json", connector.Validator{})
	want := "forum: " + srv.URL + "/t/12.json: 404 Not Found (no topic /t/12.json): The requested URL or resource could not be found."
	if err == nil || err.Error() != want || !httpc.IsStatus(err, 404) {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
}

func TestRetriesAndRateLimits(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.WriteHeader(http.StatusBadGateway)
		case 2:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case 3:
			w.WriteHeader(http.StatusTooManyRequests) // no time named: a minute
		default:
			w.Header().Set("ETag", `"v1"`)
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	clk := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	c := newClient(t, srv, clk, httpc.Options{})
	resp, err := c.Get(context.Background(), srv.URL+"/x", connector.Validator{})
	if err != nil || resp.Validator.ETag != `"v1"` {
		t.Fatalf("resp %+v, err %v", resp, err)
	}
	if fmt.Sprint(clk.sleeps) != "[1s 7s 1m0s]" || len(clk.waits) != 2 {
		t.Errorf("sleeps %v, waits %v", clk.sleeps, clk.waits)
	}
}

func TestLongRateLimitStops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	clk := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	_, err := newClient(t, srv, clk, httpc.Options{}).Get(context.Background(), srv.URL+"/x", connector.Validator{})
	var rl *httpc.RateLimitError
	if !errors.As(err, &rl) || rl.Wait != time.Hour || len(clk.sleeps) != 0 ||
		!strings.HasPrefix(err.Error(), "rate limited by Forum until ") {
		t.Fatalf("err = %v, sleeps %v", err, clk.sleeps)
	}
}

func TestConditionalAndNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "yesterday" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c := newClient(t, srv, &fakeClock{}, httpc.Options{})
	v := connector.Validator{ETag: `"v1"`, LastModified: "yesterday"}
	resp, err := c.Get(context.Background(), srv.URL+"/x", v)
	if err != nil || !resp.NotModified || resp.Validator != v {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	resp, err = c.Get(context.Background(), srv.URL+"/x", connector.Validator{})
	if err != nil || resp.NotModified || string(resp.Body) != "[]" {
		t.Fatalf("resp %+v err %v", resp, err)
	}
}

func TestPaginationLinks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("evil") != "" {
			w.Header().Set("Link", `<https://evil.example/x?page=2>; rel="next"`)
		} else {
			w.Header().Set("Link", `</x?page=2>; rel="next", </x?page=9>; rel="last"`)
		}
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c := newClient(t, srv, &fakeClock{}, httpc.Options{})
	resp, err := c.Get(context.Background(), srv.URL+"/x", connector.Validator{})
	if err != nil || resp.Next != srv.URL+"/x?page=2" {
		t.Fatalf("next %q, err %v", resp.Next, err)
	}
	_, err = c.Get(context.Background(), srv.URL+"/x?evil=1", connector.Validator{})
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	var v struct{ A int }
	for body, want := range map[string]string{
		`{"A": 1`:       "malformed JSON: unexpected end of input",
		`<html>`:        "malformed JSON: invalid character '<'",
		`{"A": "text"}`: "malformed JSON: cannot unmarshal string",
	} {
		err := httpc.Decode("forum", "http://h/x.json", []byte(body), &v)
		if err == nil || !strings.HasPrefix(err.Error(), "forum: http://h/x.json: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", body, err)
		}
	}
}
