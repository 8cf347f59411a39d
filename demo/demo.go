package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

// Names under which the demo is stored.
const (
	EventSlug      = "demo-nimbus-outage"
	CollectionSlug = "demo-quotes"
	// Origin is the status feed the demo incident is recorded as read
	// from; the event lists it among its StatusFeeds.
	Origin = "demo"
	// IncidentKey is the demo status incident's key.
	IncidentKey = "status.nimbus.demo.invalid/" + incidentID
	// AddedBy signs the collection's items and the import run.
	AddedBy = "aftershock demo"
)

// Summary says what the demo holds (the same whether Load wrote it or found
// it there).
type Summary struct {
	Posts      int    // posts, each counted once (an edited post is one post)
	Deleted    int    // posts marked deleted at their (fictional) source
	Edited     int    // posts with an older version
	Event      string // the event's slug
	Collection string // the quote collection's slug
}

// Load writes the demo incident into a: its posts (with deletions and one
// edited post), the status-page incident, the event and the quote
// collection, then brings the search index up to date. It is idempotent:
// the content is fixed, so a second run finds everything in place and
// changes nothing. An event or collection with the demo's slug that is
// already there is left as it is.
//
// now is the caller's clock. The demo's content does not depend on it: it
// is pinned to 10 March 2026 so that loading is idempotent (see the
// package documentation).
//
// When another process owns the index (a.Index is nil) the posts are
// written to the store and that process indexes them.
func Load(ctx context.Context, a *archive.Archive, now time.Time) (Summary, error) {
	st := demoStory()
	sc, err := sentiment.New()
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	d, err := generate(sc)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Posts: len(d.items), Deleted: len(d.deletes), Event: EventSlug, Collection: CollectionSlug}
	var b store.Batch
	for _, it := range d.items {
		if len(it.versions) > 0 {
			sum.Edited++
		}
		b.Posts = append(append(b.Posts, it.versions...), it.p)
	}
	b.Deletes = d.deletes
	if err := writePosts(ctx, a.Store, b); err != nil {
		return sum, err
	}
	if err := saveIncident(ctx, a.Store, st); err != nil {
		return sum, err
	}
	if err := createEvent(ctx, a.Store, st); err != nil {
		return sum, err
	}
	if err := createCollection(ctx, a.Store, d); err != nil {
		return sum, err
	}
	if a.Index != nil {
		if _, err := a.CatchUp(ctx, nil); err != nil {
			return sum, fmt.Errorf("demo: index: %w", err)
		}
	}
	return sum, nil
}

// data is the generated demo.
type data struct {
	items   []item
	deletes []post.Ref
	byKey   map[string]string // anchor key → post id
}

// generate makes the demo posts: templated ones at Poisson times from the
// phase rates, the hand-written anchors, a few deletions.
func generate(sc *sentiment.Scorer) (*data, error) {
	g := newGenerator()
	if err := g.run(); err != nil {
		return nil, err
	}
	d := &data{byKey: map[string]string{}}
	// Deletions: a few outage posts, removed by their authors within hours.
	var cand []int
	for i, it := range g.items {
		if it.ph == outage && it.anchor == "" && it.p.ReplyTo == "" && it.p.Source != post.HackerNews && len(it.versions) == 0 {
			cand = append(cand, i)
		}
	}
	picked := map[int]bool{}
	for len(d.deletes) < 6 && len(picked) < len(cand) {
		i := cand[g.rng.IntN(len(cand))]
		if picked[i] {
			continue
		}
		picked[i] = true
		p := g.items[i].p
		at := p.CreatedAt.Add(time.Duration(10+g.rng.IntN(170)) * time.Minute)
		d.deletes = append(d.deletes, post.Ref{ID: p.ID, Source: p.Source, NativeID: p.NativeID, At: at})
	}
	slices.SortFunc(d.deletes, func(a, b post.Ref) int { return a.At.Compare(b.At) })
	if err := g.complete(sc); err != nil {
		return nil, err
	}
	for _, it := range g.items {
		if it.anchor != "" {
			d.byKey[it.anchor] = it.p.ID
		}
	}
	d.items = g.items
	return d, nil
}

// writePosts writes the batch and, when it changed the archive, records an
// import run so the provenance shows in the archive's statistics.
func writePosts(ctx context.Context, s *store.Store, b store.Batch) error {
	out, err := s.Write(ctx, b)
	if err != nil {
		return fmt.Errorf("demo: write posts: %w", err)
	}
	var c store.Counts
	for _, o := range out {
		c.Add(o)
	}
	if c.New+c.Updated+c.Deleted == 0 {
		return nil
	}
	id, err := s.StartRun(ctx, []string{AddedBy + " (generated demonstration data)"})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	r := store.Run{ID: id, Read: int64(len(out)), New: int64(c.New), Updated: int64(c.Updated),
		Unchanged: int64(c.Unchanged), Deleted: int64(c.Deleted)}
	if err := s.FinishRun(ctx, r); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// incident is the fictional provider's status-page account of the outage.
func incident(st story) status.Incident {
	up := func(n int, at time.Time, s status.State, body string) status.Update {
		return status.Update{ID: fmt.Sprintf("demo-update-%d", n), Time: at, State: s, Body: body}
	}
	return status.Incident{
		Key:        IncidentKey,
		Page:       "Nimbus Cloud (demo)",
		PageURL:    statusPage,
		Name:       "DEMO: Elevated error rates for Object Storage",
		URL:        incidentURL,
		Impact:     "major",
		Components: []string{"Object Storage (eu-central-1)", "Object Storage (us-east-1)"},
		Created:    st.ack,
		Resolved:   st.resolved,
		Updates: []status.Update{
			up(1, st.ack, status.Investigating, "We are investigating elevated error rates for Object Storage requests in eu-central-1 and us-east-1. Uploads and downloads may fail. (Demo data: fictional provider.)"),
			up(2, st.identified, status.Identified, "The issue has been identified as a faulty configuration change to the storage metadata service. We are rolling the change back."),
			up(3, st.monitoring, status.Monitoring, "The rollback has completed and error rates have returned to normal levels. We are monitoring the recovery."),
			up(4, st.resolved, status.Resolved, "This incident has been resolved. Object Storage is operating normally in all regions. A post-incident review will follow."),
		},
	}
}

// saveIncident stores the status incident unless the archive already holds
// it with every update, since saving again would stamp a new read time.
func saveIncident(ctx context.Context, s *store.Store, st story) error {
	in := incident(st)
	have, err := s.StatusIncidents(ctx, in.Created, in.Resolved)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, h := range have {
		if h.Key == in.Key && h.Origin == Origin && len(h.Updates) == len(in.Updates) {
			return nil
		}
	}
	if _, _, err := s.SaveIncidents(ctx, Origin, []status.Incident{in}); err != nil {
		return fmt.Errorf("demo: save status incident: %w", err)
	}
	return nil
}

// demoEvent is the event the demo posts belong to.
func demoEvent(st story) event.Event {
	tz := "Europe/Berlin"
	if _, err := time.LoadLocation(tz); err != nil {
		tz = "" // no zone database: show UTC rather than fail
	}
	return event.Event{
		Slug: EventSlug,
		Name: "DEMO: Nimbus Cloud object storage outage (generated data)",
		Description: "Demonstration data generated by Aftershock itself: Nimbus Cloud, its status page and every " +
			"person and post here are fictional. A 36-hour window around a made-up object storage outage " +
			"(14:10–17:31 UTC on 10 March 2026) in English and German, from five sources, so every page has " +
			"something to show. Delete this event and the demo-quotes collection when you no longer need them.",
		Query:       "nimbus OR #nimbusdown OR störung",
		From:        st.from,
		To:          st.to,
		TZ:          tz,
		Services:    []string{"Nimbus Cloud"},
		StatusFeeds: []string{Origin},
	}
}

func createEvent(ctx context.Context, s *store.Store, st story) error {
	e := demoEvent(st)
	if err := e.Validate(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := s.CreateEvent(ctx, e); err != nil && !errors.Is(err, event.ErrExists) {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// createCollection makes the quote collection and adds the anchors to it,
// each with its note; items already there stay as they are.
func createCollection(ctx context.Context, s *store.Store, d *data) error {
	c := store.Collection{
		Slug:        CollectionSlug,
		Name:        "DEMO: quotes from the Nimbus outage",
		Description: "Six telling posts from the generated demo incident (fictional people and posts).",
		Event:       EventSlug,
	}
	if err := s.CreateCollection(ctx, c); err != nil && !errors.Is(err, store.ErrCollectionExists) {
		return fmt.Errorf("demo: %w", err)
	}
	for _, q := range quoted {
		id, ok := d.byKey[q.key]
		if !ok {
			return fmt.Errorf("demo: no anchor post %q", q.key)
		}
		r, err := s.AddItems(ctx, CollectionSlug, []string{id}, q.note, q.tags, AddedBy)
		if err != nil {
			return fmt.Errorf("demo: add %s to %s: %w", id, CollectionSlug, err)
		}
		if len(r.Missing) > 0 {
			return fmt.Errorf("demo: post %s is not in the archive", id)
		}
	}
	return nil
}

// Present reports whether the archive holds the demonstration incident, so
// the web app can label it as generated data.
func Present(ctx context.Context, st *store.Store) bool {
	_, err := st.Event(ctx, EventSlug)
	return err == nil
}
