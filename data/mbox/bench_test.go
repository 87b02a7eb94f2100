package mbox

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/data/connector"
)

// synthetic writes an archive of about size bytes shaped like a busy list:
// a few hundred senders, threads of a few replies with References, MIME
// headers, quoted text and the odd ">From " line.
func synthetic(size int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.Grow(size + 4096)
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var root string
	for n := 0; b.Len() < size; n++ {
		who := rng.IntN(400)
		at = at.Add(time.Duration(rng.IntN(3600)) * time.Second)
		id := fmt.Sprintf("%d.%d@lists.example.org", n, who)
		fmt.Fprintf(&b, "From user%d at example.org  %s\n", who, at.Format(time.ANSIC))
		fmt.Fprintf(&b, "From: user%d at example.org (=?utf-8?q?User_N=C2=B0%d?=)\n", who, who)
		fmt.Fprintf(&b, "Date: %s\n", at.Format(time.RFC1123Z))
		if n%5 == 0 {
			root = id
			fmt.Fprintf(&b, "Subject: [big-list] Topic %d: how do I make it faster?\n", n)
		} else {
			fmt.Fprintf(&b, "Subject: [big-list] Re: Topic %d\nIn-Reply-To: <%s>\nReferences: <%s>\n", n-n%5, root, root)
		}
		fmt.Fprintf(&b, "Message-ID: <%s>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n", id)
		for l := range 10 + rng.IntN(40) {
			switch {
			case l%9 == 8:
				b.WriteString(">From the earlier message, quoted.\n")
			case l%3 == 0:
				b.WriteString("> Quoted text from the previous message in this thread, as people write it.\n")
			default:
				b.WriteString("A line of an ordinary message body, about seventy characters long.\n")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// BenchmarkParse syncs a 64 MB archive (split, headers, addresses, dates,
// threads, batches) without a store; MB/s is of archive read.
func BenchmarkParse(b *testing.B) {
	text := synthetic(64 << 20)
	path := filepath.Join(b.TempDir(), "big-list.mbox")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		b.Fatal(err)
	}
	src := mustNew(b, path, Options{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		err := src.Sync(context.Background(), connector.SyncState{}, func(bt connector.Batch) error {
			n += len(bt.Activities)
			return nil
		})
		if err != nil || n == 0 || src.Stats().Skipped.Total() != 0 {
			b.Fatalf("%v, %d messages, skipped %v", err, n, src.Stats().Skipped)
		}
	}
}
