package twitter

import (
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

func openShared(t testing.TB, elem ...string) *os.File {
	t.Helper()
	f, err := os.Open(testdata.Path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

var milahu = post.Author{ID: "1964312974236991488", Handle: "milahu104", Name: "Milan Hauth", URL: "https://x.com/milahu104"}

func TestReadArchiveAccount(t *testing.T) {
	got, err := ReadArchiveAccount(openShared(t, "realworld", "x-archive_milahu104", "data", "account.js"))
	if err != nil || got != milahu {
		t.Fatalf("account.js: %+v, %v; want %+v", got, err, milahu)
	}
	f, err := os.Open("testdata/grailbird/data/js/user_details.js")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := post.Author{ID: "14000006", Handle: "alice_ex", Name: "Alice Example", URL: "https://x.com/alice_ex"}
	if got, err := ReadArchiveAccount(f); err != nil || got != want {
		t.Fatalf("user_details.js: %+v, %v; want %+v", got, err, want)
	}
	for _, tt := range []struct{ in, errHas string }{
		{`window.YTD.account.part0 = [{"account":{"email":"a@b.example","accountId":"1"}}]`, "line 1: no username"},
		{`window.YTD.like.part0 = [{"like":{"tweetId":"1"}}]`, "want account.js or user_details.js"},
		{"window.YTD.account.part0 = [\n1]", "line 2: record is a number"},
		{"window.YTD.account.part0 = [\n{\"account\":", "input ends inside a value"},
		{`window.YTD.account.part0 = [ ]`, "no account record"},
		{`[{"account":{"username":true}}]`, "cannot unmarshal"},
	} {
		if a, err := ReadArchiveAccount(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.HasPrefix(err.Error(), "twitter archive account: ") {
			t.Errorf("%.40q: %+v, %v; want error with %q", tt.in, a, err, tt.errHas)
		}
	}
	if a, err := ReadArchiveAccount(strings.NewReader(`[{"account":{"username":"@bob","accountDisplayName":"Bob"}}]`)); err != nil || a != (post.Author{Handle: "bob", Name: "Bob", URL: "https://x.com/bob"}) {
		t.Errorf("plain JSON account: %+v, %v", a, err)
	}
}

func TestArchiveFileNames(t *testing.T) {
	for name, want := range map[string][3]bool{ // post, note, account
		"data/tweets.js":                         {true, false, false},
		"data/tweet.js":                          {true, false, false},
		"data/tweets-part1.js":                   {true, false, false},
		"twitter-2026-03-06/data/tweet-part2.js": {true, false, false},
		`C:\archive\data\community-tweet.js`:     {true, false, false},
		"data/deleted-tweets.js":                 {true, false, false},
		"data/deleted-tweet.js":                  {true, false, false},
		"data/deleted-tweets-part1.js":           {true, false, false},
		"data/note-tweet.js":                     {true, true, false},
		"data/note-tweet-part1.js":               {true, true, false},
		"data/deleted-note-tweet.js":             {true, true, false},
		"data/js/tweets/2011_09.js":              {true, false, false},
		"data/js/2011_09.js":                     {false, false, false},
		"data/account.js":                        {false, false, true},
		"data/js/user_details.js":                {false, false, true},
		"data/like.js":                           {false, false, false},
		"data/manifest.js":                       {false, false, false},
		"data/direct-messages.js":                {false, false, false},
		"data/tweet-headers.js":                  {false, false, false},
		"data/deleted-tweet-headers.js":          {false, false, false},
		"data/twitter-circle-tweet.js":           {false, false, false},
		"data/tweets.json":                       {false, false, false},
		"data/tweets_media/1-a.jpg":              {false, false, false},
		"data/js/tweet_index.js":                 {false, false, false},
	} {
		got := [3]bool{ArchivePostFile(name), ArchiveNoteFile(name), ArchiveAccountFile(name)}
		if got != want {
			t.Errorf("%s: post, note, account = %v, want %v", name, got, want)
		}
	}
}

// The four files of milahu104's archive, decoded with its owner.
func TestDecodeArchiveRealFiles(t *testing.T) {
	dec := func(name string) result {
		return collect(t, DecodeArchiveFor(openShared(t, "realworld", "x-archive_milahu104", "data", name), milahu))
	}
	r := dec("tweets.js")
	if len(r.posts) != 2045 || len(r.deletes) != 0 || len(r.errs) != 0 || len(r.expects) != 0 {
		t.Fatalf("tweets.js: %d posts, %d deletes, errors %v", len(r.posts), len(r.deletes), r.errs)
	}
	for _, p := range r.posts {
		if p.Author != milahu || p.URL != "https://x.com/milahu104/status/"+p.NativeID {
			t.Fatalf("post %s: author %+v, url %s", p.ID, p.Author, p.URL)
		}
	}
	checkWant(t, r, want{idx: 0, line: 2, id: "twitter:2029905358261502168", url: "https://x.com/milahu104/status/2029905358261502168",
		author: milahu, text: "@SamaHoole https://t.co/2UHqruPk7w", created: "2026-03-06T13:02:05Z",
		replyTo: "twitter:2029903943413772741", mentions: []string{"SamaHoole"},
		links: []string{"https://x.com/milahu104/status/2027739112069878026"}})

	// deleted-tweets.js: each post, then its deletion at deleted_at.
	var items []string
	for it := range DecodeArchiveFor(openShared(t, "realworld", "x-archive_milahu104", "data", "deleted-tweets.js"), milahu) {
		checkItem(t, it)
		switch {
		case it.Post != nil:
			items = append(items, "post "+it.Post.ID)
		case it.Delete != nil:
			items = append(items, "delete "+it.Delete.ID+" "+it.Delete.At.Format("2006-01-02T15:04:05Z07:00"))
		default:
			t.Fatalf("unexpected item %+v", it)
		}
	}
	if len(items) != 94 {
		t.Fatalf("deleted-tweets.js: %d items, want 47 posts and 47 deletes", len(items))
	}
	for i := 0; i < len(items); i += 2 {
		id := strings.TrimPrefix(items[i], "post ")
		if !strings.HasPrefix(items[i], "post ") || !strings.HasPrefix(items[i+1], "delete "+id+" 2026-") {
			t.Fatalf("items %d, %d: %q, %q; want a post and its deletion", i, i+1, items[i], items[i+1])
		}
	}
	if items[1] != "delete twitter:2029583929812873669 2026-03-05T16:08:05Z" {
		t.Errorf("first deletion %q", items[1])
	}
	r = dec("deleted-tweets.js")
	if r.deletes[0].Line != 2 || r.lines[0] != 2 || r.posts[0].Text != "@Dominik_Kettner niemand will für israel kämpfen" {
		t.Errorf("first deleted post at line %d (delete %d): %q", r.lines[0], r.deletes[0].Line, r.posts[0].Text)
	}

	r = dec("community-tweet.js")
	if len(r.posts) != 3 || len(r.errs) != 0 || len(r.deletes) != 0 {
		t.Fatalf("community-tweet.js: %d posts, errors %v", len(r.posts), r.errs)
	}
	checkWant(t, r, want{idx: 0, line: 2, id: "twitter:2027697170808189417", url: "https://x.com/milahu104/status/2027697170808189417",
		author: milahu, text: "@rotweisser_1 link zum kommentar ist legal.\ndeine akte veröffentlichen ist legal.\nes ist ein öffentlicher prozess",
		lang: "de", created: "2026-02-28T10:47:32Z", replyTo: "twitter:2027696068645827021", mentions: []string{"rotweisser_1"}})

	r = dec("account.js")
	if len(r.posts) != 0 || len(r.errs) != 1 || r.errs[0].Line != 1 || r.errs[0].Err.Error() != "twitter archive: account.js holds the account, not posts" {
		t.Fatalf("account.js: %d posts, errors %v", len(r.posts), r.errs)
	}
}

// Files of an archive that hold no posts give one error naming them, even
// when empty, and nothing else.
func TestDecodeArchiveNotPosts(t *testing.T) {
	for in, msg := range map[string]string{
		"window.YTD.like.part0 = [ {\"like\":{\"tweetId\":\"1\",\"fullText\":\"x\"}}, {\"like\":{\"tweetId\":\"2\"}} ]": "like.js holds likes, not posts",
		"\n\nwindow.YTD.like.part3 = [ ]":                                                                                    "like.js holds likes, not posts",
		`window.YTD.direct_messages.part0 = [ {"dmConversation":{}} ]`:                                                       "direct-messages.js holds direct messages, not posts",
		`window.YTD.tweet_headers.part0 = [ {"tweet":{"tweet_id":"1"}} ]`:                                                    "tweet-headers.js holds tweet ids only, not posts",
		`window.YTD.twitter_circle_tweet.part0 = [ {"tweet":{"id_str":"1","created_at":"Fri May 01 10:00:00 +0000 2026"}} ]`: "twitter-circle-tweet.js holds Twitter Circle posts, which only the owner's Circle could see: not imported",
		`window.YTD.grok_chat_item.part0 = [ ]`:                                                                              "grok-chat-item.js (window.YTD.grok_chat_item) holds no posts",
		`window.__THAR_CONFIG = {"userInfo":{}}`:                                                                             "manifest.js holds the archive's manifest, not posts",
		"var user_details =  {\"screen_name\":\"a\"}":                                                                        "user_details.js (var user_details) holds the account, not posts",
		"Grailbird.data.tweet_index = [ ]":                                                                                   "Grailbird.data.tweet_index holds no posts",
	} {
		r := collect(t, DecodeArchive(strings.NewReader(in)))
		line := strings.Count(in[:strings.IndexAny(in, "[{")], "\n") + 1
		if len(r.posts) != 0 || len(r.deletes) != 0 || len(r.errs) != 1 || r.errs[0].Err.Error() != "twitter archive: "+msg || r.errs[0].Line != line {
			t.Errorf("%.40q: %d posts, errors %v; want one error %q at line %d", in, len(r.posts), r.errs, msg, line)
		}
	}
}

// A legacy (Grailbird) archive month: tweets with their user, numeric ids,
// created_at "2011-09-30 21:49:47 +0000", and a retweet whose original is
// in retweeted_status (a post too, by its own author).
func TestDecodeArchiveGrailbird(t *testing.T) {
	f, err := os.Open("testdata/grailbird/data/js/tweets/2011_09.js")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := collect(t, DecodeArchiveFor(f, post.Author{Handle: "someone_else"}))
	if len(r.posts) != 4 || len(r.errs) != 0 || len(r.deletes) != 0 {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
	alice := post.Author{ID: "14000006", Handle: "alice_ex", Name: "Alice Example", URL: "https://x.com/alice_ex"}
	mail := post.Author{ID: "15000007", Handle: "examplemail", Name: "Example Mail Status", URL: "https://x.com/examplemail"}
	orig := "We are aware of problems delivering mail and are working on a fix. Updates follow here every 30 minutes until it is resolved."
	for _, w := range []want{
		{idx: 0, line: 2, id: "twitter:119885135015768064", url: "https://x.com/alice_ex/status/119885135015768064", author: alice,
			text: "Mail has been down for an hour & more #outage http://t.co/aBcDeF1", created: "2011-09-30T21:49:47Z",
			hashtags: []string{"outage"}, links: []string{"http://status.example.com/"}},
		{idx: 1, line: 32, id: "twitter:119883000000000002", url: "https://x.com/alice_ex/status/119883000000000002", author: alice,
			text: orig, created: "2011-09-30T21:38:02Z", repostOf: "twitter:119880000000000001", mentions: []string{"examplemail"}},
		{idx: 2, line: 32, id: "twitter:119880000000000001", url: "https://x.com/examplemail/status/119880000000000001", author: mail,
			text: orig, created: "2011-09-30T21:29:21Z"},
		{idx: 3, line: 83, id: "twitter:119879000000000003", url: "https://x.com/alice_ex/status/119879000000000003", author: alice,
			text: "@examplemail any news?", created: "2011-09-30T21:20:00Z", replyTo: "twitter:119880000000000001", mentions: []string{"examplemail"}},
	} {
		checkWant(t, r, w)
	}
	// Without a user the owner is the author, as in current archives.
	r = collect(t, DecodeArchiveFor(strings.NewReader("Grailbird.data.tweets_2009_01 = [ {\"id\":1234,\"created_at\":\"2009-01-02 03:04:05 +0000\",\"text\":\"hi\"} ]"), alice))
	if len(r.posts) != 1 || r.posts[0].Author != alice || r.posts[0].NativeID != "1234" || r.posts[0].CreatedAt.Format("2006-01-02T15:04:05Z07:00") != "2009-01-02T03:04:05Z" {
		t.Fatalf("got %d posts %+v, errors %v", len(r.posts), r.posts, r.errs)
	}
}

// noteText is the full text of a long post, noteReply that of a long reply
// (whose note leaves out the leading @mention the tweet has).
const (
	noteText  = "Status update on the storage outage: the primary cluster in Frankfurt lost two of its three metadata nodes at 08:41 UTC after a failed firmware update. Writes were stopped to protect data; reads fall back to the replica in Amsterdam, which is why pages load slowly. We expect writes back by 11:00 UTC and will post every 30 minutes until then. #outage https://t.co/n1"
	noteReply = "we do not know yet whether the firmware update or the power event at 08:40 came first; both are in the incident log and the vendor is looking at the crash dumps from both metadata nodes right now. A full write-up follows once writes are back and the cluster has three healthy nodes again, probably tomorrow."
)

func noteTweetsJS() string {
	return `window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "1790000000000000901",
      "updatedAt" : "2026-05-03T09:00:00.000Z",
      "lifecycle" : { "value" : "1", "name" : "Published", "originalValue" : "1", "value_" : 1 },
      "createdAt" : "2026-05-03T09:00:00.000Z",
      "core" : {
        "styletags" : [ ],
        "urls" : [ ],
        "text" : "Status update: all green again.",
        "mentions" : [ ],
        "cashtags" : [ ],
        "hashtags" : [ ]
      }
    }
  },
  {
    "noteTweet" : {
      "noteTweetId" : "1790000000000000902",
      "updatedAt" : "2026-05-03T09:00:03.000Z",
      "lifecycle" : { "value" : "1", "name" : "Published", "originalValue" : "1", "value_" : 1 },
      "createdAt" : "2026-05-03T09:00:03.000Z",
      "core" : {
        "styletags" : [ { "styleTypes" : [ { "value" : "0", "name" : "Bold", "originalValue" : "0", "value_" : 0 } ], "fromIndex" : "0", "toIndex" : "13" } ],
        "urls" : [ { "shortUrl" : "https://t.co/n1", "expandedUrl" : "https://status.example.com/incidents/77", "displayUrl" : "status.example.com/incidents/77", "fromIndex" : "356", "toIndex" : "371" } ],
        "text" : "` + noteText + `",
        "mentions" : [ ],
        "cashtags" : [ ],
        "hashtags" : [ { "text" : "outage", "fromIndex" : "348", "toIndex" : "355" } ]
      }
    }
  },
  {
    "noteTweet" : {
      "noteTweetId" : "1790000000000000903",
      "updatedAt" : "2026-05-03T10:00:02.000Z",
      "createdAt" : "2026-05-03T10:00:02.000Z",
      "core" : {
        "urls" : [ ],
        "text" : "` + noteReply + `",
        "mentions" : [ ],
        "hashtags" : [ ]
      }
    }
  }
]`
}

// archiveTweetJSON returns a tweets.js record.
func archiveTweetJSON(id, created, text string, mentions ...string) string {
	var m []string
	for _, u := range mentions {
		m = append(m, `{"screen_name":"`+u+`","indices":["0","4"]}`)
	}
	return `{"tweet":{"id_str":"` + id + `","created_at":"` + created + `","full_text":"` + text + `","lang":"en","entities":{"user_mentions":[` + strings.Join(m, ",") + `]}}}`
}

// Long posts: tweets.js has their text cut, note-tweet.js the full text.
// With the notes, each truncated tweet gets its note's text (the one that
// matches its text, not the nearest in time), a reply keeps its leading
// @mention, and a truncated tweet without a note keeps its text.
func TestDecodeArchiveNotes(t *testing.T) {
	cut := func(s string, n int) string { return string([]rune(s)[:n]) + "…" }
	tweets := "window.YTD.tweets.part0 = [\n" +
		archiveTweetJSON("1790000000000000100", "Sun May 03 09:00:00 +0000 2026", cut(noteText, 270)+" https://t.co/self") + ",\n" +
		archiveTweetJSON("1790000000000000200", "Sun May 03 10:00:00 +0000 2026", "@bob "+cut(noteReply, 265), "bob") + ",\n" +
		archiveTweetJSON("1790000000000000300", "Sun May 03 09:00:01 +0000 2026", "Status update: all green again in all regions, but the queue…") + ",\n" +
		archiveTweetJSON("1790000000000000400", "Sun May 03 09:00:00 +0000 2026", "Status update: all green again.") + "\n]"

	var notes ArchiveNotes
	if n, err := notes.Read(strings.NewReader(noteTweetsJS())); n != 3 || err != nil || notes.Len() != 3 {
		t.Fatalf("read %d notes (%d), %v; want 3", n, notes.Len(), err)
	}
	// note-tweet.js decoded as a file of posts yields nothing.
	if r := collect(t, DecodeArchive(strings.NewReader(noteTweetsJS()))); len(r.posts)+len(r.errs)+len(r.deletes) != 0 {
		t.Fatalf("note-tweet.js gave %d posts, errors %v", len(r.posts), r.errs)
	}

	r := collect(t, DecodeArchiveWith(strings.NewReader(tweets), ArchiveOptions{Owner: post.Author{Handle: "ops"}, Notes: &notes}))
	if len(r.posts) != 4 || len(r.errs) != 0 {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
	ops := post.Author{Handle: "ops", URL: "https://x.com/ops"}
	for _, w := range []want{
		{idx: 0, line: 2, id: "twitter:1790000000000000100", url: "https://x.com/ops/status/1790000000000000100", author: ops,
			text: noteText, lang: "en", created: "2026-05-03T09:00:00Z",
			hashtags: []string{"outage"}, links: []string{"https://status.example.com/incidents/77"}},
		{idx: 1, line: 3, id: "twitter:1790000000000000200", url: "https://x.com/ops/status/1790000000000000200", author: ops,
			text: "@bob " + noteReply, lang: "en", created: "2026-05-03T10:00:00Z", mentions: []string{"bob"}},
		{idx: 2, line: 4, id: "twitter:1790000000000000300", url: "https://x.com/ops/status/1790000000000000300", author: ops,
			text: "Status update: all green again in all regions, but the queue…", lang: "en", created: "2026-05-03T09:00:01Z"},
		{idx: 3, line: 5, id: "twitter:1790000000000000400", url: "https://x.com/ops/status/1790000000000000400", author: ops,
			text: "Status update: all green again.", lang: "en", created: "2026-05-03T09:00:00Z"},
	} {
		checkWant(t, r, w)
	}
	// The completed post's Raw holds the tweet and its note, and decodes
	// again, without the notes, to the same text.
	raw := r.posts[0].Raw
	if !strings.HasPrefix(string(raw), `{"tweet":{"id_str":"1790000000000000100"`) || !strings.Contains(string(raw), `,"noteTweet":{`) {
		t.Fatalf("raw %.80s", raw)
	}
	again := collect(t, DecodeArchive(strings.NewReader("["+string(raw)+"]")))
	if len(again.posts) != 1 || again.posts[0].Text != noteText || string(again.posts[0].Raw) != string(raw) {
		t.Fatalf("raw decoded again: %d posts, errors %v", len(again.posts), again.errs)
	}
	// Without the notes the texts stay cut.
	r = collect(t, DecodeArchive(strings.NewReader(tweets)))
	if len(r.posts) != 4 || !strings.HasSuffix(r.posts[0].Text, "… https://t.co/self") {
		t.Fatalf("without notes: %d posts, first text %q", len(r.posts), r.posts[0].Text)
	}
}

func TestArchiveNotesReadErrors(t *testing.T) {
	var notes ArchiveNotes
	in := "window.YTD.note_tweet.part0 = [\n" +
		`{"noteTweet":{"createdAt":"2026-05-03T09:00:00.000Z","core":{"text":"a"}}},` + "\n" +
		`{"noteTweet":{"createdAt":"yesterday","core":{"text":"b"}}},` + "\n" +
		`{"noteTweet":{"createdAt":"2026-05-03T09:00:00.000Z"}},` + "\n" +
		`{"tweet":{}},` + "\n" +
		`{"noteTweet":{"createdAt":"2026-05-03T09:00:00.000Z","core":{"text":"c"}}}` + "\n]"
	n, err := notes.Read(strings.NewReader(in))
	if n != 2 || err == nil || notes.Len() != 2 {
		t.Fatalf("read %d, %v", n, err)
	}
	for _, s := range []string{"line 3: noteTweet: bad createdAt", "line 4: noteTweet has no core.text", "line 5: record has no noteTweet"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	// The same records decoded as a file: an error for each bad note.
	r := collect(t, DecodeArchive(strings.NewReader(in)))
	if len(r.posts) != 0 || len(r.errs) != 3 || r.errs[0].Line != 3 || r.errs[2].Line != 5 {
		t.Errorf("decoded: %d posts, errors %v", len(r.posts), r.errs)
	}
	if n, err := notes.Read(strings.NewReader(`window.YTD.like.part0 = [{"like":{}},{"like":{}}]`)); n != 0 || err == nil || !strings.Contains(err.Error(), "line 1: not a note file (window.YTD.like)") || strings.Count(err.Error(), "line") != 1 {
		t.Errorf("like.js as notes: %d, %v", n, err)
	}
	var nilNotes *ArchiveNotes
	if nilNotes.Len() != 0 || nilNotes.match(time.Time{}, "a…") != nil {
		t.Error("nil notes")
	}
}

func FuzzReadArchiveAccount(f *testing.F) {
	b, err := os.ReadFile(testdata.Path(f, "realworld", "x-archive_milahu104", "data", "account.js"))
	if err != nil {
		f.Fatal(err)
	}
	// The real account.js, its e-mail address left out of the corpus.
	f.Add([]byte(regexp.MustCompile(`"email" : "[^"]*"`).ReplaceAllString(string(b), `"email" : "owner@example.org"`)))
	if b, err = os.ReadFile("testdata/grailbird/data/js/user_details.js"); err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`[{"account":{"username":"@"}}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadArchiveAccount(strings.NewReader(string(in)))
		if err == nil && (a.Handle == "" || a.URL != "https://x.com/"+a.Handle) {
			t.Fatalf("author %+v without error", a)
		}
		if err != nil && a != (post.Author{}) {
			t.Fatalf("author %+v with error %v", a, err)
		}
	})
}

func FuzzDecodeArchiveGrailbird(f *testing.F) {
	b, err := os.ReadFile("testdata/grailbird/data/js/tweets/2011_09.js")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("Grailbird.data.tweets_2009_01 = [ {\"id\":1234,\"created_at\":\"2009-01-02 03:04:05 +0000\",\"text\":\"hi\",\"user\":{\"id\":5,\"screen_name\":\"a\"},\"retweeted_status\":{\"id\":7,\"created_at\":\"2009-01-01 03:04:05 +0000\",\"text\":\"o\"}} ]"))
	f.Add([]byte("var user_details = {}"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeArchive, in) })
}

// FuzzArchiveNotes reads its input as note-tweet.js and decodes tweets.js
// records against the notes read, and its input as tweets.js against the
// fixture's notes.
func FuzzArchiveNotes(f *testing.F) {
	f.Add([]byte(noteTweetsJS()))
	f.Add([]byte(`[{"noteTweet":{"createdAt":"2026-05-03T09:00:00Z","core":{"text":"a b c d","hashtags":[{"text":"x"}],"urls":[{"expandedUrl":"u"}],"mentions":[{"screenName":"m"}]}}}]`))
	f.Add([]byte(`[` + archiveTweetJSON("7", "Sun May 03 09:00:03 +0000 2026", "@bob Status update on the…", "bob") + `]`))
	var fixture ArchiveNotes
	if _, err := fixture.Read(strings.NewReader(noteTweetsJS())); err != nil {
		f.Fatal(err)
	}
	tweets := "[" + archiveTweetJSON("1", "Sun May 03 09:00:00 +0000 2026", "a b…") + "," +
		archiveTweetJSON("2", "Sun May 03 09:00:00 +0000 2026", "@x … https://t.co/y") + "]"
	f.Fuzz(func(t *testing.T, in []byte) {
		var notes ArchiveNotes
		n, _ := notes.Read(strings.NewReader(string(in)))
		if n != notes.Len() {
			t.Fatalf("read %d notes, holds %d", n, notes.Len())
		}
		for it := range DecodeArchiveWith(strings.NewReader(tweets), ArchiveOptions{Notes: &notes}) {
			checkItem(t, it)
		}
		for it := range DecodeArchiveWith(strings.NewReader(string(in)), ArchiveOptions{Notes: &fixture}) {
			checkItem(t, it)
		}
	})
}

func TestReadArchiveCounts(t *testing.T) {
	manifest := `window.__THAR_CONFIG = {
  "userInfo" : { "accountId" : "1", "userName" : "ops", "displayName" : "Ops" },
  "archiveInfo" : { "sizeBytes" : "4454", "generationDate" : "2026-03-06T12:00:00.000Z", "isPartialArchive" : false, "maxPartSizeBytes" : "53687091200" },
  "dataTypes" : {
    "account" : { "files" : [ { "fileName" : "data/account.js", "globalName" : "YTD.account.part0", "count" : "1" } ] },
    "communityTweet" : { "mediaDirectory" : "data/community_tweet_media", "files" : [ { "fileName" : "data/community-tweet.js", "globalName" : "YTD.community_tweet.part0", "count" : "3" } ] },
    "communityTweetMedia" : { "mediaDirectory" : "data/community_tweet_media" },
    "deletedTweets" : { "mediaDirectory" : "data/deleted_tweets_media", "files" : [ { "fileName" : "data/deleted-tweets.js", "globalName" : "YTD.deleted_tweets.part0", "count" : "47" } ] },
    "like" : { "files" : [ { "fileName" : "data/like.js", "globalName" : "YTD.like.part0", "count" : "25548" } ] },
    "noteTweet" : { "files" : [ { "fileName" : "data/note-tweet.js", "globalName" : "YTD.note_tweet.part0", "count" : "2" } ] },
    "tweetHeaders" : { "files" : [ { "fileName" : "data/tweet-headers.js", "globalName" : "YTD.tweet_headers.part0", "count" : "2045" } ] },
    "tweets" : { "mediaDirectory" : "data/tweets_media", "files" : [
      { "fileName" : "data/tweets.js", "globalName" : "YTD.tweets.part0", "count" : "2000" },
      { "fileName" : "data/tweets-part1.js", "globalName" : "YTD.tweets.part1", "count" : "45" } ] }
  }
}`
	got, err := ReadArchiveCounts(strings.NewReader(manifest))
	want := map[string]int64{"data/community-tweet.js": 3, "data/deleted-tweets.js": 47, "data/tweets.js": 2000, "data/tweets-part1.js": 45}
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("manifest.js: %v, %v; want %v", got, err, want)
	}
	index := "var tweet_index =  [ {\n  \"file_name\" : \"data/js/tweets/2011_09.js\",\n  \"year\" : 2011,\n  \"var_name\" : \"tweets_2011_09\",\n  \"tweet_count\" : 3,\n  \"month\" : 9\n}, {\n  \"file_name\" : \"data/js/tweets/2011_08.js\",\n  \"year\" : 2011,\n  \"var_name\" : \"tweets_2011_08\",\n  \"tweet_count\" : 12,\n  \"month\" : 8\n} ]"
	got, err = ReadArchiveCounts(strings.NewReader(index))
	want = map[string]int64{"data/js/tweets/2011_09.js": 3, "data/js/tweets/2011_08.js": 12}
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("tweet_index.js: %v, %v; want %v", got, err, want)
	}
	for in, errHas := range map[string]string{
		`window.YTD.tweets.part0 = [{"tweet":{}}]`: `want manifest.js or tweet_index.js, got "tweets"`,
		"window.__THAR_CONFIG = {\n\"dataTypes\":": "line 2: malformed JSON",
		`window.__THAR_CONFIG = {"dataTypes":[]}`:  "cannot unmarshal",
		"var tweet_index = [\n5]":                  "line 2: record is a number",
	} {
		if got, err := ReadArchiveCounts(strings.NewReader(in)); err == nil || got != nil || !strings.Contains(err.Error(), errHas) {
			t.Errorf("%.40q: %v, %v; want error with %q", in, got, err, errHas)
		}
	}
}

func FuzzReadArchiveCounts(f *testing.F) {
	f.Add([]byte(`window.__THAR_CONFIG = {"dataTypes":{"tweets":{"files":[{"fileName":"data/tweets.js","count":"3"},{"fileName":"data/tweets-part1.js","count":4}]}}}`))
	f.Add([]byte(`var tweet_index = [{"file_name":"data/js/tweets/2011_09.js","tweet_count":3}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		counts, err := ReadArchiveCounts(strings.NewReader(string(in)))
		if err != nil && counts != nil {
			t.Fatalf("counts %v with error %v", counts, err)
		}
		for name, n := range counts {
			if !ArchivePostFile(name) || ArchiveNoteFile(name) || n < 0 {
				t.Fatalf("count %d for %q", n, name)
			}
		}
	})
}
