package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

// Errors of the web layer; the others come from the packages below and are
// mapped to a status in statusOf, the one place that does it.
var (
	errNotFound     = errors.New("no such page")
	errMethod       = errors.New("method not allowed here")
	errBadRequest   = errors.New("bad request")
	errForbidden    = errors.New("the form has expired or did not come from this site: reload the page and try again")
	errUnauthorized = errors.New("log in first")
	errTooMany      = errors.New("too many attempts: wait a minute")
	errMisdirected  = errors.New("this server does not answer to that host name: open it as localhost or 127.0.0.1, or configure the name it is reached by")
	errCrossOrigin  = errors.New("the request came from a page of another site: open this server's own page and try again")
)

// badRequest wraps a message as a 400.
func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, args...))
}

// statusOf maps an error to an HTTP status and a message safe to show: the
// error's own text for the errors a user can fix, a generic one otherwise.
func statusOf(err error) (int, string) {
	var se *index.SyntaxError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is over the limit of %d bytes", tooBig.Limit)
	case errors.Is(err, errMisdirected):
		return http.StatusMisdirectedRequest, err.Error()
	case errors.As(err, &se):
		return http.StatusBadRequest, se.Error()
	case errors.Is(err, errBadRequest), errors.Is(err, event.ErrInvalid), errors.Is(err, index.ErrBadCursor),
		errors.Is(err, index.ErrTooManyBuckets), errors.Is(err, store.ErrBadSlug), errors.Is(err, export.ErrUnknownFormat),
		errors.Is(err, export.ErrUnknownZone), errors.Is(err, store.ErrBadTokenName), errors.Is(err, index.ErrTooCostly):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, errNotFound), errors.Is(err, event.ErrNotFound), errors.Is(err, store.ErrNoCollection),
		errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNotInCollection), errors.Is(err, store.ErrNoToken):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, event.ErrExists), errors.Is(err, store.ErrCollectionExists), errors.Is(err, store.ErrTokenExists):
		return http.StatusConflict, err.Error()
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, err.Error()
	case errors.Is(err, errForbidden), errors.Is(err, errTokensInBrowser), errors.Is(err, errCrossOrigin):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, err.Error()
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests, err.Error()
	case store.IsDiskFull(err):
		return http.StatusInsufficientStorage, "the archive's disk is full: nothing was saved; free space on the server and try again"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the request took too long; narrow the search or the time range"
	case errors.Is(err, context.Canceled):
		// The client left; nobody reads the answer.
		return statusClientClosed, "the request was cancelled"
	}
	return http.StatusInternalServerError, "something went wrong on our side; the log has the details"
}

// statusClientClosed is the status logged for a request whose client left
// before the answer (nginx's 499): no error of ours.
const statusClientClosed = 499

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// fail ends the request with err as a page or a JSON error.
func (s *Server) fail(c *gin.Context, err error) {
	status, msg := statusOf(err)
	switch {
	case status == statusClientClosed:
		s.log.Debug("client left", slog.String("path", c.Request.URL.Path))
	case status >= 500:
		s.log.Error("request failed", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
	}
	if isAPI(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"status": status, "message": msg}})
		return
	}
	var caret string
	var se *index.SyntaxError
	if errors.As(err, &se) {
		caret = se.Caret()
	}
	c.Abort()
	s.render(c, status, "error", errorView{Status: status, Title: http.StatusText(status), Message: msg, Caret: caret})
}

type errorView struct {
	Status         int
	Title, Message string
	Caret          string // a query with a caret under the error
}

// recoverer turns a panic into a 500 page and a log entry with the stack:
// no stack trace reaches a user.
func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler { //nolint:errorlint // net/http's own sentinel, panicked as is
					panic(v) // a response cut short on purpose (exportCollection): net/http drops the connection
				}
				s.log.Error("panic", slog.String("path", c.Request.URL.Path), slog.Any("value", v), slog.String("stack", string(debug.Stack())))
				s.fail(c, fmt.Errorf("panic: %v", v))
			}
		}()
		c.Next()
	}
}
