// Package event holds events — incidents or stories followed over time —
// and builds their timelines: the volume of matching posts per bucket (in
// total and per source), their tone, the spikes in that volume, the
// official status-page updates on the same time axis, and the
// acknowledgement lag a reporter quotes ("users complained 14 minutes
// before the status page admitted it").
//
// An Event is a query in the index's syntax with source and language
// filters, a time window (open-ended allowed), a display zone, the services
// concerned and the status feeds read for it. The store keeps events and
// status incidents; this package validates events and computes timelines
// from what a Counter (the index) and an Incidents source (the store) give
// it, so it has no I/O of its own.
//
// How a timeline is computed:
//   - Volume, sources and tone come from one pass over the index
//     (index.Index.Timeline), every bucket present, empty ones as zeros.
//     The bucket width is chosen for 100–300 buckets unless given.
//   - Spikes come from package spike (a robust median/MAD baseline with
//     hysteresis, and the same hour of the week where weeks of history
//     exist). The detector sees up to four weeks of the same query's volume
//     before the window as its baseline; spikes that reach into the window
//     are kept.
//   - Status incidents overlapping the window are attached when they were
//     read from one of the event's feeds or name one of its services (as a
//     whole word, in the page name, incident name or components).
//   - The lag runs from the first signal — the start of the first spike, or
//     the first matching post when there is no spike — to the first update
//     of an attached incident, and to the last resolution when every
//     attached incident is resolved.
//
// Invariants: times are UTC inside; Location is for display only. A
// timeline never drops a bucket. An event that fails Validate is never
// stored.
package event
