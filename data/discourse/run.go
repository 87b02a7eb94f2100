package discourse

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
	"hearth/model"
)

// postsChunk is how many posts one /t/{id}/posts.json request asks for,
// the size of Discourse's own chunks.
const postsChunk = 20

// maxPages bounds the walk down /latest.json, against a server whose
// more_topics_url never ends.
const maxPages = 100_000

// run is one Sync call.
type run struct {
	src   *Source
	c     *httpc.Client
	state connector.SyncState
	emit  func(connector.Batch) error
	cur   cursor
	done  int

	categories map[int]category
	// seen holds usernames whose identity this run already emitted.
	seen map[string]bool
	// skips counts what was left out, by reason, for the closing note.
	skips map[string]int
}

type category struct {
	name     string
	question bool
}

func (r *run) progress(total int, what string) {
	if r.state.Progress != nil {
		r.state.Progress(r.done, total, what)
	}
}

func (r *run) skip(why string) { r.skips[why]++ }

// noteSkips reports what the run left out, in one progress note.
func (r *run) noteSkips() {
	if len(r.skips) == 0 {
		return
	}
	whys := make([]string, 0, len(r.skips))
	for why := range r.skips {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	parts := make([]string, len(whys))
	for i, why := range whys {
		parts[i] = fmt.Sprintf("%d %s", r.skips[why], why)
	}
	r.progress(0, "skipped: "+strings.Join(parts, ", "))
}

func (r *run) sync(ctx context.Context) error {
	if err := r.loadCategories(ctx); err != nil {
		return err
	}
	changed, err := r.changedTopics(ctx)
	if err != nil {
		return err
	}
	for i := range changed {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.topic(ctx, &changed[i], len(changed)); err != nil {
			return err
		}
	}
	return nil
}

// loadCategories reads the categories and their subcategories, and which
// of them hold questions.
func (r *run) loadCategories(ctx context.Context) error {
	u := r.src.root + "/categories.json?include_subcategories=true"
	resp, err := r.c.Get(ctx, u, connector.Validator{})
	if err != nil {
		return err
	}
	var cats apiCategories
	if err := r.c.Decode(u, resp.Body, &cats); err != nil {
		return err
	}
	r.categories = map[int]category{}
	var add func(list []apiCategory, parent string)
	add = func(list []apiCategory, parent string) {
		for _, c := range list {
			name := c.Name
			if parent != "" {
				name = parent + "/" + c.Name
			}
			r.categories[c.ID] = category{name: name, question: r.src.isQuestionCategory(c, parent)}
			add(c.SubcategoryList, name)
		}
	}
	add(cats.CategoryList.Categories, "")
	return nil
}

// defaultQuestionWords mark a question category when the config names none.
var defaultQuestionWords = []string{"help", "support", "question", "questions", "q&a", "qa", "q-a", "ask"}

func (s *Source) isQuestionCategory(c apiCategory, parent string) bool {
	name, slug := strings.ToLower(c.Name), strings.ToLower(c.Slug)
	if len(s.names) > 0 {
		return slices.Contains(s.names, name) || slices.Contains(s.names, slug) ||
			slices.Contains(s.names, strings.ToLower(parent+"/"+c.Name))
	}
	words := strings.FieldsFunc(name+" "+strings.ReplaceAll(slug, "-", " "), func(r rune) bool {
		return r == ' ' || r == '/' || r == ',' || r == '(' || r == ')'
	})
	for _, w := range words {
		if slices.Contains(defaultQuestionWords, w) {
			return true
		}
	}
	return false
}

// changedTopics walks /latest.json, newest bump first, down to the cursor,
// and returns the topics bumped since, oldest first. Pinned topics head
// the first page whatever their age, so they never end the walk.
func (r *run) changedTopics(ctx context.Context) ([]apiTopic, error) {
	var out []apiTopic
	listed := map[int]bool{}
	for page := 0; page < maxPages; page++ {
		u := r.src.root + "/latest.json?no_definitions=true&page=" + strconv.Itoa(page)
		resp, err := r.c.Get(ctx, u, connector.Validator{})
		if err != nil {
			return nil, err
		}
		var l apiLatest
		if err := r.c.Decode(u, resp.Body, &l); err != nil {
			return nil, err
		}
		if l.TopicList == nil {
			return nil, r.c.Errorf(u, "no topic_list in the answer")
		}
		older := false
		for _, t := range l.TopicList.Topics {
			if t.ID == 0 {
				r.skip("topics without an id")
				continue
			}
			if t.Archetype != "" && t.Archetype != "regular" {
				continue // private messages, banners
			}
			if !r.cur.after(t.bumped(), t.ID) {
				if !t.Pinned && !t.PinnedGlobally && t.bumped().Before(r.cur.Bumped) {
					older = true
				}
				continue
			}
			if listed[t.ID] {
				continue // a topic bumped while we read moved up a page
			}
			listed[t.ID] = true
			out = append(out, t)
		}
		if older || len(l.TopicList.Topics) == 0 || l.TopicList.MoreTopicsURL == "" {
			break
		}
		r.progress(0, "listing topics")
	}
	sort.SliceStable(out, func(i, j int) bool {
		if bi, bj := out[i].bumped(), out[j].bumped(); !bi.Equal(bj) {
			return bi.Before(bj)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// topic reads one changed topic with all its posts and commits it as one
// batch. A topic gone since it was listed (404) or hidden from this account
// (403) is skipped and counted; the cursor moves past it all the same.
func (r *run) topic(ctx context.Context, listed *apiTopic, total int) error {
	id := strconv.Itoa(listed.ID)
	u := r.src.root + "/t/" + id + ".json"
	resp, err := r.c.Get(ctx, u, connector.Validator{})
	var t apiTopic
	switch {
	case httpc.IsStatus(err, http.StatusNotFound), httpc.IsStatus(err, http.StatusForbidden):
		r.skip("topics gone or hidden")
		return r.commit(connector.Batch{}, listed, total)
	case err != nil:
		return err
	}
	if err := r.c.Decode(u, resp.Body, &t); err != nil {
		return err
	}
	if t.PostStream == nil {
		return r.c.Errorf(u, "no post_stream in the answer")
	}
	posts, err := r.allPosts(ctx, &t)
	if err != nil {
		return err
	}
	b := r.build(&t, posts)
	if r.src.opts.Profiles {
		if err := r.profiles(ctx, &b); err != nil {
			return err
		}
	}
	return r.commit(b, listed, total)
}

// allPosts completes the first chunk of posts with the rest of the stream.
func (r *run) allPosts(ctx context.Context, t *apiTopic) ([]apiPost, error) {
	posts := slices.Clone(t.PostStream.Posts)
	have := map[int64]bool{}
	for _, p := range posts {
		have[p.ID] = true
	}
	var missing []int64
	for _, id := range t.PostStream.Stream {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	for len(missing) > 0 {
		chunk := missing[:min(postsChunk, len(missing))]
		missing = missing[len(chunk):]
		q := url.Values{}
		for _, id := range chunk {
			q.Add("post_ids[]", strconv.FormatInt(id, 10))
		}
		u := r.src.root + "/t/" + strconv.Itoa(t.ID) + "/posts.json?" + q.Encode()
		resp, err := r.c.Get(ctx, u, connector.Validator{})
		if err != nil {
			return nil, err
		}
		var more apiPosts
		if err := r.c.Decode(u, resp.Body, &more); err != nil {
			return nil, err
		}
		if more.PostStream == nil {
			return nil, r.c.Errorf(u, "no post_stream in the answer")
		}
		for _, p := range more.PostStream.Posts {
			if !have[p.ID] {
				have[p.ID] = true
				posts = append(posts, p)
			}
		}
	}
	sort.SliceStable(posts, func(i, j int) bool { return posts[i].PostNumber < posts[j].PostNumber })
	return posts, nil
}

// commit adds the profiles the batch needs and the advanced cursor.
func (r *run) commit(b connector.Batch, listed *apiTopic, total int) error {
	r.cur.advance(listed.bumped(), listed.ID)
	b.Cursor = r.cur.String()
	b.Items = 1
	if err := r.emit(b); err != nil {
		return err
	}
	r.done++
	r.progress(total, "topics")
	return nil
}

// build turns a topic and its posts into activities, identities and, in a
// question category, a question.
func (r *run) build(t *apiTopic, posts []apiPost) connector.Batch {
	var b connector.Batch
	host := r.src.base.Host
	cat := r.categories[t.CategoryID]
	topics := slices.Clone([]string(t.Tags))
	if cat.name != "" {
		topics = append(topics, cat.name)
	}
	topicURL := r.src.root + "/t/" + url.PathEscape(t.Slug) + "/" + strconv.Itoa(t.ID)
	people := map[string]apiPost{}

	var author string
	var replies []model.Reply
	var closed time.Time
	var accepted *apiPost
	for i := range posts {
		p := &posts[i]
		if p.PostType == postSmallAction {
			if p.ActionCode == "closed.enabled" && p.CreatedAt != nil {
				closed = p.CreatedAt.UTC()
			}
			continue // "closed the topic", "pinned"...: not something said
		}
		if p.PostType == postWhisper || p.DeletedAt != nil {
			continue
		}
		if p.CreatedAt == nil {
			r.skip("posts without a time")
			continue
		}
		login := strings.ToLower(strings.TrimSpace(p.Username))
		if login == "" {
			r.skip("posts by deleted accounts")
			if p.PostNumber == 1 {
				author = ""
			} else {
				replies = append(replies, model.Reply{Author: "(deleted)", At: p.CreatedAt.UTC()})
			}
			continue
		}
		people[login] = *p
		kind, ext := model.KindComment, host+"/p/"+strconv.FormatInt(p.ID, 10)
		if p.PostNumber == 1 {
			author = login
			kind, ext = model.KindPost, host+"/t/"+strconv.Itoa(t.ID)
			if cat.question {
				kind = model.KindQuestion
			}
		} else {
			replies = append(replies, model.Reply{Author: login, Bot: r.src.isBot(p), At: p.CreatedAt.UTC()})
		}
		b.Activities = append(b.Activities, model.Activity{
			Source: SourceName, ExternalID: ext, Actor: login, Kind: kind, At: p.CreatedAt.UTC(),
			Channel: cat.name, URL: topicURL + "/" + strconv.Itoa(p.PostNumber), Title: t.Title, Topics: topics,
		})
		if p.AcceptedAnswer || (t.AcceptedAnswer != nil && t.AcceptedAnswer.PostNumber == p.PostNumber && p.PostNumber > 1) {
			accepted = p
		}
	}
	if a := accepted; a != nil && strings.ToLower(a.Username) != author {
		// Answering your own question is not a contribution to others.
		b.Activities = append(b.Activities, model.Activity{
			Source: SourceName, ExternalID: host + "/p/" + strconv.FormatInt(a.ID, 10) + "/accepted",
			Actor: strings.ToLower(a.Username), Kind: model.KindAcceptedAnswer, At: a.CreatedAt.UTC(),
			Channel: cat.name, URL: topicURL + "/" + strconv.Itoa(a.PostNumber), Title: t.Title, Topics: topics,
		})
	}
	if cat.question {
		q := connector.QuestionRecord{
			Question: model.Question{
				Source: SourceName, ExternalID: host + "/t/" + strconv.Itoa(t.ID), Channel: cat.name,
				URL: topicURL, Title: t.Title, Created: t.CreatedAt.UTC(), Closed: closed,
				Accepted: accepted != nil || t.AcceptedAnswer != nil, Topics: topics,
			},
			AuthorID: author,
		}
		if len(posts) > 0 && posts[0].PostNumber == 1 {
			q.Author = posts[0].Username
			if q.Author == "" {
				q.Author = "(deleted)"
			}
			q.Body = model.FirstLine(stripTags(posts[0].Cooked))
		}
		if first, ok := model.FirstResponse(author, replies); ok {
			q.FirstResponse = first.At
			if p, ok := people[first.Author]; ok {
				q.ResponderID, q.Responder = first.Author, p.Username
			}
		}
		b.Questions = append(b.Questions, q)
	}
	logins := make([]string, 0, len(people))
	for l := range people {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	for _, l := range logins {
		if r.seen[l] {
			continue
		}
		r.seen[l] = true
		p := people[l]
		b.Identities = append(b.Identities, model.Identity{
			Source: SourceName, ExternalID: l, Username: p.Username, Name: strings.TrimSpace(p.Name),
			URL: r.src.root + "/u/" + url.PathEscape(p.Username), Bot: r.src.isBot(&p),
		})
	}
	return b
}

// profiles completes the batch's identities from /u/{username}.json. A
// user the forum does not know (404: deleted, renamed, hidden) keeps what
// the posts said and is counted.
func (r *run) profiles(ctx context.Context, b *connector.Batch) error {
	for i := range b.Identities {
		id := &b.Identities[i]
		if id.Bot {
			continue
		}
		u := r.src.root + "/u/" + url.PathEscape(id.Username) + ".json"
		resp, err := r.c.Get(ctx, u, connector.Validator{})
		if httpc.IsStatus(err, http.StatusNotFound) {
			r.skip("profiles not found")
			continue
		}
		if err != nil {
			return err
		}
		var up apiUserPage
		if err := r.c.Decode(u, resp.Body, &up); err != nil {
			return err
		}
		if up.User == nil {
			return r.c.Errorf(u, "no user in the answer")
		}
		if n := strings.TrimSpace(up.User.Name); n != "" {
			id.Name = n
		}
		id.Location = strings.TrimSpace(up.User.Location)
		id.Bio = model.FirstLine(strings.TrimSpace(up.User.BioRaw))
		id.Website = strings.TrimSpace(up.User.Website)
	}
	return nil
}

// isBot: Discourse's system user and its discobot, and the patterns of the
// config.
func (s *Source) isBot(p *apiPost) bool {
	switch strings.ToLower(p.Username) {
	case "system", "discobot":
		return true
	}
	return s.bots.IsBotAccount("", p.Username, p.Name, "")
}

// stripTags turns the cooked HTML of a post into plain text, enough for a
// question's preview line.
func stripTags(html string) string {
	var sb strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
			sb.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			sb.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(sb.String()), " ")
}
