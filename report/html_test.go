package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func htmlReport(t *testing.T) *ScanReport {
	r := sampleReport()
	f := &r.Files[1]
	f.Findings[0].Images = []Evidence{
		{Caption: "rebuilt watermark", Data: testPNG(t, 200, 60)},
		{Caption: "not a picture", Data: []byte("GIF89a nonsense")},
	}
	f.Findings[1].Text = `<script>alert(1)</script><img src="http://evil.example/x.png">`
	return r
}

var dataURIRe = regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`)

func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, htmlReport(t)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", `src="http`, `href="http`, "<link", "@import", "url(", "<iframe", "<object"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	imgs := dataURIRe.FindAllStringSubmatch(page, -1)
	if len(imgs) != 1 {
		t.Fatalf("%d inline pictures, want 1 (the undecodable one dropped)", len(imgs))
	}
	for _, m := range imgs {
		raw, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
			t.Errorf("inline picture does not decode: %v", err)
		}
	}
	for _, want := range []string{"This report identifies people", "Visible email watermark", "Blur the region.", "moov atom not found"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// browserOwnHosts are Chromium's background services (sign-in, updates),
// which it contacts with or without a page; they are not the report's doing.
var browserOwnHosts = []string{"google.com", "googleapis.com", "gvt1.com"}

func browserOwn(host string) bool {
	host, _, _ = strings.Cut(host, ":")
	for _, h := range browserOwnHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// openInChromium renders page to a PNG with every request routed to a local
// proxy, and returns the requests the page made.
func openInChromium(t *testing.T, browser, page, shot string) []string {
	t.Helper()
	var mu sync.Mutex
	var requests []string
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !browserOwn(r.Host) {
			mu.Lock()
			requests = append(requests, r.Method+" "+r.Host+" "+r.URL.Path)
			mu.Unlock()
		}
		http.Error(w, "no network in tests", http.StatusForbidden)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-pings",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"),
		"--proxy-server=http://"+ln.Addr().String(), "--proxy-bypass-list=<-loopback>",
		"--window-size=1200,1600", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), requests...)
}

// TestHTMLInChromium opens the report in headless Chromium: it must make no
// network request, and it must draw. A control page with one external
// picture shows that the check does see requests.
func TestHTMLInChromium(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (make test installs it)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := WriteHTML(&b, htmlReport(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	if reqs := openInChromium(t, browser, page, shot); len(reqs) != 0 {
		t.Errorf("opening the report made network requests: %v", reqs)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	// The page drew: the red banner is at the top.
	r, g, bl, _ := img.At(20, 10).RGBA()
	if !(r>>8 > 100 && g>>8 < 60 && bl>>8 < 60) {
		t.Errorf("top-left pixel %d,%d,%d is not the red banner", r>>8, g>>8, bl>>8)
	}

	control := filepath.Join(dir, "control.html")
	os.WriteFile(control, []byte(`<html><body><img src="http://canary.tracescan.test/x.png"></body></html>`), 0o600)
	if reqs := openInChromium(t, browser, control, filepath.Join(dir, "c.png")); len(reqs) == 0 {
		t.Error("control page with an external picture made no request: the check is blind")
	}
}

func TestPixelatePNG(t *testing.T) {
	src := testPNG(t, 200, 60)
	out, err := PixelatePNG(src)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 200 || img.Bounds().Dy() != 60 {
		t.Errorf("size changed: %v", img.Bounds())
	}
	// Neighbouring pixels inside a block are equal: detail is gone.
	if img.At(1, 1) != img.At(4, 4) {
		t.Error("picture not pixelated")
	}
	if _, err := PixelatePNG([]byte("not a png")); err == nil {
		t.Error("garbage accepted")
	}
}
