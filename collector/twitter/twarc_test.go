package twitter

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

func TestDecodeTwarc2Files(t *testing.T) {
	runFileCases(t, DecodeTwarc2, "twitter-v2", []fileCase{
		{file: "twarc-csv_brexit.jsonl", posts: 155, want: []want{
			{idx: 0, line: 1, id: "twitter:1440716895355764743", url: "https://x.com/WarmongerHodges/status/1440716895355764743",
				author: post.Author{ID: "4203239195", Handle: "WarmongerHodges", Name: "Frank Owen's Legendary Paintbrush 🟨🟥🥀🇵🇸", URL: "https://x.com/WarmongerHodges"},
				text:   "The same Labour MPs that were happy to cite party members wanting a #PeoplesVote to pressure Corbyn into changing Labour's #Brexit policy are now saying party members are too thick to be trusted to choose the next Labour leader.\n\nTypical \"centrists\". No principles.",
				lang:   "en", created: "2021-09-22T16:37:29Z", collected: "2021-09-22T16:38:09Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"PeoplesVote", "Brexit"}, mentions: nil,
				links: nil, media: nil},
			{idx: 1, line: 1, id: "twitter:1440716856763977732", url: "https://x.com/jacquip537/status/1440716856763977732",
				author: post.Author{ID: "4100727022", Handle: "jacquip537", Name: "Jacqui Pritchard,#RejoinEU #FBPE #JohnsonOut", URL: "https://x.com/jacquip537"},
				text:   ". #BorisJohnson has revealed his favourite bottle of wine, Tignanello costs £180 \nHe's happy to see the £20 taken from your #UniversalCredit \nSTILL feel 'levelled up'?\nSTILL think he cares about your life?\nStill, he 'got #Brexit done' eh?\n\n#brexit #JohnsonOut #BorisTheLiar https://t.co/IeqDhr3WET",
				lang:   "en", created: "2021-09-22T16:37:20Z", collected: "2021-09-22T16:38:09Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1440713161355583489",
				metrics:  post.Metrics{Likes: 0, Reposts: 22, Replies: 0, Quotes: 0},
				hashtags: []string{"BorisJohnson", "UniversalCredit", "Brexit", "brexit", "JohnsonOut", "BorisTheLiar"}, mentions: []string{"carolJhedges"},
				links: nil, media: nil},
			{idx: 6, line: 1, id: "twitter:1440716745577140229", url: "https://x.com/calin_a/status/1440716745577140229",
				author: post.Author{ID: "870028999", Handle: "calin_a", Name: "Calin A. 🇪🇺#FBPE #Rezist #LebanonInOurHearts", URL: "https://x.com/calin_a"},
				text:   "@AndrewKnight226 #FuckBrexit #BrexitSucks I wonder what do those imbeciles who voted for #Brexit think now about #BrexitDisaster #BrexitChaos #Brexitshortages!… Well, donkeys CAN’T think, but at least they feel #hunger!… 😜 Sadly, not only #Brexit donkeys suffer!.. You can always return!… 🇪🇺✊🏻 https://t.co/yEzXqfxRrp",
				lang:   "en", created: "2021-09-22T16:36:54Z", collected: "2021-09-22T16:38:09Z", edited: "", revision: 0,
				replyTo: "twitter:1440621713281093641", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"FuckBrexit", "BrexitSucks", "Brexit", "BrexitDisaster", "BrexitChaos", "Brexitshortages", "hunger"}, mentions: []string{"AndrewKnight226"},
				links: nil, media: []string{"https://pbs.twimg.com/tweet_video_thumb/E_50PPpUYAIE3uX.jpg"}},
			{idx: 25, line: 1, id: "twitter:1440715975020584960", url: "https://x.com/Munku1/status/1440715975020584960",
				author: post.Author{ID: "102658803", Handle: "Munku1", Name: "John Daramy -🇸🇱🇬🇧🏴󠁧󠁢󠁳󠁣󠁴󠁿😷", URL: "https://x.com/Munku1"},
				text:   "And @AngelaRayner & #NicolaSturgeon blame #Brexit..🤣🤣🤣! https://t.co/XVlaGrnmko",
				lang:   "en", created: "2021-09-22T16:33:50Z", collected: "2021-09-22T16:38:09Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:1440660748275834882", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"NicolaSturgeon", "Brexit"}, mentions: []string{"AngelaRayner"},
				links: []string{"https://twitter.com/paulafr68963440/status/1440660748275834882"}, media: nil},
			{idx: 63, line: 1, id: "twitter:1440715019293888521", url: "https://x.com/calin_a/status/1440715019293888521",
				author: post.Author{ID: "870028999", Handle: "calin_a", Name: "Calin A. 🇪🇺#FBPE #Rezist #LebanonInOurHearts", URL: "https://x.com/calin_a"},
				text:   "#BrexitBritain #Brexit #BrexitReality #BrexitFoodShortages https://t.co/kVc07OjLRI",
				lang:   "", created: "2021-09-22T16:30:02Z", collected: "2021-09-22T16:38:09Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1440621713281093641",
				metrics:  post.Metrics{Likes: 0, Reposts: 4, Replies: 0, Quotes: 0},
				hashtags: []string{"BrexitBritain", "Brexit", "BrexitReality", "BrexitFoodShortages"}, mentions: []string{"AndrewKnight226"},
				links: nil, media: []string{"https://pbs.twimg.com/media/E_4do5tVcAMouBS.jpg"}},
		}},
		{file: "twarc-csv_cashtags.jsonl", posts: 1, want: []want{
			{idx: 0, line: 1, id: "twitter:1611077073803841538", url: "https://x.com/Trading22971312/status/1611077073803841538",
				author: post.Author{ID: "1291963157271863297", Handle: "Trading22971312", Name: "Trading", URL: "https://x.com/Trading22971312"},
				text:   "Now available with every Trade Ideas subscription. Gain confidence and learn how to take action in the markets. \nVia:- https://t.co/H8r2bJrh4i \n\n#business \n#NFT \n#StockMarket \n$AMD \n#option \n$BTC \n$TWTR \n$BA \n$doge \n$baba \n$spy \n$SPX $NIO $ETC $META https://t.co/XfSUInZb0t",
				lang:   "en", created: "2023-01-05T19:08:01Z", collected: "2023-01-05T19:10:27Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 1, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"business", "NFT", "StockMarket", "option"}, mentions: nil,
				links: []string{"http://go.trade-ideas.com/SHHb"}, media: []string{"https://pbs.twimg.com/media/Flux6uuaAAAq9Ap.png"}},
		}},
		{file: "twarc-csv_counts.jsonl", posts: 0},
		{file: "twarc-csv_edited.jsonl", posts: 2, want: []want{
			{idx: 0, line: 1, id: "twitter:1576994746135764992", url: "https://x.com/wongmjane/status/1576994789110992896",
				author: post.Author{ID: "337119125", Handle: "wongmjane", Name: "Jane Manchun Wong", URL: "https://x.com/wongmjane"},
				text:   "hey :) https://t.co/rnwEIoNuqd",
				lang:   "", created: "2022-10-03T17:57:11Z", collected: "2022-10-03T18:00:12Z", edited: "2022-10-03T17:57:11Z", revision: 1,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 27, Reposts: 2, Replies: 12, Quotes: 2},
				hashtags: nil, mentions: nil,
				links: nil, media: nil},
		}},
		{file: "twarc-csv_edited_after.jsonl", posts: 2, want: []want{
			{idx: 0, line: 1, id: "twitter:1576994746135764992", url: "https://x.com/wongmjane/status/1576994789110992896",
				author: post.Author{ID: "337119125", Handle: "wongmjane", Name: "Jane Manchun Wong", URL: "https://x.com/wongmjane"},
				text:   "hey :) https://t.co/rnwEIoNuqd",
				lang:   "", created: "2022-10-03T17:57:11Z", collected: "2022-10-03T18:01:17Z", edited: "2022-10-03T17:57:11Z", revision: 1,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 32, Reposts: 3, Replies: 14, Quotes: 2},
				hashtags: nil, mentions: nil,
				links: nil, media: nil},
		}},
		{file: "twarc-csv_edited_before.jsonl", posts: 2, want: []want{
			{idx: 0, line: 1, id: "twitter:1576994746135764992", url: "https://x.com/wongmjane/status/1576994746135764992",
				author: post.Author{ID: "337119125", Handle: "wongmjane", Name: "Jane Manchun Wong", URL: "https://x.com/wongmjane"},
				text:   "i miss y’all so much haha,,, https://t.co/glJ0r9uh9F https://t.co/4E9OBHOATs",
				lang:   "en", created: "2022-10-03T17:57:01Z", collected: "2022-10-03T18:00:57Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 1},
				hashtags: nil, mentions: nil,
				links: nil, media: []string{"https://pbs.twimg.com/media/FeKcHsVaUAEYpU_.jpg"}},
		}},
		{file: "twarc-csv_geo_tweets.jsonl", posts: 3, want: []want{
			{idx: 0, line: 1, id: "twitter:1249702384659554308", url: "https://x.com/kamanonickname/status/1249702384659554308",
				author: post.Author{ID: "2344192110", Handle: "kamanonickname", Name: "Kama", URL: "https://x.com/kamanonickname"},
				text:   "Za co lubicie Harry'ego?#harrypotterdiy #harrypotterandphilosophersstone #potterhead #harrypotter #philosopherstone #czasnaczytanie #zostańwdomu #zostanwdomu #magic #harrypotter #funkopop #bookpile #bookstagram… https://t.co/MZ9QlqGyfA",
				lang:   "pl", created: "2020-04-13T14:14:01Z", collected: "2022-03-16T03:45:53Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 1, Replies: 0, Quotes: 0},
				hashtags: []string{"harrypotterdiy", "harrypotterandphilosophersstone", "potterhead", "harrypotter", "philosopherstone", "czasnaczytanie", "zostańwdomu", "zostanwdomu", "magic", "funkopop", "bookpile", "bookstagram"}, mentions: nil,
				links: []string{"https://www.instagram.com/p/B-7ItQwBJ93/?igshid=187dqx4b5lu2y"}, media: nil},
			{idx: 1, line: 2, id: "twitter:1501963039859363843", url: "https://x.com/IgorBrigadir/status/1501963039859363843",
				author: post.Author{ID: "495430242", Handle: "IgorBrigadir", Name: "Igor Brigadir 🇺🇦", URL: "https://x.com/IgorBrigadir"},
				text:   "@j2bryson @Twitter Most tweets don't have location anymore - and the ones that do, would have a \"Place\" not exact coordinates, like this one, from Berlin, which can be manually set. In the v2 Academic Access you need to specify Fields & Expansions, twarc does it for you: https://t.co/D8LLYXkHSm",
				lang:   "en", created: "2022-03-10T16:47:48Z", collected: "2022-03-16T03:48:22Z", edited: "", revision: 0,
				replyTo: "twitter:1501958949863661574", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 3, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"j2bryson", "Twitter"},
				links: []string{"https://twarc-project.readthedocs.io/en/latest/twarc2_en_us/"}, media: nil},
		}},
		{file: "twarc-csv_quoted_edit.jsonl", posts: 3, want: []want{
			{idx: 0, line: 1, id: "twitter:1576995594388000768", url: "https://x.com/dappdavid99/status/1576995594388000768",
				author: post.Author{ID: "1494167419413094401", Handle: "dappdavid99", Name: "david", URL: "https://x.com/dappdavid99"},
				text:   "@wongmjane Test \nhttps://t.co/rBFwqjVr6B",
				lang:   "en", created: "2022-10-03T18:00:23Z", collected: "2022-10-03T18:02:28Z", edited: "", revision: 0,
				replyTo: "twitter:1576994746135764992", quoteOf: "twitter:1576994746135764992", repostOf: "",
				metrics:  post.Metrics{Likes: 1, Reposts: 0, Replies: 1, Quotes: 0},
				hashtags: nil, mentions: []string{"wongmjane"},
				links: []string{"https://twitter.com/wongmjane/status/1576994746135764992"}, media: nil},
		}},
		{file: "twarc-csv_streaming_output_with_error.jsonl", posts: 11, errs: 1, errLines: []int{8}, want: []want{
			{idx: 0, line: 1, id: "twitter:1377650090978992134", url: "https://x.com/blackheart_265/status/1377650090978992134",
				author: post.Author{ID: "4602771083", Handle: "blackheart_265", Name: "Endangered Species", URL: "https://x.com/blackheart_265"},
				text:   "Fury https://t.co/YbMgHU5xRX https://t.co/tXgDG9jrKX",
				lang:   "en", created: "2021-04-01T15:52:31Z", collected: "2021-04-01T15:52:42Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:1377640162566496258", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://twitter.com/Manie_DS/status/1377640162566496258"}, media: []string{"https://pbs.twimg.com/media/Ex5ldKwXEAEnEnI.jpg"}},
			{idx: 1, line: 2, id: "twitter:1377650093109743620", url: "https://x.com/sheelaghb18/status/1377650093109743620",
				author: post.Author{ID: "3026521093", Handle: "sheelaghb18", Name: "Sheelagh Brownlee 💙💙💙", URL: "https://x.com/sheelaghb18"},
				text:   "@PoliceMutual Well done PD Max and handler PC Adam Fagan. Brilliant night work. What would we do with out our dogs and handlers. 😊💙👍👏👏👏👏👏👏👏👏",
				lang:   "en", created: "2021-04-01T15:52:32Z", collected: "2021-04-01T15:52:42Z", edited: "", revision: 0,
				replyTo: "twitter:1377266697850257410", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: []string{"PoliceMutual"},
				links: nil, media: nil},
			{idx: 6, line: 7, id: "twitter:1377650529766154240", url: "https://x.com/ArborRidge1/status/1377650529766154240",
				author: post.Author{ID: "382117052", Handle: "ArborRidge1", Name: "Arbor Ridge", URL: "https://x.com/ArborRidge1"},
				text:   "We have a Wednesday Golden Egg Winner!! Even the dogs enjoy hunting for our golden egg!! Who will be the lucky person today!! Hint- the staff is watching it closely from the office! @ Arbor Ridge Apartment Homes https://t.co/VpdUTEMCW3",
				lang:   "en", created: "2021-04-01T15:54:16Z", collected: "2021-04-01T15:54:26Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://www.instagram.com/p/CNIQwHSjoWT/?igshid=1b0vhmepuh4ps"}, media: nil},
		}},
		{file: "twarc-csv_two_tweets.jsonl", posts: 2, want: []want{
			{idx: 0, line: 1, id: "twitter:1394735776701816833", url: "https://x.com/LachiVeronica/status/1394735776701816833",
				author: post.Author{ID: "1379899464345923590", Handle: "LachiVeronica", Name: "Veronica Lachi", URL: "https://x.com/LachiVeronica"},
				text:   "#POIUYTREWQ",
				lang:   "", created: "2021-05-18T19:24:56Z", collected: "2021-05-19T15:26:17Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1391677057810288641",
				metrics:  post.Metrics{Likes: 0, Reposts: 1, Replies: 0, Quotes: 0},
				hashtags: []string{"POIUYTREWQ"}, mentions: []string{"bibaigna96"},
				links: nil, media: nil},
		}},
		{file: "twarc-csv_withheld.jsonl", posts: 284, want: []want{
			{idx: 0, line: 1, id: "twitter:1388424788171841537", url: "https://x.com/manavjivan/status/1388424788171841537",
				author: post.Author{ID: "1175047638", Handle: "manavjivan", Name: "manav", URL: "https://x.com/manavjivan"},
				text:   "When the pandemic first hit “India fought a phony war and—by dumb luck—it won. Then suddenly, less than three weeks ago, our world turned upside down” https://t.co/pnv8fwqy5b",
				lang:   "en", created: "2021-05-01T09:27:19Z", collected: "2021-05-01T21:32:14Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 0, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://www.economist.com/diary/2021/04/30/indias-second-wave-of-covid-19-feels-nothing-like-its-first?utm_campaign=editorial-social&utm_medium=social-organic&utm_source=twitter"}, media: nil},
			{idx: 1, line: 2, id: "twitter:25712847277", url: "https://x.com/benshapiro/status/25712847277",
				author: post.Author{ID: "17995040", Handle: "benshapiro", Name: "Ben Shapiro", URL: "https://x.com/benshapiro"},
				text:   "Israelis like to build. Arabs like to bomb crap and live in open sewage. This is not a difficult issue. #settlementsrock",
				lang:   "en", created: "2010-09-27T19:06:05Z", collected: "2021-05-01T21:18:45Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 1868, Reposts: 806, Replies: 4501, Quotes: 5323},
				hashtags: []string{"settlementsrock"}, mentions: nil,
				links: nil, media: nil},
			{idx: 2, line: 3, id: "twitter:506695756406095872", url: "https://x.com/put_in_vor/status/506695756406095872",
				author: post.Author{ID: "425674827", Handle: "put_in_vor", Name: "БесПутин Свободу всем политзаключенным России!", URL: "https://x.com/put_in_vor"},
				text:   "@ru_yarosh @Barsyaka1 Отлично, этот твит будет служить хорошим доказательством оккупации Россией Украины.",
				lang:   "ru", created: "2014-09-02T06:50:56Z", collected: "2021-05-01T21:20:50Z", edited: "", revision: 0,
				replyTo: "twitter:506694458445152256", quoteOf: "", repostOf: "",
				metrics:  post.Metrics{Likes: 2, Reposts: 1, Replies: 6, Quotes: 0},
				hashtags: nil, mentions: []string{"Barsyaka1"},
				links: nil, media: nil},
			{idx: 3, line: 4, id: "twitter:1257786232978968578", url: "https://x.com/PhillyNEFL/status/1257786232978968578",
				author: post.Author{ID: "2351222345", Handle: "PhillyNEFL", Name: "Philly NEFL", URL: "https://x.com/PhillyNEFL"},
				text:   "#Year16 ✈️✈️✈️ https://t.co/62hfuFJmSq",
				lang:   "", created: "2020-05-05T21:36:21Z", collected: "2021-05-05T18:58:59Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1257755870282334208",
				metrics:  post.Metrics{Likes: 0, Reposts: 732, Replies: 0, Quotes: 0},
				hashtags: []string{"Year16"}, mentions: []string{"frankgore"},
				links: []string{"https://twitter.com/NFL/status/1257754436258033664"}, media: nil},
			{idx: 104, line: 5, id: "twitter:1404393588541202433", url: "https://x.com/i/web/status/1404393588541202433",
				author: post.Author{ID: "1228027987439702016", Handle: "", Name: "", URL: ""},
				text:   "#EndChildLabour\n@derasachasauda is a social welfare & spiritual organization that preaches and practices humanitarianism and selfless services to others. \nMany welfare activities are performed by the organisation. Like Self-Reliance \n@Gurmeetramrahim ❤️ https://t.co/XYS8h36XJu",
				lang:   "en", created: "2021-06-14T11:01:38Z", collected: "2021-06-14T11:15:14Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1403542567149469697",
				metrics:  post.Metrics{Likes: 0, Reposts: 2, Replies: 0, Quotes: 0},
				hashtags: []string{"EndChildLabour"}, mentions: []string{"___Ni_sha___", "derasachasauda", "Gurmeetramrahim"},
				links: nil, media: nil},
			{idx: 105, line: 5, id: "twitter:1404393119253250054", url: "https://x.com/i/web/status/1404393119253250054",
				author: post.Author{ID: "1358082450635829249", Handle: "", Name: "", URL: ""},
				text:   "@irshad_rathi's account has been withheld in India in response to a legal demand. Learn more.",
				lang:   "en", created: "2021-06-14T10:59:46Z", collected: "2021-06-14T11:15:14Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "", repostOf: "twitter:1404374446257934336",
				metrics:  post.Metrics{Likes: 0, Reposts: 10, Replies: 0, Quotes: 0},
				hashtags: nil, mentions: nil,
				links: []string{"https://support.twitter.com/articles/20169222"}, media: nil},
			{idx: 154, line: 5, id: "twitter:1404369555221319680", url: "https://x.com/KnewTube/status/1404369555221319680",
				author: post.Author{ID: "1148880937050136577", Handle: "KnewTube", Name: "Knewtube🕙", URL: "https://x.com/KnewTube"},
				text:   "#Reliance https://t.co/WsnIxShYSS",
				lang:   "", created: "2021-06-14T09:26:08Z", collected: "2021-06-14T11:15:14Z", edited: "", revision: 0,
				replyTo: "", quoteOf: "twitter:1404369045432975360", repostOf: "",
				metrics:  post.Metrics{Likes: 1, Reposts: 0, Replies: 0, Quotes: 0},
				hashtags: []string{"Reliance"}, mentions: nil,
				links: []string{"https://twitter.com/KnewTube/status/1404369045432975360"}, media: nil},
		}},
	})
}

// The same tweet before and after its edit: one post id (the original's),
// revisions 0 and 1, each version's own permalink.
func TestDecodeTwarc2EditPair(t *testing.T) {
	before := decodeFile(t, DecodeTwarc2, "twitter-v2", "twarc-csv_edited_before.jsonl")
	after := decodeFile(t, DecodeTwarc2, "twitter-v2", "twarc-csv_edited_after.jsonl")
	// Each page also carries the other version in includes.tweets.
	if len(before.posts) != 2 || len(after.posts) != 2 {
		t.Fatalf("got %d and %d posts", len(before.posts), len(after.posts))
	}
	b, a := before.posts[0], after.posts[0]
	if b.ID != a.ID || b.ID != "twitter:1576994746135764992" {
		t.Errorf("ids %s and %s, want both twitter:1576994746135764992", b.ID, a.ID)
	}
	if b.Revision != 0 || a.Revision != 1 || !b.EditedAt.IsZero() || !a.EditedAt.Equal(a.CreatedAt) {
		t.Errorf("revisions %d/%d, edited %v/%v", b.Revision, a.Revision, b.EditedAt, a.EditedAt)
	}
	if !strings.HasSuffix(b.URL, "/1576994746135764992") || !strings.HasSuffix(a.URL, "/1576994789110992896") {
		t.Errorf("urls %s, %s", b.URL, a.URL)
	}
}

// Every retweet whose original is in includes.tweets takes the original's
// full text; brexit.jsonl has 67 retweets, all resolved.
func TestDecodeTwarc2Retweets(t *testing.T) {
	r := decodeFile(t, DecodeTwarc2, "twitter-v2", "twarc-csv_brexit.jsonl")
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
	if reposts != 67 {
		t.Errorf("got %d reposts, want 67", reposts)
	}
}

func TestDecodeTwarc2Raw(t *testing.T) {
	item := `{"id":"5","text":"hi","created_at":"2026-05-01T10:00:00.000Z","author_id":"42"}`
	in := `{"data":[` + item + `],"includes":{"users":[{"id":"42","username":"alice","name":"Alice"}]}}`
	r := collect(t, DecodeTwarc2(strings.NewReader(in)))
	if len(r.posts) != 1 || !bytes.Equal(r.posts[0].Raw, []byte(item)) {
		t.Fatalf("raw not the data item: %+v", r.posts)
	}
}

const v2tm = `"created_at":"2026-05-01T10:00:00.000Z"`

func TestDecodeTwarc2Edges(t *testing.T) {
	type out struct {
		posts    int
		errLines []int
		errHas   string
		expects  []int64 // meta.result_count announced, in order
	}
	tests := []struct {
		name string
		in   string
		want out
	}{
		{"empty", "", out{}},
		{"malformed line goes on", `{"data":{"id":"1","text":"a",` + v2tm + `}}` + "\n{\"data\":[\n" + `{"data":{"id":"3","text":"c",` + v2tm + `}}`,
			out{posts: 2, errLines: []int{2}, errHas: "malformed JSON"}},
		{"no results page", `{"meta":{"result_count":0},"__twarc":{"retrieved_at":"2026-05-01T10:00:01+00:00"}}`, out{expects: []int64{0}}},
		{"result count as string", `{"data":[{"id":"1","text":"a",` + v2tm + `}],"meta":{"result_count":"1"}}`, out{posts: 1, expects: []int64{1}}},
		{"result count garbage", `{"data":[{"id":"1","text":"a",` + v2tm + `}],"meta":{"result_count":"x"}}` + "\n" + `{"meta":{"result_count":-4}}` + "\n" + `{"meta":[1]}`, out{posts: 1, expects: []int64{0}}},
		{"counts page", `{"data":[{"end":"2021-10-16T19:00:00.000Z","start":"2021-10-16T18:21:34.000Z","tweet_count":3961}],"meta":{"total_tweet_count":3961}}`, out{}},
		{"resource errors only", `{"errors":[{"value":"1","detail":"Could not find tweet with ids: [1].","title":"Not Found Error","resource_type":"tweet","parameter":"ids","resource_id":"1","type":"https://api.twitter.com/2/problems/resource-not-found"}]}`, out{}},
		{"page with data and errors", `{"data":[{"id":"1","text":"a",` + v2tm + `}],"errors":[{"title":"Forbidden","resource_type":"user","resource_id":"x"}]}`, out{posts: 1}},
		{"stream disconnect", `{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}`,
			out{errLines: []int{1}, errHas: "API error record: operational-disconnect: This stream"}},
		{"missing id", `{"data":[{"text":"a",` + v2tm + `}]}`, out{errLines: []int{1}, errHas: "no id"}},
		{"non-numeric id", `{"data":[{"id":"x1","text":"a",` + v2tm + `}]}`, out{errLines: []int{1}, errHas: "not numeric"}},
		{"numeric id as number", `{"data":[{"id":12,"text":"a",` + v2tm + `}]}`, out{posts: 1}},
		{"missing time", `{"data":[{"id":"1","text":"a"}]}`, out{errLines: []int{1}, errHas: "no created_at"}},
		{"bad time", `{"data":[{"id":"1","text":"a","created_at":"Wed May 01 10:00:00 +0000 2026"}]}`, out{errLines: []int{1}, errHas: "bad created_at"}},
		{"data is a number", `{"data":5}`, out{errLines: []int{1}, errHas: "page data is a number"}},
		{"data item is a string", `{"data":["x",{"id":"1","text":"a",` + v2tm + `}]}`, out{posts: 1, errLines: []int{1}, errHas: "data item is a string"}},
		{"bad includes", `{"data":[{"id":"1","text":"a",` + v2tm + `}],"includes":{"users":"x"}}`, out{errLines: []int{1}, errHas: "decode page"}},
		{"unknown object", `{"foo":1}`, out{errLines: []int{1}, errHas: "neither an API page"}},
		{"array record", `[[1]]`, out{errLines: []int{1}, errHas: "record is an array"}},
		{"bad referenced_tweets", `{"data":[{"id":"1","text":"a",` + v2tm + `,"referenced_tweets":"x"}]}`, out{errLines: []int{1}, errHas: "decode tweet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := collect(t, DecodeTwarc2(strings.NewReader(tt.in)))
			if len(r.posts) != tt.want.posts || len(r.deletes) != 0 || len(r.errs) != len(tt.want.errLines) || len(r.expects) != len(tt.want.expects) {
				t.Fatalf("got %d posts, %d deletes, errors %v, expects %v; want %+v", len(r.posts), len(r.deletes), r.errs, r.expects, tt.want)
			}
			for i, e := range r.expects {
				if e.Expect.Posts != tt.want.expects[i] || e.Expect.Field != "meta.result_count" {
					t.Errorf("expect %d: %+v, want %d posts from meta.result_count", i, *e.Expect, tt.want.expects[i])
				}
			}
			for i, e := range r.errs {
				if e.Line != tt.want.errLines[i] || !strings.Contains(e.Err.Error(), tt.want.errHas) || !strings.HasPrefix(e.Err.Error(), "twarc2: ") {
					t.Errorf("error %d: line %d %q; want line %d containing %q", i, e.Line, e.Err, tt.want.errLines[i], tt.want.errHas)
				}
			}
		})
	}
}

// A page with a long post (note_tweet), a retweet of it, a reply to an
// edited version of a tweet, and media attachments.
func TestDecodeTwarc2Page(t *testing.T) {
	in := `{"data":[
{"id":"100","text":"The API is down again &amp; status page… https://t.co/a","note_tweet":{"text":"The API is down again &amp; status page says green. Long post continues here #outage https://t.co/a","entities":{"hashtags":[{"start":80,"end":87,"tag":"outage"}]}},"author_id":"1","created_at":"2026-05-01T10:00:00.000Z","lang":"en","edit_history_tweet_ids":["100"],"public_metrics":{"retweet_count":2,"reply_count":1,"like_count":9,"quote_count":1,"impression_count":500},"entities":{"urls":[{"start":60,"end":83,"url":"https://t.co/a","expanded_url":"https://example.com/x","unwound_url":"https://example.com/y","display_url":"example.com/x"},{"url":"https://t.co/p","expanded_url":"https://twitter.com/alice/status/100/photo/1","display_url":"pic.twitter.com/p","media_key":"3_1"}]},"attachments":{"media_keys":["3_1","7_2","9_9"]}},
{"id":"101","text":"RT @alice: The API is down again &amp; status page…","author_id":"2","created_at":"2026-05-01T10:01:00.000Z","lang":"en","referenced_tweets":[{"type":"retweeted","id":"100"}],"entities":{"mentions":[{"start":3,"end":9,"username":"alice","id":"1"}]}},
{"id":"102","text":"@alice same","author_id":"3","created_at":"2026-05-01T10:02:00.000Z","lang":"qme","referenced_tweets":[{"type":"replied_to","id":"91"},{"type":"quoted","id":"77"}]}
],"includes":{"users":[{"id":"1","username":"alice","name":"Alice"},{"id":"2","username":"bob","name":"Bob"}],
"tweets":[{"id":"91","text":"edited","created_at":"2026-05-01T09:00:00.000Z","edit_history_tweet_ids":["90","91"]}],
"media":[{"media_key":"3_1","type":"photo","url":"https://pbs.twimg.com/media/p.jpg"},{"media_key":"7_2","type":"video","preview_image_url":"https://pbs.twimg.com/v.jpg"}]},
"meta":{"result_count":3},"__twarc":{"url":"https://api.twitter.com/2/tweets/search/recent","version":"2.14.0","retrieved_at":"2026-05-01T10:05:00+02:00"}}`
	r := collect(t, DecodeTwarc2(strings.NewReader(in)))
	// The three posts of data, then the replied-to tweet from includes.
	if len(r.posts) != 4 || len(r.errs) != 0 || r.posts[3].ID != "twitter:90" || r.posts[3].Revision != 1 {
		t.Fatalf("got %d posts, errors %v", len(r.posts), r.errs)
	}
	// meta.result_count is announced once, after the page's posts.
	if len(r.expects) != 1 || *r.expects[0].Expect != (collector.Expect{Posts: 3, Field: "meta.result_count"}) || r.expects[0].Line != 1 {
		t.Errorf("expects %+v, want one of 3 posts from meta.result_count at line 1", r.expects)
	}
	long := "The API is down again & status page says green. Long post continues here #outage https://t.co/a"
	for _, w := range []want{
		{idx: 0, line: 1, id: "twitter:100", url: "https://x.com/alice/status/100",
			author: post.Author{ID: "1", Handle: "alice", Name: "Alice", URL: "https://x.com/alice"},
			text:   long, lang: "en", created: "2026-05-01T10:00:00Z", collected: "2026-05-01T08:05:00Z",
			metrics:  post.Metrics{Likes: 9, Reposts: 2, Replies: 1, Quotes: 1},
			hashtags: []string{"outage"}, links: []string{"https://example.com/y"},
			media: []string{"https://pbs.twimg.com/media/p.jpg", "https://pbs.twimg.com/v.jpg"}},
		{idx: 1, line: 1, id: "twitter:101", url: "https://x.com/bob/status/101",
			author: post.Author{ID: "2", Handle: "bob", Name: "Bob", URL: "https://x.com/bob"},
			text:   long, lang: "en", created: "2026-05-01T10:01:00Z", collected: "2026-05-01T08:05:00Z",
			repostOf: "twitter:100", mentions: []string{"alice"}, hashtags: []string{"outage"}, links: []string{"https://example.com/y"},
			media: []string{"https://pbs.twimg.com/media/p.jpg", "https://pbs.twimg.com/v.jpg"}},
		{idx: 2, line: 1, id: "twitter:102", url: "https://x.com/i/web/status/102",
			author: post.Author{ID: "3"},
			text:   "@alice same", created: "2026-05-01T10:02:00Z", collected: "2026-05-01T08:05:00Z",
			replyTo: "twitter:90", quoteOf: "twitter:77"},
	} {
		checkWant(t, r, w)
	}
}

// twarc2 flatten output: one tweet per line with author, referenced tweets
// and media merged in.
func TestDecodeTwarc2Flattened(t *testing.T) {
	in := `{"id":"201","text":"RT @carol: Outage…","created_at":"2026-05-02T11:00:00.000Z","lang":"en","author_id":"5",` +
		`"author":{"id":"5","username":"dave","name":"Dave"},"public_metrics":{"retweet_count":4,"reply_count":0,"like_count":0,"quote_count":0},` +
		`"entities":{"mentions":[{"start":3,"end":9,"username":"carol","id":"6"}]},` +
		`"referenced_tweets":[{"type":"retweeted","id":"200","text":"Outage at the data centre, all services down https://t.co/z","created_at":"2026-05-02T10:00:00.000Z","author_id":"6","author":{"id":"6","username":"carol"},` +
		`"entities":{"urls":[{"url":"https://t.co/z","expanded_url":"https://status.example.org/incident/1"}],"hashtags":[{"tag":"down"}]},"attachments":{"media_keys":["3_5"],"media":[{"media_key":"3_5","type":"photo","url":"https://pbs.twimg.com/media/z.jpg"}]}}],` +
		`"__twarc":{"url":"https://api.twitter.com/2/tweets/search/recent","version":"2.14.0","retrieved_at":"2026-05-02T11:00:05+00:00"}}` + "\n" +
		`{"id":"202","text":"plain","created_at":"2026-05-02T11:01:00.000Z"}`
	r := collect(t, DecodeTwarc2(strings.NewReader(in)))
	if len(r.posts) != 3 || len(r.errs) != 0 || len(r.expects) != 0 {
		t.Fatalf("got %d posts, errors %v, expects %v", len(r.posts), r.errs, r.expects)
	}
	// The retweeted tweet merged into line 1 is a post too, right after it.
	checkWant(t, r, want{idx: 1, line: 1, id: "twitter:200", url: "https://x.com/carol/status/200",
		author:  post.Author{ID: "6", Handle: "carol", URL: "https://x.com/carol"},
		text:    "Outage at the data centre, all services down https://t.co/z",
		created: "2026-05-02T10:00:00Z", collected: "2026-05-02T11:00:05Z",
		hashtags: []string{"down"}, links: []string{"https://status.example.org/incident/1"}, media: []string{"https://pbs.twimg.com/media/z.jpg"}})
	checkWant(t, r, want{idx: 0, line: 1, id: "twitter:201", url: "https://x.com/dave/status/201",
		author: post.Author{ID: "5", Handle: "dave", Name: "Dave", URL: "https://x.com/dave"},
		text:   "Outage at the data centre, all services down https://t.co/z", lang: "en",
		created: "2026-05-02T11:00:00Z", collected: "2026-05-02T11:00:05Z",
		repostOf: "twitter:200", metrics: post.Metrics{Reposts: 4},
		hashtags: []string{"down"}, mentions: []string{"carol"},
		links: []string{"https://status.example.org/incident/1"}, media: []string{"https://pbs.twimg.com/media/z.jpg"}})
	checkWant(t, r, want{idx: 2, line: 2, id: "twitter:202", url: "https://x.com/i/web/status/202",
		text: "plain", created: "2026-05-02T11:01:00Z"})
}

func FuzzDecodeTwarc2(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"id":"1","text":"a &amp; b","author_id":"2","created_at":"2026-05-01T10:00:00.000Z","edit_history_tweet_ids":["0","1"],"referenced_tweets":[{"type":"retweeted","id":"3"}]}],"includes":{"users":[{"id":"2","username":"u"}],"tweets":[{"id":"3","text":"orig","note_tweet":{"text":"long"}}]},"__twarc":{"retrieved_at":"2026-05-01T10:00:01+00:00"}}`,
		`{"data":{"id":"1","text":"a","created_at":"2026-05-01T10:00:00.000Z","attachments":{"media_keys":["k"]}},"includes":{"media":[{"media_key":"k","url":"u"}]},"matching_rules":[{"id":1}]}`,
		`{"data":[{"start":"x","end":"y","tweet_count":3}]}`,
		`{"errors":[{"title":"operational-disconnect"}]}`,
		`{"id":"5","text":"t","created_at":"2026-05-01T10:00:00Z","author":{"username":"x"},"referenced_tweets":[{"type":"quoted","id":"4","text":"q"}]}`,
		"{\"data\":\n",
		`{"id":"7","text":"RT","created_at":"2026-05-01T10:00:00Z","referenced_tweets":[{"type":"retweeted","id":"6","text":"o","created_at":"2026-05-01T09:00:00Z","referenced_tweets":[{"type":"quoted","id":"5","text":"q"}]}]}` + "\n" +
			`{"id":"8","text":"x","created_at":"2026-05-01T10:00:00Z","referenced_tweets":[{"type":"quoted","id":"5","text":"q","created_at":"2026-05-01T08:00:00Z","author":{"id":"1","username":"u"}}]}`,
		`{"data":[],"meta":{"result_count":"7"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeTwarc2, in) })
}

// FuzzDecodeTwarc2Flat starts from a real `twarc2 flatten` line: the
// shortest of twarc-csv_flat.jsonl with referenced tweets merged in (about
// 3 KB; longer seeds take the fuzzer's whole time to minimise).
func FuzzDecodeTwarc2Flat(f *testing.F) {
	b, err := os.ReadFile(testdata.Path(f, "realworld", "twarc-csv_flat.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	shortest := lines[0]
	for _, l := range lines {
		if bytes.Contains(l, []byte(`"referenced_tweets"`)) && len(l) < len(shortest) {
			shortest = l
		}
	}
	f.Add(shortest)
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCheck(t, DecodeTwarc2, in) })
}

// The same 100-tweet search as `twarc2 flatten` lines and as one raw page
// must give the same archive: the 100 tweets and the 64 distinct tweets they
// reference (66 in includes.tweets, 2 of them also in data), each with the
// same content. Flattened lines repeat a referenced tweet that is also a
// line of its own, and one merged in two levels deep (without its author)
// is yielded again where a later line carries its author: 169 posts, 164
// ids; the store's upsert keeps the last, fuller copy, and so does this test.
func TestDecodeTwarc2FlatMatchesPages(t *testing.T) {
	flat := decodeFile(t, DecodeTwarc2, "realworld", "twarc-csv_flat.jsonl")
	pages := decodeFile(t, DecodeTwarc2, "realworld", "twarc-csv_noflat.jsonl")
	if len(flat.posts) != 169 || len(flat.errs) != 0 || len(flat.expects) != 0 {
		t.Fatalf("flat: %d posts, errors %v, expects %v; want 169 posts", len(flat.posts), flat.errs, flat.expects)
	}
	if len(pages.posts) != 164 || len(pages.errs) != 0 || len(pages.expects) != 1 || pages.expects[0].Expect.Posts != 100 {
		t.Fatalf("pages: %d posts, errors %v, expects %v; want 164 posts and result_count 100", len(pages.posts), pages.errs, pages.expects)
	}
	last := func(r result) map[string]*post.Post {
		m := make(map[string]*post.Post)
		for _, p := range r.posts {
			m[p.ID] = p
		}
		return m
	}
	a, b := last(flat), last(pages)
	if len(a) != 164 || len(b) != 164 {
		t.Fatalf("%d and %d distinct ids, want 164", len(a), len(b))
	}
	summary := func(p *post.Post) string {
		return fmt.Sprintf("url=%s author=%+v text=%q lang=%s created=%s collected=%s reply=%s quote=%s repost=%s metrics=%+v tags=%q mentions=%q links=%q media=%q",
			p.URL, p.Author, p.Text, p.Lang, p.CreatedAt, p.CollectedAt, p.ReplyTo, p.QuoteOf, p.RepostOf, p.Metrics, p.Hashtags, p.Mentions, p.Links, p.Media)
	}
	ids := make([]string, 0, len(b))
	for id := range b {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	reposts, replies, authors := 0, 0, 0
	for _, id := range ids {
		pa, pb := a[id], b[id]
		if pa == nil {
			t.Errorf("%s: only in the pages", id)
			continue
		}
		if sa, sb := summary(pa), summary(pb); sa != sb {
			t.Errorf("%s differs:\nflat  %s\npages %s", id, sa, sb)
		}
		if pb.RepostOf != "" {
			reposts++
		}
		if pb.ReplyTo != "" {
			replies++
		}
		if pb.Author.Handle != "" {
			authors++
		}
	}
	// The comparison covers relations and authors, not only empty fields.
	if reposts != 47 || replies != 50 || authors != 164 {
		t.Errorf("%d reposts, %d replies, %d posts with a handle; want 47, 50, 164", reposts, replies, authors)
	}
}
