package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/demo"
	"github.com/aftershock/aftershock/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr HOST:PORT] [--demo]\n\nCredentials (needed to listen on anything but loopback) come from the environment:\n  AFTERSHOCK_PASSWORD or AFTERSHOCK_PASSWORD_FILE   the password for the login page\n  AFTERSHOCK_API_TOKENS or AFTERSHOCK_API_TOKENS_FILE  tokens for scripts (comma- or line-separated)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.Bool("demo", false, "on an empty archive, first load the built-in demonstration incident (generated data, labelled as such)")
	publicURL := fs.String("public-url", "", "where people reach the server, as behind a reverse proxy (https://archive.example.org): its name is accepted, and https makes the login cookie Secure")
	hosts := fs.String("host", "", "more host names the server answers to, comma-separated (on loopback it answers only to localhost and loopback addresses: DNS rebinding)")
	proxies := fs.String("trusted-proxy", "", "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client for the login limit, comma-separated")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	password, err := secret("AFTERSHOCK_PASSWORD")
	if err != nil {
		return err
	}
	tokens, err := secret("AFTERSHOCK_API_TOKENS")
	if err != nil {
		return err
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	readOnly := a.Store.ReadOnly()
	if readOnly {
		fmt.Fprintf(e.stderr, "The disk holding %s is full: serving the archive read-only. Searching and reading work; imports, edits, "+
			"tokens and live collection fail (507) until there is space and serve is restarted.\n", a.Dir)
	}
	if a.Index == nil {
		if errors.Is(a.IndexErr, archive.ErrIndexBusy) {
			return fmt.Errorf("%v: one server per data directory", a.IndexErr)
		}
		if readOnly || errors.Is(a.IndexErr, archive.ErrIndexDiskFull) {
			return fmt.Errorf("%v; rebuilding it needs space on the disk holding %s", a.IndexErr, a.Dir)
		}
		fmt.Fprintf(e.stderr, "%v\nrebuilding the index from the archive…\n", a.IndexErr)
		if err := rebuildIndex(ctx, e, a); err != nil {
			return err
		}
	}
	isDemo := false
	if *withDemo && !readOnly {
		st, err := a.Store.Stats(ctx)
		if err != nil {
			return err
		}
		if st.Posts == 0 {
			fmt.Fprintln(e.stderr, "loading the demonstration incident (generated data)…")
			sum, err := demo.Load(ctx, a, time.Now())
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			fmt.Fprintf(e.stderr, "demo: %d posts, event %s, collection %s\n", sum.Posts, sum.Event, sum.Collection)
		} else if !demo.Present(ctx, a.Store) {
			fmt.Fprintf(e.stderr, "--demo: the archive already holds %s posts, so the demo is not loaded into it (use an empty --data directory)\n", thousands(st.Posts))
		}
		isDemo = demo.Present(ctx, a.Store)
	}
	if err := catchUp(ctx, e, a); err != nil {
		return err
	}
	srv, err := web.New(web.Config{Archive: a, Log: e.log, Addr: *addr, Password: password,
		APITokens: splitSecrets(tokens), Demo: isDemo, PublicURL: *publicURL, Hosts: splitSecrets(*hosts), TrustedProxies: splitSecrets(*proxies)})
	if err != nil {
		return err
	}
	// The events' live sources run beside the server.
	evs, err := collectingEvents(ctx, a, "")
	if err != nil {
		return err
	}
	colCtx, stopCollectors := context.WithCancel(ctx)
	defer stopCollectors()
	col := newCollectors(a, e.log, time.Minute)
	col.start(colCtx)
	for _, ev := range evs {
		for _, err := range col.add(ev) {
			fmt.Fprintf(e.stderr, "%v\n", err)
		}
	}
	// The index follows the store while the server runs, so an import in
	// another terminal becomes searchable within a second or two.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Stopped after the server and its collectors, not by Ctrl-C: its
		// last pass indexes what they wrote last.
		if _, err := a.Follow(context.WithoutCancel(ctx), stop, time.Second); err != nil {
			e.log.Error("indexer stopped", "err", err)
		}
	}()
	err = srv.Serve(ctx, func(addr string) {
		if err := writeServerInfo(a.Dir, addr); err != nil {
			e.log.Warn("cannot note the server's address for other commands", "err", err)
		}
		fmt.Fprintf(e.stdout, "Aftershock on http://%s/ (data %s); Ctrl-C stops it\n", addr, a.Dir)
	})
	removeServerInfo(a.Dir)
	stopCollectors()
	col.wait()
	close(stop)
	wg.Wait()
	return err
}

// rebuildIndex wipes a damaged index and rebuilds it from the store.
func rebuildIndex(ctx context.Context, e *env, a *archive.Archive) error {
	n, err := a.Reindex(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuilding the index: %w", err)
	}
	fmt.Fprintf(e.stderr, "index rebuilt: %s posts\n", thousands(n))
	return nil
}

// secret reads NAME from the environment, or the file NAME_FILE names.
func secret(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	if f := os.Getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

func splitSecrets(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' })
}
