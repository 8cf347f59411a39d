package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "FILE\n\nWrites a consistent copy of the archive (archive.db) to FILE while imports,\ncollectors or the server go on. The search index is rebuilt from it on restore.")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: backup takes one FILE", errUsage)
	}
	if _, err := os.Stat(pos[0]); err == nil {
		return fmt.Errorf("backup: %s exists: choose another name", pos[0])
	}
	st, err := store.Open(ctx, archivePath(e))
	if err != nil {
		return err
	}
	defer st.Close()
	tmp := pos[0] + ".partial"
	os.Remove(tmp)
	if err := st.Backup(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, pos[0]); err != nil {
		return err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	fi, _ := os.Stat(pos[0])
	fmt.Fprintf(e.stdout, "backup of %s posts written to %s (%s bytes)\n", thousands(stats.Posts), pos[0], thousands(fi.Size()))
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", "FILE [--force]\n\nReplaces the data directory's archive with a backup (checked first) and rebuilds the index.")
	force := fs.Bool("force", false, "replace an archive that holds posts")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: restore takes one FILE", errUsage)
	}
	// Nothing may have the archive open: a running server would go on
	// writing to the file being replaced. The index lock says whether a
	// process does; it is held from here until the new archive is in place.
	lock, err := lockIdle(e)
	if err != nil {
		return err
	}
	unlock := func() {
		if lock != nil {
			lock.Close()
			lock = nil
		}
	}
	defer unlock()
	// Check the backup on a copy beside the archive (same filesystem, so the
	// rename into place is atomic).
	if err := os.MkdirAll(e.dataDir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(e.dataDir, archive.StoreFile+".restoring")
	os.Remove(tmp)
	if err := copyFile(pos[0], tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	check, err := store.Open(ctx, tmp)
	if err != nil {
		return fmt.Errorf("restore: %s is not a usable archive: %w", pos[0], err)
	}
	err = check.Verify(ctx)
	if err == nil {
		err = check.Checkpoint(ctx)
	}
	stats, serr := check.Stats(ctx)
	check.Close()
	if err != nil {
		return fmt.Errorf("restore: %s: %w", pos[0], err)
	}
	if serr != nil {
		return serr
	}
	if !*force {
		if cur, err := store.Open(ctx, archivePath(e)); err == nil {
			s, _ := cur.Stats(ctx)
			cur.Close()
			if s.Posts > 0 {
				return fmt.Errorf("%w: %s already holds %s posts: restore --force replaces them", errUsage, e.dataDir, thousands(s.Posts))
			}
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(archivePath(e) + suffix)
	}
	if err := os.Rename(tmp, archivePath(e)); err != nil {
		return err
	}
	unlock()
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.Reindex(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s posts from %s; index rebuilt (%s documents)\n", thousands(stats.Posts), pos[0], thousands(n))
	return nil
}

// lockIdle makes sure no process uses the data directory, by taking the
// index lock, which every aftershock process that writes (serve, import,
// collect) holds while it runs and which the kernel releases when it dies,
// even by SIGKILL. It returns the open index, which holds the lock until
// closed (nil when the index is missing or damaged: restore rebuilds it).
// serve.json only says where a server listens: one killed leaves it
// behind, so with the lock free it is stale, and it is removed with a note
// (restore refused for ever because of it).
func lockIdle(e *env) (*index.Index, error) {
	info := filepath.Join(e.dataDir, serverFile)
	var srv serverInfo
	b, infoErr := os.ReadFile(info)
	if infoErr == nil {
		json.Unmarshal(b, &srv)
	}
	ix, err := index.Open(filepath.Join(e.dataDir, archive.IndexDir))
	switch {
	case errors.Is(err, index.ErrLocked) && infoErr == nil:
		return nil, fmt.Errorf("restore: 'aftershock serve' (pid %d, on %s) holds %s: stop it first", srv.PID, srv.Addr, e.dataDir)
	case errors.Is(err, index.ErrLocked):
		return nil, fmt.Errorf("restore: another aftershock process holds %s: stop it first", e.dataDir)
	case err != nil:
		ix = nil // missing or damaged: nothing to hold, and restore rebuilds it
	}
	if infoErr == nil {
		if err := os.Remove(info); err != nil && !errors.Is(err, os.ErrNotExist) {
			if ix != nil {
				ix.Close()
			}
			return nil, fmt.Errorf("restore: removing the stale %s: %w", info, err)
		}
		fmt.Fprintf(e.stderr, "removed a stale serve.json: the server it names (pid %d, on %s) no longer holds %s\n", srv.PID, srv.Addr, e.dataDir)
	}
	return ix, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
