package videodiff

import (
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"
)

// transform maps A pixels to B pixels: xB = S*xA + TX, yB = S*yA + TY.
type transform struct {
	S, TX, TY float64
	Response  float64 // phase-correlation peak of the fit (0-1)
}

// warpToA resamples B onto A's w x h grid through t (scaled by f: grid
// pixels are A pixels times f). B is low-passed first when it is larger than
// the grid so that the linear warp does not alias.
func warpToA(b gocv.Mat, t transform, f float64, w, h int) gocv.Mat {
	s := t.S / f
	src := b
	if s > 1.05 {
		src = gocv.NewMat()
		defer src.Close()
		sig := 0.45 * s
		gocv.GaussianBlur(b, &src, image.Pt(0, 0), sig, sig, gocv.BorderReflect101)
	}
	m := gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F)
	defer m.Close()
	m.SetDoubleAt(0, 0, s)
	m.SetDoubleAt(0, 1, 0)
	m.SetDoubleAt(0, 2, t.TX)
	m.SetDoubleAt(1, 0, 0)
	m.SetDoubleAt(1, 1, s)
	m.SetDoubleAt(1, 2, t.TY)
	out := gocv.NewMat()
	gocv.WarpAffineWithParams(src, &out, m, image.Pt(w, h), gocv.InterpolationLinear|gocv.WarpInverseMap,
		gocv.BorderConstant, color.RGBA{})
	return out
}

// phaseShift returns the shift of b relative to a and the peak response.
func phaseShift(a, b gocv.Mat) (float64, float64, float64) {
	win := hanning(a.Cols(), a.Rows())
	defer win.Close()
	p, resp := gocv.PhaseCorrelate(a, b, win)
	return float64(p.X), float64(p.Y), resp
}

// estimateTransform finds the scale and translation that map A's frame onto
// B's. It starts from the ratio of widths, finds the overall shift by phase
// correlation, then measures the local shift of patches across the frame:
// a scale error (a crop of a few pixels changes the scale by a percent)
// shows as shifts growing with the distance from the centre, which a least
// squares fit turns into a scale correction.
func estimateTransform(a, b gocv.Mat) transform {
	wa, ha := a.Cols(), a.Rows()
	t := transform{S: float64(b.Cols()) / float64(wa)}
	bw := warpToA(b, t, 1, wa, ha)
	dx, dy, resp := phaseShift(a, bw)
	bw.Close()
	t.TX, t.TY, t.Response = t.S*dx, t.S*dy, resp
	for iter := 0; iter < 3; iter++ {
		e, d0x, d0y, r, ok := patchFit(a, b, t)
		if !ok {
			break
		}
		// A's x sits at x + d0 + e*(x - c) on the warp grid; c is folded
		// into d0 by patchFit.
		t = transform{S: t.S * (1 + e), TX: t.TX + t.S*d0x, TY: t.TY + t.S*d0y, Response: r}
		if math.Abs(e) < 1e-4 && math.Hypot(d0x, d0y) < 0.05 {
			break
		}
	}
	return t
}

// patchFit measures patch shifts of B warped by t against A and fits
// d(x) = d0 + e*x (one scale for both axes).
func patchFit(a, b gocv.Mat, t transform) (e, d0x, d0y, meanResp float64, ok bool) {
	wa, ha := a.Cols(), a.Rows()
	bw := warpToA(b, t, 1, wa, ha)
	defer bw.Close()
	ps := min(256, wa/3, ha/2)
	ps &^= 1
	type obs struct{ x, y, dx, dy, r float64 }
	var o []obs
	for _, fy := range []float64{0.25, 0.5, 0.75} {
		for _, fx := range []float64{0.15, 0.38, 0.62, 0.85} {
			cx, cy := int(fx*float64(wa)), int(fy*float64(ha))
			r := image.Rect(cx-ps/2, cy-ps/2, cx+ps/2, cy+ps/2).Intersect(image.Rect(0, 0, wa, ha))
			if r.Dx() < ps/2 || r.Dy() < ps/2 {
				continue
			}
			pa, pb := a.Region(r), bw.Region(r)
			ca, cb := pa.Clone(), pb.Clone()
			pa.Close()
			pb.Close()
			dx, dy, resp := phaseShift(ca, cb)
			ca.Close()
			cb.Close()
			if resp < 0.15 || math.Abs(dx) > float64(ps)/4 || math.Abs(dy) > float64(ps)/4 {
				continue
			}
			o = append(o, obs{float64(r.Min.X+r.Max.X) / 2, float64(r.Min.Y+r.Max.Y) / 2, dx, dy, resp})
		}
	}
	if len(o) < 3 {
		return 0, 0, 0, 0, false
	}
	var sw, sx, sy, sdx, sdy float64
	for _, v := range o {
		sw += v.r
		sx += v.r * v.x
		sy += v.r * v.y
		sdx += v.r * v.dx
		sdy += v.r * v.dy
		meanResp += v.r
	}
	cx, cy, mdx, mdy := sx/sw, sy/sw, sdx/sw, sdy/sw
	var num, den float64
	for _, v := range o {
		num += v.r * ((v.dx-mdx)*(v.x-cx) + (v.dy-mdy)*(v.y-cy))
		den += v.r * ((v.x-cx)*(v.x-cx) + (v.y-cy)*(v.y-cy))
	}
	if den <= 0 {
		return 0, 0, 0, 0, false
	}
	e = num / den
	// d(x) = mdx + e*(x - cx) = (mdx - e*cx) + e*x.
	return e, mdx - e*cx, mdy - e*cy, meanResp / float64(len(o)), true
}

// hanning is a 2-D Hann window: it keeps the frame borders from dominating
// the phase correlation.
func hanning(w, h int) gocv.Mat {
	m := gocv.NewMatWithSize(h, w, gocv.MatTypeCV32F)
	d, err := m.DataPtrFloat32()
	if err != nil {
		return m
	}
	wx := make([]float32, w)
	for x := range wx {
		wx[x] = float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(x)/float64(max(1, w-1))))
	}
	for y := 0; y < h; y++ {
		wy := float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(y)/float64(max(1, h-1))))
		for x := 0; x < w; x++ {
			d[y*w+x] = wy * wx[x]
		}
	}
	return m
}
