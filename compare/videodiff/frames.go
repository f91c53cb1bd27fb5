package videodiff

import (
	"context"
	"fmt"
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"tracescan/media"
)

// frame is one sampled gray frame with a small thumbnail for matching.
type frame struct {
	t     float64
	w, h  int
	pix   []byte
	thumb []float32
	tstd  float64 // spread of the thumbnail: blank frames carry no alignment
}

const thumbW, thumbH = 48, 27

// maxWidth bounds the decoded size: marks are 20+ px letters at 720p, so a
// 1280-wide decode keeps them readable while bounding memory.
const maxWidth = 1280

// sampleFrames decodes a bounded, time-spread sample of gray frames.
func sampleFrames(ctx context.Context, info *media.Info, n int) ([]frame, error) {
	var out []frame
	_, err := media.SampleFrames(ctx, info, media.FrameOptions{MaxFrames: n, MaxWidth: maxWidth, Gray: true,
		DuplicateThreshold: -1}, func(f media.Frame) error {
		fr := frame{t: f.Time, w: f.Width, h: f.Height, pix: f.Pix}
		m, err := gocv.NewMatFromBytes(f.Height, f.Width, gocv.MatTypeCV8U, f.Pix)
		if err != nil {
			return err
		}
		defer m.Close()
		small := gocv.NewMat()
		defer small.Close()
		gocv.Resize(m, &small, image.Pt(thumbW, thumbH), 0, 0, gocv.InterpolationArea)
		fr.thumb = make([]float32, thumbW*thumbH)
		var s, s2 float64
		for i := range fr.thumb {
			v := float32(small.GetUCharAt(i/thumbW, i%thumbW))
			fr.thumb[i] = v
			s += float64(v)
			s2 += float64(v) * float64(v)
		}
		nn := float64(len(fr.thumb))
		fr.tstd = math.Sqrt(math.Max(0, s2/nn-(s/nn)*(s/nn)))
		out = append(out, fr)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", info.Path, err)
	}
	return out, nil
}

func thumbDist(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s / float64(len(a))
}

// candidate is an A frame and the B frame that looks most like it.
type candidate struct {
	ia, ib int
	dist   float64
}

// matchFrames pairs every A frame with its most similar B frame, then keeps
// one pair per distinct picture: a static scene sampled several times would
// otherwise count its encoding residue several times and look persistent.
func matchFrames(fa, fb []frame) (distinct []candidate, offset float64) {
	var all []candidate
	for i := range fa {
		best := candidate{ia: i, ib: -1, dist: math.Inf(1)}
		for j := range fb {
			if d := thumbDist(fa[i].thumb, fb[j].thumb); d < best.dist {
				best = candidate{ia: i, ib: j, dist: d}
			}
		}
		if best.ib >= 0 {
			all = append(all, best)
		}
	}
	offset = timeOffset(fa, fb)
	sort.Slice(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	for _, c := range all {
		if c.dist >= maxThumbDist || fa[c.ia].tstd < minThumbStd {
			continue
		}
		dup := false
		for _, d := range distinct {
			if thumbDist(fa[c.ia].thumb, fa[d.ia].thumb) < sameSceneDist || d.ib == c.ib {
				dup = true
				break
			}
		}
		if !dup {
			distinct = append(distinct, c)
		}
	}
	return distinct, offset
}

// Matching limits on 48x27 thumbnails (mean absolute difference, 0-255).
// Two copies of one picture differ by encoding noise and faint marks (a few
// levels); different pictures by tens of levels.
const (
	maxThumbDist  = 12
	sameSceneDist = 1.5
	minThumbStd   = 4
)

func (f frame) mat() (gocv.Mat, error) {
	return gocv.NewMatFromBytes(f.h, f.w, gocv.MatTypeCV8U, f.pix)
}

// floatMat converts a gray frame to float32.
func (f frame) floatMat() (gocv.Mat, error) {
	m, err := f.mat()
	if err != nil {
		return m, err
	}
	defer m.Close()
	out := gocv.NewMat()
	m.ConvertTo(&out, gocv.MatTypeCV32F)
	return out, nil
}

// timeOffset finds the shift of B's timeline against A's that makes the
// pictures agree best: for each candidate offset, A's frames are compared
// with B's frames nearest in time. Scene changes pin the offset down;
// within a static scene every offset fits equally well.
func timeOffset(fa, fb []frame) float64 {
	if len(fa) == 0 || len(fb) == 0 {
		return 0
	}
	tb := make([]float64, len(fb))
	for j, f := range fb {
		tb[j] = f.t
	}
	// Frames further apart in time than this do not testify.
	gap := 0.0
	for _, ts := range [][]float64{times(fa), tb} {
		for i := 1; i < len(ts); i++ {
			gap = math.Max(gap, ts[i]-ts[i-1])
		}
	}
	tol := math.Max(0.3, gap/2+0.05)
	lo, hi := fb[0].t-fa[len(fa)-1].t, fb[len(fb)-1].t-fa[0].t
	step := math.Max(0.04, (hi-lo)/4000)
	best, bestCost := 0.0, math.Inf(1)
	for o := lo; o <= hi; o += step {
		var sum float64
		n := 0
		for _, f := range fa {
			t := f.t + o
			j := sort.SearchFloat64s(tb, t)
			k := -1
			if j < len(tb) && tb[j]-t <= tol {
				k = j
			}
			if j > 0 && t-tb[j-1] <= tol && (k < 0 || t-tb[j-1] < tb[k]-t) {
				k = j - 1
			}
			if k < 0 {
				continue
			}
			sum += math.Min(thumbDist(f.thumb, fb[k].thumb), 2*maxThumbDist)
			n++
		}
		if n < max(2, len(fa)/3) {
			continue
		}
		if c := sum / float64(n); c < bestCost-1e-9 || (c < bestCost+1e-9 && math.Abs(o) < math.Abs(best)) {
			best, bestCost = o, c
		}
	}
	return best
}

func times(fs []frame) []float64 {
	out := make([]float64, len(fs))
	for i, f := range fs {
		out[i] = f.t
	}
	return out
}
