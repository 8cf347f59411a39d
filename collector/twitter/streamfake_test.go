package twitter

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeStream serves the filtered-stream endpoints of PROTOCOLS.md §1.4 and,
// through fakeX, recent search over the same real tweets:
//
//   - GET/POST /2/tweets/search/stream/rules: list, add (values unique per
//     app: a duplicate is a DuplicateRule error with the existing id;
//     unbalanced parentheses or quotes and values over 1,024 bytes are
//     invalid rules), delete by ids, dry_run=true;
//   - GET /2/tweets/search/stream: 200, then one JSON object per line with
//     "\r\n" and a bare "\r\n" keep-alive every keepAlive; a published tweet
//     is a line {"data":…,"includes":…,"matching_rules":[every rule]}. On
//     command: silence (no more keep-alives), an operational-disconnect
//     error frame, a drop mid-line; on demand 429 TooManyConnections or 503
//     on connect.
type fakeStream struct {
	t         testing.TB
	x         *fakeX
	keepAlive time.Duration
	connects  chan *fakeConn // each accepted connection

	mu                  sync.Mutex
	rules               []streamRule
	nextRule            int64
	conn                *fakeConn
	fail429, fail503    int
	ruleRequests, dials int
}

type fakeConn struct{ cmds chan fakeCmd }

// fakeCmd is what a connection does next: write lines, or fall silent,
// send an error frame, or drop mid-line.
type fakeCmd struct {
	lines                   [][]byte
	silence, errFrame, drop bool
}

// operationalDisconnect is X's in-band disconnect frame.
const operationalDisconnect = `{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}`

func newFakeStream(t testing.TB) *fakeStream {
	return &fakeStream{t: t, x: newFakeX(t), keepAlive: 50 * time.Millisecond,
		connects: make(chan *fakeConn, 16), nextRule: 1790000000000000100}
}

func (f *fakeStream) set(fn func(f *fakeStream)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fakeStream) rulesNow() []streamRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.rules)
}

// addRuleLocked adds a rule as if created earlier (by another run).
func (f *fakeStream) addRuleLocked(value, tag string) string {
	id := strconv.FormatInt(f.nextRule, 10)
	f.nextRule++
	f.rules = append(f.rules, streamRule{ID: jsonString(id), Value: value, Tag: tag})
	return id
}

// line is the stream line of a tweet: data, its includes, matching_rules.
func (f *fakeStream) line(tw fakeTweet) []byte {
	f.mu.Lock()
	var rules []map[string]string
	for _, r := range f.rules {
		rules = append(rules, map[string]string{"id": string(r.ID), "tag": r.Tag})
	}
	f.mu.Unlock()
	type includes struct {
		Users  []json.RawMessage `json:"users,omitempty"`
		Tweets []json.RawMessage `json:"tweets,omitempty"`
		Media  []json.RawMessage `json:"media,omitempty"`
	}
	b, err := json.Marshal(struct {
		Data          json.RawMessage     `json:"data"`
		Includes      includes            `json:"includes"`
		MatchingRules []map[string]string `json:"matching_rules"`
	}{tw.raw, includes{tw.users, tw.tweets, tw.media}, rules})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// publish lets the next n held tweets arrive: search has them, and the
// connected stream (if any) sends them. It returns their ids.
func (f *fakeStream) publish(n int) []string {
	f.x.mu.Lock()
	lo := f.x.avail
	f.x.avail = min(f.x.avail+n, len(f.x.tweets))
	tws := slices.Clone(f.x.tweets[lo:f.x.avail])
	f.x.mu.Unlock()
	var ids []string
	var lines [][]byte
	for _, tw := range tws {
		ids = append(ids, tw.id)
		lines = append(lines, f.line(tw))
	}
	f.send(fakeCmd{lines: lines})
	return ids
}

// send gives the connected stream a command; false when none is connected.
func (f *fakeStream) send(c fakeCmd) bool {
	f.mu.Lock()
	conn := f.conn
	f.mu.Unlock()
	if conn == nil {
		return false
	}
	conn.cmds <- c
	return true
}

func (f *fakeStream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case searchPath:
		f.x.ServeHTTP(w, r)
		return
	case rulesPath, streamPath:
	default:
		f.x.problem(w, http.StatusNotFound, `{"title":"Not Found Error","type":"about:blank","status":404,"detail":"Not Found"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.x.token {
		f.x.problem(w, http.StatusUnauthorized, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
		return
	}
	if r.URL.Path == rulesPath {
		f.serveRules(w, r)
		return
	}
	f.serveStream(w, r)
}

func (f *fakeStream) serveRules(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ruleRequests++
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-rate-limit-limit", "450")
	w.Header().Set("x-rate-limit-remaining", "449")
	sent := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	if r.Method == http.MethodGet {
		if len(f.rules) == 0 {
			fmt.Fprintf(w, `{"meta":{"sent":%q,"result_count":0}}`, sent)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": f.rules, "meta": map[string]any{"sent": sent, "result_count": len(f.rules)}})
		return
	}
	var req struct {
		Add    []streamRule `json:"add"`
		Delete *struct {
			IDs []string `json:"ids"`
		} `json:"delete"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil || (len(req.Add) == 0) == (req.Delete == nil) {
		f.x.problem(w, http.StatusBadRequest, `{"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`)
		return
	}
	dry := r.URL.Query().Get("dry_run") == "true"
	var data, errs []map[string]any
	summary := map[string]int{}
	if req.Delete != nil {
		for _, id := range req.Delete.IDs {
			i := slices.IndexFunc(f.rules, func(r streamRule) bool { return string(r.ID) == id })
			if i < 0 {
				summary["not_deleted"]++
				errs = append(errs, map[string]any{"title": "Not Found Error", "detail": "Rule " + id + " not found", "id": id})
				continue
			}
			summary["deleted"]++
			if !dry {
				f.rules = slices.Delete(f.rules, i, i+1)
			}
		}
	}
	for _, a := range req.Add {
		if dup := slices.IndexFunc(f.rules, func(r streamRule) bool { return r.Value == a.Value }); dup >= 0 {
			summary["not_created"]++
			summary["valid"]++
			errs = append(errs, map[string]any{"value": a.Value, "id": f.rules[dup].ID, "title": "DuplicateRule", "type": "https://api.twitter.com/2/problems/duplicate-rules"})
			continue
		}
		if why := fakeRuleProblem(a.Value); why != "" {
			summary["not_created"]++
			summary["invalid"]++
			errs = append(errs, map[string]any{"value": a.Value, "details": []string{why}, "title": "UnprocessableEntity", "type": "https://api.twitter.com/2/problems/invalid-rules"})
			continue
		}
		summary["valid"]++
		if dry {
			continue
		}
		summary["created"]++
		id := f.addRuleLocked(a.Value, a.Tag)
		data = append(data, map[string]any{"id": id, "value": a.Value, "tag": a.Tag})
	}
	resp := map[string]any{"meta": map[string]any{"sent": sent, "summary": summary}}
	if data != nil {
		resp["data"] = data
	}
	if errs != nil {
		resp["errors"] = errs
	}
	json.NewEncoder(w).Encode(resp)
}

// fakeRuleProblem is the fake's rule validation: length and balance.
func fakeRuleProblem(v string) string {
	if v == "" || len(v) > 1024 {
		return "Rules must be 1–1024 characters"
	}
	if strings.Count(v, `"`)%2 != 0 || strings.Count(v, "(") != strings.Count(v, ")") {
		return "There were errors processing your request: mismatched quotes or parentheses (at position 1)"
	}
	return ""
}

func (f *fakeStream) serveStream(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("tweet.fields") != searchFields || q.Get("expansions") != searchExpand {
		f.x.problem(w, http.StatusBadRequest, `{"title":"Invalid Request","detail":"fields","type":"https://api.twitter.com/2/problems/invalid-request"}`)
		return
	}
	f.mu.Lock()
	f.dials++
	h := w.Header()
	h.Set("x-rate-limit-limit", "50")
	h.Set("x-rate-limit-reset", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10))
	switch {
	case f.fail429 > 0:
		f.fail429--
		f.mu.Unlock()
		h.Set("x-rate-limit-remaining", "49")
		f.x.problem(w, http.StatusTooManyRequests, `{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}`)
		return
	case f.fail503 > 0:
		f.fail503--
		f.mu.Unlock()
		f.x.problem(w, http.StatusServiceUnavailable, `{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`)
		return
	}
	conn := &fakeConn{cmds: make(chan fakeCmd, 64)}
	f.conn = conn
	f.mu.Unlock()
	defer f.set(func(f *fakeStream) {
		if f.conn == conn {
			f.conn = nil
		}
	})
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	fl := w.(http.Flusher)
	fl.Flush()
	f.connects <- conn
	tick := time.NewTicker(f.keepAlive)
	defer tick.Stop()
	silent := false
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if !silent {
				w.Write([]byte("\r\n"))
				fl.Flush()
			}
		case c := <-conn.cmds:
			for _, l := range c.lines {
				w.Write(append(l, '\r', '\n'))
			}
			switch {
			case c.silence:
				silent = true
			case c.errFrame:
				w.Write([]byte(operationalDisconnect + "\r\n"))
				fl.Flush()
				return
			case c.drop:
				w.Write([]byte(`{"data": {"author_id": "1021159080151404544"`))
				fl.Flush()
				panic(http.ErrAbortHandler)
			}
			fl.Flush()
		}
	}
}
