package ui

import (
	"context"
	"strings"
	"sync"

	"hearth/model"
)

// questionsShare is the Questions tab's open questions and their filter
// index, read once per view (everything for managers, the public view for
// viewers) and shared by every program of a server: at 100,000 members
// they took about 3 MB per session. Nothing in a share is written after it
// is built; a program that shows a triage it wrote at once works on its
// own copy (questionsTab.applyTriage) until it reloads.
//
// Directory.Refresh drops the shares, and so does a triage write
// (dropQuestions), so that the next program to reload reads the store
// again.
type questionsShare struct {
	done chan struct{} // closed once qs or err is set
	qs   []model.Question
	err  error
	// filter indexes every question of qs, built the first time a
	// program lists them; a queue's list takes the subset of its rows.
	filter func() *model.Filter
}

// openQuestions returns the open questions for the view private, reading
// the store when no program has yet; programs asking meanwhile wait for
// the same read.
func (d *Directory) openQuestions(ctx context.Context, private bool) (*questionsShare, error) {
	d.mu.Lock()
	s := d.questions[view(private)]
	if s == nil {
		s = &questionsShare{done: make(chan struct{})}
		s.filter = sync.OnceValue(func() *model.Filter { return questionsFilter(s.qs, countTo(len(s.qs))) })
		d.questions[view(private)] = s
		d.questionReads++
		go d.readQuestions(s, private)
	}
	d.mu.Unlock()
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		// The next program to ask reads again.
		d.dropQuestionShare(s, private)
		return nil, s.err
	}
	return s, nil
}

// readQuestions reads the open questions on the server's context: a
// session that leaves meanwhile must not fail the read for the others.
func (d *Directory) readQuestions(s *questionsShare, private bool) {
	defer close(s.done)
	qs, err := d.store.OpenQuestions(d.ctx, 0)
	if err != nil {
		s.err = err
		return
	}
	if private {
		for i := range qs {
			qs[i] = publicQuestion(qs[i])
		}
	}
	s.qs = qs
}

// dropQuestionShare forgets s if it is still the share for private.
func (d *Directory) dropQuestionShare(s *questionsShare, private bool) {
	d.mu.Lock()
	if d.questions[view(private)] == s {
		d.questions[view(private)] = nil
	}
	d.mu.Unlock()
}

// dropQuestions forgets both views' questions after a triage write, so
// that other programs see it once they reload; the members and the
// health overviews stay (a triage changes neither). Without a directory
// (the local TUI) there is nothing to drop.
func (d *Directory) dropQuestions() {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.questions = [2]*questionsShare{}
	d.mu.Unlock()
}

// QuestionReads is how many times the open questions were read from the
// store, for tests.
func (d *Directory) QuestionReads() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.questionReads
}

// questionsFilter indexes the questions qs[r] of rows, in that order, by
// the text the Questions tab's filter searches.
func questionsFilter(qs []model.Question, rows []int32) *model.Filter {
	texts := make([]string, len(rows))
	for i, r := range rows {
		q := &qs[r]
		texts[i] = strings.Join([]string{q.Title, q.Source, q.Channel, q.Author, strings.Join(q.Topics, " "),
			q.Triage.Assignee, q.Triage.Status, q.Triage.Note}, "\n")
	}
	return model.NewFilter(texts)
}
