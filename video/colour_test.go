package video

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFitColour(t *testing.T) {
	t.Parallel()
	dark := []float32{30, 60, 250, 245, 235, 255}    // a dark slide or two among white pages
	mixed := []float32{20, 90, 150, 200, 240, 255}   // every kind of page
	white := []float32{250, 250, 250, 250, 250, 250} // one background: no colour can be told
	tests := []struct {
		name      string
		truth, W0 float32 // the mark's grey, the detector's colour
		opacity   float32
		bgs       []float32
		want      float32 // the grey read, within colourStep*2
	}{
		{"light grey read as 200", 240, 200, 0.3, dark, 240},
		{"grey 160 read as 200", 160, 200, 0.2, mixed, 160},
		{"grey 160 read as 128", 160, 128, 0.2, mixed, 160},
		{"grey 96 read as 128", 96, 128, 0.12, mixed, 96},
		{"right already", 200, 200, 0.2, mixed, 200},
		{"one background keeps the detector's", 160, 200, 0.2, white, 200},
		{"no mark keeps the detector's", 160, 200, 0, mixed, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, uint64(tc.truth)))
			const pixels = 400
			s := newRegSums(pixels)
			H, B, C := make([]float32, pixels), make([]float32, pixels), make([]float32, pixels)
			for _, b := range tc.bgs {
				for i := range H {
					B[i] = b
					// Codec noise of 1.5 levels on each frame's high-pass.
					H[i] = tc.opacity*(tc.truth-b) + float32(rng.NormFloat64()*1.5)
				}
				s.add(H, B, C, contentGate)
			}
			pix := make([]int, pixels)
			for i := range pix {
				pix[i] = i
			}
			if got := s.fitColour(pix, tc.W0); math.Abs(float64(got-tc.want)) > 2*colourStep {
				t.Errorf("fitColour = %v, want %v", got, tc.want)
			}
		})
	}
}
