package twitter

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

func TestDecodeV1Files(t *testing.T) {
	runFileCases(t, DecodeV1, "twitter-v1", []fileCase{
		{file: "python-twitter_extended_tweet_in_compat_mode.json", posts: 1, want: []want{
			{idx: 0, line: 1, id: "twitter:782737772490600448", url: "https://twitter.com/notinourselves/status/782737772490600448",
				author: post.Author{ID: "4012966701", Handle: "notinourselves", Name: "notinourselves", URL: "https://twitter.com/notinourselves"},
				text:   "has more details about these changes.  Thanks for making more expressive!writing requirements to python_twitt pytho… https://t.co/et3OTOxWSa",
				lang:   "en", created: "2016-10-03T00:23:22Z", collected: "", edited: "", revision: -1, // truncated copy
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: nil, media: nil},
		}},
		{file: "python-twitter_extended_tweet_in_extended_mode.json", posts: 1, want: []want{
			{idx: 0, line: 1, id: "twitter:782737772490600448", url: "https://twitter.com/notinourselves/status/782737772490600448",
				author: post.Author{ID: "4012966701", Handle: "notinourselves", Name: "notinourselves", URL: "https://twitter.com/notinourselves"},
				text:   "has more details about these changes.  Thanks for making more expressive!writing requirements to python_twitt python_twitter.egg-info/SOURCE https://t.co/JWSPztfoyt",
				lang:   "en", created: "2016-10-03T00:23:22Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: nil, media: []string{"https://pbs.twimg.com/media/CtzX2fnXEAAMAjK.jpg"}},
		}},
		{file: "python-twitter_search_tweets_response.json", posts: 189, want: []want{
			{idx: 0, line: 1, id: "twitter:690992334247477249", url: "https://twitter.com/alfonsohoops/status/690992334247477249",
				author: post.Author{ID: "156745662", Handle: "alfonsohoops", Name: "Taddy Mason LLC", URL: "https://twitter.com/alfonsohoops"},
				text:   "kevin love\n\nelbow https://t.co/iBIEYXFdnz",
				lang:   "en", created: "2016-01-23T20:19:45Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:690992179955675136",
				metrics:  post.Metrics{Likes: 0, Reposts: 1, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"CSAviate"},
				links: nil, media: []string{"https://pbs.twimg.com/media/CZbluLIUUAADC8B.jpg"}},
			{idx: 1, line: 1, id: "twitter:690992334247428096", url: "https://twitter.com/Jarzzan/status/690992334247428096",
				author: post.Author{ID: "395578754", Handle: "Jarzzan", Name: "lame", URL: "https://twitter.com/Jarzzan"},
				text:   "Lmaooo https://t.co/mI4pZOFeYw",
				lang:   "ht", created: "2016-01-23T20:19:45Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:690989412197515264", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://twitter.com/joeyprez/status/690989412197515264"}, media: nil},
			{idx: 8, line: 1, id: "twitter:690992334226526208", url: "https://twitter.com/hamad58829468/status/690992334226526208",
				author: post.Author{ID: "150179279", Handle: "hamad58829468", Name: "H&M", URL: "https://twitter.com/hamad58829468"},
				text:   "https://t.co/73JuZWIipi",
				lang:   "", created: "2016-01-23T20:19:45Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: nil, media: []string{"https://pbs.twimg.com/media/CZbl2mWUAAAX1fL.jpg"}},
			{idx: 17, line: 1, id: "twitter:690992334192930816", url: "https://twitter.com/koboxing555/status/690992334192930816",
				author: post.Author{ID: "4839438953", Handle: "koboxing555", Name: "KO BOXING", URL: "https://twitter.com/koboxing555"},
				text:   "@ScottyCardle scotty can i get a RT for my twitter boxing page",
				lang:   "en", created: "2016-01-23T20:19:45Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"ScottyCardle"},
				links: nil, media: nil},
			{idx: 25, line: 1, id: "twitter:690992334155177984", url: "https://twitter.com/shulii_shu/status/690992334155177984",
				author: post.Author{ID: "2412718856", Handle: "shulii_shu", Name: "lunita", URL: "https://twitter.com/shulii_shu"},
				text:   "@CaceresLucasOk https://t.co/layE2h5Fhf",
				lang:   "", created: "2016-01-23T20:19:45Z", collected: "", edited: "", revision: 0,
				replyTo: "twitter:690990757184954368", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"CaceresLucasOk"},
				links: nil, media: []string{"https://pbs.twimg.com/media/CZbl3RJW0AA1Z7T.jpg"}},
		}},
		{file: "python-twitter_streaming_extended_tweet.json", posts: 1, want: []want{
			{idx: 0, line: 1, id: "twitter:971726741583605760", url: "https://twitter.com/ClouDatAI/status/971726741583605760",
				author: post.Author{ID: "2319610428", Handle: "ClouDatAI", Name: "AIBigDataCloudIoTBot", URL: "https://twitter.com/ClouDatAI"},
				text:   "HIV_AIDS_BiojQuery Mobile Web Development Essentials, Second Edition: https://t.co/r78h6xfAby Quantum AI Big/Small/0 Data Cloud/Fog Computing OutLook from ClouData & Multiverse -  https://t.co/cnCBNJvu6T",
				lang:   "en", created: "2018-03-08T12:38:03Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"http://www.amazon.com/gp/product/1782167897/ref=as_li_tf_tl?ie=UTF8&camp=1789&creative=9325&creativeASIN=1782167897&linkCode=as2&tag=hardwaresoftw-20", "http://hwswworld.com/index.php?route=product/category&path=13"}, media: nil},
		}},
		{file: "python-twitter_streaming_lines.jsonl", posts: 80, want: []want{
			{idx: 0, line: 1, id: "twitter:972472958596866048", url: "https://twitter.com/Ali_Dokhikh/status/972472958596866048",
				author: post.Author{ID: "395453797", Handle: "Ali_Dokhikh", Name: "علي دخيخ الغامدي", URL: "https://twitter.com/Ali_Dokhikh"},
				text:   "يا أيها الذين آمنوا لا تقدموا بين يدي اللـه ورسوله ۖ واتقوا اللـه ۚ إن اللـه سميع عليم ﴿١﴾يا أيها الذين آمنوا لا ترفعوا أصواتكم فوق صوت النبي ولا تجهروا له بالقول كجهر بعضكم لبعض أن تحبط أعمالكم وأنتم لا تشعرون ﴿٢﴾ -- سورة الحجرات #Quran",
				lang:   "ar", created: "2018-03-10T14:03:15Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"Quran"}, mentions: nil,
				links: nil, media: nil},
			{idx: 1, line: 2, id: "twitter:972472958584320000", url: "https://twitter.com/_jalanazi/status/972472958584320000",
				author: post.Author{ID: "857267033603530752", Handle: "_jalanazi", Name: "''", URL: "https://twitter.com/_jalanazi"},
				text:   "@alahli_omar @mousa_alamrii حسبي الله عليه الله لايوفقه وان شاءالله نواف بن سعد يلحق ديازهو والمفرج المتفرج المصخره الهلال اكبر من واحد ماله رأي ويتحكم فيه بلوتو ع كيفه",
				lang:   "ar", created: "2018-03-10T14:03:15Z", collected: "", edited: "", revision: 0,
				replyTo: "twitter:972472543960555520", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"alahli_omar", "mousa_alamrii"},
				links: nil, media: nil},
			{idx: 3, line: 4, id: "twitter:972472958601056256", url: "https://twitter.com/GillsDebate/status/972472958601056256",
				author: post.Author{ID: "3630919033", Handle: "GillsDebate", Name: "Gillingham Debate", URL: "https://twitter.com/GillsDebate"},
				text:   "#Gills make 2 changes to the starting 11 for today's game with Wagstaff and Reilly coming in for Ogilvie and Nugent. Ogilvie is not in the squad for this afternoon's game (he was ill earlier in the week). https://t.co/eUgpWqnLls",
				lang:   "en", created: "2018-03-10T14:03:15Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:972472152447438859", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"Gills"}, mentions: nil,
				links: []string{"https://twitter.com/TheGillsFC/status/972472152447438859"}, media: nil},
			{idx: 6, line: 7, id: "twitter:972472962786869248", url: "https://twitter.com/ReaderAdrift/status/972472962786869248",
				author: post.Author{ID: "704718761060868096", Handle: "ReaderAdrift", Name: "Reader Adrift", URL: "https://twitter.com/ReaderAdrift"},
				text:   "@maggieNYT Reminder: #Bossie of #CitizensUnited was placed by #RebekahMercer as a Trump handler during the transition. https://t.co/OQ13KtHfK3",
				lang:   "en", created: "2018-03-10T14:03:16Z", collected: "", edited: "", revision: 0,
				replyTo: "twitter:972186314475962369", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"Bossie", "CitizensUnited", "RebekahMercer"}, mentions: []string{"maggieNYT"},
				links: nil, media: []string{"https://pbs.twimg.com/media/DX7q_RYUQAEJZLF.jpg"}},
		}},
		{file: "python-twitter_user_timeline.json", posts: 21, want: []want{
			{idx: 0, line: 1, id: "twitter:675055636267298821", url: "https://twitter.com/dewitt/status/675055636267298821",
				author: post.Author{ID: "673483", Handle: "dewitt", Name: "DeWitt Clinton", URL: "https://twitter.com/dewitt"},
				text:   "If any of you are considering borrowing $2M to buy a home in SF, reach out to me and learn about Seattle. Seriously. https://t.co/U8wsc8ztY6",
				lang:   "en", created: "2015-12-10T20:53:00Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 6, Reposts: 2, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"http://www.cnbc.com/2015/12/10/2-million-mortgage-no-down-payment-no-joke.html"}, media: nil},
			{idx: 4, line: 1, id: "twitter:674419418957406208", url: "https://twitter.com/dewitt/status/674419418957406208",
				author: post.Author{ID: "673483", Handle: "dewitt", Name: "DeWitt Clinton", URL: "https://twitter.com/dewitt"},
				text:   "@hemos Come visit Seattle!",
				lang:   "en", created: "2015-12-09T02:44:54Z", collected: "", edited: "", revision: 0,
				replyTo: "twitter:674419054686310401", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"hemos"},
				links: nil, media: nil},
			{idx: 9, line: 1, id: "twitter:671906565062979585", url: "https://twitter.com/dewitt/status/671906565062979585",
				author: post.Author{ID: "673483", Handle: "dewitt", Name: "DeWitt Clinton", URL: "https://twitter.com/dewitt"},
				text:   "This won't mean much to you, but it means everything to me. Here's https://t.co/p0vjvMpCAh circa 1996 in Netscape 3: https://t.co/HgFLknS2Tm",
				lang:   "en", created: "2015-12-02T04:19:43Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 5, Reposts: 1, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"http://wso.williams.edu"}, media: []string{"https://pbs.twimg.com/media/CVMXdebUwAAJnf1.png"}},
			{idx: 11, line: 1, id: "twitter:671755091368546304", url: "https://twitter.com/dewitt/status/671755091368546304",
				author: post.Author{ID: "673483", Handle: "dewitt", Name: "DeWitt Clinton", URL: "https://twitter.com/dewitt"},
				text:   "When is Buzzfeed going to write \"11 other Presidential candidates who were batshit crazy\"? https://t.co/9O8xRd6rtW",
				lang:   "en", created: "2015-12-01T18:17:49Z", collected: "", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:671749140251090944", repostOf: "",
				metrics:  post.Metrics{Likes: 2, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://twitter.com/xeni/status/671749140251090944"}, media: nil},
		}},
	})
}

// The same tweet fetched in compatibility mode (text cut at 140 characters,
// no extended_tweet) and in extended mode (full_text): one post id; only the
// extended form carries the full text, the compat text is its truncation.
func TestDecodeV1CompatAndExtendedMode(t *testing.T) {
	compat := decodeFile(t, DecodeV1, "twitter-v1", "python-twitter_extended_tweet_in_compat_mode.json")
	ext := decodeFile(t, DecodeV1, "twitter-v1", "python-twitter_extended_tweet_in_extended_mode.json")
	if len(compat.posts) != 1 || len(ext.posts) != 1 {
		t.Fatalf("got %d and %d posts", len(compat.posts), len(ext.posts))
	}
	c, e := compat.posts[0], ext.posts[0]
	if c.ID != e.ID || !c.CreatedAt.Equal(e.CreatedAt) || c.Author != e.Author {
		t.Errorf("compat %s %v %+v != extended %s %v %+v", c.ID, c.CreatedAt, c.Author, e.ID, e.CreatedAt, e.Author)
	}
	head, ok := strings.CutSuffix(c.Text, "… https://t.co/et3OTOxWSa")
	if !ok || !strings.HasPrefix(e.Text, strings.TrimSuffix(head, "pytho")) || len(e.Text) <= len(c.Text) {
		t.Errorf("compat text %q is not a truncation of extended text %q", c.Text, e.Text)
	}
	if c.Links != nil {
		t.Errorf("compat links %v: the i/web/status self link should be dropped", c.Links)
	}
}

// The search response has 100 statuses of which 74 are retweets; every
// retweet's text is the original's, never "RT @…".
func TestDecodeV1SearchRetweets(t *testing.T) {
	r := decodeFile(t, DecodeV1, "twitter-v1", "python-twitter_search_tweets_response.json")
	reposts := 0
	for _, p := range r.posts {
		if p.RepostOf == "" {
			continue
		}
		reposts++
		if strings.HasPrefix(p.Text, "RT @") {
			t.Errorf("%s: repost text %q is the truncated RT form", p.ID, p.Text)
		}
	}
	if reposts != 74 {
		t.Errorf("got %d reposts, want 74", reposts)
	}
}

func TestDecodeV1Raw(t *testing.T) {
	line1 := `{"id_str":"1","created_at":"Mon Jan 02 15:04:05 +0000 2006","text":"a"}`
	line2 := `{"id_str":"2","created_at":"Mon Jan 02 15:04:05 +0000 2006","text":"b"}`
	r := collect(t, DecodeV1(strings.NewReader(line1+"\n"+line2+"\n")))
	if len(r.posts) != 2 || !bytes.Equal(r.posts[0].Raw, []byte(line1)) || !bytes.Equal(r.posts[1].Raw, []byte(line2)) {
		t.Fatalf("raw not kept verbatim: %+v", r.posts)
	}
	search := `{"statuses":[` + line1 + `,` + line2 + `],"search_metadata":{"count":2}}`
	r = collect(t, DecodeV1(strings.NewReader(search)))
	if len(r.posts) != 2 || !bytes.Equal(r.posts[1].Raw, []byte(line2)) {
		t.Fatalf("search status raw not kept verbatim: %+v", r.posts)
	}
}

func TestDecodeV1Edges(t *testing.T) {
	const tm = `"created_at":"Wed May 01 10:00:00 +0000 2026"`
	type out struct {
		posts, deletes int
		errLines       []int
		errHas         string
	}
	tests := []struct {
		name string
		in   string
		want out
	}{
		{"empty", "", out{}},
		{"blank lines", "\n \n\r\n", out{}},
		{"malformed line goes on", `{"id_str":"1",` + tm + `,"text":"a"}` + "\n{\"id_str\":\n" + `{"id_str":"3",` + tm + `,"text":"c"}`,
			out{posts: 2, errLines: []int{2}, errHas: "malformed JSON"}},
		{"missing id", `{` + tm + `,"text":"x"}`, out{errLines: []int{1}, errHas: "no id_str"}},
		{"numeric id only", `{"id":42,` + tm + `,"text":"x"}`, out{posts: 1}},
		{"non-numeric id", `{"id_str":"abc",` + tm + `,"text":"x"}`, out{errLines: []int{1}, errHas: "not numeric"}},
		{"missing time", `{"id_str":"1","text":"x"}`, out{errLines: []int{1}, errHas: "no created_at"}},
		{"bad time", `{"id_str":"1","created_at":"2026-05-01T10:00:00Z","text":"x"}`, out{errLines: []int{1}, errHas: "bad created_at"}},
		{"wrong field type", `{"id_str":"1",` + tm + `,"favorite_count":"3"}`, out{errLines: []int{1}, errHas: "decode tweet"}},
		{"number record", "1\n", out{errLines: []int{1}, errHas: "not a tweet object"}},
		{"array of strings", `["a","b"]`, out{errLines: []int{1, 1}, errHas: "not a tweet object"}},
		{"unknown object", `{"foo":1}`, out{errLines: []int{1}, errHas: "no id_str"}},
		{"control messages skipped", `{"limit":{"track":5,"timestamp_ms":"1"}}` + "\n" + `{"warning":{"code":"FALLING_BEHIND"}}` + "\n" +
			`{"disconnect":{"code":4,"stream_name":"x","reason":"y"}}` + "\n" + `{"scrub_geo":{"user_id":1,"up_to_status_id":2}}`, out{}},
		{"delete notice", `{"delete":{"status":{"id":1234,"id_str":"1234","user_id":3,"user_id_str":"3"},"timestamp_ms":"1520690595660"}}`, out{deletes: 1}},
		{"delete without id", `{"delete":{"status":{}}}`, out{errLines: []int{1}, errHas: "no valid status id"}},
		{"delete without status", `{"delete":{}}`, out{errLines: []int{1}, errHas: "no status"}},
		{"search statuses not an array", `{"statuses":{"a":1}}`, out{errLines: []int{1}, errHas: "statuses"}},
		{"empty search", `{"statuses":[],"search_metadata":{"count":0}}`, out{}},
		{"truncated document", "[\n{\"id_str\":\"1\"," + tm + "},\n{\"id_str\":\"2\",", out{posts: 1, errLines: []int{3}, errHas: "truncated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := collect(t, DecodeV1(strings.NewReader(tt.in)))
			if len(r.posts) != tt.want.posts || len(r.deletes) != tt.want.deletes || len(r.errs) != len(tt.want.errLines) {
				t.Fatalf("got %d posts, %d deletes, errors %v; want %+v", len(r.posts), len(r.deletes), r.errs, tt.want)
			}
			for i, e := range r.errs {
				if e.Line != tt.want.errLines[i] || !strings.Contains(e.Err.Error(), tt.want.errHas) || !strings.HasPrefix(e.Err.Error(), "twitter v1.1: ") {
					t.Errorf("error %d: line %d %q; want line %d containing %q", i, e.Line, e.Err, tt.want.errLines[i], tt.want.errHas)
				}
			}
		})
	}
}

func TestDecodeV1Delete(t *testing.T) {
	r := collect(t, DecodeV1(strings.NewReader(`{"delete":{"status":{"id":1234,"id_str":"1234","user_id":3,"user_id_str":"3"},"timestamp_ms":"1520690595660"}}`)))
	if len(r.deletes) != 1 {
		t.Fatalf("got %+v", r)
	}
	d := r.deletes[0].Delete
	want := post.Ref{ID: "twitter:1234", Source: "twitter", NativeID: "1234", At: time.UnixMilli(1520690595660).UTC()}
	if *d != want {
		t.Errorf("got %+v, want %+v", *d, want)
	}
}

// A retweet of an extended tweet, as the streaming API sends it: the text is
// the original's extended full text, entities come from both, the lang
// pseudo-code "und" is dropped and HTML entities are decoded.
func TestDecodeV1Retweet(t *testing.T) {
	in := `{"id_str":"20","created_at":"Wed May 01 10:05:00 +0000 2026","lang":"und","truncated":false,
"text":"RT @alice: status page says all good but &amp; the API is down… https://t.co/aaa",
"retweet_count":5,"favorite_count":0,"reply_count":0,"quote_count":0,
"user":{"id_str":"7","screen_name":"bob","name":"Bob"},
"entities":{"hashtags":[],"user_mentions":[{"screen_name":"alice","id_str":"6","indices":[3,9]}],"urls":[]},
"retweeted_status":{"id_str":"10","created_at":"Wed May 01 10:00:00 +0000 2026","truncated":true,
 "text":"status page says all good but &amp; the API is down… https://t.co/aaa",
 "user":{"id_str":"6","screen_name":"alice","name":"Alice"},
 "entities":{"hashtags":[],"user_mentions":[],"urls":[{"url":"https://t.co/aaa","expanded_url":"https://twitter.com/i/web/status/10","indices":[55,78]}]},
 "extended_tweet":{"full_text":"status page says all good but &amp; the API is down &lt;3 #outage https://t.co/bbb https://t.co/ccc",
  "entities":{"hashtags":[{"text":"outage","indices":[58,65]}],"user_mentions":[],
   "urls":[{"url":"https://t.co/bbb","expanded_url":"https://status.example.com/","unwound":{"url":"https://ignored.example/"},"indices":[66,89]}],
   "media":[{"id_str":"1","media_url_https":"https://pbs.twimg.com/media/small.jpg","url":"https://t.co/ccc","indices":[90,113],"type":"photo"}]},
  "extended_entities":{"media":[{"id_str":"1","media_url_https":"https://pbs.twimg.com/media/a.jpg","type":"photo"},{"id_str":"2","media_url":"http://pbs.twimg.com/media/b.jpg","type":"photo"}]}}}}`
	r := collect(t, DecodeV1(strings.NewReader(in)))
	// The retweet, then its original as a post of its own.
	if len(r.posts) != 2 || r.posts[1].ID != "twitter:10" || r.posts[1].Author.Handle != "alice" {
		t.Fatalf("got %+v", r)
	}
	checkWant(t, r, want{idx: 0, line: 1, id: "twitter:20", url: "https://twitter.com/bob/status/20",
		author:   post.Author{ID: "7", Handle: "bob", Name: "Bob", URL: "https://twitter.com/bob"},
		text:     "status page says all good but & the API is down <3 #outage https://t.co/bbb https://t.co/ccc",
		created:  "2026-05-01T10:05:00Z",
		repostOf: "twitter:10",
		metrics:  post.Metrics{Reposts: 5},
		hashtags: []string{"outage"}, mentions: []string{"alice"},
		links: []string{"https://status.example.com/"},
		media: []string{"https://pbs.twimg.com/media/a.jpg", "http://pbs.twimg.com/media/b.jpg"}})
}

// A reply and a quote without a user object: relations are set, the
// permalink falls back to /i/web/status/.
func TestDecodeV1ReplyQuoteNoUser(t *testing.T) {
	in := `{"id_str":"30","created_at":"Wed May 01 10:05:00 -0200 2026","text":"@x same here",
"in_reply_to_status_id_str":"29","in_reply_to_status_id":29,"quoted_status_id_str":"28","quoted_status":{"id_str":"28"},"lang":"en","favorite_count":3}`
	r := collect(t, DecodeV1(strings.NewReader(in)))
	checkWant(t, r, want{idx: 0, line: 1, id: "twitter:30", url: "https://twitter.com/i/web/status/30",
		text: "@x same here", lang: "en", created: "2026-05-01T12:05:00Z",
		replyTo: "twitter:29", quoteOf: "twitter:28", metrics: post.Metrics{Likes: 3}})
}

func TestDecodeV1StopsWhenAsked(t *testing.T) {
	in := strings.Repeat(`{"id_str":"1","created_at":"Wed May 01 10:05:00 +0000 2026","text":"a"}`+"\n", 5)
	n := 0
	for range DecodeV1(strings.NewReader(in)) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("got %d items", n)
	}
}

func FuzzDecodeV1(f *testing.F) {
	for _, s := range []string{
		`{"id_str":"1","created_at":"Wed May 01 10:05:00 +0000 2026","text":"a &amp; b","user":{"screen_name":"x"}}`,
		`{"statuses":[{"id_str":"1","created_at":"Wed May 01 10:05:00 +0000 2026"}],"search_metadata":{}}`,
		`[{"id":1,"created_at":"Wed May 01 10:05:00 +0000 2026","retweeted_status":{"id_str":"2","extended_tweet":{"full_text":"x"}}}]`,
		`{"delete":{"status":{"id_str":"5"},"timestamp_ms":"1"}}` + "\n" + `{"limit":{"track":1}}`,
		"{\"id_str\":\n",
		`{"id_str":"1","created_at":"Wed May 01 10:05:00 +0000 2026","entities":{"urls":[{"expanded_url":"https://twitter.com/i/web/status/1"}]}}`,
		`{"results":[{"id_str":"1","created_at":"Wed May 01 10:05:00 +0000 2026","quoted_status":{"id_str":"2"}}],"next":"x","requestParameters":{"maxResults":100}}`,
		`{"results":5}`,
		// twarc 1 (tweet_mode=extended) line
		`{"id_str":"3","created_at":"Wed May 01 10:05:00 +0000 2026","full_text":"long","display_text_range":[0,4],"truncated":false,"user":{"id_str":"9","screen_name":"x"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeV1, in) })
}

// FuzzDecodeV1Premium starts from premium search responses cut from the
// real files: the envelope with the first and the last of their results.
func FuzzDecodeV1Premium(f *testing.F) {
	for _, name := range []string{"twitter-ruby_premium_search_next.json", "twitter-ruby_premium_search_point_radius.json"} {
		b, err := os.ReadFile(testdata.Path(f, "realworld", name))
		if err != nil {
			f.Fatal(err)
		}
		var resp map[string]json.RawMessage
		var results []json.RawMessage
		if err := json.Unmarshal(b, &resp); err != nil {
			f.Fatal(err)
		}
		if err := json.Unmarshal(resp["results"], &results); err != nil || len(results) < 2 {
			f.Fatalf("%s: results: %v", name, err)
		}
		for _, r := range []json.RawMessage{results[0], results[len(results)-1]} {
			resp["results"] = json.RawMessage("[" + string(r) + "]")
			seed, err := json.Marshal(resp)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(seed)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeV1, in) })
}

// Premium/enterprise search responses {"results":[…],"next":…,
// "requestParameters":…}: the 100 results, then as for every v1.1 input the
// tweets embedded in them. premium_search_next: 100 + 51 retweeted originals
// + 3 quoted tweets + 1 tweet quoted inside a retweeted one = 155 posts, 129
// distinct ids (many retweets share an original). point_radius: 100 + 13
// quoted tweets = 113 posts and ids. Neither announces a count of results.
func TestDecodeV1Premium(t *testing.T) {
	for _, tc := range []struct {
		file            string
		posts, ids, rts int
	}{
		{"twitter-ruby_premium_search_next.json", 155, 129, 51},
		{"twitter-ruby_premium_search_point_radius.json", 113, 113, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := decodeFile(t, DecodeV1, "realworld", tc.file)
			ids := make(map[string]bool)
			rts := 0
			for i, p := range r.posts {
				ids[p.ID] = true
				if p.RepostOf != "" {
					rts++
				}
				if r.lines[i] != 1 {
					t.Fatalf("post %s at line %d, want 1", p.ID, r.lines[i])
				}
			}
			if len(r.posts) != tc.posts || len(ids) != tc.ids || rts != tc.rts || len(r.errs) != 0 || len(r.deletes) != 0 || len(r.expects) != 0 {
				t.Fatalf("got %d posts (%d ids, %d reposts), %d deletes, errors %v, expects %v; want %d posts, %d ids, %d reposts",
					len(r.posts), len(ids), rts, len(r.deletes), r.errs, r.expects, tc.posts, tc.ids, tc.rts)
			}
		})
	}
	r := decodeFile(t, DecodeV1, "realworld", "twitter-ruby_premium_search_point_radius.json")
	checkWant(t, r, want{line: 1, id: "twitter:932411444250918912", url: "https://twitter.com/MoMo_SanDiego/status/932411444250918912",
		author: post.Author{ID: "581649432", Handle: "MoMo_SanDiego", Name: "Marlena Niemann", URL: "https://twitter.com/MoMo_SanDiego"},
		text:   "#MyThanksgivingWishWouldBe for everyone to have peace of mind and happiness inside. There is ALWAYS something to be #grateful for..\n\nThank you @gigirules7 for an amazing session of gratitude on @WGIGNewsTag #Thanksgiving Week. 🙏💙\n\n#Boulder #SundaySunsets https://t.co/gEWpUNT26I",
		lang:   "en", created: "2017-11-20T00:53:06Z",
		metrics:  post.Metrics{Likes: 3, Reposts: 2},
		hashtags: []string{"MyThanksgivingWishWouldBe", "grateful", "Thanksgiving", "Boulder", "SundaySunsets"},
		mentions: []string{"gigirules7", "WGIGNewsTag"},
		media:    []string{"https://pbs.twimg.com/media/DPCWkfXVAAAzX8V.png"}})
	r = decodeFile(t, DecodeV1, "realworld", "twitter-ruby_premium_search_next.json")
	if p := r.posts[0]; p.ID != "twitter:932386786193547264" || p.RepostOf != "twitter:932382983981592581" || p.Author.Handle != "o_kinon" || !strings.HasPrefix(p.Text, "げっそりげそげそげつようび～♪") {
		t.Errorf("first post %s by %s, repost of %s, text %.40q", p.ID, p.Author.Handle, p.RepostOf, p.Text)
	}
	if p := r.posts[1]; p.ID != "twitter:932382983981592581" || p.Author.Handle != "KITKATJapan" {
		t.Errorf("second post %s by %s, want the retweeted original by KITKATJapan", p.ID, p.Author.Handle)
	}
}

// A premium response whose results is not an array is one error; a tweet
// that has a "results" field is still a tweet.
func TestDecodeV1PremiumEdges(t *testing.T) {
	r := collect(t, DecodeV1(strings.NewReader(`{"results":{"id":1},"next":"x"}`+"\n"+`{"results":[],"requestParameters":{"maxResults":100}}`+"\n"+
		`{"id_str":"5","created_at":"Sun Nov 19 23:15:07 +0000 2017","text":"a","results":[1]}`)))
	if len(r.posts) != 1 || r.posts[0].ID != "twitter:5" || len(r.errs) != 1 || r.errs[0].Line != 1 || !strings.Contains(r.errs[0].Err.Error(), "premium search response: results is not an array") {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
}

// twarc 1 writes v1.1 tweets one per line, fetched with
// tweet_mode=extended: full_text and display_text_range instead of text, the
// original in retweeted_status and quoted_status with its full_text too.
// testdata/twarc1.jsonl (written for this test in that shape): a retweet, a
// quote and a reply; the original comes after the retweet and after the
// quote, 5 posts with 4 ids.
func TestDecodeV1Twarc1(t *testing.T) {
	f, err := os.Open("testdata/twarc1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := collect(t, DecodeV1(f))
	if len(r.posts) != 5 || len(r.errs) != 0 || len(r.deletes) != 0 || len(r.expects) != 0 {
		t.Fatalf("got %d posts, %d deletes, errors %v", len(r.posts), len(r.deletes), r.errs)
	}
	ops := post.Author{ID: "1111111111", Handle: "opswatch", Name: "Ops Watch", URL: "https://twitter.com/opswatch"}
	cloud := post.Author{ID: "2222222222", Handle: "examplecloud", Name: "Example Cloud Status", URL: "https://twitter.com/examplecloud"}
	orig := "We are investigating elevated error rates for object storage in eu-west-1. Some uploads fail with 503 & retries may be slow. Next update in 30 minutes. https://t.co/st4tus"
	for _, w := range []want{
		{idx: 0, line: 1, id: "twitter:1138817205678901234", url: "https://twitter.com/opswatch/status/1138817205678901234", author: ops,
			text: orig, lang: "en", created: "2019-06-12T14:10:40Z", repostOf: "twitter:1138815071234560001",
			metrics: post.Metrics{Reposts: 310}, mentions: []string{"examplecloud"}, links: []string{"https://status.example.com/incidents/3x9"}},
		{idx: 1, line: 1, id: "twitter:1138815071234560001", url: "https://twitter.com/examplecloud/status/1138815071234560001", author: cloud,
			text: orig, lang: "en", created: "2019-06-12T14:02:11Z",
			metrics: post.Metrics{Likes: 95, Reposts: 310}, links: []string{"https://status.example.com/incidents/3x9"}},
		{idx: 2, line: 2, id: "twitter:1138819571111111111", url: "https://twitter.com/opswatch/status/1138819571111111111", author: ops,
			text: "Third outage this month in eu-west-1. Time to look at multi-region uploads #cloud #outage https://t.co/qu0te", lang: "en",
			created: "2019-06-12T14:20:05Z", quoteOf: "twitter:1138815071234560001", metrics: post.Metrics{Likes: 7, Reposts: 2, Replies: 1},
			hashtags: []string{"cloud", "outage"}, links: []string{"https://twitter.com/examplecloud/status/1138815071234560001"}},
		{idx: 4, line: 3, id: "twitter:1138829876543210987", url: "https://twitter.com/opswatch/status/1138829876543210987", author: ops,
			text: "@examplecloud uploads work again for us since 14:55 UTC, thanks", lang: "en", created: "2019-06-12T15:01:00Z",
			replyTo: "twitter:1138815071234560001", metrics: post.Metrics{Likes: 1}, mentions: []string{"examplecloud"}},
	} {
		checkWant(t, r, w)
	}
	if r.posts[3].ID != "twitter:1138815071234560001" || r.lines[3] != 2 {
		t.Errorf("post 3: %s at line %d, want the quoted original at line 2", r.posts[3].ID, r.lines[3])
	}
}
