package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

// TestShowJSON: show --json prints every field the archive holds of a post:
// media, mentions, hashtags, links, relations, metrics (zeros too),
// sentiment, edited and deleted, and the earlier versions.
func TestShowJSON(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, out, errOut := cli(t, "", "--data", data, "import",
		testdata.Path(t, "twitter-v2", "twarc-csv_brexit.jsonl"),
		testdata.Path(t, "twitter-v2", "twarc-csv_edited_after.jsonl"),
		testdata.Path(t, "twitter-v2", "twarc-csv_edited_before.jsonl")); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	// show prints one JSON object per id, one a line, and returns them with
	// the times of our own import (first seen, updated, version seen)
	// checked and left out, and the sentiment (the model's) checked and
	// left out.
	show := func(ids ...string) []map[string]any {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"--data", data, "show", "--json"}, ids...)...)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != 0 || len(lines) != len(ids) {
			t.Fatalf("show --json %v: exit %d, %d lines\n%s%s", ids, code, len(lines), out, errOut)
		}
		var posts []map[string]any
		for _, l := range lines {
			var p map[string]any
			if err := json.Unmarshal([]byte(l), &p); err != nil {
				t.Fatalf("show --json: %v\n%s", err, l)
			}
			for _, k := range []string{"first_seen_at", "updated_at"} {
				if s, _ := p[k].(string); time.Since(mustTime(t, s)) > time.Hour {
					t.Errorf("%s: %s %q is not the import's time", p["id"], k, p[k])
				}
				delete(p, k)
			}
			versions, _ := p["versions"].([]any)
			for _, v := range versions {
				v, _ := v.(map[string]any)
				if s, _ := v["seen_at"].(string); time.Since(mustTime(t, s)) > time.Hour {
					t.Errorf("%s: version seen_at %q", p["id"], v["seen_at"])
				}
				delete(v, "seen_at")
			}
			if s, ok := p["sentiment"].(map[string]any); ok {
				if s["label"] == "" || s["model"] == "" || s["score"] == nil || s["confidence"] == nil || len(s) != 4 {
					t.Errorf("%s: sentiment %v", p["id"], s)
				}
				delete(p, "sentiment")
			}
			posts = append(posts, p)
		}
		return posts
	}
	same := func(got map[string]any, want string) {
		t.Helper()
		var w map[string]any
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			g, _ := json.MarshalIndent(got, "", "  ")
			t.Errorf("show --json %s:\n got %s\nwant %s", got["id"], g, want)
		}
	}

	// A quote with three photos, three mentions, two hashtags, a link.
	quote := `{"id": "twitter:1440713966649417731", "source": "twitter", "native_id": "1440713966649417731",
		"url": "https://x.com/JoeOTooIe/status/1440713966649417731",
		"author": {"id": "233543983", "handle": "JoeOTooIe", "name": "Joe O'Toole 🌈💚🌹🇪🇺", "url": "https://x.com/JoeOTooIe"},
		"text": "This is my supplier! 😬💀\n\nThe email I've received explicitly blames a range of factors. Chief among them are the bad decisions of @KwasiKwarteng, @beisgovuk and @ofgem, but #Brexit and the Suez Canal were also named. \n\nThe #GasCrisis proves that privatised energy isn't working. https://t.co/EFS9I4ahce https://t.co/Ec8ntoF8Ev",
		"lang": "en", "created_at": "2021-09-22T16:25:51Z", "collected_at": "2021-09-22T16:38:09Z",
		"quote_of": "twitter:1440670794103754762",
		"metrics": {"likes": 1, "reposts": 1, "replies": 0, "quotes": 0},
		"hashtags": ["Brexit", "GasCrisis"],
		"mentions": ["KwasiKwarteng", "beisgovuk", "ofgem"],
		"links": ["https://twitter.com/JavierBlas/status/1440670794103754762"],
		"media": ["https://pbs.twimg.com/media/E_5xtEhVIAInx_o.jpg", "https://pbs.twimg.com/media/E_5xtbNVQAQGNb4.jpg", "https://pbs.twimg.com/media/E_5xty_VgBAr1Is.jpg"],
		"revision": 0, "edited": false, "deleted": false, "raw_bytes": 2136, "versions": []}`
	// A reply with an animated GIF (its preview image) and one mention.
	reply := `{"id": "twitter:1440716745577140229", "source": "twitter", "native_id": "1440716745577140229",
		"url": "https://x.com/calin_a/status/1440716745577140229",
		"author": {"id": "870028999", "handle": "calin_a", "name": "Calin A. 🇪🇺#FBPE #Rezist #LebanonInOurHearts", "url": "https://x.com/calin_a"},
		"text": "@AndrewKnight226 #FuckBrexit #BrexitSucks I wonder what do those imbeciles who voted for #Brexit think now about #BrexitDisaster #BrexitChaos #Brexitshortages!… Well, donkeys CAN’T think, but at least they feel #hunger!… 😜 Sadly, not only #Brexit donkeys suffer!.. You can always return!… 🇪🇺✊🏻 https://t.co/yEzXqfxRrp",
		"lang": "en", "created_at": "2021-09-22T16:36:54Z", "collected_at": "2021-09-22T16:38:09Z",
		"reply_to": "twitter:1440621713281093641",
		"metrics": {"likes": 0, "reposts": 0, "replies": 0, "quotes": 0},
		"hashtags": ["FuckBrexit", "BrexitSucks", "Brexit", "BrexitDisaster", "BrexitChaos", "Brexitshortages", "hunger"],
		"mentions": ["AndrewKnight226"],
		"links": [],
		"media": ["https://pbs.twimg.com/tweet_video_thumb/E_50PPpUYAIE3uX.jpg"],
		"revision": 0, "edited": false, "deleted": false, "raw_bytes": 1609, "versions": []}`
	// An edited post with its earlier version.
	edited := `{"id": "twitter:1576994746135764992", "source": "twitter", "native_id": "1576994746135764992",
		"url": "https://x.com/wongmjane/status/1576994789110992896",
		"author": {"id": "337119125", "handle": "wongmjane", "name": "Jane Manchun Wong", "url": "https://x.com/wongmjane"},
		"text": "hey :) https://t.co/rnwEIoNuqd", "lang": "en",
		"created_at": "2022-10-03T17:57:11Z", "collected_at": "2022-10-03T18:01:17Z", "edited_at": "2022-10-03T17:57:11Z",
		"metrics": {"likes": 32, "reposts": 3, "replies": 14, "quotes": 2},
		"hashtags": [], "mentions": [], "links": [], "media": [],
		"revision": 1, "edited": true, "deleted": false, "raw_bytes": 774,
		"versions": [{"revision": 0, "text": "i miss y’all so much haha,,, https://t.co/glJ0r9uh9F https://t.co/4E9OBHOATs",
			"url": "https://x.com/wongmjane/status/1576994746135764992", "raw_bytes": 1108}]}`
	got := show("twitter:1440713966649417731", "twitter:1440716745577140229", "twitter:1576994746135764992")
	same(got[0], quote)
	same(got[1], reply)
	same(got[2], edited)

	// The quote is deleted at its source: deleted, with the notice's time.
	del := filepath.Join(t.TempDir(), "delete.jsonl")
	os.WriteFile(del, []byte(`{"delete":{"status":{"id":1440713966649417731,"id_str":"1440713966649417731","user_id":233543983,"user_id_str":"233543983"},"timestamp_ms":"1632330000000"}}`+"\n"), 0o644)
	if code, out, errOut := cli(t, "", "--data", data, "import", del); code != 0 || !strings.Contains(out, "deleted 1") {
		t.Fatalf("import of the deletion: %d\n%s%s", code, out, errOut)
	}
	same(show("twitter:1440713966649417731")[0], strings.Replace(quote, `"deleted": false`, `"deleted": true, "deleted_at": "2021-09-22T17:00:00Z"`, 1))

	// The text form names the media and mentions too.
	code, out, _ := cli(t, "", "--data", data, "show", "twitter:1440716745577140229")
	for _, want := range []string{
		"    reply to twitter:1440621713281093641\n",
		"    hashtags: #FuckBrexit #BrexitSucks #Brexit #BrexitDisaster #BrexitChaos #Brexitshortages #hunger\n",
		"    mentions: @AndrewKnight226\n",
		"    media: https://pbs.twimg.com/tweet_video_thumb/E_50PPpUYAIE3uX.jpg\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Errorf("%q: %v", s, err)
	}
	return at
}
