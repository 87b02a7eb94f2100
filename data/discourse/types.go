package discourse

import (
	"encoding/json"
	"time"
)

// The shapes below are the parts of Discourse's JSON API that hearth reads;
// everything else in a response is ignored.

type apiCategories struct {
	CategoryList struct {
		Categories []apiCategory `json:"categories"`
	} `json:"category_list"`
}

type apiCategory struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	// SubcategoryList is there when asked for with include_subcategories.
	SubcategoryList []apiCategory `json:"subcategory_list"`
}

type apiLatest struct {
	TopicList *struct {
		MoreTopicsURL string     `json:"more_topics_url"`
		Topics        []apiTopic `json:"topics"`
	} `json:"topic_list"`
}

// apiTopic is a topic as /latest.json lists it and /t/{id}.json returns it.
type apiTopic struct {
	ID             int        `json:"id"`
	Title          string     `json:"title"`
	Slug           string     `json:"slug"`
	CategoryID     int        `json:"category_id"`
	Tags           tags       `json:"tags"`
	CreatedAt      time.Time  `json:"created_at"`
	BumpedAt       *time.Time `json:"bumped_at"`
	LastPostedAt   *time.Time `json:"last_posted_at"`
	Pinned         bool       `json:"pinned"`
	PinnedGlobally bool       `json:"pinned_globally"`
	Archetype      string     `json:"archetype"`
	PostStream     *struct {
		Posts  []apiPost `json:"posts"`
		Stream []int64   `json:"stream"`
	} `json:"post_stream"`
	// AcceptedAnswer is the solved plugin's summary of the solution.
	AcceptedAnswer *struct {
		PostNumber int    `json:"post_number"`
		Username   string `json:"username"`
	} `json:"accepted_answer"`
}

// bumped is when the topic last moved to the top of /latest.
func (t *apiTopic) bumped() time.Time {
	switch {
	case t.BumpedAt != nil:
		return t.BumpedAt.UTC()
	case t.LastPostedAt != nil:
		return t.LastPostedAt.UTC()
	}
	return t.CreatedAt.UTC()
}

type apiPosts struct {
	PostStream *struct {
		Posts []apiPost `json:"posts"`
	} `json:"post_stream"`
}

// Post types, as Discourse numbers them.
const (
	postSmallAction = 3
	postWhisper     = 4
)

type apiPost struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Username       string     `json:"username"`
	CreatedAt      *time.Time `json:"created_at"`
	PostNumber     int        `json:"post_number"`
	PostType       int        `json:"post_type"`
	ActionCode     string     `json:"action_code"`
	Cooked         string     `json:"cooked"`
	DeletedAt      *time.Time `json:"deleted_at"`
	AcceptedAnswer bool       `json:"accepted_answer"`
}

type apiUserPage struct {
	User *struct {
		Name     string `json:"name"`
		Location string `json:"location"`
		BioRaw   string `json:"bio_raw"`
		Website  string `json:"website"`
		Title    string `json:"title"`
	} `json:"user"`
}

// tags reads a topic's tags, which Discourse sends as names, or on newer
// versions as objects with a name.
type tags []string

func (t *tags) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		var o struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(r, &o); err != nil {
			return err
		}
		out = append(out, o.Name)
	}
	*t = out
	return nil
}
