package jetstreamtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Synthesize makes n distinct post events from the create commits of
// app.bsky.feed.post among samples (recorded Jetstream events), taken in
// turn: event i is a copy of a sample with time_us = startUS + i×step and a
// fresh rkey (a TID derived from i, so no two events, and no sample, share a
// post URI). Everything else — did, record, cid — is the sample's. Keys of
// the rewritten objects come out sorted, which Jetstream clients do not mind.
func Synthesize(samples [][]byte, n int, startUS int64, step time.Duration) ([][]byte, error) {
	type sample struct {
		top    map[string]json.RawMessage
		commit map[string]json.RawMessage
	}
	var posts []sample
	for _, data := range samples {
		var top map[string]json.RawMessage
		if json.Unmarshal(data, &top) != nil || string(top["kind"]) != `"commit"` {
			continue
		}
		var commit map[string]json.RawMessage
		if json.Unmarshal(top["commit"], &commit) != nil ||
			string(commit["collection"]) != `"app.bsky.feed.post"` ||
			string(commit["operation"]) != `"create"` || len(commit["record"]) == 0 {
			continue
		}
		posts = append(posts, sample{top, commit})
	}
	if len(posts) == 0 {
		return nil, errors.New("jetstreamtest: no app.bsky.feed.post create among the samples")
	}
	stepUS := step.Microseconds()
	if stepUS <= 0 {
		return nil, fmt.Errorf("jetstreamtest: step %s is under a microsecond", step)
	}
	out := make([][]byte, 0, n)
	for i := range n {
		p := posts[i%len(posts)]
		timeUS := startUS + int64(i)*stepUS
		top := make(map[string]json.RawMessage, len(p.top))
		for k, v := range p.top {
			top[k] = v
		}
		commit := make(map[string]json.RawMessage, len(p.commit))
		for k, v := range p.commit {
			commit[k] = v
		}
		commit["rkey"] = json.RawMessage(`"` + TID(timeUS, i) + `"`)
		c, err := json.Marshal(commit)
		if err != nil {
			return nil, fmt.Errorf("jetstreamtest: commit %d: %w", i, err)
		}
		top["commit"] = c
		top["time_us"] = json.RawMessage(fmt.Sprint(timeUS))
		b, err := json.Marshal(top)
		if err != nil {
			return nil, fmt.Errorf("jetstreamtest: event %d: %w", i, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// TID returns an atproto record key (13 characters of base32-sortable) for
// a time in unix µs and a clock id (its low 10 bits are used), as clients
// make them.
func TID(timeUS int64, clock int) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	v := uint64(timeUS)&(1<<53-1)<<10 | uint64(clock)&(1<<10-1)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}
