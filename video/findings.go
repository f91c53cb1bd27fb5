package video

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"gocv.io/x/gocv"

	"tracescan/media"
	"tracescan/ocr"
	"tracescan/report"
)

// opacityGain turns the matte's letter-core value into opacity: the
// high-pass keeps only part of a stroke's contrast. Measured on generated
// overlays (see cmd/evalvideo's opacity column).
const opacityGain = 1.6

func (res *interpretation) findings(info *media.Info, an *analysis) []report.Finding {
	var out []report.Finding
	var stamps []report.Region // where a stamp is reported
	f, ok := res.overlayFinding(info, an)
	if ok && f.Kind == report.KindVisibleWatermark && len(f.Identities) == 0 && res.uiHalo(an, *f.Region) {
		// An overlay read as nothing, a piece of opaque UI or of its
		// edge, is that UI's translucent part (a stamp's end, 27035 at
		// a score of 1.24), its soft edge or the codec's ringing around
		// it (a logo's corner at 500 kbit/s, 61025): it stays while the
		// content beside the UI changes, and names nobody.
		ok = false
	}
	if ok {
		out = append(out, f)
		if f.Kind == report.KindStaticOverlay {
			stamps = append(stamps, *f.Region)
		}
	}
	// Static regions come largest first: a stamp's part read again
	// ("CONF" beside "CONFIDENTIAL", its steadiest strokes a region of
	// their own) is the same stamp, reported once.
	for _, st := range res.statics {
		sf := staticFinding(info, an, st)
		if st.stamp {
			if slices.ContainsFunc(stamps, func(r report.Region) bool { return overlaps(r, *sf.Region) }) {
				continue
			}
			stamps = append(stamps, *sf.Region)
		}
		out = append(out, sf)
	}
	return out
}

// uiHalo reports whether reg (source pixels) is a piece of a region of
// opaque static UI with its edge (uiHaloReach around it).
func (res *interpretation) uiHalo(an *analysis, reg report.Region) bool {
	reach := max(2, int(uiHaloReach*float64(an.w)/1280))
	return slices.ContainsFunc(res.staticUI, func(ui image.Rectangle) bool {
		return pieceOf(reg, toSource(an, ui.Inset(-reach)))
	})
}

// uiHaloReach is how far from opaque UI (pixels at 1280 wide) a piece
// counts as its edge: the codec's ringing around it at low bitrates.
const uiHaloReach = 4

// pieceOf reports whether a overlaps b and is at most half its size: a
// mark over the whole screen or a line of its own is no piece of a stamp
// or other UI.
func pieceOf(a, b report.Region) bool {
	return overlaps(a, b) && 2*a.W*a.H <= b.W*b.H
}

// overlaps reports whether two regions share pixels.
func overlaps(a, b report.Region) bool {
	return image.Rect(a.X, a.Y, a.X+a.W, a.Y+a.H).Overlaps(image.Rect(b.X, b.Y, b.X+b.W, b.Y+b.H))
}

func (res *interpretation) overlayFinding(info *media.Info, an *analysis) (report.Finding, bool) {
	if len(res.overlays) == 0 {
		return report.Finding{}, false
	}
	var union image.Rectangle
	first, last := math.Inf(1), math.Inf(-1)
	present, known := 0, 0
	var score float64
	best := res.overlays[0]
	for _, o := range res.overlays {
		union = union.Union(o.rect)
		if o.pres.present > 0 {
			first = math.Min(first, o.pres.first)
			last = math.Max(last, o.pres.last)
		}
		present += o.pres.present
		known += o.pres.known
		score = math.Max(score, o.score)
	}
	if rd := res.reading; rd != nil && !rd.extent.Empty() {
		union = union.Union(rd.extent)
	}
	layout, angle := layoutOf(res.overlays, res.reading)
	gap := an.duration / float64(max(1, len(an.small)))
	t0, t1 := math.Max(0, first-gap/2), math.Min(an.duration, last+gap/2)
	reg := toSource(an, union)

	f := report.Finding{
		Kind:         report.KindVisibleWatermark,
		Detector:     "video",
		Method:       "gated gradient regression over sampled frames",
		Score:        round(score, 2),
		ScoreMeaning: fmt.Sprintf("overlay evidence (report threshold %.1f)", DefaultThreshold),
		Layout:       layout,
		Region:       &reg,
		TimeStart:    report.Ptr(round(t0, 2)),
		TimeEnd:      report.Ptr(round(t1, 2)),
	}
	if fpr, ok := falsePositiveRate(score); ok {
		f.FalsePositiveRate = report.Ptr(fpr)
		f.ScoreMeaning += fmt.Sprintf("; false-positive rate measured on %d generated negatives", calibNegatives)
	}
	if layout == "diagonal" || math.Abs(angle) > 3 {
		f.AngleDeg = report.Ptr(round(angle, 1))
	}
	if op := res.opacity(an, present, known); op > 0 {
		f.Opacity = report.Ptr(round(op, 3))
	}
	rd := res.reading
	switch {
	case rd != nil && len(rd.ids) > 0:
		f.Severity = report.High
		f.Text, f.Identities = rd.text, rd.ids
		f.Title = fmt.Sprintf("Visible watermark names the recorder (%s)", rd.ids[0].Type)
		f.Method += fmt.Sprintf("; lines read that hold it whole: %d of %d (confidence %.2f)", rd.votes, rd.read, rd.confidence)
	case rd != nil && ocr.LooksLikeStamp(rd.text):
		f.Kind, f.Severity = report.KindStaticOverlay, report.Low
		f.Text = rd.text
		f.Title = "Semi-transparent stamp over the screen (not an identity)"
	default:
		f.Severity = report.Medium
		if rd != nil {
			f.Text = rd.text
		}
		f.Title = "Visible watermark overlay (text not readable as an identity)"
	}
	full := reg.W*reg.H > an.srcW*an.srcH/2
	what := "watermark"
	if f.Kind == report.KindStaticOverlay {
		what = "stamp"
	}
	f.Advice, f.Command = advice(info, reg, an, what, layout, full)
	if rd != nil {
		f.Images = append(f.Images, watermarkPNG(an, rd.matte, union))
	}
	if best.pres.bestFrame >= 0 {
		f.Images = append(f.Images, annotatedPNG(an, best.pres.bestFrame, res.overlays))
	}
	return f, true
}

// layoutOf names the layout and gives the mark's angle. A reading knows
// them best (layoutOfReading); without one, the blobs say: several
// similar blobs are tiles, a tilted text line is diagonal.
func layoutOf(obs []overlayBlob, rd *reading) (string, float64) {
	if rd != nil && rd.layout != "" {
		return rd.layout, rd.lineAngle
	}
	var angles []float32
	for _, o := range obs {
		if o.elong > 3 {
			angles = append(angles, float32(o.angle))
		}
	}
	angle := 0.0
	if len(angles) > 0 {
		angle = float64(percentile(angles, 0.5))
	}
	similar := 0
	for _, o := range obs {
		h0, h1 := float64(obs[0].rect.Dx()), float64(o.rect.Dx())
		if math.Abs(h0-h1) < 0.35*h0 {
			similar++
		}
	}
	switch {
	case similar >= 4:
		return "tiled", angle
	case math.Abs(angle) > 8:
		return "diagonal", angle
	}
	return "single", angle
}

// layoutOfReading names the layout from the angle the mark's lines were
// read at and the copies found of its first line: tilted lines are
// diagonal (one line or parallel ones); level lines with two copies or
// more, or one in another row, are tiles. One copy beside the line on its
// row is no proof: the words of a single line can match each other
// shifted. Over eight development sets, blob shapes named 186 of 231
// found marks right (a tilted line's words have similar widths, so it
// read as tiles, and tiles joined into wide blobs read as one line); this
// names 225.
func layoutOfReading(angle float64, copies []image.Point, lineHeight int) string {
	switch {
	case math.Abs(angle) > diagonalAngle:
		return "diagonal"
	case len(copies) >= 2 || len(copies) == 1 && abs(copies[0].Y) > lineHeight:
		return "tiled"
	}
	return "single"
}

// diagonalAngle is the angle (degrees) from which a mark's lines are
// diagonal: level marks read at 0-6, tilted ones at 16-45.
const diagonalAngle = 10.0

// opacity estimates the overlay's opacity from its matte in the fitted
// grey (opacityMatte): the upper letter-core values, corrected for the
// share of frames it was absent in.
func (res *interpretation) opacity(an *analysis, present, known int) float64 {
	if res.reading == nil || res.reading.opacityMatte == nil {
		return 0
	}
	m := res.reading.opacityMatte
	var vals []float32
	for _, o := range res.overlays {
		for _, p := range o.mask {
			vals = append(vals, m[p.Y*an.w+p.X])
		}
	}
	frac := 1.0
	// A matte of all frames is diluted by those the mark is absent from.
	if known > 0 && !res.reading.present {
		frac = math.Max(0.3, float64(present)/float64(known))
	}
	return math.Min(1, opacityGain*float64(percentile(vals, 0.9))/frac)
}

func toSource(an *analysis, r image.Rectangle) report.Region {
	s := an.scale()
	x0, y0 := int(float64(r.Min.X)*s), int(float64(r.Min.Y)*s)
	x1, y1 := int(math.Ceil(float64(r.Max.X)*s)), int(math.Ceil(float64(r.Max.Y)*s))
	x1, y1 = min(x1, an.srcW), min(y1, an.srcH)
	return report.Region{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// advice says what to do about what the region holds (a watermark, screen
// text) and gives an ffmpeg command that blurs the region.
func advice(info *media.Info, reg report.Region, an *analysis, what, layout string, full bool) (string, string) {
	in := filepath.Base(info.Path)
	outName := strings.TrimSuffix(in, filepath.Ext(in)) + "-clean" + filepath.Ext(in)
	// delogo needs the box strictly inside the frame.
	x, y := max(1, reg.X), max(1, reg.Y)
	w, h := min(reg.W, an.srcW-x-1), min(reg.H, an.srcH-y-1)
	if full {
		return fmt.Sprintf("The %s covers most of the frame: it cannot be cropped or blurred away "+
				"without destroying the shared content. Do not publish this video; share the "+
				"slides or a transcript instead, or re-record without the %[1]s.", what),
			fmt.Sprintf(`ffmpeg -i %q -vf "boxblur=20:2" -c:a copy %q`, in, outName)
	}
	if layout == "single" {
		return fmt.Sprintf("Blur or remove the %s region (x=%d y=%d %dx%d) in every frame before sharing the video, or crop it away.", what, reg.X, reg.Y, reg.W, reg.H),
			fmt.Sprintf(`ffmpeg -i %q -vf "delogo=x=%d:y=%d:w=%d:h=%d" -c:a copy %q`, in, x, y, w, h, outName)
	}
	return fmt.Sprintf("Blur the %s region (x=%d y=%d %dx%d) in every frame before sharing the video.", what, reg.X, reg.Y, reg.W, reg.H),
		fmt.Sprintf(`ffmpeg -i %q -filter_complex "[0:v]crop=%d:%d:%d:%d,boxblur=12:2[b];[0:v][b]overlay=%d:%d" -c:a copy %q`,
			in, reg.W, reg.H, reg.X, reg.Y, reg.X, reg.Y, outName)
}

func staticFinding(info *media.Info, an *analysis, st staticText) report.Finding {
	reg := toSource(an, st.rect.Inset(-2))
	f := report.Finding{
		Kind:         report.KindVisibleIdentityText,
		Severity:     report.High,
		Detector:     "video",
		Method:       "OCR of static screen regions",
		Score:        round(st.conf/100, 2),
		ScoreMeaning: "OCR confidence (0-1)",
		Text:         st.text,
		Identities:   st.ids,
		Region:       &reg,
		TimeStart:    report.Ptr(0.0),
		TimeEnd:      report.Ptr(round(an.duration, 2)),
		Title:        "Visible identity text on the screen",
	}
	if st.stamp {
		f.Kind, f.Severity = report.KindStaticOverlay, report.Low
		f.Title = "Static stamp on the screen (not an identity)"
		f.Identities = nil
	}
	f.Advice, f.Command = advice(info, reg, an, "text", "single", false)
	f.Advice = "Text on the screen stays the whole time. " + f.Advice
	return f
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// watermarkPNG renders the rebuilt watermark (dark text on white) around r.
func watermarkPNG(an *analysis, matte []float32, r image.Rectangle) report.Evidence {
	hi := percentile(matte, 0.999)
	g := gray8(matte, 0, hi)
	for i := range g {
		g[i] = 255 - g[i]
	}
	m, _ := gocv.NewMatFromBytes(an.h, an.w, gocv.MatTypeCV8U, g)
	defer m.Close()
	r = clampRect(r.Inset(-max(8, r.Dy()/3)), an.w, an.h)
	sub := m.Region(r)
	defer sub.Close()
	return report.Evidence{Caption: "Rebuilt watermark (opacity map from the sampled frames)", Data: encodePNG(sub)}
}

// annotatedPNG marks the overlay on the frame where it shows best.
func annotatedPNG(an *analysis, k int, obs []overlayBlob) report.Evidence {
	m, _ := gocv.NewMatFromBytes(an.sh, an.sw, gocv.MatTypeCV8U, an.small[k].pix)
	defer m.Close()
	c := gocv.NewMat()
	defer c.Close()
	gocv.CvtColor(m, &c, gocv.ColorGrayToBGR)
	for _, o := range obs {
		gocv.Rectangle(&c, an.toSmall(o.rect).Inset(-2), color.RGBA{255, 40, 40, 0}, 2)
	}
	return report.Evidence{
		Caption: fmt.Sprintf("Frame at %.1f s with the watermark marked", an.small[k].t),
		Data:    encodePNG(c),
	}
}

func encodePNG(m gocv.Mat) []byte {
	buf, err := gocv.IMEncode(gocv.PNGFileExt, m)
	if err != nil {
		return nil
	}
	defer buf.Close()
	return append([]byte(nil), buf.GetBytes()...)
}
