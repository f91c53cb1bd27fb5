package screenshare

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"strconv"
	"strings"
)

// Scene kinds: what a shared screen shows for a few seconds.
const (
	SceneSlideDark   = "slide_dark"
	SceneSlideLight  = "slide_light"
	SceneDocument    = "document"
	SceneScroll      = "document_scroll"
	SceneSpreadsheet = "spreadsheet"
	SceneCode        = "code"
	ScenePhoto       = "photo" // smooth gradients and blobs, like a shared picture
)

var sceneKinds = []string{SceneSlideDark, SceneSlideLight, SceneDocument, SceneScroll, SceneSpreadsheet, SceneCode, ScenePhoto}

// scene is one stretch of content. For scrolling documents img is taller
// than the frame and the view moves down over the scene.
type scene struct {
	kind       string
	start, end float64
	img        *image.RGBA
}

var words = strings.Fields(`the quarterly revenue growth market share customer retention roadmap
project milestone budget forecast strategy analysis platform release feature team hiring
design review architecture latency throughput pipeline deployment security audit compliance
meeting agenda summary action items next steps risks dependencies timeline launch metrics
user research onboarding pricing contract partner region sales operations support quality`)

func sentence(r *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[r.Intn(len(words))]
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ")
}

func fill(img *image.RGBA, rect image.Rectangle, c color.Color) {
	draw.Draw(img, rect, image.NewUniform(c), image.Point{}, draw.Src)
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

// renderScene draws one scene at w x h (taller for scrolling documents).
func renderScene(r *rand.Rand, kind string, w, h int) (*image.RGBA, error) {
	s := float64(h) / 720 // sizes below are for 720p
	px := func(v float64) int { return int(v*s + 0.5) }
	switch kind {
	case SceneSlideDark, SceneSlideLight:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		var bg, fg, accent color.RGBA
		if kind == SceneSlideDark {
			bg = rgb(uint8(10+r.Intn(40)), uint8(15+r.Intn(40)), uint8(30+r.Intn(60)))
			fg = rgb(235, 235, 240)
		} else {
			bg = rgb(uint8(225+r.Intn(30)), uint8(225+r.Intn(30)), uint8(215+r.Intn(40)))
			fg = rgb(30, 30, 40)
		}
		accent = rgb(uint8(r.Intn(256)), uint8(80+r.Intn(120)), uint8(r.Intn(256)))
		fill(img, img.Bounds(), bg)
		fill(img, image.Rect(0, 0, w, px(90)), accent)
		font := Fonts[r.Intn(2)]
		if err := drawText(img, image.NewUniform(fg), "bold", 44*s, px(50), px(65), sentence(r, 3+r.Intn(3))); err != nil {
			return nil, err
		}
		y := px(160)
		for i := 0; i < 4+r.Intn(4); i++ {
			fill(img, image.Rect(px(60), y-px(14), px(72), y-px(2)), accent)
			if err := drawText(img, image.NewUniform(fg), font, 30*s, px(90), y, sentence(r, 4+r.Intn(6))); err != nil {
				return nil, err
			}
			y += px(56)
		}
		// A chart on some slides.
		if r.Intn(2) == 0 {
			x0 := w - px(420)
			for i := 0; i < 6; i++ {
				bh := px(float64(40 + r.Intn(260)))
				fill(img, image.Rect(x0+i*px(60), h-px(80)-bh, x0+i*px(60)+px(40), h-px(80)), accent)
			}
		}
		return img, nil
	case SceneDocument, SceneScroll:
		hh := h
		if kind == SceneScroll {
			hh = h * 3
		}
		img := image.NewRGBA(image.Rect(0, 0, w, hh))
		fill(img, img.Bounds(), rgb(238, 238, 238))
		fill(img, image.Rect(w/8, 0, w-w/8, hh), rgb(255, 255, 255))
		font := []string{"regular", "medium", "italic"}[r.Intn(3)]
		y := px(60)
		for y < hh-px(30) {
			if r.Intn(8) == 0 {
				if err := drawText(img, image.NewUniform(rgb(20, 40, 120)), "bold", 28*s, w/8+px(40), y+px(10), sentence(r, 3)); err != nil {
					return nil, err
				}
				y += px(50)
				continue
			}
			gray := uint8(20 + r.Intn(60))
			if err := drawText(img, image.NewUniform(rgb(gray, gray, gray)), font, 20*s, w/8+px(40), y, sentence(r, 8+r.Intn(5))); err != nil {
				return nil, err
			}
			y += px(30)
		}
		return img, nil
	case SceneSpreadsheet:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		fill(img, img.Bounds(), rgb(255, 255, 255))
		cw, ch := px(120), px(28)
		for x := 0; x < w; x += cw {
			fill(img, image.Rect(x, 0, x+1, h), rgb(210, 210, 210))
		}
		for y := 0; y < h; y += ch {
			fill(img, image.Rect(0, y, w, y+1), rgb(210, 210, 210))
		}
		fill(img, image.Rect(0, 0, w, ch), rgb(230, 235, 245))
		for y := ch; y < h; y += ch {
			for x := 0; x < w; x += cw {
				if r.Intn(4) == 0 {
					continue
				}
				v := strconv.Itoa(r.Intn(100000))
				if err := drawText(img, image.NewUniform(rgb(20, 20, 20)), "regular", 17*s, x+px(8), y+ch-px(8), v); err != nil {
					return nil, err
				}
			}
		}
		return img, nil
	case SceneCode:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		dark := r.Intn(10) < 7
		bg := rgb(30, 30, 36)
		if !dark {
			bg = rgb(250, 250, 250)
		}
		fill(img, img.Bounds(), bg)
		palette := []color.RGBA{rgb(86, 156, 214), rgb(206, 145, 120), rgb(78, 201, 176), rgb(220, 220, 170), rgb(180, 180, 180)}
		if !dark {
			palette = []color.RGBA{rgb(0, 0, 160), rgb(160, 20, 20), rgb(0, 110, 60), rgb(90, 90, 0), rgb(60, 60, 60)}
		}
		y := px(40)
		indent := 0
		for y < h-px(10) {
			if err := drawText(img, image.NewUniform(rgb(120, 120, 120)), "mono", 18*s, px(10), y, strconv.Itoa(y/px(26))); err != nil {
				return nil, err
			}
			x := px(70) + indent*px(40)
			for j := 0; j < 2+r.Intn(5); j++ {
				wd := words[r.Intn(len(words))]
				c := palette[r.Intn(len(palette))]
				if err := drawText(img, image.NewUniform(c), "mono", 18*s, x, y, wd+"("); err != nil {
					return nil, err
				}
				x += px(float64(11 * (len(wd) + 2)))
			}
			indent = max(0, min(4, indent+r.Intn(3)-1))
			y += px(26)
		}
		return img, nil
	case ScenePhoto:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		c0 := [3]float64{float64(r.Intn(256)), float64(r.Intn(256)), float64(r.Intn(256))}
		c1 := [3]float64{float64(r.Intn(256)), float64(r.Intn(256)), float64(r.Intn(256))}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				t := (float64(x)/float64(w) + float64(y)/float64(h)) / 2
				i := img.PixOffset(x, y)
				for k := 0; k < 3; k++ {
					img.Pix[i+k] = uint8(c0[k]*(1-t) + c1[k]*t)
				}
				img.Pix[i+3] = 255
			}
		}
		for i := 0; i < 5; i++ {
			cx, cy, rad := r.Intn(w), r.Intn(h), px(float64(40+r.Intn(120)))
			c := rgb(uint8(r.Intn(256)), uint8(r.Intn(256)), uint8(r.Intn(256)))
			for y := max(0, cy-rad); y < min(h, cy+rad); y++ {
				for x := max(0, cx-rad); x < min(w, cx+rad); x++ {
					if (x-cx)*(x-cx)+(y-cy)*(y-cy) < rad*rad {
						img.SetRGBA(x, y, c)
					}
				}
			}
		}
		return img, nil
	}
	return nil, errUnknownScene(kind)
}

type errUnknownScene string

func (e errUnknownScene) Error() string { return "unknown scene kind " + string(e) }
