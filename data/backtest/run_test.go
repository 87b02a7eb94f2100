package backtest

import (
	"strings"
	"testing"
	"time"
)

func TestParseLog(t *testing.T) {
	in := "\x1eAda <ada@example.org>\x1f1700000000\n\nnet/tls/conn.go\nREADME\n" +
		"\x1eBob <bob@example.org>\x1f1700000100\n\n" +
		"\x1eAda <ada@example.org>\x1f1700000200\n\nsp ace/é.c\n"
	got, err := ParseLog(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Author != "Ada <ada@example.org>" || len(got[0].Paths) != 2 ||
		got[0].Paths[1] != "README" || len(got[1].Paths) != 0 || got[2].Paths[0] != "sp ace/é.c" ||
		!got[1].At.Equal(time.Unix(1700000100, 0)) {
		t.Fatalf("parsed %+v", got)
	}
	for _, bad := range []string{"orphan/path\n", "\x1eno separator\n", "\x1eA\x1fnot-a-time\n"} {
		if _, err := ParseLog(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseLog(%q) succeeded", bad)
		}
	}
}

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func commit(author string, day int, paths ...string) Commit {
	return Commit{Author: author, At: t0.AddDate(0, 0, day), Paths: paths}
}

func TestRunScoresTheAuthorAgainstEarlierHistory(t *testing.T) {
	commits := []Commit{
		commit("ann", 0, "net/a.c"), commit("ann", 1, "net/b.c"),
		commit("bob", 2, "ui/x.c"), commit("bob", 3, "ui/y.c"), commit("bob", 4, "ui/z.c"),
		// Held out: ann in net/ and bob in ui/ (the model ranks each first;
		// the baseline ranks each second: bob has more commits at day 10,
		// and at day 11 ann ties with him and committed more recently),
		// then cat, who never committed before (not a question).
		commit("ann", 10, "net/c.c"),
		commit("bob", 11, "ui/w.c"),
		commit("cat", 12, "net/a.c"),
	}
	res := Run(commits, Options{Holdout: 3})
	if res.Commits != 8 || res.Held != 3 || res.Questions != 2 {
		t.Fatalf("counts %+v", res)
	}
	if res.Model.Top1 != 1 || res.Model.MRR != 1 {
		t.Errorf("model %+v, want every author first", res.Model)
	}
	if res.Baseline.Top1 != 0 || res.Baseline.Top5 != 1 || res.Baseline.MRR != 0.5 {
		t.Errorf("baseline %+v, want ranks 2 and 2", res.Baseline)
	}
	if !strings.Contains(res.Table(), "| expertise | 100.0% | 100.0% | 100.0% | 1.000 |") {
		t.Errorf("table:\n%s", res.Table())
	}
}

// TestRunNeverSeesTheFuture: a held-out commit's author whose only other
// commits are at the same moment or later is not a question, and history at
// or after the question's time does not change its answer.
func TestRunNeverSeesTheFuture(t *testing.T) {
	commits := []Commit{
		commit("ann", 0, "net/a.c"),
		commit("bob", 5, "net/a.c"), // same moment as the question below
		commit("bob", 5, "net/a.c"),
		commit("bob", 6, "net/a.c"),
	}
	res := Run(commits, Options{Holdout: 2})
	// The two held-out commits are bob's at day 5 (second) and day 6. At
	// day 5 bob has nothing strictly earlier, so only day 6 asks, and by
	// then bob's two commits at day 5 outweigh ann's one.
	if res.Questions != 1 || res.Model.Top1 != 1 {
		t.Fatalf("%+v", res)
	}
	// Only the question at day 5: bob is unseen, so nothing is asked.
	if res := Run(commits[:3], Options{Holdout: 1}); res.Questions != 0 {
		t.Fatalf("asked with the future: %+v", res)
	}
}

func TestHoldoutSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{{"", 2000}, {"500", 500}, {"10%", 100}} {
		if got, err := holdoutSize(c.in, 1000); err != nil || got != c.want {
			t.Errorf("holdoutSize(%q) = %d, %v", c.in, got, err)
		}
	}
	if _, err := holdoutSize("x%", 10); err == nil {
		t.Error("holdoutSize(x%) succeeded")
	}
}
