package video

import (
	"image"
	"log/slog"
	"math"
	"slices"
	"sort"

	"gocv.io/x/gocv"
)

// Platforms repeat one mark: tiles, or parallel tilted lines. Each copy is
// seen over different content, so a letter hidden under busy content in
// every frame at one copy is usually clear at another. Pooling the
// per-pixel sums of all copies (not their mattes: a copy with no evidence
// at a pixel must not count as "no letter") gives one regression with the
// frames of every copy, and that pooled matte replaces each copy.

// repeatMinNCC is the normalised correlation with the reference copy above
// which a place may be another copy of the mark. On development videos
// (seeds 5001-5050) tiles matched at 0.54-0.97 and chance places at up to
// 0.47; table cells matched at up to 0.9 until rules were removed from the
// map matched, and the lattice test (onLattice) drops what still matches
// off the layout.
const repeatMinNCC = 0.5

// letterCopyNCC is the match to the reference line a copy needs when it
// lies on a blob that was not accepted: copies of a tiled mark whose
// evidence was spread thin measured 0.83-0.97, and copies matched at
// 0.60-0.75 over a spreadsheet brought its grid into the pooled letters.
const letterCopyNCC = 0.8

// latticeNCC is the correlation of the copies that define the layout's
// steps.
const latticeNCC = 0.6

// maxRepeats bounds the copies pooled.
const maxRepeats = 48

// copyOffsets returns where copies of the window ref lie in the matte, as
// offsets from ref.Min (the reference itself first, offset 0), and their
// correlations.
func copyOffsets(matte []float32, w, h int, ref image.Rectangle) ([]image.Point, []float32) {
	full := floatMat(matte, w, h)
	defer full.Close()
	tmpl := full.Region(ref)
	defer tmpl.Close()
	res := gocv.NewMat()
	defer res.Close()
	mask := gocv.NewMat()
	defer mask.Close()
	gocv.MatchTemplate(full, tmpl, &res, gocv.TmCcoeffNormed, mask)
	rw, rh := res.Cols(), res.Rows()
	score := matFloats(res)
	// Suppression radius: a copy shifted by a letter or two still
	// correlates with the reference; another copy is at least a line
	// height plus the gap away.
	sx, sy := max(2, ref.Dx()/2), max(2, ref.Dy()/2)
	offs := []image.Point{{}}
	nccs := []float32{1}
	suppress := func(px, py int) {
		for y := max(0, py-sy); y < min(rh, py+sy+1); y++ {
			for x := max(0, px-sx); x < min(rw, px+sx+1); x++ {
				score[y*rw+x] = -1
			}
		}
	}
	suppress(ref.Min.X, ref.Min.Y)
	for len(offs) < maxRepeats {
		best, bi := float32(-1), -1
		for i, v := range score {
			if v > best {
				best, bi = v, i
			}
		}
		if bi < 0 || best < repeatMinNCC || math.IsNaN(float64(best)) {
			break
		}
		px, py := bi%rw, bi/rw
		offs = append(offs, image.Pt(px-ref.Min.X, py-ref.Min.Y))
		nccs = append(nccs, best)
		suppress(px, py)
	}
	return offs, nccs
}

// repeatWindow is the window around a line that is matched against the
// rest of the matte: the line with a margin for letters its blob missed.
func repeatWindow(b blob, w, h int) image.Rectangle {
	return clampRect(b.rect.Inset(-repeatPad(b)), w, h)
}

// repeatPad is the margin around a line's blob for letters it missed.
func repeatPad(b blob) int { return max(2, min(b.rect.Dx(), b.rect.Dy())/2) }

// poolWindow is the window pooled once the copies are known. A tilted mark
// is found as several blobs along its line (obs: all blobs of the mark),
// and pooling only the reference blob's window would fill in only that
// piece: the window of a tilted line spans the blobs along it. Level marks
// keep the blob's window (their copies along a row are tiles of their own).
func poolWindow(b blob, obs []overlayBlob, w, h int) image.Rectangle {
	r := b.rect
	if math.Abs(b.angle) > 10 {
		rad := b.angle * math.Pi / 180
		ux, uy := math.Cos(rad), -math.Sin(rad)
		cx, cy := centre(b.rect)
		tol := 0.5 * float64(min(r.Dx(), r.Dy()))
		for _, o := range obs {
			if math.Abs(o.angle-b.angle) > 10 {
				continue
			}
			ox, oy := centre(o.rect)
			if math.Abs((ox-cx)*uy-(oy-cy)*ux) <= tol {
				r = r.Union(o.rect)
			}
		}
	}
	return clampRect(r.Inset(-repeatPad(b)), w, h)
}

// alongLine widens the pooled window of a level line along the line, up to
// where it would meet its neighbour copy in the row: the reference blob
// often covers only some words of a tile, and the letters beyond it would
// otherwise keep the holes of a single copy ("2mma" for "emma").
func alongLine(win image.Rectangle, ref blob, offs []image.Point, w, h int) image.Rectangle {
	if math.Abs(ref.angle) > 10 {
		return win
	}
	// The copies' offsets and their differences span the lattice: those
	// within a row bound the width. With none known the window grows by
	// a line height only, since the next tile of the row may lie close.
	width, row := win.Dx()+8*win.Dy(), false
	for i, a := range offs {
		for _, b := range offs[:i] {
			if d := a.Sub(b); abs(d.Y) < win.Dy() {
				width, row = min(width, abs(d.X)-2), true
			}
		}
	}
	if !row {
		width = win.Dx() + 2*win.Dy()
	}
	if grow := (width - win.Dx()) / 2; grow > 0 {
		win.Min.X -= grow
		win.Max.X += grow
	}
	return clampRect(win, w, h)
}

func centre(r image.Rectangle) (float64, float64) {
	return float64(r.Min.X+r.Max.X) / 2, float64(r.Min.Y+r.Max.Y) / 2
}

// pooledMatte finds the copies of the line ref in matte (acc's matte of
// colour W) and replaces every copy of the window around it (poolWindow)
// by the regression over the sums of all copies, in place. offs are the
// copies' offsets from ref (the first is ref's own, zero). Only places
// where the detector found part of the mark (obs: the accepted overlay
// blobs) count as copies, at a match of repeatMinNCC or more. When they
// give none, the blobs that show steady letters but were not accepted
// (letters) count too, at letterCopyNCC: copies of a tiled mark whose
// evidence is spread thin lie there. It returns the matte and the offsets of
// the copies pooled (one: the mark does not repeat; the matte is
// unchanged).
func pooledMatte(acc *accumulator, W float32, matte []float32, ref blob, obs, letters []overlayBlob) ([]float32, []image.Point) {
	w, h := acc.w, acc.h
	win := repeatWindow(ref, w, h)
	// A window over most of the frame has nowhere to repeat.
	if win.Dx()*win.Dy()*2 > w*h || win.Dx() < 4 || win.Dy() < 4 {
		return matte, []image.Point{{}}
	}
	// Table rules repeat at the cell size: matched, they would make every
	// cell a copy.
	pos := withoutRules(positive(matte), w, h, ref.angle)
	cands, nccs := copyOffsets(pos, w, h, win)
	offs := copiesOn(cands, nccs, win, ref, obs, repeatMinNCC)
	if len(offs) < 2 && len(letters) > 0 {
		obs = append(slices.Clip(obs), letters...)
		offs = copiesOn(cands, nccs, win, ref, obs, letterCopyNCC)
	}
	pool := poolWindow(ref, obs, w, h)
	if pool != win && slices.ContainsFunc(offs[1:], func(d image.Point) bool {
		return regionNCC(pos, w, h, pool, d) < repeatMinNCC
	}) {
		// The window matched, but the whole line does not repeat at
		// every offset (the next line of a tilted layout lies at
		// another phase of the text): pool the matched window only.
		pool = win
	}
	slog.Debug("video copies", "window", win, "pool", pool, "offsets", offs, "ncc", nccs)
	if len(offs) < 2 {
		return matte, offs
	}
	win = alongLine(pool, ref, offs, w, h)
	ww, wh := win.Dx(), win.Dy()
	n := make([]float32, ww*wh)
	sH := make([]float32, ww*wh)
	sB := make([]float32, ww*wh)
	sBB := make([]float32, ww*wh)
	sHB := make([]float32, ww*wh)
	eachCopyPixel(offs, win, w, h, func(i, j int) {
		n[i] += acc.n[j]
		sH[i] += acc.sH[j]
		sB[i] += acc.sB[j]
		sBB[i] += acc.sBB[j]
		sHB[i] += acc.sHB[j]
	})
	pooled := make([]float32, ww*wh)
	for i := range pooled {
		if n[i] < 3 {
			continue
		}
		pooled[i], _, _ = regress(W, n[i], sH[i], sB[i], sBB[i], sHB[i])
	}
	eachCopyPixel(offs, win, w, h, func(i, j int) { matte[j] = pooled[i] })
	return matte, offs
}

// regionNCC is the normalised correlation of map m (w x h) over r with
// the same map over r shifted by d, on the pixels both have inside the map
// (0 when too few).
func regionNCC(m []float32, w, h int, r image.Rectangle, d image.Point) float64 {
	in := clampRect(r, w, h).Intersect(clampRect(r.Add(d), w, h).Sub(d))
	a := make([]float32, 0, in.Dx()*in.Dy())
	b := make([]float32, 0, in.Dx()*in.Dy())
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			a = append(a, m[y*w+x])
			b = append(b, m[(y+d.Y)*w+x+d.X])
		}
	}
	c, _ := correlation(a, b)
	return c
}

// copiesOn keeps the candidate offsets (and their matches, nccs) whose copy
// lies on a blob of obs (onMarks), matches at minNCC or more, and fits the
// layout's lattice (onLattice).
func copiesOn(cands []image.Point, nccs []float32, win image.Rectangle, ref blob, obs []overlayBlob, minNCC float32) []image.Point {
	marks := make([]image.Rectangle, len(obs))
	for i, o := range obs {
		marks[i] = o.rect
	}
	onLine := func(d image.Point) bool { return win.Add(d).Overlaps(ref.rect) }
	if math.Abs(ref.angle) > 10 && len(ref.mask) > 0 {
		// A tilted line's box holds parts of its parallel neighbours
		// too: a place is on the line when it lies along it, within the
		// line's thickness.
		across := acrossOf(ref.angle)
		lo, hi := math.MaxInt, math.MinInt
		for _, p := range ref.mask {
			lo, hi = min(lo, across(p)), max(hi, across(p))
		}
		onLine = func(d image.Point) bool { return abs(across(d)) <= hi-lo }
	}
	offs, ns := onMarks(cands, nccs, win, onLine, marks)
	for i := len(offs) - 1; i > 0; i-- {
		if ns[i] < minNCC {
			offs, ns = slices.Delete(offs, i, i+1), slices.Delete(ns, i, i+1)
		}
	}
	return onLattice(offs, ns)
}

// eachCopyPixel calls fn(i, j) for every pixel i of the window win (row by
// row, win.Dx() wide) and its place j in each copy (offset by offs) that
// falls inside the w x h map.
func eachCopyPixel(offs []image.Point, win image.Rectangle, w, h int, fn func(i, j int)) {
	ww, wh := win.Dx(), win.Dy()
	for _, d := range offs {
		for y := 0; y < wh; y++ {
			sy := win.Min.Y + y + d.Y
			if sy < 0 || sy >= h {
				continue
			}
			for x := 0; x < ww; x++ {
				if sx := win.Min.X + x + d.X; sx >= 0 && sx < w {
					fn(y*ww+x, sy*w+sx)
				}
			}
		}
	}
}

// onMarks keeps the reference (offsets[0]) and the offsets whose copy of
// win and a detected blob of the mark mostly overlap (the smaller of the
// two lies mostly inside the other), and whose copy lies off the reference
// line. A table's cells repeat on a lattice too, and a matte with cell
// borders left in it matches them: on a development video a single address
// was pooled with 18 spreadsheet cells and lost its middle.
func onMarks(offs []image.Point, nccs []float32, win image.Rectangle, onLine func(image.Point) bool, marks []image.Rectangle) ([]image.Point, []float32) {
	outO, outN := offs[:1:1], nccs[:1:1]
	for i := 1; i < len(offs); i++ {
		if onLine(offs[i]) {
			// Part of the reference line itself: its words repeat
			// letters ("contoso" and "tanaka" share "o"s and "a"s).
			continue
		}
		c := win.Add(offs[i])
		if slices.ContainsFunc(marks, func(m image.Rectangle) bool { return overlapShare(c, m) > 0.5 }) {
			outO, outN = append(outO, offs[i]), append(outN, nccs[i])
		}
	}
	return outO, outN
}

// onLattice keeps the offsets a layout of copies can have: integer
// combinations of the strongest offset and the strongest one not parallel
// to it (a tiled layout's two steps; parallel lines have one). A place that
// matches by chance lies off that lattice.
func onLattice(offs []image.Point, nccs []float32) []image.Point {
	if len(offs) < 2 {
		return offs
	}
	// The steps are the shortest clear offsets: a copy two steps away
	// matches as well as one step away.
	var clear []image.Point
	for i, o := range offs[1:] {
		if nccs[i+1] >= latticeNCC {
			clear = append(clear, o)
		}
	}
	if len(clear) == 0 {
		clear = offs[1:2]
	}
	sort.SliceStable(clear, func(i, j int) bool { return hypot(clear[i]) < hypot(clear[j]) })
	v1 := clear[0]
	var v2 image.Point
	has2 := false
	for _, o := range clear[1:] {
		cross := float64(v1.X*o.Y - v1.Y*o.X)
		if math.Abs(cross) > 0.3*hypot(v1)*hypot(o) {
			v2, has2 = o, true
			break
		}
	}
	out := offs[:1:1]
	for _, o := range offs[1:] {
		var a, b float64
		if has2 {
			det := float64(v1.X*v2.Y - v1.Y*v2.X)
			a = float64(o.X*v2.Y-o.Y*v2.X) / det
			b = float64(v1.X*o.Y-v1.Y*o.X) / det
		} else {
			a = float64(o.X*v1.X+o.Y*v1.Y) / (hypot(v1) * hypot(v1))
		}
		ra, rb := math.Round(a), math.Round(b)
		ex := float64(o.X) - ra*float64(v1.X) - rb*float64(v2.X)
		ey := float64(o.Y) - ra*float64(v1.Y) - rb*float64(v2.Y)
		if math.Hypot(ex, ey) <= 3+0.02*hypot(o) {
			out = append(out, o)
		}
	}
	return out
}

func hypot(p image.Point) float64 { return math.Hypot(float64(p.X), float64(p.Y)) }

// acrossOf is, for lines at angle degrees, a point's place across them
// (pixels, rounded down).
func acrossOf(angle float64) func(image.Point) int {
	rad := angle * math.Pi / 180
	ux, uy := math.Cos(rad), -math.Sin(rad)
	return func(p image.Point) int { return int(math.Floor(float64(p.X)*uy - float64(p.Y)*ux)) }
}
