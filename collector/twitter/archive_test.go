package twitter

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/post"
)

// archiveSample is a small, invented tweets.js in the layout of an X
// "Download your archive" export: numbers as strings, no user object, a
// reply, a retweet (text only), a tweet with media, and an edit chain.
const archiveSample = `window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1785000000000000002"
          ],
          "editableUntil" : "2026-05-01T11:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "outage",
            "indices" : [ "40", "47" ]
          }
        ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Bob",
            "screen_name" : "bob",
            "indices" : [ "6", "10" ],
            "id_str" : "7",
            "id" : "7"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/xAbc",
            "expanded_url" : "https://status.example.com/incidents/42",
            "display_url" : "status.example.com/incidents/42",
            "indices" : [ "48", "71" ]
          }
        ]
      },
      "display_text_range" : [ "0", "71" ],
      "favorite_count" : "3",
      "in_reply_to_status_id_str" : "1785000000000000001",
      "id_str" : "1785000000000000002",
      "in_reply_to_user_id" : "7",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "1785000000000000002",
      "in_reply_to_status_id" : "1785000000000000001",
      "created_at" : "Fri May 01 10:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "hello @bob is the API down for you too? #outage https://t.co/xAbc",
      "lang" : "en",
      "in_reply_to_screen_name" : "bob",
      "in_reply_to_user_id_str" : "7"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1785000000000000010" ],
          "editableUntil" : "2026-05-01T11:30:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Carol",
            "screen_name" : "carol",
            "indices" : [ "3", "9" ],
            "id_str" : "8",
            "id" : "8"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "58" ],
      "favorite_count" : "0",
      "id_str" : "1785000000000000010",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1785000000000000010",
      "created_at" : "Fri May 01 10:30:00 +0000 2026",
      "favorited" : false,
      "full_text" : "RT @carol: Login is broken &amp; support says &lt;1h to fix…",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1785000000000000020", "1785000000000000021" ],
          "editableUntil" : "2026-05-02T09:00:00.000Z",
          "editsRemaining" : "4",
          "isEditEligible" : true
        }
      },
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [
          {
            "expanded_url" : "https://twitter.com/alice/status/1785000000000000020/photo/1",
            "indices" : [ "24", "47" ],
            "url" : "https://t.co/pic1",
            "media_url" : "http://pbs.twimg.com/media/AAA.jpg",
            "id_str" : "1785000000000000019",
            "id" : "1785000000000000019",
            "media_url_https" : "https://pbs.twimg.com/media/AAA.jpg",
            "type" : "photo",
            "display_url" : "pic.twitter.com/pic1"
          }
        ]
      },
      "extended_entities" : {
        "media" : [
          {
            "media_url_https" : "https://pbs.twimg.com/media/AAA.jpg",
            "type" : "photo",
            "id_str" : "1785000000000000019"
          },
          {
            "media_url_https" : "https://pbs.twimg.com/media/BBB.jpg",
            "type" : "photo",
            "id_str" : "1785000000000000018"
          }
        ]
      },
      "display_text_range" : [ "0", "23" ],
      "favorite_count" : "12",
      "id_str" : "1785000000000000020",
      "retweet_count" : "4",
      "id" : "1785000000000000020",
      "created_at" : "Sat May 02 08:00:00 +0000 2026",
      "full_text" : "status page still green https://t.co/pic1",
      "lang" : "und"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "edit" : {
          "initialTweetId" : "1785000000000000020",
          "editControlInitial" : {
            "editTweetIds" : [ "1785000000000000020", "1785000000000000021" ],
            "editableUntil" : "2026-05-02T09:00:00.000Z",
            "editsRemaining" : "4",
            "isEditEligible" : true
          }
        }
      },
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "favorite_count" : "15",
      "id_str" : "1785000000000000021",
      "retweet_count" : "4",
      "id" : "1785000000000000021",
      "created_at" : "Sat May 02 08:05:00 +0000 2026",
      "full_text" : "status page still green, 2h into the outage",
      "lang" : "en"
    }
  }
];
`

// archiveWants are the posts of archiveSample for an unknown owner.
var archiveWants = []want{
	{idx: 0, line: 2, id: "twitter:1785000000000000002", url: "https://x.com/i/web/status/1785000000000000002",
		text: "hello @bob is the API down for you too? #outage https://t.co/xAbc", lang: "en", created: "2026-05-01T10:00:00Z",
		replyTo: "twitter:1785000000000000001", metrics: post.Metrics{Likes: 3, Reposts: 1},
		hashtags: []string{"outage"}, mentions: []string{"bob"}, links: []string{"https://status.example.com/incidents/42"}},
	{idx: 1, line: 59, id: "twitter:1785000000000000010", url: "https://x.com/i/web/status/1785000000000000010",
		text: "RT @carol: Login is broken & support says <1h to fix…", lang: "en", created: "2026-05-01T10:30:00Z",
		mentions: []string{"carol"}},
	{idx: 2, line: 96, id: "twitter:1785000000000000020", url: "https://x.com/i/web/status/1785000000000000020",
		text: "status page still green https://t.co/pic1", created: "2026-05-02T08:00:00Z",
		metrics: post.Metrics{Likes: 12, Reposts: 4},
		media:   []string{"https://pbs.twimg.com/media/AAA.jpg", "https://pbs.twimg.com/media/BBB.jpg"}},
	{idx: 3, line: 149, id: "twitter:1785000000000000020", url: "https://x.com/i/web/status/1785000000000000021",
		text: "status page still green, 2h into the outage", lang: "en", created: "2026-05-02T08:05:00Z",
		edited: "2026-05-02T08:05:00Z", revision: 1, metrics: post.Metrics{Likes: 15, Reposts: 4}},
}

func TestDecodeArchive(t *testing.T) {
	r := collect(t, DecodeArchive(strings.NewReader(archiveSample)))
	if len(r.posts) != 4 || len(r.errs) != 0 || len(r.deletes) != 0 {
		t.Fatalf("got %d posts, %d deletes, errors %v", len(r.posts), len(r.deletes), r.errs)
	}
	for _, w := range archiveWants {
		checkWant(t, r, w)
	}
	if !bytes.HasPrefix(r.posts[0].Raw, []byte(`{`+"\n"+`      "edit_info"`)) || !bytes.HasSuffix(r.posts[0].Raw, []byte(`"7"`+"\n    }")) {
		t.Errorf("raw is not the tweet object: %q", r.posts[0].Raw)
	}
}

func TestDecodeArchiveFor(t *testing.T) {
	owner := post.Author{ID: "6", Handle: "alice", Name: "Alice"}
	r := collect(t, DecodeArchiveFor(strings.NewReader(archiveSample), owner))
	if len(r.posts) != 4 {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
	wantAuthor := post.Author{ID: "6", Handle: "alice", Name: "Alice", URL: "https://x.com/alice"}
	for i, p := range r.posts {
		if p.Author != wantAuthor {
			t.Errorf("post %d: author %+v, want %+v", i, p.Author, wantAuthor)
		}
	}
	if got, want := r.posts[3].URL, "https://x.com/alice/status/1785000000000000021"; got != want {
		t.Errorf("url %s, want %s", got, want)
	}
}

// A tweets.js cut off inside its third tweet: the first two posts, then one
// error at the line where the input ends.
func TestDecodeArchiveTruncated(t *testing.T) {
	cut := archiveSample[:strings.Index(archiveSample, `"display_url" : "pic.twitter.com/pic1"`)]
	lastLine := strings.Count(cut, "\n") + 1
	r := collect(t, DecodeArchive(strings.NewReader(cut)))
	if len(r.posts) != 2 || len(r.errs) != 1 {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
	checkWant(t, r, archiveWants[0])
	checkWant(t, r, archiveWants[1])
	if e := r.errs[0]; e.Line != lastLine || !strings.Contains(e.Err.Error(), "truncated") || !strings.HasPrefix(e.Err.Error(), "twitter archive: ") {
		t.Errorf("error at line %d: %v; want line %d, truncated", e.Line, e.Err, lastLine)
	}
}

func TestDecodeArchiveLayouts(t *testing.T) {
	const tw = `{"tweet":{"id_str":"5","id":"5","created_at":"Fri May 01 10:00:00 +0000 2026","full_text":"a","favorite_count":"2","lang":"en"}}`
	const tw2 = `{"tweet":{"id":"6","created_at":"Fri May 01 10:00:00 +0000 2026","full_text":"b","favorite_count":7,"retweet_count":"x"}}`
	tests := []struct {
		name     string
		in       string
		posts    int
		errLines []int
		errHas   string
	}{
		{"one line with semicolon", `window.YTD.tweets.part0 = [` + tw + `,` + tw2 + `];`, 2, nil, ""},
		{"old tweet.js name", "window.YTD.tweet.part0 = [ " + tw + " ]\n", 1, nil, ""},
		{"plain JSON array", "[\n" + tw + ",\n" + tw2 + "\n]\n", 2, nil, ""},
		{"JSON lines", tw + "\n" + tw2 + "\n", 2, nil, ""},
		{"bare tweet objects", `[{"id_str":"5","created_at":"Fri May 01 10:00:00 +0000 2026","full_text":"a"}]`, 1, nil, ""},
		{"byte order mark and blank lines", "\ufeff\n\nwindow.YTD.tweets.part0 = [\n" + tw + "\n] ; \n\n", 1, nil, ""},
		{"error line after prefix lines", "// exported\nwindow.YTD.tweets.part0 =\n[\n" + tw + ",\n{\"tweet\":{\"id_str\":\"7\"}}\n]", 1, []int{5}, "no created_at"},
		{"empty", "", 0, nil, ""},
		{"white space only", " \n\t\n", 0, nil, ""},
		{"empty array", "window.YTD.tweets.part0 = [ ]", 0, nil, ""},
		{"no array", "window.YTD.tweets.part0 = undefined;", 0, []int{1}, "no JSON array"},
		{"missing id", `[{"tweet":{"created_at":"Fri May 01 10:00:00 +0000 2026","full_text":"a"}}]`, 0, []int{1}, "no id_str"},
		{"non-numeric id", `[{"tweet":{"id_str":"x","created_at":"Fri May 01 10:00:00 +0000 2026"}}]`, 0, []int{1}, "not numeric"},
		{"missing time", `[{"tweet":{"id_str":"1","full_text":"a"}}]`, 0, []int{1}, "no created_at"},
		{"bad time", `[{"tweet":{"id_str":"1","created_at":"2026-05-01"}}]`, 0, []int{1}, "bad created_at"},
		{"tweet not an object", `[{"tweet":"x"}]`, 0, []int{1}, "tweet is a string"},
		{"record not an object", `[1]`, 0, []int{1}, "record is a number"},
		{"like.js record", `[{"like":{"tweetId":"1","fullText":"x"}}]`, 0, []int{1}, "no id_str"},
		{"bad id type", `[{"tweet":{"id_str":true,"created_at":"Fri May 01 10:00:00 +0000 2026"}}]`, 0, []int{1}, "decode tweet"},
		{"stray trailer", "[" + tw + "]\n]", 1, []int{2}, "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := collect(t, DecodeArchive(strings.NewReader(tt.in)))
			if len(r.posts) != tt.posts || len(r.errs) != len(tt.errLines) {
				t.Fatalf("got %d posts, errors %v; want %d posts, errors at %v", len(r.posts), r.errs, tt.posts, tt.errLines)
			}
			for i, e := range r.errs {
				if e.Line != tt.errLines[i] || !strings.Contains(e.Err.Error(), tt.errHas) || !strings.HasPrefix(e.Err.Error(), "twitter archive: ") {
					t.Errorf("error %d: line %d %q; want line %d containing %q", i, e.Line, e.Err, tt.errLines[i], tt.errHas)
				}
			}
			if tt.posts == 2 {
				if m := r.posts[1].Metrics; m.Likes != 7 || m.Reposts != 0 {
					t.Errorf("metrics of numeric/garbage counts: %+v", m)
				}
			}
		})
	}
}

// trailerTrimmer must pass everything but the final run of ';' and white
// space, whatever the read sizes.
func TestTrailerTrimmer(t *testing.T) {
	for _, in := range []string{"", ";", "[1] ; \n", "[\"a ;\"]", "[1]\n\n;\n", strings.Repeat("x ;", 20000) + "y;;\n"} {
		got, err := readAllSmall(&trailerTrimmer{r: strings.NewReader(in)})
		if err != nil {
			t.Fatal(err)
		}
		want := strings.TrimRight(in, "; \t\r\n")
		if strings.TrimRight(got, "\n") != want || strings.Count(got, "\n") != strings.Count(in, "\n") {
			t.Errorf("trim(%.30q) = %.30q, want %.30q plus its line breaks", in, got, want)
		}
	}
}

func readAllSmall(r *trailerTrimmer) (string, error) {
	var b strings.Builder
	buf := make([]byte, 7)
	for {
		n, err := r.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			if err.Error() == "EOF" {
				return b.String(), nil
			}
			return b.String(), err
		}
	}
}

func FuzzDecodeArchive(f *testing.F) {
	// Small seeds: the fuzzer minimises every interesting input, which takes
	// its whole time budget on a multi-kilobyte seed like archiveSample.
	for _, s := range []string{
		"window.YTD.tweets.part0 = [\n{\"tweet\":{\"id_str\":\"1\",\"created_at\":\"Fri May 01 10:00:00 +0000 2026\",\"full_text\":\"RT @a: x &amp; y\",\"favorite_count\":\"3\",\"in_reply_to_status_id_str\":\"0\",\"entities\":{\"urls\":[{\"expanded_url\":\"https://e.x/\"}],\"user_mentions\":[{\"screen_name\":\"a\"}]}}},\n{\"tweet\":{\"id\":\"2\",\"created_at\":\"Fri May 01 10:00:00 +0000 2026\",\"edit_info\":{\"initial\":{\"editTweetIds\":[\"1\",\"2\"]}}}}\n];\n",
		"window.YTD.tweet.part0 = [ {\"tweet\":{\"id_str\":\"1\",\"created_at\":\"Fri May 01 10:00:00 +0000 2026\"",
		`window.YTD.tweets.part0 = [{"tweet":{"id_str":"1","created_at":"Fri May 01 10:00:00 +0000 2026","full_text":"x","edit_info":{"edit":{"initialTweetId":"0"}}}}];`,
		`[{"tweet":{"id":"2","created_at":"Fri May 01 10:00:00 +0000 2026","favorite_count":"1e3","extended_entities":{"media":[{}]}}}]`,
		"window.YTD.tweets.part0 = ",
		"{\"tweet\":",
		"window.YTD.deleted_tweets.part0 = [{\"tweet\":{\"id_str\":\"3\",\"created_at\":\"Fri May 01 10:00:00 +0000 2026\",\"deleted_at\":\"Fri May 01 11:00:00 +0000 2026\"}}]",
		"window.YTD.community_tweet.part0 = [{\"tweet\":{\"id_str\":\"4\",\"community_id_str\":\"5\",\"created_at\":\"Fri May 01 10:00:00 +0000 2026\"}}]",
		"window.YTD.like.part0 = [{\"like\":{\"tweetId\":\"1\"}}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeArchive, in) })
}
