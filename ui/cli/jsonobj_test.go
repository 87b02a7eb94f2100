package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"hearth/data/store"
)

// encodingJSON is what encoding/json writes for v with HTML escaping off,
// without the trailing newline: the reference the hand-written encoder
// must equal byte for byte.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func TestJSONObjectMatchesEncodingJSON(t *testing.T) {
	hostile := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\r", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "bad utf8 \xff\xfe end", "line sep \u2028 para \u2029", "emoji 🦊 ü 漢字"}
	at := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("X", 3600))
	for _, s := range hostile {
		recs := []jsonAppender{
			&memberRecord{ID: -7, Name: s, Handles: []string{s, "@x"}, Emails: nil, Org: s, Stage: s, New: true,
				Activities: 12, Contributions: 3, FirstActive: at, Topics: []string{}},
			&questionRecord{ID: 1, Source: s, Channel: s, URL: s, Title: s, Author: s, Created: at.UTC(),
				Age: s, AgeSeconds: 99, Topics: []string{s}, Assignee: s, Status: s},
			&eventRecord{UID: s, Source: s, Start: at, End: at.Add(time.Hour), Name: s, Kind: s, Place: s, URL: s,
				CFPURL: s, Upcoming: true, SpeakerCount: 2, SpeakerNames: []string{s, s}},
			&memberRecord{},
			&questionRecord{},
			&eventRecord{},
		}
		for _, r := range recs {
			if got, want := string(r.appendJSON(nil)), encodingJSON(t, r); got != want {
				t.Errorf("%T of %q:\n got %s\nwant %s", r, s, got, want)
			}
		}
	}

	// Every record of a demo community, as the commands build them.
	env := newTestEnv(t)
	st, err := store.Open(context.Background(), smallDemo(t, env), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ms, err := st.Members(ctx)
	if err != nil || len(ms) == 0 {
		t.Fatalf("members: %v", err)
	}
	labels, err := st.MemberLabels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := st.MemberIdentityKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		r := newMemberRecord(&ms[i], labels[ms[i].ID], keys[ms[i].ID])
		if got, want := string(r.appendJSON(nil)), encodingJSON(t, &r); got != want {
			t.Fatalf("member %d:\n got %s\nwant %s", ms[i].ID, got, want)
		}
	}
	dups, err := st.Duplicates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range dups {
		r := newDuplicateRecord(&dups[i])
		if got, want := string(r.appendJSON(nil)), encodingJSON(t, &r); got != want {
			t.Fatalf("duplicate %d:\n got %s\nwant %s", i, got, want)
		}
	}
	qs, err := st.UnansweredQuestions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range qs {
		r := newQuestionRecord(&qs[i], now)
		if got, want := string(r.appendJSON(nil)), encodingJSON(t, &r); got != want {
			t.Fatalf("question %d:\n got %s\nwant %s", qs[i].ID, got, want)
		}
	}
	es, err := st.Events(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := range es {
		full, err := st.Event(ctx, es[i].UID)
		if err != nil {
			t.Fatal(err)
		}
		r := newEventRecord(&full, now)
		if got, want := string(r.appendJSON(nil)), encodingJSON(t, &r); got != want {
			t.Fatalf("event %s:\n got %s\nwant %s", es[i].UID, got, want)
		}
	}
}
