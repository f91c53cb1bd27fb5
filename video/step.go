package video

import (
	"image"
	"log/slog"
	"math"
)

// stepKeeps: a blob that shows in fewer than one in stepKeeps of its frames
// once the background keeps to one side of a step (and over fewer than
// minContents contents) was that step. On the development sets, most blobs
// of marks the test looked at lost one frame at most; the page edge of a
// fresh negative showed in 1 of 15.
const stepKeeps = 4

// onStep reports whether blob b, shown in the frames of pres, is a faint
// step that stays put (a page's grey margin beside its text column): the
// blur's background straddles it, so its darker side reads as a grey mark
// in every frame. With a background that keeps to one side of the step it
// is gone, while a mark's blob keeps its contents, or most of its frames.
func onStep(an *analysis, hps []smallHP, b blob, pres presence) bool {
	ev := stepFreeEvidence(an, hps, b, pres.shown)
	shown := 0
	for _, z := range ev {
		if z >= presentZ {
			shown++
		}
	}
	if shown*stepKeeps >= pres.present {
		return false
	}
	// Counting contents compares frames around the blob: only when needed.
	sp := summarisePresence(an, ev, b)
	if sp.distinct >= minContents {
		return false
	}
	slog.Debug("video blob on a step", "rect", b.rect, "present", pres.present, "distinct", pres.distinct,
		"stepFreePresent", sp.present, "stepFreeDistinct", sp.distinct)
	return true
}

// stepFreeEvidence is frameEvidence with each pixel's background taken
// from the quarter of the blur's window (of the four that hold the pixel at
// a corner) whose pixels vary least, when that quarter is plain page. A
// quarter on the pixel's own side of a step sees one level, and the step is
// gone; a mark's strokes are thinner than a quarter, so one quarter around
// them is plain page and the letters stay. Only the given frames are looked
// at (the others are NaN).
func stepFreeEvidence(an *analysis, hps []smallHP, b blob, frames []int) []float64 {
	ins, ring, r := evidencePixels(an, b)
	// The small frames' blur reaches 3 sigma.
	reach := int(3*sigmaAt(an.sw) + 0.5)
	e := clampRect(r.Inset(-reach), an.sw, an.sh)
	// Indices into the local maps of r. A letter pixel of a blob one
	// pixel high can fall just outside r (its rounding): it is left out.
	local := func(idx []int) []int {
		out := make([]int, 0, len(idx))
		for _, i := range idx {
			if p := image.Pt(i%an.sw, i/an.sw); p.In(r) {
				out = append(out, (p.Y-r.Min.Y)*r.Dx()+p.X-r.Min.X)
			}
		}
		return out
	}
	insL, ringL := local(ins), local(ring)
	show := float64(contrastFor(b.W, minShowContrast))
	out := make([]float64, len(hps))
	for k := range out {
		out[k] = math.NaN()
	}
	parallelFor(len(frames), func(j int) {
		k := frames[j]
		if f := hps[k]; f.H != nil {
			out[k] = letterZ(sideHighPass(an, f, k, r, e, reach), insL, ringL, b.W, show)
		}
	})
	return out
}

// maxSideVar is the variance (gray levels squared) up to which a quarter
// window is one plain level: the codec's noise over a flat page.
const maxSideVar = 3 * 3

// sideHighPass returns frame k's maps over r (row by row, r.Dx() wide) with
// the background of each pixel taken from its least varying quarter window
// of side reach+1 inside e. Pixels near content (C above contentGate) are
// left out of the quarters, as highPass leaves content out; a pixel none of
// whose quarters holds enough others keeps the blur's background.
func sideHighPass(an *analysis, f smallHP, k int, r, e image.Rectangle, reach int) smallHP {
	ew, eh := e.Dx(), e.Dy()
	// Summed-area tables of kept count, J and J² over e, one row and
	// column of zeros in front.
	sw := ew + 1
	cnt := make([]float64, sw*(eh+1))
	sj := make([]float64, len(cnt))
	sjj := make([]float64, len(cnt))
	pix := an.small[k].pix
	for y := 0; y < eh; y++ {
		var rc, rj, rjj float64
		for x := 0; x < ew; x++ {
			i := (y+e.Min.Y)*an.sw + x + e.Min.X
			if f.C[i] <= contentGate && f.B[i] > unknownBg/2 {
				v := float64(pix[i])
				rc++
				rj += v
				rjj += v * v
			}
			o := (y+1)*sw + x + 1
			cnt[o] = cnt[o-sw] + rc
			sj[o] = sj[o-sw] + rj
			sjj[o] = sjj[o-sw] + rjj
		}
	}
	box := func(t []float64, x0, y0, x1, y1 int) float64 {
		return t[y1*sw+x1] - t[y0*sw+x1] - t[y1*sw+x0] + t[y0*sw+x0]
	}
	// Each quarter of a pixel is the window of side reach+1 whose lower
	// right corner is the pixel, or lies reach to its right, below, or
	// both: the sums over those windows are computed once per corner.
	ox, oy := r.Min.X-e.Min.X, r.Min.Y-e.Min.Y // r's origin in e
	qw, qh := r.Dx()+reach, r.Dy()+reach
	qc := make([]float64, qw*qh)
	qj := make([]float64, len(qc))
	qjj := make([]float64, len(qc))
	for ay := 0; ay < qh; ay++ {
		for ax := 0; ax < qw; ax++ {
			cx, cy := ox+ax, oy+ay // the corner in e
			x0, y0 := max(cx-reach, 0), max(cy-reach, 0)
			x1, y1 := min(cx, ew-1), min(cy, eh-1)
			a := ay*qw + ax
			qc[a] = box(cnt, x0, y0, x1+1, y1+1)
			qj[a] = box(sj, x0, y0, x1+1, y1+1)
			qjj[a] = box(sjj, x0, y0, x1+1, y1+1)
		}
	}
	need := minKept * float64((reach+1)*(reach+1))
	n := r.Dx() * r.Dy()
	out := smallHP{H: make([]float32, n), B: make([]float32, n), C: make([]float32, n)}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := y*an.sw + x
			o := (y-r.Min.Y)*r.Dx() + x - r.Min.X
			out.C[o] = f.C[i]
			bg, bestVar := f.B[i], math.Inf(1)
			a := (y-r.Min.Y)*qw + x - r.Min.X
			for _, q := range [4]int{a, a + reach, a + reach*qw, a + reach*qw + reach} {
				c := qc[q]
				if c < need {
					continue
				}
				m := qj[q] / c
				if v := qjj[q]/c - m*m; v < bestVar {
					bg, bestVar = float32(m), v
				}
			}
			if bestVar > maxSideVar {
				// No quarter is plain page: letters or texture all round,
				// where the least varying quarter holds the most of them
				// and would take the letters for background.
				bg = f.B[i]
			}
			out.B[o] = bg
			out.H[o] = float32(pix[i]) - bg
		}
	}
	return out
}
