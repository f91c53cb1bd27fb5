package media

import (
	"context"
	"math"
	"path/filepath"
	"testing"
)

// TestFramesAt: the frame read again at a sampled frame's time is that
// frame (testsrc2 changes in every frame), from a file with one key frame
// (each seek decodes from the start) and at the sampled size.
func TestFramesAt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "moving.mp4")
	encodeH264(t, "testsrc2=s=640x360:r=10:d=6", path, "-g", "1000", "-x264-params", "scenecut=0")
	ctx := context.Background()
	info, err := Probe(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	opt := FrameOptions{MaxFrames: 100, MaxWidth: 320, Gray: true, DuplicateThreshold: -1}
	var sampled []Frame
	if _, err := SampleFrames(ctx, info, opt, func(f Frame) error {
		sampled = append(sampled, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(sampled) < 20 {
		t.Fatalf("%d frames sampled", len(sampled))
	}
	pick := []int{3, len(sampled) / 2, len(sampled) - 2}
	var times []float64
	for _, k := range pick {
		times = append(times, sampled[k].Time)
	}
	got, err := FramesAt(ctx, info, times, opt)
	if err != nil {
		t.Fatal(err)
	}
	diff := func(a, b []byte) float64 {
		var s float64
		for i := range a {
			s += math.Abs(float64(a[i]) - float64(b[i]))
		}
		return s / float64(len(a))
	}
	for i, k := range pick {
		f := got[i]
		if f.Width != 320 || f.Height != 180 || len(f.Pix) != 320*180 {
			t.Fatalf("frame %dx%d, %d bytes", f.Width, f.Height, len(f.Pix))
		}
		same, other := diff(f.Pix, sampled[k].Pix), diff(f.Pix, sampled[k-2].Pix)
		if same > 1 || other < 3*same+1 {
			t.Errorf("at %.2f s: %.2f from the sampled frame, %.2f from the one before it", times[i], same, other)
		}
	}
	if _, err := FramesAt(ctx, info, []float64{60}, opt); err == nil {
		t.Error("no error for a time past the end")
	}
}
