package twitter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const archiveFormat = "twitter archive"

// archiveRecord is one element of an archive file: {"tweet":{…}} in
// tweets.js and its kin, {"noteTweet":{…}} in note-tweet.js, both in the Raw
// of a post completed by its note.
type archiveRecord struct {
	Tweet     json.RawMessage `json:"tweet"`
	NoteTweet json.RawMessage `json:"noteTweet"`
}

// archiveTweet is a tweet as "Download your archive" writes it: like v1.1,
// but numbers (ids, counts, indices) are strings and there is no user. A
// legacy (Grailbird) archive's tweet has numbers as numbers, its user, and a
// retweet's original in retweeted_status.
type archiveTweet struct {
	ID                   jsonString       `json:"id"`
	IDStr                jsonString       `json:"id_str"`
	FullText             string           `json:"full_text"`
	Text                 string           `json:"text"`
	CreatedAt            string           `json:"created_at"`
	Lang                 string           `json:"lang"`
	FavoriteCount        jsonCount        `json:"favorite_count"`
	RetweetCount         jsonCount        `json:"retweet_count"`
	InReplyToStatusID    jsonString       `json:"in_reply_to_status_id"`
	InReplyToStatusIDStr jsonString       `json:"in_reply_to_status_id_str"`
	QuotedStatusID       jsonString       `json:"quoted_status_id"`
	QuotedStatusIDStr    jsonString       `json:"quoted_status_id_str"`
	DeletedAt            string           `json:"deleted_at"` // deleted-tweets.js
	Entities             *archiveEntities `json:"entities"`
	ExtendedEntities     *archiveEntities `json:"extended_entities"`
	User                 *archiveUser     `json:"user"`             // legacy archives
	RetweetedStatus      json.RawMessage  `json:"retweeted_status"` // legacy archives
	EditInfo             *struct {
		Initial *archiveEditControl `json:"initial"`
		Edit    *struct {
			InitialTweetID     jsonString          `json:"initialTweetId"`
			EditControlInitial *archiveEditControl `json:"editControlInitial"`
		} `json:"edit"`
	} `json:"edit_info"`
}

// archiveUser is the author of a legacy archive's tweet.
type archiveUser struct {
	ID         jsonString `json:"id"`
	IDStr      jsonString `json:"id_str"`
	ScreenName string     `json:"screen_name"`
	Name       string     `json:"name"`
}

type archiveEditControl struct {
	EditTweetIDs []jsonString `json:"editTweetIds"`
}

type archiveEntities struct {
	Hashtags []struct {
		Text string `json:"text"`
	} `json:"hashtags"`
	UserMentions []struct {
		ScreenName string `json:"screen_name"`
	} `json:"user_mentions"`
	URLs []struct {
		URL         string `json:"url"`
		ExpandedURL string `json:"expanded_url"`
	} `json:"urls"`
	Media []struct {
		MediaURLHTTPS string `json:"media_url_https"`
		MediaURL      string `json:"media_url"`
	} `json:"media"`
}

// DecodeArchive decodes a file of posts of an X "Download your archive"
// export (see [ArchivePostFile]) without knowing its owner, so posts of the
// current archive layout have no author handle; see [DecodeArchiveWith].
func DecodeArchive(r io.Reader) iter.Seq[collector.Item] {
	return DecodeArchiveWith(r, ArchiveOptions{})
}

// DecodeArchiveFor is [DecodeArchive] for an archive whose owner is known
// (from account.js, see [ReadArchiveAccount]): every post gets owner as its
// author, and permalinks use owner.Handle. owner.URL defaults to
// https://x.com/<handle>.
func DecodeArchiveFor(r io.Reader, owner post.Author) iter.Seq[collector.Item] {
	return DecodeArchiveWith(r, ArchiveOptions{Owner: owner})
}

// ArchiveOptions is what an archive's other files tell about its files of
// posts.
type ArchiveOptions struct {
	// Owner is the archive's owner, from account.js (or user_details.js of a
	// legacy archive): the author of posts that do not name theirs.
	Owner post.Author
	// Notes are the long posts of note-tweet.js, whose full text completes
	// the truncated text tweets.js has of them; nil when there are none.
	Notes *ArchiveNotes
}

// DecodeArchiveWith decodes one file of posts of an X archive:
//   - data/tweets.js, tweet.js, tweets-part1.js …: `window.YTD.tweets.part0 =
//     [{"tweet":{…}}, …]` (window.YTD.tweet.partN in older archives);
//   - community-tweet.js (window.YTD.community_tweet.part0): the same records;
//   - deleted-tweets.js (window.YTD.deleted_tweets.part0): the same records
//     with deleted_at; each gives its Post and then a Delete item for the
//     same id with At = deleted_at;
//   - note-tweet.js (window.YTD.note_tweet.part0, {"noteTweet":{…}}): yields
//     nothing of its own, since every note is the full text of a post of
//     tweets.js; read it with [ArchiveNotes.Read] and pass the notes in opt;
//     a record that is not a note is reported;
//   - legacy ("Grailbird") archives' data/js/tweets/YYYY_MM.js:
//     `Grailbird.data.tweets_2011_09 = [{…}, …]`, v1.1-like tweets with their
//     user (the author then) and created_at like "2011-09-30 21:49:47 +0000";
//     a retweet has its original in retweeted_status, which is a post too;
//   - the same arrays as plain JSON or JSON Lines, wrapped or bare tweets.
//
// A file of the archive that holds no posts (like.js, account.js,
// direct-messages.js, manifest.js, user_details.js, …) yields one Err item
// naming it ("like.js holds likes, not posts") and nothing else;
// twitter-circle-tweet.js too, since its posts were visible only to the
// owner's Circle. A tweets.js tweet whose text X truncated ("…") gets the
// full text of its note in opt.Notes, matched by creation time and text;
// its Raw is then {"tweet":{…},"noteTweet":{…}}, both objects verbatim,
// which decodes again to the same post.
func DecodeArchiveWith(r io.Reader, opt ArchiveOptions) iter.Seq[collector.Item] {
	owner := opt.Owner
	if owner.URL == "" && owner.Handle != "" {
		owner.URL = "https://x.com/" + owner.Handle
	}
	return func(yield func(collector.Item) bool) {
		for rec, kind := range archiveValues(r, true) {
			if rec.Err != nil {
				if !yield(collector.Item{Line: rec.Line, Err: fmt.Errorf("%s: %w", archiveFormat, rec.Err)}) {
					return
				}
				continue
			}
			if kind.notPosts != "" {
				yield(errItem(rec.Line, "%s: %s", archiveFormat, kind.notPosts))
				return
			}
			if !archiveRecordItems(rec.Line, rec.Data, kind, owner, opt.Notes, yield) {
				return
			}
		}
	}
}

// archiveKind is what the JavaScript before an archive file's array says
// the file holds.
type archiveKind struct {
	name     string // window.YTD.<name>.partN or Grailbird.data.<name>; "" when plain JSON
	notes    bool   // note-tweet.js or deleted-note-tweet.js
	notPosts string // why the file holds no posts, "" when it may
}

var (
	ytdPrefix       = regexp.MustCompile(`window\.YTD\.([A-Za-z0-9_]+)\.part[0-9]+\s*=\s*$`)
	grailbirdPrefix = regexp.MustCompile(`Grailbird\.data\.([A-Za-z0-9_]+)\s*=\s*$`)
	varPrefix       = regexp.MustCompile(`var\s+([A-Za-z0-9_]+)\s*=\s*$`)
	tharPrefix      = regexp.MustCompile(`window\.__THAR_CONFIG\s*=\s*$`)
)

// archivePostKinds are the window.YTD names of files of posts and notes.
var archivePostKinds = map[string]bool{
	"tweets": true, "tweet": true, "community_tweet": true, "deleted_tweets": true, "deleted_tweet": true,
	"note_tweet": true, "deleted_note_tweet": true,
}

// archiveWhat says what some files of an archive that are not posts hold.
var archiveWhat = map[string]string{
	"like": "likes", "account": "the account", "profile": "the profile", "follower": "followers",
	"following": "followed accounts", "direct_messages": "direct messages", "direct_messages_group": "direct messages",
	"block": "blocked accounts", "mute": "muted accounts", "tweet_headers": "tweet ids only",
	"deleted_tweet_headers": "tweet ids only", "manifest": "the archive's manifest",
	"user_details": "the account", "payload_details": "the archive's summary", "tweet_index": "the archive's index of months",
}

// kindOf reads the text before an archive file's first array or object.
func kindOf(prefix string) archiveKind {
	if m := ytdPrefix.FindStringSubmatch(prefix); m != nil {
		name := m[1]
		file := strings.ReplaceAll(name, "_", "-") + ".js"
		switch {
		case name == "twitter_circle_tweet":
			return archiveKind{name: name, notPosts: file + " holds Twitter Circle posts, which only the owner's Circle could see: not imported"}
		case archivePostKinds[name]:
			return archiveKind{name: name, notes: strings.HasSuffix(name, "note_tweet")}
		case archiveWhat[name] != "":
			return archiveKind{name: name, notPosts: file + " holds " + archiveWhat[name] + ", not posts"}
		}
		return archiveKind{name: name, notPosts: fmt.Sprintf("%s (window.YTD.%s) holds no posts", file, name)}
	}
	if m := grailbirdPrefix.FindStringSubmatch(prefix); m != nil {
		if strings.HasPrefix(m[1], "tweets_") {
			return archiveKind{name: m[1]}
		}
		return archiveKind{name: m[1], notPosts: fmt.Sprintf("Grailbird.data.%s holds no posts", m[1])}
	}
	if m := varPrefix.FindStringSubmatch(prefix); m != nil {
		what := archiveWhat[m[1]]
		if what == "" {
			what = "no posts"
		}
		return archiveKind{name: m[1], notPosts: fmt.Sprintf("%s.js (var %s) holds %s, not posts", m[1], m[1], what)}
	}
	if tharPrefix.MatchString(prefix) {
		return archiveKind{name: "manifest", notPosts: "manifest.js holds the archive's manifest, not posts"}
	}
	return archiveKind{}
}

// archiveValues reads the JSON values of an archive file after its
// JavaScript prefix (with the line numbers of the file), each with what the
// prefix says the file holds. With stopAtNotPosts, a file that holds no
// posts gives one record without Data or Err, at the prefix's line, and no
// more.
func archiveValues(r io.Reader, stopAtNotPosts bool) iter.Seq2[collector.RawRecord, archiveKind] {
	return func(yield func(collector.RawRecord, archiveKind) bool) {
		br := bufio.NewReader(r)
		pre, err := skipToJSON(br)
		kind := kindOf(pre.text)
		if err != nil {
			yield(collector.RawRecord{Line: pre.newlines + 1, Err: fmt.Errorf("read: %w", err)}, kind)
			return
		}
		if !pre.found {
			if pre.sawText {
				yield(collector.RawRecord{Line: 1, Err: errors.New("no JSON array found (want `window.YTD.tweets.part0 = [ … ]`)")}, kind)
			}
			return
		}
		if kind.notPosts != "" && stopAtNotPosts {
			yield(collector.RawRecord{Line: pre.newlines + 1}, kind)
			return
		}
		for rec := range collector.JSONValues(&trailerTrimmer{r: br}) {
			rec.Line += pre.newlines
			if !yield(rec, kind) {
				return
			}
		}
	}
}

// jsPrefix is the JavaScript skipToJSON read before an archive file's JSON.
type jsPrefix struct {
	text     string // the last 512 bytes of it
	newlines int    // line breaks in it
	sawText  bool   // anything but white space in it
	found    bool   // whether a '[' or '{' follows
}

// skipToJSON consumes the JavaScript before the first '[' or '{' (which it
// leaves unread) and describes it.
func skipToJSON(br *bufio.Reader) (jsPrefix, error) {
	var p jsPrefix
	var text []byte
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			p.text = string(text)
			return p, nil
		}
		if err != nil {
			p.text = string(text)
			return p, err
		}
		switch b {
		case '[', '{':
			p.found = true
			p.text = string(text)
			return p, br.UnreadByte()
		case '\n':
			p.newlines++
		case ' ', '\t', '\r', 0xEF, 0xBB, 0xBF: // white space, UTF-8 byte order mark
		default:
			p.sawText = true
		}
		if len(text) == 512 {
			text = append(text[:0], text[256:]...)
		}
		text = append(text, b)
	}
}

// trailerTrimmer passes its reader through but drops the white space and
// semicolons at the very end (the `;` closing a JavaScript statement).
type trailerTrimmer struct {
	r       io.Reader
	pending []byte // trailing-looking bytes held back
	out     []byte // bytes ready to be read
	buf     []byte
	eof     bool
}

func (t *trailerTrimmer) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.eof {
			return 0, io.EOF
		}
		if t.buf == nil {
			t.buf = make([]byte, 32<<10)
		}
		n, err := t.r.Read(t.buf)
		buf := t.buf[:n]
		if n > 0 {
			// Hold back the run of trailing characters; release everything before it.
			k := len(buf)
			for k > 0 && isTrailer(buf[k-1]) {
				k--
			}
			if k > 0 {
				t.out = append(append(t.out, t.pending...), buf[:k]...)
				t.pending = t.pending[:0]
			}
			t.pending = append(t.pending, buf[k:]...)
		}
		if err == io.EOF {
			t.eof = true
			// Keep the line breaks so line numbers of a following error stay right.
			t.out = append(t.out, bytes.Repeat([]byte("\n"), bytes.Count(t.pending, []byte("\n")))...)
			t.pending = nil
		} else if err != nil {
			return 0, err
		}
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

func isTrailer(b byte) bool {
	return b == ';' || b == ' ' || b == '\t' || b == '\r' || b == '\n'
}

// archiveRecordItems yields the items of one record of an archive file:
// the post (and the original of a legacy retweet, and a Delete when the post
// was deleted), an Err item, or nothing for a note.
func archiveRecordItems(line int, data []byte, kind archiveKind, owner post.Author, notes *ArchiveNotes, yield func(collector.Item) bool) bool {
	if k := objectKind(data); k != "" {
		return yield(errItem(line, "%s: record is %s, not {\"tweet\":{…}}", archiveFormat, k))
	}
	var rec archiveRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return yield(errItem(line, "%s: %v", archiveFormat, err))
	}
	if kind.notes || !present(rec.Tweet) && present(rec.NoteTweet) {
		if _, err := parseArchiveNote(rec.NoteTweet); err != nil {
			return yield(errItem(line, "%s: %v", archiveFormat, err))
		}
		return true // a note completes a post of tweets.js; see ArchiveNotes
	}
	raw := []byte(rec.Tweet)
	if !present(rec.Tweet) {
		raw = data // a bare tweet object, without the {"tweet":…} wrapper
	}
	if k := objectKind(raw); k != "" {
		return yield(errItem(line, "%s: tweet is %s, not an object", archiveFormat, k))
	}
	var tw archiveTweet
	if err := json.Unmarshal(raw, &tw); err != nil {
		return yield(errItem(line, "%s: decode tweet: %v", archiveFormat, err))
	}
	p, err := archivePost(&tw, owner)
	if err != nil {
		return yield(errItem(line, "%s: %v", archiveFormat, err))
	}
	p.Raw = bytes.Clone(raw)
	// The full text of a long post: from the note this record carries (a Raw
	// written below, decoded again), else from the archive's notes.
	var note *archiveNote
	if present(rec.Tweet) && present(rec.NoteTweet) {
		if n, err := parseArchiveNote(rec.NoteTweet); err == nil {
			note = n
			p.Raw = bytes.Clone(data)
		}
	} else if n := notes.match(p.CreatedAt, p.Text); n != nil {
		note = n
		p.Raw = []byte(`{"tweet":` + string(raw) + `,"noteTweet":` + string(n.raw) + `}`)
	}
	if note != nil {
		note.apply(p)
	}
	it := postItem(line, archiveFormat, p)
	if !yield(it) {
		return false
	}
	if it.Post == nil {
		return true
	}
	if present(tw.RetweetedStatus) && objectKind(tw.RetweetedStatus) == "" {
		// A legacy archive's retweet carries its original, a post too (by its
		// own user). One that cannot be read is left out quietly.
		var orig archiveTweet
		if json.Unmarshal(tw.RetweetedStatus, &orig) == nil {
			if op, err := archivePost(&orig, post.Author{}); err == nil {
				op.Raw = bytes.Clone(tw.RetweetedStatus)
				if oi := postItem(line, archiveFormat, op); oi.Post != nil && !yield(oi) {
					return false
				}
			}
		}
	}
	if strings.TrimSpace(tw.DeletedAt) == "" {
		return true
	}
	ref := &post.Ref{ID: p.ID, Source: post.Twitter, NativeID: p.NativeID}
	if at, err := archiveTime(tw.DeletedAt); err == nil {
		ref.At = at
	}
	return yield(collector.Item{Line: line, Delete: ref})
}

// archiveTime parses an archive's created_at or deleted_at: "Fri May 01
// 10:00:00 +0000 2026" (time.RubyDate), or a legacy archive's "2011-09-30
// 21:49:47 +0000" or RFC 3339.
func archiveTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RubyDate, "2006-01-02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad created_at %q (want %q or %q)", s, time.RubyDate, "2006-01-02 15:04:05 -0700")
}

// archivePost turns an archive tweet into a Post (without Raw). Its author
// is the tweet's user when it has one (legacy archives), else owner.
func archivePost(tw *archiveTweet, owner post.Author) (*post.Post, error) {
	id := string(tw.IDStr)
	if id == "" {
		id = string(tw.ID)
	}
	if id == "" {
		return nil, errors.New("tweet has no id_str")
	}
	if !isTweetID(id) {
		return nil, fmt.Errorf("tweet id %q is not numeric", id)
	}
	if strings.TrimSpace(tw.CreatedAt) == "" {
		return nil, fmt.Errorf("tweet %s has no created_at", id)
	}
	created, err := archiveTime(tw.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("tweet %s: %v", id, err)
	}
	if u := tw.User; u != nil && u.ScreenName != "" {
		uid := string(u.IDStr)
		if uid == "" {
			uid = string(u.ID)
		}
		owner = post.Author{ID: uid, Handle: u.ScreenName, Name: u.Name, URL: "https://x.com/" + u.ScreenName}
	}
	var history []jsonString
	var initialID string
	if ei := tw.EditInfo; ei != nil {
		if ei.Initial != nil {
			history = ei.Initial.EditTweetIDs
		}
		if e := ei.Edit; e != nil {
			initialID = string(e.InitialTweetID)
			if len(history) == 0 && e.EditControlInitial != nil {
				history = e.EditControlInitial.EditTweetIDs
			}
		}
	}
	nativeID, rev := editKey(id, history)
	if rev == 0 && isTweetID(initialID) && initialID != id {
		// An edit whose position in the chain is unknown: newer than the original.
		nativeID, rev = initialID, 1
	}
	text := tw.FullText
	if text == "" {
		text = tw.Text
	}
	replyTo := string(tw.InReplyToStatusIDStr)
	if replyTo == "" {
		replyTo = string(tw.InReplyToStatusID)
	}
	quoted := string(tw.QuotedStatusIDStr)
	if quoted == "" {
		quoted = string(tw.QuotedStatusID)
	}
	p := &post.Post{
		ID:        post.MakeID(post.Twitter, nativeID),
		Source:    post.Twitter,
		NativeID:  nativeID,
		Author:    owner,
		Text:      post.UnescapeEntities(text),
		Lang:      lang(tw.Lang),
		CreatedAt: created,
		Revision:  rev,
		ReplyTo:   relID(replyTo),
		QuoteOf:   relID(quoted),
		Metrics:   post.Metrics{Likes: int64(tw.FavoriteCount), Reposts: int64(tw.RetweetCount)},
	}
	if rev > 0 {
		p.EditedAt = created
	}
	if owner.Handle != "" {
		p.URL = "https://x.com/" + owner.Handle + "/status/" + id
	} else {
		p.URL = "https://x.com/i/web/status/" + id
	}
	addArchiveEntities(p, tw, id)
	if present(tw.RetweetedStatus) {
		// A legacy archive's retweet: the text and entities are the
		// original's, which the retweet's own text cuts short.
		var orig archiveTweet
		if json.Unmarshal(tw.RetweetedStatus, &orig) == nil {
			origID := string(orig.IDStr)
			if origID == "" {
				origID = string(orig.ID)
			}
			if p.RepostOf = relID(origID); p.RepostOf != "" {
				t := orig.FullText
				if t == "" {
					t = orig.Text
				}
				if t != "" {
					p.Text = post.UnescapeEntities(t)
				}
				addArchiveEntities(p, &orig, origID)
			}
		}
	}
	return p, nil
}

// addArchiveEntities appends the hashtags, mentions, links and media of tw
// (whose id is id) to p.
func addArchiveEntities(p *post.Post, tw *archiveTweet, id string) {
	if e := tw.Entities; e != nil {
		for _, h := range e.Hashtags {
			p.Hashtags = append(p.Hashtags, h.Text)
		}
		for _, m := range e.UserMentions {
			p.Mentions = append(p.Mentions, m.ScreenName)
		}
		for _, u := range e.URLs {
			link := u.ExpandedURL
			if link == "" {
				link = u.URL
			}
			if !isSelfLink(link, id) {
				p.Links = append(p.Links, link)
			}
		}
	}
	media := tw.ExtendedEntities
	if media == nil || len(media.Media) == 0 {
		media = tw.Entities
	}
	if media != nil {
		for _, m := range media.Media {
			u := m.MediaURLHTTPS
			if u == "" {
				u = m.MediaURL
			}
			p.Media = append(p.Media, u)
		}
	}
}
