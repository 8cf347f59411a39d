package twitter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aftershock/aftershock/post"
)

// The files of an X archive, as X names them in its zip (data/<name>.js;
// manifest.js lists them) or a legacy (Grailbird) archive does
// (data/js/tweets/YYYY_MM.js, data/js/user_details.js).
var (
	postFile     = regexp.MustCompile(`^(tweets?|community-tweet|deleted-tweets?|note-tweet|deleted-note-tweet)(-part[0-9]+)?\.js$`)
	noteFile     = regexp.MustCompile(`^(deleted-)?note-tweet(-part[0-9]+)?\.js$`)
	grailbirdMon = regexp.MustCompile(`^[0-9]{4}_[0-9]{2}\.js$`)
)

// archiveBase returns the file name of an archive member (a zip name with
// '/' or a path with the OS separator) and its parent folder's name.
func archiveBase(name string) (base, dir string) {
	name = strings.ReplaceAll(name, `\`, "/")
	return path.Base(name), path.Base(path.Dir(name))
}

// ArchivePostFile reports whether name (a path or zip member name) is a file
// of an X archive that [DecodeArchiveWith] reads: tweets.js, tweet.js,
// community-tweet.js, deleted-tweets.js, deleted-tweet.js, note-tweet.js,
// deleted-note-tweet.js and their -partN variants (tweets-part1.js, …), and
// a legacy archive's tweets/YYYY_MM.js. The note files yield no posts of
// their own (see [ArchiveNoteFile]). It is false for the archive's other
// files (like.js, account.js, manifest.js, direct-messages.js,
// tweet-headers.js, twitter-circle-tweet.js, …).
func ArchivePostFile(name string) bool {
	base, dir := archiveBase(name)
	return postFile.MatchString(base) || dir == "tweets" && grailbirdMon.MatchString(base)
}

// ArchiveNoteFile reports whether name is note-tweet.js or
// deleted-note-tweet.js (or a -partN of them), whose notes complete the
// long posts of the archive's other files: read them with
// [ArchiveNotes.Read] before decoding those.
func ArchiveNoteFile(name string) bool {
	base, _ := archiveBase(name)
	return noteFile.MatchString(base)
}

// ArchiveAccountFile reports whether name is the file naming an archive's
// owner: account.js, or a legacy archive's user_details.js (read both with
// [ReadArchiveAccount]).
func ArchiveAccountFile(name string) bool {
	base, _ := archiveBase(name)
	return base == "account.js" || base == "user_details.js"
}

// ReadArchiveAccount reads the owner of an X archive from data/account.js,
// `window.YTD.account.part0 = [{"account":{"username", "accountId",
// "accountDisplayName", …}}]`, or from a legacy archive's
// data/js/user_details.js, `var user_details = {"screen_name", "full_name",
// "id", …}`. The author's URL is https://x.com/<username>. Nothing else of
// the file is kept (account.js holds the owner's e-mail address).
func ReadArchiveAccount(r io.Reader) (post.Author, error) {
	for rec, kind := range archiveValues(r, false) {
		if rec.Err != nil {
			return post.Author{}, fmt.Errorf("%s account: line %d: %w", archiveFormat, rec.Line, rec.Err)
		}
		if kind.name != "" && kind.name != "account" && kind.name != "user_details" {
			return post.Author{}, fmt.Errorf("%s account: line %d: want account.js or user_details.js, got window.YTD/var %s", archiveFormat, rec.Line, kind.name)
		}
		if k := objectKind(rec.Data); k != "" {
			return post.Author{}, fmt.Errorf("%s account: line %d: record is %s, not an object", archiveFormat, rec.Line, k)
		}
		var acc struct {
			Account *struct {
				Username    string     `json:"username"`
				AccountID   jsonString `json:"accountId"`
				DisplayName string     `json:"accountDisplayName"`
			} `json:"account"`
			// user_details.js
			ScreenName string     `json:"screen_name"`
			FullName   string     `json:"full_name"`
			ID         jsonString `json:"id"`
		}
		if err := json.Unmarshal(rec.Data, &acc); err != nil {
			return post.Author{}, fmt.Errorf("%s account: line %d: %w", archiveFormat, rec.Line, err)
		}
		a := post.Author{ID: string(acc.ID), Handle: acc.ScreenName, Name: acc.FullName}
		if acc.Account != nil {
			a = post.Author{ID: string(acc.Account.AccountID), Handle: acc.Account.Username, Name: acc.Account.DisplayName}
		}
		a.Handle = strings.TrimPrefix(strings.TrimSpace(a.Handle), "@")
		if a.Handle == "" {
			return post.Author{}, fmt.Errorf("%s account: line %d: no username (want {\"account\":{\"username\":…}} or {\"screen_name\":…})", archiveFormat, rec.Line)
		}
		a.URL = "https://x.com/" + a.Handle
		return a, nil
	}
	return post.Author{}, fmt.Errorf("%s account: no account record", archiveFormat)
}

// ArchiveNotes holds the long posts ("note tweets") of an archive's
// note-tweet.js: tweets.js has their text cut at about 280 characters and
// ending in "…", the note has the full text. A note carries no tweet id, so
// [DecodeArchiveWith] finds the note of a truncated tweet by creation time
// (the note's createdAt within 5 s of the tweet's created_at) and text (the
// note's text begins with the tweet's, once the reply's leading @mentions,
// links and the final "…" are set aside), the nearest in time winning. The
// zero value holds no notes and is ready to use.
type ArchiveNotes struct {
	bySecond map[int64][]*archiveNote // by createdAt in Unix seconds
	n        int
}

// archiveNote is a note of note-tweet.js:
// {"noteTweet":{"noteTweetId", "createdAt", "updatedAt", "core":{"text",
// "urls", "mentions", "hashtags", "cashtags", "styletags"}, …}}.
type archiveNote struct {
	created time.Time
	text    string
	tags    []string
	users   []string
	links   []string
	raw     json.RawMessage // the noteTweet object, verbatim
}

// noteWindow is how far apart a note's createdAt and its tweet's created_at may be.
const noteWindow = 5

// Len returns how many notes n holds.
func (n *ArchiveNotes) Len() int {
	if n == nil {
		return 0
	}
	return n.n
}

// Read adds the notes of one note-tweet.js (or deleted-note-tweet.js)
// file and returns how many it added. It goes on after a record it cannot
// read and returns, with the count, an error naming the first few such
// records (by line).
func (n *ArchiveNotes) Read(r io.Reader) (int, error) {
	added := 0
	var problems []error
	for rec, kind := range archiveValues(r, false) {
		err := rec.Err
		if err == nil && kind.name != "" && !kind.notes {
			err = fmt.Errorf("not a note file (window.YTD.%s)", kind.name)
		}
		if err == nil {
			var wrap archiveRecord
			if err = json.Unmarshal(rec.Data, &wrap); err == nil {
				var note *archiveNote
				if note, err = parseArchiveNote(wrap.NoteTweet); err == nil {
					n.add(note)
					added++
				}
			}
		}
		if err != nil {
			if len(problems) < 5 {
				problems = append(problems, fmt.Errorf("line %d: %w", rec.Line, err))
			}
			if kind.name != "" && !kind.notes {
				break // another file of the archive: one error says it
			}
		}
	}
	if len(problems) > 0 {
		return added, fmt.Errorf("%s notes: %w", archiveFormat, errors.Join(problems...))
	}
	return added, nil
}

func (n *ArchiveNotes) add(note *archiveNote) {
	if n.bySecond == nil {
		n.bySecond = make(map[int64][]*archiveNote)
	}
	s := note.created.Unix()
	n.bySecond[s] = append(n.bySecond[s], note)
	n.n++
}

// parseArchiveNote decodes the noteTweet object of a note-tweet.js record.
func parseArchiveNote(raw json.RawMessage) (*archiveNote, error) {
	if !present(raw) {
		return nil, errors.New(`record has no noteTweet (want {"noteTweet":{…}})`)
	}
	if k := objectKind(raw); k != "" {
		return nil, fmt.Errorf("noteTweet is %s, not an object", k)
	}
	var nt struct {
		CreatedAt string `json:"createdAt"`
		Core      *struct {
			Text string `json:"text"`
		} `json:"core"`
	}
	if err := json.Unmarshal(raw, &nt); err != nil {
		return nil, fmt.Errorf("decode noteTweet: %v", err)
	}
	if nt.Core == nil || strings.TrimSpace(nt.Core.Text) == "" {
		return nil, errors.New("noteTweet has no core.text")
	}
	created, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(nt.CreatedAt))
	if err != nil {
		return nil, fmt.Errorf("noteTweet: bad createdAt %q", nt.CreatedAt)
	}
	note := &archiveNote{created: created.UTC(), text: post.UnescapeEntities(nt.Core.Text), raw: raw}
	// The entities are read leniently: their shape is not X's documented
	// API, and a post is worth its text without them.
	var ent struct {
		Core struct {
			Hashtags []struct {
				Text    string `json:"text"`
				Hashtag string `json:"hashtag"`
			} `json:"hashtags"`
			Mentions []struct {
				ScreenName string `json:"screenName"`
			} `json:"mentions"`
			URLs []struct {
				ExpandedURL string `json:"expandedUrl"`
			} `json:"urls"`
		} `json:"core"`
	}
	if json.Unmarshal(raw, &ent) == nil {
		for _, h := range ent.Core.Hashtags {
			note.tags = append(note.tags, h.Text+h.Hashtag)
		}
		for _, m := range ent.Core.Mentions {
			note.users = append(note.users, m.ScreenName)
		}
		for _, u := range ent.Core.URLs {
			note.links = append(note.links, u.ExpandedURL)
		}
	}
	return note, nil
}

// match returns the note holding the full text of a post created at
// created whose archive text is text, or nil.
func (n *ArchiveNotes) match(created time.Time, text string) *archiveNote {
	if n == nil || n.n == 0 {
		return nil
	}
	body, ok := truncatedBody(text)
	if !ok {
		return nil
	}
	var best *archiveNote
	bestGap := int64(noteWindow + 1)
	s := created.Unix()
	for d := int64(-noteWindow); d <= noteWindow; d++ {
		for _, note := range n.bySecond[s+d] {
			gap := max(d, -d)
			if gap < bestGap && strings.HasPrefix(comparable(stripMentions(note.text)), body) {
				best, bestGap = note, gap
			}
		}
	}
	return best
}

// apply gives p the note's full text (after the reply's leading @mentions of
// p's own text, which the note leaves out) and entities.
func (note *archiveNote) apply(p *post.Post) {
	text := note.text
	if lead := leadingMentions(p.Text); lead != "" && !strings.HasPrefix(text, "@") {
		text = lead + text
	}
	p.Text = text
	p.Hashtags = append(p.Hashtags, note.tags...)
	p.Mentions = append(p.Mentions, note.users...)
	p.Links = append(p.Links, note.links...)
	p.Normalize()
}

var (
	urlToken    = regexp.MustCompile(`https?://\S*`)
	mentionLead = regexp.MustCompile(`^(?:\s*@[A-Za-z0-9_]+)+\s*`)
)

// truncatedBody reports whether text is cut short ("…" at its end, perhaps
// before links) and returns the part to find at the start of the full text.
func truncatedBody(text string) (string, bool) {
	t := strings.TrimSpace(text)
	cut, ok := cutEllipsis(t)
	for !ok {
		// Links after the "…" (the one to the post itself, attached media).
		loc := urlToken.FindAllStringIndex(t, -1)
		if len(loc) == 0 || loc[len(loc)-1][1] != len(t) {
			return "", false
		}
		t = strings.TrimSpace(t[:loc[len(loc)-1][0]])
		cut, ok = cutEllipsis(t)
	}
	body := comparable(stripMentions(cut))
	// The cut may fall inside a word: compare up to the last whole word, and
	// at most the first 60 characters.
	if i := strings.LastIndexByte(body, ' '); i > 0 {
		body = body[:i]
	}
	if utf8.RuneCountInString(body) > 60 {
		body = string([]rune(body)[:60])
	}
	return body, true
}

// cutEllipsis returns s without the "…" (or "...") it ends with, if it does.
func cutEllipsis(s string) (string, bool) {
	if cut, ok := strings.CutSuffix(s, "…"); ok {
		return cut, true
	}
	return strings.CutSuffix(s, "...")
}

// stripMentions drops the @mentions a reply's text begins with.
func stripMentions(s string) string { return mentionLead.ReplaceAllString(s, "") }

// leadingMentions returns the @mentions a reply's text begins with,
// followed by a space, or "".
func leadingMentions(s string) string {
	lead := strings.TrimSpace(mentionLead.FindString(s))
	if lead == "" {
		return ""
	}
	return lead + " "
}

// comparable returns s without links and with runs of white space as one
// space, for comparing texts X wrote differently.
func comparable(s string) string {
	s = urlToken.ReplaceAllString(s, " ")
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// ReadArchiveCounts reads how many posts an archive says each of its files of
// posts holds, by file name as the archive gives it: from data/manifest.js,
// `window.__THAR_CONFIG = {"dataTypes":{"tweets":{"files":[{"fileName":
// "data/tweets.js","globalName":"YTD.tweets.part0","count":"3601"}]}, …}}`,
// or a legacy archive's data/js/tweet_index.js, `var tweet_index = [
// {"file_name":"data/js/tweets/2013_01.js","tweet_count":24, …}, …]`. Only
// files [ArchivePostFile] accepts and that hold posts of their own (not the
// note files) are listed. The importer can announce each count as a
// collector.Expect for that file (Field "manifest.js count" or
// "tweet_index.js tweet_count"): decoding yields at least that many posts,
// more when legacy retweets carry their originals.
func ReadArchiveCounts(r io.Reader) (map[string]int64, error) {
	counts := make(map[string]int64)
	add := func(name string, n jsonCount) {
		if ArchivePostFile(name) && !ArchiveNoteFile(name) && n >= 0 {
			counts[name] = max(counts[name], int64(n)) // a file listed twice counts once
		}
	}
	for rec, kind := range archiveValues(r, false) {
		if rec.Err != nil {
			return nil, fmt.Errorf("%s counts: line %d: %w", archiveFormat, rec.Line, rec.Err)
		}
		if kind.name != "manifest" && kind.name != "tweet_index" {
			return nil, fmt.Errorf("%s counts: want manifest.js or tweet_index.js, got %q", archiveFormat, kind.name)
		}
		if k := objectKind(rec.Data); k != "" {
			return nil, fmt.Errorf("%s counts: line %d: record is %s, not an object", archiveFormat, rec.Line, k)
		}
		var v struct {
			DataTypes map[string]struct {
				Files []struct {
					FileName string    `json:"fileName"`
					Count    jsonCount `json:"count"`
				} `json:"files"`
			} `json:"dataTypes"`
			// tweet_index.js
			FileName   string    `json:"file_name"`
			TweetCount jsonCount `json:"tweet_count"`
		}
		if err := json.Unmarshal(rec.Data, &v); err != nil {
			return nil, fmt.Errorf("%s counts: line %d: %w", archiveFormat, rec.Line, err)
		}
		for _, dt := range v.DataTypes {
			for _, f := range dt.Files {
				add(f.FileName, f.Count)
			}
		}
		if v.FileName != "" {
			add(v.FileName, v.TweetCount)
		}
	}
	return counts, nil
}
