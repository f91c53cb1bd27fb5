package video

import (
	"context"
	"image"
	"image/color"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"tracescan/ocr"
	"tracescan/report"
)

// staticText is text read on opaque static UI (name labels, stamps).
type staticText struct {
	rect  image.Rectangle // analysis pixels
	text  string
	ids   []report.Identity
	stamp bool
	conf  float64
}

// staticEdge is the contrast of the mean frame that counts as drawn UI.
const staticEdge = 25

// maxStaticReads bounds OCR calls on static regions.
const maxStaticReads = 6

// readStatics reads the text of the largest static regions (res.staticUI)
// on the mean frame, which is the UI itself, free of compression noise.
func (d *Detector) readStatics(ctx context.Context, an *analysis, res *interpretation, mean gocv.Mat, engines *ocr.Pool) ([]staticText, error) {
	rects := res.staticUI
	if len(rects) > maxStaticReads {
		rects = rects[:maxStaticReads]
	}
	if len(rects) == 0 {
		return nil, nil
	}
	scale := float64(an.w) / 1280
	eng, err := engines.Get(ctx, maxStaticReads)
	if err != nil {
		return nil, err
	}
	defer engines.Put(eng)
	mean8 := gocv.NewMat()
	defer mean8.Close()
	mean.ConvertTo(&mean8, gocv.MatTypeCV8U)
	var out []staticText
	for _, r := range rects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img := staticCrop(mean8, r, scale)
		line, err := eng.Read(img)
		img.Close()
		if err != nil {
			return nil, err
		}
		if ocr.Letters(line.Text) < 3 {
			continue
		}
		st := staticText{rect: r, text: line.Text, conf: line.Conf, ids: ocr.Classify(line.Text, false)}
		st.stamp = len(st.ids) == 0 && ocr.IsStamp(line.Text)
		if len(st.ids) > 0 || st.stamp {
			out = append(out, st)
		}
	}
	return out, nil
}

// staticRegions finds regions that never change but have edges (opaque UI:
// toolbars, name boxes, stamps, logos), largest first, in analysis pixels,
// from the spread (res.std) and the mean frame.
func staticRegions(an *analysis, res *interpretation, mean gocv.Mat) []image.Rectangle {
	if an.acc.frames < minFrames {
		return nil
	}
	w, h := an.w, an.h
	scale := float64(w) / 1280
	bl := gocv.NewMat()
	defer bl.Close()
	gocv.GaussianBlur(mean, &bl, image.Pt(0, 0), 3*math.Max(scale, 0.5), 0, gocv.BorderReflect)
	blv := matFloats(bl)
	bin := make([]byte, w*h)
	static := 0
	for i := range bin {
		// Under opaqueStd, as for blobs: at 500 kbit/s the codec's noise
		// on a name label over changing scenes reached 2-8 levels, and
		// half of it kept "Schmidt" alone (read "4 Schmidt").
		if res.std[i] < opaqueStd {
			static++
			if math.Abs(float64(res.mean[i]-blv[i])) > staticEdge {
				bin[i] = 255
			}
		}
	}
	// A recording that hardly changes is all "static": nothing to separate.
	if static > w*h*6/10 {
		return nil
	}
	m, _ := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, bin)
	defer m.Close()
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(max(3, int(15*scale)), max(3, int(9*scale))))
	defer k.Close()
	joined := gocv.NewMat()
	defer joined.Close()
	gocv.Dilate(m, &joined, k)
	labels, stats, cents := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cents.Close()
	nl := gocv.ConnectedComponentsWithStats(joined, &labels, &stats, &cents)
	var rects []image.Rectangle
	for l := 1; l < nl; l++ {
		x, y := int(stats.GetIntAt(l, 0)), int(stats.GetIntAt(l, 1))
		bw, bh := int(stats.GetIntAt(l, 2)), int(stats.GetIntAt(l, 3))
		if bw < int(40*scale) || bh < int(12*scale) || bh > h/4 {
			continue
		}
		rects = append(rects, image.Rect(x, y, x+bw, y+bh))
	}
	sort.Slice(rects, func(i, j int) bool { return rects[i].Dx()*rects[i].Dy() > rects[j].Dx()*rects[j].Dy() })
	return rects
}

// staticCrop cuts r from the mean frame, makes the text dark on light,
// scales it up and binarises it.
func staticCrop(mean8 gocv.Mat, r image.Rectangle, scale float64) gocv.Mat {
	sub := mean8.Region(r)
	defer sub.Close()
	sc := math.Max(1, math.Min(4, 2.5/math.Max(scale, 0.25)))
	up := gocv.NewMat()
	defer up.Close()
	gocv.Resize(sub, &up, image.Pt(int(float64(r.Dx())*sc), int(float64(r.Dy())*sc)), 0, 0, gocv.InterpolationCubic)
	bin := gocv.NewMat()
	defer bin.Close()
	gocv.Threshold(up, &bin, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
	// Text is the minority: make it black.
	if gocv.CountNonZero(bin) < bin.Rows()*bin.Cols()/2 {
		gocv.BitwiseNot(bin, &bin)
	}
	out := gocv.NewMat()
	gocv.CopyMakeBorder(bin, &out, 12, 12, 12, 12, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	return out
}
