package importer

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"iter"
	"slices"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/hackernews"
	"github.com/aftershock/aftershock/collector/mastodon"
	"github.com/aftershock/aftershock/collector/reddit"
	"github.com/aftershock/aftershock/collector/twitter"
)

// recordFuncs returns a new record decoder for each JSON format that is read
// record by record. The X archive and CSV are read as whole streams.
func recordFuncs(f Format, sc sidecars) (collector.RecordFunc, bool) {
	switch f {
	case TwitterV1:
		return twitter.V1Records(), true
	case Twarc2:
		return twitter.Twarc2Records(), true
	case Mastodon:
		return mastodon.StatusRecords(), true
	case Outbox:
		return mastodon.OutboxRecordsFor(sc.actor), true
	case Jetstream:
		return bluesky.JetstreamRecords(), true
	case BlueskyAppView:
		return bluesky.AppViewRecords(), true
	case HackerNews:
		return hackernews.AlgoliaRecords(), true
	case RedditJSON:
		return reddit.ListingRecords(), true
	case XArchive:
		// A tweets.js element ({"tweet": …}) in plain JSON.
		return perRecord(func(r io.Reader) iter.Seq[collector.Item] {
			return twitter.DecodeArchiveWith(r, twitter.ArchiveOptions{Owner: sc.owner, Notes: sc.longPosts})
		}), true
	}
	return nil, false
}

// perRecord turns a stream decoder into a record decoder: each record is
// decoded as an input of its own, its lines counted from the record's.
func perRecord(decode collector.DecodeFunc) collector.RecordFunc {
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		for it := range decode(bytes.NewReader(data)) {
			if it.Line > 0 {
				it.Line += line - 1
			} else {
				it.Line = line
			}
			if !yield(it) {
				return false
			}
		}
		return true
	}
}

// jsonStats is what decodeJSON tells of an input besides its items.
type jsonStats struct {
	formats map[Format]int // records per format
	records int            // JSON records read (well or not)
	empty   int            // records that held no post, deletion or error (likes, follows, empty pages)
}

// sorted returns the formats seen, most records first.
func (st *jsonStats) sorted() []Format {
	out := make([]Format, 0, len(st.formats))
	for f := range st.formats {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Format) int {
		if c := cmp.Compare(st.formats[b], st.formats[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return out
}

// decodeJSON reads the JSON records of r and decodes each with the decoder
// of its own format, told from the whole record, so that a file may mix
// formats line by line and a record's distinctive key may come after any
// amount of other data. A record of no known shape is taken as the format of
// the record before it (a run of records), and reported only when there is
// none. With forced set, every record is read as that format.
func decodeJSON(r io.Reader, forced Format, maxRecord int, sc sidecars, st *jsonStats) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		decoders := map[Format]collector.RecordFunc{}
		last := forced
		st.formats = map[Format]int{}
		for rec := range collector.JSONValuesLimit(r, maxRecord) {
			st.records++
			if rec.Err != nil {
				prefix := "json"
				if last != formatUnset {
					prefix = string(last)
				}
				if !yield(collector.Item{Line: rec.Line, Err: fmt.Errorf("%s: %w", prefix, rec.Err)}) {
					return
				}
				continue
			}
			f := forced
			if f == formatUnset {
				var err error
				f, err = classify(recordKeys(rec.Data))
				if err != nil {
					if last == formatUnset {
						if !yield(collector.Item{Line: rec.Line, Err: err}) {
							return
						}
						continue
					}
					f = last
				}
			}
			last = f
			dec, ok := decoders[f]
			if !ok {
				if dec, ok = recordFuncs(f, sc); !ok {
					if !yield(collector.Item{Line: rec.Line, Err: fmt.Errorf("%w %q for a JSON record", ErrUnknownFormat, f)}) {
						return
					}
					continue
				}
				decoders[f] = dec
			}
			st.formats[f]++
			n := 0
			if !dec(rec.Line, rec.Data, func(it collector.Item) bool { n++; return yield(it) }) {
				return
			}
			if n == 0 {
				st.empty++
			}
		}
	}
}
