package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
)

// Seeds of the generator's PCG source. Changing them, the templates or the
// order in which the generator draws numbers changes the demo data; an
// archive loaded before then would keep the old posts beside the new ones.
const (
	seedHi = 0x6e696d627573 // "nimbus"
	seedLo = 0x20260310
)

// story is the demo incident's clock, all UTC.
type story struct {
	from, to   time.Time // the event's window
	start      time.Time // the outage begins: the first complaint comes within the minute
	ack        time.Time // first status update, "investigating"
	identified time.Time
	recovered  time.Time // service comes back; "it's back" posts begin
	monitoring time.Time
	resolved   time.Time
	collected  time.Time // when the fictional collector read every post
}

// demoStory is the incident's clock. The content is fixed, so the date is
// too: see the package documentation.
func demoStory() story {
	day := time.Date(2026, time.March, 10, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	return story{
		from:       at(-4, 0), // 2026-03-09 20:00 UTC
		to:         at(32, 0), // 2026-03-11 08:00 UTC: 36 hours
		start:      at(14, 10),
		ack:        at(14, 24),
		identified: at(14, 58),
		recovered:  at(16, 50),
		monitoring: at(16, 56),
		resolved:   at(17, 31),
		collected:  at(33, 0),
	}
}

// Addresses of the fictional provider. The .invalid top-level domain is
// reserved (RFC 2606) and never resolves.
const (
	statusPage  = "https://status.nimbus.demo.invalid"
	incidentID  = "demo-20260310"
	incidentURL = statusPage + "/incidents/" + incidentID
	reviewURL   = "https://nimbus.demo.invalid/blog/post-incident-review-2026-03-10"
	permalink   = "https://demo.invalid/" // every post's URL and every profile lies below it
)

// person is one fictional author on one source.
type person struct {
	author   post.Author
	user     string // the handle's local part, for ids and URLs
	instance string // Mastodon only
}

// item is a post being generated, with what the generator needs to know
// about it beyond the post.
type item struct {
	p        post.Post
	ph       phase
	tag      string // the language the post was written in ("en", "de")
	root     int    // Hacker News and Reddit: index of the thread's story, -1 for a story itself
	sub      string // Reddit: the subreddit
	anchor   string // the key of a hand-written post, "" for a templated one
	replies  int64
	quotes   int64
	versions []post.Post // older versions (the edited post)
}

// generator makes the demo posts. It is deterministic: one PCG stream,
// drawn in a fixed order.
type generator struct {
	rng     *rand.Rand
	st      story
	items   []item
	byKey   map[string]int      // anchor key → index in items
	people  map[string][]person // "<source>/<lang>" → authors
	zipf    map[string]*rand.Zipf
	handles map[string]bool
	recent  map[string][]int // "<source>/<lang>" → indexes of earlier posts, oldest first
	threads map[string][]int // "<source>/<lang>" → indexes of stories (Hacker News, Reddit)
	n       int              // posts numbered so far, for ids
}

// Shares of the sources per language.
var sourceWeights = map[string][]struct {
	source string
	w      float64
}{
	"en": {{post.Twitter, 0.36}, {post.Mastodon, 0.16}, {post.Bluesky, 0.22}, {post.Reddit, 0.14}, {post.HackerNews, 0.12}},
	"de": {{post.Twitter, 0.45}, {post.Mastodon, 0.30}, {post.Bluesky, 0.20}, {post.Reddit, 0.05}},
}

// germanShare is the probability that a templated post is German.
const germanShare = 0.31

// poolSizes are how many fictional authors each source and language has.
var poolSizes = map[string]int{
	"twitter/en": 320, "twitter/de": 170, "mastodon/en": 130, "mastodon/de": 110, "bluesky/en": 160, "bluesky/de": 80,
	"reddit/en": 110, "reddit/de": 25, "hackernews/en": 100,
}

func newGenerator() *generator {
	return &generator{
		rng:     rand.New(rand.NewPCG(seedHi, seedLo)),
		st:      demoStory(),
		byKey:   map[string]int{},
		people:  map[string][]person{},
		zipf:    map[string]*rand.Zipf{},
		handles: map[string]bool{},
		recent:  map[string][]int{},
		threads: map[string][]int{},
	}
}

// rates are the expected posts per minute of each phase at t: a quiet
// baseline with a daily rhythm, a sharp outage burst decaying until the
// recovery, a smaller burst of relief, and a slow aftermath.
func (g *generator) rates(t time.Time) [nPhases]float64 {
	var r [nPhases]float64
	h := float64(t.Hour()) + float64(t.Minute())/60
	rhythm := 0.6 + 0.4*(0.5-0.5*math.Cos(2*math.Pi*(h-3)/24)) // lowest at 03:00 UTC, highest at 15:00
	r[baseline] = 0.32 * rhythm
	o := t.Sub(g.st.start).Minutes()
	rec := g.st.recovered.Sub(g.st.start).Minutes()
	if o >= 0 && o < rec+120 {
		r[baseline] *= 0.3 // while it is down nobody posts how well it works
	}
	switch {
	case o < 0:
	case o < 8:
		r[outage] = 38 * (0.25 + 0.75*o/8)
	default:
		r[outage] = 38 * math.Exp(-(o-8)/75)
		if o > rec {
			r[outage] *= math.Exp(-(o - rec) / 12)
		}
	}
	if d := o - rec; d >= 0 {
		if d < 6 {
			r[recovery] = 10 * d / 6
		} else {
			r[recovery] = 10 * math.Exp(-(d-6)/35)
		}
	}
	if d := o - rec - 30; d >= 0 {
		r[aftermath] = 1.2 * math.Exp(-d/240) * rhythm
	}
	return r
}

// run generates every post of the window, minute by minute.
func (g *generator) run() error {
	anchors := anchors()
	next := 0
	for t := g.st.from; t.Before(g.st.to); t = t.Add(time.Minute) {
		var made []int
		for next < len(anchors) && g.st.start.Add(anchors[next].at).Before(t.Add(time.Minute)) {
			made = append(made, g.addAnchor(anchors[next]))
			next++
		}
		r := g.rates(t)
		total := 0.0
		for _, x := range r {
			total += x
		}
		for range g.poisson(total) {
			ph := g.pickPhase(r, total)
			at := t.Add(time.Duration(g.rng.IntN(60)) * time.Second)
			made = append(made, g.add(ph, at))
		}
		// Posts of this minute become parents only from the next minute on.
		for _, i := range made {
			k := g.items[i].p.Source + "/" + g.items[i].tag
			g.recent[k] = append(g.recent[k], i)
		}
	}
	slices.SortStableFunc(g.items, func(a, b item) int { return a.p.CreatedAt.Compare(b.p.CreatedAt) })
	seen := make(map[string]bool, len(g.items))
	for _, it := range g.items {
		if seen[it.p.ID] {
			return fmt.Errorf("demo: duplicate post id %s", it.p.ID)
		}
		seen[it.p.ID] = true
	}
	return nil
}

func (g *generator) poisson(lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *generator) pickPhase(r [nPhases]float64, total float64) phase {
	x := g.rng.Float64() * total
	for ph := range nPhases {
		if x < r[ph] {
			return ph
		}
		x -= r[ph]
	}
	return baseline
}

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

// add generates one templated post of phase ph at time at.
func (g *generator) add(ph phase, at time.Time) int {
	lang := "en"
	if g.rng.Float64() < germanShare {
		lang = "de"
	}
	x, sum := g.rng.Float64(), 0.0
	source := sourceWeights[lang][0].source
	for _, s := range sourceWeights[lang] {
		sum += s.w
		if x < sum {
			source = s.source
			break
		}
	}
	key := source + "/" + lang
	it := item{ph: ph, root: -1}
	it.p.Source, it.p.CreatedAt = source, at
	it.tag = lang
	who := g.person(key)

	var text string
	switch source {
	case post.HackerNews, post.Reddit:
		threads := g.threads[key]
		var open []int
		for _, i := range threads {
			tp := g.items[i].ph
			if at.Sub(g.items[i].p.CreatedAt) < 8*time.Hour && (tp == ph || tp == outage && ph > outage) {
				open = append(open, i)
			}
		}
		rootP := 0.05
		if source == post.HackerNews {
			rootP = 0.03
		}
		if len(open) == 0 || g.rng.Float64() < rootP {
			text = g.pick(stories[ph][lang])
			if source == post.Reddit {
				it.sub = g.pick(subreddits[lang])
				if ph != baseline && g.rng.Float64() < 0.6 {
					text += "\n\n" + g.fill(g.pick(templates[ph][lang]), lang, at)
				}
			}
			g.threads[key] = append(threads, len(g.items))
			break
		}
		// A comment: on the newest open story of the same phase (or on an
		// outage story, after the outage) mostly, else on a comment of one
		// of them.
		root := open[len(open)-1]
		if len(open) > 1 && g.rng.Float64() < 0.3 {
			root = open[g.rng.IntN(len(open))]
		}
		parent := root
		if cs := g.comments(key, root); len(cs) > 0 && g.rng.Float64() < 0.35 {
			parent = cs[g.rng.IntN(len(cs))]
		}
		it.root, it.sub = root, g.items[root].sub
		it.p.ReplyTo = g.items[parent].p.ID
		g.items[parent].replies++
		text = g.fill(g.pick(append(slices.Clone(replies[ph][lang]), templates[ph][lang]...)), lang, at)
	default:
		text = g.fill(g.pick(templates[ph][lang]), lang, at)
		switch x := g.rng.Float64(); {
		case x < 0.14:
			if parent, ok := g.parent(key, at); ok {
				it.p.ReplyTo = g.items[parent].p.ID
				g.items[parent].replies++
				text = g.fill(g.pick(replies[ph][lang]), lang, at)
				text = "@" + g.items[parent].p.Author.Handle + " " + text
				it.p.Mentions = []string{g.items[parent].p.Author.Handle}
			}
		case x < 0.18 && source != post.Mastodon:
			if parent, ok := g.parent(key, at); ok {
				it.p.QuoteOf = g.items[parent].p.ID
				g.items[parent].quotes++
				text = g.pick(quotes[lang])
			}
		}
		text = g.decorate(text, ph, lang, at)
	}
	it.p.Text = text
	if source == post.Twitter || source == post.Mastodon || source == post.Bluesky {
		it.p.Lang = lang
	}
	g.setMetrics(&it, 0)
	return g.finish(it, who)
}

// comments returns the comments of a thread made so far.
func (g *generator) comments(key string, root int) []int {
	var out []int
	rs := g.recent[key]
	for j := len(rs) - 1; j >= 0 && len(out) < 40; j-- {
		if g.items[rs[j]].root == root {
			out = append(out, rs[j])
		}
	}
	return out
}

// parent picks a post to answer or quote among the recent posts of the same
// source and language: the most liked of three drawn at random, so popular
// posts gather answers.
func (g *generator) parent(key string, at time.Time) (int, bool) {
	rs := g.recent[key]
	lo := len(rs)
	for lo > 0 && at.Sub(g.items[rs[lo-1]].p.CreatedAt) < 2*time.Hour {
		lo--
	}
	cand := rs[lo:]
	if len(cand) == 0 {
		return 0, false
	}
	best := cand[g.rng.IntN(len(cand))]
	for range 2 {
		c := cand[g.rng.IntN(len(cand))]
		if g.items[c].p.Metrics.Likes > g.items[best].p.Metrics.Likes {
			best = c
		}
	}
	return best, true
}

// fill replaces a template's slots.
func (g *generator) fill(tpl, lang string, at time.Time) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			break
		}
		b.WriteString(tpl[:i])
		slot := tpl[i+1 : i+j]
		tpl = tpl[i+j+1:]
		switch slot {
		case "mins":
			b.WriteString(strconv.Itoa(max(1, int(at.Sub(g.st.start).Minutes()))))
		case "clock":
			loc := time.UTC
			if lang == "de" {
				loc = berlin()
			}
			b.WriteString(g.st.start.In(loc).Format("15:04"))
		case "hours":
			end := at
			if end.After(g.st.recovered) {
				end = g.st.recovered
			}
			b.WriteString(hoursWords(end.Sub(g.st.start), lang))
		case "link":
			b.WriteString(reviewURL)
		default:
			v := vocab[lang][slot]
			if len(v) == 0 {
				b.WriteString(slot)
				continue
			}
			w := g.pick(v)
			if sentenceStart(b.String()) {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// berlin is the event's display zone; a fixed CET offset if the zone
// database is missing (the demo day is in winter time).
func berlin() *time.Location {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}

func hoursWords(d time.Duration, lang string) string {
	h := d.Hours()
	switch {
	case lang == "de" && h < 1.5:
		return "über einer Stunde"
	case lang == "de" && h < 2.25:
		return "zwei Stunden"
	case lang == "de" && h < 2.6:
		return "zweieinhalb Stunden"
	case lang == "de":
		return "fast drei Stunden"
	case h < 1.5:
		return "over an hour"
	case h < 2.25:
		return "two hours"
	case h < 2.6:
		return "two and a half hours"
	}
	return "almost three hours"
}

// decorate adds the odd interjection, emoji, hashtag or status-page link.
func (g *generator) decorate(text string, ph phase, lang string, at time.Time) string {
	if ph == outage && g.rng.Float64() < 0.12 && !strings.HasPrefix(text, "@") {
		text = g.pick(prefixes[lang]) + text
	}
	if e := emoji[ph]; len(e) > 0 && g.rng.Float64() < 0.25 {
		text += g.pick(e)
	}
	if ph == outage && g.rng.Float64() < 0.07 {
		if at.Before(g.st.ack) {
			if lang == "de" {
				text += " Statusseite: alles grün. " + statusPage
			} else {
				text += " Status page: all green. " + statusPage
			}
		} else {
			text += " " + incidentURL
		}
	}
	tags := phaseTags[ph][lang]
	if x := g.rng.Float64(); x < 0.45 {
		first := g.pick(tags)
		text += " " + first
		if second := g.pick(tags); x < 0.1 && second != first {
			text += " " + second
		}
	}
	return text
}

// sentenceStart reports whether a word written after s begins a sentence.
func sentenceStart(s string) bool {
	s = strings.TrimRight(s, " ")
	return s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// person draws an author of the source and language; a few authors post a
// lot, most once or twice.
func (g *generator) person(key string) person {
	pool := g.people[key]
	if pool == nil {
		source, lang, _ := strings.Cut(key, "/")
		n := poolSizes[key]
		for range n {
			pool = append(pool, g.newPerson(source, lang))
		}
		g.people[key] = pool
		g.zipf[key] = rand.NewZipf(g.rng, 1.2, 8, uint64(n-1))
	}
	return pool[g.zipf[key].Uint64()]
}

// newPerson invents an author. Handles carry a demo marker no real account
// can have: ".demo" (a dot is not allowed in X/Twitter, Reddit and Hacker
// News names) or a host under demo.invalid (Mastodon, Bluesky).
func (g *generator) newPerson(source, lang string) person {
	for {
		first := g.pick(firstNames[lang])
		initial := string(rune('A' + g.rng.IntN(26)))
		base := asciiLower(first)
		var user string
		switch g.rng.IntN(4) {
		case 0:
			user = base + "_" + g.pick(handleWords)
		case 1:
			user = base + strconv.Itoa(10+g.rng.IntN(90))
		case 2:
			user = g.pick(handleWords) + "_" + base
		default:
			user = base + strings.ToLower(initial) + "_" + g.pick(handleWords)
		}
		name := first + " " + initial + "."
		var pr person
		pr.user = user
		switch source {
		case post.Mastodon:
			pr.instance = g.pick(instances[lang])
			pr.author = post.Author{
				ID:     "https://" + pr.instance + "/users/" + user,
				Handle: user + "@" + pr.instance,
				Name:   name,
				URL:    permalink + "mastodon/@" + user + "@" + pr.instance,
			}
		case post.Bluesky:
			h := user + ".sky.demo.invalid"
			h = strings.ReplaceAll(h, "_", "-") // domain labels have no '_'
			pr.author = post.Author{ID: "did:web:" + h, Handle: h, Name: name, URL: permalink + "bluesky/profile/" + h}
		default:
			h := user + ".demo"
			id := h
			switch source {
			case post.Twitter:
				id = "demo-" + strconv.FormatInt(1_000_000+g.rng.Int64N(1_000_000_000), 10)
			case post.Reddit:
				id = "t2_demo-" + strconv.FormatInt(g.rng.Int64N(1<<40), 36)
			}
			if source == post.HackerNews {
				name = "" // Hacker News shows no display names
			}
			pr.author = post.Author{ID: id, Handle: h, Name: name, URL: permalink + source + "/user/" + h}
		}
		if !g.handles[source+" "+pr.author.Handle] {
			g.handles[source+" "+pr.author.Handle] = true
			return pr
		}
	}
}

func asciiLower(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss").Replace(s)
}

// setMetrics gives a post heavy-tailed engagement: log-normal likes, a
// share of them as reposts. Answer and quote counts are added when the
// thread is complete. boost raises the level (hand-written posts).
func (g *generator) setMetrics(it *item, likes int64) {
	mu := [nPhases]float64{baseline: 0.6, outage: 1.3, recovery: 1.1, aftermath: 0.9}[it.ph]
	if it.p.ReplyTo != "" {
		mu -= 0.9
	}
	switch it.p.Source {
	case post.Mastodon:
		mu -= 0.5
	case post.Bluesky:
		mu -= 0.3
	case post.Reddit:
		mu += 0.4
	case post.HackerNews:
		if it.p.ReplyTo != "" {
			it.p.Metrics = post.Metrics{}
			return // Hacker News reports no points for comments
		}
		mu += 1.5
	}
	if likes == 0 {
		likes = max(0, int64(math.Exp(mu+1.4*g.rng.NormFloat64()))-1)
	}
	it.p.Metrics.Likes = likes
	if it.p.Source != post.HackerNews && it.p.Source != post.Reddit {
		it.p.Metrics.Reposts = int64(float64(likes) * (0.05 + 0.3*g.rng.Float64()))
	}
}

// finish gives a post its author, ids and URL and appends it.
func (g *generator) finish(it item, who person) int {
	g.n++
	p := &it.p
	p.Author = who.author
	ms := p.CreatedAt.UnixMilli() + g.rng.Int64N(1000)
	switch p.Source {
	case post.Twitter:
		// A snowflake id of the post's time, behind the demo marker.
		id := strconv.FormatInt((ms-1288834974657)<<22|int64(g.rng.IntN(32))<<12|int64(g.n&0xfff), 10)
		p.NativeID = "demo-" + id
		p.URL = permalink + "twitter/" + who.user + ".demo/status/" + id
	case post.Mastodon:
		id := strconv.FormatInt(ms<<16|int64(g.n&0xffff), 10)
		p.NativeID = "https://" + who.instance + "/users/" + who.user + "/statuses/" + id
		p.URL = permalink + "mastodon/@" + who.user + "@" + who.instance + "/" + id
	case post.Bluesky:
		rkey := tid(ms*1000+int64(g.n%1000), g.rng.IntN(1024))
		p.NativeID = "at://" + who.author.ID + "/app.bsky.feed.post/" + rkey
		p.URL = permalink + "bluesky/profile/" + who.author.Handle + "/post/" + rkey
	case post.HackerNews:
		id := "demo-" + strconv.Itoa(47_300_000+g.n)
		p.NativeID = id
		p.URL = permalink + "hackernews/item?id=" + id
	case post.Reddit:
		kind := "t1_"
		if it.root < 0 {
			kind = "t3_"
		}
		id := "demo-" + strconv.FormatInt(int64(1_500_000_000+g.n*37), 36)
		p.NativeID = kind + id
		if it.root < 0 {
			p.URL = permalink + "reddit/r/" + it.sub + "/comments/" + id + "/"
		} else {
			rootID := strings.TrimPrefix(g.items[it.root].p.NativeID, "t3_")
			p.URL = permalink + "reddit/r/" + it.sub + "/comments/" + rootID + "/comment/" + id + "/"
		}
	}
	p.ID = post.MakeID(p.Source, p.NativeID)
	p.CollectedAt = g.st.collected
	g.items = append(g.items, it)
	return len(g.items) - 1
}

// tid writes a Bluesky record key: 64 bits (microseconds and a clock id)
// in the sortable base-32 alphabet, 13 characters.
func tid(micros int64, clock int) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	v := uint64(micros)<<10 | uint64(clock&0x3ff)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// complete adds answer and quote counts, extracts hashtags and links,
// scores every version with the sentiment model and writes the raw
// payloads.
func (g *generator) complete(sc *sentiment.Scorer) error {
	for i := range g.items {
		it := &g.items[i]
		m := &it.p.Metrics
		m.Replies = it.replies
		m.Quotes = it.quotes
		if it.p.Source != post.HackerNews || it.p.ReplyTo == "" {
			m.Replies += int64(float64(m.Likes) * 0.08 * g.rng.Float64())
		}
		if it.p.Source == post.Twitter || it.p.Source == post.Bluesky {
			m.Quotes += int64(float64(m.Likes) * 0.02 * g.rng.Float64())
		}
		for j := range it.versions {
			v := &it.versions[j]
			v.Metrics = it.p.Metrics
			if err := finishPost(v, sc); err != nil {
				return err
			}
		}
		if err := finishPost(&it.p, sc); err != nil {
			return err
		}
	}
	return nil
}

// rawPost is the raw payload of a demo post: what the fictional source
// "sent", marked as generated.
type rawPost struct {
	Demo      bool         `json:"demo"`
	Generator string       `json:"generator"`
	Note      string       `json:"note"`
	Source    string       `json:"source"`
	ID        string       `json:"id"`
	URL       string       `json:"url"`
	Author    post.Author  `json:"author"`
	CreatedAt string       `json:"created_at"`
	EditedAt  string       `json:"edited_at,omitempty"`
	Revision  int64        `json:"revision,omitempty"`
	Lang      string       `json:"lang,omitempty"`
	Text      string       `json:"text"`
	ReplyTo   string       `json:"reply_to,omitempty"`
	QuoteOf   string       `json:"quote_of,omitempty"`
	Metrics   post.Metrics `json:"metrics"`
}

func finishPost(p *post.Post, sc *sentiment.Scorer) error {
	p.Hashtags, p.Links = nil, nil
	for _, f := range strings.Fields(p.Text) {
		switch {
		case strings.HasPrefix(f, "#") && len(f) > 1:
			p.Hashtags = append(p.Hashtags, strings.TrimRight(f[1:], ".,!?:;"))
		case strings.HasPrefix(f, "https://"):
			p.Links = append(p.Links, strings.TrimRight(f, ".,!?:;"))
		}
	}
	raw := rawPost{
		Demo: true, Generator: "aftershock demo",
		Note:   "fictional post generated by Aftershock's demo package; not real data",
		Source: p.Source, ID: p.NativeID, URL: p.URL, Author: p.Author,
		CreatedAt: p.CreatedAt.Format(time.RFC3339), Revision: p.Revision,
		Lang: p.Lang, Text: p.Text, ReplyTo: p.ReplyTo, QuoteOf: p.QuoteOf, Metrics: p.Metrics,
	}
	if !p.EditedAt.IsZero() {
		raw.EditedAt = p.EditedAt.Format(time.RFC3339)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return fmt.Errorf("demo: payload of %s: %w", p.ID, err)
	}
	p.Raw = b
	sc.Enrich(p)
	p.Normalize()
	return p.Validate()
}
