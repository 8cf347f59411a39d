package twitter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const archiveFormat = "twitter archive"

// archiveRecord is one element of tweets.js: {"tweet":{…}}.
type archiveRecord struct {
	Tweet json.RawMessage `json:"tweet"`
}

// archiveTweet is a tweet as "Download your archive" writes it: like v1.1,
// but numbers (ids, counts, indices) are strings and there is no user.
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
	Entities             *archiveEntities `json:"entities"`
	ExtendedEntities     *archiveEntities `json:"extended_entities"`
	EditInfo             *struct {
		Initial *archiveEditControl `json:"initial"`
		Edit    *struct {
			InitialTweetID     jsonString          `json:"initialTweetId"`
			EditControlInitial *archiveEditControl `json:"editControlInitial"`
		} `json:"edit"`
	} `json:"edit_info"`
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

// DecodeArchive decodes data/tweets.js (or the older tweet.js) of an X
// "Download your archive" export: `window.YTD.tweets.part0 = [{"tweet":{…}}, …]`,
// or the same array as plain JSON. The archive owner is not in the file, so
// posts have no author handle; see [DecodeArchiveFor].
func DecodeArchive(r io.Reader) iter.Seq[collector.Item] {
	return DecodeArchiveFor(r, post.Author{})
}

// DecodeArchiveFor is [DecodeArchive] for an archive whose owner is known
// (from account.js): every post gets owner as its author, and permalinks use
// owner.Handle. owner.URL defaults to https://x.com/<handle>.
func DecodeArchiveFor(r io.Reader, owner post.Author) iter.Seq[collector.Item] {
	if owner.URL == "" && owner.Handle != "" {
		owner.URL = "https://x.com/" + owner.Handle
	}
	return func(yield func(collector.Item) bool) {
		br := bufio.NewReader(r)
		skipped, sawText, found, err := skipToJSON(br)
		if err != nil {
			yield(errItem(skipped+1, "%s: read: %v", archiveFormat, err))
			return
		}
		if !found {
			if sawText {
				yield(errItem(1, "%s: no JSON array found (want `window.YTD.tweets.part0 = [ … ]`)", archiveFormat))
			}
			return
		}
		for rec := range collector.JSONValues(&trailerTrimmer{r: br}) {
			line := rec.Line + skipped
			if rec.Err != nil {
				if !yield(collector.Item{Line: line, Err: fmt.Errorf("%s: %w", archiveFormat, rec.Err)}) {
					return
				}
				continue
			}
			if !yield(archiveItem(line, rec.Data, owner)) {
				return
			}
		}
	}
}

// skipToJSON consumes the JavaScript before the first '[' or '{' (which it
// leaves unread) and returns how many line breaks it skipped, whether it
// skipped anything but white space, and whether such a byte was found.
func skipToJSON(br *bufio.Reader) (newlines int, sawText, found bool, err error) {
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return newlines, sawText, false, nil
		}
		if err != nil {
			return newlines, sawText, false, err
		}
		switch b {
		case '[', '{':
			return newlines, sawText, true, br.UnreadByte()
		case '\n':
			newlines++
		case ' ', '\t', '\r', 0xEF, 0xBB, 0xBF: // white space, UTF-8 byte order mark
		default:
			sawText = true
		}
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

func archiveItem(line int, data []byte, owner post.Author) collector.Item {
	if k := objectKind(data); k != "" {
		return errItem(line, "%s: record is %s, not {\"tweet\":{…}}", archiveFormat, k)
	}
	var rec archiveRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return errItem(line, "%s: %v", archiveFormat, err)
	}
	raw := []byte(rec.Tweet)
	if !present(rec.Tweet) {
		raw = data // a bare tweet object, without the {"tweet":…} wrapper
	}
	if k := objectKind(raw); k != "" {
		return errItem(line, "%s: tweet is %s, not an object", archiveFormat, k)
	}
	var tw archiveTweet
	if err := json.Unmarshal(raw, &tw); err != nil {
		return errItem(line, "%s: decode tweet: %v", archiveFormat, err)
	}
	p, err := archivePost(&tw, owner)
	if err != nil {
		return errItem(line, "%s: %v", archiveFormat, err)
	}
	p.Raw = bytes.Clone(raw)
	return postItem(line, archiveFormat, p)
}

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
	created, err := rubyTime(tw.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("tweet %s: %v", id, err)
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
	return p, nil
}
