package video

import (
	"math"
	"testing"
)

// TestMatteNearContent: a mark's stroke a few pixels from dark text in
// every frame is shut by the content gate in all of them, so the evidence
// maps and the gated matte hold nothing there; the filled matte takes
// those frames, and gets the stroke's opacity about as a stroke far from
// content does.
func TestMatteNearContent(t *testing.T) {
	const w, h = 800, 80
	const sigma = 4.0
	const opacity, W = 0.2, 128
	acc := newAccumulator(w, h, sigma, contentGate)
	defer acc.Close()
	const nearX, farX = 59, 400 // the text's last stroke ends at x = 57
	for _, page := range []float64{255, 245, 235, 250, 240, 230} {
		pix := make([]byte, w*h)
		for i := range pix {
			pix[i] = byte(page)
		}
		for y := 20; y < 60; y++ {
			for x := 30; x < 62; x++ {
				if (x-30)%8 < 4 {
					pix[y*w+x] = 0
				}
			}
			for _, mx := range []int{nearX, farX} {
				for x := mx; x < mx+3; x++ {
					pix[y*w+x] = byte(math.Round(page - opacity*(page-W)))
				}
			}
		}
		if err := acc.add(pix); err != nil {
			t.Fatal(err)
		}
	}
	near, far := 40*w+nearX+1, 40*w+farX+1
	if acc.n[near] >= 3 {
		t.Fatalf("the gate left %v frames open next to the text, want fewer than 3", acc.n[near])
	}
	if z := acc.zMap(textColourIndex(t, W)); z[near] != 0 {
		t.Errorf("evidence next to the text %.2f, want none", z[near])
	}
	m := acc.filledMatte(W)
	if gated := acc.matte(W); gated[near] != 0 {
		t.Errorf("gated matte next to the text %.3f, want none", gated[near])
	}
	if m[far] <= 0 {
		t.Fatalf("matte far from the text %.3f, want positive", m[far])
	}
	if r := m[near] / m[far]; r < 0.7 || r > 1.3 {
		t.Errorf("matte next to the text %.3f, far from it %.3f: want within 30 %%", m[near], m[far])
	}
	// Where no mark is, next to the text, the matte stays near zero.
	if v := m[40*w+64]; math.Abs(float64(v)) > 0.3*float64(m[far]) {
		t.Errorf("matte on the page next to the text %.3f, want about 0", v)
	}
}

// textColourIndex is the index of colour W in textColours.
func textColourIndex(t *testing.T, W float32) int {
	t.Helper()
	for k, c := range textColours {
		if c == W {
			return k
		}
	}
	t.Fatalf("no text colour %v", W)
	return -1
}
