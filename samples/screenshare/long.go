package screenshare

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// LongSpec describes a long recording for benchmarks: a few distinct scenes
// shown in turn, encoded fast. Frames are not piped from Go (ten minutes of
// 1080p30 raw video is over 100 GB); ffmpeg repeats still images instead.
type LongSpec struct {
	Name          string
	Width, Height int     // default 1920x1080
	FPS           int     // default 30
	Duration      float64 // seconds, default 600
	Scenes        int     // distinct scenes, default 24
	KeyintS       float64 // default 4
	BitrateKbps   int     // default 2500
	Overlay       *Overlay
}

// GenerateLong writes a long screen recording into dir and returns its
// label. Scenes last Duration/Scenes seconds each.
func GenerateLong(ctx context.Context, dir string, seed int64, spec LongSpec) (Label, error) {
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("long-%d", seed)
	}
	if spec.Width == 0 || spec.Height == 0 {
		spec.Width, spec.Height = 1920, 1080
	}
	if spec.FPS == 0 {
		spec.FPS = 30
	}
	if spec.Duration == 0 {
		spec.Duration = 600
	}
	if spec.Scenes == 0 {
		spec.Scenes = 24
	}
	if spec.KeyintS == 0 {
		spec.KeyintS = 4
	}
	if spec.BitrateKbps == 0 {
		spec.BitrateKbps = 2500
	}
	w, h := spec.Width, spec.Height
	r := rand.New(rand.NewSource(seed))
	lbl := Label{Path: filepath.Join(dir, spec.Name+".mp4"), Seed: seed,
		Spec: Spec{Name: spec.Name, Width: w, Height: h, FPS: spec.FPS, Duration: spec.Duration,
			BitrateKbps: spec.BitrateKbps, KeyintS: spec.KeyintS, Overlay: spec.Overlay}}
	var cov *coverage
	if o := spec.Overlay; o != nil {
		// The long recording shows its overlay throughout.
		var err error
		if cov, err = labelOverlay(&lbl, o, w, h, 0, spec.Duration); err != nil {
			return lbl, err
		}
	}
	tmp, err := os.MkdirTemp(dir, "scenes-")
	if err != nil {
		return lbl, err
	}
	defer os.RemoveAll(tmp)
	var list strings.Builder
	per := spec.Duration / float64(spec.Scenes)
	kinds := []string{SceneSlideDark, SceneSlideLight, SceneDocument, SceneSpreadsheet, SceneCode, ScenePhoto}
	var last string
	for i := 0; i < spec.Scenes; i++ {
		img, err := renderScene(r, kinds[r.Intn(len(kinds))], w, h)
		if err != nil {
			return lbl, err
		}
		if cov != nil {
			blendRGBA(img, cov, spec.Overlay.Opacity, spec.Overlay.Gray)
		}
		name := filepath.Join(tmp, fmt.Sprintf("s%03d.png", i))
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
			return lbl, err
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return lbl, err
		}
		fmt.Fprintf(&list, "file '%s'\nduration %.3f\n", name, per)
		last = name
	}
	// The concat demuxer ignores the last duration unless the file repeats.
	fmt.Fprintf(&list, "file '%s'\n", last)
	listPath := filepath.Join(tmp, "list.txt")
	if err := os.WriteFile(listPath, []byte(list.String()), 0o644); err != nil {
		return lbl, err
	}
	keyint := max(1, int(spec.KeyintS*float64(spec.FPS)+0.5))
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
		"-f", "concat", "-safe", "0", "-i", listPath,
		"-vf", fmt.Sprintf("fps=%d,format=yuv420p", spec.FPS), "-t", fmt.Sprint(spec.Duration),
		"-c:v", "libx264", "-preset", "ultrafast", "-b:v", fmt.Sprintf("%dk", spec.BitrateKbps),
		"-g", fmt.Sprint(keyint), "-keyint_min", fmt.Sprint(keyint), "-sc_threshold", "0",
		"-movflags", "+faststart", lbl.Path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return lbl, fmt.Errorf("ffmpeg encode: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return lbl, nil
}

// blendRGBA mixes the overlay into an RGBA image.
func blendRGBA(img *image.RGBA, c *coverage, opacity float64, gray uint8) {
	g := float64(gray)
	for _, i := range c.idx {
		a := opacity * float64(c.alpha[i]) / 255
		p := img.Pix[int(i)*4 : int(i)*4+3]
		for k := range p {
			p[k] = uint8(a*g + (1-a)*float64(p[k]) + 0.5)
		}
	}
}
