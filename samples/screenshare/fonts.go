package screenshare

import (
	"fmt"
	"image"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Fonts are the Go fonts (embedded, so the generator needs no system fonts and
// renders identically everywhere).
var Fonts = []string{"regular", "bold", "mono", "italic", "medium"}

var fontData = map[string][]byte{
	"regular": goregular.TTF,
	"bold":    gobold.TTF,
	"mono":    gomono.TTF,
	"italic":  goitalic.TTF,
	"medium":  gomedium.TTF,
}

var (
	fontMu    sync.Mutex
	parsed    = map[string]*opentype.Font{}
	faceCache = map[faceKey]font.Face{}
)

type faceKey struct {
	name string
	size int
}

// face returns a cached face; sizes are rounded to whole pixels so the cache
// stays small. Faces are not safe for concurrent use, hence the lock users
// take through drawText.
func face(name string, size float64) (font.Face, error) {
	key := faceKey{name, int(size + 0.5)}
	if f, ok := faceCache[key]; ok {
		return f, nil
	}
	f, ok := parsed[name]
	if !ok {
		data, ok := fontData[name]
		if !ok {
			return nil, fmt.Errorf("unknown font %q", name)
		}
		var err error
		if f, err = opentype.Parse(data); err != nil {
			return nil, fmt.Errorf("parsing font %s: %w", name, err)
		}
		parsed[name] = f
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(key.size), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	faceCache[key] = fc
	return fc, nil
}

// drawText draws s with its baseline-left corner at (x, y).
func drawText(dst draw.Image, src image.Image, fontName string, size float64, x, y int, s string) error {
	fontMu.Lock()
	defer fontMu.Unlock()
	fc, err := face(fontName, size)
	if err != nil {
		return err
	}
	d := font.Drawer{Dst: dst, Src: src, Face: fc, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return nil
}

// textSize returns the advance width and the ascent/descent of s.
func textSize(fontName string, size float64, s string) (w, ascent, descent int, err error) {
	fontMu.Lock()
	defer fontMu.Unlock()
	fc, err := face(fontName, size)
	if err != nil {
		return 0, 0, 0, err
	}
	m := fc.Metrics()
	return font.MeasureString(fc, s).Ceil(), m.Ascent.Ceil(), m.Descent.Ceil(), nil
}

// RenderText draws s in black on white with one of Fonts at size pixels
// and returns the gray image and the text's box (its advance width, from
// the ascent to the descent): test crops with the overlays' own fonts.
func RenderText(fontName string, size float64, s string) (*image.Gray, image.Rectangle, error) {
	w, ascent, descent, err := textSize(fontName, size, s)
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	pad := int(size / 2)
	img := image.NewGray(image.Rect(0, 0, w+2*pad, ascent+descent+2*pad))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	if err := drawText(img, image.Black, fontName, size, pad, pad+ascent, s); err != nil {
		return nil, image.Rectangle{}, err
	}
	return img, image.Rect(pad, pad, pad+w, pad+ascent+descent), nil
}
