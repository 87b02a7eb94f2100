package model

import "testing"

// Every kind keeps its name and what it counts as; any other kind is
// ActOther, which counts as neither.
func TestActKindAgreesWithKind(t *testing.T) {
	kinds := []Kind{KindCommit, KindPROpened, KindPRMerged, KindPRClosed, KindReview, KindMergedOther, KindIssueOpened,
		KindComment, KindQuestion, KindAnswer, KindAcceptedAnswer, KindPost, KindMessage, KindTalk, KindDocChange, KindRSVP, KindStar}
	seen := map[ActKind]bool{}
	for _, k := range kinds {
		a := ActKindOf(k)
		if a == ActOther || seen[a] || a.Kind() != k || a.IsContribution() != k.IsContribution() || a.IsStewardship() != k.IsStewardship() {
			t.Errorf("%s: ActKind %d, named %q, contribution %v, stewardship %v", k, a, a.Kind(), a.IsContribution(), a.IsStewardship())
		}
		seen[a] = true
	}
	if len(seen) != len(actKinds)-1 {
		t.Errorf("%d kinds listed, %d ActKinds", len(seen), len(actKinds)-1)
	}
	for _, k := range []Kind{"", "tagged", "wiki_edit", "COMMIT"} {
		if a := ActKindOf(k); a != ActOther || a.IsContribution() || a.IsStewardship() {
			t.Errorf("%q is ActKind %d", k, a)
		}
	}
}
