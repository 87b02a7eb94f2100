package model

// ActKind is an activity's kind as the health figures keep it, a byte:
// at 100,000 members they hold five million activities, which a string
// each made 120 MB the collector had to walk. Kinds the figures do not
// tell apart (any kind not listed in stage.go) are ActOther.
type ActKind uint8

// The kinds of stage.go, in their order; ActOther is any other.
const (
	ActOther ActKind = iota
	ActCommit
	ActPROpened
	ActPRMerged
	ActPRClosed
	ActReview
	ActMergedOther
	ActIssueOpened
	ActComment
	ActQuestion
	ActAnswer
	ActAcceptedAnswer
	ActPost
	ActMessage
	ActTalk
	ActDocChange
	ActRSVP
	ActStar
)

// actKinds names each ActKind; never written.
var actKinds = [...]Kind{ActOther: "", ActCommit: KindCommit, ActPROpened: KindPROpened, ActPRMerged: KindPRMerged,
	ActPRClosed: KindPRClosed, ActReview: KindReview, ActMergedOther: KindMergedOther, ActIssueOpened: KindIssueOpened,
	ActComment: KindComment, ActQuestion: KindQuestion, ActAnswer: KindAnswer, ActAcceptedAnswer: KindAcceptedAnswer,
	ActPost: KindPost, ActMessage: KindMessage, ActTalk: KindTalk, ActDocChange: KindDocChange, ActRSVP: KindRSVP,
	ActStar: KindStar}

// ActKindOf is k as an ActKind.
func ActKindOf(k Kind) ActKind {
	for i, x := range actKinds {
		if x == k && i != int(ActOther) {
			return ActKind(i)
		}
	}
	return ActOther
}

// Kind is the kind a is; "" for ActOther.
func (a ActKind) Kind() Kind {
	if int(a) < len(actKinds) {
		return actKinds[a]
	}
	return ""
}

// IsContribution is Kind.IsContribution.
func (a ActKind) IsContribution() bool {
	switch a {
	case ActCommit, ActPRMerged, ActAcceptedAnswer, ActTalk, ActDocChange:
		return true
	}
	return false
}

// IsStewardship is Kind.IsStewardship.
func (a ActKind) IsStewardship() bool { return a == ActReview || a == ActMergedOther }
