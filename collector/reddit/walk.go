package reddit

import (
	"github.com/aftershock/aftershock/collector"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// entry is one submission or comment found in a record, or why a part of the
// record could not be read.
type entry struct {
	kind string // "t1" or "t3"
	raw  []byte // the Thing's data, a nested "replies" Listing replaced by ""
	err  error
}

// record is what one JSON value holds.
type record struct {
	kind    string  // the top-level "kind" ("Listing", "t1", …); "" for other shapes
	entries []entry // submissions and comments, each before its replies, and errors
	mores   int     // "more" stubs met (comments not loaded)
}

// flatten lists the submissions and comments of one JSON value, each before
// the replies nested in it. It reads the value once, so a deep comment tree
// costs no more than a flat one.
func flatten(v []byte) (record, error) {
	w := walker{Walker: collector.NewWalker(v)}
	if p := w.Next(); p >= len(v) || v[p] != '{' {
		return record{}, errors.New("record is not a JSON object")
	}
	env, err := w.envelope()
	if err != nil {
		return record{}, err
	}
	if env.hasKind || env.hasJSON {
		out := w.out[:0]
		for _, e := range w.out {
			if e.kind != "" || e.err != nil { // drop the slots of Listings
				out = append(out, e)
			}
		}
		if env.jsonErr != nil {
			out = append([]entry{{err: env.jsonErr}}, out...)
		}
		return record{kind: env.kind, entries: out, mores: w.mores}, nil
	}
	if env.apiError != nil {
		return record{}, fmt.Errorf("API error %s: %s", env.apiError, env.message)
	}
	// A bare submission or comment, as in Pushshift-style archives.
	var probe struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
	}
	if err := json.Unmarshal(v, &probe); err != nil || probe.Title == nil && probe.Body == nil {
		return record{}, errors.New(`record is not a Listing, a Thing, a morechildren answer or a submission or comment (no "kind", "json", "title" or "body")`)
	}
	kind := "t3"
	if probe.Body != nil {
		kind = "t1"
	}
	w = walker{Walker: collector.NewWalker(v), out: []entry{{}}}
	raw, err := w.thingData()
	if err != nil {
		return record{}, err
	}
	w.out[0] = entry{kind: kind, raw: bytes.Clone(raw)}
	return record{entries: w.out, mores: w.mores}, nil
}

type walker struct {
	collector.Walker
	out   []entry // in document order, parents first
	mores int     // "more" stubs met
}

func (w *walker) value() (json.RawMessage, error) {
	var v json.RawMessage
	err := w.Dec.Decode(&v)
	return v, err
}

func (w *walker) nextIs(c byte) bool {
	p := w.Next()
	return p < len(w.Data) && w.Data[p] == c
}

// envelope is what the walker learnt of a {"kind", "data"} object beyond
// the entries it added.
type envelope struct {
	kind     string
	hasKind  bool
	hasJSON  bool  // an /api/morechildren answer {"json": {"errors", "data": {"things"}}}
	jsonErr  error // the errors it lists
	apiError json.RawMessage
	message  string
}

// notPost reports whether Things of kind are not posts.
func notPost(kind string) bool {
	switch kind {
	case "more", "t2", "t4", "t5", "t6", "LabeledMulti", "UserList", "KarmaList",
		"TrophyList", "wikipage", "modaction", "LiveUpdate", "LiveUpdateEvent":
		return true
	}
	return false
}

// envelope reads a Listing or Thing object, {"kind": …, "data": {…}}, and
// adds the posts in it to w.out.
func (w *walker) envelope() (envelope, error) {
	var env envelope
	if err := w.Delim('{'); err != nil {
		return env, err
	}
	var (
		kind    string
		kindErr error
		slot    = -1 // index in w.out reserved for this Thing, before its replies
		dataRaw []byte
	)
	for w.Dec.More() {
		t, err := w.Dec.Token()
		if err != nil {
			return env, err
		}
		switch k, _ := t.(string); k {
		case "kind":
			v, err := w.value()
			if err != nil {
				return env, err
			}
			env.hasKind = true
			kindErr = nil
			if err := json.Unmarshal(v, &kind); err != nil {
				kindErr = fmt.Errorf("kind %s is not a string", v)
			}
			env.kind = kind
		case "data":
			if slot >= 0 { // a repeated key replaces the earlier one
				w.out, slot, dataRaw = w.out[:slot], -1, nil
			}
			if !w.nextIs('{') {
				if _, err := w.value(); err != nil {
					return env, err
				}
				continue
			}
			slot = len(w.out)
			w.out = append(w.out, entry{})
			if dataRaw, err = w.thingData(); err != nil {
				return env, err
			}
		case "json":
			if !w.nextIs('{') {
				if _, err := w.value(); err != nil {
					return env, err
				}
				continue
			}
			env.hasJSON = true
			if env.jsonErr, err = w.apiJSON(); err != nil {
				return env, err
			}
		case "error":
			if env.apiError, err = w.value(); err != nil {
				return env, err
			}
		case "message":
			v, err := w.value()
			if err != nil {
				return env, err
			}
			if json.Unmarshal(v, &env.message) != nil {
				env.message = string(v)
			}
		default:
			if _, err := w.value(); err != nil {
				return env, err
			}
		}
	}
	if err := w.Delim('}'); err != nil {
		return env, err
	}
	fail := func(err error) {
		if slot >= 0 {
			w.out = w.out[:slot]
		}
		w.out = append(w.out, entry{err: err})
	}
	switch {
	case !env.hasKind:
		if slot >= 0 {
			w.out = w.out[:slot]
		}
	case kindErr != nil:
		fail(kindErr)
	case notPost(kind):
		if kind == "more" {
			w.mores++
		}
		if slot >= 0 {
			w.out = w.out[:slot]
		}
	case kind == "Listing":
		if slot < 0 {
			fail(errors.New("Listing has no data object"))
		} // else the empty slot is dropped at the end
	case kind == "t1" || kind == "t3":
		if slot < 0 {
			fail(fmt.Errorf("%s Thing has no data object", kind))
		} else {
			w.out[slot] = entry{kind: kind, raw: bytes.Clone(dataRaw)}
		}
	default:
		fail(fmt.Errorf("unknown kind %q", kind))
	}
	return env, nil
}

// thingData reads the data object of a Listing or Thing, adding the posts of
// its "children" (a Listing's) and of its "replies" (a comment's) to w.out.
// It returns the object with a nested "replies" Listing replaced by "", which
// may share memory with w.Data.
func (w *walker) thingData() ([]byte, error) {
	start := w.Next()
	if err := w.Delim('{'); err != nil {
		return nil, err
	}
	rStart, rEnd := -1, -1
	for w.Dec.More() {
		t, err := w.Dec.Token()
		if err != nil {
			return nil, err
		}
		switch k, _ := t.(string); {
		case (k == "children" || k == "things") && w.nextIs('['):
			if err := w.Delim('['); err != nil {
				return nil, err
			}
			for w.Dec.More() {
				if !w.nextIs('{') {
					if _, err := w.value(); err != nil {
						return nil, err
					}
					w.out = append(w.out, entry{err: errors.New("Listing child is not an object")})
					continue
				}
				env, err := w.envelope()
				if err != nil {
					return nil, err
				}
				if !env.hasKind {
					w.out = append(w.out, entry{err: errors.New(`Listing child has no "kind"`)})
				}
			}
			if err := w.Delim(']'); err != nil {
				return nil, err
			}
		case k == "replies" && w.nextIs('{'):
			rStart = w.Next()
			env, err := w.envelope()
			if err != nil {
				return nil, err
			}
			rEnd = int(w.Dec.InputOffset())
			if !env.hasKind {
				w.out = append(w.out, entry{err: errors.New(`"replies" has no "kind"`)})
			}
		default:
			if _, err := w.value(); err != nil {
				return nil, err
			}
		}
	}
	if err := w.Delim('}'); err != nil {
		return nil, err
	}
	end := int(w.Dec.InputOffset())
	if rStart < 0 {
		return w.Data[start:end], nil
	}
	raw := make([]byte, 0, end-start-(rEnd-rStart)+2)
	raw = append(raw, w.Data[start:rStart]...)
	raw = append(raw, `""`...)
	return append(raw, w.Data[rEnd:end]...), nil
}

// apiJSON reads the "json" object of an /api/morechildren answer (and of
// other api_type=json answers), {"errors": [[code, message, field], …],
// "data": {"things": [Things]}}, adding the posts among the things to w.out.
// It returns the errors listed as one error, or nil when there are none.
func (w *walker) apiJSON() (error, error) {
	if err := w.Delim('{'); err != nil {
		return nil, err
	}
	var listed error
	for w.Dec.More() {
		t, err := w.Dec.Token()
		if err != nil {
			return nil, err
		}
		switch k, _ := t.(string); {
		case k == "errors":
			v, err := w.value()
			if err != nil {
				return nil, err
			}
			listed = apiErrors(v)
		case k == "data" && w.nextIs('{'):
			if _, err := w.thingData(); err != nil {
				return nil, err
			}
		default:
			if _, err := w.value(); err != nil {
				return nil, err
			}
		}
	}
	return listed, w.Delim('}')
}

// apiErrors turns the "errors" of an api_type=json answer into one error,
// nil when the list is empty or null. Reddit writes each error as
// [code, message, field].
func apiErrors(v json.RawMessage) error {
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		if string(bytes.TrimSpace(v)) == "null" {
			return nil
		}
		return fmt.Errorf("API errors: %s", clip(v))
	}
	if len(list) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(list))
	for _, e := range list {
		var parts []string
		if json.Unmarshal(e, &parts) != nil {
			msgs = append(msgs, clip(e))
			continue
		}
		var nonEmpty []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				nonEmpty = append(nonEmpty, p)
			}
		}
		msgs = append(msgs, strings.Join(nonEmpty, ": "))
	}
	return fmt.Errorf("API errors: %s", strings.Join(msgs, "; "))
}

// clip returns at most 200 bytes of a JSON value, for messages.
func clip(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) > 200 {
		return string(v[:200]) + "…"
	}
	return string(v)
}
