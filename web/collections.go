package web

import (
	"fmt"
	"io"
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
	cs, err := s.a.Store.Collections(c.Request.Context())
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
		if _, err := s.a.Store.Event(c.Request.Context(), col.Event); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.a.Store.CreateCollection(c.Request.Context(), col); err != nil {
		if !isAPI(c) {
			if status, msg := statusOf(err); status < 500 {
				cs, _ := s.a.Store.Collections(c.Request.Context())
				s.render(c, status, "collections", collectionsView{Collections: cs, Error: msg})
				return
			}
		}
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		saved, err := s.a.Store.Collection(c.Request.Context(), col.Slug)
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
	col, err := s.a.Store.Collection(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return nil, nil, err
	}
	items, err := s.a.Store.Items(c.Request.Context(), col.Slug)
	if err != nil {
		return nil, nil, err
	}
	tz := c.Query("tz")
	if tz == "" && col.Event != "" {
		if ev, err := s.a.Store.Event(c.Request.Context(), col.Event); err == nil {
			tz = ev.TZ
		}
	}
	loc, err := zoneOf(tz)
	if err != nil {
		return nil, nil, err
	}
	xs, err := export.FromItems(c.Request.Context(), s.a.Store, items)
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
	r, err := s.a.Store.AddItems(c.Request.Context(), slug, ids, in.Note, splitList(in.Tags), in.By)
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
		err = s.a.Store.AnnotateItem(c.Request.Context(), slug, id, &note, tags)
	case "move":
		pos, perr := strconv.Atoi(c.PostForm("position"))
		if perr != nil || pos < 1 {
			s.fail(c, badRequest("position must be a number from 1"))
			return
		}
		err = s.a.Store.MoveItem(c.Request.Context(), slug, id, pos)
	case "remove":
		err = s.a.Store.RemoveItems(c.Request.Context(), slug, []string{id})
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
	if err := s.a.Store.DeleteCollection(c.Request.Context(), c.Param("slug")); err != nil {
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
// file), written straight to the response as the CLI writes it to its
// output: memory holds the items, not the file as well (it held the file
// twice, 630 MB for 30,000 items). What can fail before the first byte
// (the format, its writer) is answered with an error page; an error after
// it (the client gone, an item whose payload no longer matches its hash)
// is logged and ends the connection without the response's end, so the
// browser reports a failed download instead of keeping half a file.
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
		ctype, ext string
		write      func(w io.Writer) error
	)
	if name == "zip" {
		ctype, ext = "application/zip", ".zip"
		write = func(w io.Writer) error { return export.WriteCaseFile(w, meta, xs) }
	} else {
		f, err := export.ParseFormat(name)
		if err != nil {
			s.fail(c, err)
			return
		}
		ctype, ext = f.ContentType(), f.Ext()
		write = func(w io.Writer) error {
			fw, err := export.NewWriter(f, w, meta)
			if err != nil {
				return err
			}
			for _, x := range xs {
				if err := fw.Write(x); err != nil {
					return err
				}
			}
			return fw.Close()
		}
	}
	h := c.Writer.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="`+v.Collection.Slug+ext+`"`)
	c.Status(http.StatusOK)
	if err := write(c.Writer); err != nil {
		if !c.Writer.Written() {
			h.Del("Content-Disposition")
			s.fail(c, err)
			return
		}
		s.log.Error("collection export cut short", "slug", v.Collection.Slug, "format", name, "err", err)
		panic(http.ErrAbortHandler) // net/http ends the connection mid-response
	}
}
