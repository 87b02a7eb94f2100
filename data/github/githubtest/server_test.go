package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, u string, hdr map[string]string) (*http.Response, []map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var items []map[string]any
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(string(body), "[") {
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	return resp, items
}

func TestServerFollowsTheDocumentedAPI(t *testing.T) {
	s := New(t, Default())
	base := s.URL + "/repos/acme/widgets/issues?state=all&sort=updated&direction=asc&per_page=100"

	// Pagination: PageSize 2 caps per_page; Link names the next page.
	resp, items := get(t, base, nil)
	if len(items) != 2 || items[0]["number"].(float64) != 1 {
		t.Fatalf("page 1: %v", items)
	}
	link := resp.Header.Get("Link")
	if !strings.Contains(link, `page=2&per_page=100&sort=updated&state=all>; rel="next"`) ||
		!strings.Contains(link, `page=3&per_page=100&sort=updated&state=all>; rel="last"`) {
		t.Errorf("Link = %q", link)
	}

	// ETag and 304, which costs no rate-limit budget.
	etag := resp.Header.Get("ETag")
	again, _ := get(t, base, map[string]string{"If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: %d", again.StatusCode)
	}
	if again.Header.Get("X-RateLimit-Remaining") != resp.Header.Get("X-RateLimit-Remaining") {
		t.Error("a 304 spent rate-limit budget")
	}

	// since is inclusive and filters by updated time.
	_, items = get(t, base+"&since="+At(12).Format("2006-01-02T15:04:05Z"), nil)
	if len(items) != 2 || items[0]["number"].(float64) != 5 || items[1]["number"].(float64) != 6 {
		t.Errorf("since: %v", items)
	}

	// Faults replace the answer for as many requests as asked, then stop.
	s.Inject("/users/alice", 1, RetryAfter(7))
	r1, _ := get(t, s.URL+"/users/alice", nil)
	r2, _ := get(t, s.URL+"/users/alice", nil)
	if r1.StatusCode != http.StatusTooManyRequests || r1.Header.Get("Retry-After") != "7" || r2.StatusCode == http.StatusTooManyRequests {
		t.Errorf("fault: %d then %d", r1.StatusCode, r2.StatusCode)
	}
	if total, conditional, notModified := s.Stats(); total != 5 || conditional != 1 || notModified != 1 {
		t.Errorf("stats %d %d %d", total, conditional, notModified)
	}
	if unknown, _ := get(t, s.URL+"/users/nobody", nil); unknown.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user: %d", unknown.StatusCode)
	}
}
