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

// presentMatte is the matte of the frames the mark shows in only: the
// regression of their high-pass on (W - b) over those frames. A mark that
// few frames show (a light grey one over mostly white pages, or one over a
// few dark slides of a recording of documents) is a faint trace in the
// regression over all frames, where each other frame adds the remnants of
// its own content; over its own frames it stands out clean. Those frames
// are read again from the file at the analysis size (at most
// maxPresentFrames of them, a seek each); where that fails, the small
// frames kept from sampling serve, at half the size. Places that content
// covered in all those frames keep the matte of all frames. ok is false when
// those frames are nearly all the sampled ones: the matte of all frames is
// then as clean.
func presentMatte(ctx context.Context, an *analysis, res *interpretation, all []float32) (matte []float32, ok bool) {
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
		return nil, false
	}
	slog.Debug("video present matte", "frames", len(shown), "sampled", len(an.small))
	// Sampled key frames are read again at no more cost than one frame
	// each; frames sampled by time from a file of rare key frames cost a
	// decode from the key frame before them, which in a long file can be
	// minutes of video.
	if an.stats.KeyOnly || an.duration <= maxRereadSeconds {
		m, err := fullPresentMatte(ctx, an, res.W, spread(shown, maxPresentFrames))
		if err == nil {
			return fillFrom(m, all), true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		slog.Debug("video frames read again", "err", err)
	}
	return fillFrom(smallPresentMatte(an, res, shown), all), true
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

// fullPresentMatte reads frames ks again at the analysis size and
// regresses their high-pass on (W - b).
func fullPresentMatte(ctx context.Context, an *analysis, W float32, ks []int) ([]float32, error) {
	if an.info == nil {
		return nil, errNoFile
	}
	times := make([]float64, len(ks))
	for i, k := range ks {
		times[i] = an.small[k].t
	}
	frames, err := media.FramesAt(ctx, an.info, times, media.FrameOptions{MaxWidth: an.w, Gray: true})
	if err != nil {
		return nil, err
	}
	acc := an.acc
	reach := gateReach(acc.sigma, acc.clean)
	kernel := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(reach, reach))
	defer kernel.Close()
	n := an.w * an.h
	num, den := make([]float32, n), make([]float32, n)
	for _, f := range frames {
		if f.Width != an.w || f.Height != an.h {
			return nil, errFrameSize
		}
		m, err := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, f.Pix)
		if err != nil {
			return nil, err
		}
		hp, bg, con := highPass(m, acc.sigma, kernel, contentGate, acc.clean)
		addRegression(num, den, matFloats(hp), matFloats(bg), matFloats(con), W)
		for _, x := range []gocv.Mat{m, hp, bg, con} {
			x.Close()
		}
	}
	return regressed(num, den, W), nil
}

// smallPresentMatte is the regression over the small frames ks, scaled up
// to the analysis size.
func smallPresentMatte(an *analysis, res *interpretation, ks []int) []float32 {
	n := an.sw * an.sh
	num, den := make([]float32, n), make([]float32, n)
	for _, k := range ks {
		hp := res.hps[k]
		if hp.H != nil {
			addRegression(num, den, hp.H, hp.B, hp.C, res.W)
		}
	}
	sm := floatMat(regressed(num, den, res.W), an.sw, an.sh)
	defer sm.Close()
	big := gocv.NewMat()
	defer big.Close()
	gocv.Resize(sm, &big, image.Pt(an.w, an.h), 0, 0, gocv.InterpolationLinear)
	return matFloats(big)
}

// addRegression adds one frame's high-pass H against (W - b) to the sums,
// where the content gate C leaves the pixel open.
func addRegression(num, den, H, B, C []float32, W float32) {
	for i := range num {
		if C[i] > contentGate {
			continue
		}
		x := W - B[i]
		num[i] += H[i] * x
		den[i] += x * x
	}
}

// regressed is num/den where some frame showed colour W with contrast
// enough (one such frame is enough), else NaN.
func regressed(num, den []float32, W float32) []float32 {
	show := contrastFor(W, minShowContrast)
	out := make([]float32, len(num))
	for i := range out {
		out[i] = float32(math.NaN())
		if den[i] >= show*show {
			out[i] = num[i] / den[i]
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
