package demo

import (
	"time"

	"github.com/aftershock/aftershock/post"
)

// anchor is a hand-written post at a fixed moment of the story: the first
// complaint, the status page's silence, the recovery, the root cause. The
// quote collection is made of them.
type anchor struct {
	key    string
	at     time.Duration // after the outage began
	source string
	lang   string
	ph     phase
	text   string
	likes  int64
	story  bool // a Hacker News story or Reddit submission (a thread root)
	sub    string
	edited string        // the text of a later version, "" if never edited
	editAt time.Duration // after the outage began
}

// anchors are the hand-written posts, in time order.
func anchors() []anchor {
	return []anchor{
		{key: "first", at: 23 * time.Second, source: post.Twitter, lang: "en", ph: outage, likes: 1840,
			text: "Is Nimbus object storage down for anyone else? Every upload in eu-central-1 fails with 503 since a minute ago. #nimbusdown"},
		{key: "german-first", at: 3*time.Minute + 12*time.Second, source: post.Mastodon, lang: "de", ph: outage, likes: 312,
			text: "Nimbus ist down. Seit 15:10 Uhr liefert der Object Storage nur noch Fehler 503, unsere Shop-Bilder sind weg. #Störung #nimbusdown"},
		{key: "edited", at: 6*time.Minute + 40*time.Second, source: post.Mastodon, lang: "en", ph: outage, likes: 520,
			text: "Nimbus object storage has been failing for us since 14:10 UTC and the status page still says all systems operational. " + statusPage + " #nimbusdown",
			edited: "Nimbus object storage has been failing for us since 14:10 UTC and the status page still says all systems operational. " + statusPage + " #nimbusdown\n\n" +
				"Edit: at 14:24 UTC they finally acknowledged it: " + incidentURL,
			editAt: 17*time.Minute + 5*time.Second},
		{key: "hn-story", at: 9*time.Minute + 50*time.Second, source: post.HackerNews, lang: "en", ph: outage, likes: 912, story: true,
			text: "Nimbus Cloud object storage is down"},
		{key: "status-green", at: 13*time.Minute + 4*time.Second, source: post.Twitter, lang: "en", ph: outage, likes: 2650,
			text: "13 minutes into the Nimbus outage and the status page still shows all green. Users are the monitoring system now. #nimbusdown"},
		{key: "german-back", at: 2*time.Hour + 43*time.Minute + 30*time.Second, source: post.Bluesky, lang: "de", ph: recovery, likes: 430,
			text: "Nimbus läuft wieder! Uploads gehen wieder durch. Danke an alle, die durchgehalten haben. #nimbusdown"},
		{key: "root-cause", at: 4*time.Hour + 50*time.Minute, source: post.Twitter, lang: "en", ph: aftermath, likes: 1210,
			text: "Nimbus post-incident review: a faulty config push to the storage metadata service, 2 h 40 min of errors, and the status page " +
				"acknowledged it 14 minutes after the first reports. " + reviewURL},
	}
}

// quoted are the collection's items, in order, with the reporter's notes.
var quoted = []struct {
	key  string
	note string
	tags []string
}{
	{"first", "First public complaint in the demo data, 23 seconds after the (fictional) outage began at 14:10 UTC.", []string{"demo", "first-report"}},
	{"german-first", "Early German report, three minutes in: \"Nimbus ist down\".", []string{"demo", "first-report", "de"}},
	{"edited", "Edited post: the author added the status page's acknowledgement later; both versions are archived.", []string{"demo", "status-lag", "edited"}},
	{"status-green", "The gap a reporter quotes: the status page still green 13 minutes in.", []string{"demo", "status-lag"}},
	{"german-back", "Recovery in German: \"läuft wieder\".", []string{"demo", "recovery", "de"}},
	{"root-cause", "Root cause as a user summarised the (fictional) post-incident review.", []string{"demo", "root-cause"}},
}

// addAnchor adds a hand-written post.
func (g *generator) addAnchor(a anchor) int {
	key := a.source + "/" + a.lang
	it := item{ph: a.ph, tag: a.lang, root: -1, anchor: a.key}
	it.p.Source, it.p.CreatedAt, it.p.Text = a.source, g.st.start.Add(a.at), a.text
	if a.source == post.Twitter || a.source == post.Mastodon || a.source == post.Bluesky {
		it.p.Lang = a.lang
	}
	if a.source == post.Reddit {
		it.sub = a.sub
	}
	g.setMetrics(&it, a.likes)
	i := g.finish(it, g.person(key))
	if a.story {
		g.threads[key] = append(g.threads[key], i)
	}
	if a.edited != "" {
		cur := &g.items[i]
		cur.versions = []post.Post{cur.p}
		cur.p.Text = a.edited
		cur.p.EditedAt = g.st.start.Add(a.editAt)
		cur.p.Revision = cur.p.EditedAt.UnixNano() // as the Mastodon importer numbers edits
	}
	return i
}
