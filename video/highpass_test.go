package video

import (
	"math"
	"testing"
)

// TestHighPassNearContent: a faint mark stroke a few pixels from dark text
// keeps its contrast in H and stays below the content gate, while the text
// itself is gated. A plain blur of the frame is darkened by the text, which
// would shift H at the mark by more than the mark's own contrast.
func TestHighPassNearContent(t *testing.T) {
	// A strip of a 1280-wide frame (sigma 4 is its high-pass scale): a
	// narrower frame would make the mark's 40-pixel stroke one of its
	// long straight lines, which are shut (gateRules).
	const w, h = 1280, 80
	const sigma = 4.0
	const page, opacity, W = 255, 0.1, 128
	markLevel := byte(math.Round(page - opacity*(page-W)))
	cases := []struct {
		name string
		gap  int // pixels between the text and the mark
	}{
		{"mark 8 px from text", 8},
		{"mark 12 px from text", 12},
		{"mark alone", 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pix := make([]byte, w*h)
			for i := range pix {
				pix[i] = page
			}
			// Dark text: a block of 4 px strokes, 4 px apart.
			for y := 20; y < 60; y++ {
				for x := 30; x < 62; x++ {
					if (x-30)%8 < 4 {
						pix[y*w+x] = 0
					}
				}
			}
			// The mark: a 3 px stroke, tc.gap pixels right of the text.
			mx := 62 + tc.gap
			for y := 20; y < 60; y++ {
				for x := mx; x < mx+3; x++ {
					pix[y*w+x] = markLevel
				}
			}
			f := highPassOf(t, pix, w, h, sigma)
			H, B, C := f.H, f.B, f.C
			at := 40*w + mx + 1
			if C[at] > contentGate {
				t.Errorf("mark pixel gated: contrast %.1f > %d", C[at], contentGate)
			}
			if C[40*w+34] <= contentGate {
				t.Errorf("text pixel not gated: contrast %.1f", C[40*w+34])
			}
			// H at the mark is its contrast against the page, less what the
			// blur of the thin stroke itself takes.
			want := float64(markLevel) - page
			if got := float64(H[at]); got > want*0.5 || got < want*1.2 {
				t.Errorf("H at the mark %.2f, want about %.2f (background %.1f)", got, want, B[at])
			}
			// The page between the text and the mark is not the text's
			// shadow.
			if tc.gap >= 8 {
				mid := 40*w + 62 + tc.gap/2
				if C[mid] <= contentGate && math.Abs(float64(H[mid])) > 4 {
					t.Errorf("page next to the text: H %.2f", H[mid])
				}
			}
		})
	}
}

func TestShowsTable(t *testing.T) {
	t.Parallel()
	// The lookup must say what the comparisons say, at and between
	// whole levels and outside 0-255.
	for _, b := range []float32{-1e4, -40.5, -0.25, 0, 0.5, 39.75, 40, 40.25, 128, 199.999, 200, 200.001, 229.5, 230, 250, 254.9, 255, 255.5, 300} {
		var want uint64
		for k, W := range textColours {
			c := contrastFor(W, infoContrast)
			if b < W-c || b > W+c {
				want |= 1 << (infoBits * k)
			}
		}
		if got := showsTable.of(b); got != want {
			t.Errorf("background %v: shows %b, want %b", b, got, want)
		}
	}
}
