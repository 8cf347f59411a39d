package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/store"
)

// API tokens are made, listed and revoked on /tokens by a logged-in
// browser (or with `aftershock token`), never through the API itself: a
// leaked token must not be able to mint others or revoke the owner's.

var errTokensInBrowser = errors.New("API tokens are managed on /tokens in the browser or with 'aftershock token', not through the API")

type tokensView struct {
	Tokens []store.Token
	// New is the secret of a token just made, shown this once.
	New     string
	NewName string
	Error   string
}

// PageTitle implements titled.
func (tokensView) PageTitle() string { return "API tokens" }

func (s *Server) tokensPage(c *gin.Context) {
	s.renderTokens(c, http.StatusOK, tokensView{})
}

func (s *Server) renderTokens(c *gin.Context, status int, v tokensView) {
	if sessionOf(c).API {
		s.fail(c, errTokensInBrowser)
		return
	}
	ts, err := s.a.Store.Tokens(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Tokens = ts
	c.Header("Cache-Control", "no-store") // the page may hold a secret
	s.render(c, status, "tokens", v)
}

func (s *Server) createToken(c *gin.Context) {
	if sessionOf(c).API {
		s.fail(c, errTokensInBrowser)
		return
	}
	secret, t, err := s.a.Store.NewToken(c, c.PostForm("name"))
	if err != nil {
		status, msg := statusOf(err)
		if status >= 500 {
			s.fail(c, err)
			return
		}
		s.renderTokens(c, status, tokensView{Error: msg})
		return
	}
	s.log.Info("API token made", "token", t.Name, "prefix", t.Prefix)
	s.renderTokens(c, http.StatusCreated, tokensView{New: secret, NewName: t.Name})
}

func (s *Server) revokeToken(c *gin.Context) {
	if sessionOf(c).API {
		s.fail(c, errTokensInBrowser)
		return
	}
	name := strings.TrimSpace(c.PostForm("name"))
	if err := s.a.Store.RevokeToken(c, name); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("API token revoked", "token", name)
	c.Redirect(http.StatusSeeOther, "/tokens")
}

// sessionOf is the request's session (set by the session middleware).
func sessionOf(c *gin.Context) session {
	ss, _ := c.Get(ctxSession)
	v, _ := ss.(session)
	return v
}
