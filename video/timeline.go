package video

import (
	"image"
	"math"

	"gocv.io/x/gocv"
)

// smallHP is a small frame's high-pass, background and content gate.
type smallHP struct {
	H, B, C []float32
}

// smallHighPass computes the high-pass of every small frame once; they are
// reused for every blob.
func smallHighPass(an *analysis) []smallHP {
	sigma := sigmaAt(an.sw)
	clean := an.acc.clean
	reach := gateReach(sigma, clean)
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(reach, reach))
	defer k.Close()
	out := make([]smallHP, len(an.small))
	parallelFor(len(an.small), func(i int) {
		m, err := gocv.NewMatFromBytes(an.sh, an.sw, gocv.MatTypeCV8U, an.small[i].pix)
		if err != nil {
			return
		}
		hp, bg, con := highPass(m, sigma, k, contentGate, clean)
		out[i] = smallHP{H: matFloats(hp), B: matFloats(bg), C: matFloats(con)}
		hp.Close()
		bg.Close()
		con.Close()
		m.Close()
	})
	return out
}

// frameEvidence is, per small frame, how strongly the blob's letters show:
// the per-frame regression of H on (W - b) over the letter pixels, as a
// z-score against the spread of H around them. NaN when the frame cannot
// tell (content covers the blob, or the background equals the text colour).
func frameEvidence(an *analysis, hps []smallHP, b blob) []float64 {
	ins, ring, _ := evidencePixels(an, b)
	show := float64(contrastFor(b.W, minShowContrast))
	out := make([]float64, len(hps))
	// The maps are only read: split the frames over the cores.
	parallelFor(len(hps), func(k int) {
		out[k] = letterZ(hps[k], ins, ring, b.W, show)
	})
	return out
}

// evidencePixels are the blob's letter pixels and a ring around them (the
// rest of r), as indices into the small frames.
func evidencePixels(an *analysis, b blob) (ins, ring []int, r image.Rectangle) {
	inMask := map[int]bool{}
	for _, p := range b.mask {
		x, y := p.X/smallDiv, p.Y/smallDiv
		if x < an.sw && y < an.sh {
			inMask[y*an.sw+x] = true
		}
	}
	r = an.toSmall(b.rect.Inset(-b.rect.Dy() / 2))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !inMask[y*an.sw+x] {
				ring = append(ring, y*an.sw+x)
			}
		}
	}
	for i := range inMask {
		ins = append(ins, i)
	}
	return ins, ring, r
}

// letterZ is one frame's evidence for letters of colour W at the pixels
// ins against the spread of H at the pixels ring, both indices into f's
// maps: the regression slope of H on (W - b) over sqrt(var), the z of "the
// letters are there". NaN when the frame cannot tell (content covers most
// letters or the ring, or the background is near W).
func letterZ(f smallHP, ins, ring []int, W float32, show float64) float64 {
	if f.H == nil {
		return math.NaN()
	}
	var shx, sxx float64
	n := 0
	for _, i := range ins {
		if f.C[i] > contentGate {
			continue
		}
		x := float64(W - f.B[i])
		shx += float64(f.H[i]) * x
		sxx += x * x
		n++
	}
	var shh float64
	m := 0
	for _, i := range ring {
		if f.C[i] > contentGate {
			continue
		}
		shh += float64(f.H[i] * f.H[i])
		m++
	}
	if n < len(ins)/3 || m < 10 || sxx/float64(n) < show*show {
		return math.NaN()
	}
	sigma := math.Sqrt(shh/float64(m)) + 0.5
	return shx / math.Sqrt(sxx) / sigma
}

// presence summarises frame evidence: present frames, their time span and
// how many different contents they cover.
type presence struct {
	present, known int
	first, last    float64
	distinct       int
	bestFrame      int
	shown          []int // the frames it shows in (z >= presentZ)
	// inSpan counts the frames that can tell between first and last: a
	// mark stays once it is there, moving content passes by.
	inSpan int
	// contents counts the different contents (in the blob's surroundings)
	// among the telling frames of the span; distinct counts those of them
	// the blob shows in.
	contents int
	// spanTime is the time the telling frames of the span were on screen
	// (each until the next sampled frame), presentTime that of those the
	// blob shows in (seconds).
	spanTime, presentTime float64
}

// presenceNull is the chance that a blob chosen from the same frames shows
// (z >= presentZ) in one content it is not really in: letters of one scene
// reach it in that scene, and the selection biases every frame a little.
// Measured on the blobs of the generated negatives (cmd/evalvideo): 2 of
// 26 and 2 of 57 frames; 0.2 leaves room for harder content.
const presenceNull = 0.2

// score is -log10 of the chance that a blob that is not an overlay shows
// in at least distinct of the contents of its span, each independently
// with probability presenceNull: a mark stays put while content changes
// beneath it, so it shows over many different contents; an edge of the
// content shows over one. This needs no split of the frames, so it works
// with the few distinct frames of a short recording of static slides.
func (p presence) score() float64 {
	if p.contents == 0 || p.distinct == 0 {
		return 0
	}
	return -math.Log10(binomTail(p.distinct, p.contents, presenceNull))
}

// binomTail is P(X >= k) for X ~ Binomial(n, q).
func binomTail(k, n int, q float64) float64 {
	if k <= 0 {
		return 1
	}
	if k > n {
		return 0
	}
	var sum float64
	for i := k; i <= n; i++ {
		lg, _ := math.Lgamma(float64(n + 1))
		a, _ := math.Lgamma(float64(i + 1))
		b, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lg - a - b + float64(i)*math.Log(q) + float64(n-i)*math.Log1p(-q))
	}
	return math.Min(1, sum)
}

// minPresentShare is the share of the telling frames between its first and
// last sighting, or of their time on screen, in which an overlay must show.
const minPresentShare = 0.4

// steady reports whether the blob shows in most frames of its time span,
// or for most of its time: a scroll samples many frames in a second, and
// over a white page they cannot show a light mark the codec smoothed
// away, while the slides before and after it, on screen for seconds each,
// do (63016: 5 of 14 frames, most of the time). Moving video samples its
// frames evenly, and its shares of frames and of time are alike (a
// count of contents a second apart instead let a test pattern's moving
// parts pass).
func (p presence) steady() bool {
	return p.inSpan > 0 && (float64(p.present) >= minPresentShare*float64(p.inSpan) ||
		p.presentTime >= minPresentShare*p.spanTime)
}

const presentZ = 3.0

func summarisePresence(an *analysis, ev []float64, b blob) presence {
	p := presence{first: -1, last: -1, bestFrame: -1}
	best := 0.0
	r := an.toSmall(b.rect.Inset(-b.rect.Dy()))
	reps := newContentSet(an, r)
	for k, z := range ev {
		if math.IsNaN(z) {
			continue
		}
		p.known++
		if z < presentZ {
			continue
		}
		p.present++
		p.shown = append(p.shown, k)
		t := an.small[k].t
		if p.first < 0 {
			p.first = t
		}
		p.last = t
		if z > best {
			best, p.bestFrame = z, k
		}
		// A content edge lives in one scene; an overlay spans several.
		reps.add(k)
	}
	p.distinct = len(reps.reps)
	contents := reps.sameRegion()
	for k, z := range ev {
		if t := an.small[k].t; !math.IsNaN(z) && t >= p.first && t <= p.last {
			p.inSpan++
			contents.add(k)
			// Until the next sampled frame: near-duplicates are not
			// sampled, so the content stayed that long.
			next := an.duration
			if k+1 < len(an.small) {
				next = an.small[k+1].t
			}
			w := math.Max(0, next-t)
			p.spanTime += w
			if z >= presentZ {
				p.presentTime += w
			}
		}
	}
	p.contents = max(len(contents.reps), p.distinct)
	return p
}

// contentSet holds one frame per content shown in a region r of the small
// frames: a frame joins unless one of them shows the same content there
// or lies less than minContentGap from it.
type contentSet struct {
	an   *analysis
	r    image.Rectangle
	reps []int
	// blurred holds frames' pixels in r blurred, made when first needed
	// and shared by the sets of one region (see sameRegion).
	blurred map[int][]float32
}

func newContentSet(an *analysis, r image.Rectangle) *contentSet {
	return &contentSet{an: an, r: r, blurred: map[int][]float32{}}
}

// sameRegion is a new empty set of the region of cs that shares its
// blurred frames.
func (cs *contentSet) sameRegion() *contentSet {
	return &contentSet{an: cs.an, r: cs.r, blurred: cs.blurred}
}

// blur is frame k's pixels in r blurred.
func (cs *contentSet) blur(k int) []float32 {
	b, ok := cs.blurred[k]
	if !ok {
		b = blurredRegion(cs.an, k, cs.r)
		cs.blurred[k] = b
	}
	return b
}

// add adds frame k unless it shows a content the set holds.
func (cs *contentSet) add(k int) {
	for _, rep := range cs.reps {
		if math.Abs(cs.an.small[k].t-cs.an.small[rep].t) < minContentGap {
			return
		}
		if regionDiff(cs.an, k, rep, cs.r) < sameContentDiff {
			return
		}
		// Frames that differ only in fine detail show one content: the
		// encoder sharpens a page over its first seconds on screen (a code
		// page at 500 kbit/s, 39049: 8-15 levels apart as sampled, under
		// 4 once blurred), where other content differs in its shapes.
		if meanAbsDiffBelow(cs.blur(k), cs.blur(rep), sameBlurredDiff) {
			return
		}
	}
	cs.reps = append(cs.reps, k)
}

// sameContentDiff is the mean difference (gray levels) of the small frames
// in a region below which they show the same content.
const sameContentDiff = 8

// sameBlurredDiff is sameContentDiff for the frames blurred at
// contentBlurSigma: what is left there is the shapes of the content, not
// the sharpness of its edges.
const sameBlurredDiff = 4

// contentBlurSigma (small-frame pixels) blurs away a stroke's edge but not
// the stroke: the high-pass scale of the analysis.
const contentBlurSigma = highPassSigma / smallDiv

// blurredRegion is small frame k blurred at contentBlurSigma, in r.
func blurredRegion(an *analysis, k int, r image.Rectangle) []float32 {
	if r.Empty() {
		return []float32{}
	}
	// The blur's reach around r, so its edge rows are blurred as inside.
	reach := int(math.Ceil(3 * contentBlurSigma))
	pad := r.Inset(-reach).Intersect(image.Rect(0, 0, an.sw, an.sh))
	src := make([]float32, pad.Dx()*pad.Dy())
	for y := pad.Min.Y; y < pad.Max.Y; y++ {
		row := an.small[k].pix[y*an.sw+pad.Min.X : y*an.sw+pad.Max.X]
		for x, v := range row {
			src[(y-pad.Min.Y)*pad.Dx()+x] = float32(v)
		}
	}
	v := blurFloats(src, pad.Dx(), pad.Dy(), contentBlurSigma)
	out := make([]float32, 0, r.Dx()*r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := (y-pad.Min.Y)*pad.Dx() + r.Min.X - pad.Min.X
		out = append(out, v[i:i+r.Dx()]...)
	}
	return out
}

// meanAbsDiffBelow reports whether the mean absolute difference of two
// equal-length slices is below limit. It stops once the sum reaches the
// limit's: most pairs of contents differ by far more.
func meanAbsDiffBelow(a, b []float32, limit float64) bool {
	if len(a) == 0 {
		return true
	}
	most := limit * float64(len(a))
	var s float64
	for i, v := range a {
		s += math.Abs(float64(v - b[i]))
		if s >= most {
			return false
		}
	}
	return true
}

// minContentGap (seconds) parts the frames that count as different
// contents. Shared screens change every few seconds; moving video changes
// in every frame, and its frames a moment apart are not independent
// samples: a grey shape of ffmpeg's testsrc2 that turns from a bar into a
// cross at one place showed over 14 "contents" in 1.5 s.
const minContentGap = 1.0

// regionDiff is the mean absolute difference of two small frames in r.
func regionDiff(an *analysis, a, b int, r image.Rectangle) float64 {
	pa, pb := an.small[a].pix, an.small[b].pix
	var s float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			i := y*an.sw + x
			s += math.Abs(float64(pa[i]) - float64(pb[i]))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// glyphAgreement is the median, over pairs of frames that show the blob
// over different contents (told apart under the blob itself), of the
// correlation of what they show there: the high-pass signed by the
// expected contrast of text of the blob's colour, at pixels that are not
// content and whose background can show the text. A mark shows the same
// letters over every content. NaN when no two frames can tell.
func glyphAgreement(an *analysis, hps []smallHP, b blob, ev []float64) float64 {
	r := an.toSmall(b.rect)
	set := newContentSet(an, r)
	for k, z := range ev {
		if !math.IsNaN(z) && z >= presentZ {
			set.add(k)
		}
	}
	reps := set.reps
	if len(reps) < 2 || r.Empty() {
		return math.NaN()
	}
	if len(reps) > maxGlyphFrames {
		// The median needs no more pairs than these give; a long
		// recording has hundreds of contents.
		even := make([]int, maxGlyphFrames)
		for j := range even {
			even[j] = reps[j*len(reps)/maxGlyphFrames]
		}
		reps = even
	}
	nan := float32(math.NaN())
	show := contrastFor(b.W, minShowContrast)
	shown := make([][]float32, len(reps))
	for j, k := range reps {
		f := hps[k]
		v := make([]float32, 0, r.Dx()*r.Dy())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				i := y*an.sw + x
				switch d := b.W - f.B[i]; {
				case f.C[i] > contentGate || (d < show && d > -show):
					v = append(v, nan)
				case d < 0:
					v = append(v, -f.H[i])
				default:
					v = append(v, f.H[i])
				}
			}
		}
		shown[j] = v
	}
	var cors []float32
	for a := range shown {
		for c := a + 1; c < len(shown); c++ {
			if rho, ok := correlation(shown[a], shown[c]); ok {
				cors = append(cors, float32(rho))
			}
		}
	}
	if len(cors) == 0 {
		return math.NaN()
	}
	return float64(percentile(cors, 0.5))
}

// maxGlyphFrames bounds the frames glyphAgreement compares, spread over
// the blob's contents in time order.
const maxGlyphFrames = 12

// minShowContrast is the |W - b| (gray levels) a frame's background needs
// for text of colour W to show in it (as in frameEvidence).
const minShowContrast = 20

// correlation is the Pearson correlation of x and y over the places where
// both are numbers; ok is false with fewer than 30 such places or no spread.
func correlation(x, y []float32) (float64, bool) {
	var sx, sy, sxx, syy, sxy float64
	n := 0
	for i, a := range x {
		b := y[i]
		if a != a || b != b {
			continue
		}
		sx += float64(a)
		sy += float64(b)
		sxx += float64(a * a)
		syy += float64(b * b)
		sxy += float64(a * b)
		n++
	}
	if n < 30 {
		return 0, false
	}
	fn := float64(n)
	cov := sxy/fn - sx/fn*sy/fn
	vx, vy := sxx/fn-sx/fn*sx/fn, syy/fn-sy/fn*sy/fn
	if vx <= 0 || vy <= 0 {
		return 0, false
	}
	return cov / math.Sqrt(vx*vy), true
}
