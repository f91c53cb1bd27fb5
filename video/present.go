package video

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"math"

	"gocv.io/x/gocv"

	"tracescan/media"
)

// presentSums are the regression sums of the frames the mark shows in
// only. A mark that few frames show (a light grey one over mostly white
// pages, or one over a few dark slides of a recording of documents) is a
// faint trace in the regression over all frames, where each other frame
// adds the remnants of its own content; over its own frames it stands out
// clean. Those frames are read again from the file at the analysis size (at
// most maxPresentFrames of them, a seek each); where that fails, the small
// frames kept from sampling serve, at half the size. ok is false when those
// frames are nearly all the sampled ones: the matte of all frames is then
// as clean.
func presentSums(ctx context.Context, an *analysis, res *interpretation) (ps frameSums, ok bool) {
	isShown := make([]bool, len(an.small))
	for _, o := range res.overlays {
		for _, k := range o.pres.shown {
			isShown[k] = true
		}
	}
	var shown []int // in time order
	for k, ok := range isShown {
		if ok {
			shown = append(shown, k)
		}
	}
	if len(shown) < minPresentFrames || float64(len(shown)) > maxPresentShare*float64(len(an.small)) {
		return frameSums{}, false
	}
	slog.Debug("video present matte", "frames", len(shown), "sampled", len(an.small))
	// Sampled key frames are read again at no more cost than one frame
	// each; frames sampled by time from a file of rare key frames cost a
	// decode from the key frame before them, which in a long file can be
	// minutes of video.
	if an.stats.KeyOnly || an.duration <= maxRereadSeconds {
		s, err := fullPresentSums(ctx, an, spread(shown, maxPresentFrames))
		if err == nil {
			return frameSums{regSums: s, w: an.w, h: an.h, div: 1}, true
		}
		if ctx.Err() != nil {
			return frameSums{}, false
		}
		slog.Debug("video frames read again", "err", err)
	}
	s := newRegSums(an.sw * an.sh)
	for _, k := range shown {
		if hp := res.hps[k]; hp.H != nil {
			s.add(hp.H, hp.B, hp.C, contentGate)
		}
	}
	return frameSums{regSums: s, w: an.sw, h: an.sh, div: smallDiv}, true
}

// frameSums are regression sums over some frames, at the analysis size
// divided by div.
type frameSums struct {
	regSums
	w, h, div int
}

// matte is the regression of H on (W - b) at the analysis size (aw x ah)
// where some frame showed colour W with contrast enough (one such frame is
// enough), else NaN: content covered the place in every frame.
func (s frameSums) matte(W float32, aw, ah int) []float32 {
	m := regressed(s.regSums, W)
	if s.div == 1 {
		return m
	}
	sm := floatMat(m, s.w, s.h)
	defer sm.Close()
	big := gocv.NewMat()
	defer big.Close()
	gocv.Resize(sm, &big, image.Pt(aw, ah), 0, 0, gocv.InterpolationLinear)
	return matFloats(big)
}

// letterGrey is the grey the letters of the overlay blobs obs fit best
// (regSums.fitColour over their pixels), W0 the detector's colour.
func (s frameSums) letterGrey(obs []overlayBlob, W0 float32) float32 {
	return s.fitColour(maskPixels(obs, s.w, s.h, s.div), W0)
}

// fillFrom fills the places m knows nothing of (NaN: content covered them
// in every frame the mark shows in) from the matte of all frames.
func fillFrom(m, all []float32) []float32 {
	for i, v := range m {
		if v != v {
			m[i] = all[i]
		}
	}
	return m
}

// spread is at most n of the sorted indexes ks, evenly spaced.
func spread(ks []int, n int) []int {
	if len(ks) <= n {
		return ks
	}
	out := make([]int, n)
	for i := range out {
		out[i] = ks[i*(len(ks)-1)/(n-1)]
	}
	return out
}

// fullPresentSums reads frames ks again at the analysis size and sums
// their high-pass and background for the regression.
func fullPresentSums(ctx context.Context, an *analysis, ks []int) (regSums, error) {
	if an.info == nil {
		return regSums{}, errNoFile
	}
	times := make([]float64, len(ks))
	for i, k := range ks {
		times[i] = an.small[k].t
	}
	frames, err := media.FramesAt(ctx, an.info, times, media.FrameOptions{MaxWidth: an.w, Gray: true})
	if err != nil {
		return regSums{}, err
	}
	acc := an.acc
	reach := gateReach(acc.sigma, acc.clean)
	kernel := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(reach, reach))
	defer kernel.Close()
	s := newRegSums(an.w * an.h)
	for _, f := range frames {
		if f.Width != an.w || f.Height != an.h {
			return regSums{}, errFrameSize
		}
		m, err := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, f.Pix)
		if err != nil {
			return regSums{}, err
		}
		hp, bg, con := highPass(m, acc.sigma, kernel, contentGate, acc.clean)
		s.add(matFloats(hp), matFloats(bg), matFloats(con), contentGate)
		for _, x := range []gocv.Mat{m, hp, bg, con} {
			x.Close()
		}
	}
	return s, nil
}

// regressed is the regression coefficient of H on (W - b) where some frame
// showed colour W with contrast enough (one such frame is enough), else
// NaN.
func regressed(s regSums, W float32) []float32 {
	show := contrastFor(W, minShowContrast)
	out := make([]float32, len(s.n))
	for i := range out {
		out[i] = float32(math.NaN())
		if coef, den, _ := s.fit(i, W); den >= show*show {
			out[i] = coef
		}
	}
	return out
}

// minPresentFrames is the fewest frames a present matte is made of,
// maxPresentFrames the most read again, and maxPresentShare the share of
// the sampled frames they must not exceed for it to replace the matte of
// all frames (over the development sets, 2/3 read two marks more exactly
// at >= 0.12 than 1/2).
const (
	minPresentFrames = 2
	maxPresentFrames = 16
	maxPresentShare  = 2.0 / 3
)

// maxRereadSeconds is the longest file whose frames sampled by time are
// read again.
const maxRereadSeconds = 120

var (
	errNoFile    = errors.New("no file to read frames from")
	errFrameSize = errors.New("frame read again at another size")
)
