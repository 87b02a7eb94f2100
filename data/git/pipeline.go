package git

import "context"

// chunk is one batch's worth of parsed commits and the cursor that will be
// stored with it.
type chunk struct {
	commits []commit
	cursor  string
	final   bool
}

// pipeline builds and writes batches on a second goroutine, one chunk
// behind the reader: while a batch is built (including the `git
// check-mailmap` it may need) and written by the engine, git keeps
// producing and the parser keeps reading. On two cores this hides most of
// that work (a whole sync of 20,000 commits into a new database: about 1.2×
// the time of `git log` alone). Chunks keep their order; the first error
// stops the run.
type pipeline struct {
	chunks chan chunk
	done   chan struct{}
	err    error // written before done is closed
	// ctx is cancelled when writing fails, so that the reader stops too.
	ctx  context.Context
	stop context.CancelFunc
}

func startPipeline(ctx context.Context, write func(context.Context, chunk) error) *pipeline {
	ctx, stop := context.WithCancel(ctx)
	p := &pipeline{chunks: make(chan chunk), done: make(chan struct{}), ctx: ctx, stop: stop}
	go func() {
		defer close(p.done)
		for c := range p.chunks {
			// A chunk handed over just before a cancellation is not
			// written: cancelled means no more batches.
			err := ctx.Err()
			if err == nil {
				err = write(ctx, c)
			}
			if err != nil {
				p.err = err
				stop()
				return
			}
		}
	}()
	return p
}

// send queues c. It waits while the previous chunk is still being written,
// and reports the writer's error once it has failed.
func (p *pipeline) send(c chunk) error {
	select {
	case p.chunks <- c:
		return nil
	case <-p.done:
		return p.err
	}
}

// finish waits until every queued chunk is written and returns the
// writer's error, if any.
func (p *pipeline) finish() error {
	close(p.chunks)
	<-p.done
	p.stop()
	return p.err
}
