package videodiff

import (
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"
)

// blob is one connected region of persistent difference attributed to one
// copy, in working-grid pixels.
type blob struct {
	rect   image.Rectangle
	score  float64 // sum of smoothed evidence above pixThresh over the blob
	pixels int
	label  int // id in the side's label map
}

// Detection limits on the smoothed evidence map. Under no mark the
// per-pixel statistic is about standard normal before smoothing.
const (
	smoothSigma = 1.0
	pixThresh   = 2.0
	// joinPx merges the letters of one line into one blob.
	joinPx   = 4
	minPixel = 12
)

// smooth blurs an evidence map: strokes are a few pixels wide, noise is
// pixel-sized.
func smooth(ev []float32, w, h int) []float32 {
	m := gocv.NewMatWithSize(h, w, gocv.MatTypeCV32F)
	defer m.Close()
	d, _ := m.DataPtrFloat32()
	copy(d, ev)
	gocv.GaussianBlur(m, &m, image.Pt(0, 0), smoothSigma, smoothSigma, gocv.BorderReflect101)
	return copyFloats(m)
}

// findBlobs groups above-threshold pixels of a smoothed evidence map into
// text-line-sized blobs, strongest first.
func findBlobs(sm []float32, w, h int) ([]blob, []int32) {
	bin := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8U)
	defer bin.Close()
	bb, _ := bin.DataPtrUint8()
	for i, v := range sm {
		if v > pixThresh {
			bb[i] = 255
		} else {
			bb[i] = 0
		}
	}
	joined := gocv.NewMat()
	defer joined.Close()
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2*joinPx+1, 2*joinPx+1))
	defer k.Close()
	gocv.Dilate(bin, &joined, k)
	labels, stats, cent := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cent.Close()
	n := gocv.ConnectedComponentsWithStats(joined, &labels, &stats, &cent)
	if n <= 1 {
		return nil, nil
	}
	blobs := make([]blob, n)
	mom := make([][6]float64, n) // weight, x, y, xx, yy, xy
	lf := gocv.NewMat()
	defer lf.Close()
	labels.ConvertTo(&lf, gocv.MatTypeCV32F)
	lb := copyFloats(lf)
	lab := make([]int32, len(lb))
	for i, v := range lb {
		lab[i] = int32(v)
	}
	for i, v := range sm {
		if v <= pixThresh {
			continue
		}
		l := int(lb[i])
		if l <= 0 {
			continue
		}
		b := &blobs[l]
		b.label = l
		b.score += float64(v - pixThresh)
		wt := float64(v - pixThresh)
		fx, fy := float64(i%w), float64(i/w)
		mm := &mom[l]
		mm[0] += wt
		mm[1] += wt * fx
		mm[2] += wt * fy
		mm[3] += wt * fx * fx
		mm[4] += wt * fy * fy
		mm[5] += wt * fx * fy
		b.pixels++
		x, y := i%w, i/w
		b.rect = b.rect.Union(image.Rect(x, y, x+1, y+1))
	}
	var out []blob
	for l, b := range blobs {
		if l == 0 || b.pixels < minPixel || steepLine(mom[l]) {
			continue
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, lab
}

// sideScore sums the strongest blobs: a tiled mark spreads its evidence
// over many blobs, a single one over one.
func sideScore(bl []blob) float64 {
	var s float64
	for i, b := range bl {
		if i >= 8 {
			break
		}
		s += b.score
	}
	return s
}

// lineAngle estimates the text angle of a blob from the second moments of
// its evidence (degrees, counter-clockwise, within +-60).
func lineAngle(sm []float32, lab []int32, w int, b blob) float64 {
	r := b.rect
	var sw, sx, sy, sxx, syy, sxy float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := float64(sm[y*w+x]) - pixThresh
			if v <= 0 || int(lab[y*w+x]) != b.label {
				continue
			}
			fx, fy := float64(x), float64(y)
			sw += v
			sx += v * fx
			sy += v * fy
			sxx += v * fx * fx
			syy += v * fy * fy
			sxy += v * fx * fy
		}
	}
	if sw == 0 {
		return 0
	}
	mx, my := sx/sw, sy/sw
	cxx, cyy, cxy := sxx/sw-mx*mx, syy/sw-my*my, sxy/sw-mx*my
	a := 0.5 * math.Atan2(2*cxy, cxx-cyy) * 180 / math.Pi
	// Image y points down: a positive slope on screen is a negative angle.
	return -a
}

// steepLine tells a streak (a table rule, an underline or an editor gutter
// drawn at the same place in several scenes) from text: overlay text runs at
// most about 50 degrees from horizontal and has letter height.
func steepLine(m [6]float64) bool {
	if m[0] <= 0 {
		return false
	}
	mx, my := m[1]/m[0], m[2]/m[0]
	cxx, cyy, cxy := m[3]/m[0]-mx*mx, m[4]/m[0]-my*my, m[5]/m[0]-mx*my
	tr, det := cxx+cyy, cxx*cyy-cxy*cxy
	disc := math.Sqrt(math.Max(0, tr*tr/4-det))
	l1, l2 := tr/2+disc, math.Max(1e-9, tr/2-disc)
	angle := math.Abs(0.5 * math.Atan2(2*cxy, cxx-cyy) * 180 / math.Pi)
	// A rule a pixel or two thick, in any direction, is not a letter.
	return angle > 65 && l1/l2 > 9 || math.Sqrt(l2) < minStrokeStd
}

// minStrokeStd is the least spread (px) of a blob across its main axis:
// a line of letters is several pixels tall even at 480p.
const minStrokeStd = 1.5
