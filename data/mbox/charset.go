package mbox

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// The charsets of mailing-list archives, as far as hearth needs them:
// names and the first paragraph of a thread starter. UTF-8, US-ASCII and
// Latin-1 are most of it; Windows-1252 and Latin-9 differ from Latin-1 in a
// few code points (quotes, the euro sign). Other charsets pass through
// unchanged, and text that is then not UTF-8 is read as Latin-1: a name
// spelt oddly is better than a message lost.

// cp1252 maps bytes 0x80–0x9f of Windows-1252; 0 where it has no
// character.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// latin9 are the code points where ISO-8859-15 differs from ISO-8859-1.
var latin9 = map[byte]rune{0xa4: '€', 0xa6: 'Š', 0xa8: 'š', 0xb4: 'Ž', 0xb8: 'ž', 0xbc: 'Œ', 0xbd: 'œ', 0xbe: 'Ÿ'}

// charsetText converts text in the named charset to UTF-8.
func charsetText(charset string, b []byte) []byte {
	cs := strings.ToLower(strings.TrimSpace(charset))
	var table func(c byte) rune
	switch cs {
	case "windows-1252", "cp1252", "x-cp1252":
		table = func(c byte) rune {
			if c >= 0x80 && c < 0xa0 && cp1252[c-0x80] != 0 {
				return cp1252[c-0x80]
			}
			return rune(c)
		}
	case "iso-8859-15", "latin-9", "latin9":
		table = func(c byte) rune {
			if r, ok := latin9[c]; ok {
				return r
			}
			return rune(c)
		}
	case "iso-8859-1", "latin1", "latin-1":
		table = func(c byte) rune { return rune(c) }
	default:
		return b
	}
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		out = utf8.AppendRune(out, table(c))
	}
	return out
}

// charsetReader is the mime.WordDecoder's converter for charsets the
// standard library does not know.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(charsetText(charset, b)), nil
}
