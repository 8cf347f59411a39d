package status

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// UserAgent is sent with every request.
const UserAgent = "Aftershock/0.1 (+https://github.com/aftershock/aftershock)"

// MaxBodySize is the largest response Fetch accepts (Google's full incident
// history is a few MiB).
const MaxBodySize = 16 << 20

// Fetch GETs a status feed and returns its body. It refuses URLs that are
// not http or https, fails on a non-2xx status (naming it) and on a body
// larger than MaxBodySize. A nil client means http.DefaultClient.
func Fetch(ctx context.Context, client *http.Client, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("status fetch: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("status fetch %s: scheme %q is not http or https", rawURL, u.Scheme)
	}
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("status fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("status fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("status fetch %s: %s", rawURL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	if err != nil {
		return nil, fmt.Errorf("status fetch %s: reading body: %w", rawURL, err)
	}
	if len(body) > MaxBodySize {
		return nil, fmt.Errorf("status fetch %s: body larger than %d bytes", rawURL, MaxBodySize)
	}
	return body, nil
}
