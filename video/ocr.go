package video

import (
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"
)

// textCrop cuts a region of a float map (bright text on zero), turns it so
// the text runs horizontally, trims it to the text, stretches the contrast
// and scales the letters to a height Tesseract reads well. It returns dark
// text on white, and the binarised version. ok is false when nothing
// stands out.
func textCrop(m []float32, w, h int, rect image.Rectangle, angle float64) (gray, bin gocv.Mat, line image.Rectangle, ok bool) {
	// Reach well beyond the blob along the line: the faint ends of a mark
	// often fall below the detection threshold but still read.
	var r image.Rectangle
	if math.Abs(angle) > 3 {
		d := max(rect.Dx(), rect.Dy()) * 3 / 2
		r = rect.Inset(-d)
	} else {
		r = image.Rect(0, rect.Min.Y-rect.Dy()/2, w, rect.Max.Y+rect.Dy()/2)
	}
	r = clampRect(r, w, h)
	if r.Dx() < 8 || r.Dy() < 8 {
		return gray, bin, line, false
	}
	full := floatMat(m, w, h)
	defer full.Close()
	crop := full.Region(r)
	src := crop.Clone()
	crop.Close()
	defer func() { src.Close() }()
	// The blob's centre in crop coordinates, followed through the rotation.
	cx, cy := float64(rect.Min.X+rect.Dx()/2-r.Min.X), float64(rect.Min.Y+rect.Dy()/2-r.Min.Y)
	if math.Abs(angle) > 3 {
		// Rotate about the centre on a canvas large enough for any angle.
		side := int(math.Hypot(float64(r.Dx()), float64(r.Dy()))) + 2
		rot := gocv.GetRotationMatrix2D(image.Pt(r.Dx()/2, r.Dy()/2), -angle, 1)
		rot.SetDoubleAt(0, 2, rot.GetDoubleAt(0, 2)+float64(side-r.Dx())/2)
		rot.SetDoubleAt(1, 2, rot.GetDoubleAt(1, 2)+float64(side-r.Dy())/2)
		ncx := rot.GetDoubleAt(0, 0)*cx + rot.GetDoubleAt(0, 1)*cy + rot.GetDoubleAt(0, 2)
		ncy := rot.GetDoubleAt(1, 0)*cx + rot.GetDoubleAt(1, 1)*cy + rot.GetDoubleAt(1, 2)
		cx, cy = ncx, ncy
		dst := gocv.NewMat()
		gocv.WarpAffineWithParams(src, &dst, rot, image.Pt(side, side), gocv.InterpolationLinear,
			gocv.BorderConstant, color.RGBA{})
		rot.Close()
		src.Close()
		src = dst
	}
	vals := matFloats(src)
	cw, ch := src.Cols(), src.Rows()
	tb, hi := textBand(vals, cw, ch, int(cx), int(cy))
	if tb.Empty() || hi <= 0 {
		return gray, bin, line, false
	}
	if math.Abs(angle) <= 3 {
		line = tb.Add(r.Min)
	}
	vals = localStretch(vals, cw, ch, max(5, tb.Dy()), hi)
	g8 := gray8(vals, 0, 0.85)
	for i := range g8 {
		g8[i] = 255 - g8[i]
	}
	gm, _ := gocv.NewMatFromBytes(ch, cw, gocv.MatTypeCV8U, g8)
	defer gm.Close()
	sub := gm.Region(tb)
	defer sub.Close()
	// Letters about 48 px high.
	sc := math.Max(1, math.Min(6, 48/math.Max(1, float64(tb.Dy())*0.75)))
	up := gocv.NewMat()
	gocv.Resize(sub, &up, image.Pt(int(float64(tb.Dx())*sc), int(float64(tb.Dy())*sc)), 0, 0, gocv.InterpolationCubic)
	gray = gocv.NewMat()
	gocv.CopyMakeBorder(up, &gray, 16, 16, 16, 16, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	up.Close()
	bin = gocv.NewMat()
	gocv.Threshold(gray, &bin, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
	return gray, bin, line, true
}

// textBand finds the line of text through (cx, cy) in a horizontal map:
// the band of rows around the centre where the map is strong, then the run
// of columns in that band, allowing word gaps.
func textBand(v []float32, w, h, cx, cy int) (image.Rectangle, float32) {
	cx, cy = min(max(cx, 0), w-1), min(max(cy, 0), h-1)
	// Contrast reference from the blob's neighbourhood, not the whole crop.
	var near []float32
	for y := max(0, cy-h/4); y < min(h, cy+h/4); y++ {
		for x := max(0, cx-w/4); x < min(w, cx+w/4); x++ {
			near = append(near, v[y*w+x])
		}
	}
	hi := percentile(near, 0.99)
	if hi <= 0 {
		return image.Rectangle{}, 0
	}
	thr := hi * 0.3
	x0, x1 := max(0, cx-w/6), min(w, cx+w/6)
	rows := make([]int, h)
	best := 0
	for y := 0; y < h; y++ {
		for x := x0; x < x1; x++ {
			if v[y*w+x] > thr {
				rows[y]++
			}
		}
		if rows[y] > rows[best] || (rows[y] == rows[best] && abs(y-cy) < abs(best-cy)) {
			best = y
		}
	}
	if rows[best] == 0 {
		return image.Rectangle{}, 0
	}
	// Grow the band while rows carry text, bridging thin gaps.
	lim := max(1, rows[best]/6)
	top, bot := best, best
	for top > 0 && (rows[top-1] >= lim || (top > 1 && rows[top-2] >= lim)) {
		top--
	}
	for bot < h-1 && (rows[bot+1] >= lim || (bot < h-2 && rows[bot+2] >= lim)) {
		bot++
	}
	band := bot - top + 1
	// The ends of a mark often lie over busier content, where less of it
	// survives the content gate: columns need only half the row threshold.
	cthr := thr * colThrFactor
	cols := make([]bool, w)
	for x := 0; x < w; x++ {
		for y := top; y <= bot; y++ {
			if v[y*w+x] > cthr {
				cols[x] = true
				break
			}
		}
	}
	// Extend from the centre while gaps stay below a word space.
	maxGap := band * 3 / 2
	left, right := cx, cx
	for gap, x := 0, cx; x >= 0 && gap <= maxGap; x-- {
		if cols[x] {
			left, gap = x, 0
		} else {
			gap++
		}
	}
	for gap, x := 0, cx; x < w && gap <= maxGap; x++ {
		if cols[x] {
			right, gap = x, 0
		} else {
			gap++
		}
	}
	pad := max(3, band/4)
	return clampRect(image.Rect(left-pad, top-pad, right+1+pad, bot+1+pad), w, h), hi
}

// colThrFactor scales the row threshold for the columns of a text line.
var colThrFactor float32 = 0.5

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// localStretch divides the map by its local maximum (over about k pixels)
// so that faint stretches of a mark (over content that was gated often, or
// a bright background) read as well as strong ones. hi caps the gain.
func localStretch(v []float32, w, h, k int, hi float32) []float32 {
	m := floatMat(v, w, h)
	defer m.Close()
	kern := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2*k+1, k+1))
	defer kern.Close()
	mx := gocv.NewMat()
	defer mx.Close()
	gocv.Dilate(m, &mx, kern)
	gocv.GaussianBlur(mx, &mx, image.Pt(0, 0), float64(k), 0, gocv.BorderReflect)
	lm := matFloats(mx)
	out := make([]float32, len(v))
	floor := hi * 0.3
	for i, x := range v {
		out[i] = x / max(lm[i], floor)
	}
	return out
}

// skewAngle estimates the text angle in a region of the matte by projection:
// rotated to the right angle, text lines make the row sums peaky, so the
// variance of the row profile is largest. It is used when the blob's own
// shape cannot tell (a few big letters of a tilted stamp).
func skewAngle(m []float32, w, h int, r image.Rectangle) float64 {
	r = clampRect(r, w, h)
	if r.Dx() < 16 || r.Dy() < 16 {
		return 0
	}
	full := floatMat(m, w, h)
	defer full.Close()
	crop := full.Region(r)
	defer crop.Close()
	// Work small: the profile needs no detail.
	sc := math.Min(1, 200/float64(max(r.Dx(), r.Dy())))
	src := gocv.NewMat()
	defer src.Close()
	gocv.Resize(crop, &src, image.Pt(max(8, int(float64(r.Dx())*sc)), max(8, int(float64(r.Dy())*sc))), 0, 0, gocv.InterpolationArea)
	side := int(math.Hypot(float64(src.Cols()), float64(src.Rows()))) + 2
	best, bestVar, zeroVar := 0.0, -1.0, 0.0
	dst := gocv.NewMat()
	defer dst.Close()
	for a := -60.0; a <= 60; a += 5 {
		rot := gocv.GetRotationMatrix2D(image.Pt(src.Cols()/2, src.Rows()/2), -a, 1)
		rot.SetDoubleAt(0, 2, rot.GetDoubleAt(0, 2)+float64(side-src.Cols())/2)
		rot.SetDoubleAt(1, 2, rot.GetDoubleAt(1, 2)+float64(side-src.Rows())/2)
		gocv.WarpAffineWithParams(src, &dst, rot, image.Pt(side, side), gocv.InterpolationLinear,
			gocv.BorderConstant, color.RGBA{})
		rot.Close()
		v := matFloats(dst)
		var sum, sum2 float64
		for y := 0; y < side; y++ {
			var row float64
			for x := 0; x < side; x++ {
				if p := v[y*side+x]; p > 0 {
					row += float64(p)
				}
			}
			sum += row
			sum2 += row * row
		}
		n := float64(side)
		vr := sum2/n - (sum/n)*(sum/n)
		if a == 0 {
			zeroVar = vr
		}
		if vr > bestVar {
			best, bestVar = a, vr
		}
	}
	// Keep horizontal unless a tilt is clearly better.
	if zeroVar >= 0.85*bestVar {
		return 0
	}
	return best
}
