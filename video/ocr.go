package video

import (
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"
)

// textCrop cuts the line of text through a blob out of a float map (bright
// text on zero), turned so the text runs horizontally, trimmed to the text,
// contrast-stretched and scaled to a letter height Tesseract reads well. It
// returns dark text on white and the binarised version, the line in map
// pixels when it is horizontal, and the line in the turned map (key: lines
// read from two blobs of one line share it). ok is false when nothing
// stands out.
func textCrop(m []float32, w, h int, b blob, angle float64) (gray, bin gocv.Mat, line, key image.Rectangle, ok bool) {
	src := floatMat(m, w, h)
	defer func() { src.Close() }()
	// The blob in the map's (possibly turned) pixels.
	pts := b.mask
	if len(pts) == 0 {
		pts = []image.Point{b.rect.Min, b.rect.Max.Sub(image.Pt(1, 1))}
	}
	at := func(p image.Point) (float64, float64) { return float64(p.X), float64(p.Y) }
	turned := math.Abs(angle) > 3
	if turned {
		// Turn the whole map, so the line can be followed to its ends
		// however far from the blob they lie.
		rad := angle * math.Pi / 180
		cw := int(math.Ceil(float64(w)*math.Abs(math.Cos(rad))+float64(h)*math.Abs(math.Sin(rad)))) + 2
		chh := int(math.Ceil(float64(w)*math.Abs(math.Sin(rad))+float64(h)*math.Abs(math.Cos(rad)))) + 2
		rot := gocv.GetRotationMatrix2D(image.Pt(w/2, h/2), -angle, 1)
		rot.SetDoubleAt(0, 2, rot.GetDoubleAt(0, 2)+float64(cw-w)/2)
		rot.SetDoubleAt(1, 2, rot.GetDoubleAt(1, 2)+float64(chh-h)/2)
		var aff [6]float64
		for i := range aff {
			aff[i] = rot.GetDoubleAt(i/3, i%3)
		}
		at = func(p image.Point) (float64, float64) {
			x, y := float64(p.X), float64(p.Y)
			return aff[0]*x + aff[1]*y + aff[2], aff[3]*x + aff[4]*y + aff[5]
		}
		dst := gocv.NewMat()
		gocv.WarpAffineWithParams(src, &dst, rot, image.Pt(cw, chh), gocv.InterpolationLinear,
			gocv.BorderConstant, color.RGBA{})
		rot.Close()
		src.Close()
		src = dst
	}
	mw, mh := src.Cols(), src.Rows()
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x, y := at(p)
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
	}
	// Rows: the blob's band and its height either side (a blob can cover
	// only the x-height of its line, or only its descenders). Columns: the
	// whole map, since the faint ends of a mark often fall below the
	// detection threshold but still read.
	bh := y1 - y0 + 1
	r := clampRect(image.Rect(0, int(y0-bh), mw, int(y1+bh)+1), mw, mh)
	if r.Dx() < 8 || r.Dy() < 8 {
		return gray, bin, line, key, false
	}
	crop := src.Region(r)
	vals := matFloats(crop)
	crop.Close()
	cw, ch := r.Dx(), r.Dy()
	cx, cy := int((x0+x1)/2)-r.Min.X, int((y0+y1)/2)-r.Min.Y
	tb, full, hi := textBand(vals, cw, ch, cx, cy, int(bh/2)+1)
	if tb.Empty() || hi <= 0 {
		return gray, bin, line, key, false
	}
	key = tb.Add(r.Min)
	if !turned {
		line = key
	}
	vals = localStretch(vals, cw, ch, max(5, tb.Dy()), hi)
	g8 := gray8(vals, 0, 0.85)
	for i := range g8 {
		g8[i] = 255 - g8[i]
	}
	gm, _ := gocv.NewMatFromBytes(ch, cw, gocv.MatTypeCV8U, g8)
	defer gm.Close()
	sub := gm.Region(full)
	defer sub.Close()
	// Letters about 48 px high. Small letters are scaled up; big ones (a
	// stamp's) are scaled down only when far bigger, since Tesseract reads
	// 90 px letters crossed by content remnants worse than 48 px ones.
	letter := math.Max(1, letterHeight(tb.Dy()))
	sc := math.Max(1, math.Min(6, 48/letter))
	if letter > bigLetter {
		sc = 48 / letter
	}
	up := gocv.NewMat()
	gocv.Resize(sub, &up, image.Pt(int(float64(full.Dx())*sc), int(float64(full.Dy())*sc)), 0, 0, gocv.InterpolationCubic)
	gray = gocv.NewMat()
	gocv.CopyMakeBorder(up, &gray, 16, 16, 16, 16, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	up.Close()
	bin = gocv.NewMat()
	gocv.Threshold(gray, &bin, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
	return gray, bin, line, key, true
}

// letterHeight is the letter height in a text band (the band holds the
// letters' ascenders, descenders and a margin).
func letterHeight(band int) float64 { return float64(band) * 0.75 }

// bigLetter is the letter height (crop pixels) above which a crop is
// scaled down.
const bigLetter = 80

// textBand finds the line of text through (cx, cy) in a horizontal map:
// the band of rows around the centre where the map is strong, then the run
// of columns in that band, allowing word gaps. core is that band with a
// margin (letter sizes are measured on it), full adds the rows of the
// strokes joined to its letters above and below (what is read), and hi is
// the contrast reference.
func textBand(v []float32, w, h, cx, cy, half int) (core, full image.Rectangle, hi float32) {
	cx, cy = min(max(cx, 0), w-1), min(max(cy, 0), h-1)
	// Contrast reference from the blob's rows, not the whole crop: a rule
	// of the content above or below is brighter than a faint mark.
	var near []float32
	for y := max(0, cy-half); y < min(h, cy+half+1); y++ {
		for x := max(0, cx-w/4); x < min(w, cx+w/4); x++ {
			near = append(near, v[y*w+x])
		}
	}
	hi = percentile(near, 0.99)
	if hi <= 0 {
		return core, full, 0
	}
	thr := hi * 0.3
	x0, x1 := max(0, cx-w/6), min(w, cx+w/6)
	rows := make([]int, h)
	best := 0
	best = max(0, cy-half)
	for y := 0; y < h; y++ {
		for x := x0; x < x1; x++ {
			if v[y*w+x] > thr {
				rows[y]++
			}
		}
		// The line's core lies within the blob's rows.
		if y < cy-half || y > cy+half {
			continue
		}
		if rows[y] > rows[best] || (rows[y] == rows[best] && abs(y-cy) < abs(best-cy)) {
			best = y
		}
	}
	if rows[best] == 0 {
		return core, full, 0
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
	core = clampRect(image.Rect(left-pad, top-pad, right+1+pad, bot+1+pad), w, h)
	// Ascenders and descenders are a few strokes in rows full of small
	// letters: they fall below lim, and cutting them off turns an 'f' into
	// a 't' and '@' into a '€'. The rows beyond the core keep only what
	// hangs on to the line's letters (and the dots of 'i's), so that the
	// next row of a tiled mark does not run into this one.
	t, b := letterReach(v, w, h, top, bot, core.Min.X, core.Max.X, cthr)
	full = core
	full.Min.Y = max(0, min(full.Min.Y, t-pad/2))
	full.Max.Y = min(h, max(full.Max.Y, b+1+pad/2))
	return core, full, hi
}

// letterReach follows the strokes of a line whose small letters fill rows
// top..bot up and down (by at most 0.6 of that height) within columns
// x0..x1 of v, and returns the rows they reach. Pixels above thr there that
// belong to nothing joined to the line (another line, content remnants) are
// set to zero; dots just above the line are kept.
func letterReach(v []float32, w, h, top, bot, x0, x1 int, thr float32) (int, int) {
	core := bot - top + 1
	ext := max(2, core*6/10)
	y0, y1 := max(0, top-ext), min(h-1, bot+ext)
	x0, x1 = max(0, x0), min(w, x1)
	rw, rh := x1-x0, y1-y0+1
	if rw <= 0 {
		return top, bot
	}
	bin := make([]byte, rw*rh)
	for y := range rh {
		for x := range rw {
			if v[(y+y0)*w+x+x0] > thr {
				bin[y*rw+x] = 255
			}
		}
	}
	m, err := gocv.NewMatFromBytes(rh, rw, gocv.MatTypeCV8U, bin)
	if err != nil {
		return top, bot
	}
	defer m.Close()
	labels, stats, cents := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cents.Close()
	nl := gocv.ConnectedComponentsWithStats(m, &labels, &stats, &cents)
	// Which components stay: those on the line's rows, and dots just
	// above it.
	keep := make([]bool, nl)
	reachTop, reachBot := top, bot
	for l := 1; l < nl; l++ {
		minY := int(stats.GetIntAt(l, 1)) + y0
		maxY := minY + int(stats.GetIntAt(l, 3)) - 1
		onLine := minY <= bot && maxY >= top
		dot := maxY < top && maxY >= top-core/3 && maxY-minY <= core/3
		if onLine || dot {
			keep[l] = true
			reachTop, reachBot = min(reachTop, minY), max(reachBot, maxY)
		}
	}
	for i, l := range matInt32s(labels) {
		if y := i/rw + y0; l > 0 && !keep[l] && (y < top || y > bot) {
			v[y*w+i%rw+x0] = 0
		}
	}
	return reachTop, reachBot
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
	var angles []float64
	for a := -60.0; a <= 60; a += 5 {
		angles = append(angles, a)
	}
	vars := rowProfileVar(m, w, h, r, 200, angles)
	if vars == nil {
		return 0
	}
	best := 0
	for i, v := range vars {
		if v > vars[best] {
			best = i
		}
	}
	// Keep horizontal unless a tilt is clearly better.
	if vars[12] >= 0.85*vars[best] {
		return 0
	}
	return angles[best]
}

// refineAngle sharpens a blob's angle (from its shape, which uneven letters
// tilt by a few degrees) by projection over the blob and its surroundings,
// within 6 degrees. Marks are drawn level or clearly tilted: a line within
// 2 degrees of level is taken as level.
func refineAngle(m []float32, w, h int, r image.Rectangle, a0 float64) float64 {
	var angles []float64
	for d := -6.0; d <= 6; d += 0.5 {
		angles = append(angles, a0+d)
	}
	vars := rowProfileVar(m, w, h, r.Inset(-max(r.Dx(), r.Dy())/2), 400, angles)
	if vars == nil {
		return a0
	}
	best := 0
	for i, v := range vars {
		if v > vars[best] {
			best = i
		}
	}
	if math.Abs(angles[best]) <= 2 {
		return 0
	}
	return angles[best]
}

// rowProfileVar turns region r of the map by each angle and returns the
// variance of its row sums, working at most size pixels wide (the profile
// needs no detail). nil when the region is too small.
func rowProfileVar(m []float32, w, h int, r image.Rectangle, size int, angles []float64) []float64 {
	r = clampRect(r, w, h)
	if r.Dx() < 16 || r.Dy() < 16 {
		return nil
	}
	full := floatMat(m, w, h)
	defer full.Close()
	crop := full.Region(r)
	defer crop.Close()
	sc := math.Min(1, float64(size)/float64(max(r.Dx(), r.Dy())))
	src := gocv.NewMat()
	defer src.Close()
	gocv.Resize(crop, &src, image.Pt(max(8, int(float64(r.Dx())*sc)), max(8, int(float64(r.Dy())*sc))), 0, 0, gocv.InterpolationArea)
	side := int(math.Hypot(float64(src.Cols()), float64(src.Rows()))) + 2
	out := make([]float64, len(angles))
	// The angles are independent: spread them over the cores.
	parallelFor(len(angles), func(k int) {
		dst := gocv.NewMat()
		defer dst.Close()
		rot := gocv.GetRotationMatrix2D(image.Pt(src.Cols()/2, src.Rows()/2), -angles[k], 1)
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
		out[k] = sum2/n - (sum/n)*(sum/n)
	})
	return out
}

// withoutRules removes long horizontal and vertical strokes from a float
// map: table rules, page borders and underlines of the shared content leave
// such remnants in the rebuilt mark, and where they cross a line of text
// they break its letters up for OCR. A letter's straight runs are short
// across the direction of its line, and shorter still along an axis the
// line is tilted to, so the run length that counts as a rule depends on the
// mark's angle (degrees).
func withoutRules(m []float32, w, h int, angle float64) []float32 {
	tilted := math.Abs(angle) > 10
	lh, lv := w/12, w/24 // horizontal mark: words along, letters across
	if tilted {
		lh, lv = w/40, w/40
	}
	src := floatMat(m, w, h)
	defer src.Close()
	out := append([]float32(nil), m...)
	for _, sz := range []image.Point{image.Pt(max(9, lh), 1), image.Pt(1, max(9, lv))} {
		k := gocv.GetStructuringElement(gocv.MorphRect, sz)
		op := gocv.NewMat()
		gocv.MorphologyEx(src, &op, gocv.MorphOpen, k)
		k.Close()
		rule := matFloats(op)
		op.Close()
		for i, v := range rule {
			out[i] = max(0, out[i]-v)
		}
	}
	return out
}
