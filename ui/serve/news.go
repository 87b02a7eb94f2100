package serve

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"hearth/ui"
)

// mailboxSize bounds the news a session holds: only a program that stopped
// reading its messages lets them pile up, and it needs no more.
const mailboxSize = 8

// mailbox holds a session's sync news until its program takes them. A
// sync reports progress far more often than a slow client draws, so
// progress news replaces progress news not yet taken: the sync never waits
// for a session, and a session gets the newest report, in order, and
// always the end.
type mailbox struct {
	mu    sync.Mutex
	queue []ui.SyncNews
	wake  chan struct{} // holds one token while the queue has news
}

func newMailbox() mailbox {
	return mailbox{wake: make(chan struct{}, 1)}
}

// post adds n to the queue without waiting.
func (b *mailbox) post(n ui.SyncNews) {
	b.mu.Lock()
	k := len(b.queue)
	switch {
	case k > 0 && !n.Done && !b.queue[k-1].Done:
		b.queue[k-1] = n
	case k >= mailboxSize:
		b.queue = append(b.queue[1:], n)
	default:
		b.queue = append(b.queue, n)
	}
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// take empties the queue.
func (b *mailbox) take() []ui.SyncNews {
	b.mu.Lock()
	defer b.mu.Unlock()
	q := b.queue
	b.queue = nil
	return q
}

// forwardNews hands the session's news to its program, in order, until
// the function it returns is called. News that comes before the program
// has started is dropped: the program reads the database fresh anyway.
func (st *session) forwardNews() (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-done:
				return
			case <-st.news.wake:
			}
			st.mu.Lock()
			p := st.program
			st.mu.Unlock()
			for _, n := range st.news.take() {
				if p != nil {
					send(p, n, done)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// send gives msg to p unless done closes first. Program.Send waits for
// the program's event loop, and returns when the program has ended.
func send(p *tea.Program, msg tea.Msg, done <-chan struct{}) {
	sent := make(chan struct{})
	go func() {
		p.Send(msg)
		close(sent)
	}()
	select {
	case <-sent:
	case <-done:
	}
}
