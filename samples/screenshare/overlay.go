package screenshare

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Layouts of a watermark overlay.
const (
	LayoutSingle   = "single"
	LayoutTiled    = "tiled"
	LayoutDiagonal = "diagonal"
)

// Overlay is a semi-transparent text watermark drawn over the shared screen.
type Overlay struct {
	Text     string
	Layout   string  // single, tiled or diagonal
	Opacity  float64 // 0-1
	Gray     uint8   // colour of the text (gray level)
	Font     string  // one of Fonts
	SizePx   float64 // font size in output pixels
	AngleDeg float64 // text angle for diagonal layouts (counter-clockwise)
	// Start and End bound when the overlay is shown (seconds); End 0 means
	// until the end.
	Start, End float64
}

// renderTextMask renders text into an alpha mask of its own size.
func renderTextMask(fontName string, size float64, text string) (*image.Alpha, error) {
	w, asc, desc, err := textSize(fontName, size, text)
	if err != nil {
		return nil, err
	}
	pad := int(size/4) + 2
	m := image.NewAlpha(image.Rect(0, 0, w+2*pad, asc+desc+2*pad))
	if err := drawText(m, image.Opaque, fontName, size, pad, pad+asc, text); err != nil {
		return nil, err
	}
	return m, nil
}

// coverage is the overlay's per-pixel coverage (0-255) over the frame.
type coverage struct {
	w, h  int
	alpha []uint8
	idx   []int32 // pixels with non-zero coverage, for fast blending
}

// overlayCoverage lays out the text over a w x h frame.
func overlayCoverage(o *Overlay, w, h int) (*coverage, error) {
	m, err := renderTextMask(o.Font, o.SizePx, o.Text)
	if err != nil {
		return nil, err
	}
	dst := image.NewAlpha(image.Rect(0, 0, w, h))
	mw, mh := float64(m.Bounds().Dx()), float64(m.Bounds().Dy())
	// place puts the mask centred at (cx, cy), rotated by angle degrees.
	place := func(cx, cy, angle float64) {
		a := -angle * math.Pi / 180 // image y points down
		c, s := math.Cos(a), math.Sin(a)
		// dst = R*(src - centre_src) + centre_dst
		tx := cx - (c*mw/2 - s*mh/2)
		ty := cy - (s*mw/2 + c*mh/2)
		xdraw.BiLinear.Transform(dst, f64.Aff3{c, -s, tx, s, c, ty}, m, m.Bounds(), xdraw.Over, nil)
	}
	fw, fh := float64(w), float64(h)
	switch o.Layout {
	case LayoutTiled:
		stepX, stepY := mw+o.SizePx*3, mh+o.SizePx*3
		row := 0
		for cy := stepY / 2; cy < fh; cy += stepY {
			off := 0.0
			if row%2 == 1 {
				off = stepX / 2
			}
			for cx := stepX/2 + off - stepX; cx < fw+stepX; cx += stepX {
				place(cx, cy, 0)
			}
			row++
		}
	case LayoutDiagonal:
		// Parallel rotated instances stacked down the screen, as Zoom and
		// Teams repeat a tilted mark.
		n := min(3, 1+int(fh/(mh*5)))
		for i := 0; i < n; i++ {
			t := (float64(i) + 0.5) / float64(n)
			place(fw/2, fh*t, o.AngleDeg)
		}
	default:
		place(fw/2, fh/2, 0)
	}
	cv := &coverage{w: w, h: h, alpha: dst.Pix}
	for i, a := range dst.Pix {
		if a > 0 {
			cv.idx = append(cv.idx, int32(i))
		}
	}
	return cv, nil
}

// bounds returns the bounding box of pixels with coverage above half.
func (c *coverage) bounds() image.Rectangle {
	r := image.Rectangle{}
	for _, i := range c.idx {
		if c.alpha[i] < 128 {
			continue
		}
		x, y := int(i)%c.w, int(i)/c.w
		r = r.Union(image.Rect(x, y, x+1, y+1))
	}
	return r
}

// blend mixes the overlay into an RGB24 buffer: J = a*W + (1-a)*I.
func (c *coverage) blend(rgb []byte, opacity float64, gray uint8) {
	g := float64(gray)
	for _, i := range c.idx {
		a := opacity * float64(c.alpha[i]) / 255
		p := rgb[int(i)*3 : int(i)*3+3]
		for k := range p {
			p[k] = uint8(a*g + (1-a)*float64(p[k]) + 0.5)
		}
	}
}
