package screenshare

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
)

// Kinds of generated copy pairs.
const (
	// PairPositive: two viewers' copies of one meeting, each under its own
	// visible mark, encoded differently.
	PairPositive = "positive"
	// PairNegative: one clean recording encoded two ways.
	PairNegative = "negative"
	// PairStatic: one clean recording with identical static UI (logo, name
	// label) in both copies, encoded two ways.
	PairStatic = "static"
	// PairDifferent: copies of two different meetings.
	PairDifferent = "different"
)

// PairSpec describes a pair of copies. Zero values are drawn from the seed.
type PairSpec struct {
	Kind     string  // one of the Pair* kinds; default PairPositive
	Duration float64 // seconds of each copy; default 12-18 s from the seed
	// Opacity of both marks when positive; 0 draws each from 0.05-0.3.
	Opacity float64
	// Layout of both marks when positive; empty draws each from the seed.
	Layout string
}

// Encoding is how one copy was encoded from the shared source.
type Encoding struct {
	Width, Height int
	FPS           int
	BitrateKbps   int
	KeyintS       float64
	// Crop is the border removed from the source (in source pixels) before
	// scaling, as a window capture that misses a few pixels.
	CropX, CropY int
	// StartS is the source time of the copy's first frame.
	StartS float64
}

// CopyLabel is the truth about one copy.
type CopyLabel struct {
	Path     string
	Encoding Encoding
	// Text is the mark's text ("" when the copy is clean), Identity what a
	// reader must recover from it.
	Text     string
	Identity string
	Layout   string
	Opacity  float64
	Region   Region // the mark's bounding box in this copy's pixels
}

// PairLabel is the truth about a generated pair.
type PairLabel struct {
	Seed int64
	Kind string
	A, B CopyLabel
	// Positive is true when the copies carry different marks.
	Positive bool
	// SameMeeting is false for PairDifferent.
	SameMeeting bool
	// OffsetS is the time in B of A's t=0; Scale is B pixels per A pixel
	// (horizontally). Both are meaningful only for the same meeting.
	OffsetS float64
	Scale   float64
	// Statics lists the static UI drawn in both copies.
	Statics []string
}

// Name is a short description of the pair for tables.
func (p PairLabel) Name() string {
	e := func(c CopyLabel) string {
		return fmt.Sprintf("%dp%d/%dk", c.Encoding.Height, c.Encoding.FPS, c.Encoding.BitrateKbps)
	}
	s := fmt.Sprintf("%s-%d %s vs %s", p.Kind, p.Seed, e(p.A), e(p.B))
	if p.Positive {
		s += fmt.Sprintf(" %s/%.2f+%s/%.2f", p.A.Layout, p.A.Opacity, p.B.Layout, p.B.Opacity)
	}
	return s
}

// sourceW and sourceH are the size the shared screen is rendered at; each
// copy is scaled from it, as each viewer's client records the same share.
const sourceW, sourceH = 1280, 720

var copyEncodings = []struct{ w, h int }{{1280, 720}, {960, 540}, {854, 480}, {1024, 576}}

// GeneratePair writes two copies of one meeting recording into dir (files
// <kind>-<seed>-a.mp4 and -b.mp4). The content of both comes from the same
// seed, so the copies differ only by their marks and their encoding. The
// same seed and spec give the same pair.
func GeneratePair(ctx context.Context, dir string, seed int64, spec PairSpec) (PairLabel, error) {
	if spec.Kind == "" {
		spec.Kind = PairPositive
	}
	r := rand.New(rand.NewSource(seed*104729 + 17))
	lbl := PairLabel{Seed: seed, Kind: spec.Kind, SameMeeting: spec.Kind != PairDifferent, Positive: spec.Kind == PairPositive}
	dur := spec.Duration
	if dur <= 0 {
		dur = float64(12 + r.Intn(7))
	}
	encA, encB := randomEncodings(r)
	// One copy starts a little later: its recording began after the other's.
	lead := 1 + 3*r.Float64()
	if r.Intn(2) == 0 {
		encA.StartS = lead
	} else {
		encB.StartS = lead
	}
	lbl.OffsetS = encA.StartS - encB.StartS
	lbl.Scale = float64(encB.Width) / float64(sourceW-2*encB.CropX) * float64(sourceW-2*encA.CropX) / float64(encA.Width)

	base := Spec{Width: sourceW, Height: sourceH, FPS: 15, Duration: dur + lead + 0.5,
		BitrateKbps: 5000, KeyintS: 1, SceneS: 2.5 + r.Float64()*1.5}
	switch spec.Kind {
	case PairStatic:
		base.Statics = []Static{{Kind: StaticLogo}, {Kind: StaticNameLabel, Text: "Anna Schmidt"}}
		if r.Intn(2) == 0 {
			base.Statics = append(base.Statics, Static{Kind: StaticToolbar})
		}
	case PairPositive, PairNegative:
		if r.Intn(4) == 0 {
			base.Statics = []Static{{Kind: StaticToolbar}}
		}
	case PairDifferent:
	default:
		return lbl, fmt.Errorf("unknown pair kind %q", spec.Kind)
	}
	for _, s := range base.Statics {
		lbl.Statics = append(lbl.Statics, s.Kind)
	}
	var ovA, ovB *Overlay
	if spec.Kind == PairPositive {
		ovA = randomPairOverlay(r, spec)
		ovB = randomPairOverlay(r, spec)
		for primaryIdentity(ovB.Text) == primaryIdentity(ovA.Text) {
			ovB.Text = RandomOverlayText(r)
		}
	}

	tmp, err := os.MkdirTemp(dir, "pair-src-")
	if err != nil {
		return lbl, err
	}
	defer os.RemoveAll(tmp)
	contentSeed := seed
	render := func(name string, s int64, ov *Overlay) (Label, error) {
		sp := base
		sp.Name, sp.Overlay = name, ov
		return Generate(ctx, tmp, s, sp)
	}
	srcA, err := render("src-a", contentSeed, ovA)
	if err != nil {
		return lbl, err
	}
	srcB := srcA
	switch {
	case spec.Kind == PairDifferent:
		if srcB, err = render("src-b", contentSeed+1_000_003, nil); err != nil {
			return lbl, err
		}
	case ovB != nil:
		if srcB, err = render("src-b", contentSeed, ovB); err != nil {
			return lbl, err
		}
	}
	prefix := filepath.Join(dir, fmt.Sprintf("%s-%d", spec.Kind, seed))
	lbl.A, err = encodeCopy(ctx, srcA, prefix+"-a.mp4", encA, dur)
	if err != nil {
		return lbl, err
	}
	lbl.B, err = encodeCopy(ctx, srcB, prefix+"-b.mp4", encB, dur)
	if err != nil {
		return lbl, err
	}
	return lbl, nil
}

// randomEncodings draws two different encodings of the source.
func randomEncodings(r *rand.Rand) (Encoding, Encoding) {
	fps := []int{10, 15, 25, 30}
	pick := func() Encoding {
		e := copyEncodings[r.Intn(len(copyEncodings))]
		return Encoding{Width: e.w, Height: e.h, FPS: fps[r.Intn(len(fps))],
			BitrateKbps: 500 + 100*r.Intn(11), KeyintS: float64(1 + r.Intn(4))}
	}
	a, b := pick(), pick()
	for b.Width == a.Width && b.BitrateKbps == a.BitrateKbps {
		b = pick()
	}
	// A window capture that misses a few pixels on each side.
	if r.Intn(2) == 0 {
		b.CropX = 2 + r.Intn(7)
		b.CropY = b.CropX * sourceH / sourceW
	}
	return a, b
}

// randomPairOverlay draws one viewer's mark as the platforms draw them.
func randomPairOverlay(r *rand.Rand, spec PairSpec) *Overlay {
	o := &Overlay{
		Text:    RandomOverlayText(r),
		Opacity: 0.05 + 0.25*r.Float64(),
		Gray:    []uint8{240, 200, 160, 128, 96}[r.Intn(5)],
		Font:    Fonts[r.Intn(len(Fonts))],
	}
	if spec.Opacity > 0 {
		o.Opacity = spec.Opacity
	}
	layout := spec.Layout
	if layout == "" {
		layout = []string{LayoutSingle, LayoutTiled, LayoutDiagonal}[r.Intn(3)]
	}
	switch layout {
	case LayoutSingle:
		o.Layout, o.SizePx = LayoutSingle, 36+float64(r.Intn(20))
	case LayoutTiled:
		o.Layout, o.SizePx = LayoutTiled, 24+float64(r.Intn(10))
	default:
		o.Layout, o.SizePx = LayoutDiagonal, 34+float64(r.Intn(16))
		o.AngleDeg = 20 + float64(r.Intn(26))
	}
	return o
}

// encodeCopy cuts, crops, scales and re-encodes one copy from its source.
func encodeCopy(ctx context.Context, src Label, path string, e Encoding, dur float64) (CopyLabel, error) {
	c := CopyLabel{Path: path, Encoding: e}
	if src.Positive {
		c.Text, c.Identity, c.Layout, c.Opacity = src.Text, src.Identity, src.Layout, src.Opacity
		sx := float64(e.Width) / float64(sourceW-2*e.CropX)
		sy := float64(e.Height) / float64(sourceH-2*e.CropY)
		g := src.Region
		c.Region = Region{X: int(float64(g.X-e.CropX) * sx), Y: int(float64(g.Y-e.CropY) * sy),
			W: int(float64(g.W) * sx), H: int(float64(g.H) * sy)}
	}
	keyint := max(1, int(e.KeyintS*float64(e.FPS)+0.5))
	vf := fmt.Sprintf("crop=%d:%d:%d:%d,scale=%d:%d:flags=bicubic,fps=%d,format=yuv420p",
		sourceW-2*e.CropX, sourceH-2*e.CropY, e.CropX, e.CropY, e.Width, e.Height, e.FPS)
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
		"-ss", fmt.Sprintf("%.3f", e.StartS), "-i", src.Path, "-t", fmt.Sprintf("%.3f", dur),
		// One thread, so that a seed gives the same video (see Generate).
		"-vf", vf, "-c:v", "libx264", "-preset", "veryfast", "-threads", "1",
		"-b:v", fmt.Sprintf("%dk", e.BitrateKbps), "-maxrate", fmt.Sprintf("%dk", e.BitrateKbps*3/2),
		"-bufsize", fmt.Sprintf("%dk", e.BitrateKbps*2),
		"-g", fmt.Sprint(keyint), "-keyint_min", fmt.Sprint(keyint), "-sc_threshold", "0",
		"-movflags", "+faststart", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return c, fmt.Errorf("ffmpeg encode %s: %w: %s", filepath.Base(path), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return c, nil
}
