package hackernews

import (
	"github.com/aftershock/aftershock/collector"

	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// node is one item of an /items tree (or a lone hit).
type node struct {
	raw    []byte // the item's object, nested children objects replaced by their ids
	id     string // objectID or id; "" if it has none
	parent int    // index of the enclosing node; -1 for the root
}

// flatten lists the items of the JSON object obj, which may nest replies in
// "children", parents before their replies. It reads obj once, so a deep tree
// costs no more than a flat one.
func flatten(obj []byte) ([]node, error) {
	w := walker{Walker: collector.NewWalker(obj)}
	if _, err := w.object(-1); err != nil {
		return nil, err
	}
	return w.nodes, nil
}

type walker struct {
	collector.Walker
	nodes []node
}

func (w *walker) skip() error {
	var v json.RawMessage
	return w.Dec.Decode(&v)
}

// object reads the object that comes next, and its children, and returns its
// index in w.nodes.
func (w *walker) object(parent int) (int, error) {
	start := w.Next()
	if start >= len(w.Data) || w.Data[start] != '{' {
		return 0, errors.New("record is not a JSON object")
	}
	if err := w.Delim('{'); err != nil {
		return 0, err
	}
	idx := len(w.nodes)
	w.nodes = append(w.nodes, node{parent: parent})
	cStart, cEnd := -1, -1
	var elems []string // the children array, objects replaced by their ids
	nested := false
	for w.Dec.More() {
		t, err := w.Dec.Token()
		if err != nil {
			return 0, err
		}
		// encoding/json matches member names case-insensitively and keeps the last.
		if k, _ := t.(string); !strings.EqualFold(k, "children") {
			if err := w.skip(); err != nil {
				return 0, err
			}
			continue
		}
		w.nodes = w.nodes[:idx+1] // a repeated key replaces the earlier one
		elems, nested = elems[:0], false
		cStart = w.Next()
		if cStart >= len(w.Data) || w.Data[cStart] != '[' {
			if err := w.skip(); err != nil {
				return 0, err
			}
			cEnd = int(w.Dec.InputOffset())
			continue
		}
		if err := w.Delim('['); err != nil {
			return 0, err
		}
		for w.Dec.More() {
			if p := w.Next(); p < len(w.Data) && w.Data[p] == '{' {
				ci, err := w.object(idx)
				if err != nil {
					return 0, err
				}
				elems = append(elems, idJSON(w.nodes[ci].id))
				nested = true
				continue
			}
			var v json.RawMessage
			if err := w.Dec.Decode(&v); err != nil {
				return 0, err
			}
			elems = append(elems, string(v))
		}
		if err := w.Delim(']'); err != nil {
			return 0, err
		}
		cEnd = int(w.Dec.InputOffset())
	}
	if err := w.Delim('}'); err != nil {
		return 0, err
	}
	end := int(w.Dec.InputOffset())
	var raw []byte
	if nested {
		raw = make([]byte, 0, end-start)
		raw = append(raw, w.Data[start:cStart]...)
		raw = append(raw, '[')
		raw = append(raw, strings.Join(elems, ",")...)
		raw = append(raw, ']')
		raw = append(raw, w.Data[cEnd:end]...)
	} else {
		raw = bytes.Clone(w.Data[start:end])
	}
	var ids struct {
		ObjectID flexID `json:"objectID"`
		ID       flexID `json:"id"`
	}
	_ = json.Unmarshal(raw, &ids) // a wrong type leaves the id empty; the caller reports it
	id := ids.ObjectID.s
	if id == "" {
		id = ids.ID.s
	}
	w.nodes[idx].raw, w.nodes[idx].id = raw, id
	return idx, nil
}

// idJSON writes an id as JSON: a number when it is one, else a string.
func idJSON(id string) string {
	if id == "" {
		return "null"
	}
	if _, err := strconv.ParseUint(id, 10, 64); err == nil {
		return id
	}
	q, _ := json.Marshal(id)
	return string(q)
}
