package video

import (
	"image"
	"sync"

	"gocv.io/x/gocv"
)

// accumulator streams per-pixel statistics over sampled frames so that
// memory stays bounded by the analysis size, not the number of frames.
//
// Overlay model: J = a*W + (1-a)*I. At a pixel of the watermark's letters
// the high-pass H = J - blur(J) is close to a*(W - b), with b the local
// background blur(J). A per-pixel regression of H on (W - b) across frames
// therefore gives the opacity a at letter pixels and zero elsewhere, for any
// text colour W, and grey text over dark and light backgrounds adds up
// instead of cancelling. Pixels with strong local contrast are screen
// content, not a 5-30 % overlay, and are left out of that frame.
type accumulator struct {
	w, h  int
	sigma float64 // high-pass scale in pixels
	clean bool    // the background leaves content out (see highPass)
	gate  float32 // |H| above which a pixel is content

	// Gated sums (float32 is enough: values are small).
	regSums
	// Sums of the frames the gate shuts only for content next to the
	// pixel, not on it (see nearSums).
	near nearSums
	// Ungated sums of the frame itself, for the temporal variance that
	// tells opaque static UI from overlays with content beneath.
	sJ, sJJ []float64
	frames  int
	// distinct counts the frames that differ visibly from the previous
	// distinct one: consecutive frames of slowly moving content are not
	// independent samples, and the correlation's z counts samples.
	distinct int
	// info counts, per pixel and packed infoBits to a colour, the frames in
	// which the background differs from textColours[k] enough to show text
	// of that colour: a white mark over a white page carries no evidence,
	// and one dark slide is one sample however many white pages surround
	// it. Packed, a frame adds to all colours' counts at once.
	info []uint64

	kernel gocv.Mat
}

func newAccumulator(w, h int, sigma float64, gate float32) *accumulator {
	n := w * h
	clean := w >= cleanMinWidth
	reach := gateReach(sigma, clean)
	return &accumulator{
		w: w, h: h, sigma: sigma, gate: gate,
		regSums: newRegSums(n),
		sJ:      make([]float64, n), sJJ: make([]float64, n),
		near:   newNearSums(n),
		info:   make([]uint64, n),
		clean:  clean,
		kernel: gocv.GetStructuringElement(gocv.MorphRect, image.Pt(reach, reach)),
	}
}

// infoBits is the width of one colour's count in accumulator.info; it
// bounds the frames one file may sample (MaxFrames).
const infoBits = 10

// maxSampledFrames is the most frames an accumulator can count.
const maxSampledFrames = 1<<infoBits - 1

// infoCount is the count of colour k packed in v.
func infoCount(v uint64, k int) uint16 {
	return uint16(v>>(infoBits*k)) & maxSampledFrames
}

// infoContrast is the |W - b| (gray levels) a frame needs to tell whether
// text of colour W is there.
const infoContrast = 40

// nearWhiteContrast is the contrast the near-white colour needs, in the
// sums (infoContrast) and per frame (minShowContrast): such a mark only
// ever shows against light pages, a few levels darker than white ones and
// lighter than cream ones.
const nearWhiteContrast = 10

// contrastFor is the |W - b| a frame needs to show text of colour W, given
// the contrast usual for the other colours.
func contrastFor(W, usual float32) float32 {
	if W == nearWhite {
		return nearWhiteContrast
	}
	return usual
}

// noiseFloor is the high-pass noise (gray levels) of compressed video.
const noiseFloor = 1.5

// gateReach is the width of the content gate around content pixels: the
// background leaves content out, so only the codec's blur and ringing
// around strokes needs covering. A gate over a plain blur's whole reach
// (3 sigma) left marks over documents and tables without evidence; one of
// sigma/2 let that ringing add up to a faint dark "mark" over every dense
// page, one blob that hid a stamp there (development set 25001-25050:
// 21 of 25 marks found at opacity >= 0.08 with sigma/2, 22 with sigma).
func gateReach(sigma float64, clean bool) int {
	if !clean {
		return 2*int(3*sigma+0.5) + 1
	}
	return 2*int(sigma+0.5) + 1
}

// cleanMinWidth is the analysis width from which the background leaves
// content out (480p and up). Below it text strokes are a pixel or two wide
// and the codec's ringing spans a blur's width around them, so no
// background is clean of content: ffmpeg's testsrc2 at 320x180, a grey
// shape turning from a bar into a cross at one place over moving colours,
// passed for a mark, and so did the zooming mandelbrot. There the
// background is a plain blur and the gate reaches 3 sigma.
const cleanMinWidth = 800

func (a *accumulator) Close() {
	if a.kernel.Ptr() != nil {
		a.kernel.Close()
	}
}

// highPass returns H = J - b, the background b, and the local maximum of
// |H| (the content gate) for an 8-bit gray frame. The caller closes the
// mats.
//
// b is a blur of the frame that leaves out its content (strokes with |J -
// blur(J)| above gate): next to dark text a plain blur is darker than the
// page, so H there would be content's shadow, and the gate would have to
// reach a blur's width around every letter of a document, which leaves a
// faint mark no evidence over dense pages. Where a blur's width holds
// mostly content, or kept pixels of very different levels (the two sides
// of a big edge), b is not known and the gate is closed. The smooth maps
// are computed at half size: they hold nothing finer.
func highPass(gray gocv.Mat, sigma float64, kernel gocv.Mat, gate float32, clean bool) (hp, bg, contrast gocv.Mat) {
	if !clean {
		return plainHighPass(gray, sigma, kernel)
	}
	w, h := gray.Cols(), gray.Rows()
	// Half size only where the blur is wide enough not to notice.
	div := 1
	if sigma >= 3 {
		div = 2
	}
	hw, hh := max(1, w/div), max(1, h/div)
	js := gocv.NewMat()
	if div == 1 {
		gray.ConvertTo(&js, gocv.MatTypeCV32F)
	} else {
		small := gocv.NewMat()
		gocv.Resize(gray, &small, image.Pt(hw, hh), 0, 0, gocv.InterpolationArea)
		small.ConvertTo(&js, gocv.MatTypeCV32F)
		small.Close()
	}
	hs := sigma / float64(div)
	b0 := gocv.NewMat()
	gocv.GaussianBlur(js, &b0, image.Pt(0, 0), hs, hs, gocv.BorderReflect)
	J, _ := js.DataPtrFloat32()
	B0, _ := b0.DataPtrFloat32()
	keep := make([]float32, len(J))
	for i, v := range J {
		if d := v - B0[i]; d <= gate && d >= -gate {
			keep[i] = 1
		}
	}
	b0.Close()
	km := floatMat(keep, hw, hh)
	// Anti-aliased edges of content strokes lie below the gate: keep
	// them out of the background too.
	small3 := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
	gocv.Erode(km, &km, small3)
	small3.Close()
	K, _ := km.DataPtrFloat32()
	jk := make([]float32, len(J))
	jjk := make([]float32, len(J))
	for i, v := range J {
		jk[i] = v * K[i]
		jjk[i] = jk[i] * v
	}
	js.Close()
	// The blurs are read in place; their mats close when highPass returns.
	var blurred []gocv.Mat
	defer func() {
		for _, m := range blurred {
			m.Close()
		}
	}()
	blur := func(m gocv.Mat) []float32 {
		out := gocv.NewMat()
		gocv.GaussianBlur(m, &out, image.Pt(0, 0), hs, hs, gocv.BorderReflect)
		blurred = append(blurred, out)
		v, _ := out.DataPtrFloat32()
		return v
	}
	jkm, jjkm := floatMat(jk, hw, hh), floatMat(jjk, hw, hh)
	num, den, num2 := blur(jkm), blur(km), blur(jjkm)
	jkm.Close()
	jjkm.Close()
	km.Close()
	// An unknown background is far below any gray level: H and the
	// contrast there, and next to it once scaled up, close the gate.
	bgs := make([]float32, len(J))
	for i, d := range den {
		bgs[i] = unknownBg
		if d < minKept {
			continue
		}
		if m := num[i] / d; num2[i]/d-m*m <= maxKeptVar {
			bgs[i] = m
		}
	}
	bm := floatMat(bgs, hw, hh)
	bg = gocv.NewMat()
	gocv.Resize(bm, &bg, image.Pt(w, h), 0, 0, gocv.InterpolationLinear)
	bm.Close()
	j := gocv.NewMat()
	gray.ConvertTo(&j, gocv.MatTypeCV32F)
	hp = gocv.NewMat()
	gocv.Subtract(j, bg, &hp)
	abs := gocv.NewMat()
	gocv.AbsDiff(j, bg, &abs)
	j.Close()
	contrast = gocv.NewMat()
	gocv.Dilate(abs, &contrast, kernel)
	abs.Close()
	H, _ := hp.DataPtrFloat32()
	C, _ := contrast.DataPtrFloat32()
	gateRules(H, C, w, h, gate)
	return hp, bg, contrast
}

// plainHighPass is highPass with a plain blur as the background.
func plainHighPass(gray gocv.Mat, sigma float64, kernel gocv.Mat) (hp, bg, contrast gocv.Mat) {
	j := gocv.NewMat()
	defer j.Close()
	gray.ConvertTo(&j, gocv.MatTypeCV32F)
	bg = gocv.NewMat()
	gocv.GaussianBlur(j, &bg, image.Pt(0, 0), sigma, sigma, gocv.BorderReflect)
	hp = gocv.NewMat()
	gocv.Subtract(j, bg, &hp)
	abs := gocv.NewMat()
	defer abs.Close()
	gocv.AbsDiff(j, bg, &abs)
	contrast = gocv.NewMat()
	gocv.Dilate(abs, &contrast, kernel)
	return hp, bg, contrast
}

// minKept is the weight of non-content pixels, in a blur's width, below
// which the background is not known.
const minKept = 0.4

// unknownBg marks a background that is not known.
const unknownBg = -1e4

// maxKeptVar is the variance of the kept pixels (gray levels squared) above
// which they are two backgrounds, not one: 30 levels of spread.
const maxKeptVar = 30 * 30

// add folds one gray frame (w*h bytes) into the sums.
func (a *accumulator) add(pix []byte) error {
	src, err := gocv.NewMatFromBytes(a.h, a.w, gocv.MatTypeCV8U, pix)
	if err != nil {
		return err
	}
	defer src.Close()
	hp, bg, con := highPass(src, a.sigma, a.kernel, a.gate, a.clean)
	defer hp.Close()
	defer bg.Close()
	defer con.Close()
	H, err := hp.DataPtrFloat32()
	if err != nil {
		return err
	}
	B, err := bg.DataPtrFloat32()
	if err != nil {
		return err
	}
	C, err := con.DataPtrFloat32()
	if err != nil {
		return err
	}
	// Two halves in parallel: the per-pixel loop is the hot part.
	var wg sync.WaitGroup
	parts := 2
	for p := 0; p < parts; p++ {
		lo, hi := len(H)*p/parts, len(H)*(p+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.addRange(lo, hi, pix, H, B, C)
		}()
	}
	wg.Wait()
	a.frames++
	return nil
}

func (a *accumulator) addRange(lo, hi int, pix []byte, H, B, C []float32) {
	gate := a.gate
	shows := &showsTable
	// Slices of one length let the compiler drop the bounds checks of the
	// hot loop.
	n := hi - lo
	pix, H, B, C = pix[lo:hi], H[lo:hi:hi][:n], B[lo:hi:hi][:n], C[lo:hi:hi][:n]
	sJ, sJJ := a.sJ[lo:hi][:n], a.sJJ[lo:hi][:n]
	cnt, sH, sHH := a.n[lo:hi][:n], a.sH[lo:hi][:n], a.sHH[lo:hi][:n]
	sB, sBB, sHB := a.sB[lo:hi][:n], a.sBB[lo:hi][:n], a.sHB[lo:hi][:n]
	info := a.info[lo:hi][:n]
	nn, nH, nB, nBB, nHB := a.near.n[lo:hi][:n], a.near.sH[lo:hi][:n], a.near.sB[lo:hi][:n], a.near.sBB[lo:hi][:n], a.near.sHB[lo:hi][:n]
	for i, p := range pix {
		j := float64(p)
		sJ[i] += j
		sJJ[i] += j * j
		if C[i] > gate {
			if h, b := H[i], B[i]; h <= gate && h >= -gate {
				nn[i]++
				nH[i] += h
				nB[i] += b
				nBB[i] += b * b
				nHB[i] += h * b
			}
			continue
		}
		h, b := H[i], B[i]
		cnt[i]++
		sH[i] += h
		sHH[i] += h * h
		sB[i] += b
		sBB[i] += b * b
		sHB[i] += h * b
		info[i] += shows.of(b)
	}
}

// showsTable holds, per whole gray level of the background, the colours
// whose text a background there can show, packed as accumulator.info
// counts: the per-pixel test of every colour is one lookup.
var showsTable = newShows()

// shows is a lookup of the colours a background can show: b < W-c when
// floor(b) < W-c, and b > W+c when ceil(b) > W+c (the thresholds are whole
// levels), so below[floor(b)] | above[ceil(b)] is exactly the test.
type shows struct {
	below, above [256]uint64
	lo, hi       []float32 // W-c and W+c per colour, for b outside 0-255
}

func newShows() shows {
	var t shows
	for k, W := range textColours {
		c := contrastFor(W, infoContrast)
		t.lo, t.hi = append(t.lo, W-c), append(t.hi, W+c)
		for v := range 256 {
			if float32(v) < W-c {
				t.below[v] |= 1 << (infoBits * k)
			}
			if float32(v) > W+c {
				t.above[v] |= 1 << (infoBits * k)
			}
		}
	}
	return t
}

// of is the packed colours a background b can show.
func (t *shows) of(b float32) uint64 {
	if b >= 0 && b <= 255 {
		lo := int(b)
		hi := lo
		if float32(lo) < b {
			hi++
		}
		return t.below[lo] | t.above[hi]
	}
	// An unknown background (far below 0), or next to one.
	var m uint64
	for k := range t.lo {
		if b < t.lo[k] || b > t.hi[k] {
			m |= 1 << (infoBits * k)
		}
	}
	return m
}

// zMap is, per pixel, the correlation across frames between H and the
// predicted contrast (W - b) of text of colour W = textColours[k], scaled by
// the square root of the informative frames: about that on the letters of
// an overlay of colour W, N(0,1) on noise.
func (a *accumulator) zMap(k int) []float32 {
	z, _ := a.zCorr(k, false)
	return z
}

// zCorr is zMap and, when withCorr, the correlation itself: a mark that
// only a few frames can show (a near-white one over a recording of mostly
// white pages) correlates as well as any, but its z stays near the square
// root of those few frames.
func (a *accumulator) zCorr(k int, withCorr bool) (z, corr []float32) {
	W := textColours[k]
	eff := a.effective()
	z = make([]float32, len(a.n))
	if withCorr {
		corr = make([]float32, len(a.n))
	}
	for i, n := range a.n {
		info := infoCount(a.info[i], k)
		if n < 3 || info < 2 {
			continue
		}
		num := W*a.sH[i] - a.sHB[i]
		// The noise floor keeps faint but consistent residue (the blur
		// tails of big content edges, around a gray level) from looking
		// like a perfect fit.
		den := (a.sHH[i] + n*noiseFloor*noiseFloor) * (W*W*n - 2*W*a.sB[i] + a.sBB[i])
		if den <= 1e-3 {
			continue
		}
		c := num / sqrt32(den)
		// sqrt(n) * correlation, with n counting only informative frames,
		// shrunk to the effective number of independent frames.
		z[i] = c * sqrt32(min(n, float32(info))*eff)
		if withCorr {
			corr[i] = c
		}
	}
	return z, corr
}

// effective is the share of the frames that count as independent samples.
func (a *accumulator) effective() float32 {
	if a.frames == 0 || a.distinct <= 0 || a.distinct >= a.frames {
		return 1
	}
	return float32(a.distinct) / float32(a.frames)
}

// matte is the regression coefficient of H on (W - b): the overlay's
// opacity at letter pixels (attenuated by the high-pass), zero elsewhere.
func (a *accumulator) matte(W float32) []float32 { return a.regression(W, false) }

// filledMatte is matte where the gate left fewer than 3 frames filled in
// by the frames it shut only for content next to the pixel (see nearSums).
func (a *accumulator) filledMatte(W float32) []float32 { return a.regression(W, a.near.n != nil) }

func (a *accumulator) regression(W float32, near bool) []float32 {
	out := make([]float32, len(a.n))
	for i, n := range a.n {
		sH, sB, sBB, sHB := a.sH[i], a.sB[i], a.sBB[i], a.sHB[i]
		if n < 3 && near {
			n += a.near.n[i]
			sH, sB, sBB, sHB = sH+a.near.sH[i], sB+a.near.sB[i], sBB+a.near.sBB[i], sHB+a.near.sHB[i]
		}
		if n < 3 {
			continue
		}
		out[i], _, _ = regress(W, n, sH, sB, sBB, sHB)
	}
	return out
}

// nearSums are the regression sums of the frames in which the content
// gate shut a pixel for content near it (within the gate's reach) while
// the pixel itself holds no content stroke. They carry the codec's
// ringing around that content, so the evidence maps leave them out; the
// filled matte takes them where the gate left too few frames: a line of
// a document next to a mark's baseline in every frame cut the descender
// of its 'j' and the bottom of its 'o' ("ionash592@" for "jonash592@").
// Over dense content they fill in remnants too, so that matte is read
// first and the gated one still counts when it names nobody.
type nearSums struct {
	n, sH, sB, sBB, sHB []float32
}

func newNearSums(n int) nearSums {
	return nearSums{n: make([]float32, n), sH: make([]float32, n), sB: make([]float32, n),
		sBB: make([]float32, n), sHB: make([]float32, n)}
}

// meanStd returns the per-pixel temporal mean and standard deviation of the
// frames.
func (a *accumulator) meanStd() (mean, std []float32) {
	mean = make([]float32, len(a.sJ))
	std = make([]float32, len(a.sJ))
	if a.frames == 0 {
		return
	}
	f := float64(a.frames)
	for i := range a.sJ {
		m := a.sJ[i] / f
		v := a.sJJ[i]/f - m*m
		mean[i] = float32(m)
		if v > 0 {
			std[i] = float32(sqrt64(v))
		}
	}
	return
}

// merge returns the sums of two accumulators of the same size (the two
// halves of the sampled frames).
func merge(a, b *accumulator) *accumulator {
	m := &accumulator{w: a.w, h: a.h, sigma: a.sigma, gate: a.gate, clean: a.clean, frames: a.frames + b.frames,
		distinct: a.distinct + b.distinct}
	add32 := func(x, y []float32) []float32 {
		out := make([]float32, len(x))
		for i := range x {
			out[i] = x[i] + y[i]
		}
		return out
	}
	add64 := func(x, y []float64) []float64 {
		out := make([]float64, len(x))
		for i := range x {
			out[i] = x[i] + y[i]
		}
		return out
	}
	m.n, m.sH, m.sHH = add32(a.n, b.n), add32(a.sH, b.sH), add32(a.sHH, b.sHH)
	m.sB, m.sBB, m.sHB = add32(a.sB, b.sB), add32(a.sBB, b.sBB), add32(a.sHB, b.sHB)
	// Only the sum of the halves' near sums is used: a's take b's, in
	// place, and pass to m.
	if a.near.n != nil && b.near.n != nil {
		for _, p := range [][2][]float32{{a.near.n, b.near.n}, {a.near.sH, b.near.sH}, {a.near.sB, b.near.sB},
			{a.near.sBB, b.near.sBB}, {a.near.sHB, b.near.sHB}} {
			for i, v := range p[1] {
				p[0][i] += v
			}
		}
		m.near = a.near
	}
	a.near, b.near = nearSums{}, nearSums{}
	m.sJ, m.sJJ = add64(a.sJ, b.sJ), add64(a.sJJ, b.sJJ)
	m.info = make([]uint64, len(a.info))
	for i := range a.info {
		m.info[i] = a.info[i] + b.info[i]
	}
	return m
}
