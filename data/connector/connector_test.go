package connector

import (
	"context"
	"errors"
	"testing"
)

func TestSkips(t *testing.T) {
	var none Skips
	if none.Total() != 0 || none.String() != "0 malformed skipped" {
		t.Errorf("no skips: %d %q", none.Total(), none)
	}
	s := Skips{"no sender": 1, "no date": 2}
	if s.Total() != 3 || s.String() != "3 malformed skipped (1 no sender, 2 no date)" {
		t.Errorf("skips: %d %q", s.Total(), s)
	}
}

func TestEach(t *testing.T) {
	var seen []int
	stop := errors.New("stop")
	err := Each(context.Background(), []int{1, 2, 3}, func(n int) error {
		seen = append(seen, n)
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || len(seen) != 2 {
		t.Errorf("stopped with %v after %v", err, seen)
	}
	// Cancelled: the context's error wins over fn's, and nothing more runs.
	ctx, cancel := context.WithCancel(context.Background())
	seen = nil
	err = Each(ctx, []int{1, 2, 3}, func(n int) error {
		seen = append(seen, n)
		cancel()
		return errors.New("read failed because the run was stopped")
	})
	if !errors.Is(err, context.Canceled) || len(seen) != 1 {
		t.Errorf("cancelled run: %v after %v", err, seen)
	}
}
