package video

import (
	"image"
	"math"
	"slices"
	"sort"
	"sync"

	"gocv.io/x/gocv"
)

// textColours are the overlay colours tried: white and grey marks are the
// common case, dark ones exist too. Each gives its own correlation map.
var textColours = []float32{255, nearWhite, 200, 128, 60, 0}

// nearWhite is the light grey of marks meant to be faint on light pages.
const nearWhite = 240

// zMin is the smoothed per-pixel correlation a pixel needs to count as
// overlay evidence.
const zMin = 1.5

// blob is one connected group of overlay evidence (a word, a line, a tile).
type blob struct {
	rect   image.Rectangle // analysis pixels
	W      float32         // overlay colour hypothesis
	pixels int             // evidence pixels
	sumZ   float64
	meanZ  float64
	angle  float64 // dominant orientation of the evidence, degrees CCW
	elong  float64 // major/minor axis ratio
	stdJ   float32 // median temporal std of the frame under the blob
	mask   []image.Point
	cross  float64 // mean z over the blob in the other half of the frames
	// coherence of the evidence's gradient directions (0 = all
	// directions, as in letters; 1 = one direction, as along an edge).
	coherence float64
	score     float64
	// weak: found on the correlation map only (few frames could show it);
	// it must show clearer letters (minWeakGlyphs).
	weak bool
}

// validFrac is the share of frames a pixel must be usable in (not gated as
// content) for its correlation to count: few samples correlate by chance.
const validFrac = 0.25

// findBlobs extracts candidate overlay blobs from the z maps of every colour
// hypothesis, keeping the strongest where they overlap.
func findBlobs(an *analysis, std []float32) (blobs []blob) {
	scale := float64(an.w) / 1280
	// usable keeps the map where enough frames were usable, smoothed.
	usable := func(acc *accumulator, m []float32) []float32 {
		minN := float32(max(3, int(validFrac*float64(acc.frames))))
		for i := range m {
			if acc.n[i] < minN {
				m[i] = 0
			}
		}
		return blurFloats(m, an.w, an.h, 1.0*math.Max(scale, 0.5))
	}
	zOf := func(acc *accumulator, k int) []float32 { return usable(acc, acc.zMap(k)) }
	// The colour hypotheses are independent: spread them over the cores
	// and concatenate in colour order, so the result does not depend on
	// scheduling.
	perColour := make([][]blob, len(textColours))
	parallelFor(len(textColours), func(k int) {
		W := textColours[k]
		var halves [2][]float32
		var all []float32
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			halves = [2][]float32{zOf(an.halves[0], k), zOf(an.halves[1], k)}
		}()
		all, corr := an.acc.zCorr(k, true)
		all, corr = usable(an.acc, all), usable(an.acc, corr)
		wg.Wait()
		// Candidates: strong evidence, and clear letters that few frames
		// could show. The presence and letter tests below decide on both.
		cands := blobsOf(all, W, an.w, an.h, scale, std, zMin)
		for _, b := range blobsOf(corr, W, an.w, an.h, scale, std, corrBar) {
			// Only where the z map found nothing: its blobs read better.
			if !slices.ContainsFunc(cands, func(c blob) bool { return b.rect.Overlaps(c.rect) }) {
				b.weak = true
				cands = append(cands, b)
			}
		}
		var out []blob
		for _, b := range cands {
			// The blob was found on all frames; each half of the frames
			// must show it on its own. Content that was there in one
			// stretch has its evidence in one half only.
			b.cross = math.Inf(1)
			for _, z := range halves {
				var s float64
				for _, p := range b.mask {
					s += float64(z[p.Y*an.w+p.X])
				}
				b.cross = math.Min(b.cross, s/float64(len(b.mask)))
			}
			b.score = b.cross * math.Sqrt(float64(b.pixels)) / (10 * scale)
			out = append(out, b)
		}
		perColour[k] = out
	})
	for _, bs := range perColour {
		blobs = append(blobs, bs...)
	}
	return keepStrongest(blobs)
}

// keepStrongest orders blobs strongest first (by score, then summed
// evidence) and drops those mostly inside a stronger one. Blobs of the correlation map only come after the others,
// and so do those of the near-white hypothesis: it counts frames of a few
// levels' contrast, where a grey mark shows too, and its matte of a grey
// mark reads worse than the grey hypothesis' own.
func keepStrongest(blobs []blob) []blob {
	sort.Slice(blobs, func(i, j int) bool {
		if blobs[i].weak != blobs[j].weak {
			return !blobs[i].weak
		}
		if wi, wj := blobs[i].W == nearWhite, blobs[j].W == nearWhite; wi != wj {
			return !wi
		}
		if blobs[i].score != blobs[j].score {
			return blobs[i].score > blobs[j].score
		}
		// The score counts contents, so ties are common: the blob with
		// more evidence first (it leads the reading).
		return blobs[i].sumZ > blobs[j].sumZ
	})
	var kept []blob
	for _, b := range blobs {
		if !slices.ContainsFunc(kept, func(k blob) bool { return mostlyIn(b.rect, k.rect) }) {
			kept = append(kept, b)
		}
	}
	return kept
}

// corrBar is the smoothed per-pixel correlation from which letters are
// candidates even where few frames can show them: a near-white mark over
// a recording of mostly white pages (in frames of a dark slide, its
// letters correlate at 0.5-0.9; its z stays under zMin).
const corrBar = 0.45

// mostlyIn reports whether more than half of a lies in b.
func mostlyIn(a, b image.Rectangle) bool {
	in := a.Intersect(b)
	return !in.Empty() && in.Dx()*in.Dy()*2 > a.Dx()*a.Dy()
}

func blobsOf(z []float32, W float32, w, h int, scale float64, std []float32, bar float32) []blob {
	bin := make([]byte, len(z))
	for i, v := range z {
		if v > bar {
			bin[i] = 255
		}
	}
	m, _ := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, bin)
	defer m.Close()
	// Join letters into words and lines.
	k := max(3, int(9*scale))
	kernel := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(k, k))
	defer kernel.Close()
	joined := gocv.NewMat()
	defer joined.Close()
	gocv.Dilate(m, &joined, kernel)
	labels, stats, cents := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cents.Close()
	nl := gocv.ConnectedComponentsWithStats(joined, &labels, &stats, &cents)
	minW, minH := int(24*scale), int(8*scale)
	var out []blob
	type acc struct {
		sx, sy, sxx, syy, sxy, sz float64
		gxx, gyy, gxy             float64 // structure tensor of z
		n                         int
		pts                       []image.Point
	}
	accs := make([]acc, nl)
	lab := matInt32s(labels)
	gx, gy := sobel(z, w, h)
	for i, v := range bin {
		if v == 0 {
			continue
		}
		l := lab[i]
		if l <= 0 {
			continue
		}
		x, y := float64(i%w), float64(i/w)
		a := &accs[l]
		a.sx += x
		a.sy += y
		a.sxx += x * x
		a.syy += y * y
		a.sxy += x * y
		a.sz += float64(z[i])
		dx, dy := float64(gx[i]), float64(gy[i])
		a.gxx += dx * dx
		a.gyy += dy * dy
		a.gxy += dx * dy
		a.n++
		a.pts = append(a.pts, image.Pt(i%w, i/w))
	}
	for l := 1; l < nl; l++ {
		x, y := int(stats.GetIntAt(l, 0)), int(stats.GetIntAt(l, 1))
		bw, bh := int(stats.GetIntAt(l, 2)), int(stats.GetIntAt(l, 3))
		a := accs[l]
		if bw < minW || bh < minH || a.n < int(60*scale*scale) {
			continue
		}
		// Evidence filling most of a large area is not letters (strokes
		// fill well under half of a line's box): it is the faint shadow of
		// dense content (the codec's ringing around text adds up over
		// pages). A mark inside it stands out above it: search the area
		// again with a higher bar.
		if bw*bh*10 > w*h && a.n*2 > bw*bh {
			if bar < 4*zMin {
				inner := make([]float32, len(z))
				for _, p := range a.pts {
					inner[p.Y*w+p.X] = z[p.Y*w+p.X]
				}
				out = append(out, blobsOf(inner, W, w, h, scale, std, bar*1.5)...)
			}
			continue
		}
		n := float64(a.n)
		mx, my := a.sx/n, a.sy/n
		cxx, cyy, cxy := a.sxx/n-mx*mx, a.syy/n-my*my, a.sxy/n-mx*my
		// Principal axis of the evidence pixels: a text line's direction.
		theta := 0.5 * math.Atan2(2*cxy, cxx-cyy)
		tr, det := cxx+cyy, cxx*cyy-cxy*cxy
		l1 := tr/2 + math.Sqrt(math.Max(0, tr*tr/4-det))
		l2 := tr/2 - math.Sqrt(math.Max(0, tr*tr/4-det))
		b := blob{
			rect: image.Rect(x, y, x+bw, y+bh), W: W, pixels: a.n, sumZ: a.sz,
			meanZ: a.sz / n, angle: -theta * 180 / math.Pi, mask: a.pts,
			elong: math.Sqrt(l1 / math.Max(l2, 1e-6)),
		}
		// Straight edges (window borders, page margins) are not text: they
		// are thin, and overlays do not run steeply.
		// Letters have strokes in every direction; an edge's gradients
		// all point one way (coherence near 1).
		thick := math.Sqrt(12 * l2)
		coh := math.Sqrt((a.gxx-a.gyy)*(a.gxx-a.gyy)+4*a.gxy*a.gxy) / math.Max(a.gxx+a.gyy, 1e-9)
		b.coherence = coh
		if thick < 10*scale || (b.elong > 2.5 && math.Abs(b.angle) > 70) || coh > maxCoherence ||
			edgeCells(a.pts, gx, gy, w, scale) > 0.5 {
			continue
		}
		vals := make([]float32, 0, len(a.pts))
		for _, p := range a.pts {
			vals = append(vals, std[p.Y*w+p.X])
		}
		b.stdJ = percentile(vals, 0.5)
		out = append(out, b)
	}
	return out
}

// maxCoherence rejects straight edges (page borders, bars) that persist over
// many scenes like an overlay does.
const maxCoherence = 0.7

func sobel(z []float32, w, h int) (gx, gy []float32) {
	m := floatMat(z, w, h)
	defer m.Close()
	d := gocv.NewMat()
	defer d.Close()
	gocv.Sobel(m, &d, gocv.MatTypeCV32F, 1, 0, 3, 1, 0, gocv.BorderReflect)
	gx = matFloats(d)
	gocv.Sobel(m, &d, gocv.MatTypeCV32F, 0, 1, 3, 1, 0, gocv.BorderReflect)
	gy = matFloats(d)
	return gx, gy
}

// edgeCells is the share of letter-sized cells of a blob whose evidence runs
// in one direction: the arms of crossing page edges and bars, which
// together look isotropic, are coherent cell by cell; letters are not.
func edgeCells(pts []image.Point, gx, gy []float32, w int, scale float64) float64 {
	cell := max(8, int(16*scale))
	type tens struct{ xx, yy, xy float64 }
	cells := map[image.Point]*tens{}
	for _, p := range pts {
		c := image.Pt(p.X/cell, p.Y/cell)
		t := cells[c]
		if t == nil {
			t = &tens{}
			cells[c] = t
		}
		dx, dy := float64(gx[p.Y*w+p.X]), float64(gy[p.Y*w+p.X])
		t.xx += dx * dx
		t.yy += dy * dy
		t.xy += dx * dy
	}
	n, edge := 0, 0
	for _, t := range cells {
		tr := t.xx + t.yy
		if tr <= 1e-9 {
			continue
		}
		n++
		if math.Sqrt((t.xx-t.yy)*(t.xx-t.yy)+4*t.xy*t.xy)/tr > 0.8 {
			edge++
		}
	}
	if n == 0 {
		return 1
	}
	return float64(edge) / float64(n)
}

// countBlobs finds candidate blobs on, per colour, the count of frames
// that each show a mark of that colour at a pixel (a high-pass of the sign
// and size a mark of opacity minCountOpacity-maxCountOpacity gives over
// the pixel's background), away from the blobs already found. A mark shown
// in a few frames of many (for part of the recording, over content that
// seldom changes, while the rest of the recording scrolls past) is lost in
// the regression over all frames, where the frames without it outweigh
// those with it; counted, it stands out of faint content, which seldom
// fits the same colour at the same place in several frames. The blobs are
// weak (their letters must agree clearly) and have no regression score:
// only their presence over different contents can pass the threshold.
func countBlobs(an *analysis, hps []smallHP, std []float32, found []blob) []blob {
	scale := float64(an.w) / 1280
	perColour := make([][]blob, len(textColours))
	parallelFor(len(textColours), func(k int) {
		W := textColours[k]
		c := contrastFor(W, infoContrast)
		small := make([]float32, an.sw*an.sh)
		for _, hp := range hps {
			if hp.H == nil {
				continue
			}
			for i := range small {
				if hp.C[i] > contentGate {
					continue
				}
				d := W - hp.B[i]
				if d < c && d > -c {
					continue
				}
				if h := hp.H[i]; (h >= minShown || h <= -minShown) && h/d >= minCountOpacity && h/d <= maxCountOpacity {
					small[i]++
				}
			}
		}
		counts := make([]float32, an.w*an.h) // in analysis pixels
		for y := 0; y < an.h; y++ {
			row := min(y/smallDiv, an.sh-1) * an.sw
			for x := 0; x < an.w; x++ {
				counts[y*an.w+x] = small[row+min(x/smallDiv, an.sw-1)]
			}
		}
		for _, b := range blobsOf(counts, W, an.w, an.h, scale, std, minCount-0.5) {
			if !slices.ContainsFunc(found, func(f blob) bool { return f.rect.Overlaps(b.rect) }) {
				b.weak = true
				perColour[k] = append(perColour[k], b)
			}
		}
	})
	var out []blob
	for _, bs := range perColour {
		out = append(out, bs...)
	}
	out = keepStrongest(out)
	return out[:min(len(out), maxCountBlobs)]
}

// The frames that show a mark at a pixel, for countBlobs: a high-pass of
// minShown gray levels or more, minCountOpacity to maxCountOpacity of the
// contrast between the colour and the background, in minCount frames.
const (
	minShown        = 3
	minCountOpacity = 0.04
	maxCountOpacity = 0.6
	minCount        = 3
	maxCountBlobs   = 8
)
