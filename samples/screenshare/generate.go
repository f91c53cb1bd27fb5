// Package screenshare generates labelled synthetic screen-share recordings:
// slides, documents, spreadsheets, code and scrolling pages that change every
// few seconds, optionally under a semi-transparent text watermark (the
// viewer's email, as Zoom, Teams, Webex and Meet draw it) and with static UI
// (logo, clock, toolbar, name label, stamp) as hard negatives. Frames are
// rendered in Go and encoded to H.264 by ffmpeg.
package screenshare

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"math/rand"
	"os/exec"
	"path/filepath"
)

// Spec describes one video.
type Spec struct {
	Name          string // file name without extension; default "ss-<seed>"
	Width, Height int    // default 1280x720
	FPS           int    // default 15
	Duration      float64
	BitrateKbps   int     // default 1000
	KeyintS       float64 // seconds between key frames; default 2
	// Scenes restricts the scene kinds; empty means all.
	Scenes []string
	// SceneS is the mean scene length in seconds (default 3).
	SceneS  float64
	Overlay *Overlay
	Statics []Static
}

// Region is a rectangle in video pixels.
type Region struct{ X, Y, W, H int }

// Label is the truth about a generated video.
type Label struct {
	Path string
	Seed int64
	Spec Spec
	// Positive is true when a watermark overlay is drawn.
	Positive bool
	Text     string // the overlay text
	// Identity is the identity the overlay carries (an email or local part).
	Identity string
	Layout   string
	Opacity  float64
	Region   Region // bounding box of the overlay in video pixels
	Start    float64
	End      float64
	// StaticRegions are the static elements' boxes by kind.
	StaticRegions map[string]Region
}

func (s *Spec) defaults(seed int64) {
	if s.Name == "" {
		s.Name = fmt.Sprintf("ss-%d", seed)
	}
	if s.Width == 0 || s.Height == 0 {
		s.Width, s.Height = 1280, 720
	}
	if s.FPS == 0 {
		s.FPS = 15
	}
	if s.Duration == 0 {
		s.Duration = 24
	}
	if s.BitrateKbps == 0 {
		s.BitrateKbps = 1000
	}
	if s.KeyintS == 0 {
		s.KeyintS = 2
	}
	if s.SceneS == 0 {
		s.SceneS = 3
	}
	if len(s.Scenes) == 0 {
		s.Scenes = sceneKinds
	}
}

// Generate renders the video described by spec into dir and returns its
// label. The same seed and spec give the same frames.
func Generate(ctx context.Context, dir string, seed int64, spec Spec) (Label, error) {
	spec.defaults(seed)
	r := rand.New(rand.NewSource(seed))
	w, h := spec.Width, spec.Height
	lbl := Label{Path: filepath.Join(dir, spec.Name+".mp4"), Seed: seed, Spec: spec,
		StaticRegions: map[string]Region{}}

	var cov *coverage
	if o := spec.Overlay; o != nil {
		end := o.End
		if end <= 0 || end > spec.Duration {
			end = spec.Duration
		}
		var err error
		if cov, err = labelOverlay(&lbl, o, w, h, o.Start, end); err != nil {
			return lbl, err
		}
	}
	statics, err := newStaticLayer(spec.Statics, w, h)
	if err != nil {
		return lbl, err
	}
	for _, it := range spec.Statics {
		b := statics.region(it)
		lbl.StaticRegions[it.Kind] = Region{b.Min.X, b.Min.Y, b.Dx(), b.Dy()}
	}

	// Scenes over the duration.
	var scenes []scene
	for t := 0.0; t < spec.Duration; {
		d := spec.SceneS * (0.6 + 0.8*r.Float64())
		kind := spec.Scenes[r.Intn(len(spec.Scenes))]
		img, err := renderScene(r, kind, w, h)
		if err != nil {
			return lbl, err
		}
		scenes = append(scenes, scene{kind: kind, start: t, end: t + d, img: img})
		t += d
	}

	keyint := max(1, int(spec.KeyintS*float64(spec.FPS)+0.5))
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", w, h),
		"-r", fmt.Sprint(spec.FPS), "-i", "pipe:0",
		"-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage",
		// One thread: with the rate buffer (maxrate/bufsize) x264's
		// threaded rate control differs from run to run; single-threaded,
		// a seed gives the same video every time.
		"-threads", "1",
		"-b:v", fmt.Sprintf("%dk", spec.BitrateKbps),
		"-maxrate", fmt.Sprintf("%dk", spec.BitrateKbps*3/2), "-bufsize", fmt.Sprintf("%dk", spec.BitrateKbps*2),
		"-g", fmt.Sprint(keyint), "-keyint_min", fmt.Sprint(keyint), "-sc_threshold", "0",
		"-pix_fmt", "yuv420p", "-movflags", "+faststart", lbl.Path}
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return lbl, err
	}
	if err := cmd.Start(); err != nil {
		return lbl, fmt.Errorf("starting ffmpeg: %w", err)
	}
	bw := bufio.NewWriterSize(stdin, 1<<20)
	werr := writeFrames(ctx, bw, spec, scenes, statics, cov, lbl)
	if werr == nil {
		werr = bw.Flush()
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return lbl, fmt.Errorf("ffmpeg encode: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	if werr != nil {
		return lbl, fmt.Errorf("writing frames: %w", werr)
	}
	return lbl, nil
}

type byteWriter interface{ Write([]byte) (int, error) }

// writeFrames renders every frame; identical consecutive frames reuse the
// previous buffer so that static stretches cost nothing.
func writeFrames(ctx context.Context, out byteWriter, spec Spec, scenes []scene, statics *staticLayer,
	cov *coverage, lbl Label) error {
	w, h := spec.Width, spec.Height
	n := int(spec.Duration * float64(spec.FPS))
	frame := image.NewRGBA(image.Rect(0, 0, w, h))
	buf := make([]byte, w*h*3)
	type state struct {
		scene, scroll, clock int
		wm                   bool
	}
	prev := state{scene: -1}
	si := 0
	hasClock := false
	for _, it := range spec.Statics {
		hasClock = hasClock || it.Kind == StaticClock
	}
	for i := 0; i < n; i++ {
		if i%30 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		t := float64(i) / float64(spec.FPS)
		for si < len(scenes)-1 && t >= scenes[si].end {
			si++
		}
		sc := scenes[si]
		st := state{scene: si, wm: cov != nil && t >= lbl.Start && t < lbl.End}
		if sc.img.Bounds().Dy() > h {
			// Scroll during the middle of the scene, like someone reading.
			f := (t - sc.start) / (sc.end - sc.start)
			f = min(1, max(0, (f-0.2)/0.6))
			st.scroll = int(f * float64(sc.img.Bounds().Dy()-h))
		}
		if hasClock {
			st.clock = int(t)
		}
		if st != prev {
			copy(frame.Pix, sc.img.Pix[st.scroll*sc.img.Stride:st.scroll*sc.img.Stride+h*frame.Stride])
			if err := statics.draw(frame, t); err != nil {
				return err
			}
			for p, q := 0, 0; p < len(frame.Pix); p, q = p+4, q+3 {
				buf[q], buf[q+1], buf[q+2] = frame.Pix[p], frame.Pix[p+1], frame.Pix[p+2]
			}
			if statics.stamp != nil {
				for _, it := range statics.items {
					if it.translucent() {
						statics.stamp.blend(buf, it.Opacity, 60)
					}
				}
			}
			if st.wm {
				cov.blend(buf, spec.Overlay.Opacity, spec.Overlay.Gray)
			}
			prev = st
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// labelOverlay renders the overlay's coverage and records its truth (text,
// layout, opacity, region, time range) in the label.
func labelOverlay(lbl *Label, o *Overlay, w, h int, start, end float64) (*coverage, error) {
	cov, err := overlayCoverage(o, w, h)
	if err != nil {
		return nil, err
	}
	b := cov.bounds()
	lbl.Positive, lbl.Text, lbl.Layout, lbl.Opacity = true, o.Text, o.Layout, o.Opacity
	lbl.Region = Region{b.Min.X, b.Min.Y, b.Dx(), b.Dy()}
	lbl.Start, lbl.End, lbl.Identity = start, end, primaryIdentity(o.Text)
	return cov, nil
}
