// Package discoursetest is a fake Discourse forum for tests: a local HTTP
// server answering /categories.json, /latest.json, /t/{id}.json,
// /t/{id}/posts.json and /u/{username}.json with the field names and types
// Discourse sends (and the solved plugin's fields), paginated as Discourse
// paginates. It records every request and injects faults per URL.
package discoursetest

import (
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

// Fixture is the forum a Server serves. Times are UTC.
type Fixture struct {
	Categories []Category
	Users      []User // profiles; other usernames answer 404 on /u/{username}.json
	Topics     []Topic
	// PerPage is how many topics a /latest.json page holds (Discourse: 30).
	PerPage int
	// Chunk is how many posts /t/{id}.json carries (Discourse: 20).
	Chunk int
	// APIKey and APIUsername, when set, are required as the Api-Key and
	// Api-Username headers on every request.
	APIKey, APIUsername string
	// Solved serves the solved plugin's fields (accepted_answer).
	Solved bool
}

// Category is a forum category; Parent is a parent category's id.
type Category struct {
	ID         int
	Name, Slug string
	Parent     int
}

// User is a profile.
type User struct {
	Username, Name, Location, Website, Bio string
}

// Topic is a topic and its posts, the first of which opens it.
type Topic struct {
	ID       int
	Title    string
	Category int
	Tags     []string
	Pinned   bool
	Posts    []Post
}

// Post is one post. Author "" is a deleted account. Type is Discourse's
// post_type (1 regular, 3 small action with Action, e.g. "closed.enabled").
type Post struct {
	ID       int64
	Author   string
	Created  time.Time
	Type     int
	Action   string
	Body     string
	Accepted bool // marked as the solution (solved plugin)
}

// Fault replaces the real answer of matching requests.
type Fault struct {
	Status   int
	Header   map[string]string
	Body     string
	Truncate bool // the real answer, cut in half
}

// RetryAfter is the 429 Discourse sends when a client goes too fast.
func RetryAfter(seconds int) Fault {
	return Fault{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": strconv.Itoa(seconds)},
		Body: fmt.Sprintf(`{"errors":["You’ve performed this action too many times. Please wait %d seconds before trying again."],`+
			`"error_type":"rate_limit","extras":{"wait_seconds":%d,"time_left":"%d seconds"}}`, seconds, seconds, seconds)}
}

// NotFound is Discourse's 404.
func NotFound() Fault {
	return Fault{Status: http.StatusNotFound, Body: `{"errors":["The requested URL or resource could not be found."],"error_type":"not_found"}`}
}

// Request is one request received.
type Request struct {
	URL        string
	Status     int
	APIKey     string
	APIUser    string
	Authorized bool
}

// Server is a running fake forum.
type Server struct {
	URL string
	srv *httptest.Server

	mu     sync.Mutex
	f      Fixture
	log    []Request
	faults []*fault
}

type fault struct {
	match string
	left  int
	f     Fault
}

// New starts a server for f on 127.0.0.1, stopped when the test ends.
func New(t testing.TB, f Fixture) *Server {
	t.Helper()
	s := &Server{f: f}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL
	return s
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// ResetLog forgets the requests received so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Inject makes the next times requests whose path and query contain match
// get f instead of their real answer.
func (s *Server) Inject(match string, times int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{match: match, left: times, f: f})
}

// Update changes the fixture while the server runs.
func (s *Server) Update(fn func(*Fixture)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.f)
}

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
	req := Request{URL: r.URL.RequestURI(), APIKey: r.Header.Get("Api-Key"), APIUser: r.Header.Get("Api-Username")}
	req.Authorized = s.f.APIKey == "" || req.APIKey == s.f.APIKey && req.APIUser == s.f.APIUsername
	defer func() {
		req.Status = sw.status
		s.log = append(s.log, req)
	}()
	u, _ := url.QueryUnescape(req.URL)
	for i, f := range s.faults {
		if f.left <= 0 || !strings.Contains(u, f.match) {
			continue
		}
		f.left--
		if f.left == 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		if f.f.Truncate {
			rec := httptest.NewRecorder()
			s.route(rec, r)
			body := rec.Body.Bytes()
			sw.Header().Set("Content-Type", "application/json; charset=utf-8")
			sw.Write(body[:len(body)/2])
			return
		}
		for k, v := range f.f.Header {
			sw.Header().Set(k, v)
		}
		sw.Header().Set("Content-Type", "application/json; charset=utf-8")
		sw.WriteHeader(f.f.Status)
		fmt.Fprint(sw, f.f.Body)
		return
	}
	if !req.Authorized {
		sw.Header().Set("Content-Type", "application/json; charset=utf-8")
		sw.WriteHeader(http.StatusForbidden)
		fmt.Fprint(sw, `{"errors":["You are not permitted to view the requested resource. The API username or key is invalid."],"error_type":"invalid_access"}`)
		return
	}
	s.route(sw, r)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case r.Method != http.MethodGet:
		s.notFound(w)
	case p == "/categories.json":
		s.categories(w, r)
	case p == "/latest.json":
		s.latest(w, r)
	case len(parts) == 2 && parts[0] == "t" && strings.HasSuffix(parts[1], ".json"):
		s.topic(w, strings.TrimSuffix(parts[1], ".json"))
	case len(parts) == 3 && parts[0] == "t" && parts[2] == "posts.json":
		s.posts(w, r, parts[1])
	case len(parts) == 2 && parts[0] == "u" && strings.HasSuffix(parts[1], ".json"):
		s.user(w, strings.TrimSuffix(parts[1], ".json"))
	default:
		s.notFound(w)
	}
}

func (s *Server) notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, NotFound().Body)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

// ts formats a time the way Discourse does: milliseconds, Z.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (s *Server) categoryJSON(c Category) map[string]any {
	topics, posts := 0, 0
	for _, t := range s.f.Topics {
		if t.Category == c.ID {
			topics++
			posts += len(t.Posts)
		}
	}
	m := map[string]any{
		"id": c.ID, "name": c.Name, "color": "0088CC", "text_color": "FFFFFF", "slug": c.Slug,
		"topic_count": topics, "post_count": posts, "position": c.ID, "description": "About " + c.Name,
		"topic_url": fmt.Sprintf("/t/about-the-%s-category/%d", c.Slug, 1000+c.ID), "read_restricted": false,
		"permission": nil, "notification_level": 1, "has_children": false, "subcategory_ids": []int{},
	}
	if c.Parent != 0 {
		m["parent_category_id"] = c.Parent
	}
	return m
}

func (s *Server) categories(w http.ResponseWriter, r *http.Request) {
	withSubs := r.URL.Query().Get("include_subcategories") == "true"
	var list []any
	for _, c := range s.f.Categories {
		if c.Parent != 0 {
			continue
		}
		m := s.categoryJSON(c)
		var subIDs []int
		var subs []any
		for _, sc := range s.f.Categories {
			if sc.Parent == c.ID {
				subIDs = append(subIDs, sc.ID)
				subs = append(subs, s.categoryJSON(sc))
			}
		}
		if len(subIDs) > 0 {
			m["has_children"] = true
			m["subcategory_ids"] = subIDs
			if withSubs {
				m["subcategory_list"] = subs
			}
		}
		list = append(list, m)
	}
	writeJSON(w, map[string]any{"category_list": map[string]any{
		"can_create_category": false, "can_create_topic": true, "categories": list,
	}})
}

// regular lists the posts that bump a topic: regular ones.
func regular(t Topic) []Post {
	var out []Post
	for _, p := range t.Posts {
		if p.Type == 0 || p.Type == 1 {
			out = append(out, p)
		}
	}
	return out
}

func bumped(t Topic) time.Time {
	r := regular(t)
	if len(r) == 0 {
		return time.Time{}
	}
	return r[len(r)-1].Created
}

func (s *Server) userID(username string) int {
	if username == "" {
		return 0
	}
	if strings.EqualFold(username, "system") {
		return -1
	}
	n := 0
	for _, c := range strings.ToLower(username) {
		n = n*31 + int(c)
	}
	return n%100000 + 2
}

func (s *Server) name(username string) any {
	for _, u := range s.f.Users {
		if strings.EqualFold(u.Username, username) && u.Name != "" {
			return u.Name
		}
	}
	return nil
}

func (s *Server) accepted(t Topic) (Post, int, bool) {
	for i, p := range t.Posts {
		if p.Accepted {
			return p, i + 1, true
		}
	}
	return Post{}, 0, false
}

func slug(title string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
		case sb.Len() > 0 && !strings.HasSuffix(sb.String(), "-"):
			sb.WriteByte('-')
		}
	}
	return strings.Trim(sb.String(), "-")
}

func (s *Server) topicListJSON(t Topic) map[string]any {
	reg := regular(t)
	last := ""
	if len(reg) > 0 {
		last = reg[len(reg)-1].Author
	}
	tags := []any{}
	for _, tg := range t.Tags {
		tags = append(tags, tg)
	}
	var posters []any
	for i, p := range reg {
		desc := "Frequent Poster"
		if i == 0 {
			desc = "Original Poster"
		}
		posters = append(posters, map[string]any{"extras": nil, "description": desc, "user_id": s.userID(p.Author), "primary_group_id": nil})
	}
	created := time.Time{}
	if len(t.Posts) > 0 {
		created = t.Posts[0].Created
	}
	m := map[string]any{
		"id": t.ID, "title": t.Title, "fancy_title": t.Title, "slug": slug(t.Title),
		"posts_count": len(reg), "reply_count": max(0, len(reg)-1), "highest_post_number": len(t.Posts),
		"image_url": nil, "created_at": ts(created), "last_posted_at": ts(bumped(t)), "bumped": true,
		"bumped_at": ts(bumped(t)), "archetype": "regular", "unseen": false, "pinned": t.Pinned,
		"unpinned": nil, "visible": true, "closed": s.closed(t), "archived": false, "bookmarked": nil, "liked": nil,
		"tags": tags, "tags_descriptions": map[string]any{}, "views": 10 * len(t.Posts), "like_count": 0,
		"has_summary": false, "last_poster_username": last, "category_id": t.Category,
		"pinned_globally": false, "featured_link": nil, "posters": posters,
	}
	if s.f.Solved {
		_, _, ok := s.accepted(t)
		m["has_accepted_answer"] = ok
		m["can_have_answer"] = true
	}
	return m
}

func (s *Server) closed(t Topic) bool {
	for _, p := range t.Posts {
		if p.Action == "closed.enabled" {
			return true
		}
	}
	return false
}

func (s *Server) latest(w http.ResponseWriter, r *http.Request) {
	list := slices.Clone(s.f.Topics)
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Pinned != list[j].Pinned {
			return list[i].Pinned
		}
		return bumped(list[i]).After(bumped(list[j]))
	})
	per := s.f.PerPage
	if per <= 0 {
		per = 30
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	lo := min(page*per, len(list))
	hi := min(lo+per, len(list))
	seen := map[string]bool{}
	users := []any{}
	topics := []any{}
	for _, t := range list[lo:hi] {
		topics = append(topics, s.topicListJSON(t))
		for _, p := range regular(t) {
			if p.Author != "" && !seen[p.Author] {
				seen[p.Author] = true
				users = append(users, map[string]any{"id": s.userID(p.Author), "username": p.Author,
					"name": s.name(p.Author), "avatar_template": "/letter_avatar_proxy/v4/letter/a/8c91f0/{size}.png"})
			}
		}
	}
	tl := map[string]any{"can_create_topic": true, "per_page": per, "top_tags": []string{}, "topics": topics}
	if hi < len(list) {
		tl["more_topics_url"] = fmt.Sprintf("/latest?no_definitions=true&page=%d", page+1)
	}
	writeJSON(w, map[string]any{"users": users, "primary_groups": []any{}, "flair_groups": []any{}, "topic_list": tl})
}

func (s *Server) find(id string) (Topic, bool) {
	n, err := strconv.Atoi(id)
	if err != nil {
		return Topic{}, false
	}
	for _, t := range s.f.Topics {
		if t.ID == n {
			return t, true
		}
	}
	return Topic{}, false
}

func (s *Server) postJSON(t Topic, i int) map[string]any {
	p := t.Posts[i]
	typ := p.Type
	if typ == 0 {
		typ = 1
	}
	var username, name, display any
	if p.Author != "" {
		username, name, display = p.Author, s.name(p.Author), s.name(p.Author)
	}
	m := map[string]any{
		"id": p.ID, "name": name, "username": username, "avatar_template": "/user_avatar/forum/x/{size}/1_2.png",
		"created_at": ts(p.Created), "cooked": "<p>" + p.Body + "</p>", "post_number": i + 1, "post_type": typ,
		"updated_at": ts(p.Created), "reply_count": 0, "reply_to_post_number": nil, "quote_count": 0,
		"incoming_link_count": 0, "reads": 3, "readers_count": 2, "score": 0.4, "yours": false,
		"topic_id": t.ID, "topic_slug": slug(t.Title), "display_username": display, "primary_group_name": nil,
		"flair_name": nil, "version": 1, "can_edit": false, "can_delete": false, "can_recover": false,
		"can_wiki": false, "read": true, "user_title": nil, "bookmarked": false, "actions_summary": []any{},
		"moderator": false, "admin": false, "staff": false, "user_id": s.userID(p.Author), "hidden": false,
		"trust_level": 1, "deleted_at": nil, "user_deleted": p.Author == "", "edit_reason": nil,
		"can_view_edit_history": true, "wiki": false,
	}
	if p.Action != "" {
		m["action_code"] = p.Action
	}
	if s.f.Solved {
		m["accepted_answer"] = p.Accepted
		m["can_accept_answer"] = false
		m["can_unaccept_answer"] = false
	}
	return m
}

func (s *Server) topic(w http.ResponseWriter, id string) {
	t, ok := s.find(id)
	if !ok {
		s.notFound(w)
		return
	}
	chunk := s.f.Chunk
	if chunk <= 0 {
		chunk = 20
	}
	posts := []any{}
	stream := []int64{}
	for i, p := range t.Posts {
		stream = append(stream, p.ID)
		if i < chunk {
			posts = append(posts, s.postJSON(t, i))
		}
	}
	m := s.topicListJSON(t)
	delete(m, "posters")
	m["post_stream"] = map[string]any{"posts": posts, "stream": stream}
	m["timeline_lookup"] = [][]int{{1, 0}}
	m["word_count"] = 42
	m["deleted_at"] = nil
	m["user_id"] = 0
	m["draft"] = nil
	m["draft_key"] = "topic_" + id
	m["chunk_size"] = chunk
	var createdBy any
	if len(t.Posts) > 0 && t.Posts[0].Author != "" {
		m["user_id"] = s.userID(t.Posts[0].Author)
		createdBy = map[string]any{"id": s.userID(t.Posts[0].Author), "username": t.Posts[0].Author,
			"name": s.name(t.Posts[0].Author), "avatar_template": "/user_avatar/forum/x/{size}/1_2.png"}
	}
	m["details"] = map[string]any{"can_edit": false, "notification_level": 1, "created_by": createdBy, "participants": []any{}}
	if s.f.Solved {
		m["accepted_answer"] = nil
		if p, n, ok := s.accepted(t); ok {
			m["accepted_answer"] = map[string]any{"post_number": n, "username": p.Author, "name": s.name(p.Author),
				"excerpt": p.Body, "accepter_username": t.Posts[0].Author}
		}
	}
	writeJSON(w, m)
}

// posts answers /t/{id}/posts.json?post_ids[]=…, the posts of the topic
// among those ids, in the topic's order.
func (s *Server) posts(w http.ResponseWriter, r *http.Request, id string) {
	t, ok := s.find(id)
	if !ok {
		s.notFound(w)
		return
	}
	want := map[int64]bool{}
	for _, v := range r.URL.Query()["post_ids[]"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			http.Error(w, `{"errors":["param is missing or the value is empty: post_ids"]}`, http.StatusBadRequest)
			return
		}
		want[n] = true
	}
	posts := []any{}
	for i, p := range t.Posts {
		if want[p.ID] {
			posts = append(posts, s.postJSON(t, i))
		}
	}
	writeJSON(w, map[string]any{"post_stream": map[string]any{"posts": posts}, "id": t.ID})
}

func (s *Server) user(w http.ResponseWriter, username string) {
	username, _ = url.PathUnescape(username)
	for _, u := range s.f.Users {
		if strings.EqualFold(u.Username, username) {
			writeJSON(w, map[string]any{"user_badges": []any{}, "user": map[string]any{
				"id": s.userID(u.Username), "username": u.Username, "name": u.Name,
				"avatar_template": "/user_avatar/forum/x/{size}/1_2.png", "location": u.Location,
				"website": u.Website, "website_name": u.Website, "bio_raw": u.Bio, "bio_cooked": "<p>" + u.Bio + "</p>",
				"title": nil, "trust_level": 1, "created_at": "2023-01-01T00:00:00.000Z",
			}})
			return
		}
	}
	s.notFound(w)
}
