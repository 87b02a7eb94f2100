package githubtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request the server received.
type Request struct {
	Method string
	URL    string // path and query as sent
	// Conditional is set when the request carried If-None-Match or
	// If-Modified-Since.
	Conditional bool
	Authorized  bool // carried the fixture's token (or any bearer token when none is set)
	Status      int
}

// Fault replaces the real response of a matching request.
type Fault struct {
	Status int
	Header map[string]string
	Body   string
	// Truncate serves the real response with a 200 but cuts its body in
	// half, like a connection that died mid-transfer after the proxy had
	// already sent the headers.
	Truncate bool
}

// RateLimited is the 403 GitHub sends when the hourly limit is spent.
func RateLimited(reset time.Time) Fault {
	return Fault{
		Status: http.StatusForbidden,
		Header: map[string]string{
			"X-RateLimit-Limit":     "5000",
			"X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset":     strconv.FormatInt(reset.Unix(), 10),
		},
		Body: `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`,
	}
}

// SecondaryLimit is the 403 of a secondary ("abuse") rate limit as older
// GitHub versions send it: no Retry-After, and requests to spare in the
// primary limit.
func SecondaryLimit() Fault {
	return Fault{
		Status: http.StatusForbidden,
		Header: map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4987"},
		Body: `{"message":"You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.",` +
			`"documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#abuse-rate-limits"}`,
	}
}

// RetryAfter is the 429 of a secondary rate limit.
func RetryAfter(seconds int) Fault {
	return Fault{
		Status: http.StatusTooManyRequests,
		Header: map[string]string{"Retry-After": strconv.Itoa(seconds)},
		Body:   `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`,
	}
}

type fault struct {
	match string
	left  int
	f     Fault
}

// Server is a running fake GitHub. All methods are safe for concurrent use.
type Server struct {
	// URL is the REST root to configure the client with, including the
	// fixture's Prefix.
	URL string
	// Repo is "owner/name".
	Repo string

	srv    *httptest.Server
	mu     sync.Mutex
	f      Fixture
	log    []Request
	faults []*fault
	spent  int // rate-limit budget used by 200 responses
}

// New starts a server for f on 127.0.0.1, stopped when the test ends.
func New(t testing.TB, f Fixture) *Server {
	t.Helper()
	s := &Server{f: f, Repo: f.Owner + "/" + f.Name}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + f.Prefix
	return s
}

// Close stops the server early (to simulate it going away).
func (s *Server) Close() { s.srv.Close() }

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Stats counts requests received: all of them, the conditional ones, and
// those answered 304 Not Modified.
func (s *Server) Stats() (total, conditional, notModified int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.log {
		total++
		if r.Conditional {
			conditional++
		}
		if r.Status == http.StatusNotModified {
			notModified++
		}
	}
	return total, conditional, notModified
}

// ResetLog forgets the requests received so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Inject makes the next times requests whose path and query contain match
// get fault instead of their real answer. Faults are tried in the order
// they were injected.
func (s *Server) Inject(match string, times int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{match: match, left: times, f: f})
}

// Update changes the fixture while the server runs, e.g. to add a comment
// between two syncs. Remember that on GitHub a new comment also updates
// its issue; AddComment does both.
func (s *Server) Update(fn func(*Fixture)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.f)
}

// AddComment adds an issue comment and bumps the issue's updated time, as
// GitHub does.
func (s *Server) AddComment(c Comment) {
	s.Update(func(f *Fixture) {
		if c.Updated.IsZero() {
			c.Updated = c.Created
		}
		f.Comments = append(f.Comments, c)
		for i := range f.Issues {
			if f.Issues[i].Number == c.Issue && c.Updated.After(f.Issues[i].Updated) {
				f.Issues[i].Updated = c.Updated
			}
		}
	})
}

// statusWriter remembers the status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mu.Lock()
	defer s.mu.Unlock()
	req := Request{
		Method:      r.Method,
		URL:         r.URL.RequestURI(),
		Conditional: r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "",
		Authorized:  s.authorized(r),
	}
	defer func() {
		req.Status = sw.status
		s.log = append(s.log, req)
	}()

	if f := s.takeFault(req.URL); f != nil {
		if f.Truncate {
			rec := httptest.NewRecorder()
			s.route(rec, r)
			body := rec.Body.Bytes()
			sw.Header().Set("Content-Type", "application/json; charset=utf-8")
			sw.WriteHeader(http.StatusOK)
			sw.Write(body[:len(body)/2])
			return
		}
		for k, v := range f.Header {
			sw.Header().Set(k, v)
		}
		sw.Header().Set("Content-Type", "application/json; charset=utf-8")
		sw.WriteHeader(f.Status)
		fmt.Fprint(sw, f.Body)
		return
	}
	if s.f.Token != "" && !req.Authorized {
		s.fail(sw, http.StatusUnauthorized, "Bad credentials")
		return
	}
	s.route(sw, r)
}

func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if s.f.Token == "" {
		return strings.HasPrefix(auth, "Bearer ") && len(auth) > len("Bearer ")
	}
	return auth == "Bearer "+s.f.Token
}

func (s *Server) takeFault(u string) *Fault {
	for i, f := range s.faults {
		if f.left > 0 && strings.Contains(u, f.match) {
			f.left--
			if f.left == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			return &f.f
		}
	}
	return nil
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// route dispatches on the path below the fixture's prefix. It runs with
// s.mu held.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.Method == http.MethodPost && p == s.graphqlPath() {
		s.graphql(w, r)
		return
	}
	rest, ok := strings.CutPrefix(p, s.f.Prefix)
	if !ok || r.Method != http.MethodGet {
		s.fail(w, http.StatusNotFound, "Not Found")
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) == 2 && parts[0] == "users" {
		s.user(w, r, parts[1])
		return
	}
	if len(parts) < 4 || parts[0] != "repos" || parts[1] != s.f.Owner || parts[2] != s.f.Name {
		s.fail(w, http.StatusNotFound, "Not Found")
		return
	}
	switch tail := parts[3:]; {
	case len(tail) == 1 && tail[0] == "issues":
		s.issues(w, r)
	case len(tail) == 2 && tail[0] == "issues" && tail[1] == "comments":
		s.issueComments(w, r)
	case len(tail) == 3 && tail[0] == "issues" && tail[2] == "comments":
		s.threadComments(w, r, tail[1])
	case len(tail) == 2 && tail[0] == "pulls" && tail[1] == "comments":
		s.reviewComments(w, r)
	case len(tail) == 2 && tail[0] == "pulls":
		s.pull(w, r, tail[1])
	case len(tail) == 3 && tail[0] == "pulls" && tail[2] == "reviews":
		s.reviews(w, r, tail[1])
	default:
		s.fail(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) graphqlPath() string {
	if p, ok := strings.CutSuffix(s.f.Prefix, "/v3"); ok {
		return p + "/graphql" // Enterprise: /api/v3 -> /api/graphql
	}
	return s.f.Prefix + "/graphql"
}

// reply writes v as JSON with an ETag, answering 304 when the request's
// If-None-Match already names it. 304s do not spend rate-limit budget, as
// on GitHub.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, v any, link string) {
	body, err := json.Marshal(v)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:10]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	for tag := range strings.SplitSeq(r.Header.Get("If-None-Match"), ",") {
		if strings.TrimSpace(tag) == etag {
			h.Set("X-RateLimit-Remaining", strconv.Itoa(5000-s.spent))
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	s.spent++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, 5000-s.spent)))
	if link != "" {
		h.Set("Link", link)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// paginate cuts items to the requested page and builds the Link header,
// as GitHub does: per_page (default 30, at most 100 or the fixture's
// PageSize) and page (from 1).
func paginate[T any](s *Server, r *http.Request, items []T) ([]T, string) {
	q := r.URL.Query()
	per := 30
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		per = min(n, 100)
	}
	if s.f.PageSize > 0 {
		per = min(per, s.f.PageSize)
	}
	page := 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	last := max(1, (len(items)+per-1)/per)
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, s.srv.URL, r.URL.Path, q.Encode(), rel)
	}
	var rels []string
	if page < last {
		rels = append(rels, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		rels = append(rels, link(1, "first"), link(page-1, "prev"))
	}
	return items[lo:hi], strings.Join(rels, ", ")
}

// since parses the since parameter; GitHub returns items updated at or
// after it.
func since(w http.ResponseWriter, r *http.Request) (time.Time, bool) {
	v := r.URL.Query().Get("since")
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		http.Error(w, `{"message":"Invalid since"}`, http.StatusUnprocessableEntity)
		return t, false
	}
	return t, true
}

func (s *Server) html(kind string, n int) string {
	return fmt.Sprintf("https://github.com/%s/%s/%s/%d", s.f.Owner, s.f.Name, kind, n)
}

func (s *Server) userJSON(login string) any {
	if login == "" {
		return nil
	}
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	for _, u := range s.f.Users {
		if u.Login == login && u.Type != "" {
			typ = u.Type
		}
	}
	return map[string]any{"login": login, "id": idOf(login), "type": typ, "html_url": "https://github.com/" + login}
}

func idOf(login string) int64 {
	sum := sha256.Sum256([]byte(login))
	return int64(sum[0])<<16 | int64(sum[1])<<8 | int64(sum[2])
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) issueJSON(is Issue) map[string]any {
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"name": l, "color": "ededed"})
	}
	comments := 0
	for _, c := range s.f.Comments {
		if c.Issue == is.Number {
			comments++
		}
	}
	state := "open"
	if !is.Closed.IsZero() {
		state = "closed"
	}
	kind := "issues"
	if is.PR {
		kind = "pull"
	}
	m := map[string]any{
		"id": 1000 + is.Number, "number": is.Number, "title": is.Title, "body": is.Body,
		"state": state, "html_url": s.html(kind, is.Number), "user": s.userJSON(is.Author),
		"labels": labels, "comments": comments, "created_at": ts(is.Created),
		"updated_at": ts(is.Updated), "closed_at": ts(is.Closed),
		"url": fmt.Sprintf("%s/repos/%s/%s/issues/%d", s.URL, s.f.Owner, s.f.Name, is.Number),
	}
	if is.PR {
		pr := map[string]any{
			"url":       fmt.Sprintf("%s/repos/%s/%s/pulls/%d", s.URL, s.f.Owner, s.f.Name, is.Number),
			"html_url":  s.html("pull", is.Number),
			"diff_url":  s.html("pull", is.Number) + ".diff",
			"patch_url": s.html("pull", is.Number) + ".patch",
			"merged_at": ts(is.Merged),
		}
		if s.f.NoMergedAt {
			delete(pr, "merged_at")
		}
		m["pull_request"] = pr
	}
	return m
}

func (s *Server) issues(w http.ResponseWriter, r *http.Request) {
	from, ok := since(w, r)
	if !ok {
		return
	}
	state := r.URL.Query().Get("state")
	var list []Issue
	for _, is := range s.f.Issues {
		open := is.Closed.IsZero()
		if is.Updated.Before(from) || (state == "" || state == "open") && !open || state == "closed" && open {
			continue
		}
		list = append(list, is)
	}
	sortBy(r, list, func(is Issue) (time.Time, time.Time, int64) { return is.Created, is.Updated, int64(is.Number) })
	page, link := paginate(s, r, list)
	out := make([]any, len(page))
	for i, is := range page {
		out[i] = s.issueJSON(is)
	}
	s.reply(w, r, out, link)
}

// sortBy orders by sort=created|updated and direction=asc|desc; GitHub's
// default is created, descending.
func sortBy[T any](r *http.Request, items []T, key func(T) (created, updated time.Time, id int64)) {
	q := r.URL.Query()
	byUpdated := q.Get("sort") == "updated"
	asc := q.Get("direction") == "asc"
	sort.SliceStable(items, func(i, j int) bool {
		ci, ui, ii := key(items[i])
		cj, uj, ij := key(items[j])
		a, b := ci, cj
		if byUpdated {
			a, b = ui, uj
		}
		if !a.Equal(b) {
			return a.Before(b) == asc
		}
		return ii < ij
	})
}

func (s *Server) commentJSON(c Comment) map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body, "user": s.userJSON(c.Author),
		"html_url":   fmt.Sprintf("%s#issuecomment-%d", s.html("issues", c.Issue), c.ID),
		"issue_url":  fmt.Sprintf("%s/repos/%s/%s/issues/%d", s.URL, s.f.Owner, s.f.Name, c.Issue),
		"created_at": ts(c.Created), "updated_at": ts(c.Updated),
	}
}

func (s *Server) issueComments(w http.ResponseWriter, r *http.Request) {
	from, ok := since(w, r)
	if !ok {
		return
	}
	var list []Comment
	for _, c := range s.f.Comments {
		if !c.Updated.Before(from) {
			list = append(list, c)
		}
	}
	if r.URL.Query().Get("sort") == "" {
		// The repository-wide listing defaults to created, ascending.
		r.URL.RawQuery += "&sort=created&direction=asc"
	}
	sortBy(r, list, func(c Comment) (time.Time, time.Time, int64) { return c.Created, c.Updated, c.ID })
	page, link := paginate(s, r, list)
	out := make([]any, len(page))
	for i, c := range page {
		out[i] = s.commentJSON(c)
	}
	s.reply(w, r, out, link)
}

// threadComments lists one issue's comments, oldest first.
func (s *Server) threadComments(w http.ResponseWriter, r *http.Request, num string) {
	n, err := strconv.Atoi(num)
	if err != nil || !s.hasIssue(n, false) {
		s.fail(w, http.StatusNotFound, "Not Found")
		return
	}
	var list []Comment
	for _, c := range s.f.Comments {
		if c.Issue == n {
			list = append(list, c)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Created.Before(list[j].Created) })
	page, link := paginate(s, r, list)
	out := make([]any, len(page))
	for i, c := range page {
		out[i] = s.commentJSON(c)
	}
	s.reply(w, r, out, link)
}

func (s *Server) hasIssue(n int, pr bool) bool {
	for _, is := range s.f.Issues {
		if is.Number == n && (!pr || is.PR) {
			return true
		}
	}
	return false
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, num string) {
	n, _ := strconv.Atoi(num)
	for _, is := range s.f.Issues {
		if is.Number != n || !is.PR {
			continue
		}
		m := s.issueJSON(is)
		delete(m, "pull_request")
		delete(m, "labels")
		m["html_url"] = s.html("pull", n)
		m["merged_at"] = ts(is.Merged)
		m["merged"] = !is.Merged.IsZero()
		m["merged_by"] = nil
		if !is.Merged.IsZero() {
			m["merged_by"] = s.userJSON(is.MergedBy)
		}
		s.reply(w, r, m, "")
		return
	}
	s.fail(w, http.StatusNotFound, "Not Found")
}

func (s *Server) reviews(w http.ResponseWriter, r *http.Request, num string) {
	n, _ := strconv.Atoi(num)
	if !s.hasIssue(n, true) {
		s.fail(w, http.StatusNotFound, "Not Found")
		return
	}
	var list []Review
	for _, rv := range s.f.Reviews {
		if rv.PR == n {
			list = append(list, rv)
		}
	}
	page, link := paginate(s, r, list)
	out := make([]any, len(page))
	for i, rv := range page {
		m := map[string]any{
			"id": rv.ID, "user": s.userJSON(rv.Author), "state": rv.State, "body": "",
			"html_url": fmt.Sprintf("%s#pullrequestreview-%d", s.html("pull", n), rv.ID),
		}
		if !rv.Submitted.IsZero() {
			m["submitted_at"] = ts(rv.Submitted)
		}
		out[i] = m
	}
	s.reply(w, r, out, link)
}

func (s *Server) reviewComments(w http.ResponseWriter, r *http.Request) {
	from, ok := since(w, r)
	if !ok {
		return
	}
	var list []ReviewComment
	for _, c := range s.f.ReviewComments {
		if !c.Updated.Before(from) {
			list = append(list, c)
		}
	}
	sortBy(r, list, func(c ReviewComment) (time.Time, time.Time, int64) { return c.Created, c.Updated, c.ID })
	page, link := paginate(s, r, list)
	out := make([]any, len(page))
	for i, c := range page {
		out[i] = map[string]any{
			"id": c.ID, "body": c.Body, "user": s.userJSON(c.Author),
			"html_url":         fmt.Sprintf("%s#discussion_r%d", s.html("pull", c.PR), c.ID),
			"pull_request_url": fmt.Sprintf("%s/repos/%s/%s/pulls/%d", s.URL, s.f.Owner, s.f.Name, c.PR),
			"created_at":       ts(c.Created), "updated_at": ts(c.Updated),
		}
	}
	s.reply(w, r, out, link)
}

func (s *Server) user(w http.ResponseWriter, r *http.Request, login string) {
	login, _ = url.PathUnescape(login)
	for _, u := range s.f.Users {
		if !strings.EqualFold(u.Login, login) {
			continue
		}
		typ := u.Type
		if typ == "" {
			typ = "User"
		}
		null := func(v string) any {
			if v == "" {
				return nil
			}
			return v
		}
		s.reply(w, r, map[string]any{
			"login": u.Login, "id": idOf(u.Login), "type": typ, "html_url": "https://github.com/" + u.Login,
			"name": null(u.Name), "company": null(u.Company), "location": null(u.Location),
			"bio": null(u.Bio), "blog": u.Blog, "email": null(u.Email),
		}, "")
		return
	}
	s.fail(w, http.StatusNotFound, "Not Found")
}

// graphql answers the repository.discussions query: variables owner,
// name, first and after; discussions newest-updated first.
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	if s.f.NoGraphQL {
		s.fail(w, http.StatusNotFound, "Not Found")
		return
	}
	if !s.authorized(r) {
		s.fail(w, http.StatusUnauthorized, "This endpoint requires you to be authenticated.")
		return
	}
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !strings.Contains(req.Query, "discussions") {
		s.fail(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if req.Variables["owner"] != s.f.Owner || req.Variables["name"] != s.f.Name {
		writeJSON(w, map[string]any{"data": map[string]any{"repository": nil},
			"errors": []any{map[string]any{"type": "NOT_FOUND", "message": "Could not resolve to a Repository."}}})
		return
	}
	list := slices.Clone(s.f.Discussions)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Updated.After(list[j].Updated) })
	first := 50
	if f, ok := req.Variables["first"].(float64); ok && f > 0 {
		first = int(f)
	}
	if s.f.PageSize > 0 {
		first = min(first, s.f.PageSize)
	}
	lo := 0
	if a, ok := req.Variables["after"].(string); ok && a != "" {
		lo, _ = strconv.Atoi(strings.TrimPrefix(a, "c"))
	}
	lo = min(lo, len(list))
	hi := min(lo+first, len(list))
	nodes := make([]any, 0, hi-lo)
	for _, d := range list[lo:hi] {
		nodes = append(nodes, s.discussionJSON(d))
	}
	writeJSON(w, map[string]any{"data": map[string]any{"repository": map[string]any{
		"hasDiscussionsEnabled": true,
		"discussions": map[string]any{
			"pageInfo": map[string]any{"hasNextPage": hi < len(list), "endCursor": "c" + strconv.Itoa(hi)},
			"nodes":    nodes,
		},
	}}})
}

func (s *Server) actorJSON(login string) any {
	if login == "" {
		return nil
	}
	u := s.userJSON(login).(map[string]any)
	return map[string]any{"login": login, "__typename": u["type"]}
}

func (s *Server) discussionJSON(d Discussion) any {
	labels := []any{}
	for _, l := range d.Labels {
		labels = append(labels, map[string]any{"name": l})
	}
	durl := s.html("discussions", d.Number)
	comments := []any{}
	var answer any
	for _, c := range d.Comments {
		cm := map[string]any{
			"databaseId": c.ID, "url": fmt.Sprintf("%s#discussioncomment-%d", durl, c.ID),
			"createdAt": ts(c.Created), "author": s.actorJSON(c.Author),
		}
		comments = append(comments, cm)
		if c.ID == d.Answer {
			answer = cm
		}
	}
	return map[string]any{
		"number": d.Number, "title": d.Title, "body": d.Body, "url": durl,
		"createdAt": ts(d.Created), "updatedAt": ts(d.Updated), "closedAt": ts(d.Closed),
		"author":   s.actorJSON(d.Author),
		"category": map[string]any{"name": d.Category, "isAnswerable": d.Answerable},
		"labels":   map[string]any{"nodes": labels},
		"answer":   answer,
		"comments": map[string]any{"totalCount": len(d.Comments), "nodes": comments},
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(buf.Bytes())
}
