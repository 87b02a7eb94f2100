package slack

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/data/connector"
	"hearth/data/engine"
	"hearth/data/engine/enginetest"
	"hearth/data/store/storetest"
)

// synthetic writes an unzipped export of n messages shaped like a busy
// workspace: 2,000 people, 20 channels (two of them help channels), a
// day file per channel and day, threads of a few replies, reactions, user
// profiles on every message, the odd mention and bot post.
func synthetic(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	const people, channels, perDay = 2000, 20, 100
	users, err := os.Create(filepath.Join(dir, "users.json"))
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(users)
	w.WriteString("[")
	for i := range people {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, `{"id":"U%06d","team_id":"T1","name":"user%d","deleted":%v,"real_name":"User Number %d","is_bot":false,"profile":{"title":"","real_name":"User Number %d","display_name":"u%d","email":"user%d@example.org"}}`,
			i, i, i%97 == 0, i, i, i, i)
	}
	w.WriteString("]")
	w.Flush()
	users.Close()
	chans := "["
	for c := range channels {
		name := fmt.Sprintf("topic-%02d", c)
		if c < 2 {
			name = fmt.Sprintf("help-%d", c)
		}
		if c > 0 {
			chans += ","
		}
		chans += fmt.Sprintf(`{"id":"C%04d","name":"%s","created":1600000000}`, c, name)
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	enginetest.WriteFile(tb, filepath.Join(dir, "channels.json"), []byte(chans+"]"))

	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	written := 0
	for day := 0; written < n; day++ {
		date := start.AddDate(0, 0, day)
		for c := 0; c < channels && written < n; c++ {
			name := fmt.Sprintf("topic-%02d", c)
			if c < 2 {
				name = fmt.Sprintf("help-%d", c)
			}
			f, err := os.Create(filepath.Join(dir, name, date.Format("2006-01-02")+".json"))
			if err != nil {
				tb.Fatal(err)
			}
			w := bufio.NewWriter(f)
			w.WriteString("[\n")
			var parent string
			for k := 0; k < perDay && written < n; k++ {
				at := date.Add(time.Duration(k*800+rng.IntN(700)) * time.Second)
				ts := fmt.Sprintf("%d.%06d", at.Unix(), rng.IntN(1e6))
				who := rng.IntN(people)
				if k > 0 {
					w.WriteString(",\n")
				}
				thread, text := "", "An ordinary message about the project, about sixty characters."
				switch {
				case k%5 == 0:
					parent = ts
					text = "How do I make the build faster on <@U000001>'s machine?"
					thread = fmt.Sprintf(`,"thread_ts":"%s","reply_count":4,"reply_users_count":3,"latest_reply":"%s"`, ts, ts)
				default:
					thread = fmt.Sprintf(`,"thread_ts":"%s","parent_user_id":"U000001"`, parent)
				}
				if k%50 == 49 {
					fmt.Fprintf(w, `{"type":"message","subtype":"bot_message","text":"Build passed","ts":"%s","username":"CI","bot_id":"B0001","bot_profile":{"id":"B0001","name":"CI"}%s}`, ts, thread)
				} else {
					fmt.Fprintf(w, `{"client_msg_id":"m%d","type":"message","text":"%s","user":"U%06d","ts":"%s","team":"T1","user_team":"T1","source_team":"T1","user_profile":{"avatar_hash":"g1","image_72":"https://x/y.png","first_name":"User","real_name":"User Number %d","display_name":"u%d","team":"T1","name":"user%d","is_restricted":false,"is_ultra_restricted":false}%s,"reactions":[{"name":"+1","users":["U000002","U000003"],"count":2}]}`,
						written, text, who, ts, who, who, who, thread)
				}
				written++
			}
			w.WriteString("\n]\n")
			if err := w.Flush(); err != nil {
				tb.Fatal(err)
			}
			f.Close()
		}
	}
}

// BenchmarkImport1M imports an export of a million messages through
// engine.Run into a fresh store: parsing, batches, the store's writes, the
// people merge and the refresh. msgs/s is of the whole run.
func BenchmarkImport1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million messages")
	}
	const n = 1_000_000
	dir := b.TempDir()
	synthetic(b, dir, n)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		st, _ := storetest.Open(b)
		src := mustNew(b, dir, Options{})
		b.StartTimer()
		t0 := time.Now()
		res := engine.Run(context.Background(), st, []connector.Source{src}, engine.Options{})
		if len(res) != 1 || res[0].Err != nil || res[0].Items != n || src.Stats().Skipped.Total() != 0 {
			b.Fatalf("%+v, skipped %v", res, src.Stats().Skipped)
		}
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "msgs/s")
	}
}

// BenchmarkParse1M is the connector alone on the same export: reading,
// decoding, batching, no store.
func BenchmarkParse1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million messages")
	}
	const n = 1_000_000
	dir := b.TempDir()
	synthetic(b, dir, n)
	src := mustNew(b, dir, Options{})
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		got := 0
		err := src.Sync(context.Background(), connector.SyncState{}, func(bt connector.Batch) error {
			got += len(bt.Activities)
			return nil
		})
		if err != nil || got != n {
			b.Fatalf("%v, %d messages", err, got)
		}
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "msgs/s")
	}
}
