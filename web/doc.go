// Package web is Aftershock's web app: server-rendered HTML pages (Gin,
// html/template, embedded static files, SVG charts drawn on the server by
// web/chart, no JavaScript) and, for every page, a JSON twin under /api/v1
// with the same query parameters.
//
// Pages: search (query syntax help, filters, facets, a volume chart of the
// result set, post cards with highlighted terms and one-click "add to
// collection"), events (list with sparklines; create/edit form; the event
// page with the timeline chart whose bars link to the posts of their
// bucket, spikes, status updates, the acknowledgement lag in words, top
// posts, chart as SVG and data as CSV), collections (items with notes,
// order, removal, export in every format), read-only share pages, a status
// page, /healthz and a login page.
//
// Invariants:
//   - Every route is in routes.go; every error goes through fail, which
//     maps it to a status in one place (statusOf) and never shows a stack
//     trace; a panic is a logged 500.
//   - Text from the wild is never markup: post text is plain text (the
//     importers turned HTML into text), templates escape everything, links
//     are kept only when they are http(s), pages carry a Content-Security-
//     Policy without scripts.
//   - Every mutating request needs the session's CSRF token (forms carry it)
//     or an API token, and an Origin of this server if it has one; anything
//     but a loopback address needs a password. On loopback (or with
//     configured names) only loopback and configured Host names are
//     answered (DNS rebinding); redirects after a form stay on this site.
//   - Every response carries the CSP and nosniff. Request bodies are capped
//     at 1 MiB (413) and requests at 30 seconds.
//   - The server owns the search index of its data directory; it follows
//     the store, so imports from other processes become searchable.
package web
