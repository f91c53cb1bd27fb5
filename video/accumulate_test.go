package video

import (
	"image"
	"math"
	"testing"

	"gocv.io/x/gocv"
)

// TestBackgroundKeepsEdges checks the high-pass against what it is for:
// the edge of large content (a page border, a bar) must leave no residue,
// since a persistent residue there reads as an overlay, while strokes as
// wide as a bold letter's must come through at full strength.
func TestBackgroundKeepsEdges(t *testing.T) {
	const w, h = 320, 180
	tests := []struct {
		name string
		draw func(pix []byte)
		// at is where H is measured, want its value, within tol.
		at        []int // x positions on the middle row
		want, tol float64
	}{
		{
			name: "page edge, 25 levels",
			draw: func(pix []byte) {
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						pix[y*w+x] = 230
						if x >= w/2 {
							pix[y*w+x] = 255
						}
					}
				}
			},
			// The shrunk median puts the step between two pixels
			// (about half of it each side); beyond them nothing stays. A
			// Gaussian background (sigma 4) left 2-7 levels up to 6 pixels
			// each side, and kept only a third of the bold stroke below.
			at: []int{w/2 - 12, w/2 - 6, w/2 - 3, w/2 + 2, w/2 + 5, w/2 + 11}, want: 0, tol: 2,
		},
		{
			name: "page edge, right at the step",
			draw: func(pix []byte) {
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						pix[y*w+x] = 230
						if x >= w/2 {
							pix[y*w+x] = 255
						}
					}
				}
			},
			at: []int{w/2 - 1, w / 2}, want: 0, tol: 12.5,
		},
		{
			name: "bold stroke, 8 px wide, 30 levels",
			draw: func(pix []byte) {
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						pix[y*w+x] = 100
						if x >= w/2-4 && x < w/2+4 {
							pix[y*w+x] = 130
						}
					}
				}
			},
			at: []int{w/2 - 2, w / 2, w/2 + 1}, want: 30, tol: 4,
		},
	}
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(gateReach(highPassSigma), gateReach(highPassSigma)))
	defer k.Close()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pix := make([]byte, w*h)
			tc.draw(pix)
			m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, pix)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			hp, bg, con := highPass(m, highPassSigma, k)
			defer hp.Close()
			defer bg.Close()
			defer con.Close()
			H := matFloats(hp)
			for _, x := range tc.at {
				if v := float64(H[(h/2)*w+x]); math.Abs(v-tc.want) > tc.tol {
					t.Errorf("H at x=%d is %.1f, want %.0f ± %.0f", x, v, tc.want, tc.tol)
				}
			}
		})
	}
}
