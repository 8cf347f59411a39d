package status

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
)

// Statuspage API v2 (https://developer.statuspage.io, and the payloads of
// /api/v2/*.json on any Statuspage-hosted page).

type spPage struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type spIncident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	Impact          string        `json:"impact"`
	Shortlink       string        `json:"shortlink"`
	PageID          string        `json:"page_id"`
	CreatedAt       string        `json:"created_at"`
	StartedAt       string        `json:"started_at"`
	ResolvedAt      string        `json:"resolved_at"`
	IncidentUpdates []spUpdate    `json:"incident_updates"`
	Components      []spComponent `json:"components"`
}

type spUpdate struct {
	ID                 string        `json:"id"`
	Status             string        `json:"status"`
	Body               string        `json:"body"`
	DisplayAt          string        `json:"display_at"`
	CreatedAt          string        `json:"created_at"`
	AffectedComponents []spComponent `json:"affected_components"`
}

type spComponent struct {
	Name string `json:"name"`
}

// spDocument is the union of the Statuspage documents: summary.json,
// incidents.json, unresolved.json, scheduled-maintenances.json, a single
// incident ({"page", "incident"}) or a bare incident object.
type spDocument struct {
	Page                  *spPage           `json:"page"`
	Incident              json.RawMessage   `json:"incident"`
	Incidents             []json.RawMessage `json:"incidents"`
	ScheduledMaintenances []json.RawMessage `json:"scheduled_maintenances"`
	IncidentUpdates       json.RawMessage   `json:"incident_updates"`
	ID                    string            `json:"id"`
}

// parseJSON dispatches on the shape of a JSON document.
func parseJSON(data []byte, p *report, origin string) []Incident {
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		p.notFeed("malformed JSON: %v", err)
		return nil
	}
	if data[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(data, &elems); err != nil {
			p.notFeed("JSON array: %v", err)
			return nil
		}
		return parseJSONArray(elems, p, origin)
	}
	if data[0] != '{' {
		p.notFeed("JSON %s, not an object or array", jsonKind(data))
		return nil
	}
	var doc spDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		p.notFeed("JSON object: %v", err)
		return nil
	}
	page := doc.Page
	if page == nil {
		page = &spPage{}
	}
	switch {
	case isObject(doc.Incident):
		return collectSP(page, []json.RawMessage{doc.Incident}, p, origin)
	case doc.Incidents != nil || doc.ScheduledMaintenances != nil:
		return collectSP(page, append(slices.Clone(doc.Incidents), doc.ScheduledMaintenances...), p, origin)
	case doc.IncidentUpdates != nil && doc.ID != "":
		return collectSP(page, []json.RawMessage{data}, p, origin)
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal(data, &keys)
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	p.notFeed("JSON object with keys %s", strings.Join(names, ", "))
	return nil
}

func parseJSONArray(elems []json.RawMessage, p *report, origin string) []Incident {
	if len(elems) == 0 {
		return nil // AWS's all-clear, an empty incident list
	}
	var probe struct {
		IncidentUpdates json.RawMessage `json:"incident_updates"`
		ExternalDesc    *string         `json:"external_desc"`
		Begin           *string         `json:"begin"`
		ARN             *string         `json:"arn"`
	}
	for _, e := range elems {
		if json.Unmarshal(e, &probe) == nil {
			switch {
			case probe.IncidentUpdates != nil:
				return collectSP(&spPage{}, elems, p, origin)
			case probe.ExternalDesc != nil || probe.Begin != nil:
				return parseGoogle(elems, p, origin)
			case probe.ARN != nil:
				return parseAWSEvents(elems, p)
			}
		}
	}
	p.notFeed("JSON array of %s", jsonKind(elems[0]))
	return nil
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "objects without incident fields"
	case '[':
		return "arrays"
	case '"':
		return "strings"
	case 't', 'f':
		return "booleans"
	case 'n':
		return "nulls"
	}
	return "numbers"
}

// hostOf returns the host of a URL, or "".
func hostOf(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host)
}

// originHost is the host of origin when it is a URL.
func originHost(origin string) string {
	if strings.HasPrefix(origin, "http://") || strings.HasPrefix(origin, "https://") {
		return hostOf(origin)
	}
	return ""
}

func collectSP(page *spPage, raws []json.RawMessage, p *report, origin string) []Incident {
	host := hostOf(page.URL)
	if host == "" {
		host = originHost(origin)
	}
	var out []Incident
	for i, raw := range raws {
		var in spIncident
		if err := json.Unmarshal(raw, &in); err != nil {
			p.entry(i+1, "", "malformed incident: %v", err)
			continue
		}
		if inc, ok := statuspageIncident(page, host, &in, i+1, p); ok {
			out = append(out, inc)
		}
	}
	return out
}

func statuspageIncident(page *spPage, host string, in *spIncident, n int, p *report) (Incident, bool) {
	title := in.Name
	if title == "" {
		title = in.ID
	}
	if in.ID == "" {
		p.entry(n, title, "incident without id")
		return Incident{}, false
	}
	h := host
	if h == "" {
		h = "statuspage:" + firstOf(in.PageID, page.ID)
	}
	inc := Incident{
		Key:     h + "/" + in.ID,
		Page:    page.Name,
		PageURL: strings.TrimRight(page.URL, "/"),
		Name:    in.Name,
		URL:     in.Shortlink,
		Impact:  in.Impact,
	}
	if inc.PageURL != "" {
		inc.URL = inc.PageURL + "/incidents/" + in.ID
	}
	for _, c := range in.Components {
		inc.Components = append(inc.Components, c.Name)
	}
	componentsFromUpdates := len(inc.Components) == 0
	for j, u := range in.IncidentUpdates {
		if componentsFromUpdates {
			for _, c := range u.AffectedComponents {
				inc.Components = append(inc.Components, c.Name)
			}
		}
		when := firstOf(u.DisplayAt, u.CreatedAt)
		t, err := parseDate(when)
		if err != nil {
			p.entry(n, title, "update %d %q: no usable date: %v", j+1, u.ID, err)
			continue
		}
		inc.Updates = append(inc.Updates, Update{
			ID:    u.ID,
			Time:  t,
			State: NormalizeState(u.Status),
			Body:  post.HTMLToText(u.Body),
		})
	}
	if t, err := parseDate(firstOf(in.CreatedAt, in.StartedAt)); err == nil {
		inc.Created = t
	}
	if t, err := parseDate(in.ResolvedAt); err == nil {
		inc.Resolved = t
	}
	if inc.Created.IsZero() && len(inc.Updates) == 0 {
		p.entry(n, title, "no date")
		return Incident{}, false
	}
	inc.finish()
	derivedIDs(inc.Updates)
	return inc, true
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// Google Cloud and Google Workspace incidents.json (schema:
// https://status.cloud.google.com/incidents.schema.json).

type gIncident struct {
	ID               string     `json:"id"`
	Number           string     `json:"number"`
	Begin            string     `json:"begin"`
	Created          string     `json:"created"`
	End              string     `json:"end"`
	ExternalDesc     string     `json:"external_desc"`
	Severity         string     `json:"severity"`
	StatusImpact     string     `json:"status_impact"`
	ServiceName      string     `json:"service_name"`
	URI              string     `json:"uri"`
	AffectedProducts []gProduct `json:"affected_products"`
	Updates          []gUpdate  `json:"updates"`
}

type gProduct struct {
	Title string `json:"title"`
}

type gUpdate struct {
	Created string `json:"created"`
	When    string `json:"when"`
	Text    string `json:"text"`
	Status  string `json:"status"`
}

func parseGoogle(elems []json.RawMessage, p *report, origin string) []Incident {
	host, page := "status.cloud.google.com", "Google Cloud"
	if h := originHost(origin); h == "www.google.com" || h == "google.com" {
		host, page = h, "Google Workspace"
	}
	pageURL := "https://" + host
	if page == "Google Workspace" {
		pageURL += "/appsstatus/dashboard"
	}
	var out []Incident
	for i, raw := range elems {
		var g gIncident
		if err := json.Unmarshal(raw, &g); err != nil {
			p.entry(i+1, "", "malformed incident: %v", err)
			continue
		}
		title := firstOf(g.ExternalDesc, g.ID)
		if g.ID == "" {
			p.entry(i+1, title, "incident without id")
			continue
		}
		inc := Incident{
			Key:     host + "/" + g.ID,
			Page:    page,
			PageURL: pageURL,
			Name:    g.ExternalDesc,
			Impact:  g.Severity,
		}
		if g.URI != "" {
			inc.URL = pageURL + "/" + strings.TrimLeft(g.URI, "/")
		}
		for _, pr := range g.AffectedProducts {
			inc.Components = append(inc.Components, pr.Title)
		}
		if len(inc.Components) == 0 {
			inc.Components = []string{g.ServiceName}
		}
		for j, u := range g.Updates {
			t, err := parseDate(firstOf(u.When, u.Created))
			if err != nil {
				p.entry(i+1, title, "update %d: no usable date: %v", j+1, err)
				continue
			}
			inc.Updates = append(inc.Updates, Update{Time: t, State: NormalizeState(u.Status), Body: strings.TrimSpace(u.Text)})
		}
		if t, err := parseDate(firstOf(g.Begin, g.Created)); err == nil {
			inc.Created = t
		}
		if t, err := parseDate(g.End); err == nil {
			inc.Resolved = t
		}
		if inc.Created.IsZero() && len(inc.Updates) == 0 {
			p.entry(i+1, title, "no date")
			continue
		}
		inc.finish()
		derivedIDs(inc.Updates)
		out = append(out, inc)
	}
	return out
}

// AWS Health Dashboard /public/currentevents (undocumented; the field names
// are those public dashboard clients read: arn, date, service_name,
// region_name, summary, event_log[{summary, message, status, timestamp}]).

type awsEvent struct {
	ARN         string     `json:"arn"`
	Date        flexTime   `json:"date"`
	Service     string     `json:"service"`
	ServiceName string     `json:"service_name"`
	RegionName  string     `json:"region_name"`
	Summary     string     `json:"summary"`
	EventLog    []awsLog   `json:"event_log"`
	EndTime     flexTime   `json:"endTime"`
	Status      flexString `json:"status"`
}

type awsLog struct {
	Summary   string   `json:"summary"`
	Message   string   `json:"message"`
	Timestamp flexTime `json:"timestamp"`
}

// flexTime is epoch seconds as a number or string, or an RFC 3339 string.
type flexTime struct{ t time.Time }

func (f *flexTime) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" {
		return nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if n > 1e12 { // milliseconds
			n /= 1000
		}
		if n < 0 || n > 253402300799 {
			return fmt.Errorf("epoch %s out of range", s)
		}
		f.t = time.Unix(int64(n), 0).UTC()
		return nil
	}
	t, err := parseDate(s)
	f.t = t
	return err
}

// flexString accepts a string or a number.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	*f = flexString(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	return nil
}

func parseAWSEvents(elems []json.RawMessage, p *report) []Incident {
	var out []Incident
	for i, raw := range elems {
		var e awsEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			p.entry(i+1, "", "malformed event: %v", err)
			continue
		}
		title := firstOf(e.Summary, e.ARN)
		if e.ARN == "" {
			p.entry(i+1, title, "event without arn")
			continue
		}
		inc := Incident{
			Key:      "health.aws.amazon.com/" + e.ARN,
			Page:     "AWS",
			PageURL:  "https://health.aws.amazon.com/health/status",
			Name:     e.Summary,
			URL:      "https://health.aws.amazon.com/health/status",
			Created:  e.Date.t,
			Resolved: e.EndTime.t,
		}
		comp := firstOf(e.ServiceName, e.Service)
		if e.RegionName != "" && comp != "" {
			comp += " (" + e.RegionName + ")"
		}
		inc.Components = []string{comp}
		for j, l := range e.EventLog {
			if l.Timestamp.t.IsZero() {
				p.entry(i+1, title, "event log %d: no date", j+1)
				continue
			}
			st := NormalizeState(l.Summary)
			if st == Unknown {
				st = Updated
			}
			inc.Updates = append(inc.Updates, Update{Time: l.Timestamp.t, State: st, Body: post.HTMLToText(l.Message)})
		}
		if inc.Created.IsZero() && len(inc.Updates) == 0 {
			p.entry(i+1, title, "no date")
			continue
		}
		inc.finish()
		derivedIDs(inc.Updates)
		out = append(out, inc)
	}
	return out
}
