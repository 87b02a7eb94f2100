package github

import (
	"cmp"
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
	// counted holds the items (issue/3, comment/101...) already counted in
	// Batch.Items this run; since is where the current listing pass
	// started: items updated at or before it were counted by the run that
	// committed it, and come back only because since is inclusive.
	counted map[string]bool
	since   time.Time
	// deleted holds the activities of deleted accounts, attributed to no
	// one and only counted.
	deleted map[string]bool
}

// fresh reports whether an item listed with updated time updated is new
// to the count: not the overlap re-listed from the cursor, and not already
// counted in this run.
func (r *run) fresh(key string, updated time.Time) bool {
	if r.counted[key] || (!r.since.IsZero() && !updated.After(r.since)) {
		return false
	}
	r.counted[key] = true
	return true
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

// person notes that u appears in the batch and returns its identity key;
// "" for a deleted account, which has no identity.
func (b *builder) person(u *apiUser) string {
	if deleted(u) {
		return ""
	}
	id := loginOf(u)
	if _, ok := b.people[id]; !ok || u != nil {
		b.people[id] = u
	}
	return id
}

// activity records what actor did; what a deleted account did is only
// counted, since it is no one's any more.
func (r *run) activity(b *builder, actor *apiUser, kind model.Kind, ext string, at time.Time, htmlURL, title string, topics []string) {
	if deleted(actor) {
		r.deleted[ext] = true
		return
	}
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
		r.since = start
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
// deleted accounts never reach here: they have no identity.
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
		if r.src.isBot(u) {
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
	n := 0
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
		if r.fresh("issue/"+strconv.Itoa(items[i].Number), items[i].UpdatedAt) {
			n++
		}
	}
	return newest, n, nil
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
	mergedAt := it.PullRequest.MergedAt.Time
	var pr *apiPull
	if !it.PullRequest.MergedAt.Present && it.State == "closed" {
		// Older Enterprise servers leave merged_at out of the issues
		// list: only the pull request tells merged from closed. Asked
		// unconditionally, since a 304 would not tell either.
		p, err := r.pull(ctx, it.Number, false, b)
		if err != nil {
			return err
		}
		pr = p
		if p.Merged || p.MergedAt != nil {
			mergedAt = cmp.Or(p.MergedAt, p.ClosedAt, it.ClosedAt, &it.UpdatedAt)
		}
	}
	switch {
	case mergedAt != nil:
		r.activity(b, it.User, model.KindPRMerged, "pr/"+num+"/merged", *mergedAt, it.HTMLURL, it.Title, topics)
		if err := r.mergedBy(ctx, it, pr, *mergedAt, author, topics, b); err != nil {
			return err
		}
	case it.State == "closed" && it.ClosedAt != nil:
		r.activity(b, it.User, model.KindPRClosed, "pr/"+num+"/closed", *it.ClosedAt, it.HTMLURL, it.Title, topics)
	}
	return r.reviews(ctx, it, author, topics, b)
}

// pull fetches one pull request; nil when conditional and unchanged.
func (r *run) pull(ctx context.Context, number int, conditional bool, b *builder) (*apiPull, error) {
	u := r.repoURL("/pulls/"+strconv.Itoa(number), nil)
	resp, err := r.c.get(ctx, u, conditional)
	if err != nil || resp.NotModified {
		return nil, err
	}
	var pr apiPull
	if err := decode(u, resp.Body, &pr); err != nil {
		return nil, err
	}
	b.keep(u, resp)
	return &pr, nil
}

// mergedBy credits whoever merged someone else's pull request; only the
// single-PR endpoint names them. pr is that pull request when already
// fetched; a 304 means that activity is stored.
func (r *run) mergedBy(ctx context.Context, it *apiIssue, pr *apiPull, mergedAt time.Time, author string, topics []string, b *builder) error {
	if pr == nil {
		var err error
		if pr, err = r.pull(ctx, it.Number, true, b); err != nil || pr == nil {
			return err
		}
	}
	if pr.MergedAt != nil {
		mergedAt = *pr.MergedAt
	}
	if pr.MergedBy != nil && loginOf(pr.MergedBy) != author {
		r.activity(b, pr.MergedBy, model.KindMergedOther, "pr/"+strconv.Itoa(it.Number)+"/merged_other",
			mergedAt, it.HTMLURL, it.Title, topics)
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
				replies[i] = model.Reply{Author: replyKey(c.User), Bot: r.src.isBot(c.User), At: c.CreatedAt}
			}
			if first, ok := model.FirstResponse(author, replies); ok {
				for _, c := range comments {
					if replyKey(c.User) == first.Author && c.CreatedAt.Equal(first.At) {
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
	n := 0
	for i := range comments {
		c := &comments[i]
		if r.fresh(prefix+strconv.FormatInt(c.ID, 10), c.UpdatedAt) {
			n++
		}
		var info issueInfo
		if n, err := strconv.Atoi(path.Base(thread(c))); err == nil {
			info = r.issues[n]
		}
		r.activity(b, c.User, model.KindComment, prefix+strconv.FormatInt(c.ID, 10), c.CreatedAt, c.HTMLURL, info.title, info.topics)
		if c.UpdatedAt.After(newest) {
			newest = c.UpdatedAt
		}
	}
	return newest, n, nil
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
		Website:    strings.TrimSpace(u.Blog),
		Bot:        s.isBot(u),
	}
	if id.URL == "" {
		id.URL = strings.TrimSpace(u.Blog)
	}
	return id
}
