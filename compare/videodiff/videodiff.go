// Package videodiff compares two copies of one screen-share recording. Two
// viewers' copies show the same content under different personal overlays,
// so once the copies are aligned in time and space their difference exposes
// each copy's mark: it stays put while encoding noise moves around.
package videodiff

import (
	"context"
	"errors"
	"fmt"
	"math"

	"tracescan/media"
	"tracescan/report"
)

// Options tunes a comparison.
type Options struct {
	MaxFrames int // frames sampled per copy; 0 means 80
}

// ErrNoAlignment means the copies could not be lined up.
var ErrNoAlignment = errors.New("the copies do not line up: they do not look like recordings of the same meeting")

// Result is the outcome of a comparison.
type Result struct {
	OffsetS  float64 // time in B of A's t=0
	Scale    float64 // B pixels per A pixel
	Flagged  bool
	Findings []report.Finding
}

const defaultFrames = 80

// minPairs is the fewest distinct aligned pictures a comparison needs: a
// mark is told from encoding noise by persisting across pictures.
const minPairs = 2

// minCorr is the fine-structure correlation an aligned pair must reach to
// count as the same picture (two encodings score 0.8-1, different pictures
// below 0.3).
const minCorr = 0.6

// maxScaleDev bounds how far the scale may stray from the ratio of the
// widths: the copies may be cropped by a few pixels, not zoomed.
const maxScaleDev = 0.05

// analysis holds the intermediate results of a comparison.
type analysis struct {
	offset     float64
	tr         transform
	f          float64 // working grid = A's decoded frame times f
	gw, gh     int
	wA, hA     int // decoded sizes
	wB, hB     int
	srcA, srcB [2]int // source sizes
	pathA      string
	pathB      string
	acc        *accum
	sm         [2][]float32 // smoothed evidence for A and B
	blobs      [2][]blob
	labels     [2][]int32
	score      [2]float64
}

// Compare aligns b to a and reports each copy's persistent mark.
func Compare(ctx context.Context, a, b *media.Info, opt Options) (*Result, error) {
	an, err := analyse(ctx, a, b, opt)
	if err != nil {
		return nil, err
	}
	res := &Result{OffsetS: an.offset, Scale: an.scale()}
	fs, err := an.findings(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.Kind == report.KindCopyDifference {
			res.Flagged = true
		}
	}
	res.Findings = fs
	return res, nil
}

func analyse(ctx context.Context, a, b *media.Info, opt Options) (*analysis, error) {
	n := opt.MaxFrames
	if n <= 0 {
		n = defaultFrames
	}
	vsA, okA := a.Video()
	vsB, okB := b.Video()
	if !okA || !okB {
		return nil, fmt.Errorf("comparing videos: both copies need a video stream")
	}
	fa, err := sampleFrames(ctx, a, n)
	if err != nil {
		return nil, err
	}
	fb, err := sampleFrames(ctx, b, n)
	if err != nil {
		return nil, err
	}
	if len(fa) == 0 || len(fb) == 0 {
		return nil, fmt.Errorf("comparing videos: no frames decoded")
	}
	an := &analysis{wA: fa[0].w, hA: fa[0].h, wB: fb[0].w, hB: fb[0].h,
		srcA: [2]int{vsA.Width, vsA.Height}, srcB: [2]int{vsB.Width, vsB.Height}, pathA: a.Path, pathB: b.Path}
	cands, offset := matchFrames(fa, fb)
	an.offset = offset
	if len(cands) < minPairs {
		return nil, fmt.Errorf("%w (%d matching pictures)", ErrNoAlignment, len(cands))
	}
	// Geometry from the most detailed matched pictures; each estimate is
	// judged by how well its own pair then agrees in fine structure.
	best := transform{Response: -1}
	bestCorr := -1.0
	tries := 0
	for _, c := range byDetail(cands, fa) {
		if tries == 3 {
			break
		}
		tries++
		am, err := fa[c.ia].floatMat()
		if err != nil {
			return nil, err
		}
		bm, err := fb[c.ib].floatMat()
		if err != nil {
			am.Close()
			return nil, err
		}
		s0 := float64(bm.Cols()) / float64(am.Cols())
		t := estimateTransform(am, bm)
		am.Close()
		bm.Close()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Crops of a few pixels change the scale by a few percent at most.
		if math.Abs(t.S/s0-1) > maxScaleDev {
			continue
		}
		f := math.Min(1, t.S)
		p, err := preparePair(fa[c.ia], fb[c.ib], t, f, int(float64(an.wA)*f+0.5), int(float64(an.hA)*f+0.5))
		if err != nil {
			return nil, err
		}
		if p.corr > bestCorr {
			best, bestCorr = t, p.corr
		}
	}
	if bestCorr < minCorr {
		return nil, fmt.Errorf("%w (no scale and shift makes the pictures agree)", ErrNoAlignment)
	}
	an.tr = best
	an.f = math.Min(1, best.S)
	an.gw = int(float64(an.wA)*an.f + 0.5)
	an.gh = int(float64(an.hA)*an.f + 0.5)
	an.acc = newAccum(an.gw, an.gh)
	good := 0
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := preparePair(fa[c.ia], fb[c.ib], best, an.f, an.gw, an.gh)
		if err != nil {
			return nil, err
		}
		if p.corr < minCorr {
			continue
		}
		good++
		an.acc.add(p, fa[c.ia].t, fb[c.ib].t)
	}
	if good < minPairs || an.acc.pairs < minPairs {
		return nil, fmt.Errorf("%w (%d of %d matched pictures agree after alignment)", ErrNoAlignment, good, len(cands))
	}
	for s, sign := range []float32{1, -1} {
		an.sm[s] = smooth(an.acc.evidence(sign), an.gw, an.gh)
		an.blobs[s], an.labels[s] = findBlobs(an.sm[s], an.gw, an.gh)
		an.score[s] = sideScore(an.blobs[s])
	}
	return an, nil
}

// byDetail orders candidates by how much structure A's picture has.
func byDetail(c []candidate, fa []frame) []candidate {
	out := append([]candidate(nil), c...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && fa[out[j].ia].tstd > fa[out[j-1].ia].tstd; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
