package screenshare

import (
	"fmt"
	"image"
	"image/color"
)

// Static UI elements: the hard negatives. They persist over the recording
// but are opaque (no content visible beneath), or, for the stamp, carry text
// that is not an identity.
const (
	StaticLogo      = "logo"
	StaticClock     = "clock"
	StaticToolbar   = "toolbar"
	StaticNameLabel = "name_label"
	StaticStamp     = "stamp" // "CONFIDENTIAL" and the like
)

// Static is one static UI element.
type Static struct {
	Kind string
	// Text is the label of a name box or the word of a stamp.
	Text string
	// Opacity between 0 and 1 draws a stamp semi-transparently; 1 and 0
	// (unset) draw it opaque.
	Opacity float64
}

// translucent reports whether the element is a stamp drawn
// semi-transparently over the content (see Opacity).
func (s Static) translucent() bool {
	return s.Kind == StaticStamp && s.Opacity > 0 && s.Opacity < 1
}

// staticLayer draws static elements onto frames.
type staticLayer struct {
	items []Static
	w, h  int
	stamp *coverage // for a semi-transparent stamp
}

func newStaticLayer(items []Static, w, h int) (*staticLayer, error) {
	l := &staticLayer{items: items, w: w, h: h}
	for _, it := range items {
		if it.translucent() {
			cv, err := overlayCoverage(&Overlay{Text: it.Text, Layout: LayoutDiagonal, Font: "bold",
				SizePx: float64(h) / 8, AngleDeg: 30}, w, h)
			if err != nil {
				return nil, err
			}
			l.stamp = cv
		}
	}
	return l, nil
}

// regions returns where each element is drawn, for labels.
func (l *staticLayer) region(it Static) image.Rectangle {
	s := float64(l.h) / 720
	px := func(v float64) int { return int(v*s + 0.5) }
	switch it.Kind {
	case StaticLogo:
		return image.Rect(l.w-px(170), px(16), l.w-px(16), px(70))
	case StaticClock:
		return image.Rect(px(16), px(16), px(190), px(60))
	case StaticToolbar:
		return image.Rect(0, l.h-px(56), l.w, l.h)
	case StaticNameLabel:
		return image.Rect(px(20), l.h-px(120), px(20)+px(float64(16*len(it.Text)+30)), l.h-px(76))
	case StaticStamp:
		if l.stamp != nil {
			return l.stamp.bounds()
		}
		return image.Rect(l.w/2-px(200), px(100), l.w/2+px(200), px(170))
	}
	return image.Rectangle{}
}

// draw paints the elements for time t onto img (RGBA).
func (l *staticLayer) draw(img *image.RGBA, t float64) error {
	s := float64(l.h) / 720
	for _, it := range l.items {
		r := l.region(it)
		switch it.Kind {
		case StaticLogo:
			fill(img, r, rgb(200, 40, 40))
			fill(img, image.Rect(r.Min.X+4, r.Min.Y+4, r.Min.X+r.Dy()-4, r.Max.Y-4), rgb(255, 255, 255))
			if err := drawText(img, image.NewUniform(color.White), "bold", 30*s, r.Min.X+r.Dy()+4, r.Max.Y-int(14*s), "ACME"); err != nil {
				return err
			}
		case StaticClock:
			fill(img, r, rgb(20, 20, 20))
			sec := int(t)
			txt := fmt.Sprintf("10:%02d:%02d", 12+sec/60, sec%60)
			if err := drawText(img, image.NewUniform(color.White), "mono", 28*s, r.Min.X+int(12*s), r.Max.Y-int(12*s), txt); err != nil {
				return err
			}
		case StaticToolbar:
			fill(img, r, rgb(36, 36, 40))
			x := int(40 * s)
			for _, lbl := range []string{"Mute", "Stop Video", "Participants", "Share Screen", "Record", "Reactions"} {
				fill(img, image.Rect(x, r.Min.Y+int(8*s), x+int(22*s), r.Min.Y+int(30*s)), rgb(220, 220, 220))
				if err := drawText(img, image.NewUniform(rgb(220, 220, 220)), "regular", 14*s, x-int(10*s), r.Max.Y-int(8*s), lbl); err != nil {
					return err
				}
				x += l.w / 7
			}
		case StaticNameLabel:
			fill(img, r, rgb(25, 25, 25))
			if err := drawText(img, image.NewUniform(color.White), "regular", 26*s, r.Min.X+int(12*s), r.Max.Y-int(12*s), it.Text); err != nil {
				return err
			}
		case StaticStamp:
			if l.stamp == nil {
				fill(img, r, rgb(255, 255, 255))
				if err := drawText(img, image.NewUniform(rgb(200, 0, 0)), "bold", 48*s, r.Min.X+int(20*s), r.Max.Y-int(16*s), it.Text); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
