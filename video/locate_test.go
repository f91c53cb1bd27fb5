package video

import (
	"image"
	"math/rand"
	"testing"

	"tracescan/samples/screenshare"
)

// TestFindBlobsFewFrames: a near-white mark over a recording of white
// pages shows only in its few dark frames. Its letters correlate there as
// well as any mark's, but its z, scaled by the square root of those few
// frames' independent samples, stays under the bar: the correlation map
// finds it. Without the mark, the same frames give no blob there.
func TestFindBlobsFewFrames(t *testing.T) {
	t.Parallel()
	const w, h = 1280, 720
	mark, box, err := screenshare.RenderText("regular", 40, "anna.meyer@example.com")
	if err != nil {
		t.Fatal(err)
	}
	at := image.Pt(420, 330) // where the mark's image goes
	where := box.Add(at)
	// A page: background, lines of "text" of its own (away from the mark),
	// and the frame's noise.
	page := func(scene int, bg float64, noise *rand.Rand) []byte {
		rng := rand.New(rand.NewSource(int64(scene)))
		pix := make([]byte, w*h)
		for i := range pix {
			pix[i] = byte(min(255, max(0, bg+noise.NormFloat64())))
		}
		for l := 0; l < 8; l++ {
			y := 40 + rng.Intn(200)
			if l%2 == 1 {
				y += 440
			}
			x0 := 60 + rng.Intn(400)
			for x := x0; x < x0+300; x++ {
				if rng.Intn(3) > 0 {
					for dy := 0; dy < 10; dy++ {
						pix[(y+dy)*w+x] = byte(255 - bg/2)
					}
				}
			}
		}
		return pix
	}
	for _, tc := range []struct {
		name string
		mark bool
		want bool // a blob over the mark
	}{
		{"near-white mark over two dark slides", true, true},
		{"no mark", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noise := rand.New(rand.NewSource(3))
			an := &analysis{w: w, h: h, srcW: w, srcH: h}
			for i := range an.halves {
				an.halves[i] = newAccumulator(w, h, highPassSigma, contentGate)
			}
			defer an.Close()
			const opacity, gray = 0.15, 240
			// Static slides, two of them dark and short (two frames each):
			// frames of one slide are not independent samples.
			sceneOf := []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4}
			last := [2]int{-1, -1}
			for k, scene := range sceneOf {
				bg := 252.0
				if scene%2 == 1 {
					bg = 30 + 10*float64(scene)
				}
				pix := page(scene, bg, noise)
				// Over white pages the mark changes the frame by two
				// gray levels, which the codec does not keep.
				if tc.mark && bg < 200 {
					for y := 0; y < mark.Rect.Dy(); y++ {
						for x := 0; x < mark.Rect.Dx(); x++ {
							cov := opacity * float64(255-mark.Pix[y*mark.Stride+x]) / 255
							i := (y+at.Y)*w + x + at.X
							pix[i] = byte(float64(pix[i])*(1-cov) + gray*cov + 0.5)
						}
					}
				}
				hf := an.halves[k%2]
				if err := hf.add(pix); err != nil {
					t.Fatal(err)
				}
				if last[k%2] != scene {
					hf.distinct++ // as analyse counts: a new content for this half
					last[k%2] = scene
				}
			}
			an.acc = merge(an.halves[0], an.halves[1])
			// The white hypothesis (the mark's nearest) at the mark: the
			// z map cannot show it, the correlation map can.
			z, corr := an.acc.zCorr(0, true)
			z, corr = blurFloats(z, w, h, 1), blurFloats(corr, w, h, 1)
			var zMax, cMax float32
			for y := where.Min.Y; y < where.Max.Y; y++ {
				for x := where.Min.X; x < where.Max.X; x++ {
					zMax, cMax = max(zMax, z[y*w+x]), max(cMax, corr[y*w+x])
				}
			}
			if tc.mark && (zMax >= zMin || cMax < corrBar) {
				t.Errorf("at the mark: z %.2f (want < %.1f), correlation %.2f (want >= %.2f)", zMax, zMin, cMax, corrBar)
			}
			_, std := an.acc.meanStd()
			found := false
			for _, b := range findBlobs(an, std) {
				if b.rect.Overlaps(where) {
					found = true
				}
			}
			if found != tc.want {
				t.Errorf("blob over the mark: %v, want %v", found, tc.want)
			}
		})
	}
}
