package videodiff

import (
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"
)

// overlayGrays are the overlay colours tried: platforms draw grey to white
// text so that it shows on any content. The mark's colour is unknown, and
// which copy a difference belongs to depends on it (see accum.add).
var overlayGrays = []float32{96, 128, 160, 192, 224}

// Per-pixel limits (levels 0-255 on the working grid).
const (
	// edgeGrad: local contrast above this per pixel is screen content (text,
	// UI edges, about 80/px), not a 5-30 % overlay (at most about 25/px).
	// Resampling residue concentrates there, so those pixels are skipped.
	edgeGrad = 30
	// minPull: where content is this close to an overlay colour the overlay
	// cannot show.
	minPull = 12
	// zClip bounds one frame's vote so that a single misaligned edge cannot
	// outweigh a mark seen in every frame.
	zClip = 5
	// minSigma is the smallest noise level assumed (levels): rounding alone
	// leaves about half a level.
	minSigma = 1.0
)

// accum gathers, per pixel and overlay colour g, the matched-filter
// statistic of the hypothesis "A is pulled towards g relative to B":
// with A = a*g + (1-a)*I and B = I, D = A-B = a*(g-I). A mark in B gives
// D = -b*(g-I) instead, so one statistic with both signs serves both copies.
type accum struct {
	w, h int
	num  [][]float32 // per gray: sum of z*u
	den  [][]float32 // per gray: sum of u*u
	// Per copy: sums of the picture, its square and its local contrast,
	// to recognise opaque static UI (contrast that never changes).
	sum, sum2, grad [2][]float32
	pairs           int
	noise           []float64
	tA, tB          []float64
}

func newAccum(w, h int) *accum {
	ac := &accum{w: w, h: h}
	for range overlayGrays {
		ac.num = append(ac.num, make([]float32, w*h))
		ac.den = append(ac.den, make([]float32, w*h))
	}
	for c := 0; c < 2; c++ {
		ac.sum[c] = make([]float32, w*h)
		ac.sum2[c] = make([]float32, w*h)
		ac.grad[c] = make([]float32, w*h)
	}
	return ac
}

// pairData is one aligned pair on the working grid.
type pairData struct {
	a, b  []float32
	valid []bool
	corr  float64 // correlation of the high-passed pictures
}

// preparePair brings A's and B's frames onto the working grid (A's geometry
// at scale f), blurs both alike and measures how well their fine structure
// agrees.
func preparePair(fa, fb frame, t transform, f float64, w, h int) (pairData, error) {
	var p pairData
	am, err := fa.floatMat()
	if err != nil {
		return p, err
	}
	defer am.Close()
	bm, err := fb.floatMat()
	if err != nil {
		return p, err
	}
	defer bm.Close()
	ag := gocv.NewMat()
	defer ag.Close()
	if f < 1 {
		gocv.Resize(am, &ag, image.Pt(w, h), 0, 0, gocv.InterpolationArea)
	} else {
		am.CopyTo(&ag)
	}
	bg := warpToA(bm, t, f, w, h)
	defer bg.Close()
	ones := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(1, 0, 0, 0), fb.h, fb.w, gocv.MatTypeCV32F)
	defer ones.Close()
	vm := warpToA(ones, t, f, w, h)
	defer vm.Close()
	// The same light blur on both evens out the different resampling paths.
	for _, m := range []*gocv.Mat{&ag, &bg} {
		gocv.GaussianBlur(*m, m, image.Pt(0, 0), 0.8, 0.8, gocv.BorderReflect101)
	}
	p.a, p.b = copyFloats(ag), copyFloats(bg)
	vv := copyFloats(vm)
	p.valid = make([]bool, w*h)
	const border = 3
	for y := border; y < h-border; y++ {
		for x := border; x < w-border; x++ {
			i := y*w + x
			p.valid[i] = vv[i] > 0.999 && vv[i-border] > 0.999 && vv[i+border] > 0.999 &&
				vv[i-border*w] > 0.999 && vv[i+border*w] > 0.999
		}
	}
	p.corr = hpCorr(ag, bg, p.valid)
	return p, nil
}

func copyFloats(m gocv.Mat) []float32 {
	d, err := m.DataPtrFloat32()
	if err != nil || !m.IsContinuous() {
		out := make([]float32, m.Rows()*m.Cols())
		for y := 0; y < m.Rows(); y++ {
			for x := 0; x < m.Cols(); x++ {
				out[y*m.Cols()+x] = m.GetFloatAt(y, x)
			}
		}
		return out
	}
	return append([]float32(nil), d...)
}

// hpCorr correlates the fine structure (picture minus its blur) of two
// pictures: about 1 for two encodings of one picture, near 0 for different
// pictures whatever their overall brightness.
func hpCorr(a, b gocv.Mat, valid []bool) float64 {
	hp := func(m gocv.Mat) []float32 {
		bl := gocv.NewMat()
		defer bl.Close()
		gocv.GaussianBlur(m, &bl, image.Pt(0, 0), 3, 3, gocv.BorderReflect101)
		v, bv := copyFloats(m), copyFloats(bl)
		for i := range v {
			v[i] -= bv[i]
		}
		return v
	}
	ha, hb := hp(a), hp(b)
	var sab, saa, sbb float64
	for i := range ha {
		if !valid[i] {
			continue
		}
		x, y := float64(ha[i]), float64(hb[i])
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa <= 0 || sbb <= 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// add accumulates one aligned pair.
func (ac *accum) add(p pairData, ta, tb float64) {
	w, h := ac.w, ac.h
	n := w * h
	d := make([]float32, n)
	m := make([]float32, n)
	for i := range d {
		d[i] = p.a[i] - p.b[i]
		m[i] = 0.5 * (p.a[i] + p.b[i])
	}
	flat := flatMask(m, w, h)
	for c, v := range [][]float32{p.a, p.b} {
		g := maxFilter(gradient(v, w, h), w, h, 2)
		s, s2, sg := ac.sum[c], ac.sum2[c], ac.grad[c]
		for i, x := range v {
			s[i] += x
			s2[i] += x * x
			sg[i] += g[i]
		}
	}
	// Noise level of the difference away from content edges, per
	// neighbourhood: encoders reproduce flat areas almost exactly but leave
	// several levels of error in textures and gradients. The RMS over
	// noiseWin pixels, floored by the frame's trimmed RMS.
	var sample []float64
	for i := 0; i < n; i += 3 {
		if p.valid[i] && flat[i] {
			sample = append(sample, float64(d[i])*float64(d[i]))
		}
	}
	if len(sample) < 100 {
		return
	}
	sort.Float64s(sample)
	var ss float64
	keep := len(sample) * 98 / 100
	for _, v := range sample[:keep] {
		ss += v
	}
	sigma := math.Max(minSigma, math.Sqrt(ss/float64(keep)))
	local := localMS(d, flat, p.valid, w, h)
	floor := float32(sigma * sigma)
	for gi, g := range overlayGrays {
		num, den := ac.num[gi], ac.den[gi]
		for i := 0; i < n; i++ {
			if !p.valid[i] || !flat[i] {
				continue
			}
			u := (g - m[i]) / 100
			if u > -minPull/100.0 && u < minPull/100.0 {
				continue
			}
			z := d[i] / float32(math.Sqrt(float64(max(floor, local[i]))))
			if z > zClip {
				z = zClip
			} else if z < -zClip {
				z = -zClip
			}
			num[i] += z * u
			den[i] += u * u
		}
	}
	ac.pairs++
	ac.noise = append(ac.noise, sigma)
	ac.tA = append(ac.tA, ta)
	ac.tB = append(ac.tB, tb)
}

// noiseWin is the side of the window the local noise level is measured
// over: several letters wide, so that one stroke does not set it.
const noiseWin = 31

// localMS is the mean square of d over flat, valid pixels in a window.
func localMS(d []float32, flat, valid []bool, w, h int) []float32 {
	sq := gocv.NewMatWithSize(h, w, gocv.MatTypeCV32F)
	defer sq.Close()
	cnt := gocv.NewMatWithSize(h, w, gocv.MatTypeCV32F)
	defer cnt.Close()
	sd, _ := sq.DataPtrFloat32()
	cd, _ := cnt.DataPtrFloat32()
	for i, v := range d {
		if flat[i] && valid[i] {
			sd[i] = v * v
			cd[i] = 1
		} else {
			sd[i], cd[i] = 0, 0
		}
	}
	k := image.Pt(noiseWin, noiseWin)
	gocv.Blur(sq, &sq, k)
	gocv.Blur(cnt, &cnt, k)
	out := make([]float32, w*h)
	for i := range out {
		if cd[i] > 0.05 {
			out[i] = sd[i] / cd[i]
		}
	}
	return out
}

// flatMask marks pixels without strong content contrast nearby.
func flatMask(m []float32, w, h int) []bool {
	g := gradient(m, w, h)
	// Dilate by two pixels: resampling residue spreads beside an edge.
	g = maxFilter(g, w, h, 2)
	out := make([]bool, w*h)
	for i, v := range g {
		out[i] = v < edgeGrad
	}
	return out
}

// gradient is the larger central difference per pixel (levels per pixel).
func gradient(m []float32, w, h int) []float32 {
	g := make([]float32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			gx := abs32(m[i+1]-m[i-1]) / 2
			gy := abs32(m[i+w]-m[i-w]) / 2
			g[i] = max(gx, gy)
		}
	}
	return g
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// maxFilter is a separable (2r+1)^2 maximum filter.
func maxFilter(v []float32, w, h, r int) []float32 {
	tmp := make([]float32, len(v))
	for y := 0; y < h; y++ {
		row := v[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			mx := row[x]
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				mx = max(mx, row[k])
			}
			tmp[y*w+x] = mx
		}
	}
	out := make([]float32, len(v))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			mx := tmp[y*w+x]
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				mx = max(mx, tmp[k*w+x])
			}
			out[y*w+x] = mx
		}
	}
	return out
}

// evidence returns, per pixel, the strongest statistic over overlay colours
// for a mark in A (sign +1) or in B (sign -1). Under no mark each colour's
// statistic is about standard normal.
func (ac *accum) evidence(sign float32) []float32 {
	n := ac.w * ac.h
	out := make([]float32, n)
	// A mark in A is judged against B's picture and vice versa: static UI
	// shows in the other copy as contrast that never changes.
	other := 1
	if sign < 0 {
		other = 0
	}
	k := float32(ac.pairs)
	static := make([]float32, n)
	for i := 0; i < n; i++ {
		mean := ac.sum[other][i] / k
		vr := ac.sum2[other][i]/k - mean*mean
		if vr < staticVar*staticVar && ac.grad[other][i]/k > staticGrad {
			static[i] = 1
		}
	}
	// Resampling residue of static UI reaches a few pixels beyond it.
	static = maxFilter(static, ac.w, ac.h, staticMargin)
	for i := 0; i < n; i++ {
		if static[i] > 0 {
			continue
		}
		best := float32(0)
		for gi := range overlayGrays {
			den := ac.den[gi][i]
			if den < minDen {
				continue
			}
			v := sign * ac.num[gi][i] / float32(math.Sqrt(float64(den)))
			best = max(best, v)
		}
		out[i] = best
	}
	return out
}

// Static UI: contrast above staticGrad levels/px at a pixel whose level
// varies by less than staticVar across the compared pictures.
const (
	staticGrad   = 6
	staticVar    = 4
	staticMargin = 3
)

// minDen asks for the content under a pixel to differ clearly from the
// overlay colour in at least about two frames.
const minDen = 0.08
