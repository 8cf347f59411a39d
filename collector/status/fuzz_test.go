package status

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
)

func FuzzParse(f *testing.F) {
	dir := testdata.Path(f, "statuspage")
	files, _ := filepath.Glob(filepath.Join(dir, "*.atom"))
	more, _ := filepath.Glob(filepath.Join(dir, "github-incidents-json", "*.json"))
	// The seeds are large (up to 97 KB): run with -fuzzminimizetime=50x or
	// so, or the worker spends a minute minimising each new input.
	for _, name := range append(files, more[:5]...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`[{"id":"a","begin":"2026-05-01T09:00:00Z","updates":[{"when":"2026-05-01T09:10:00Z","status":"AVAILABLE"}]}]`))
	f.Add(utf16le(`[{"arn":"x","date":"1714550400","event_log":[{"summary":"[RESOLVED] x","timestamp":1714550400}]}]`))
	f.Add([]byte(`<rss><channel><item><title>Informational message: x</title><pubDate>Tue, 28 Feb 2017 14:08:00 PST</pubDate><guid>http://status.aws.amazon.com/#s3-us-east-1_1488319680</guid></item></channel></rss>`))
	f.Add([]byte(`<rss><channel><item><title>t</title><pubDate>Mon, 01 Jan 2024 00:21:00 +0000</pubDate><description>&lt;p&gt;&lt;small&gt;Feb &lt;var data-var='date'&gt;29&lt;/var&gt;, &lt;var data-var='time'&gt;23:59&lt;/var&gt; PST&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - x&lt;/p&gt;</description></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		incs, _ := Parse(data, "fuzz")
		for _, inc := range incs {
			if inc.Key == "" {
				t.Fatal("empty key")
			}
			ids := map[string]bool{}
			for _, u := range inc.Updates {
				if u.Time.IsZero() {
					t.Fatalf("%s: update with zero time", inc.Key)
				}
				if u.ID == "" || ids[u.ID] {
					t.Fatalf("%s: empty or duplicate update id %q", inc.Key, u.ID)
				}
				ids[u.ID] = true
			}
		}
	})
}
