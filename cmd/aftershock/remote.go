package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// serverFile, in the data directory, says where the running server of that
// directory listens, so that read commands can ask it instead of opening
// the index it holds.
const serverFile = "serve.json"

type serverInfo struct {
	Addr    string    `json:"addr"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

func writeServerInfo(dataDir, addr string) error {
	b, _ := json.Marshal(serverInfo{Addr: addr, PID: os.Getpid(), Started: time.Now().UTC()})
	return os.WriteFile(filepath.Join(dataDir, serverFile), b, 0o644)
}

func removeServerInfo(dataDir string) { os.Remove(filepath.Join(dataDir, serverFile)) }

// remoteSearch runs searches through the running server's /api/v1/search.
type remoteSearch struct {
	base  string
	token string
}

func newRemoteSearch(dataDir string) (*remoteSearch, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, serverFile))
	if err != nil {
		return nil, fmt.Errorf("%w, and no address of it in %s: %v", archive.ErrIndexBusy, dataDir, err)
	}
	var info serverInfo
	if err := json.Unmarshal(b, &info); err != nil || info.Addr == "" {
		return nil, fmt.Errorf("%s: unreadable (%v)", filepath.Join(dataDir, serverFile), err)
	}
	host, port, err := splitHostPort(info.Addr)
	if err != nil {
		return nil, err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	rs := &remoteSearch{base: "http://" + host + ":" + port}
	rs.token = os.Getenv("AFTERSHOCK_API_TOKEN")
	if toks := splitSecrets(os.Getenv("AFTERSHOCK_API_TOKENS")); rs.token == "" && len(toks) > 0 {
		rs.token = toks[0]
	}
	return rs, nil
}

func splitHostPort(addr string) (string, string, error) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", "", fmt.Errorf("server address %q has no port", addr)
	}
	return strings.Trim(addr[:i], "[]"), addr[i+1:], nil
}

// search sends q as the web search's parameters and reads its JSON.
func (rs *remoteSearch) search(ctx context.Context, q index.Query) (archive.Result, error) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Text)
	set("source", strings.Join(q.Sources, ","))
	set("lang", strings.Join(q.Langs, ","))
	set("sentiment", strings.Join(q.Sentiments, ","))
	set("author", q.Author)
	set("has", strings.Join(q.Has, ","))
	if !q.From.IsZero() {
		set("from", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		set("to", q.To.UTC().Format(time.RFC3339))
	}
	set("sort", q.Sort.String()) // the names index.ParseSort reads
	set("after", q.After)
	if q.Size > 0 {
		set("size", strconv.Itoa(min(q.Size, index.MaxSize)))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rs.base+"/api/v1/search?"+v.Encode(), nil)
	if err != nil {
		return archive.Result{}, err
	}
	if rs.token != "" {
		req.Header.Set("Authorization", "Bearer "+rs.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return archive.Result{}, fmt.Errorf("the index is held by 'aftershock serve' at %s, which does not answer: %w", rs.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return archive.Result{}, err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Message string }
		}
		json.Unmarshal(body, &e)
		if resp.StatusCode == http.StatusUnauthorized {
			return archive.Result{}, errors.New("the running server needs an API token: make one with 'aftershock token create NAME' and set AFTERSHOCK_API_TOKEN to it")
		}
		return archive.Result{}, fmt.Errorf("server: %s: %s", resp.Status, e.Error.Message)
	}
	var page struct {
		Total  uint64  `json:"total"`
		TookMS float64 `json:"took_ms"`
		Next   string  `json:"next"`
		Posts  []struct {
			ID           string    `json:"id"`
			Source       string    `json:"source"`
			URL          string    `json:"url"`
			AuthorHandle string    `json:"author_handle"`
			AuthorName   string    `json:"author_name"`
			Created      time.Time `json:"created_at"`
			Lang         string    `json:"lang"`
			Text         string    `json:"text"`
			Likes        int64     `json:"likes"`
			Reposts      int64     `json:"reposts"`
			Replies      int64     `json:"replies"`
			Quotes       int64     `json:"quotes"`
			Sentiment    string    `json:"sentiment"`
			Score        float64   `json:"sentiment_score"`
			DeletedAt    time.Time `json:"deleted_at"`
			Edited       bool      `json:"edited"`
			ReplyTo      string    `json:"reply_to"`
			QuoteOf      string    `json:"quote_of"`
		} `json:"posts"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return archive.Result{}, fmt.Errorf("server: unreadable answer: %w", err)
	}
	res := archive.Result{Results: &index.Results{Total: page.Total, Next: page.Next, Took: time.Duration(page.TookMS * float64(time.Millisecond))}}
	for _, p := range page.Posts {
		src, native, _ := strings.Cut(p.ID, ":")
		st := store.Stored{Post: post.Post{ID: p.ID, Source: src, NativeID: native, URL: p.URL, Text: p.Text, Lang: p.Lang,
			CreatedAt: p.Created, Author: post.Author{Handle: p.AuthorHandle, Name: p.AuthorName}, ReplyTo: p.ReplyTo, QuoteOf: p.QuoteOf,
			Metrics:   post.Metrics{Likes: p.Likes, Reposts: p.Reposts, Replies: p.Replies, Quotes: p.Quotes},
			Sentiment: post.Sentiment{Label: p.Sentiment, Score: p.Score}}}
		st.DeletedAt = p.DeletedAt
		if p.Edited {
			st.Revision = 1
		}
		res.Posts = append(res.Posts, st)
		res.Hits = append(res.Hits, index.Hit{ID: p.ID, Created: p.Created})
	}
	return res, nil
}
