package github

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
	"hearth/model"
)

// maxPasses bounds how often one endpoint is listed again from the newly
// advanced cursor (see list); only a repository changing faster than we
// read it would need more than two.
const maxPasses = 4

// run is one Sync call: the cursor as it advances, and what this run has
// already learned so it does not ask twice.
type run struct {
	src   *Source
	c     *client
	state connector.SyncState
	emit  func(connector.Batch) error
	cur   cursor
	done  int
	// seen holds logins whose identity this run already emitted or found
	// unchanged (304): profiles are fetched once per run.
	seen map[string]bool
	// issues remembers titles and labels by number, so comments listed
	// later in the run can carry their thread's title and topics.
	issues map[int]issueInfo
}

type issueInfo struct {
	title  string
	topics []string
}

// builder collects one batch. Nothing is emitted until every request the
// batch needs has succeeded, so a failure never leaves half a page stored.
type builder struct {
	connector.Batch
	people map[string]*apiUser // logins whose identity must exist with the batch
}

func newBuilder() *builder {
	return &builder{
		Batch:  connector.Batch{Validators: map[string]connector.Validator{}},
		people: map[string]*apiUser{},
	}
}

// keep stores the validator of a 200 response, committed with the rows
// built from it.
func (b *builder) keep(u string, resp *httpc.Response) {
	if resp.Validator.ETag != "" || resp.Validator.LastModified != "" {
		b.Validators[u] = resp.Validator
	}
}

// person notes that u appears in the batch and returns its identity key.
func (b *builder) person(u *apiUser) string {
	id := loginOf(u)
	if _, ok := b.people[id]; !ok || u != nil {
		b.people[id] = u
	}
	return id
}

func (r *run) activity(b *builder, actor *apiUser, kind model.Kind, ext string, at time.Time, htmlURL, title string, topics []string) {
	b.Activities = append(b.Activities, model.Activity{
		Source:     SourceName,
		ExternalID: ext,
		Actor:      b.person(actor),
		Kind:       kind,
		At:         at.UTC(),
		Channel:    r.src.Repo(),
		URL:        htmlURL,
		Title:      title,
		Topics:     topics,
	})
}

// repoURL is the REST URL of an endpoint under /repos/{owner}/{name}.
// Query parameters are encoded in sorted order, so the same request always
// has the same URL and finds its stored validator.
func (r *run) repoURL(endpoint string, q url.Values) string {
	u := r.src.opts.APIURL + "/repos/" + url.PathEscape(r.src.owner) + "/" + url.PathEscape(r.src.name) + endpoint
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (r *run) progress(what string) {
	if r.state.Progress != nil {
		r.state.Progress(r.done, 0, what)
	}
}

// pageFunc turns one page of a listing into the batch, returning the
// largest updated_at on the page and how many items it held.
type pageFunc func(ctx context.Context, u string, body []byte, b *builder) (time.Time, int, error)

// list walks a `since`-filtered listing sorted by updated_at ascending,
// emitting one batch per page whose cursor is the largest updated_at seen.
//
// GitHub's since is inclusive, so the last items come back when the next
// run asks from the new cursor. When a pass moved the cursor, list asks
// once more from it: that request returns only the newest items again, and
// its ETag is stored under exactly the URL the next run will request, so a
// repository that did not change costs one 304 per endpoint.
//
// Only the first page of a pass is conditional: a 304 on a later page
// would hide its Link header and with it the rest of the listing.
func (r *run) list(ctx context.Context, what, endpoint string, q url.Values, since *time.Time, page pageFunc) error {
	for range maxPasses {
		start := *since
		params := url.Values{}
		for k, v := range q {
			params[k] = v
		}
		if !start.IsZero() {
			params.Set("since", start.UTC().Format(time.RFC3339))
		}
		u := r.repoURL(endpoint, params)
		for first := true; u != ""; first = false {
			resp, err := r.c.get(ctx, u, first)
			if err != nil {
				return err
			}
			if resp.NotModified {
				break
			}
			b := newBuilder()
			if first {
				b.keep(u, resp)
			}
			newest, n, err := page(ctx, u, resp.Body, b)
			if err != nil {
				return err
			}
			if newest.After(*since) {
				*since = newest
			}
			b.Items = n
			if err := r.commit(ctx, b, what); err != nil {
				return err
			}
			u = resp.Next
		}
		if since.Equal(start) {
			return nil
		}
	}
	return nil
}

// commit completes a batch with the identities it refers to and the
// advanced cursor, and hands it to the engine.
func (r *run) commit(ctx context.Context, b *builder, what string) error {
	if err := r.profiles(ctx, b); err != nil {
		return err
	}
	b.Cursor = r.cur.String()
	if err := r.emit(b.Batch); err != nil {
		return err
	}
	r.done += b.Items
	r.progress(what)
	return nil
}

// profiles adds an identity for every login of the batch not yet handled
// in this run. People get their full profile from /users/{login},
// conditionally: a 304 means the stored identity is current. Bots and
// deleted accounts ("ghost") get an identity built from what we know.
func (r *run) profiles(ctx context.Context, b *builder) error {
	logins := make([]string, 0, len(b.people))
	for l := range b.people {
		if !r.seen[l] {
			logins = append(logins, l)
		}
	}
	sort.Strings(logins)
	for _, l := range logins {
		if err := ctx.Err(); err != nil {
			return err
		}
		u := b.people[l]
		if u == nil || r.src.isBot(u) {
			b.Identities = append(b.Identities, r.src.identity(u))
			r.seen[l] = true
			continue
		}
		pu := r.src.opts.APIURL + "/users/" + url.PathEscape(u.Login)
		resp, err := r.c.get(ctx, pu, true)
		switch {
		case httpc.IsStatus(err, http.StatusNotFound):
			// Renamed or deleted since it was listed: keep what we know.
			b.Identities = append(b.Identities, r.src.identity(u))
		case err != nil:
			return err
		case resp.NotModified:
			// Stored with the batch that saved this validator.
		default:
			var full apiUser
			if err := decode(pu, resp.Body, &full); err != nil {
				return err
			}
			if full.Login == "" {
				full.Login = u.Login
			}
			if full.Type == "" {
				full.Type = u.Type
			}
			b.Identities = append(b.Identities, r.src.identity(&full))
			b.keep(pu, resp)
		}
		r.seen[l] = true
	}
	return nil
}

func (r *run) syncIssues(ctx context.Context) error {
	q := url.Values{
		"state": {"all"}, "sort": {"updated"}, "direction": {"asc"}, "per_page": {"100"},
	}
	return r.list(ctx, "issues and pull requests", "/issues", q, &r.cur.Issues, r.issuesPage)
}

func (r *run) issuesPage(ctx context.Context, u string, body []byte, b *builder) (time.Time, int, error) {
	var items []apiIssue
	if err := decode(u, body, &items); err != nil {
		return time.Time{}, 0, err
	}
	var newest time.Time
	for i := range items {
		if err := ctx.Err(); err != nil {
			return time.Time{}, 0, err
		}
		if err := r.issue(ctx, &items[i], b); err != nil {
			return time.Time{}, 0, err
		}
		if items[i].UpdatedAt.After(newest) {
			newest = items[i].UpdatedAt
		}
	}
	return newest, len(items), nil
}

// issue records what one issue or pull request says about its people.
func (r *run) issue(ctx context.Context, it *apiIssue, b *builder) error {
	topics := labelNames(it.Labels)
	r.issues[it.Number] = issueInfo{title: it.Title, topics: topics}
	num := strconv.Itoa(it.Number)
	author := b.person(it.User)

	if it.PullRequest == nil {
		r.activity(b, it.User, model.KindIssueOpened, "issue/"+num, it.CreatedAt, it.HTMLURL, it.Title, topics)
		if r.src.isQuestion(it.Labels) {
			return r.issueQuestion(ctx, it, author, topics, b)
		}
		return nil
	}

	r.activity(b, it.User, model.KindPROpened, "pr/"+num, it.CreatedAt, it.HTMLURL, it.Title, topics)
	switch {
	case it.PullRequest.MergedAt != nil:
		r.activity(b, it.User, model.KindPRMerged, "pr/"+num+"/merged", *it.PullRequest.MergedAt, it.HTMLURL, it.Title, topics)
		if err := r.mergedBy(ctx, it, author, topics, b); err != nil {
			return err
		}
	case it.State == "closed" && it.ClosedAt != nil:
		r.activity(b, it.User, model.KindPRClosed, "pr/"+num+"/closed", *it.ClosedAt, it.HTMLURL, it.Title, topics)
	}
	return r.reviews(ctx, it, author, topics, b)
}

// mergedBy credits whoever merged someone else's pull request; only the
// single-PR endpoint names them. A 304 means that activity is stored.
func (r *run) mergedBy(ctx context.Context, it *apiIssue, author string, topics []string, b *builder) error {
	u := r.repoURL("/pulls/"+strconv.Itoa(it.Number), nil)
	resp, err := r.c.get(ctx, u, true)
	if err != nil || resp.NotModified {
		return err
	}
	var pr apiPull
	if err := decode(u, resp.Body, &pr); err != nil {
		return err
	}
	b.keep(u, resp)
	if pr.MergedBy != nil && pr.MergedAt != nil && loginOf(pr.MergedBy) != author {
		r.activity(b, pr.MergedBy, model.KindMergedOther, "pr/"+strconv.Itoa(it.Number)+"/merged_other",
			*pr.MergedAt, it.HTMLURL, it.Title, topics)
	}
	return nil
}

// reviews records each submitted review by someone other than the author.
func (r *run) reviews(ctx context.Context, it *apiIssue, author string, topics []string, b *builder) error {
	u := r.repoURL("/pulls/"+strconv.Itoa(it.Number)+"/reviews", url.Values{"per_page": {"100"}})
	for first := true; u != ""; first = false {
		resp, err := r.c.get(ctx, u, first)
		if err != nil || resp.NotModified {
			return err
		}
		var revs []apiReview
		if err := decode(u, resp.Body, &revs); err != nil {
			return err
		}
		if first {
			b.keep(u, resp)
		}
		for _, rv := range revs {
			if rv.SubmittedAt == nil || rv.State == "PENDING" || loginOf(rv.User) == author {
				continue
			}
			htmlURL := rv.HTMLURL
			if htmlURL == "" {
				htmlURL = it.HTMLURL
			}
			r.activity(b, rv.User, model.KindReview, "review/"+strconv.FormatInt(rv.ID, 10),
				*rv.SubmittedAt, htmlURL, it.Title, topics)
		}
		u = resp.Next
	}
	return nil
}

// issueQuestion builds the question record of a question-labelled issue.
// Its comments are fetched unconditionally: a 304 would leave us without
// the first response to write into the record.
func (r *run) issueQuestion(ctx context.Context, it *apiIssue, author string, topics []string, b *builder) error {
	q := connector.QuestionRecord{
		Question: model.Question{
			Source:     SourceName,
			ExternalID: "issue/" + strconv.Itoa(it.Number),
			Channel:    r.src.Repo(),
			URL:        it.HTMLURL,
			Title:      it.Title,
			Body:       it.Body,
			Author:     userLogin(it.User),
			Created:    it.CreatedAt.UTC(),
			Topics:     topics,
		},
		AuthorID: author,
	}
	if it.ClosedAt != nil {
		q.Closed = it.ClosedAt.UTC()
	}
	if it.Comments > 0 {
		u := r.repoURL("/issues/"+strconv.Itoa(it.Number)+"/comments", url.Values{"per_page": {"100"}})
		for u != "" {
			resp, err := r.c.get(ctx, u, false)
			if err != nil {
				return err
			}
			var comments []apiComment
			if err := decode(u, resp.Body, &comments); err != nil {
				return err
			}
			replies := make([]model.Reply, len(comments))
			for i, c := range comments {
				replies[i] = model.Reply{Author: loginOf(c.User), Bot: r.src.isBot(c.User), At: c.CreatedAt}
			}
			if first, ok := model.FirstResponse(author, replies); ok {
				for _, c := range comments {
					if loginOf(c.User) == first.Author && c.CreatedAt.Equal(first.At) {
						q.ResponderID = b.person(c.User)
						q.Responder = userLogin(c.User)
						break
					}
				}
				q.FirstResponse = first.At.UTC()
				break // comments come oldest first: later pages can only be later
			}
			u = resp.Next
		}
	}
	b.Questions = append(b.Questions, q)
	return nil
}

func (r *run) syncIssueComments(ctx context.Context) error {
	q := url.Values{"sort": {"updated"}, "direction": {"asc"}, "per_page": {"100"}}
	return r.list(ctx, "issue comments", "/issues/comments", q, &r.cur.IssueComments,
		func(ctx context.Context, u string, body []byte, b *builder) (time.Time, int, error) {
			return r.commentsPage(u, body, b, "comment/", func(c *apiComment) string { return c.IssueURL })
		})
}

func (r *run) syncReviewComments(ctx context.Context) error {
	q := url.Values{"sort": {"updated"}, "direction": {"asc"}, "per_page": {"100"}}
	return r.list(ctx, "review comments", "/pulls/comments", q, &r.cur.ReviewComments,
		func(ctx context.Context, u string, body []byte, b *builder) (time.Time, int, error) {
			// Review comments have their own id space, hence their own prefix.
			return r.commentsPage(u, body, b, "review-comment/", func(c *apiComment) string { return c.PullRequestURL })
		})
}

// commentsPage records one page of a repository-wide comment listing. The
// thread's title and labels come from the issues listed earlier in the
// run; adding a comment updates its thread, so that is where it is found.
func (r *run) commentsPage(u string, body []byte, b *builder, prefix string, thread func(*apiComment) string) (time.Time, int, error) {
	var comments []apiComment
	if err := decode(u, body, &comments); err != nil {
		return time.Time{}, 0, err
	}
	var newest time.Time
	for i := range comments {
		c := &comments[i]
		var info issueInfo
		if n, err := strconv.Atoi(path.Base(thread(c))); err == nil {
			info = r.issues[n]
		}
		r.activity(b, c.User, model.KindComment, prefix+strconv.FormatInt(c.ID, 10), c.CreatedAt, c.HTMLURL, info.title, info.topics)
		if c.UpdatedAt.After(newest) {
			newest = c.UpdatedAt
		}
	}
	return newest, len(comments), nil
}

// isQuestion reports whether any label marks the issue as a question.
func (s *Source) isQuestion(labels []apiLabel) bool {
	for _, l := range labels {
		if s.questions[strings.ToLower(l.Name)] {
			return true
		}
	}
	return false
}

// isBot: GitHub Apps have type "Bot" and logins ending in "[bot]"; bots
// run from ordinary accounts are matched by the conventions and patterns of
// model.BotMatcher.
func (s *Source) isBot(u *apiUser) bool {
	if u == nil {
		return false
	}
	return s.bots.IsBotAccount(u.Type, u.Login, u.Name, u.Email)
}

func (s *Source) identity(u *apiUser) model.Identity {
	if u == nil {
		u = &apiUser{Login: ghost}
	}
	id := model.Identity{
		Source:     SourceName,
		ExternalID: loginOf(u),
		Username:   u.Login,
		Name:       strings.TrimSpace(u.Name),
		Email:      strings.TrimSpace(u.Email),
		URL:        u.HTMLURL,
		Company:    strings.TrimSpace(u.Company),
		Location:   strings.TrimSpace(u.Location),
		Bio:        strings.TrimSpace(u.Bio),
		Bot:        s.isBot(u),
	}
	if id.URL == "" {
		id.URL = strings.TrimSpace(u.Blog)
	}
	return id
}
