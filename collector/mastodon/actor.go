package mastodon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// ReadActor reads the actor.json of a Mastodon account export (an
// ActivityPub actor: Person, Service, Application, Group or Organization)
// and returns the account as an author: ID = id, Handle =
// preferredUsername@host (the host of id; else the user@host of url or id
// as [DecodeOutbox] derives it), Name = name, URL = url (the profile page;
// else id). Pass it to [DecodeOutboxFor] for the outbox.json beside it.
func ReadActor(r io.Reader) (post.Author, error) {
	data, err := io.ReadAll(io.LimitReader(r, collector.MaxRecordBytes+1))
	if err != nil {
		return post.Author{}, fmt.Errorf("actor: read: %w", err)
	}
	if len(data) > collector.MaxRecordBytes {
		return post.Author{}, fmt.Errorf("actor: longer than %d bytes", collector.MaxRecordBytes)
	}
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))
	o, ok := readAP(data, 1)
	if !ok {
		return post.Author{}, errors.New("actor: not a JSON object")
	}
	switch t := o.typ(); t {
	case "Person", "Service", "Application", "Group", "Organization":
	case "":
		return post.Author{}, errors.New("actor: object has no type")
	default:
		return post.Author{}, fmt.Errorf("actor: object of type %q is not an actor", t)
	}
	id := o.str("id")
	au := post.Author{ID: id, Name: strings.TrimSpace(o.str("name")), URL: webURL(o, "url")}
	if id == "" {
		if au.URL == "" {
			return post.Author{}, errors.New("actor: object has neither id nor url")
		}
		au.ID = au.URL
	}
	if pu := strings.TrimPrefix(strings.TrimSpace(o.str("preferredUsername")), "@"); pu != "" && !strings.Contains(pu, "@") {
		if host := hostOf(au.ID); host != "" {
			au.Handle = pu + "@" + host
		} else if host := hostOf(au.URL); host != "" {
			au.Handle = pu + "@" + host
		}
	}
	if au.Handle == "" {
		au.Handle = actorHandle(au.URL)
	}
	if au.Handle == "" {
		au.Handle = actorHandle(au.ID)
	}
	if au.URL == "" {
		au.URL = au.ID
	}
	return au, nil
}
