package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aftershock/aftershock/collector/status"
)

// StatusFeed follows a status page's feed (Statuspage JSON, Atom, RSS): a
// conditional GET (ETag, Last-Modified) each interval; a changed feed is
// parsed and its incidents saved (the save is idempotent, so a crash
// between the save and the cursor costs nothing). It yields no posts; its
// cursor is the validators of the last feed read.
type StatusFeed struct {
	url    string
	client *http.Client
	save   func(ctx context.Context, origin string, incs []status.Incident) error
	log    *slog.Logger
}

// NewStatusFeed follows url; save stores what it read (store.SaveIncidents
// with the counts dropped).
func NewStatusFeed(url string, client *http.Client, save func(ctx context.Context, origin string, incs []status.Incident) error, log *slog.Logger) *StatusFeed {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &StatusFeed{url: url, client: client, save: save, log: log}
}

// Name implements Poller.
func (f *StatusFeed) Name() string { return "status:" + f.url }

type validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Fetch implements Poller.
func (f *StatusFeed) Fetch(ctx context.Context, cursor string) (Batch, error) {
	var v validators
	if cursor != "" {
		json.Unmarshal([]byte(cursor), &v) // an unreadable cursor fetches unconditionally
	}
	h := http.Header{}
	if v.ETag != "" {
		h.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		h.Set("If-Modified-Since", v.LastModified)
	}
	body, resp, err := Get(ctx, f.client, f.url, h)
	if err != nil {
		return Batch{}, err
	}
	if body == nil { // 304 Not Modified
		return Batch{}, nil
	}
	incs, problems := status.Parse(body, f.url)
	for _, p := range problems {
		f.log.Warn("status feed entry skipped", "source", f.Name(), "err", p)
	}
	if len(incs) > 0 {
		if err := f.save(ctx, f.url, incs); err != nil {
			return Batch{}, fmt.Errorf("status feed %s: %w", f.url, err)
		}
	}
	next, _ := json.Marshal(validators{ETag: resp.Get("ETag"), LastModified: resp.Get("Last-Modified")})
	return Batch{Cursor: string(next), Skipped: len(problems)}, nil
}
