package live

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Get fetches url with the User-Agent, the given headers and a body size
// limit. A response that is not 2xx becomes an *HTTPError whose RetryAfter
// comes from Retry-After or the rate-limit reset headers the sources send
// (X: x-rate-limit-reset, epoch seconds; Mastodon: X-RateLimit-Reset, an
// ISO time; Reddit: x-ratelimit-reset, seconds; GitHub-style
// X-RateLimit-Reset epoch seconds when X-RateLimit-Remaining is 0). 401 and
// 403 wrap ErrAuth.
func Get(ctx context.Context, client *http.Client, url string, header http.Header) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", UserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, resp.Header, fmt.Errorf("reading %s: %w", url, err)
	}
	if len(body) > MaxBody {
		return nil, resp.Header, fmt.Errorf("%s: response larger than %d bytes", url, MaxBody)
	}
	if resp.StatusCode == http.StatusNotModified {
		return nil, resp.Header, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		he := &HTTPError{Status: resp.StatusCode, RetryAfter: RetryAfter(resp.Header, time.Now()), Body: excerpt(body)}
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return nil, resp.Header, fmt.Errorf("%w: %w", ErrAuth, he)
		}
		return nil, resp.Header, he
	}
	return body, resp.Header, nil
}

// RetryAfter reads when to come back from a response's headers; 0 if they
// do not say.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	for _, k := range []string{"X-Rate-Limit-Reset", "X-RateLimit-Reset", "X-Ratelimit-Reset"} {
		v := strings.TrimSpace(h.Get(k))
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil { // Mastodon
			return max(t.Sub(now), 0)
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if f > 1e9 { // epoch seconds (X, GitHub)
				return max(time.Unix(int64(f), 0).Sub(now), 0)
			}
			return time.Duration(f * float64(time.Second)) // seconds from now (Reddit)
		}
	}
	return 0
}

// excerpt is the start of a body, on one line, for logs and errors.
func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Excerpt is excerpt for sources logging a payload they could not read.
func Excerpt(b []byte) string { return excerpt(b) }
