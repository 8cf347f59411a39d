package mastodon

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// readFixture returns a file of this package's testdata folder.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeOutboxDuplicateKey reads an export in the shape Mastodon's
// BackupService writes it (written for this test, one line, no final
// newline): "orderedItems" occurs twice, first empty, then with the
// activities.
func TestDecodeOutboxDuplicateKey(t *testing.T) {
	in := readFixture(t, "export-duplicate-key/outbox.json")
	if n := bytes.Count(in, []byte(`"orderedItems":`)); n != 2 {
		t.Fatalf("fixture has %d orderedItems keys, want 2", n)
	}
	posts, dels, errs, expects := collectExpects(t, DecodeOutbox(bytes.NewReader(in)))
	if len(posts) != 3 || len(dels) != 0 || len(errs) != 0 {
		t.Fatalf("got %d posts, %d deletes, %d errors %v; want 3, 0, 0", len(posts), len(dels), len(errs), errs)
	}
	eq(t, "expects", expects, []collector.Expect{{Posts: 3, Field: "totalItems"}})
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.NativeID)
		eq(t, "handle", p.Author.Handle, "kim@social.example")
	}
	eq(t, "ids", ids, []string{
		"https://social.example/users/kim/statuses/116100000000000001",
		"https://social.example/users/kim/statuses/116100000000000002",
		"https://social.example/users/kim/statuses/116100000000000003/activity",
	})
	eq(t, "hashtags", posts[0].Hashtags, []string{"outage"})
	eq(t, "reply", posts[1].ReplyTo, "mastodon:https://social.example/users/kim/statuses/116100000000000001")
	eq(t, "repost", posts[2].RepostOf, "mastodon:https://ops.example/users/status/statuses/116099999999999999")

	// The other order, and a third empty list: all activities still arrive.
	s := string(in)
	first := strings.Index(s, `"orderedItems":[]`)
	second := strings.LastIndex(s, `"orderedItems":[`)
	list := s[second+len(`"orderedItems":`) : len(s)-1]
	swapped := s[:first] + `"orderedItems":` + list + s[first+len(`"orderedItems":[]`):second] + `"orderedItems":[],"items":[]}`
	posts, _, errs, _ = collectExpects(t, DecodeOutbox(strings.NewReader(swapped)))
	if len(posts) != 3 || len(errs) != 0 {
		t.Errorf("swapped: got %d posts, %d errors %v; want 3, 0", len(posts), len(errs), errs)
	}
}

// TestDuplicateKeysLastWins checks that every member read by name takes the
// last of a duplicated key, as JavaScript and encoding/json do.
func TestDuplicateKeysLastWins(t *testing.T) {
	t.Run("outbox object", func(t *testing.T) {
		in := `{"type":"Note","type":"Article","id":"https://m.example/n/0","id":"https://m.example/n/1","published":"2026-01-01T00:00:00Z","content":"<p>old</p>","content":"<p>new</p>","attributedTo":"https://m.example/users/x","attributedTo":"https://m.example/users/y","url":"https://m.example/@y/0","url":"https://m.example/@y/1","inReplyTo":"https://m.example/n/a","inReplyTo":null}`
		posts, _, errs := collect(t, DecodeOutbox(strings.NewReader(in)))
		if len(posts) != 1 || len(errs) != 0 {
			t.Fatalf("got %d posts, %d errors %v", len(posts), len(errs), errs)
		}
		p := posts[0]
		eq(t, "id", p.NativeID, "https://m.example/n/1")
		eq(t, "text", p.Text, "new")
		eq(t, "author", p.Author.ID, "https://m.example/users/y")
		eq(t, "url", p.URL, "https://m.example/@y/1")
		eq(t, "reply", p.ReplyTo, "")
	})
	t.Run("status", func(t *testing.T) {
		in := `{"id":"1","uri":"https://m.example/users/a/statuses/1","created_at":"2026-01-01T00:00:00Z","content":"<p>old</p>","content":"<p>new</p>","account":{"acct":"a","url":"https://m.example/@a"},"reblog":{"id":"2","uri":"https://o.example/s/2","created_at":"2026-01-01T00:00:00Z","content":"x","account":{"acct":"b@o.example"}},"reblog":null}`
		posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(in)))
		if len(posts) != 1 || len(errs) != 0 {
			t.Fatalf("got %d posts, %d errors %v; want the status alone", len(posts), len(errs), errs)
		}
		eq(t, "text", posts[0].Text, "new")
		eq(t, "repost", posts[0].RepostOf, "")
	})
	t.Run("context", func(t *testing.T) {
		in := `{"ancestors":[],"descendants":[{"id":"1","uri":"https://m.example/s/1","created_at":"2026-01-01T00:00:00Z"}],"descendants":[{"id":"2","uri":"https://m.example/s/2","created_at":"2026-01-01T00:00:00Z"}]}`
		posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(in)))
		if len(posts) != 1 || len(errs) != 0 {
			t.Fatalf("got %d posts, %d errors %v", len(posts), len(errs), errs)
		}
		eq(t, "id", posts[0].NativeID, "https://m.example/s/2")
	})
}

const (
	ninaID = "https://mastodon.example/ap/users/115500000000000007"
)

// TestReadActor reads the actor.json of a Mastodon 4.5 export (written for
// this test in that shape: numeric id under /ap/users/).
func TestReadActor(t *testing.T) {
	au, err := ReadActor(bytes.NewReader(readFixture(t, "export-4.5/actor.json")))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "actor", au, post.Author{ID: ninaID, Handle: "nina@mastodon.example", Name: "Nina Okafor", URL: "https://mastodon.example/@nina"})

	for _, tc := range []struct{ in, want string }{
		{``, "not a JSON object"},
		{`[]`, "not a JSON object"},
		{`{"id":"https://m.example/users/a"}`, "has no type"},
		{`{"type":"Note","id":"https://m.example/n/1"}`, `type "Note" is not an actor`},
		{`{"type":"Person","name":"A"}`, "neither id nor url"},
	} {
		if _, err := ReadActor(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadActor(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
	// Older ids name the user; the url is the profile page.
	au, err = ReadActor(strings.NewReader(`{"type":"Service","id":"https://bots.example/users/pager","url":"https://bots.example/@pager"}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "old actor", au, post.Author{ID: "https://bots.example/users/pager", Handle: "pager@bots.example", URL: "https://bots.example/@pager"})
}

// TestDecodeOutbox45 reads a Mastodon 4.5 export (written for this test in
// that shape): attributedTo and actor are https://host/ap/users/<number>.
func TestDecodeOutbox45(t *testing.T) {
	in := readFixture(t, "export-4.5/outbox.json")
	ids := []string{
		ninaID + "/statuses/115600000000000101",
		ninaID + "/statuses/115600000000000102",
		ninaID + "/statuses/115600000000000103/activity",
		ninaID + "/statuses/115600000000000104",
	}
	check := func(t *testing.T, posts []*post.Post, errs []collector.Item, expects []collector.Expect) {
		t.Helper()
		if len(posts) != 4 || len(errs) != 0 {
			t.Fatalf("got %d posts, %d errors %v; want 4, 0", len(posts), len(errs), errs)
		}
		eq(t, "expects", expects, []collector.Expect{{Posts: 4, Field: "totalItems"}})
		for i, p := range posts {
			eq(t, "id", p.NativeID, ids[i])
		}
		eq(t, "hashtags", posts[0].Hashtags, []string{"EmailOutage"})
		eq(t, "likes", posts[0].Metrics.Likes, int64(4))
		eq(t, "reply", posts[1].ReplyTo, "mastodon:"+ids[0])
		eq(t, "mentions", posts[1].Mentions, []string{"mailops@status.example"})
		eq(t, "repost", posts[2].RepostOf, "mastodon:https://status.example/users/mailops/statuses/115600000000000050")
		eq(t, "poll", posts[3].Text, "Did your mail arrive in the end?")
	}

	t.Run("alone", func(t *testing.T) {
		posts, _, errs, expects := collectExpects(t, DecodeOutbox(bytes.NewReader(in)))
		check(t, posts, errs, expects)
		// Notes take the handle from their url; the boost has none.
		byURL := post.Author{ID: ninaID, Handle: "nina@mastodon.example", URL: ninaID}
		eq(t, "note author", posts[0].Author, byURL)
		eq(t, "poll author", posts[3].Author, byURL)
		eq(t, "boost author", posts[2].Author, post.Author{ID: ninaID, URL: ninaID})
	})
	t.Run("with actor.json", func(t *testing.T) {
		actor, err := ReadActor(bytes.NewReader(readFixture(t, "export-4.5/actor.json")))
		if err != nil {
			t.Fatal(err)
		}
		posts, _, errs, expects := collectExpects(t, DecodeOutboxFor(bytes.NewReader(in), actor))
		check(t, posts, errs, expects)
		for _, p := range posts {
			eq(t, "author of "+p.NativeID, p.Author, actor)
		}
	})
	t.Run("actor of another account", func(t *testing.T) {
		other := post.Author{ID: "https://mastodon.example/ap/users/1", Handle: "someone@mastodon.example", Name: "Someone"}
		posts, _, _, _ := collectExpects(t, DecodeOutboxFor(bytes.NewReader(in), other))
		eq(t, "boost author", posts[2].Author, post.Author{ID: ninaID, URL: ninaID})
	})
}

func TestPageHandle(t *testing.T) {
	for in, want := range map[string]string{
		"https://mastodon.example/@nina/115600000000000101":              "nina@mastodon.example",
		"https://mastodon.example/@bob@other.example/115600000000000101": "bob@other.example",
		"https://mastodon.example/@nina":                                 "",
		"https://mastodon.example/users/nina/statuses/1":                 "",
		"https://mastodon.example/@/1":                                   "",
		"https://mastodon.example/@a@/1":                                 "",
		"/@nina/1":                                                       "",
		"":                                                               "",
	} {
		eq(t, in, pageHandle(in), want)
	}
}

// TestDecodeStatusesSearchV2 wraps a real timeline page in the envelope of
// /api/v2/search ({accounts, statuses, hashtags}): the same posts arrive,
// with the same replies resolved.
func TestDecodeStatusesSearchV2(t *testing.T) {
	page, err := os.ReadFile(testdata.Path(t, "mastodon", "rtoot_public_timeline_mastodon-social.json"))
	if err != nil {
		t.Fatal(err)
	}
	var statuses []json.RawMessage
	if err := json.Unmarshal(page, &statuses); err != nil {
		t.Fatal(err)
	}
	var accounts []json.RawMessage
	for _, s := range statuses {
		var st struct {
			Account json.RawMessage `json:"account"`
		}
		if err := json.Unmarshal(s, &st); err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, st.Account)
	}
	env, err := json.MarshalIndent(map[string]any{
		"accounts": accounts[:3],
		"statuses": statuses,
		"hashtags": []any{map[string]any{"name": "outage", "url": "https://mastodon.social/tags/outage", "history": []any{}}},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := collect(t, DecodeStatuses(bytes.NewReader(page)))
	got, dels, errs := collect(t, DecodeStatuses(bytes.NewReader(env)))
	if len(got) != 20 || len(want) != 20 || len(dels) != 0 || len(errs) != 0 {
		t.Fatalf("got %d posts (page alone %d), %d deletes, %d errors %v; want 20, 20, 0, 0", len(got), len(want), len(dels), len(errs), errs)
	}
	replies := 0
	for i := range got {
		eq(t, "id", got[i].ID, want[i].ID)
		eq(t, "reply", got[i].ReplyTo, want[i].ReplyTo)
		eq(t, "author", got[i].Author, want[i].Author)
		eq(t, "text", got[i].Text, want[i].Text)
		if got[i].ReplyTo != "" {
			replies++
		}
	}
	eq(t, "replies", replies, 2)
	// A search for accounts or hashtags only holds no post and is no error.
	posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(`{"accounts":[],"statuses":[],"hashtags":[{"name":"outage"}]}`)))
	if len(posts) != 0 || len(errs) != 0 {
		t.Errorf("empty search: %d posts, %d errors", len(posts), len(errs))
	}
}

func FuzzDecodeOutboxFor(f *testing.F) {
	f.Add(string(readFixture(f, "export-duplicate-key/outbox.json")))
	f.Add(string(readFixture(f, "export-4.5/outbox.json")))
	f.Add(`{"type":"OrderedCollection","totalItems":2,"orderedItems":[],"orderedItems":null,"orderedItems":[{"type":"Announce","id":"https://h/ap/users/1/a","actor":"https://h/ap/users/1","published":"2026-01-01T00:00:00Z","object":"https://o/n/1"}]}`)
	actor := post.Author{ID: "https://h/ap/users/1", Handle: "a@h", Name: "A", URL: "https://h/@a"}
	f.Fuzz(func(t *testing.T, in string) {
		collect(t, DecodeOutboxFor(strings.NewReader(in), actor))
	})
}

func FuzzReadActor(f *testing.F) {
	f.Add(string(readFixture(f, "export-4.5/actor.json")))
	f.Add(`{"type":"Person","id":"https://h/users/a","preferredUsername":"@a","url":[{"href":"https://h/@a","mediaType":"text/html"}]}`)
	f.Add(`{"type":["Person"],"url":"https://h/@a"}`)
	f.Fuzz(func(t *testing.T, in string) {
		au, err := ReadActor(strings.NewReader(in))
		if err == nil && au.ID == "" {
			t.Errorf("actor without id and no error: %+v", au)
		}
	})
}
