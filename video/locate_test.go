package video

import (
	"image"
	"math/rand"
	"slices"
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
			an := halvesAnalysis(w, h)
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
					paint(pix, w, mark, at, gray, opacity)
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
			zMax, cMax := maxIn(z, w, where), maxIn(corr, w, where)
			if tc.mark && (zMax >= zMin || cMax < corrBar) {
				t.Errorf("at the mark: z %.2f (want < %.1f), correlation %.2f (want >= %.2f)", zMax, zMin, cMax, corrBar)
			}
			if found := blobOver(an, where); found != tc.want {
				t.Errorf("blob over the mark: %v, want %v", found, tc.want)
			}
		})
	}
}

// TestNearWhiteOverLightPages: a light grey mark over pages of light tones
// only (white, cream, light grey) is a few levels darker than the white
// pages and lighter than the cream ones, and no frame holds 40 levels of
// contrast to any colour hypothesis but its own. The near-white
// hypothesis, which counts those few levels as evidence, finds it; without
// the mark the same pages give no blob there.
func TestNearWhiteOverLightPages(t *testing.T) {
	t.Parallel()
	const w, h = 1280, 720
	mark, box, err := screenshare.RenderText("bold", 44, "omar_tanaka33")
	if err != nil {
		t.Fatal(err)
	}
	at := image.Pt(400, 320)
	where := box.Add(at)
	k := slices.Index(textColours, nearWhite)
	if k < 0 {
		t.Fatal("no near-white colour hypothesis")
	}
	tones := []float64{252, 226, 238, 250, 230, 245, 224, 253}
	for _, tc := range []struct {
		name string
		mark bool
		gray float64
	}{
		{"near-white mark", true, nearWhite},
		{"no mark", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noise := rand.New(rand.NewSource(5))
			an := halvesAnalysis(w, h)
			defer an.Close()
			const opacity = 0.3
			gray := tc.gray
			for f := 0; f < 32; f++ {
				scene := f / 2
				bg := tones[scene%len(tones)]
				rng := rand.New(rand.NewSource(int64(scene)))
				pix := make([]byte, w*h)
				for i := range pix {
					pix[i] = byte(min(255, max(0, bg+noise.NormFloat64())))
				}
				// Lines of dark text of the page's own, anywhere.
				for l := 0; l < 12; l++ {
					y, x0 := 30+rng.Intn(h-60), rng.Intn(w-300)
					for x := x0; x < x0+250; x++ {
						if rng.Intn(3) > 0 {
							for dy := 0; dy < 10; dy++ {
								pix[(y+dy)*w+x] = 40
							}
						}
					}
				}
				if tc.mark {
					paint(pix, w, mark, at, gray, opacity)
				}
				hf := an.halves[f%2]
				if err := hf.add(pix); err != nil {
					t.Fatal(err)
				}
				if f%2 == 0 || f%4 == 1 {
					hf.distinct++
				}
			}
			an.acc = merge(an.halves[0], an.halves[1])
			z := blurFloats(an.acc.zMap(k), w, h, 1)
			if zMax := maxIn(z, w, where); tc.gray == nearWhite && zMax < zMin {
				t.Errorf("near-white z at the mark %.2f, want >= %.1f", zMax, zMin)
			}
			if found := blobOver(an, where); found != tc.mark {
				t.Errorf("blob over the mark: %v, want %v", found, tc.mark)
			}
		})
	}
}

// halvesAnalysis is an analysis of w x h frames with empty accumulators
// for the two halves of the frames.
func halvesAnalysis(w, h int) *analysis {
	an := &analysis{w: w, h: h, srcW: w, srcH: h}
	for i := range an.halves {
		an.halves[i] = newAccumulator(w, h, highPassSigma, contentGate)
	}
	return an
}

// maxIn is the largest value of the w-wide map m inside r.
func maxIn(m []float32, w int, r image.Rectangle) float32 {
	var top float32
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			top = max(top, m[y*w+x])
		}
	}
	return top
}

// blobOver reports whether the blob search of an finds a blob over r.
func blobOver(an *analysis, r image.Rectangle) bool {
	_, std := an.acc.meanStd()
	return slices.ContainsFunc(findBlobs(an, std), func(b blob) bool { return b.rect.Overlaps(r) })
}

// paint draws the rendered mark (black letters on white) at at into the
// w-wide gray frame pix, as an overlay of colour gray at opacity.
func paint(pix []byte, w int, mark *image.Gray, at image.Point, gray, opacity float64) {
	for y := 0; y < mark.Rect.Dy(); y++ {
		for x := 0; x < mark.Rect.Dx(); x++ {
			cov := opacity * float64(255-mark.Pix[y*mark.Stride+x]) / 255
			i := (y+at.Y)*w + x + at.X
			pix[i] = byte(float64(pix[i])*(1-cov) + gray*cov + 0.5)
		}
	}
}

func TestKeepStrongest(t *testing.T) {
	t.Parallel()
	line := image.Rect(500, 340, 900, 390)
	word := image.Rect(560, 345, 700, 385)
	tests := []struct {
		name  string
		blobs []blob
		want  []float32 // colours kept, in order
	}{
		{"the stronger of one place", []blob{{rect: word, W: 128, score: 3}, {rect: line, W: 200, score: 5}}, []float32{200}},
		// A grey mark also shows under the near-white hypothesis, often
		// as a bigger blob: the grey one is kept.
		{"grey before near-white", []blob{{rect: line, W: nearWhite, score: 6}, {rect: word, W: 200, score: 3}}, []float32{200, nearWhite}},
		{"near-white where nothing else is", []blob{{rect: line, W: nearWhite, score: 2}}, []float32{nearWhite}},
		{"correlation-map blobs last", []blob{{rect: word, W: 200, score: 9, weak: true}, {rect: line, W: 128, score: 2}}, []float32{128}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []float32
			for _, b := range keepStrongest(tc.blobs) {
				got = append(got, b.W)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("kept colours %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOverlayColour(t *testing.T) {
	t.Parallel()
	ob := func(W float32, score float64, ok bool) overlayBlob {
		return overlayBlob{blob: blob{W: W, score: score}, ok: ok}
	}
	at := func(o overlayBlob, x0, y0, x1, y1 int) overlayBlob {
		o.rect = image.Rect(x0, y0, x1, y1)
		return o
	}
	tests := []struct {
		name  string
		cands []overlayBlob // strongest first
		want  float32
	}{
		{"most evidence together", []overlayBlob{ob(0, 6, true), ob(200, 4, true), ob(255, 3, true)}, 200},
		{"rejected blobs do not count", []overlayBlob{ob(0, 6, true), ob(200, 4, false), ob(255, 3, false)}, 0},
		// A near-white blob over the words of a grey 128 mark (31012): the
		// same letters count once, and do not make the neighbouring 200
		// hypothesis the strongest.
		{"same letters count once", []overlayBlob{
			at(ob(128, 4.9, true), 804, 342, 850, 378), at(ob(128, 4.9, true), 716, 351, 784, 384),
			at(ob(200, 4.2, true), 474, 351, 673, 378), at(ob(nearWhite, 2.8, true), 562, 344, 739, 377),
		}, 128},
		// Near-white blobs on other tiles of a mark found under 200 too
		// (27008) are more of it.
		{"other tiles add up", []overlayBlob{
			at(ob(200, 4.9, true), 862, 198, 1039, 225), at(ob(128, 3.3, true), 923, 615, 1076, 645),
			at(ob(60, 3.4, true), 165, 336, 194, 364), at(ob(60, 2.3, true), 925, 55, 1076, 85),
			at(ob(nearWhite, 3.4, true), 923, 334, 1117, 365), at(ob(nearWhite, 3.4, true), 487, 335, 619, 364),
		}, 200},
		// A tie between the near-white and a grey hypothesis goes to the
		// grey one, which reads a grey mark better.
		{"grey before near-white", []overlayBlob{ob(nearWhite, 3, true), ob(200, 3, true)}, 200},
		{"near-white alone", []overlayBlob{ob(nearWhite, 6, true), ob(60, 2, true)}, nearWhite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := overlayColour(tc.cands); got != tc.want {
				t.Errorf("overlayColour = %v, want %v", got, tc.want)
			}
		})
	}
}
