package mastodon

import (
	"encoding/json"
	"iter"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// collect runs a decoder over an input and checks the item contract on every
// item. Expect items are dropped: collectExpects keeps them.
func collect(t *testing.T, seq iter.Seq[collector.Item]) (posts []*post.Post, dels []*post.Ref, errs []collector.Item) {
	t.Helper()
	posts, dels, errs, _ = collectExpects(t, seq)
	return posts, dels, errs
}

// collectExpects is collect that also returns the Expect items.
func collectExpects(t *testing.T, seq iter.Seq[collector.Item]) (posts []*post.Post, dels []*post.Ref, errs []collector.Item, expects []collector.Expect) {
	t.Helper()
	for it := range seq {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		switch {
		case it.Post != nil:
			posts = append(posts, it.Post)
		case it.Delete != nil:
			dels = append(dels, it.Delete)
		case it.Expect != nil:
			expects = append(expects, *it.Expect)
		default:
			errs = append(errs, it)
		}
	}
	return posts, dels, errs, expects
}

func decodeFile(t *testing.T, name string) (posts []*post.Post, errs []collector.Item) {
	t.Helper()
	f, err := os.Open(testdata.Path(t, "mastodon", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	posts, dels, errs := collect(t, DecodeStatuses(f))
	if len(dels) != 0 {
		t.Errorf("%s: %d deletes, want none", name, len(dels))
	}
	return posts, errs
}

func byNativeID(posts []*post.Post, id string) *post.Post {
	for _, p := range posts {
		if p.NativeID == id {
			return p
		}
	}
	return nil
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// TestDecodeStatusesFiles checks every status file of the shared data set
// against counts looked up in the files with python3.
func TestDecodeStatusesFiles(t *testing.T) {
	tests := []struct {
		file                 string
		posts                int
		replies              int // posts with ReplyTo resolved
		edited, cw, de, lang int // posts with EditedAt, with a content warning, in German, with a language
		umlauts              int // posts whose text has ä, ö, ü or ß
		likes                int64
	}{
		{"rtoot_account_statuses_fosstodon.json", 20, 4, 1, 0, 0, 20, 1, 150},
		{"rtoot_public_timeline_fosstodon.json", 20, 0, 0, 0, 0, 20, 1, 0},
		{"rtoot_public_timeline_mastodon-social.json", 20, 2, 0, 0, 3, 20, 4, 0},
		{"rtoot_status_context_mastodon-social.json", 59, 59, 0, 0, 2, 59, 0, 138},
		{"rtoot_status_fosstodon.json", 1, 0, 0, 0, 0, 1, 0, 12},
		{"rtoot_tag_ichbinhanna_mastodon-social_page1.json", 40, 1, 6, 0, 32, 39, 34, 68},
		{"rtoot_tag_ichbinhanna_mastodon-social_page2.json", 40, 0, 4, 0, 35, 40, 25, 40},
		{"rtoot_tag_ichbinhanna_mastodon-social_page3.json", 40, 2, 4, 2, 34, 40, 32, 52},
		{"rtoot_tag_ichbinhanna_mastodon-social_page4.json", 40, 2, 5, 0, 29, 39, 30, 169},
		{"rtoot_tag_rstats_mastodon-social.json", 5, 0, 0, 0, 0, 5, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			posts, errs := decodeFile(t, tc.file)
			for _, e := range errs {
				t.Errorf("unexpected error item at line %d: %v", e.Line, e.Err)
			}
			if len(posts) != tc.posts {
				t.Fatalf("got %d posts, want %d", len(posts), tc.posts)
			}
			var replies, edited, cw, de, lang, umlauts int
			var likes int64
			seen := map[string]bool{}
			for _, p := range posts {
				if seen[p.ID] {
					t.Errorf("post %s yielded twice", p.ID)
				}
				seen[p.ID] = true
				if p.ReplyTo != "" {
					replies++
				}
				if !p.EditedAt.IsZero() {
					edited++
					if p.Revision != p.EditedAt.UnixNano() {
						t.Errorf("%s: revision %d, edited at %v", p.ID, p.Revision, p.EditedAt)
					}
				} else if p.Revision != 0 {
					t.Errorf("%s: unedited post has revision %d", p.ID, p.Revision)
				}
				if strings.HasPrefix(p.Text, "CW: ") {
					cw++
				}
				if p.Lang == "de" {
					de++
				}
				if p.Lang != "" {
					lang++
				}
				if strings.ContainsAny(p.Text, "äöüÄÖÜß") {
					umlauts++
				}
				likes += p.Metrics.Likes
				if p.RepostOf != "" || p.QuoteOf != "" {
					t.Errorf("%s: unexpected relation repost=%q quote=%q", p.ID, p.RepostOf, p.QuoteOf)
				}
				if !strings.Contains(p.Author.Handle, "@") || p.Author.ID == "" || p.Author.URL == "" {
					t.Errorf("%s: incomplete author %+v", p.ID, p.Author)
				}
				if strings.Contains(p.Text, "<p>") || strings.Contains(p.Text, "&amp;") || strings.Contains(p.Text, "&quot;") {
					t.Errorf("%s: text still has HTML: %q", p.ID, p.Text)
				}
				var raw struct {
					URI string `json:"uri"`
				}
				if err := json.Unmarshal(p.Raw, &raw); err != nil || raw.URI != p.NativeID {
					t.Errorf("%s: Raw is not the status (uri %q, err %v)", p.ID, raw.URI, err)
				}
			}
			got := []any{replies, edited, cw, de, lang, umlauts, likes}
			want := []any{tc.replies, tc.edited, tc.cw, tc.de, tc.lang, tc.umlauts, tc.likes}
			if !slices.Equal(got, want) {
				t.Errorf("replies, edited, cw, de, lang, umlauts, likes = %v, want %v", got, want)
			}
		})
	}
}

func TestDecodeStatusesIndexIsNotStatuses(t *testing.T) {
	posts, errs := decodeFile(t, "rtoot_extraction_index.json")
	if len(posts) != 0 || len(errs) != 1 {
		t.Fatalf("got %d posts, %d errors; want 0, 1", len(posts), len(errs))
	}
	if !strings.Contains(errs[0].Err.Error(), "neither a status") {
		t.Errorf("error = %v", errs[0].Err)
	}
}

// TestDecodeStatusesRecords checks chosen records field by field.
func TestDecodeStatusesRecords(t *testing.T) {
	tests := []struct {
		file, uri string
		check     func(t *testing.T, p *post.Post)
	}{
		{"rtoot_status_fosstodon.json", "https://fosstodon.org/users/schochastics/statuses/114620457512351116", func(t *testing.T, p *post.Post) {
			eq(t, "url", p.URL, "https://fosstodon.org/@schochastics/114620457512351116")
			eq(t, "author", p.Author, post.Author{
				ID:     "https://fosstodon.org/users/schochastics",
				Handle: "schochastics@fosstodon.org", // local acct "schochastics" + host
				Name:   "David Schoch",
				URL:    "https://fosstodon.org/@schochastics",
			})
			// The link keeps its visible text, hidden spans included: the full URL.
			eq(t, "text", p.Text, "Super grateful to have received an R Consortium grant to keep working on improving igraph! "+
				"Our goal is to work on the interface between the c core and the r package. To date it is still too tedious "+
				"to integrate new features seamlessly. https://r-consortium.org/posts/r-consortium-awards-first-round-of-2025-isc-grants/"+
				"#bridging-worlds-enhancing-r-igraph-with-c-core-innovations  #rstats cc @maelle")
			eq(t, "created", p.CreatedAt, mustTime(t, "2025-06-03T16:49:43.431Z"))
			eq(t, "lang", p.Lang, "en")
			eq(t, "metrics", p.Metrics, post.Metrics{Likes: 12, Reposts: 5, Replies: 1})
			eq(t, "hashtags", p.Hashtags, []string{"rstats"})
			eq(t, "mentions", p.Mentions, []string{"maelle@mastodon.social"})
			eq(t, "links", p.Links, []string{"https://r-consortium.org/posts/r-consortium-awards-first-round-of-2025-isc-grants/#bridging-worlds-enhancing-r-igraph-with-c-core-innovations"})
			eq(t, "id", p.ID, "mastodon:https://fosstodon.org/users/schochastics/statuses/114620457512351116")
		}},
		{"rtoot_account_statuses_fosstodon.json", "https://fosstodon.org/users/schochastics/statuses/113233973091653545", func(t *testing.T, p *post.Post) {
			eq(t, "edited", p.EditedAt, mustTime(t, "2024-10-01T20:10:57.004Z"))
			eq(t, "revision", p.Revision, mustTime(t, "2024-10-01T20:10:57.004Z").UnixNano())
			// A reply to a local account of the serving instance: the parent URI
			// is built from in_reply_to_id.
			eq(t, "reply", p.ReplyTo, "mastodon:https://fosstodon.org/users/terence/statuses/113232859535043288")
			eq(t, "mentions", p.Mentions, []string{"terence@fosstodon.org"})
			eq(t, "links", p.Links, []string{"https://cran.r-project.org/web/packages/geos/index.html"})
			eq(t, "text", p.Text, "@terence Once had a project that required heavy use of `st_intersection` and I ended up using "+
				"https://cran.r-project.org/web/packages/geos/index.html the function is `geos_intersection()`")
		}},
		{"rtoot_account_statuses_fosstodon.json", "https://fosstodon.org/users/schochastics/statuses/114739545367952761", func(t *testing.T, p *post.Post) {
			// &quot; decoded.
			eq(t, "text", p.Text, `@petejones I am not too familiar with "domain law" but I assume that chances are extremely low that this might become an issue.`)
			eq(t, "reply", p.ReplyTo, "")
		}},
		{"rtoot_public_timeline_fosstodon.json", "https://universeodon.com/users/MirrorAyako/statuses/114870362340240424", func(t *testing.T, p *post.Post) {
			// Paragraphs become blank lines, <br> a line break, &amp; is decoded.
			if !strings.HasPrefix(p.Text, "7/17: Starting at 8PM Eastern, we live toot Star Trek episodes playing on the H&I network, using the hashtag #AllStarTrek.") {
				t.Errorf("text starts %q", p.Text[:80])
			}
			for _, s := range []string{
				"for updates!\n\nThe Voyager crew’s very bad 1990s fashion! 😱\n\nTOS (8ET): The Apple\nTNG (9ET): Rascals\n",
				"\n\n#StarTrek\n#StarTrekTOS\n",
			} {
				if !strings.Contains(p.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, p.Text)
				}
			}
			eq(t, "author handle", p.Author.Handle, "MirrorAyako@universeodon.com")
			eq(t, "mentions", p.Mentions, []string{"allstartrek@a.gup.pe"})
			eq(t, "media", p.Media, []string{"https://cdn.fosstodon.org/cache/media_attachments/files/114/870/362/422/899/850/original/7b3ce96a9da28004.jpeg"})
			eq(t, "hashtag count", len(p.Hashtags), 11)
			eq(t, "links", len(p.Links), 0)
		}},
		{"rtoot_tag_ichbinhanna_mastodon-social_page3.json", "https://historians.social/users/LenaOetzel/statuses/114176839134109627", func(t *testing.T, p *post.Post) {
			if !strings.HasPrefix(p.Text, "CW: Machtmissbrauch Academia\n\n@academicsunite") {
				t.Errorf("text = %q", p.Text)
			}
			if !strings.Contains(p.Text, "der über 30 Forscherinnen und Forscher") || !strings.Contains(p.Text, "den Rücken gekehrt.") {
				t.Errorf("umlauts lost: %q", p.Text)
			}
			eq(t, "lang", p.Lang, "de")
			eq(t, "hashtags", p.Hashtags, []string{"machtmissbrauch", "IchbinHanna", "mpi", "academia"})
			eq(t, "reposts", p.Metrics.Reposts, int64(3))
			// The parent (a mastodon.social id) is not resolvable within this
			// array element.
			eq(t, "reply", p.ReplyTo, "")
		}},
		{"rtoot_tag_ichbinhanna_mastodon-social_page1.json", "https://mstdn.science/users/laborjournal/statuses/114856169522394793", func(t *testing.T, p *post.Post) {
			eq(t, "text start", p.Text[:len("Unser Heft 7-8/2025 ist raus!\n\nWie jeden Sommer mit starken Meinungen")], "Unser Heft 7-8/2025 ist raus!\n\nWie jeden Sommer mit starken Meinungen")
			if !strings.Contains(p.Text, "#KünstlicheIntelligenz") || !strings.Contains(p.Text, "#WissenschaftlicheIntegrität") {
				t.Errorf("text = %q", p.Text)
			}
			eq(t, "created", p.CreatedAt, mustTime(t, "2025-07-15T07:54:23Z"))
			eq(t, "edited", p.EditedAt, mustTime(t, "2025-07-15T07:55:30Z"))
			eq(t, "author handle", p.Author.Handle, "laborjournal@mstdn.science")
			eq(t, "author name", p.Author.Name, "Laborjournal")
			eq(t, "links", p.Links, []string{"https://www.laborjournal.de/rubric/aktuell/index.php"})
			eq(t, "media", p.Media, []string{"https://files.mastodon.social/cache/media_attachments/files/114/856/169/696/149/832/original/723a7fceea9e9013.jpg"})
		}},
		{"rtoot_tag_ichbinhanna_mastodon-social_page1.json", "https://ibe.social/notes/a8nz8ias02", func(t *testing.T, p *post.Post) {
			// A Misskey note: language null, no display name, links without
			// classes recognised as mention and hashtag by their text.
			eq(t, "lang", p.Lang, "")
			eq(t, "text", p.Text, "@leonceundlena.bsky.social@bsky.brid.gy Eventuell die Truppe um #IchBinHanna?")
			eq(t, "author", p.Author, post.Author{ID: "https://ibe.social/users/9lrsox86t1o6tbic", Handle: "wiase@ibe.social", URL: "https://ibe.social/@wiase"})
			eq(t, "links", len(p.Links), 0)
		}},
		{"rtoot_tag_ichbinhanna_mastodon-social_page1.json", "https://bsky.brid.gy/convert/ap/at://did:plc:zb3xigxcpqfm6egsityz7pit/app.bsky.feed.post/3lqucissxzc2i", func(t *testing.T, p *post.Post) {
			// quote.state "pending" with quoted_status null: no QuoteOf.
			eq(t, "quote", p.QuoteOf, "")
			eq(t, "links", p.Links, []string{"https://bsky.app/profile/did:plc:o7mqzu7aleiaz4hi44hod7x2/post/3lqu2pje46s2h"})
		}},
		{"rtoot_status_context_mastodon-social.json", "https://fosstodon.org/users/se_thinking/statuses/109297628135976736", func(t *testing.T, p *post.Post) {
			// Resolved through the id → uri map of the context response.
			eq(t, "reply", p.ReplyTo, "mastodon:https://mstdn.social/users/flow/statuses/109296144336690325")
		}},
		{"rtoot_status_context_mastodon-social.json", "https://mstdn.social/users/JMTee/statuses/109295408764217016", func(t *testing.T, p *post.Post) {
			// The context's own status is not in the response: built from the
			// local account austinkocher.
			eq(t, "reply", p.ReplyTo, "mastodon:https://mastodon.social/users/austinkocher/statuses/109294719267373593")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.uri[strings.LastIndex(tc.uri, "/")+1:], func(t *testing.T) {
			posts, _ := decodeFile(t, tc.file)
			p := byNativeID(posts, tc.uri)
			if p == nil {
				t.Fatalf("no post %s", tc.uri)
			}
			tc.check(t, p)
		})
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

const boostJSON = `{"id":"113000000000000002","uri":"https://m.example/users/alice/statuses/113000000000000002/activity","url":null,
"created_at":"2026-05-01T10:05:00.000Z","edited_at":null,"language":null,"spoiler_text":"","content":"",
"account":{"id":"1","username":"alice","acct":"alice","display_name":"Alice","url":"https://m.example/@alice","uri":"https://m.example/users/alice"},
"replies_count":0,"reblogs_count":0,"favourites_count":0,"tags":[],"mentions":[],"media_attachments":[],"card":null,"quote":null,
"reblog":{"id":"113000000000000001","uri":"https://other.example/users/bob/statuses/1","url":"https://other.example/@bob/1",
 "created_at":"2026-05-01T10:00:00.000Z","edited_at":"2026-05-01T10:01:00.000Z","language":"en","spoiler_text":"outage",
 "content":"<p>S3 is down &amp; so is <a href=\"https://m.example/tags/aws\" class=\"mention hashtag\">#<span>aws</span></a></p><p>see <a href=\"https://status.example/x\"><span class=\"invisible\">https://</span>status.example/x</a></p>",
 "account":{"id":"9","username":"bob","acct":"bob@other.example","display_name":"Bob","url":"https://other.example/@bob","uri":"https://other.example/users/bob"},
 "replies_count":1,"reblogs_count":2,"favourites_count":5,"quotes_count":1,
 "tags":[{"name":"aws","url":"https://m.example/tags/aws"}],"mentions":[],
 "media_attachments":[{"id":"1","type":"image","url":null,"remote_url":"https://files.other.example/a.png"}],
 "card":{"url":"https://status.example/x"},"reblog":null,"quote":null}}`

const quoteJSON = `{"id":"2","uri":"https://m.example/users/carol/statuses/2","url":"https://m.example/@carol/2","created_at":"2026-05-01T11:00:00Z",
"content":"<p>this</p>","account":{"id":"3","username":"carol","acct":"carol","url":"https://m.example/@carol","uri":"https://m.example/users/carol"},
"quote":{"state":"accepted","quoted_status":{"id":"1","uri":"https://other.example/users/bob/statuses/1","created_at":"2026-05-01T10:00:00Z","content":"<p>orig</p>",
  "account":{"id":"9","acct":"bob@other.example","url":"https://other.example/@bob"},
  "quote":{"state":"accepted","quoted_status_id":"2"}}}}`

func TestDecodeStatusesInline(t *testing.T) {
	t.Run("boost yields the boost and the original", func(t *testing.T) {
		posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(boostJSON)))
		if len(errs) != 0 || len(posts) != 2 {
			t.Fatalf("got %d posts, %d errors", len(posts), len(errs))
		}
		boost, orig := posts[0], posts[1]
		eq(t, "boost id", boost.ID, "mastodon:https://m.example/users/alice/statuses/113000000000000002/activity")
		eq(t, "boost url", boost.URL, boost.NativeID)
		eq(t, "boost repost", boost.RepostOf, "mastodon:https://other.example/users/bob/statuses/1")
		eq(t, "boost author", boost.Author.Handle, "alice@m.example")
		eq(t, "boost created", boost.CreatedAt, mustTime(t, "2026-05-01T10:05:00Z"))
		eq(t, "boost text", boost.Text, orig.Text)
		eq(t, "boost lang", boost.Lang, "en")
		eq(t, "boost hashtags", boost.Hashtags, []string{"aws"})
		eq(t, "boost metrics", boost.Metrics, post.Metrics{})
		eq(t, "orig text", orig.Text, "CW: outage\n\nS3 is down & so is #aws\n\nsee https://status.example/x")
		eq(t, "orig author", orig.Author, post.Author{ID: "https://other.example/users/bob", Handle: "bob@other.example", Name: "Bob", URL: "https://other.example/@bob"})
		eq(t, "orig metrics", orig.Metrics, post.Metrics{Likes: 5, Reposts: 2, Replies: 1, Quotes: 1})
		eq(t, "orig links", orig.Links, []string{"https://status.example/x"})
		eq(t, "orig media", orig.Media, []string{"https://files.other.example/a.png"})
		eq(t, "orig revision", orig.Revision, mustTime(t, "2026-05-01T10:01:00Z").UnixNano())
		if !strings.HasPrefix(string(orig.Raw), `{"id":"113000000000000001"`) || !strings.HasPrefix(string(boost.Raw), `{"id":"113000000000000002"`) {
			t.Errorf("raw: boost %.30s, orig %.30s", boost.Raw, orig.Raw)
		}
	})
	t.Run("quote yields the quoting and the quoted status", func(t *testing.T) {
		posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(quoteJSON)))
		if len(errs) != 0 || len(posts) != 2 {
			t.Fatalf("got %d posts, %d errors", len(posts), len(errs))
		}
		eq(t, "quote of", posts[0].QuoteOf, "mastodon:https://other.example/users/bob/statuses/1")
		eq(t, "quoted id", posts[1].ID, "mastodon:https://other.example/users/bob/statuses/1")
		// The shallow quote in the quoted status resolves inside the record.
		eq(t, "shallow quote", posts[1].QuoteOf, "mastodon:https://m.example/users/carol/statuses/2")
	})
	t.Run("context and search responses, JSON Lines", func(t *testing.T) {
		in := `{"ancestors":[{"id":"10","uri":"https://a.example/users/x/statuses/10","created_at":"2026-01-01T00:00:00Z","content":"root","account":{"id":"5","acct":"x@a.example"}}],` +
			`"descendants":[{"id":"11","uri":"https://b.example/users/y/statuses/99","created_at":"2026-01-01T00:01:00Z","content":"re","in_reply_to_id":"10","account":{"id":"6","acct":"y@b.example"}}]}
{"accounts":[],"hashtags":[],"statuses":[{"id":"12","uri":"https://c.example/s/12","created_at":"2026-01-01T00:02:00Z","in_reply_to_id":"77","account":{"acct":"z@c.example"}}]}
{"id":"13","uri":"https://c.example/s/13","created_at":"2026-01-01T00:03:00Z"}
`
		posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(in)))
		if len(errs) != 0 || len(posts) != 4 {
			t.Fatalf("got %d posts, %d errors", len(posts), len(errs))
		}
		eq(t, "reply", posts[1].ReplyTo, "mastodon:https://a.example/users/x/statuses/10")
		eq(t, "unresolvable reply", posts[2].ReplyTo, "")
		eq(t, "url falls back to uri", posts[3].URL, "https://c.example/s/13")
	})
	t.Run("pretty-printed context gives each status its line", func(t *testing.T) {
		in := "{\n \"ancestors\": [],\n \"descendants\": [\n  {\"id\":\"1\",\"uri\":\"https://a.example/1\",\"created_at\":\"2026-01-01T00:00:00Z\"},\n  {\"id\":\"2\"}\n ]\n}\n"
		var lines []int
		for it := range DecodeStatuses(strings.NewReader(in)) {
			lines = append(lines, it.Line)
		}
		eq(t, "lines", lines, []int{4, 5})
	})
}

func TestDecodeStatusesErrors(t *testing.T) {
	tests := []struct {
		name, in string
		posts    int
		errs     []string // substrings, in order
	}{
		{"empty", "", 0, nil},
		{"blank lines", "\n\n  \n", 0, nil},
		{"empty array", "[]", 0, nil},
		{"account search", `{"accounts":[{"id":"1","acct":"a"}],"hashtags":[]}`, 0, nil},
		{"no uri", `{"id":"5","created_at":"2026-01-01T00:00:00Z","content":"x"}`, 0, []string{"status 5 has no uri"}},
		{"no time", `{"id":"5","uri":"https://a.example/5","content":"x"}`, 0, []string{"has no created_at"}},
		{"bad time", `{"id":"5","uri":"https://a.example/5","created_at":"yesterday"}`, 0, []string{`bad created_at "yesterday"`}},
		{"api error", `{"error":"Record not found"}`, 0, []string{`API error response: "Record not found"`}},
		{"wrong shape", `{"foo":1}`, 0, []string{"neither a status"}},
		{"not an object", `"hello"`, 0, []string{"not a JSON object"}},
		{"statuses not array", `{"statuses":{"id":"1"}}`, 0, []string{`"statuses" is not an array`}},
		{"array of junk", `[1, {"id":"1","uri":"https://a.example/1","created_at":"2026-01-01T00:00:00Z"}]`, 1, []string{"record is not a JSON object"}},
		{"malformed line then good", "{\"id\":\"1\",\"uri\":\"https://a.example/1\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n{\"id\": \n{\"id\":\"2\",\"uri\":\"https://a.example/2\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n", 2, []string{"malformed JSON"}},
		{"wrong field types", `{"id":7,"uri":"https://a.example/7","created_at":"2026-01-01T00:00:00Z","favourites_count":"many","tags":{},"account":"bob"}`, 1, nil},
		{"broken reblog", `{"id":"1","uri":"https://a.example/1/activity","created_at":"2026-01-01T00:00:00Z","reblog":{"id":"2"}}`, 1, []string{"status 2 has no uri"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			posts, _, errs := collect(t, DecodeStatuses(strings.NewReader(tc.in)))
			if len(posts) != tc.posts {
				t.Errorf("got %d posts, want %d", len(posts), tc.posts)
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(tc.errs))
			}
			for i, e := range errs {
				if !strings.Contains(e.Err.Error(), tc.errs[i]) || !strings.HasPrefix(e.Err.Error(), "mastodon: ") {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Err, tc.errs[i])
				}
			}
		})
	}
}

func FuzzDecodeStatuses(f *testing.F) {
	for _, s := range []string{
		boostJSON, quoteJSON, "", "[]", "{}", "null", `"x"`, "[1,2]",
		`{"id":"1","uri":"https://a.example/1","created_at":"2026-01-01T00:00:00Z","content":"<p>a<br>b &amp; <a href=\"https://x.example\">x</a></p>"}`,
		`{"ancestors":[{"id":"1","uri":"u1","created_at":"2026-01-01T00:00:00Z"}],"descendants":[{"id":"2","uri":"u2","in_reply_to_id":"1","created_at":"2026-01-01T00:00:00Z"}]}`,
		`{"statuses":[{"id":"1","uri":"u","created_at":"2026-01-01T00:00:00Z","account":{"id":"1","acct":"a","username":"a","uri":"https://h/users/a"},"in_reply_to_id":"0","in_reply_to_account_id":"1"}]}`,
		"{\"id\":\"1\"}\n{broken\n",
		`{"accounts":[{"id":"1","acct":"a"}],"statuses":[{"id":"1","uri":"u","created_at":"2026-01-01T00:00:00Z"}],"statuses":null,"hashtags":[{"name":"x","history":[]}]}`,
	} {
		f.Add(s)
	}
	if b, err := os.ReadFile(testdata.Path(f, "mastodon", "rtoot_tag_rstats_mastodon-social.json")); err == nil {
		f.Add(string(b))
		f.Add(`{"accounts":[],"hashtags":[],"statuses":` + string(b) + `}`)
	}
	f.Fuzz(func(t *testing.T, in string) {
		collect(t, DecodeStatuses(strings.NewReader(in)))
	})
}
