package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/aftershock/aftershock/store"
)

const tokenUsage = "token create NAME | list [--json] | revoke NAME"

// runToken makes, lists and revokes the API tokens scripts send to the web
// app. It opens only the archive database, so it works while serve runs,
// and a revocation takes effect at the server's next request.
func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, tokenUsage)
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "token "+sub, "")
	asJSON := fs.Bool("json", false, "list as JSON")
	switch sub {
	case "-h", "--help", "help":
		fmt.Fprintf(e.stderr, "Usage: aftershock %s\n", tokenUsage)
		return flag.ErrHelp
	case "create", "list", "revoke":
	default:
		return fmt.Errorf("%w: unknown token command %q (%s)", errUsage, sub, tokenUsage)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if want := map[string]int{"create": 1, "list": 0, "revoke": 1}[sub]; len(pos) != want {
		return fmt.Errorf("%w: %s", errUsage, tokenUsage)
	}
	st, err := store.Open(ctx, archivePath(e))
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "create":
		secret, t, err := st.NewToken(ctx, pos[0])
		if err != nil {
			return err
		}
		e.log.Info("API token made", "token", t.Name, "prefix", t.Prefix)
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "The API token %q: copy it now, it is not stored and cannot be shown again.\n"+
			"Scripts send it as \"Authorization: Bearer <token>\"; 'aftershock search' sends $AFTERSHOCK_API_TOKEN.\n", t.Name)
		return nil
	case "revoke":
		if err := st.RevokeToken(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %q: its next request is refused\n", pos[0])
		return nil
	}
	ts, err := st.Tokens(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if ts == nil {
			ts = []store.Token{}
		}
		return enc.Encode(ts)
	}
	if len(ts) == 0 {
		fmt.Fprintln(e.stdout, "no API tokens: aftershock token create NAME")
		return nil
	}
	const day = "2006-01-02 15:04 MST"
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTARTS WITH\tMADE\tLAST USED\tSTATE")
	for _, t := range ts {
		used, state := "never", "active"
		if !t.LastUsed.IsZero() {
			used = t.LastUsed.Format(day)
		}
		if !t.Active() {
			state = "revoked " + t.Revoked.Format(day)
		}
		fmt.Fprintf(w, "%s\t%s…\t%s\t%s\t%s\n", t.Name, t.Prefix, t.Created.Format(day), used, state)
	}
	return w.Flush()
}
