package video

import (
	"image"
	"log/slog"
)

// The detector tries six colours (textColours); a mark's grey can lie
// between them, and the regression of a frame's high-pass on (W - b)
// with the wrong W gives a*(W' - b)/(W - b) instead of a. Over pages far
// from both greys that is close to a; over pages near them it is far off:
// a grey-240 mark taken for 200 regresses over white pages to a quarter
// of its opacity. The opacity reported is read off the matte in the grey
// the mark's letters fit best.

// colourReach is how far from the detector's colour the grey is
// searched: up to about halfway to the next hypotheses either side
// (200 and 128 are 72 apart), since the detector's colour was the best of
// those.
const colourReach = 40

// colourStep is the search's step (grey levels).
const colourStep = 2

// regSums are per-pixel sums over frames of the high-pass H and the
// background b, for the regression of H on (W - b) at any colour W.
type regSums struct {
	n, sH, sHH, sB, sBB, sHB []float32
}

func newRegSums(n int) regSums {
	return regSums{n: make([]float32, n), sH: make([]float32, n), sHH: make([]float32, n),
		sB: make([]float32, n), sBB: make([]float32, n), sHB: make([]float32, n)}
}

// add folds in one frame's H and b where its content gate C leaves the
// pixel open.
func (s regSums) add(H, B, C []float32, gate float32) {
	for i, c := range C {
		if c > gate {
			continue
		}
		h, b := H[i], B[i]
		s.n[i]++
		s.sH[i] += h
		s.sHH[i] += h * h
		s.sB[i] += b
		s.sBB[i] += b * b
		s.sHB[i] += h * b
	}
}

// fit is, at pixel i, the regression coefficient of H on (W - b), the sum
// of squares of (W - b), and the residual sum of squares.
func (s regSums) fit(i int, W float32) (coef, den, rss float32) {
	coef, num, den := regress(W, s.n[i], s.sH[i], s.sB[i], s.sBB[i], s.sHB[i])
	if den <= minRegressDen {
		return 0, den, s.sHH[i]
	}
	return coef, den, s.sHH[i] - num*num/den
}

// regress is the regression through the origin of H on (W - b) from the
// sums over n frames of H, b, b*b and H*b: the coefficient (0 when the
// frames hold no contrast to W), and its numerator sum(H*(W - b)) and
// denominator sum((W - b)^2).
func regress(W, n, sH, sB, sBB, sHB float32) (coef, num, den float32) {
	num, den = W*sH-sHB, W*W*n-2*W*sB+sBB
	if den <= minRegressDen {
		return 0, num, den
	}
	return num / den, num, den
}

// minRegressDen is the sum of squares of (W - b) at or below which the
// frames say nothing of the coefficient.
const minRegressDen = 1e-3

// fitColour is the grey within colourReach of W0 for which H = a*(W - b)
// fits the frames of the pixels pix best (the residual sum of squares of
// each pixel's own regression, summed). Pixels with fewer than three
// frames say nothing. W0 stays unless another grey fits clearly better
// (by colourGain): frames over one background fit any grey alike.
func (s regSums) fitColour(pix []int, W0 float32) float32 {
	rss := func(W float32) float32 {
		var sum float32
		for _, i := range pix {
			if s.n[i] >= 3 {
				_, _, r := s.fit(i, W)
				sum += r
			}
		}
		return sum
	}
	best, bestRSS := W0, rss(W0)
	limit := bestRSS * (1 - colourGain)
	for W := max(0, W0-colourReach); W <= min(255, W0+colourReach); W += colourStep {
		if r := rss(W); r < limit && r < bestRSS {
			best, bestRSS = W, r
		}
	}
	return best
}

// colourGain is the share of the detector's colour's residual another
// grey must remove to replace it.
const colourGain = 0.05

// maskPixels are the indexes in a w-wide map of the points of the
// overlay blobs obs, scaled down by div (1: the analysis size).
func maskPixels(obs []overlayBlob, w, h, div int) []int {
	seen := map[int]bool{}
	var pix []int
	for _, o := range obs {
		for _, p := range o.mask {
			q := image.Pt(p.X/div, p.Y/div)
			if q.X < 0 || q.Y < 0 || q.X >= w || q.Y >= h {
				continue
			}
			if i := q.Y*w + q.X; !seen[i] {
				seen[i] = true
				pix = append(pix, i)
			}
		}
	}
	return pix
}

// opacityMatte is the matte a mark's opacity is read off: that of the
// frames read (those it shows in, ps, when present; else all), in the grey
// its letters fit best, clipped and smoothed as the matte read is. The
// reading itself keeps the detector's colour: over the development sets,
// reading in the fitted grey read 2 marks exactly that it had not and lost
// 7 (see the README).
func opacityMatte(an *analysis, res *interpretation, ps frameSums, present bool) []float32 {
	sums := frameSums{regSums: an.acc.regSums, w: an.w, h: an.h, div: 1}
	if present {
		sums = ps
	}
	W := sums.letterGrey(res.overlays, res.W)
	slog.Debug("video mark grey", "detected", res.W, "fitted", W)
	m := an.acc.matte(W)
	if present {
		m = fillFrom(ps.matte(W, an.w, an.h), m)
	}
	for i, v := range m {
		if v < 0 || v != v {
			m[i] = 0
		}
	}
	return blurFloats(m, an.w, an.h, 0.7)
}
