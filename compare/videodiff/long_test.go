package videodiff

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"tracescan/media"
	"tracescan/samples/screenshare"
)

// TestLongPair times the comparison of two long 1080p copies (10 minutes, or
// VIDEODIFF_LONG_S seconds). It runs only when VIDEODIFF_LONG names a folder
// (the copies are kept there).
func TestLongPair(t *testing.T) {
	dir := os.Getenv("VIDEODIFF_LONG")
	if dir == "" {
		t.Skip("set VIDEODIFF_LONG to a folder to time a long pair")
	}
	ctx := context.Background()
	dur := 600.0
	if v, err := strconv.ParseFloat(os.Getenv("VIDEODIFF_LONG_S"), 64); err == nil && v > 0 {
		dur = v
	}
	paths := [2]string{filepath.Join(dir, "long-a.mp4"), filepath.Join(dir, "long-b.mp4")}
	overlays := [2]*screenshare.Overlay{
		{Text: "anna.schmidt@example.com", Layout: screenshare.LayoutTiled, Opacity: 0.12, Gray: 160, Font: "regular", SizePx: 36},
		{Text: "jonas.meyer@contoso.com", Layout: screenshare.LayoutSingle, Opacity: 0.1, Gray: 128, Font: "regular", SizePx: 54},
	}
	for i, p := range paths {
		if _, err := os.Stat(p); err == nil {
			continue
		}
		start := time.Now()
		_, err := screenshare.GenerateLong(ctx, dir, 7, screenshare.LongSpec{Name: []string{"long-a", "long-b"}[i],
			Duration: dur, BitrateKbps: []int{2500, 1800}[i], KeyintS: []float64{4, 5}[i], Overlay: overlays[i]})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %s in %s", p, time.Since(start).Round(time.Second))
	}
	a, err := media.Probe(ctx, paths[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := media.Probe(ctx, paths[1])
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := Compare(ctx, a, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compared two %.0f s 1080p copies in %s: flagged %v", dur, time.Since(start).Round(100*time.Millisecond), res.Flagged)
	for _, f := range res.Findings {
		t.Logf("  %s %s %q %v", f.Copy, f.Title, f.Text, f.Region)
	}
}
