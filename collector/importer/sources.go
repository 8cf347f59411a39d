package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/mastodon"
	"github.com/aftershock/aftershock/collector/twitter"
	"github.com/aftershock/aftershock/post"
)

// sidecars is what the files beside an input say about it: the owner of an
// X archive (account.js) and the actor of a Mastodon export (actor.json).
type sidecars struct {
	owner     post.Author           // X archive owner; zero when unknown
	longPosts *twitter.ArchiveNotes // the full texts of an X archive's long posts (note-tweet.js)
	expect    *collector.Expect     // the posts the archive's index says the file holds
	actor     post.Author           // Mastodon export actor; zero when unknown
	notes     []string              // what was taken from where, for the summary
}

// source is one readable input: a file, standard input, a file in a folder
// or a member of a zip file.
type source struct {
	name      string // as shown in messages: the path, or "archive.zip:data/tweets.js"
	open      func() (io.ReadCloser, error)
	collected time.Time // when its posts were collected, as far as the file tells
	sc        sidecars
	skip      string // why it is not read (not posts); empty to read it
}

// mediaExt are the extensions of files that exports carry beside their posts
// (pictures, videos, web pages) and that hold no posts.
var mediaExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".mp4": true, ".mov": true,
	".m4a": true, ".mp3": true, ".svg": true, ".html": true, ".htm": true, ".css": true, ".woff": true,
	".woff2": true, ".ico": true, ".txt": true, ".md": true, ".pdf": true,
}

// sources turns one command-line input into what is read: standard input, a
// file (with what the files beside it say), or every file of a folder or
// zip file. An X archive (folder or the zip as X sends it) gives its post
// files with the owner from account.js; a Mastodon export gives outbox.json
// with the actor from actor.json; any other folder or zip gives all its
// files but pictures and videos.
func sources(name string, stdin io.Reader, now time.Time) ([]source, func(), error) {
	nop := func() {}
	if name == "-" {
		return []source{{name: "stdin", collected: now, open: func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }}}, nop, nil
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, nop, err
	}
	if fi.IsDir() {
		srcs, err := fsSources(os.DirFS(name), name, func(p string) string { return filepath.Join(name, filepath.FromSlash(p)) })
		return srcs, nop, err
	}
	if isZip(name) {
		zr, err := zip.OpenReader(name)
		if err != nil {
			return nil, nop, fmt.Errorf("zip: %w", err)
		}
		srcs, err := fsSources(zr, name, func(p string) string { return name + ":" + p })
		return srcs, func() { zr.Close() }, err
	}
	dir := filepath.Dir(name)
	dirFS := os.DirFS(dir)
	src := fileSource(dirFS, filepath.Base(name), func(string) string { return name }, fi, map[string]*archiveDir{}, dir)
	if src.skip == "" && exists(dirFS, "manifest.js") {
		if n, ok := announced(archiveCounts(dirFS, "manifest.js"), "data/"+filepath.Base(name)); ok {
			src.sc.expect = &collector.Expect{Posts: n, Field: "manifest.js count"}
		}
	}
	return []source{src}, nop, nil
}

// isZip reports whether the file at name starts as a zip file does.
func isZip(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "PK\x03\x04"
}

// fsSources lists the inputs inside a folder or zip file (root, as the user
// named it; display names a file in it). When it holds an X
// archive (data/account.js or data/manifest.js; data/js/tweet_index.js,
// payload_details.js or user_details.js of a legacy archive), only the archive's files of posts are read and the rest
// (its web page, scripts and media) is left out in one line.
func fsSources(fsys fs.FS, root string, display func(string) string) ([]source, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if p != "." && strings.HasPrefix(base, ".") || base == "__MACOSX" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	if len(files) == 0 {
		return nil, errors.New("holds no files")
	}
	keep, what, index := archivePart(files)
	counts := archiveCounts(fsys, index)
	var out []source
	left := 0
	archives := map[string]*archiveDir{} // per folder
	for _, p := range files {
		if keep != nil && !keep(p) {
			left++
			continue
		}
		if mediaExt[strings.ToLower(path.Ext(p))] {
			continue
		}
		fi, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, err
		}
		dir, base := path.Split(p)
		sub := fsys
		if dir != "" {
			if sub, err = fs.Sub(fsys, strings.TrimSuffix(dir, "/")); err != nil {
				return nil, err
			}
		}
		src := fileSource(sub, base, func(string) string { return display(p) }, fi, archives, dir)
		if n, ok := announced(counts, p); ok && src.skip == "" {
			src.sc.expect = &collector.Expect{Posts: n, Field: path.Base(index) + " count"}
		}
		out = append(out, src)
	}
	if left > 0 {
		out = append(out, source{name: root + " (" + what + ")",
			skip: fmt.Sprintf("%d other files of the %s (its web page, scripts and media) hold no posts", left, what)})
	}
	if len(out) == 0 {
		return nil, errors.New("holds only pictures, videos and web pages, no posts")
	}
	return out, nil
}

// archivePart tells whether files (sorted paths) are those of an X archive
// and, if so, which of them to consider: the files of its data folder (a
// legacy archive: of data/js/tweets). keep is nil for other folders.
//
// index is the file that says how many posts each file holds
// (data/manifest.js, legacy data/js/tweet_index.js), when there is one.
func archivePart(files []string) (keep func(string) bool, what, index string) {
	for _, f := range files {
		switch {
		case strings.HasSuffix("/"+f, "/data/account.js"), strings.HasSuffix("/"+f, "/data/manifest.js"):
			data := path.Dir(f) + "/"
			if m := data + "manifest.js"; slices.Contains(files, m) {
				index = m
			}
			return func(p string) bool { return path.Dir(p)+"/" == data }, "X archive", index
		case strings.HasSuffix("/"+f, "/data/js/tweet_index.js"), strings.HasSuffix("/"+f, "/data/js/payload_details.js"),
			strings.HasSuffix("/"+f, "/data/js/user_details.js"):
			js := path.Dir(f) + "/"
			if m := js + "tweet_index.js"; slices.Contains(files, m) {
				index = m
			}
			return func(p string) bool { return path.Dir(p)+"/" == js+"tweets/" }, "legacy X archive", index
		}
	}
	return nil, "", ""
}

// archiveCounts reads how many posts an X archive's index file says each
// of its files holds, by the file's path as the archive names it
// ("data/tweets.js"); nil when there is no index or it cannot be read.
func archiveCounts(fsys fs.FS, index string) map[string]int64 {
	if index == "" {
		return nil
	}
	f, err := fsys.Open(index)
	if err != nil {
		return nil
	}
	defer f.Close()
	counts, err := twitter.ReadArchiveCounts(f)
	if err != nil {
		return nil
	}
	return counts
}

// announced finds the count an archive's index gives for the file at p, a
// path that ends with the name the index uses.
func announced(counts map[string]int64, p string) (int64, bool) {
	for name, n := range counts {
		if p == name || strings.HasSuffix(p, "/"+name) {
			return n, true
		}
	}
	return 0, false
}

// xArchiveFile matches the names of an X archive's data files:
// tweets.js, tweet-part1.js, deleted-tweets.js, like.js, account.js, …
var xArchiveFile = regexp.MustCompile(`^[a-z][a-z0-9-]*\.js$`)

// fileSource is the source for the file base in dir, with what its
// neighbours say about it. archives caches what an X archive's folder says
// of its files (owner, long posts), read once per folder, by dirKey.
func fileSource(dir fs.FS, base string, display func(string) string, fi fs.FileInfo, archives map[string]*archiveDir, dirKey string) source {
	src := source{
		name:      display(base),
		collected: fi.ModTime().UTC().Truncate(time.Millisecond),
		open:      func() (io.ReadCloser, error) { return dir.Open(base) },
	}
	switch {
	case isXArchiveDir(dir) && xArchiveFile.MatchString(base):
		switch {
		case twitter.ArchiveAccountFile(base):
			src.skip = "the X archive's owner, the author of its posts"
			return src
		case twitter.ArchiveNoteFile(base):
			src.skip = "the full texts of the archive's long posts, read with tweets.js"
			return src
		case !twitter.ArchivePostFile(base):
			src.skip = "an X archive file that holds no posts"
			return src
		}
		a, ok := archives[dirKey]
		if !ok {
			a = readArchiveDir(dir)
			archives[dirKey] = a
		}
		src.sc.owner, src.sc.longPosts = a.owner, a.notes
		src.sc.notes = append(src.sc.notes, a.ownerNote)
		if !ok && a.notesNote != "" {
			src.sc.notes = append(src.sc.notes, a.notesNote) // said once, with the folder's first file
		}
	case base == "outbox.json" && exists(dir, "actor.json"):
		src.sc.actor, src.sc.notes = readActor(dir)
	case isMastodonExportDir(dir) && base != "outbox.json":
		src.skip = "a Mastodon export file that holds no posts (only outbox.json does)"
	}
	return src
}

// archiveDir is what an X archive's data folder says of its files of posts.
type archiveDir struct {
	owner     post.Author           // from account.js
	ownerNote string                // where the owner came from, or why there is none
	notes     *twitter.ArchiveNotes // the long posts' full texts; nil when none
	notesNote string                // what note-tweet.js gave; empty when nothing
}

// readArchiveDir reads account.js and the note files of an X archive's
// data folder.
func readArchiveDir(dir fs.FS) *archiveDir {
	a := &archiveDir{}
	if owner, err := readOwner(dir); err != nil {
		a.ownerNote = fmt.Sprintf("account.js could not be read (%v): posts have no author", err)
	} else {
		a.owner, a.ownerNote = owner, fmt.Sprintf("author @%s from account.js", owner.Handle)
	}
	a.notes, a.notesNote = readNotes(dir)
	return a
}

// readNotes reads the note-tweet.js files of an X archive's data folder.
func readNotes(dir fs.FS) (*twitter.ArchiveNotes, string) {
	names, err := fs.Glob(dir, "*.js")
	if err != nil {
		return nil, ""
	}
	var notes twitter.ArchiveNotes
	var problems []string
	for _, name := range names {
		if !twitter.ArchiveNoteFile(name) {
			continue
		}
		f, err := dir.Open(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if _, err := notes.Read(f); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
		f.Close()
	}
	switch {
	case len(problems) > 0:
		return &notes, fmt.Sprintf("%d long posts' full texts read, with problems: %s", notes.Len(), strings.Join(problems, "; "))
	case notes.Len() > 0:
		return &notes, fmt.Sprintf("the full texts of %d long posts from note-tweet.js", notes.Len())
	}
	return nil, ""
}

func exists(dir fs.FS, name string) bool {
	_, err := fs.Stat(dir, name)
	return err == nil
}

// isXArchiveDir reports whether dir is the data folder of an X archive.
func isXArchiveDir(dir fs.FS) bool {
	return exists(dir, "account.js") || exists(dir, "manifest.js")
}

// isMastodonExportDir reports whether dir is the top of a Mastodon account
// export (outbox.json beside actor.json).
func isMastodonExportDir(dir fs.FS) bool {
	return exists(dir, "outbox.json") && exists(dir, "actor.json")
}

func readOwner(dir fs.FS) (post.Author, error) {
	f, err := dir.Open("account.js")
	if err != nil {
		return post.Author{}, err
	}
	defer f.Close()
	return twitter.ReadArchiveAccount(f)
}

// readActor reads actor.json beside a Mastodon export's outbox.json.
func readActor(dir fs.FS) (post.Author, []string) {
	f, err := dir.Open("actor.json")
	if err != nil {
		return post.Author{}, []string{fmt.Sprintf("actor.json could not be read (%v)", err)}
	}
	defer f.Close()
	a, err := mastodon.ReadActor(f)
	if err != nil {
		return post.Author{}, []string{fmt.Sprintf("actor.json could not be read (%v): handles come from the posts", err)}
	}
	return a, []string{fmt.Sprintf("author @%s from actor.json", a.Handle)}
}
