package video

import (
	"image"
	"math"
	"math/rand"
	"testing"
)

// TestGlyphAgreement: a mark shows the same letters over different
// backgrounds; text at a fixed place (slide titles) shows different letters
// on each slide; one content cannot tell.
func TestGlyphAgreement(t *testing.T) {
	t.Parallel()
	const sw, sh = 80, 40
	rect := image.Rect(20, 10, 140, 60) // analysis pixels: small 10..70 x 5..30
	letters := func(rng *rand.Rand) []float32 {
		p := make([]float32, sw*sh)
		for i := range p {
			if rng.Intn(4) == 0 {
				p[i] = 1
			}
		}
		return p
	}
	tests := []struct {
		name     string
		contents []float32 // background gray of each frame
		same     bool      // one pattern in every frame, else a new one each
		want     string    // "high", "low" or "nan"
	}{
		{"a mark over four contents", []float32{30, 60, 90, 120}, true, "high"},
		{"titles: new words on each slide", []float32{30, 60, 90, 120}, false, "low"},
		{"one content", []float32{40, 40, 40}, true, "nan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(7))
			an := &analysis{sw: sw, sh: sh}
			var hps []smallHP
			var ev []float64
			mark := letters(rng)
			const W, a = 255, 0.2
			for k, bg := range tc.contents {
				p := mark
				if !tc.same {
					p = letters(rng)
				}
				pix := make([]byte, sw*sh)
				f := smallHP{H: make([]float32, sw*sh), B: make([]float32, sw*sh), C: make([]float32, sw*sh)}
				for i := range pix {
					pix[i] = byte(bg)
					f.B[i] = bg
					f.H[i] = a*(W-bg)*p[i] + float32(rng.NormFloat64())*2
				}
				an.small = append(an.small, smallFrame{t: float64(k), pix: pix})
				hps = append(hps, f)
				ev = append(ev, 5)
			}
			g := glyphAgreement(an, hps, blob{rect: rect, W: W}, ev)
			var got string
			switch {
			case math.IsNaN(g):
				got = "nan"
			case g >= minGlyphAgreement:
				got = "high"
			default:
				got = "low"
			}
			if got != tc.want {
				t.Errorf("glyphAgreement = %.3f (%s), want %s", g, got, tc.want)
			}
		})
	}
}
