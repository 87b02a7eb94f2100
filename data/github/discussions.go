package github

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hearth/data/connector"
	"hearth/data/httpc"
	"hearth/model"
)

// discussionsPage is how many discussions one GraphQL request asks for;
// with up to 50 comments each, the query stays well inside GitHub's node
// limits. Later comments of very long threads are not read.
const discussionsPage = 50

// discussionsQuery lists discussions, most recently updated first: the
// GraphQL API has no "since", so the listing stops at the first discussion
// older than the cursor.
const discussionsQuery = `query($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    hasDiscussionsEnabled
    discussions(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number title body url createdAt updatedAt closedAt
        author { login __typename }
        category { name isAnswerable }
        labels(first: 20) { nodes { name } }
        answer { databaseId url createdAt author { login __typename } }
        comments(first: 50) { totalCount nodes { databaseId url createdAt author { login __typename } } }
      }
    }
  }
}`

type gqlActor struct {
	Login    string `json:"login"`
	Typename string `json:"__typename"`
}

func (a *gqlActor) user() *apiUser {
	if a == nil {
		return nil
	}
	return &apiUser{Login: a.Login, Type: a.Typename}
}

type gqlComment struct {
	DatabaseID int64     `json:"databaseId"`
	URL        string    `json:"url"`
	CreatedAt  time.Time `json:"createdAt"`
	Author     *gqlActor `json:"author"`
}

type gqlDiscussion struct {
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	URL       string     `json:"url"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	ClosedAt  *time.Time `json:"closedAt"`
	Author    *gqlActor  `json:"author"`
	Category  struct {
		Name         string `json:"name"`
		IsAnswerable bool   `json:"isAnswerable"`
	} `json:"category"`
	Labels struct {
		Nodes []apiLabel `json:"nodes"`
	} `json:"labels"`
	Answer   *gqlComment `json:"answer"`
	Comments struct {
		Nodes []gqlComment `json:"nodes"`
	} `json:"comments"`
}

type gqlResponse struct {
	Data struct {
		Repository *struct {
			HasDiscussionsEnabled bool `json:"hasDiscussionsEnabled"`
			Discussions           struct {
				PageInfo struct {
					HasNextPage bool   `json:"hasNextPage"`
					EndCursor   string `json:"endCursor"`
				} `json:"pageInfo"`
				Nodes []gqlDiscussion `json:"nodes"`
			} `json:"discussions"`
		} `json:"repository"`
	} `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// graphqlURL is /graphql next to the REST root; on Enterprise Server the
// REST root is /api/v3 and GraphQL lives at /api/graphql.
func (s *Source) graphqlURL() string {
	if base, ok := strings.CutSuffix(s.opts.APIURL, "/api/v3"); ok {
		return base + "/api/graphql"
	}
	return s.opts.APIURL + "/graphql"
}

// syncDiscussions reads Discussions through GraphQL. A missing token or a
// server without GraphQL skips them with a note: the rest of the sync is
// still worth having.
func (r *run) syncDiscussions(ctx context.Context) error {
	if r.src.opts.Token == "" {
		r.progress("discussions skipped: GitHub's GraphQL API needs a token")
		return nil
	}
	u := r.src.graphqlURL()
	since := r.cur.Discussions
	r.since = since
	newest := since
	after := ""
	for {
		vars := map[string]any{"owner": r.src.owner, "name": r.src.name, "first": discussionsPage}
		if after != "" {
			vars["after"] = after
		}
		body, _ := json.Marshal(map[string]any{"query": discussionsQuery, "variables": vars}) // plain values: cannot fail
		resp, err := r.c.post(ctx, u, body)
		var se *httpc.StatusError
		if errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusUnauthorized && after == "") {
			r.progress("discussions skipped: " + u + " answered " + strconv.Itoa(se.Status))
			return nil
		}
		if err != nil {
			return err
		}
		var g gqlResponse
		if err := decode(u, resp.Body, &g); err != nil {
			return err
		}
		if len(g.Errors) > 0 {
			return errors.New("github: " + u + ": GraphQL: " + g.Errors[0].Message)
		}
		repo := g.Data.Repository
		if repo == nil || !repo.HasDiscussionsEnabled {
			return nil
		}
		b := newBuilder()
		done := !repo.Discussions.PageInfo.HasNextPage
		for i := range repo.Discussions.Nodes {
			d := &repo.Discussions.Nodes[i]
			if !since.IsZero() && d.UpdatedAt.Before(since) {
				done = true // newest first: everything after is older still
				break
			}
			r.discussion(d, b)
			if r.fresh("discussion/"+strconv.Itoa(d.Number), d.UpdatedAt) {
				b.Items++
			}
			if d.UpdatedAt.After(newest) {
				newest = d.UpdatedAt
			}
		}
		// The cursor may only move once every discussion newer than the
		// old one has been committed, i.e. with the last page.
		if done {
			r.cur.Discussions = newest
		}
		if err := r.commit(ctx, b, "discussions"); err != nil {
			return err
		}
		if done {
			return nil
		}
		after = repo.Discussions.PageInfo.EndCursor
	}
}

func (r *run) discussion(d *gqlDiscussion, b *builder) {
	num := strconv.Itoa(d.Number)
	topics := labelNames(d.Labels.Nodes)
	if d.Category.Name != "" {
		topics = append(topics, d.Category.Name)
	}
	author := d.Author.user()
	authorID := b.person(author)
	kind := model.KindPost
	if d.Category.IsAnswerable {
		kind = model.KindQuestion
	}
	r.activity(b, author, kind, "discussion/"+num, d.CreatedAt, d.URL, d.Title, topics)

	replies := make([]model.Reply, 0, len(d.Comments.Nodes))
	for _, c := range d.Comments.Nodes {
		cu := c.Author.user()
		r.activity(b, cu, model.KindComment, "discussion-comment/"+strconv.FormatInt(c.DatabaseID, 10),
			c.CreatedAt, c.URL, d.Title, topics)
		replies = append(replies, model.Reply{Author: replyKey(cu), Bot: r.src.isBot(cu), At: c.CreatedAt})
	}
	if a := d.Answer; a != nil && loginOf(a.Author.user()) != authorID {
		// Answering your own question is not a contribution to others.
		r.activity(b, a.Author.user(), model.KindAcceptedAnswer, "discussion/"+num+"/answer",
			a.CreatedAt, a.URL, d.Title, topics)
	}
	if !d.Category.IsAnswerable {
		return
	}
	q := connector.QuestionRecord{
		Question: model.Question{
			Source:     SourceName,
			ExternalID: "discussion/" + num,
			Channel:    r.src.Repo(),
			URL:        d.URL,
			Title:      d.Title,
			Body:       d.Body,
			Author:     userLogin(author),
			Created:    d.CreatedAt.UTC(),
			Accepted:   d.Answer != nil,
			Topics:     topics,
		},
		AuthorID: authorID,
	}
	if d.ClosedAt != nil {
		q.Closed = d.ClosedAt.UTC()
	}
	if first, ok := model.FirstResponse(authorID, replies); ok {
		q.FirstResponse = first.At.UTC()
		for _, c := range d.Comments.Nodes {
			if cu := c.Author.user(); replyKey(cu) == first.Author {
				q.ResponderID = b.person(cu)
				q.Responder = userLogin(cu)
				break
			}
		}
	}
	b.Questions = append(b.Questions, q)
}
