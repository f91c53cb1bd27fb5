package videodiff

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"gocv.io/x/gocv"

	"tracescan/ocr"
	"tracescan/report"
)

// ocrBudget bounds Tesseract calls per comparison (about 25 ms each on a
// line crop).
const ocrBudget = 16

// reading is the best OCR result for one copy's mark.
type reading struct {
	text  string
	conf  float64
	ids   []report.Identity
	angle float64
	image []byte // PNG of the rebuilt mark, dark on white
}

func (an *analysis) findings(ctx context.Context) ([]report.Finding, error) {
	var out []report.Finding
	var eng *ocr.Engine
	defer func() {
		if eng != nil {
			eng.Close()
		}
	}()
	for side := 0; side < 2; side++ {
		if an.score[side] < flagScore || len(an.blobs[side]) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if eng == nil {
			e, err := ocr.New(ocrBudget)
			if err != nil {
				return nil, fmt.Errorf("mark reader: %w", err)
			}
			eng = e
		}
		rd, err := an.read(eng, side)
		if err != nil {
			return nil, err
		}
		out = append(out, an.finding(side, rd))
	}
	if len(out) == 0 {
		top := math.Max(an.score[0], an.score[1])
		fpr := calibFPR(top)
		out = append(out, report.Finding{
			Kind: report.KindInconclusive, Severity: report.Info, Detector: "videodiff",
			Score:             top,
			ScoreMeaning:      fmt.Sprintf("largest summed evidence of a persistent difference in either copy; %.0f or more flags a mark", flagScore),
			FalsePositiveRate: &fpr,
			Title:             "The two copies show the same picture to within encoding noise",
			Text: fmt.Sprintf("%d matching pictures compared after alignment (B is %.4f times A's size, offset %.2f s)",
				an.acc.pairs, an.scale(), an.offset),
			Advice: "No copy-specific visible mark was found. This does not rule out marks that are identical in both copies, audio marks or metadata: scan each copy too.",
		})
	}
	return out, nil
}

// scale is B source pixels per A source pixel.
func (an *analysis) scale() float64 {
	return an.tr.S * float64(an.srcB[0]) / float64(an.wB) * float64(an.wA) / float64(an.srcA[0])
}

// significant returns the blobs that belong to the mark: those within a
// factor of the strongest one and above what noise blobs reach on clean
// pairs.
func significant(bl []blob) []blob {
	var out []blob
	for _, b := range bl {
		if b.score >= 0.25*bl[0].score && b.score >= flagScore/7 {
			out = append(out, b)
		}
	}
	return out
}

func (an *analysis) finding(side int, rd reading) report.Finding {
	copyName := []string{"a", "b"}[side]
	sig := significant(an.blobs[side])
	var g image.Rectangle
	for _, b := range sig {
		g = g.Union(b.rect)
	}
	reg := an.toSource(side, g)
	srcW, srcH := an.srcA[0], an.srcA[1]
	times := an.acc.tA
	path := an.pathA
	if side == 1 {
		srcW, srcH = an.srcB[0], an.srcB[1]
		times = an.acc.tB
		path = an.pathB
	}
	layout := "single"
	switch {
	case len(sig) >= 4:
		layout = "tiled"
	case math.Abs(rd.angle) > 8:
		layout = "diagonal"
	}
	t0, t1 := minMax(times)
	score := an.score[side]
	fpr := calibFPR(score)
	f := report.Finding{
		Kind: report.KindCopyDifference, Detector: "videodiff", Copy: copyName,
		Score:             score,
		ScoreMeaning:      fmt.Sprintf("summed evidence (per-pixel z above %.0f, smoothed) that this copy is pulled towards an overlay colour where the other is not; %.0f or more flags a mark", pixThresh, flagScore),
		FalsePositiveRate: &fpr,
		Text:              rd.text,
		Identities:        rd.ids,
		TimeStart:         &t0, TimeEnd: &t1,
		Region: &reg, Layout: layout, Method: "aligned difference of two copies",
	}
	if math.Abs(rd.angle) > 8 {
		a := rd.angle
		f.AngleDeg = &a
	}
	if len(rd.ids) > 0 {
		f.Severity = report.High
		f.Title = fmt.Sprintf("Copy %s carries a visible mark that reads %q", strings.ToUpper(copyName), rd.text)
	} else {
		f.Severity = report.Medium
		f.Title = fmt.Sprintf("Copy %s carries a faint mark the other copy does not have (unreadable)", strings.ToUpper(copyName))
	}
	if rd.image != nil {
		f.Images = []report.Evidence{{Caption: fmt.Sprintf("copy %s's mark rebuilt from the difference of the aligned copies", copyName), Data: rd.image}}
	}
	area := float64(reg.W*reg.H) / float64(max(1, srcW*srcH))
	if area < 0.25 {
		f.Advice = fmt.Sprintf("Blur or cover the region x=%d y=%d w=%d h=%d of copy %s before publishing it; it identifies the viewer who recorded it.",
			reg.X, reg.Y, reg.W, reg.H, strings.ToUpper(copyName))
		out := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + "-blurred.mp4"
		// delogo needs the box strictly inside the frame.
		x, y := max(1, reg.X), max(1, reg.Y)
		bw, bh := min(reg.W, srcW-x-1), min(reg.H, srcH-y-1)
		f.Command = fmt.Sprintf("ffmpeg -i %s -vf \"delogo=x=%d:y=%d:w=%d:h=%d\" -c:a copy %s",
			shellQuote(path), x, y, bw, bh, shellQuote(out))
	} else {
		f.Advice = fmt.Sprintf("The mark of copy %s covers most of the picture: blurring it would destroy the content. Do not publish this copy; publish a copy without the overlay (the presenter's own recording) or the slides instead.",
			strings.ToUpper(copyName))
	}
	return f
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func minMax(v []float64) (float64, float64) {
	if len(v) == 0 {
		return 0, 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[0], s[len(s)-1]
}

// toSource maps a working-grid rectangle to the copy's source pixels.
func (an *analysis) toSource(side int, r image.Rectangle) report.Region {
	x0, y0 := float64(r.Min.X)/an.f, float64(r.Min.Y)/an.f
	x1, y1 := float64(r.Max.X)/an.f, float64(r.Max.Y)/an.f
	var sx, sy float64
	var w, h int
	if side == 0 {
		sx, sy = float64(an.srcA[0])/float64(an.wA), float64(an.srcA[1])/float64(an.hA)
		w, h = an.srcA[0], an.srcA[1]
	} else {
		t := an.tr
		x0, y0 = t.S*x0+t.TX, t.S*y0+t.TY
		x1, y1 = t.S*x1+t.TX, t.S*y1+t.TY
		sx, sy = float64(an.srcB[0])/float64(an.wB), float64(an.srcB[1])/float64(an.hB)
		w, h = an.srcB[0], an.srcB[1]
	}
	X0 := max(0, int(math.Floor(x0*sx)))
	Y0 := max(0, int(math.Floor(y0*sy)))
	X1 := min(w, int(math.Ceil(x1*sx)))
	Y1 := min(h, int(math.Ceil(y1*sy)))
	return report.Region{X: X0, Y: Y0, W: max(0, X1-X0), H: max(0, Y1-Y0)}
}

// read rebuilds the mark of one copy from its evidence map and OCRs the
// strongest blobs (a tiled or diagonal mark repeats, and one instance may be
// crossed by the other copy's mark). The identity read most often wins.
func (an *analysis) read(eng *ocr.Engine, side int) (reading, error) {
	sm := an.sm[side]
	w, h := an.gw, an.gh
	var best reading
	type cand struct {
		text  string
		conf  float64
		ids   []report.Identity
		angle float64
	}
	var cands []cand
	bl := significant(an.blobs[side])
	for i, b := range bl {
		if i >= 4 {
			break
		}
		angle := lineAngle(sm, an.labels[side], w, b)
		if math.Abs(angle) < 4 {
			angle = 0
		}
		crop, err := markCrop(sm, an.labels[side], w, h, b, angle)
		if err != nil {
			return best, err
		}
		if i == 0 {
			if png, err := gocv.IMEncode(gocv.PNGFileExt, crop); err == nil {
				best.image = append([]byte(nil), png.GetBytes()...)
				png.Close()
			}
			best.angle = angle
		}
		for _, variant := range []bool{false, true} {
			img := ocrImage(crop, variant)
			line, err := eng.Read(img)
			img.Close()
			if err != nil {
				crop.Close()
				return best, fmt.Errorf("reading mark: %w", err)
			}
			txt := strings.TrimSpace(line.Text)
			if txt == "" {
				continue
			}
			cands = append(cands, cand{txt, line.Conf, ocr.Classify(txt, true), angle})
		}
		crop.Close()
	}
	// Vote: each reading supports the identities it holds.
	votes := map[string]int{}
	for _, c := range cands {
		seen := map[string]bool{}
		for _, id := range c.ids {
			k := strings.ToLower(id.Value)
			if !seen[k] {
				seen[k] = true
				votes[k]++
			}
		}
	}
	bestScore := -1.0
	for _, c := range cands {
		sc := c.conf / 1000
		for _, id := range c.ids {
			v := float64(votes[strings.ToLower(id.Value)])
			if id.Type == "email" {
				v += 100
			}
			sc = math.Max(sc, v+c.conf/1000)
		}
		if sc > bestScore {
			bestScore = sc
			best.text, best.conf, best.ids, best.angle = c.text, c.conf, c.ids, c.angle
		}
	}
	return best, nil
}

func hasEmail(ids []report.Identity) bool {
	for _, id := range ids {
		if id.Type == "email" {
			return true
		}
	}
	return false
}

// markCrop renders a blob's evidence as dark text on white, de-rotated so
// the line is horizontal, cropped to the line.
func markCrop(sm []float32, lab []int32, w, h int, b blob, angle float64) (gocv.Mat, error) {
	r := b.rect
	pad := max(8, r.Dy()/3)
	if angle != 0 {
		pad = max(pad, max(r.Dx(), r.Dy())/4)
	}
	rr := r.Inset(-pad).Intersect(image.Rect(0, 0, w, h))
	cw, ch := rr.Dx(), rr.Dy()
	// Scale the evidence by a high percentile of the blob's strokes.
	var vals []float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if v := sm[y*w+x]; v > pixThresh && int(lab[y*w+x]) == b.label {
				vals = append(vals, float64(v))
			}
		}
	}
	top := float64(pixThresh * 3)
	if len(vals) > 0 {
		sort.Float64s(vals)
		top = math.Max(top, vals[len(vals)*9/10])
	}
	g := gocv.NewMatWithSize(ch, cw, gocv.MatTypeCV8U)
	gd, err := g.DataPtrUint8()
	if err != nil {
		g.Close()
		return gocv.NewMat(), err
	}
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			i := (y+rr.Min.Y)*w + x + rr.Min.X
			if int(lab[i]) != b.label {
				gd[y*cw+x] = 255
				continue
			}
			v := (float64(sm[i]) - pixThresh/2) / (top - pixThresh/2)
			v = math.Max(0, math.Min(1, v))
			gd[y*cw+x] = uint8(255 - 255*v)
		}
	}
	if angle == 0 {
		return g, nil
	}
	defer g.Close()
	side := int(math.Hypot(float64(cw), float64(ch))) + 2
	rot := gocv.GetRotationMatrix2D(image.Pt(cw/2, ch/2), -angle, 1)
	defer rot.Close()
	rot.SetDoubleAt(0, 2, rot.GetDoubleAt(0, 2)+float64(side-cw)/2)
	rot.SetDoubleAt(1, 2, rot.GetDoubleAt(1, 2)+float64(side-ch)/2)
	dst := gocv.NewMat()
	gocv.WarpAffineWithParams(g, &dst, rot, image.Pt(side, side), gocv.InterpolationLinear,
		gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	// Keep the rows that hold the line.
	d, _ := dst.DataPtrUint8()
	y0, y1 := -1, -1
	for y := 0; y < side; y++ {
		dark := 0
		for x := 0; x < side; x++ {
			if d[y*side+x] < 128 {
				dark++
			}
		}
		if dark > 0 {
			if y0 < 0 {
				y0 = y
			}
			y1 = y
		}
	}
	if y0 < 0 {
		return dst, nil
	}
	m := max(4, (y1-y0)/3)
	reg := dst.Region(image.Rect(0, max(0, y0-m), side, min(side, y1+m+1)))
	out := reg.Clone()
	reg.Close()
	dst.Close()
	return out, nil
}

// ocrImage scales a mark crop to letters of about 40 px (Tesseract's
// comfortable size) with a white margin; binary thresholds it (Otsu).
func ocrImage(crop gocv.Mat, binary bool) gocv.Mat {
	sc := math.Max(1, math.Min(6, 96/math.Max(1, float64(crop.Rows()))))
	up := gocv.NewMat()
	gocv.Resize(crop, &up, image.Pt(int(float64(crop.Cols())*sc), int(float64(crop.Rows())*sc)), 0, 0, gocv.InterpolationCubic)
	if binary {
		bin := gocv.NewMat()
		gocv.Threshold(up, &bin, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
		up.Close()
		up = bin
	}
	out := gocv.NewMat()
	gocv.CopyMakeBorder(up, &out, 20, 20, 20, 20, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	up.Close()
	return out
}
