// Package status reads official status pages — Atlassian Statuspage JSON and
// feeds, Google Cloud's incidents.json, the AWS Health Dashboard's RSS and
// JSON, and any other RSS or Atom feed — into [Incident]s, each with every
// official [Update] (time and [State]: investigating, identified,
// monitoring, resolved, …). Aftershock draws them on an event's timeline and
// measures the lag from the first public complaints to the first official
// update ([Incident.FirstUpdateAfter]). [Fetch] downloads a feed; [Parse]
// reads one.
//
// # Formats and how Parse tells them apart
//
// A UTF-8 byte-order mark is dropped and UTF-16 (either byte order, with a
// BOM or starting with an ASCII character, as AWS serves its JSON) is
// transcoded. Then the first character decides: '{' or '[' is JSON, '<' is
// XML, anything else is not a feed.
//
//   - Statuspage API v2 JSON (developer.statuspage.io; PROTOCOLS.md §6.1;
//     the 40 real GitHub incidents in shared/data/statuspage): an object with
//     "incident" (one incident with its page), with "incidents" and/or
//     "scheduled_maintenances" (incidents.json, unresolved.json,
//     summary.json, scheduled-maintenances.json), or a bare incident
//     object; also an array of incident objects. Key
//     "<page host>/<incident id>" (host from page.url, else from a URL
//     origin), update ids are Statuspage's, update time is display_at (the
//     time shown; imported history has a later created_at), body HTML becomes
//     text. Components: the incident's, else the updates' affected ones.
//   - Google Cloud / Workspace incidents.json (an array of objects with
//     "begin" or "external_desc"; schema at
//     status.cloud.google.com/incidents.schema.json, PROTOCOLS.md §6.3):
//     key "status.cloud.google.com/<id>" (www.google.com for Workspace
//     origins), update time "when", Resolved "end" (null or "" = ongoing),
//     Impact the severity.
//   - AWS Health /public/currentevents JSON (an array of objects with
//     "arn"; undocumented, field names as public dashboard clients read them):
//     key "health.aws.amazon.com/<arn>", one update per event_log entry.
//     "[]" is the all-clear and yields nothing.
//   - XML whose root is <feed> (Atom), <rss> (RSS 2.0) or <rdf:RDF> (RSS
//     1.0), read entry by entry. Each <entry>/<item> is then one of:
//   - Statuspage history (its HTML holds <var data-var='date'>; format from
//     the GitHub history.atom snapshots in shared/data/statuspage and
//     PROTOCOLS.md §6.1): one <p><small>Mon <var>D</var>, <var>HH:MM</var>
//     ZONE</small><br><strong>Label</strong> - text</p> per update, newest
//     first, without a year. The year is the latest that puts the update at
//     most 36 h after the entry's newest date (published/updated) and at most
//     36 h after the next newer update, so "Dec 31" in an entry dated Jan 1
//     2024 is 2023 and Feb 29 falls in a leap year. Zones are read from a table of
//     abbreviations (UTC, PST, CET, …); an unknown one is reported. A
//     "This incident affected: A, B and C." paragraph gives Components. The
//     key is "<host>/<public code>" from the entry's /incidents/<code> link:
//     the same key the JSON API gives the same incident.
//   - AWS Service Health Dashboard RSS (guid
//     "http(s)://status.aws.amazon.com/#<service>_<epoch>", PROTOCOLS.md §6.2):
//     one item per update, grouped per service in time order into incidents.
//     An incident ends at an item whose state is resolved ("Service is
//     operating normally", "[RESOLVED]"); the next item opens a new one, as
//     does an item more than 48 h after the incident's last update (the older
//     incident then stays unresolved). Key "<guid host>/<service>_<epoch of
//     the first item>", update id the guid fragment, times from pubDate in
//     Pacific time (the guid epoch if pubDate is missing). Impact from the
//     title prefix: informational none, performance issues minor, service
//     disruption major.
//   - Anything else (Azure, generic feeds): one incident with one update at
//     the entry's newest date, its state from the title's words (Unknown if
//     none), Created its published date. Key "<host>/<id>" from the entry's
//     id or guid (a URL id is used as host+path, a tag: URI as
//     "<authority>/<specific>"), else its link.
//
// # Invariants
//
//   - Times are UTC; every returned update has a non-zero time, an id unique
//     in its incident, and updates are sorted oldest first.
//   - Keys and update ids are stable across re-reads: a feed that rewrites an
//     entry in place (Statuspage adds updates to the top of the entry's HTML)
//     yields the same incident key, and updates without a provider id get
//     "<time>-<state>" ids ("20231229T200500Z-investigating", "-2", "-3" for
//     more in the same minute and state, counted oldest first), so a store can
//     upsert incidents by Key and updates by ID. Statuspage feed and JSON
//     share keys but not update ids: prefer the JSON for exact times (feeds
//     give minutes).
//   - Incidents with the same key in one input are merged.
//   - Created is the source's creation time, else the first update;
//     Resolved is the source's resolution time, else the last resolved or
//     completed update not followed by a reopening one; zero while open.
//   - Problems are reported per entry ([EntryError]: "origin: entry 3
//     \"title\": no date") or per update, and the rest is kept; an XML error
//     keeps the entries before it. Input that is not a status feed at all
//     yields one problem wrapping [ErrNotFeed] and no incidents. Parse never
//     panics (FuzzParse).
//
// # XML
//
// The feeds are read with encoding/xml (non-strict, HTML entities, charsets
// via golang.org/x/net/html/charset) rather than gofeed: it adds no
// dependency, reads the token stream so a feed broken half-way keeps its
// first entries and each entry's problems are reported on their own, and it
// leaves the entry HTML untouched for the history parser. HTML becomes text
// with [post.HTMLToText].
package status
