package video

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"gocv.io/x/gocv"
)

// TestStepFreeEvidence: a page's grey margin that stays while text scrolls
// beside it shows as letters of a grey mark in the blur's background, and
// not in one that keeps to one side of the step; a faint mark across the
// same step shows in both.
func TestStepFreeEvidence(t *testing.T) {
	t.Parallel()
	// Small frames of a 1280-wide analysis: the blur's sigma is 2 here.
	const sw, sh, frames = 640, 120, 8
	const page, margin, edge = 250, 230, 400 // the margin from x = edge on
	// The place looked at, in small pixels, across the step.
	area := image.Rect(edge-12, 40, edge+12, 70)
	// strokes are a mark's letters: bars of a width, ten pixels high,
	// gap pixels apart.
	strokes := func(width, gap int) []image.Point {
		var ps []image.Point
		for x := area.Min.X + 1; x+width <= area.Max.X; x += width + gap {
			for y := area.Min.Y + 10; y < area.Min.Y+20; y++ {
				for dx := range width {
					ps = append(ps, image.Pt(x+dx, y))
				}
			}
		}
		return ps
	}
	// text are the pixels of letters drawn with a stroke thickness.
	text := func(s string, thickness int) []image.Point {
		m := gocv.NewMatWithSize(sh, sw, gocv.MatTypeCV8U)
		defer m.Close()
		gocv.PutText(&m, s, image.Pt(area.Min.X-20, area.Min.Y+20), gocv.FontHersheySimplex, 0.5, color.RGBA{255, 255, 255, 0}, thickness)
		var ps []image.Point
		for y := range sh {
			for x := range sw {
				if m.GetUCharAt(y, x) > 0 {
					ps = append(ps, image.Pt(x, y))
				}
			}
		}
		return ps
	}
	// stepPixels are the darker side of the step next to it: where the
	// blur's background reads a grey mark.
	var stepPixels []image.Point
	for y := area.Min.Y + 5; y < area.Max.Y-5; y++ {
		for x := edge; x < edge+3; x++ {
			stepPixels = append(stepPixels, image.Pt(x, y))
		}
	}
	tests := []struct {
		name      string
		opacity   float64       // of the mark; 0 for none
		mark      []image.Point // its pixels, in small pixels
		letters   []image.Point // the blob's pixels, in small pixels
		wantShown bool          // with the background kept to one side
	}{
		{"the step alone", 0, nil, stepPixels, false},
		{"a mark across the step", 0.12, strokes(2, 3), strokes(2, 3), true},
		{"a faint mark across the step", 0.05, strokes(2, 3), strokes(2, 3), true},
		{"a bold mark across the step", 0.12, strokes(4, 5), strokes(4, 5), true},
		// Bold letters: every quarter holds strokes, and the least
		// varying one, taken as the background, would take the letters
		// away.
		{"bold letters across the step", 0.25, text("srossi@ex", 3), text("srossi@ex", 3), true},
		// Letters that end short of the step: a quarter on the step's
		// far side is plain. (Where letters surround it, no quarter is
		// plain and the step stays part of the mark.)
		{"the step beside a mark", 0.12, leftOf(strokes(2, 3), edge-6), stepPixels, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewSource(3))
			an := &analysis{sw: sw, sh: sh, w: 2 * sw, h: 2 * sh}
			const W = 160
			b := blob{W: W, rect: image.Rect(2*area.Min.X, 2*area.Min.Y+16, 2*area.Max.X, 2*area.Max.Y-16)}
			for _, p := range tc.letters {
				b.mask = append(b.mask, image.Pt(2*p.X, 2*p.Y))
			}
			isMark := map[image.Point]bool{}
			for _, p := range tc.mark {
				isMark[p] = true
			}
			var hps []smallHP
			for k := range frames {
				pix := make([]byte, sw*sh)
				// Text lines scrolling by in the page's column, their ends
				// short of the step by a few pixels.
				shift := 7 * k
				for y := range sh {
					for x := range sw {
						v := float64(page)
						if x >= edge {
							v = margin
						}
						if line := (y + shift) % 14; x < edge-4-(y+shift)/14%3*6 && x > 20 && line >= 4 && line < 10 && (x/9+(y+shift)/14)%5 != 0 {
							v = 40
						}
						if isMark[image.Pt(x, y)] {
							v += tc.opacity * (W - v)
						}
						pix[y*sw+x] = byte(math.Round(max(0, min(255, v+rng.NormFloat64()*1.5))))
					}
				}
				an.small = append(an.small, smallFrame{t: float64(k), pix: pix})
				hps = append(hps, highPassOf(t, pix, sw, sh, sigmaAt(sw)))
			}
			shown := func(ev []float64) int {
				n := 0
				for _, z := range ev {
					if z >= presentZ {
						n++
					}
				}
				return n
			}
			all := make([]int, frames)
			for k := range all {
				all[k] = k
			}
			blur, side := shown(frameEvidence(an, hps, b)), shown(stepFreeEvidence(an, hps, b, all))
			t.Logf("frames shown: blur's background %d, one side's %d", blur, side)
			// Both the step and the mark show with the blur's background:
			// that is what the step-free one must tell apart.
			if blur < frames/2 {
				t.Fatalf("shown in %d frames with the blur's background, want at least %d", blur, frames/2)
			}
			if tc.wantShown && side < blur-1 {
				t.Errorf("shown in %d frames with one side's background, want at least %d", side, blur-1)
			}
			if !tc.wantShown && side > 0 {
				t.Errorf("shown in %d frames with one side's background, want none", side)
			}
		})
	}
}

// leftOf are the points of ps left of x.
func leftOf(ps []image.Point, x int) []image.Point {
	var out []image.Point
	for _, p := range ps {
		if p.X < x {
			out = append(out, p)
		}
	}
	return out
}

// highPassOf is the high-pass at sigma of an 8-bit gray frame, as the
// frames of a clean background have it.
func highPassOf(t *testing.T, pix []byte, w, h int, sigma float64) smallHP {
	t.Helper()
	m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, pix)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(gateReach(sigma, true), gateReach(sigma, true)))
	defer k.Close()
	hp, bg, con := highPass(m, sigma, k, contentGate, true)
	defer hp.Close()
	defer bg.Close()
	defer con.Close()
	return smallHP{H: matFloats(hp), B: matFloats(bg), C: matFloats(con)}
}

// TestStepFreeEvidenceThinBlob: a blob one pixel high has letter pixels
// just outside the place its evidence is read in (the rounding to small
// pixels); they are left out rather than read out of bounds.
func TestStepFreeEvidenceThinBlob(t *testing.T) {
	t.Parallel()
	const sw, sh = 40, 20
	pix := make([]byte, sw*sh)
	for i := range pix {
		pix[i] = 200
	}
	an := &analysis{sw: sw, sh: sh, w: 2 * sw, h: 2 * sh, small: []smallFrame{{pix: pix}}}
	hps := []smallHP{highPassOf(t, pix, sw, sh, sigmaAt(sw))}
	b := blob{W: 128, rect: image.Rect(21, 10, 31, 11), mask: []image.Point{{30, 10}}}
	for _, z := range stepFreeEvidence(an, hps, b, []int{0}) {
		if !math.IsNaN(z) {
			t.Errorf("evidence %v from no letter pixel, want NaN", z)
		}
	}
}
