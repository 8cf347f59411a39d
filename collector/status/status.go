package status

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// State is where an incident stood when an update was posted, in
// Statuspage's vocabulary (the most widely used one); other providers' words
// are mapped onto it by [NormalizeState].
type State string

// States. The first five are Statuspage's incident states (plus "update", the
// label its feeds show when an update keeps the state), the next four its
// maintenance states; informational is AWS's "Informational message" and
// Google's SERVICE_INFORMATION; unknown is anything not recognised.
const (
	Investigating State = "investigating"
	Identified    State = "identified"
	Monitoring    State = "monitoring"
	Updated       State = "update"
	Resolved      State = "resolved"
	Postmortem    State = "postmortem"
	Scheduled     State = "scheduled"
	InProgress    State = "in_progress"
	Verifying     State = "verifying"
	Completed     State = "completed"
	Informational State = "informational"
	Unknown       State = "unknown"
)

// Closed reports whether the state ends an incident or a maintenance
// (resolved, completed; a postmortem comes after the end).
func (s State) Closed() bool { return s == Resolved || s == Completed || s == Postmortem }

// Update is one official update of an incident.
type Update struct {
	// ID is stable across re-reads of the same source: the provider's update
	// id where it has one (Statuspage JSON), else derived from the update's
	// time and state (see the package documentation).
	ID    string    `json:"id"`
	Time  time.Time `json:"time"` // UTC, never zero
	State State     `json:"state"`
	Body  string    `json:"body"` // plain text
}

// Incident is one incident or maintenance of a status page with its updates.
type Incident struct {
	// Key identifies the incident across re-reads: "<host>/<incident id>"
	// (see the package documentation for each format).
	Key        string    `json:"key"`
	Page       string    `json:"page"`     // provider name: "GitHub", "AWS", "Google Cloud"
	PageURL    string    `json:"page_url"` // the status page
	Name       string    `json:"name"`
	URL        string    `json:"url,omitempty"`    // public link to the incident
	Impact     string    `json:"impact,omitempty"` // the provider's word: none|minor|major|critical|maintenance, Google's severity, …
	Components []string  `json:"components,omitempty"`
	Created    time.Time `json:"created"`           // UTC
	Resolved   time.Time `json:"resolved,omitzero"` // UTC; zero while unresolved
	Updates    []Update  `json:"updates"`           // oldest first
}

// FirstUpdate returns the earliest update, and false if there is none.
func (inc Incident) FirstUpdate() (Update, bool) {
	if len(inc.Updates) == 0 {
		return Update{}, false
	}
	first := inc.Updates[0]
	for _, u := range inc.Updates[1:] {
		if u.Time.Before(first.Time) {
			first = u
		}
	}
	return first, true
}

// LastUpdate returns the latest update, and false if there is none.
func (inc Incident) LastUpdate() (Update, bool) {
	if len(inc.Updates) == 0 {
		return Update{}, false
	}
	last := inc.Updates[0]
	for _, u := range inc.Updates[1:] {
		if !u.Time.Before(last.Time) {
			last = u
		}
	}
	return last, true
}

// State returns the state of the latest update, or Unknown without updates.
func (inc Incident) State() State {
	if u, ok := inc.LastUpdate(); ok {
		return u.State
	}
	return Unknown
}

// ResolvedAt returns when the incident was resolved: Resolved if set, else
// the time of the last resolved or completed update provided no update
// reopened it later. It returns false while the incident is open.
func (inc Incident) ResolvedAt() (time.Time, bool) {
	if !inc.Resolved.IsZero() {
		return inc.Resolved, true
	}
	t := closedAt(inc.Updates)
	return t, !t.IsZero()
}

// FirstUpdateAfter returns the delay from t (say, the first public complaint)
// to the first official update, negative when the page spoke first; false
// without updates.
func (inc Incident) FirstUpdateAfter(t time.Time) (time.Duration, bool) {
	u, ok := inc.FirstUpdate()
	if !ok {
		return 0, false
	}
	return u.Time.Sub(t), true
}

// closedAt returns the time of the last resolved/completed update when no
// update after it reopened the incident, else zero.
func closedAt(ups []Update) time.Time {
	var at time.Time
	for _, u := range sortedUpdates(ups) {
		switch {
		case u.State == Resolved || u.State == Completed:
			at = u.Time
		case u.State == Postmortem || u.State == Informational || u.State == Unknown:
		default:
			at = time.Time{}
		}
	}
	return at
}

func sortedUpdates(ups []Update) []Update {
	s := slices.Clone(ups)
	slices.SortStableFunc(s, func(a, b Update) int { return a.Time.Compare(b.Time) })
	return s
}

// finish sorts the updates oldest first, makes derived update ids unique and
// fills Created and Resolved from the updates where the source lacked them.
func (inc *Incident) finish() {
	slices.SortStableFunc(inc.Updates, func(a, b Update) int { return a.Time.Compare(b.Time) })
	if inc.Created.IsZero() && len(inc.Updates) > 0 {
		inc.Created = inc.Updates[0].Time
	}
	if inc.Resolved.IsZero() {
		inc.Resolved = closedAt(inc.Updates)
	}
	inc.Components = uniqStrings(inc.Components)
}

// derivedIDs gives updates without a provider id one built from the time
// and state: "20231229T200500Z-investigating", with "-2", "-3" … for further
// updates of the same minute and state counted oldest first. Feeds prepend
// new updates, so counting from the oldest keeps existing ids unchanged.
func derivedIDs(ups []Update) {
	seen := map[string]int{}
	for i := range ups {
		if ups[i].ID != "" {
			continue
		}
		base := ups[i].Time.UTC().Format("20060102T150405Z") + "-" + string(ups[i].State)
		seen[base]++
		if n := seen[base]; n > 1 {
			base += fmt.Sprintf("-%d", n)
		}
		ups[i].ID = base
	}
}

// Derived reports whether u's id was derived from its time and state (a
// feed without update ids, such as a Statuspage Atom entry) rather than
// given by the provider. The same update read from a page's JSON and from
// its feed has a provider id in one and a derived id in the other; a store
// uses this to keep it once.
func (u Update) Derived() bool {
	base := u.Time.UTC().Format("20060102T150405Z") + "-" + string(u.State)
	return u.ID == base || strings.HasPrefix(u.ID, base+"-")
}

func uniqStrings(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// exactStates maps whole labels (lower case, spaces and dashes as '_').
var exactStates = map[string]State{
	"investigating": Investigating, "identified": Identified, "monitoring": Monitoring,
	"update": Updated, "updated": Updated, "resolved": Resolved,
	"postmortem": Postmortem, "post_mortem": Postmortem, "post_incident_review": Postmortem,
	"scheduled": Scheduled, "in_progress": InProgress, "verifying": Verifying, "completed": Completed,
	"informational": Informational, "information": Informational, "informational_message": Informational,
	"unknown": Unknown,
	// Google Cloud / Workspace update and impact codes.
	"available": Resolved, "service_information": Informational,
	"service_disruption": Updated, "service_outage": Updated,
	// AWS RSS title prefixes.
	"service_is_operating_normally": Resolved,
	// German Statuspage translations.
	"untersuchung": Investigating, "wird_untersucht": Investigating, "untersuchen": Investigating,
	"identifiziert": Identified, "ursache_identifiziert": Identified,
	"überwachung": Monitoring, "beobachtung": Monitoring,
	"aktualisierung": Updated, "behoben": Resolved, "gelöst": Resolved,
	"nachbetrachtung": Postmortem, "geplant": Scheduled, "in_bearbeitung": InProgress,
	"läuft": InProgress, "überprüfung": Verifying, "abgeschlossen": Completed,
}

// wordStates is tried on the words of free text, in this order; an entry
// matches when all its words occur in sequence.
var wordStates = []struct {
	words []string
	state State
}{
	{[]string{"operating", "normally"}, Resolved},
	{[]string{"resolved"}, Resolved},
	{[]string{"behoben"}, Resolved},
	{[]string{"gelöst"}, Resolved},
	{[]string{"wiederhergestellt"}, Resolved},
	{[]string{"postmortem"}, Postmortem},
	{[]string{"post", "mortem"}, Postmortem},
	{[]string{"informational"}, Informational},
	{[]string{"investigating"}, Investigating},
	{[]string{"untersuchen"}, Investigating},
	{[]string{"untersucht"}, Investigating},
	{[]string{"identified"}, Identified},
	{[]string{"identifiziert"}, Identified},
	{[]string{"monitoring"}, Monitoring},
	{[]string{"verifying"}, Verifying},
	{[]string{"in", "progress"}, InProgress},
	{[]string{"completed"}, Completed},
	{[]string{"abgeschlossen"}, Completed},
	{[]string{"scheduled"}, Scheduled},
	{[]string{"geplante"}, Scheduled},
	{[]string{"update"}, Updated},
}

// NormalizeState maps a provider's state word or free text to a State:
// Statuspage labels and codes ("Resolved", "in_progress"), Google's codes
// (AVAILABLE → resolved, SERVICE_INFORMATION → informational,
// SERVICE_DISRUPTION and SERVICE_OUTAGE → update), AWS title prefixes
// ("Service is operating normally" → resolved, "Informational message" →
// informational), German labels, and otherwise the first state word found
// in the text ("[RESOLVED] Increased error rates" → resolved). Words must
// match whole ("unresolved" is not "resolved"). Anything else is Unknown.
func NormalizeState(s string) State {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, ":.!- ")
	key := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
	if st, ok := exactStates[key]; ok {
		return st
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, ws := range wordStates {
		for i := 0; i+len(ws.words) <= len(words); i++ {
			if slices.Equal(words[i:i+len(ws.words)], ws.words) {
				return ws.state
			}
		}
	}
	return Unknown
}
