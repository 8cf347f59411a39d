package status

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func TestNotAFeed(t *testing.T) {
	for name, in := range map[string]string{
		"html":        "<!DOCTYPE html><html><body>Down for maintenance</body></html>",
		"text":        "502 Bad Gateway",
		"empty":       "  \n",
		"json object": `{"status":{"indicator":"none"}}`,
		"json array":  `[1,2,3]`,
		"broken json": `{"incidents":[`,
		"binary":      "\x89PNG\r\n\x1a\n\x00\x00",
	} {
		incs, probs := Parse([]byte(in), "page.example/"+name)
		if len(incs) != 0 || len(probs) != 1 || !errors.Is(probs[0], ErrNotFeed) ||
			!strings.HasPrefix(probs[0].Error(), "page.example/"+name+": not a status feed (") {
			t.Errorf("%s: %d incidents, problems %v", name, len(incs), probs)
		}
	}
	// A feed broken before its first entry is a malformed feed, not "not a feed".
	if incs, probs := Parse([]byte(`<feed><entry`), "cut"); len(incs) != 0 || len(probs) != 1 || !strings.Contains(probs[0].Error(), "cut: malformed XML") {
		t.Errorf("broken xml: %v %v", incs, probs)
	}
	// An empty list is a valid, quiet feed (AWS's all-clear, an empty Azure channel).
	for _, in := range []string{"[]", `<rss version="2.0"><channel><title>Azure status</title></channel></rss>`} {
		if incs, probs := Parse([]byte(in), "quiet"); len(incs) != 0 || len(probs) != 0 {
			t.Errorf("%s: %v %v", in, incs, probs)
		}
	}
}

const historyItem = `<item>
 <title>%s</title>
 <description>%s</description>
 <pubDate>%s</pubDate>
 <link>https://status.example.com/incidents/%s</link>
 <guid>https://status.example.com/incidents/%s</guid>
</item>`

// A Statuspage RSS feed with an entry lacking dates, an entry spanning New
// Year, and a bad update time.
func TestStatuspageRSSBadEntriesAndYearBoundary(t *testing.T) {
	hist := func(ps ...string) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p)
		}
		return xmlEscape(b.String())
	}
	up := func(mon, day, hm, zone, label, text string) string {
		return "<p><small>" + mon + " <var data-var='date'>" + day + "</var>, <var data-var='time'>" + hm + "</var> " + zone +
			"</small><br><strong>" + label + "</strong> - " + text + "</p>"
	}
	items := []string{
		sprintf(historyItem, "New Year outage", hist(
			up("Jan", " 1", "00:20", "UTC", "Resolved", "Fixed."),
			up("Dec", "31", "23:50", "UTC", "Identified", "Found it."),
			up("Dec", "31", "23:10", "UTC", "Investigating", "Looking <a href='x'>into</a> it."),
			"<p>This incident affected: API, Dashboard and Webhooks.</p>",
		), "Mon, 01 Jan 2024 00:21:00 +0000", "ny1", "ny1"),
		sprintf(historyItem, "Undated", hist(up("Mar", "3", "10:00", "UTC", "Investigating", "x")), "", "nodate", "nodate"),
		sprintf(historyItem, "Pacific page", hist(
			up("Feb", "29", "04:05", "PST", "Monitoring", "Watching."),
			up("Feb", "29", "03:00", "XYZ", "Investigating", "Bad zone."),
		), "Thu, 29 Feb 2024 12:10:00 GMT", "pac", "pac"),
	}
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Example Status - Incident History</title>` +
		`<link>https://status.example.com</link>` + strings.Join(items, "") + `</channel></rss>`
	incs, probs := Parse([]byte(feed), "history.rss")
	checkInvariants(t, incs)
	if len(incs) != 2 {
		t.Fatalf("%d incidents, want 2", len(incs))
	}
	wantProbs := []string{
		`history.rss: entry 2 "Undated": no date`,
		`history.rss: entry 3 "Pacific page": update time "Feb 29, 03:00 XYZ": unknown time zone "XYZ"`,
	}
	if len(probs) != len(wantProbs) {
		t.Fatalf("problems %q", probs)
	}
	for i, w := range wantProbs {
		var ee *EntryError
		if probs[i].Error() != w || !errors.As(probs[i], &ee) || ee.Entry != i+2 {
			t.Errorf("problem %d = %q, want %q", i, probs[i], w)
		}
	}
	ny := incs[0]
	if ny.Key != "status.example.com/ny1" || ny.Page != "Example" || ny.PageURL != "https://status.example.com" {
		t.Errorf("incident %q %q %q", ny.Key, ny.Page, ny.PageURL)
	}
	checkUpdates(t, ny, []wantUp{
		{"2023-12-31T23:10Z", "investigating", "20231231T231000Z-investigating"},
		{"2023-12-31T23:50Z", "identified", ""},
		{"2024-01-01T00:20Z", "resolved", ""},
	})
	if ny.Updates[0].Body != "Looking into it." {
		t.Errorf("body %q", ny.Updates[0].Body)
	}
	if got := strings.Join(ny.Components, "|"); got != "API|Dashboard|Webhooks" {
		t.Errorf("components %q", got)
	}
	if at, ok := ny.ResolvedAt(); !ok || !at.Equal(mustTime(t, "2024-01-01T00:20Z")) {
		t.Errorf("resolved %v %v", at, ok)
	}
	// Feb 29 exists in 2024; 04:05 PST is 12:05 UTC.
	checkUpdates(t, incs[1], []wantUp{{"2024-02-29T12:05Z", "monitoring", ""}})
}

func TestYearInference(t *testing.T) {
	anchor := mustTime(t, "2024-01-02T10:00Z")
	for _, c := range []struct {
		stamp, newer, want string
	}{
		{"Jan 2, 09:59 UTC", "", "2024-01-02T09:59Z"},
		{"Dec 30, 23:00 UTC", "", "2023-12-30T23:00Z"},
		{"Jan 3, 01:00 UTC", "", "2024-01-03T01:00Z"}, // within the slack after the anchor
		{"Dec 31, 16:00 PST", "", "2024-01-01T00:00Z"},
		{"Feb 29, 10:00 UTC", "", "2020-02-29T10:00Z"}, // latest leap year not after the anchor
		{"Jan 1, 10:00 UTC", "2023-06-01T00:00Z", "2023-01-01T10:00Z"},
		{"Dec 29, 2022, 21:21 UTC", "", "2022-12-29T21:21Z"},
		{"Aug 10, 00:17 - 01:30 UTC", "", "2023-08-10T00:17Z"},
		{"Jan  5, 8:05 pm CET", "", "2023-01-05T19:05Z"},
		{"Okt 5, 08:05 MESZ", "", "2023-10-05T06:05Z"},
	} {
		st, err := parseStamp(c.stamp)
		if err != nil {
			t.Errorf("%s: %v", c.stamp, err)
			continue
		}
		var newer time.Time // zero: no newer update
		if c.newer != "" {
			newer = mustTime(t, c.newer)
		}
		got, err := st.resolve(anchor, newer)
		if err != nil || !got.Equal(mustTime(t, c.want)) {
			t.Errorf("%s: %v %v, want %s", c.stamp, got, err, c.want)
		}
	}
	for _, bad := range []string{"Foo 3, 10:00 UTC", "Dec 32, 10:00 UTC", "Dec 3, 25:00 UTC", "yesterday"} {
		if _, err := parseStamp(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"Thu, 09 Feb 2017 09:46:27 PST":   "2017-02-09T17:46:27Z",
		"Sun, 5 Mar 2017 10:00:00 PDT":    "2017-03-05T17:00:00Z",
		"Mon, 01 Jan 2024 00:21:00 +0000": "2024-01-01T00:21:00Z",
		"Mon, 01 Jan 2024 00:21:00 GMT":   "2024-01-01T00:21:00Z",
		"2026-08-21T00:37:20Z":            "2026-08-21T00:37:20Z",
		"2026-05-01T09:00:00+02:00":       "2026-05-01T07:00:00Z",
		"2019-09-23T16:12:01.706Z":        "2019-09-23T16:12:01.706Z",
		"2024-01-01 10:00":                "2024-01-01T10:00:00Z",
	} {
		got, err := parseDate(in)
		if err != nil || !got.Equal(mustTime(t, want)) || got.Location() != time.UTC {
			t.Errorf("%s: %v %v, want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "Thu, 09 Feb 2017 09:46:27 QQT", "0001-01-01T00:00:00Z"} {
		if _, err := parseDate(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestNormalizeState(t *testing.T) {
	for in, want := range map[string]State{
		"Resolved": Resolved, "Investigating": Investigating, "Identified": Identified, "Monitoring": Monitoring,
		"Update": Updated, "Postmortem": Postmortem, "Scheduled": Scheduled, "In progress": InProgress,
		"in_progress": InProgress, "Verifying": Verifying, "Completed": Completed,
		"Service is operating normally":                             Resolved,
		"Service is operating normally: [RESOLVED] Elevated errors": Resolved,
		"Informational message: [RESOLVED] Increased API errors":    Resolved,
		"Informational message:":                                    Informational,
		"Informational message: Increased API Error Rates":          Informational,
		"AVAILABLE": Resolved, "SERVICE_INFORMATION": Informational, "SERVICE_DISRUPTION": Updated, "SERVICE_OUTAGE": Updated,
		"We are investigating reports of degraded performance.": Investigating,
		"Behoben": Resolved, "Untersuchung": Investigating, "Identifiziert": Identified, "Überwachung": Monitoring,
		"Abgeschlossen":         Completed,
		"Incident with Actions": Unknown,
		"Unresolved DNS issues": Unknown,
		"":                      Unknown,
	} {
		if got := NormalizeState(in); got != want {
			t.Errorf("NormalizeState(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAWSRSS(t *testing.T) {
	item := func(title, date, guid, desc string) string {
		return "<item><title><![CDATA[" + title + "]]></title><link>http://status.aws.amazon.com/</link><pubDate>" + date +
			"</pubDate><guid isPermaLink=\"false\">http://status.aws.amazon.com/#" + guid + "</guid><description><![CDATA[" + desc + "]]></description></item>"
	}
	feed := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title><![CDATA[Amazon Web Services Service Status]]></title><link>http://status.aws.amazon.com/</link>` +
		item("Service is operating normally: [RESOLVED] Increased Error Rates", "Tue, 28 Feb 2017 14:08:00 PST", "s3-us-east-1_1488319680", "S3 is operating normally.") +
		item("Increased Error Rates", "Tue, 28 Feb 2017 10:12:00 PST", "s3-us-east-1_1488305520", "We are investigating.") +
		item("Informational message: Delayed CloudWatch metrics", "Tue, 28 Feb 2017 11:00:00 PST", "cloudwatch-us-east-1_1488308400", "Delayed.") +
		item("Performance issues: Increased Error Rates", "Tue, 28 Feb 2017 09:37:00 PST", "s3-us-east-1_1488303420", "We are investigating increased error rates.") +
		item("Informational message: Slow console", "Wed, 01 Mar 2017 08:00:00 PST", "s3-us-east-1_1488384000", "Slow.") +
		item("No date at all", "", "ec2-us-east-1_abc", "x") +
		`</channel></rss>`
	incs, probs := Parse([]byte(feed), "all.rss")
	checkInvariants(t, incs)
	// The last guid is not AWS-shaped (no epoch to fall back on): an item without date.
	if len(probs) != 1 || probs[0].Error() != `all.rss: entry 6 "No date at all": no date` {
		t.Errorf("problems %v", probs)
	}
	m := byKey(incs)
	s3 := m["status.aws.amazon.com/s3-us-east-1_1488303420"]
	if s3.Page != "AWS" || s3.Name != "Increased Error Rates" || s3.Impact != "minor" || !strings.EqualFold(strings.Join(s3.Components, ""), "s3-us-east-1") {
		t.Errorf("s3 incident %+v", s3)
	}
	checkUpdates(t, s3, []wantUp{
		{"2017-02-28T17:37Z", "update", "s3-us-east-1_1488303420"},
		{"2017-02-28T18:12Z", "update", "s3-us-east-1_1488305520"},
		{"2017-02-28T22:08Z", "resolved", "s3-us-east-1_1488319680"},
	})
	if !s3.Resolved.Equal(mustTime(t, "2017-02-28T22:08Z")) {
		t.Errorf("resolved %v", s3.Resolved)
	}
	// After the resolution, the next item of the same service opens a new incident.
	next := m["status.aws.amazon.com/s3-us-east-1_1488384000"]
	checkUpdates(t, next, []wantUp{{"2017-03-01T16:00Z", "informational", ""}})
	cw := m["status.aws.amazon.com/cloudwatch-us-east-1_1488308400"]
	if cw.Name != "Delayed CloudWatch metrics" || cw.State() != Informational || !cw.Resolved.IsZero() {
		t.Errorf("cloudwatch %+v", cw)
	}
}

func TestGenericFeeds(t *testing.T) {
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>Acme status</title><link href="https://status.acme.test/"/>
<entry><id>urn:acme:1</id><title>Investigating: login errors</title><updated>2026-05-01T09:00:00Z</updated><content type="html">&lt;p&gt;Logins &amp;amp; SSO fail.&lt;/p&gt;</content></entry>
<entry><id>urn:acme:2</id><title>Resolved: API latency</title><published>2026-05-01T07:00:00Z</published><updated>2026-05-01T08:30:00+01:00</updated><summary>Back to normal.</summary></entry>
<entry><id>urn:acme:3</id><title>No dates here</title><summary>?</summary></entry>
<entry><id>urn:acme:4</id><title>Bad date</title><updated>someday</updated></entry>
</feed>`
	incs, probs := Parse([]byte("\xEF\xBB\xBF"+atom), "acme.atom")
	checkInvariants(t, incs)
	if len(incs) != 2 || len(probs) != 2 ||
		probs[0].Error() != `acme.atom: entry 3 "No dates here": no date` ||
		!strings.HasPrefix(probs[1].Error(), `acme.atom: entry 4 "Bad date": no date: unrecognised date "someday"`) {
		t.Fatalf("%d incidents, problems %q", len(incs), probs)
	}
	if incs[0].Key != "status.acme.test/urn:acme:1" || incs[0].Page != "Acme" || incs[0].Updates[0].Body != "Logins & SSO fail." {
		t.Errorf("entry 1: %+v", incs[0])
	}
	checkUpdates(t, incs[0], []wantUp{{"2026-05-01T09:00Z", "investigating", "20260501T090000Z-investigating"}})
	checkUpdates(t, incs[1], []wantUp{{"2026-05-01T07:30Z", "resolved", ""}})
	if !incs[1].Created.Equal(mustTime(t, "2026-05-01T07:00Z")) || !incs[1].Resolved.Equal(mustTime(t, "2026-05-01T07:30Z")) {
		t.Errorf("entry 2 created %v resolved %v", incs[1].Created, incs[1].Resolved)
	}

	// UTF-16 RSS (little endian with BOM) declaring its encoding.
	rss := `<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Azure status</title><link>https://azure.status.microsoft/en-us/status/</link>` +
		`<item><title>Active: Storage – degradation in West Europe</title><guid>https://azure.status.microsoft/en-us/status/#ABC-123</guid><pubDate>Fri, 01 May 2026 10:00:00 Z</pubDate><description>Größere Störung</description></item></channel></rss>`
	incs, probs = Parse(utf16le(rss), "azure.rss")
	if len(probs) != 0 || len(incs) != 1 || incs[0].Key != "azure.status.microsoft/en-us/status/#ABC-123" ||
		incs[0].Updates[0].Body != "Größere Störung" || incs[0].State() != Unknown || incs[0].Page != "Azure" {
		t.Fatalf("utf-16 rss: %+v %v", incs, probs)
	}
}

func utf16le(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestGoogleAndAWSJSON(t *testing.T) {
	google := `[{"id":"abc123","number":"1556","begin":"2026-05-01T09:00:00+00:00","modified":"2026-05-01T11:00:00+00:00","end":"2026-05-01T10:45:00+00:00",
  "external_desc":"Retry errors for BigQuery","severity":"low","status_impact":"SERVICE_INFORMATION","service_name":"Google BigQuery",
  "affected_products":[{"title":"Google BigQuery","id":"9Ccr"}],"uri":"incidents/abc123",
  "updates":[{"when":"2026-05-01T10:45:00+00:00","text":"Resolved.","status":"AVAILABLE"},{"when":"2026-05-01T09:10:00+00:00","text":"Summary: retries","status":"SERVICE_DISRUPTION"}]},
 {"id":"def456","begin":"2026-05-02T09:00:00+00:00","end":null,"external_desc":"Ongoing","updates":[{"when":"","text":"x","status":"SERVICE_OUTAGE"}]}]`
	incs, probs := Parse([]byte(google), "https://status.cloud.google.com/incidents.json")
	checkInvariants(t, incs)
	if len(incs) != 2 || len(probs) != 1 || !strings.Contains(probs[0].Error(), `entry 2 "Ongoing": update 1: no usable date`) {
		t.Fatalf("%d incidents, problems %v", len(incs), probs)
	}
	g := incs[0]
	if g.Key != "status.cloud.google.com/abc123" || g.URL != "https://status.cloud.google.com/incidents/abc123" || g.Page != "Google Cloud" || g.Impact != "low" {
		t.Errorf("google %+v", g)
	}
	checkUpdates(t, g, []wantUp{{"2026-05-01T09:10Z", "update", ""}, {"2026-05-01T10:45Z", "resolved", ""}})
	if _, ok := incs[1].ResolvedAt(); ok || !incs[1].Created.Equal(mustTime(t, "2026-05-02T09:00Z")) {
		t.Errorf("ongoing google incident %+v", incs[1])
	}

	aws := `[{"arn":"arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/abc","date":"1714550400","region_name":"N. Virginia",
  "service_name":"Amazon EC2","status":"1","summary":"Increased API Error Rates",
  "event_log":[{"summary":"Increased API Error Rates","message":"We are investigating.","status":1,"timestamp":1714550400},
               {"summary":"[RESOLVED] Increased API Error Rates","message":"Resolved.","status":0,"timestamp":1714554000}]}]`
	for name, data := range map[string][]byte{"utf-16le": utf16le(aws), "utf-16be no bom": utf16be(aws)} {
		incs, probs := Parse(data, "currentevents")
		if len(probs) != 0 || len(incs) != 1 {
			t.Fatalf("%s: %d incidents, problems %v", name, len(incs), probs)
		}
		a := incs[0]
		if a.Key != "health.aws.amazon.com/arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/abc" || a.Components[0] != "Amazon EC2 (N. Virginia)" {
			t.Errorf("%s: %+v", name, a)
		}
		checkUpdates(t, a, []wantUp{{"2024-05-01T08:00Z", "update", ""}, {"2024-05-01T09:00Z", "resolved", ""}})
	}
}

func utf16be(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.Bytes()
}

// A feed cut off mid-way keeps the entries before the break.
func TestTruncatedFeed(t *testing.T) {
	data := readShared(t, "githubstatus_history_2026-08-22.atom")
	cut := bytes.Index(data, []byte("<entry>"))
	for range 3 {
		cut += bytes.Index(data[cut+1:], []byte("<entry>")) + 1
	}
	incs, probs := Parse(append(data[:cut:cut], []byte("<entry><id>x</id><title>cut")...), "cut.atom")
	if len(incs) != 3 || len(probs) != 1 || !strings.Contains(probs[0].Error(), "cut.atom: malformed XML in entry 4") {
		t.Fatalf("%d incidents, problems %v", len(incs), probs)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
