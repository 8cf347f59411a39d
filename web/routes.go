package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/store"
)

// routes is every route of the app, in one table: each page, then its
// /api/v1 twin.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/", s.homePage)
	r.GET("/search", s.searchPage)
	r.GET("/events", s.eventsPage)
	r.GET("/events/new", s.newEventPage)
	r.POST("/events", s.saveEvent)
	r.GET("/events/:slug", s.eventPage)
	r.GET("/events/:slug/edit", s.editEventPage)
	r.POST("/events/:slug", s.saveEvent)
	r.POST("/events/:slug/delete", s.deleteEvent)
	r.GET("/events/:slug/chart.svg", s.eventChart)
	r.GET("/events/:slug/timeline.csv", s.eventCSV)
	r.GET("/events/:slug/share", s.eventShare)
	r.GET("/collections", s.collectionsPage)
	r.POST("/collections", s.createCollection)
	r.POST("/collections/add", s.addItem) // from a search result: the collection is a form field
	r.GET("/collections/:slug", s.collectionPage)
	r.POST("/collections/:slug/items", s.addItem)
	r.POST("/collections/:slug/items/:action", s.changeItem)
	r.POST("/collections/:slug/delete", s.deleteCollection)
	r.GET("/collections/:slug/export", s.exportCollection)
	r.GET("/collections/:slug/share", s.collectionShare)
	r.GET("/status", s.statusPage)
	r.GET("/healthz", s.healthz)
	r.HEAD("/healthz", s.healthz)
	r.GET("/login", s.loginPage)
	r.POST("/login", s.loginPost)
	r.POST("/logout", s.logout)
	r.GET("/tokens", s.tokensPage)
	r.POST("/tokens", s.createToken)
	r.POST("/tokens/revoke", s.revokeToken)
	r.GET("/static/*file", s.staticFile)

	api := r.Group("/api/v1")
	api.GET("/search", s.searchAPI)
	api.GET("/events", s.eventsAPI)
	api.POST("/events", s.createEventAPI)
	api.GET("/events/:slug", s.eventAPI)
	api.PUT("/events/:slug", s.createEventAPI)
	api.DELETE("/events/:slug", s.deleteEvent)
	api.GET("/collections", s.collectionsPage)
	api.POST("/collections", s.createCollection)
	api.GET("/collections/:slug", s.collectionPage)
	api.DELETE("/collections/:slug", s.deleteCollection)
	api.POST("/collections/:slug/items", s.addItem)
	api.POST("/collections/:slug/items/:action", s.changeItem)
	api.GET("/collections/:slug/export", s.exportCollection)
	api.GET("/status", s.statusAPI)
}

// homeView is the front page: recent events and collections, and the
// search box.
type homeView struct {
	Events      *eventsView
	Collections []store.Collection
	Status      *statusView
}

// PageTitle implements titled.
func (homeView) PageTitle() string { return "Aftershock" }

func (s *Server) homePage(c *gin.Context) {
	evs, err := s.events(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.a.Store.Collections(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.status(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "home", homeView{Events: evs, Collections: cs, Status: st})
}

// statusView is what the status page shows.
type statusView struct {
	DataDir   string        `json:"data_dir"`
	Posts     int64         `json:"posts"`
	Deleted   int64         `json:"deleted"`
	Indexed   uint64        `json:"indexed"`
	StoreSeq  int64         `json:"store_seq"`
	IndexSeq  int64         `json:"index_seq"`
	Lag       int64         `json:"index_lag"` // store changes the index has not applied yet
	Sources   []store.Count `json:"sources"`
	Langs     []store.Count `json:"langs"`
	Demo      bool          `json:"demo"`
	Uptime    string        `json:"uptime"`
	SchemaVer int           `json:"schema_version"`
	// Live sources: state, cursor, last batch; and their gaps of the last
	// seven days.
	Collectors []store.SourceStatus `json:"collectors"`
	Gaps       []event.Gap          `json:"collector_gaps"`
}

// PageTitle implements titled.
func (*statusView) PageTitle() string { return "Status" }

func (s *Server) status(c *gin.Context) (*statusView, error) {
	st, err := s.storeStats(c.Request.Context()) // cached per store sequence: cache.go
	if err != nil {
		return nil, err
	}
	maxSeq, err := s.a.Store.MaxSeq(c)
	if err != nil {
		return nil, err
	}
	last, err := s.a.Index.LastSeq()
	if err != nil {
		return nil, err
	}
	n, err := s.a.Index.Count()
	if err != nil {
		return nil, err
	}
	srcs, err := s.a.Store.Sources(c)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	gaps, err := s.a.Store.CollectorGaps(c, now.Add(-7*24*time.Hour), now)
	if err != nil {
		return nil, err
	}
	return &statusView{Collectors: nonNil(srcs), Gaps: nonNil(gaps), DataDir: s.a.Dir, Posts: st.Posts, Deleted: st.Deleted, Indexed: n, StoreSeq: maxSeq, IndexSeq: last,
		Lag: max(maxSeq-last, 0), Sources: st.BySource, Langs: st.ByLang, Demo: s.cfg.Demo,
		Uptime: s.cfg.Now().Sub(s.started).Round(time.Second).String(), SchemaVer: store.SchemaVersion()}, nil
}

func (s *Server) statusPage(c *gin.Context) {
	v, err := s.status(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "status", v)
}

func (s *Server) statusAPI(c *gin.Context) {
	v, err := s.status(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// healthz answers 200 when the archive answers a query, 503 otherwise.
func (s *Server) healthz(c *gin.Context) {
	if _, err := s.a.Store.MaxSeq(c); err != nil {
		c.String(http.StatusServiceUnavailable, "archive: %v\n", err)
		return
	}
	c.String(http.StatusOK, "ok\n")
}
