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

// TestContentSet: a page the encoder sharpens while it stays on screen is
// one content; another page with text at other places, or the same page
// scrolled by a line, is another; frames less than minContentGap apart are
// one sample whatever they show.
func TestContentSet(t *testing.T) {
	t.Parallel()
	const sw, sh = 120, 60
	r := image.Rect(10, 10, 110, 50)
	// page draws lines of dark "words" (3 px strokes, 2 px gaps) on white,
	// each line's words at random places, the first line at top.
	page := func(seed int64, top int) []float32 {
		rng := rand.New(rand.NewSource(seed))
		p := make([]float32, sw*sh)
		for i := range p {
			p[i] = 235
		}
		for y0 := top; y0+6 < sh; y0 += 12 {
			for x := 0; x < sw; {
				word := 4 + rng.Intn(12)
				for dx := 0; dx < word && x+dx < sw; dx++ {
					if dx%5 < 3 {
						for y := y0; y < y0+6; y++ {
							p[y*sw+x+dx] = 40
						}
					}
				}
				x += word + 3 + rng.Intn(6)
			}
		}
		return p
	}
	// sharpen is an unsharp mask: edges overshoot by amount times the
	// difference to a 3x3 box mean, as a codec's refinement does.
	sharpen := func(p []float32, amount float32) []float32 {
		out := make([]float32, len(p))
		copy(out, p)
		for y := 1; y < sh-1; y++ {
			for x := 1; x < sw-1; x++ {
				var m float32
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						m += p[(y+dy)*sw+x+dx]
					}
				}
				out[y*sw+x] = p[y*sw+x] + amount*(p[y*sw+x]-m/9)
			}
		}
		return out
	}
	// soften is a 3x3 box blur: the page as first coded.
	soften := func(p []float32) []float32 { return sharpen(p, -0.5) }
	bytesOf := func(p []float32) []byte {
		b := make([]byte, len(p))
		for i, v := range p {
			b[i] = byte(math.Round(math.Max(0, math.Min(255, float64(v)))))
		}
		return b
	}
	a := page(1, 2)
	tests := []struct {
		name  string
		pages [][]float32
		times []float64
		want  int
	}{
		{"one page, sharper each second", [][]float32{soften(a), a, sharpen(a, 0.5)}, []float64{0, 1.5, 3}, 1},
		{"three pages", [][]float32{a, page(2, 2), page(3, 2)}, []float64{0, 1.5, 3}, 3},
		{"a page scrolled by half a line", [][]float32{a, page(1, 8)}, []float64{0, 1.5}, 2},
		{"three pages within a second", [][]float32{a, page(2, 2), page(3, 2)}, []float64{0, 0.3, 0.6}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			an := &analysis{sw: sw, sh: sh}
			for k, p := range tc.pages {
				an.small = append(an.small, smallFrame{t: tc.times[k], pix: bytesOf(p)})
			}
			set := newContentSet(an, r)
			var raw []float64
			for k := range an.small {
				set.add(k)
				if k > 0 {
					raw = append(raw, regionDiff(an, k-1, k, r))
				}
			}
			if got := len(set.reps); got != tc.want {
				t.Errorf("%d contents, want %d (differences as sampled %.1f)", got, tc.want, raw)
			}
		})
	}
}
