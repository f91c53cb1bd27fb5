package video

import (
	"image"
	"image/color"
	"math/rand"
	"testing"

	"gocv.io/x/gocv"
)

// ruleFrame is a frame's high-pass for TestGateRules: codec noise, then
// what the row's fields draw.
type ruleFrame struct {
	w, h int
	// text is drawn as a mark's letters (H -25 on their strokes) at
	// textAt with font scale and stroke thickness.
	text      string
	textAt    image.Point
	scale     float64
	thickness int
	// hRule and vRule are rules (one pixel of -30 with -12 either side)
	// along a row or a column from..to; 0 for none.
	hRule, vRule int
	ruleFrom     int
	ruleTo       int
	ruleSign     float32 // -1 dark rule on a light page, 1 light on dark
	bar          image.Rectangle
	barValue     float32
	wantRuleShut bool // the rule's own pixels must be shut
}

func (f ruleFrame) maps(t *testing.T) (H, C []float32, letters []bool) {
	t.Helper()
	r := rand.New(rand.NewSource(7))
	H = make([]float32, f.w*f.h)
	C = make([]float32, f.w*f.h)
	for i := range H {
		H[i] = float32(r.NormFloat64() * 1.5)
	}
	letters = make([]bool, f.w*f.h)
	if f.text != "" {
		m := gocv.NewMatWithSize(f.h, f.w, gocv.MatTypeCV8U)
		defer m.Close()
		gocv.PutText(&m, f.text, f.textAt, gocv.FontHersheySimplex, f.scale, color.RGBA{255, 255, 255, 0}, f.thickness)
		pix := m.ToBytes()
		for i, p := range pix {
			if p > 0 {
				H[i] = -25 * float32(p) / 255
				letters[i] = p > 128
			}
		}
	}
	for y := f.bar.Min.Y; y < f.bar.Max.Y; y++ {
		for x := f.bar.Min.X; x < f.bar.Max.X; x++ {
			H[y*f.w+x] = f.barValue
		}
	}
	line := func(at func(k, s int) int) {
		// The rule's profile across it: the codec blurs it a pixel wide.
		profile := []struct {
			s int
			v float32
		}{{-1, 12}, {0, 30}, {1, 12}}
		for k := f.ruleFrom; k < f.ruleTo; k++ {
			for _, p := range profile {
				s, v := p.s, p.v
				i := at(k, s)
				// A rule over a letter is as dark as the darker.
				if v*f.ruleSign < 0 && H[i] > v*f.ruleSign || v*f.ruleSign > 0 {
					H[i] = v * f.ruleSign
				}
			}
		}
	}
	if f.hRule > 0 {
		line(func(k, s int) int { return (f.hRule+s)*f.w + k })
	}
	if f.vRule > 0 {
		line(func(k, s int) int { return k*f.w + f.vRule + s })
	}
	return H, C, letters
}

func TestGateRules(t *testing.T) {
	tests := []struct {
		name string
		f    ruleFrame
	}{
		{"table rule across the frame", ruleFrame{w: 1280, h: 720, hRule: 300, ruleFrom: 0, ruleTo: 1280, ruleSign: -1, wantRuleShut: true}},
		{"column rule", ruleFrame{w: 1280, h: 720, vRule: 500, ruleFrom: 100, ruleTo: 600, ruleSign: -1, wantRuleShut: true}},
		{"light rule on a dark slide", ruleFrame{w: 1280, h: 720, hRule: 200, ruleFrom: 300, ruleTo: 900, ruleSign: 1, wantRuleShut: true}},
		{"rule at 480p", ruleFrame{w: 854, h: 480, hRule: 100, ruleFrom: 0, ruleTo: 854, ruleSign: -1, wantRuleShut: true}},
		{"rule through a mark's letters", ruleFrame{w: 1280, h: 720, text: "orossi@example.com", textAt: image.Pt(300, 400), scale: 1.6, thickness: 2,
			hRule: 388, ruleFrom: 0, ruleTo: 1280, ruleSign: -1, wantRuleShut: true}},
		{"mark alone", ruleFrame{w: 1280, h: 720, text: "emma_novak22@mail.example.org", textAt: image.Pt(200, 400), scale: 1.6, thickness: 2}},
		{"bold mark alone", ruleFrame{w: 1280, h: 720, text: "jonas_schmidt39@acme-corp.de", textAt: image.Pt(150, 300), scale: 1.8, thickness: 5}},
		{"small mark at 480p", ruleFrame{w: 854, h: 480, text: "li_jensen59@mail.example.org", textAt: image.Pt(100, 200), scale: 0.6, thickness: 1}},
		{"thick bar", ruleFrame{w: 1280, h: 720, bar: image.Rect(100, 100, 1100, 112), barValue: -30}},
		{"short line", ruleFrame{w: 1280, h: 720, hRule: 300, ruleFrom: 100, ruleTo: 170, ruleSign: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			H, C, letters := f.maps(t)
			gateRules(H, C, f.w, f.h, contentGate)
			shut := func(i int) bool { return C[i] > contentGate }
			onRule := func(x, y int) bool {
				switch {
				case f.hRule > 0:
					return y >= f.hRule-2 && y <= f.hRule+2
				case f.vRule > 0:
					return x >= f.vRule-2 && x <= f.vRule+2
				}
				return false
			}
			var ruleShut, rulePix, letterShut, otherShut int
			for y := 0; y < f.h; y++ {
				for x := 0; x < f.w; x++ {
					i := y*f.w + x
					switch {
					case onRule(x, y):
						if y == f.hRule && x >= f.ruleFrom && x < f.ruleTo || x == f.vRule && y >= f.ruleFrom && y < f.ruleTo {
							rulePix++
							if shut(i) {
								ruleShut++
							}
						}
					case letters[i]:
						if shut(i) {
							letterShut++
						}
					case shut(i):
						otherShut++
					}
				}
			}
			if f.wantRuleShut && ruleShut < rulePix*9/10 {
				t.Errorf("%d of the rule's %d pixels shut, want nearly all", ruleShut, rulePix)
			}
			if !f.wantRuleShut && ruleShut > 0 {
				t.Errorf("%d of the line's %d pixels shut, want none", ruleShut, rulePix)
			}
			if letterShut > 0 {
				t.Errorf("%d letter pixels off the rule shut, want none", letterShut)
			}
			if otherShut > 0 {
				t.Errorf("%d other pixels shut, want none", otherShut)
			}
		})
	}
}

// BenchmarkGateRules times the rule gate on a 720p frame's high-pass with
// a document's text and a table's grid.
func BenchmarkGateRules(b *testing.B) {
	w, h := 1280, 720
	r := rand.New(rand.NewSource(1))
	H0 := make([]float32, w*h)
	for i := range H0 {
		x, y := i%w, i/w
		switch {
		case y%40 == 0 || x%120 == 0:
			H0[i] = -30 // grid
		case y%40 > 10 && y%40 < 22 && x%9 < 3:
			H0[i] = -80 // text strokes
		default:
			H0[i] = float32(r.NormFloat64() * 1.5)
		}
	}
	H, C := make([]float32, w*h), make([]float32, w*h)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(H, H0)
		gateRules(H, C, w, h, contentGate)
	}
}
