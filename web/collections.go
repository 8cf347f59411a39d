package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/store"
)

type collectionsView struct {
	Collections []store.Collection `json:"collections"`
	Error       string             `json:"-"`
}

// PageTitle implements titled.
func (collectionsView) PageTitle() string { return "Collections" }

func (s *Server) collectionsPage(c *gin.Context) {
	cs, err := s.a.Store.Collections(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.JSON(http.StatusOK, collectionsView{Collections: nonNil(cs)})
		return
	}
	s.render(c, http.StatusOK, "collections", collectionsView{Collections: cs})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// createCollection takes a form (slug, name, description, event) or, on
// the API, the same fields as JSON.
func (s *Server) createCollection(c *gin.Context) {
	var in struct {
		Slug        string `json:"slug" form:"slug"`
		Name        string `json:"name" form:"name"`
		Description string `json:"description" form:"description"`
		Event       string `json:"event" form:"event"`
	}
	if err := c.ShouldBind(&in); err != nil {
		s.fail(c, badRequest("collection: %v", err))
		return
	}
	col := store.Collection{Slug: strings.TrimSpace(in.Slug), Name: in.Name, Description: in.Description, Event: in.Event}
	if col.Event != "" {
		if _, err := s.a.Store.Event(c, col.Event); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.a.Store.CreateCollection(c, col); err != nil {
		if !isAPI(c) {
			if status, msg := statusOf(err); status < 500 {
				cs, _ := s.a.Store.Collections(c)
				s.render(c, status, "collections", collectionsView{Collections: cs, Error: msg})
				return
			}
		}
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		saved, err := s.a.Store.Collection(c, col.Slug)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusCreated, saved)
		return
	}
	c.Redirect(http.StatusSeeOther, "/collections/"+url.PathEscape(col.Slug))
}

// itemView is one item of a collection page.
type itemView struct {
	Position int       `json:"position"`
	Post     postView  `json:"post"` // the snapshot as quoted
	Status   string    `json:"status"`
	Current  string    `json:"current_text,omitempty"`
	Note     string    `json:"note"`
	Tags     []string  `json:"tags"`
	AddedBy  string    `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
	Hash     string    `json:"content_hash"`
}

type collectionView struct {
	Collection store.Collection `json:"collection"`
	Items      []itemView       `json:"items"`
	Formats    []export.Format  `json:"-"`
	Location   *time.Location   `json:"-"`
	Zone       string           `json:"-"`
	Share      bool             `json:"-"`
	Method     string           `json:"-"`
}

// PageTitle implements titled.
func (v *collectionView) PageTitle() string { return v.Collection.Name }

func (s *Server) collectionData(c *gin.Context) (*collectionView, []export.Item, error) {
	col, err := s.a.Store.Collection(c, c.Param("slug"))
	if err != nil {
		return nil, nil, err
	}
	items, err := s.a.Store.Items(c, col.Slug)
	if err != nil {
		return nil, nil, err
	}
	tz := c.Query("tz")
	if tz == "" && col.Event != "" {
		if ev, err := s.a.Store.Event(c, col.Event); err == nil {
			tz = ev.TZ
		}
	}
	loc, err := zoneOf(tz)
	if err != nil {
		return nil, nil, err
	}
	xs, err := export.FromItems(c, s.a.Store, items)
	if err != nil {
		return nil, nil, err
	}
	v := &collectionView{Collection: col, Items: []itemView{}, Formats: export.Formats(), Location: loc, Zone: loc.String()}
	for i, it := range items {
		x := xs[i]
		pv := newPostView(store.Stored{Post: it.Snapshot}, nil)
		pv.Deleted, pv.Edited = x.Status == export.Deleted, x.Status == export.Edited
		v.Items = append(v.Items, itemView{Position: it.Position, Post: pv, Status: string(x.Status), Current: x.CurrentText,
			Note: it.Note, Tags: nonNil(it.Tags), AddedBy: it.AddedBy, AddedAt: it.AddedAt, Hash: it.ContentHash})
	}
	return v, xs, nil
}

func (s *Server) collectionPage(c *gin.Context) {
	v, _, err := s.collectionData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.JSON(http.StatusOK, v)
		return
	}
	s.render(c, http.StatusOK, "collection", v)
}

func (s *Server) collectionShare(c *gin.Context) {
	v, xs, err := s.collectionData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Share = true
	v.Method = collectionMethod(xs)
	s.render(c, http.StatusOK, "share_collection", v)
}

func collectionMethod(xs []export.Item) string {
	sources := map[string]int{}
	models := map[string]bool{}
	for _, x := range xs {
		sources[platform(x.Source)]++
		if x.SentimentModel != "" {
			models[x.SentimentModel] = true
		}
	}
	var parts []string
	for src, n := range sources {
		parts = append(parts, fmt.Sprintf("%s %d", src, n))
	}
	var ms []string
	for m := range models {
		ms = append(ms, m)
	}
	return fmt.Sprintf("%d posts (%s) from the Aftershock archive. Each quote is the post's text as it was when it was added; "+
		"counts are as of collection; the SHA-256 of each payload as collected is given so the original can be checked. "+
		"Posts later edited or deleted by their authors are marked. Sentiment: %s, a machine's estimate.",
		len(xs), strings.Join(parts, ", "), strings.Join(ms, ", "))
}

// addItem adds posts to a collection: form fields (or JSON) "post_id"
// (repeatable, or "ids" one per line), "note", "tags"; back to where the
// request came from.
func (s *Server) addItem(c *gin.Context) {
	var in struct {
		PostIDs []string `json:"post_ids" form:"post_id"`
		IDs     string   `json:"-" form:"ids"`
		Note    string   `json:"note" form:"note"`
		Tags    string   `json:"tags" form:"tags"`
		By      string   `json:"added_by" form:"by"`
	}
	if err := c.ShouldBind(&in); err != nil {
		s.fail(c, badRequest("items: %v", err))
		return
	}
	ids := append(in.PostIDs, strings.Fields(in.IDs)...)
	if len(ids) == 0 {
		s.fail(c, badRequest("no post id given"))
		return
	}
	slug := c.Param("slug")
	if slug == "" {
		slug = c.PostForm("collection")
	}
	r, err := s.a.Store.AddItems(c, slug, ids, in.Note, splitList(in.Tags), in.By)
	if err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"added": nonNil(r.Added), "already": nonNil(r.Already), "missing": nonNil(r.Missing)})
		return
	}
	if len(r.Added) == 0 && len(r.Missing) > 0 {
		s.fail(c, fmt.Errorf("%w: %s", store.ErrNotFound, strings.Join(r.Missing, ", ")))
		return
	}
	c.Redirect(http.StatusSeeOther, backTo(c, "/collections/"+url.PathEscape(slug)))
}

// backTo is the page the form was on, if it is on this site.
func backTo(c *gin.Context, fallback string) string {
	if b := c.PostForm("back"); b != "" {
		return safeNext(b)
	}
	return fallback
}

// changeItem edits an item: action note (note, tags), move (position),
// remove.
func (s *Server) changeItem(c *gin.Context) {
	slug, id := c.Param("slug"), c.PostForm("post_id")
	if id == "" {
		id = c.Query("post_id")
	}
	if id == "" {
		s.fail(c, badRequest("post_id is missing"))
		return
	}
	var err error
	switch action := c.Param("action"); action {
	case "note":
		note := c.PostForm("note")
		var tags []string
		if _, ok := c.GetPostForm("tags"); ok {
			tags = nonNil(splitList(c.PostForm("tags")))
		}
		err = s.a.Store.AnnotateItem(c, slug, id, &note, tags)
	case "move":
		pos, perr := strconv.Atoi(c.PostForm("position"))
		if perr != nil || pos < 1 {
			s.fail(c, badRequest("position must be a number from 1"))
			return
		}
		err = s.a.Store.MoveItem(c, slug, id, pos)
	case "remove":
		err = s.a.Store.RemoveItems(c, slug, []string{id})
	default:
		err = errNotFound
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/collections/"+url.PathEscape(slug)+"#items")
}

func (s *Server) deleteCollection(c *gin.Context) {
	if err := s.a.Store.DeleteCollection(c, c.Param("slug")); err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/collections")
}

// exportCollection downloads the collection in a format (or a zip case
// file), rendered to memory first so that an error never leaves half a
// file in the browser's downloads.
func (s *Server) exportCollection(c *gin.Context) {
	v, xs, err := s.collectionData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := c.DefaultQuery("format", "csv")
	meta := export.Meta{Title: v.Collection.Name, Slug: v.Collection.Slug, Description: v.Collection.Description,
		Location: v.Location, GeneratedAt: s.cfg.Now().UTC(), Generator: "Aftershock", Method: collectionMethod(xs)}
	var (
		buf   strings.Builder
		ctype string
		ext   string
	)
	if name == "zip" {
		err = export.WriteCaseFile(&buf, meta, xs)
		ctype, ext = "application/zip", ".zip"
	} else {
		var f export.Format
		if f, err = export.ParseFormat(name); err == nil {
			var w export.Writer
			if w, err = export.NewWriter(f, &buf, meta); err == nil {
				for _, x := range xs {
					if err = w.Write(x); err != nil {
						break
					}
				}
				if err == nil {
					err = w.Close()
				}
			}
			ctype, ext = f.ContentType(), f.Ext()
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+v.Collection.Slug+ext+`"`)
	c.Data(http.StatusOK, ctype, []byte(buf.String()))
}
