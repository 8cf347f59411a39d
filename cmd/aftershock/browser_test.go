package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser, or skips: CI installs Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH (Debian: apt-get install chromium)")
	return ""
}

// startServer runs the real binary's serve command on a free port and
// returns its base URL; the server stops with the test.
func startServer(t *testing.T, bin, data string, extra ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--data", data, "serve", "--addr", "127.0.0.1:0"}, extra...)...)
	cmd.Stderr = os.Stderr
	return startServerCmd(t, cmd)
}

// startServerCmd starts cmd, a serve command with its environment and
// stderr set, stops it at the end of the test, and returns its address.
func startServerCmd(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Error("the server did not stop on SIGINT within 15 s")
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`on (http://\S+?)/ `)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return a
	case <-time.After(90 * time.Second):
		t.Fatal("the server did not start within 90 s")
	}
	return ""
}

// TestBrowser drives the real binary's web app in headless Chromium, on the
// demo incident plus posts with XSS payloads: search, open the event, click
// a bar of the chart, add a post to a collection, export it, and take
// screenshots of every page at desktop and phone width (kept in
// $AFTERSHOCK_SCREENSHOTS if set). No dialog may open: a payload that ran
// would call alert().
func TestBrowser(t *testing.T) {
	browser := chromium(t)
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	hostile := filepath.Join(t.TempDir(), "hostile.csv")
	os.WriteFile(hostile, []byte("id,created_at,author,text\n"+
		`666001,2026-03-10T14:30:00Z,"<img src=x onerror=alert(1)>","Nimbus down <script>alert('xss')</script> #nimbusdown"`+"\n"+
		`666002,2026-03-10T14:31:00Z,mallory,"Nimbus <svg onload=alert(2)> javascript:alert(3) #<b>tag</b>"`+"\n"), 0o644)
	base := startServer(t, bin, data, "--demo")
	// Imported while the server runs, from another process: the server's
	// indexer picks the posts up.
	if out, err := exec.Command(bin, "--data", data, "import", "--source", "twitter", hostile).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/api/v1/search?q=from%3Amallory")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `"total":1`) {
			break
		}
		if i == 50 {
			t.Fatalf("the server did not index a post imported beside it within 10 s: %s", b)
		}
		time.Sleep(200 * time.Millisecond)
	}

	shots := os.Getenv("AFTERSHOCK_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	os.MkdirAll(shots, 0o755)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, st := range steps {
			start := time.Now()
			err := chromedp.Do(ctx, st)
			if err != nil {
				t.Fatalf("step %d after %v: %v", i+1, time.Since(start), err)
			}
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	location := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// A payload that ran would call alert, confirm or prompt: every page
	// gets, before its own scripts, versions of them that count the calls.
	do(chromedp.Navigate("about:blank"))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__xss = 0; for (const f of ['alert', 'confirm', 'prompt']) { window[f] = () => { window.__xss++; }; }`}); err != nil {
		t.Fatal(err)
	}
	ran := func(where string) {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__xss || 0`))
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			t.Errorf("%s: %d payloads ran", where, n)
		}
	}
	shoot := func(name string) {
		t.Helper()
		ran(name)
		for _, w := range []struct {
			suffix string
			width  int64
		}{{"desktop", 1280}, {"phone", 390}} {
			do(chromedp.EmulateViewport(w.width, 900), chromedp.Sleep(100*time.Millisecond))
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(shots, name+"-"+w.suffix+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		do(chromedp.EmulateViewport(1280, 900))
	}

	// Search, typed into the box.
	do(chromedp.Navigate(base+"/search"), chromedp.WaitVisible(chromedp.CSS(`input[name=q]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "nimbus down"), chromedp.Submit(chromedp.CSS(`input[name=q]`)))
	// The form's navigation must begin before we wait on the new page.
	do(chromedp.Sleep(time.Second), chromedp.WaitVisible(chromedp.CSS(`.post`)))
	if s := text(`.summary`); !strings.Contains(s, "posts") {
		t.Errorf("search summary %q", s)
	}
	shoot("search")
	do(chromedp.Navigate(base+"/search?q=from%3Amallory+OR+xss&sort=newest"), chromedp.WaitReady(chromedp.CSS(`main`)))
	hostileText := text(`main`)
	shoot("search-hostile")

	// The event page; a click on the tallest bar opens that bucket's posts.
	do(chromedp.Navigate(base+"/events/demo-nimbus-outage"), chromedp.WaitVisible(chromedp.CSS(`figure.chart`)))
	if s := text(`.lag`); !strings.Contains(s, "14 minutes ahead of the status page") {
		t.Errorf("lag sentence %q", s)
	}
	shoot("event")
	before := location()
	// A real mouse click in the middle of the tallest bar.
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { let best = null, h = -1;
		for (const a of document.querySelectorAll('figure.chart svg a')) {
			const r = a.getBoundingClientRect(); if (r.height > h) { h = r.height; best = r; } }
		best.scrollIntoView; return [best.x + best.width / 2, best.y + best.height / 2]; })()`))
	if err != nil || len(bar) != 2 {
		t.Fatalf("no bar to click: %v %v", bar, err)
	}
	do(chromedp.MouseClickXY(bar[0], bar[1]), chromedp.Sleep(time.Second), chromedp.WaitVisible(chromedp.CSS(`#posts`)))
	after := location()
	if after == before || !strings.Contains(after, "from=") {
		t.Errorf("clicking a bar went from %s to %s", before, after)
	}
	if s := text(`#posts`); !strings.Contains(s, "Top posts from 2026-03-10") {
		t.Errorf("bucket heading %q", s)
	}
	shoot("event-bucket")

	// Add a search result to the demo collection, then look at it.
	do(chromedp.Navigate(base+"/search?q=%22hier+auch%22&sort=oldest"), chromedp.WaitVisible(chromedp.CSS(`.post form.add button`)))
	added, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.post form.add input[name=post_id]`), "value"))
	if err != nil {
		t.Fatal(err)
	}
	do(chromedp.Click(chromedp.CSS(`.post form.add button`)))
	do(chromedp.Sleep(time.Second), chromedp.WaitVisible(chromedp.CSS(`#items`)))
	if s := text(`#items`); added.Value == "" || !strings.Contains(strings.ToLower(s), "hier auch") {
		t.Errorf("the added post %s is not in the collection:\n%.400s", added.Value, s)
	}
	shoot("collection")

	// The export links serve files (fetched directly: a headless download
	// is not what we test here).
	for _, f := range []string{"csv", "xlsx", "md", "html", "zip"} {
		resp, err := http.Get(base + "/collections/demo-quotes/export?format=" + f)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) < 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "demo-quotes") {
			t.Errorf("export %s: %d, %d bytes", f, resp.StatusCode, len(b))
		}
	}
	// An API token named with a payload: made, shown once, listed.
	do(chromedp.Navigate(base+"/tokens"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), `<img src=x onerror=alert(1)> nightly`),
		chromedp.Submit(chromedp.CSS(`input[name=name]`)))
	do(chromedp.Sleep(time.Second), chromedp.WaitVisible(chromedp.CSS(`#new-token`)))
	if s := text(`#new-token`); !strings.Contains(s, "ask_") || !strings.Contains(s, "<img src=x") {
		t.Errorf("the new token is not shown, or its name not as text: %q", s)
	}
	shoot("tokens")
	// Every other page, for the screenshots.
	for _, p := range []struct{ name, path string }{{"home", "/"}, {"events", "/events"}, {"event-share", "/events/demo-nimbus-outage/share"},
		{"collection-share", "/collections/demo-quotes/share"}, {"status", "/status"}, {"event-form", "/events/new"}} {
		do(chromedp.Navigate(base+p.path), chromedp.WaitReady(chromedp.CSS(`main`)))
		shoot(p.name)
	}
	t.Logf("screenshots in %s", shots)
	if !strings.Contains(hostileText, "<script>alert('xss')</script>") {
		t.Errorf("the hostile post's text is not shown as text:\n%.500s", hostileText)
	}
}

// TestComposeFile has Debian's docker-compose check the compose file.
func TestComposeFile(t *testing.T) {
	dc, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Skip("no docker-compose on PATH (Debian: apt-get install docker-compose)")
	}
	out, err := exec.Command(dc, "-f", filepath.Join("..", "..", "docker-compose.yml"), "config", "-q").CombinedOutput()
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
}

// TestSearchWhileServing: with 'aftershock serve' holding the index, an
// import in another terminal goes to the store, the server indexes it, and
// 'aftershock search' asks the server instead of failing on the lock.
func TestSearchWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	posts := filepath.Join(t.TempDir(), "posts.csv")
	os.WriteFile(posts, []byte("id,created_at,author,text\n1,2017-02-28T17:40:00Z,alice,S3 is down\n2,2017-02-28T17:41:00Z,bob,\"S3 down, coffee machine smashed\"\n"), 0o644)
	base := startServer(t, bin, data)
	if out, err := exec.Command(bin, "--data", data, "import", "--source", "twitter", posts).CombinedOutput(); err != nil {
		t.Fatalf("import beside the server: %v\n%s", err, out)
	}
	var out []byte
	var err error
	for i := 0; i < 50; i++ {
		out, err = exec.Command(bin, "--data", data, "search", "s3", "--sort", "oldest", "--ids").Output()
		if err == nil && strings.Count(string(out), "\n") == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil || string(out) != "twitter:1\ntwitter:2\n" {
		t.Fatalf("search while serving (%s): %v\n%s", base, err, out)
	}
	out, err = exec.Command(bin, "--data", data, "search", "coffee").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "@bob") || !strings.Contains(string(out), "1 of 1 posts") {
		t.Errorf("search while serving: %v\n%s", err, out)
	}
}
