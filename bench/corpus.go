// Package bench measures Aftershock on a corpus replayed from real posts,
// side by side with the engines a user would pick instead: stock Bleve with
// its default mapping, and SQLite FTS5 with an equivalent schema.
//
// How it works: the corpus is the real posts of ../shared/data replayed to N
// posts (fresh ids, times spread evenly over three days, languages, sources
// and payloads as they were). Each engine is built in a process of its own
// (so peak memory and CPU are its own); then one process opens all of them
// and times the same queries (Queries, the histogram, the facets, the deep
// page) with the engines taking turns, so none runs on a cache another
// warmed; then one process per engine opens it and runs the suite once, for
// the peak memory of an open archive. No answer is cached between calls.
//
// The baselines are the one place outside index/ that imports Bleve: they
// are what we compare against, not our index.
package bench

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/aftershock/aftershock/collector/importer"
	"github.com/aftershock/aftershock/post"
)

// LoadSeed decodes every file below dir that the importer reads and returns
// its posts, sorted by id so the corpus is the same on every run. Files it
// cannot read are skipped.
func LoadSeed(dir string) ([]post.Post, error) {
	var seed []post.Post
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		items, _, closeAll, err := importer.Decode(f, importer.Options{})
		if err != nil {
			return nil // not a post file (labels, volume series, status feeds)
		}
		defer closeAll()
		for it := range items {
			if it.Post != nil {
				seed = append(seed, *it.Post)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bench: load seed from %s: %w", dir, err)
	}
	if len(seed) == 0 {
		return nil, fmt.Errorf("bench: no posts found below %s", dir)
	}
	sort.Slice(seed, func(i, j int) bool { return seed[i].ID < seed[j].ID })
	return seed, nil
}

// Replay returns post i of a corpus of n posts replayed from seed: the seed
// post i mod len(seed) with a fresh id (native id + "~" + round), relations
// pointing into the same round, and its time moved so the corpus spreads
// evenly over span from start. Text, language, source, author and raw payload
// stay as they were.
func Replay(seed []post.Post, i, n int, start time.Time, span time.Duration) post.Post {
	base := seed[i%len(seed)]
	round := strconv.Itoa(i / len(seed))
	p := base
	p.NativeID = base.NativeID + "~" + round
	p.ID = post.MakeID(p.Source, p.NativeID)
	p.CreatedAt = start.Add(time.Duration(float64(span) * float64(i) / float64(n)))
	p.CollectedAt = p.CreatedAt.Add(time.Minute)
	p.EditedAt = time.Time{}
	p.Revision = 0
	for _, rel := range []*string{&p.ReplyTo, &p.QuoteOf, &p.RepostOf} {
		if *rel != "" {
			*rel += "~" + round
		}
	}
	return p
}
