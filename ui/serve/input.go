package serve

import (
	"context"
	"io"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// feedInput reads the session's keys and hands them to its program until
// ctx ends or the session's input does.
//
// Bubble Tea can read the input itself, but its reader sends every key
// it decoded to the program's event loop with nothing to stop it: when a
// program ends with keys still decoded and not yet taken (a client that
// hangs up while typing, or types past its q), that reader waits for the
// ended loop forever and keeps the whole program in memory. Here the
// reader sends to a goroutine of the server that hands each key to the
// program while it runs and drops the rest, so both end with the session.
func feedInput(ctx context.Context, p *tea.Program, r io.Reader, term string) {
	events := make(chan uv.Event)
	streamed := make(chan struct{})
	go func() {
		defer close(streamed)
		_ = uv.NewTerminalReader(r, term).StreamEvents(ctx, events)
	}()
	go func() {
		for {
			select {
			case ev := <-events:
				p.Send(ev) // returns at once once the program has ended
			case <-streamed:
				return
			}
		}
	}()
}
