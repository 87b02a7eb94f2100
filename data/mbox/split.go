package mbox

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxMessage bounds the bytes kept of one message; a larger one (a huge
// attachment, or a file that is not mbox and has no separators) is
// skipped without holding it in memory.
const maxMessage = 64 << 20

// chunk is one message as split from the stream, or the data before the
// first separator.
type chunk struct {
	raw       []byte // after the "From " line; valid until the next call
	at, end   int64  // stream offsets of its first byte and past its last
	sep       bool   // it starts with a "From " separator (false: leading data)
	truncated bool   // the stream broke off inside it
	tooLarge  bool
}

// splitter cuts an mbox stream into messages. A message starts with a line
// beginning "From " at the start of the stream or after an empty line
// (mboxo and mboxrd both quote body lines that would look so as ">From ").
// It reads the stream in large slices and copies each byte once.
type splitter struct {
	r         *bufio.Reader
	base      int64 // offset of the stream's first byte (a resumed read)
	off       int64 // offset of the next byte to read
	lineStart bool  // the next byte starts a line
	prevBlank bool  // the last complete line was empty
	buf       []byte
	cur       chunk
	open      bool  // cur has begun
	pending   bool  // a separator was read: the next chunk starts at pendAt
	pendAt    int64 //
	err       error // the stream's error, returned once the chunks before it are
}

func newSplitter(r io.Reader, base int64) *splitter {
	return &splitter{r: bufio.NewReaderSize(r, 1<<20), base: base, off: base, lineStart: true, buf: make([]byte, 0, 64<<10)}
}

// next returns the next chunk, io.EOF at the end, or the stream's error
// after the (truncated) chunk it broke.
func (s *splitter) next() (chunk, error) {
	if s.err != nil {
		return chunk{}, s.err
	}
	if s.pending {
		s.begin(s.pendAt, true)
		s.pending = false
	}
	for {
		segAt := s.off
		seg, err := s.r.ReadSlice('\n')
		s.off += int64(len(seg))
		startsLine := s.lineStart
		s.lineStart = len(seg) > 0 && seg[len(seg)-1] == '\n'
		if len(seg) > 0 {
			if startsLine && bytes.HasPrefix(seg, fromLine) && (s.prevBlank || segAt == s.base) {
				s.prevBlank = false
				if s.open {
					s.pending, s.pendAt = true, segAt
					return s.finish(segAt), nil
				}
				s.begin(segAt, true)
				continue
			}
			s.prevBlank = startsLine && s.lineStart && isBlank(seg)
			if !s.open {
				s.begin(segAt, false)
			}
			if len(s.buf)+len(seg) > maxMessage {
				s.cur.tooLarge = true
			} else if !s.cur.tooLarge {
				s.buf = append(s.buf, seg...)
			}
		}
		switch {
		case err == nil || errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			s.err = io.EOF
			if s.open {
				return s.finish(s.off), nil
			}
			return chunk{}, io.EOF
		default:
			s.err = err
			if s.open {
				c := s.finish(s.off)
				c.truncated = true
				return c, nil
			}
			return chunk{}, err
		}
	}
}

var fromLine = []byte("From ")

func (s *splitter) begin(at int64, sep bool) {
	s.buf = s.buf[:0]
	s.cur = chunk{at: at, sep: sep}
	s.open = true
}

func (s *splitter) finish(end int64) chunk {
	c := s.cur
	c.raw, c.end = s.buf, end
	s.open = false
	return c
}

func isBlank(line []byte) bool {
	return len(line) == 1 || len(line) == 2 && line[0] == '\r'
}
