// Package chart draws Aftershock's charts as server-rendered SVG for the
// web app's html/template pages and for download: an event's timeline
// ([Timeline]), the sparkline of a row of the event list ([Sparkline]) and
// the small volume chart of a search's result set ([Histogram]). It does no
// I/O and needs no JavaScript: tooltips are SVG <title> elements and the
// bars are plain links.
//
// The timeline draws, from top to bottom: a legend of the sources with
// their totals; the status updates' labels, staggered into up to four rows
// so they do not overlap (a label that fits none is left out; its line and
// tooltip stay); the plot, with the posts of each bucket stacked by source,
// the spikes shaded from their first bucket to the end of their last and
// their peak marked with its factor over the baseline, and each status
// update as a dashed vertical line in its state's colour; a thin band of
// each bucket's mean sentiment; the time axis in the event's zone, at a
// step chosen from minutes to years so the labels do not crowd, aligned on
// the local wall clock and calendar (hours on the hour, weeks on Mondays)
// with the day named under the first tick and where it changes; the zone's
// name and the tone key. With [TimelineOptions].Caption it adds the event's
// name and the acknowledgement lag in words, for a file downloaded on its
// own. Each bar's tooltip reads "09:35–09:40 PST: 18 posts (twitter 12,
// mastodon 6); tone −0.21: 9 negative, 7 neutral, 2 positive", and the
// whole column under it is a link when the caller's Href gives one.
//
// Design choices:
//   - Palette: Okabe and Ito's eight colour-blind-safe colours. The sources
//     Aftershock collects have fixed ones (twitter blue, hackernews orange,
//     mastodon purple, bluesky sky blue, reddit vermillion, rss green); any
//     other source takes the colour its name hashes to (FNV-1a), or the next
//     free one when a source before it in the chart holds that colour, so a
//     source keeps its colour from chart to chart unless two collide. Past
//     eight sources colours repeat (the legend and tooltips still name each).
//     Posts counted without a source are stacked on top in grey.
//   - Sentiment: ColorBrewer's RdBu, diverging from red (negative) through
//     light grey to blue (positive), saturating at a mean of ±0.5; a bucket
//     with posts but none scored is mid grey, an empty bucket blank.
//   - Density: a bar is never thinner than two pixels of the viewBox by
//     default (MaxBars overrides). A timeline with more buckets draws each
//     bar for k consecutive buckets summed, the smallest k that fits, and
//     Href receives the summed bucket and the joint time range; so 20,000
//     buckets make about 450 bars and some 300 KB, not 80,000 rects. The
//     Histogram does the same; the Sparkline keeps the largest count of
//     each run, so the peak survives.
//   - Size: the viewBox is the pixel size the caller asks for, and the root
//     carries style="max-width:100%;height:auto" so it shrinks to its
//     container. Text keeps its size in viewBox units, so a page for phones
//     should ask for a narrow chart (Width 400) rather than shrink a wide
//     one: the axis then thins out and the legend wraps.
//   - Links: Href gets the bar's time range cut to the timeline's window, so
//     a search for [from, to) finds exactly the bar's posts.
//
// Invariants:
//   - Every chart is one standalone, well-formed SVG document (xmlns,
//     viewBox, role="img", a <title> first and, for the timeline, a <desc>
//     summing it up for screen readers), whatever the input: no buckets,
//     all empty, one bucket, nil zone (UTC), counts that disagree, times far
//     out of range. A fuzz target holds the renderers to this.
//   - All text that comes from data (source and incident names, states,
//     update bodies, the zone's name, links) is XML-escaped; characters XML
//     forbids become U+FFFD.
//   - No scripts, no event handlers, no <style>, no external references
//     (images, fonts, stylesheets) and no element ids, so a chart may be
//     inlined into a page any number of times. Links are kept only when
//     relative or http, https or mailto; a javascript: or data: link is
//     dropped, whoever supplies it.
package chart
