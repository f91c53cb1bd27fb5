package video

import (
	"context"
	"image"
	"log/slog"
	"math"
	"slices"
	"sort"

	"tracescan/ocr"
)

// DefaultThreshold is the overlay score above which a watermark is reported.
// See calib.go for how it was chosen and the false-positive rate it implies.
const DefaultThreshold = 1.2

// opaqueStd is the temporal standard deviation (gray levels) below which a
// blob's pixels never change: opaque static UI, not an overlay with
// content beneath.
const opaqueStd = 4.0

// overlayBlob is a blob with its time evidence.
type overlayBlob struct {
	blob
	pres presence
	ok   bool // passes every test
	// letters: passes the tests other than the score (steady letters
	// over changing content, too little evidence on its own).
	letters bool
}

// interpretation is what the maps say about one file.
type interpretation struct {
	overlays []overlayBlob // accepted semi-transparent blobs, strongest first
	// letters: the blobs that show steady letters but were not accepted
	// (too little evidence alone); a tiled mark's copies may lie there.
	letters []overlayBlob
	W       float32 // colour of the accepted overlay
	mean    []float32
	std     []float32
	hps     []smallHP
	// maxScore is the best overlay score seen, accepted or not (for
	// calibration on negatives).
	maxScore float64
	reading  *reading
	statics  []staticText
	// staticUI holds the regions of opaque static UI, largest first.
	staticUI []image.Rectangle
}

func (d *Detector) interpret(ctx context.Context, an *analysis) (*interpretation, error) {
	res := &interpretation{}
	var engines *ocr.Pool
	if !d.opt.NoOCR {
		// Tesseract starts while the maps are searched.
		engines = ocr.NewPool(workers)
		defer engines.Close()
	}
	res.mean, res.std = an.acc.meanStd()
	// The small frames' high-pass does not depend on the blobs: compute
	// it alongside the map stage.
	hpsDone := make(chan []smallHP, 1)
	go func() { hpsDone <- smallHighPass(an) }()
	blobs := findBlobs(an, res.std)
	res.hps = <-hpsDone
	found := d.evaluate(ctx, an, res, blobs)
	if !slices.ContainsFunc(found, func(c candidate) bool { return c.ob.ok }) {
		// Nothing accepted: a mark shown in a few frames only (for part
		// of the recording, over content that seldom changes, while the
		// rest of it scrolls) is lost in the regression over all frames.
		// The frames that each show a mark of some colour at a pixel say
		// where it is; its candidates face the same tests.
		found = append(found, d.evaluate(ctx, an, res, countBlobs(an, res.hps, res.std, blobs))...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cands []overlayBlob
	for _, c := range found {
		b := c.ob.blob
		if c.inStatic {
			slog.Debug("video blob in static UI", "rect", b.rect, "score", b.score, "surroundStd", c.surroundStd, "std", b.stdJ)
		}
		if !c.use {
			continue
		}
		ob := c.ob
		if c.structural {
			// The statistic the threshold is calibrated on: the score of
			// blobs that pass the structural tests.
			res.maxScore = math.Max(res.maxScore, ob.score)
		}
		slog.Debug("video blob", "rect", b.rect, "W", b.W, "score", b.score, "meanZ", b.meanZ,
			"px", b.pixels, "cross", b.cross, "std", b.stdJ, "coh", b.coherence, "angle", b.angle, "elong", b.elong,
			"present", ob.pres.present, "inSpan", ob.pres.inSpan, "known", ob.pres.known, "distinct", ob.pres.distinct,
			"span", c.span, "contents", ob.pres.contents, "pscore", c.ps, "glyphs", c.glyphs, "ok", ob.ok)
		cands = append(cands, ob)
	}
	// One overlay per recording: the colour whose accepted blobs carry the
	// most evidence together, and every accepted blob of that colour. The
	// single strongest blob can be a page edge passing for a dark overlay,
	// while a tiled mark's evidence is spread over many blobs.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	res.W = overlayColour(cands)
	strong := slices.ContainsFunc(cands, func(c overlayBlob) bool { return c.ok && !c.weak && sameColour(c.W, res.W) })
	for _, c := range cands {
		// Blobs found on the correlation map only are a mark's letters
		// where the strong evidence found none; beside strong blobs
		// they are mostly content remnants, and they blur the reading.
		if c.ok && sameColour(c.W, res.W) && (!strong || !c.weak) {
			res.overlays = append(res.overlays, c)
		}
	}
	if len(res.overlays) > 0 {
		for _, c := range cands {
			// Any colour: a tiled mark over dark and light content is
			// found under several hypotheses, each for some copies.
			if c.letters && !c.weak && !slices.ContainsFunc(res.overlays, func(o overlayBlob) bool { return o.rect == c.rect }) {
				res.letters = append(res.letters, c)
			}
		}
	}
	// The static-text pass reads only the mean and spread maps and takes
	// one engine: it runs on the other core while the overlay is read.
	type staticsResult struct {
		st  []staticText
		err error
	}
	var staticsDone chan staticsResult
	if !d.opt.NoOCR {
		staticsDone = make(chan staticsResult, 1)
		go func() {
			mean := floatMat(res.mean, an.w, an.h)
			defer mean.Close()
			res.staticUI = staticRegions(an, res, mean)
			st, err := d.readStatics(ctx, an, res, mean, engines)
			staticsDone <- staticsResult{st, err}
		}()
	}
	if len(res.overlays) > 0 && !d.opt.NoOCR {
		rd, err := d.readOverlay(ctx, an, res, engines)
		if err != nil {
			<-staticsDone
			return nil, err
		}
		res.reading = rd
	}
	if staticsDone != nil {
		sr := <-staticsDone
		if sr.err != nil {
			return nil, sr.err
		}
		res.statics = sr.st
	}
	return res, nil
}

// candidate is a blob with the outcome of the tests an overlay must pass.
type candidate struct {
	ob          overlayBlob
	use         bool // neither opaque nor inside static UI
	structural  bool // passes the tests other than the score
	inStatic    bool
	surroundStd float64
	span, ps    float64
	glyphs      float64
}

// evaluate puts each blob through the tests of an overlay. Each blob's
// time evidence is its own: the blobs are spread over the cores, and the
// candidates come back in the blobs' order.
func (d *Detector) evaluate(ctx context.Context, an *analysis, res *interpretation, bs []blob) []candidate {
	found := make([]candidate, len(bs))
	parallelFor(len(bs), func(i int) {
		b := bs[i]
		c := &found[i]
		if ctx.Err() != nil || b.stdJ < opaqueStd {
			return // static UI: handled by the static-text pass
		}
		if f := staticSurround(an, res.std, b.rect); f < minSurroundStd*float64(b.stdJ) {
			// Changing glyphs inside unchanging UI (a running clock or
			// counter): an overlay has the same changing content around
			// it as under it.
			c.ob.blob, c.inStatic, c.surroundStd = b, true, f
			return
		}
		ob := overlayBlob{blob: b}
		ev := frameEvidence(an, res.hps, b)
		ob.pres = summarisePresence(an, ev, b)
		// Two views of the same evidence: the correlation confirmed in each
		// half of the frames (strong when there are many frames), and how
		// many different contents the blob shows over (strong when there are
		// few: a short recording of static slides).
		ps := ob.pres.score()
		ob.score = math.Max(b.score, ps)
		// A mark stays while the content changes: one seen over fewer
		// than minContents different contents is an edge of one scene
		// (a chart's bar read 4.15 on a clean calibration video). And
		// it shows the same letters there: titles at a fixed place show
		// different words on each slide.
		structural := ob.pres.present >= 1 && ob.pres.steady() && ob.pres.distinct >= minContents
		glyphs := math.NaN()
		if structural {
			// Only worth comparing frames for a blob that passes the rest.
			glyphs = glyphAgreement(an, res.hps, b, ev)
			if b.weak {
				structural = glyphs >= minWeakGlyphs
			} else {
				structural = glyphs >= minGlyphAgreement || math.IsNaN(glyphs)
			}
		}
		if structural && onStep(an, res.hps, b, ob.pres) {
			structural = false
		}
		ob.ok = structural && ob.score >= d.opt.Threshold
		ob.letters = structural
		*c = candidate{ob: ob, use: true, structural: structural, span: ob.pres.last - ob.pres.first, ps: ps, glyphs: glyphs}
	})
	return found
}

// sameColour reports whether blobs of colours a and b can belong to one
// overlay: the colour hypotheses are coarse, and letters over dark and
// light content pick neighbouring ones.
func sameColour(a, b float32) bool { return math.Abs(float64(a-b)) <= 72 }

// overlayColour is the colour hypothesis whose accepted blobs, with those
// of neighbouring colours, have the greatest summed score (ties: the one
// with the strongest blob, which comes first in cands, but a grey one
// before the near-white one).
func overlayColour(cands []overlayBlob) float32 {
	var best float32
	bestSum := -1.0
	for _, c := range cands {
		if !c.ok {
			continue
		}
		// Blobs of different colours over the same place are the same
		// letters seen twice: they count once, the stronger (a near-white
		// blob over a grey mark's words must not tip the choice between
		// grey hypotheses; near-white tiles elsewhere are more of the mark).
		sum := 0.0
		var counted []image.Rectangle
		for _, o := range cands {
			if !o.ok || !sameColour(o.W, c.W) || slices.ContainsFunc(counted, o.rect.Overlaps) {
				continue
			}
			counted = append(counted, o.rect)
			sum += o.score
		}
		// A tie with the near-white hypothesis goes to the grey one: a
		// grey mark shows under both (see keepStrongest).
		if sum > bestSum || sum == bestSum && best == nearWhite && c.W != nearWhite {
			best, bestSum = c.W, sum
		}
	}
	return best
}

// minContents is the fewest different contents an overlay must show over.
const minContents = 3

// minGlyphAgreement is the median correlation, between frames of different
// contents, of what a blob shows (glyphAgreement) below which it shows
// different letters in each: slide titles at a fixed place measured -0.07
// to 0.01 on development videos, the strongest blob of each of 50 marks
// 0.29 or more (single tiles down to -0.06).
const minGlyphAgreement = 0.15

// minWeakGlyphs is minGlyphAgreement for a blob found on the correlation
// map only: its evidence comes from few frames, so its letters must agree
// clearly. A slide's accent bar and changing titles measured 0.16 on a
// development hard negative (25010); near-white marks 0.36-0.92.
const minWeakGlyphs = 0.3

// minSurroundStd is the ratio of the temporal spread around a blob to the
// spread under it below which the blob is changing glyphs in static UI.
const minSurroundStd = 0.2

// staticSurround is the median temporal standard deviation of the pixels in
// a ring around r (as wide as r is high).
func staticSurround(an *analysis, std []float32, r image.Rectangle) float64 {
	outer := clampRect(r.Inset(-max(2, r.Dy())), an.w, an.h)
	var vals []float32
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if image.Pt(x, y).In(r) {
				continue
			}
			vals = append(vals, std[y*an.w+x])
		}
	}
	if len(vals) == 0 {
		return math.Inf(1)
	}
	return float64(percentile(vals, 0.3))
}
