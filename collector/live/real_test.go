package live_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/hackernews"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/collector/mastodon"
	"github.com/aftershock/aftershock/collector/reddit"
	"github.com/aftershock/aftershock/collector/twitter"
)

// Tests against the real services. They run only when asked: with
// AFTERSHOCK_LIVE_TESTS=1 for the services without credentials (Bluesky,
// Hacker News, Mastodon's public timelines), and when the credentials are
// in the environment for the others. CI runs none of them.

func liveOnly(t *testing.T, env ...string) {
	t.Helper()
	if os.Getenv("AFTERSHOCK_LIVE_TESTS") != "1" {
		t.Skip("set AFTERSHOCK_LIVE_TESTS=1 to test against the real service")
	}
	for _, e := range env {
		if os.Getenv(e) == "" {
			t.Skipf("set %s to test against the real service", e)
		}
	}
}

var client = &http.Client{Timeout: 30 * time.Second}

func checkBatch(t *testing.T, b live.Batch, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Posts {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	t.Logf("%d posts, %d deletions, cursor %q, more %v", len(b.Posts), len(b.Deletes), b.Cursor, b.More)
}

func TestRealHackerNews(t *testing.T) {
	liveOnly(t)
	p, err := hackernews.NewPoller(hackernews.Config{Query: "outage"}, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Fetch(context.Background(), "")
	checkBatch(t, b, err)
}

func TestRealMastodon(t *testing.T) {
	liveOnly(t)
	p, err := mastodon.NewPoller(mastodon.Config{Instance: "https://mastodon.social", Hashtag: "outage"}, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Fetch(context.Background(), "")
	checkBatch(t, b, err)
}

func TestRealBluesky(t *testing.T) {
	liveOnly(t)
	s, err := bluesky.NewJetstream(bluesky.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n := 0
	s.Stream(ctx, "", func(b live.Batch) error {
		checkBatch(t, b, nil)
		n += len(b.Posts)
		if n > 100 {
			cancel()
		}
		return nil
	})
	if n == 0 {
		t.Error("no post from the firehose in 10 s")
	}
}

func TestRealX(t *testing.T) {
	liveOnly(t, "AFTERSHOCK_X_BEARER_TOKEN")
	p, err := twitter.NewSearch(twitter.Config{BearerToken: os.Getenv("AFTERSHOCK_X_BEARER_TOKEN"), Query: "outage -is:retweet", MaxResults: 10}, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Fetch(context.Background(), "")
	checkBatch(t, b, err)
}

func TestRealReddit(t *testing.T) {
	liveOnly(t, "AFTERSHOCK_REDDIT_CLIENT_ID", "AFTERSHOCK_REDDIT_CLIENT_SECRET")
	p, err := reddit.NewPoller(reddit.Config{ClientID: os.Getenv("AFTERSHOCK_REDDIT_CLIENT_ID"),
		ClientSecret: os.Getenv("AFTERSHOCK_REDDIT_CLIENT_SECRET"), Query: "outage"}, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Fetch(context.Background(), "")
	checkBatch(t, b, err)
}
