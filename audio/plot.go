package audio

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// spectrogramPNG renders the coarse spectrogram (time left to right,
// frequency bottom to top) with the band [lo, hi] Hz marked in red.
func spectrogramPNG(cols [][]float32, sr, lo, hi float64) []byte {
	if len(cols) == 0 {
		return nil
	}
	w, h := len(cols), specRows
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var vals []float64
	for _, c := range cols {
		for _, v := range c {
			vals = append(vals, float64(v))
		}
	}
	hiDB, _ := quantile(vals, 0.995)
	loDB := hiDB - 80
	for x, c := range cols {
		for r, v := range c {
			t := (float64(v) - loDB) / (hiDB - loDB)
			t = math.Max(0, math.Min(1, t))
			img.Set(x, h-1-r, heat(t))
		}
	}
	nyq := sr / 2
	red := color.RGBA{255, 40, 40, 255}
	for _, f := range []float64{lo, hi} {
		if f <= 0 || f >= nyq {
			continue
		}
		y := h - 1 - int(f/nyq*float64(h))
		for x := 0; x < w; x += 2 {
			img.Set(x, y, red)
		}
	}
	return encodePNG(img)
}

// curvePNG plots y against its index (spanning 0..spanS seconds) and marks
// the given x positions (seconds) with vertical lines.
func curvePNG(y []float64, spanS float64, marks []float64) []byte {
	if len(y) == 0 {
		return nil
	}
	const w, h, pad = 800, 240, 10
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	mx := math.Inf(-1)
	mn := math.Inf(1)
	for _, v := range y {
		mx, mn = math.Max(mx, v), math.Min(mn, v)
	}
	if mx <= mn {
		mx = mn + 1
	}
	red := color.RGBA{220, 30, 30, 255}
	for _, m := range marks {
		x := pad + int(m/spanS*float64(w-2*pad))
		for yy := 0; yy < h; yy += 3 {
			img.Set(x, yy, red)
		}
	}
	blue := color.RGBA{20, 40, 160, 255}
	py := -1
	for i, v := range y {
		x := pad + i*(w-2*pad)/len(y)
		yy := h - pad - int((v-mn)/(mx-mn)*float64(h-2*pad))
		if py < 0 {
			py = yy
		}
		a, b := min(py, yy), max(py, yy)
		for k := a; k <= b; k++ {
			img.Set(x, k, blue)
		}
		py = yy
	}
	return encodePNG(img)
}

func heat(t float64) color.RGBA {
	r := math.Min(1, 2*t)
	g := math.Max(0, math.Min(1, 2*t-0.5))
	b := math.Max(0, 1-2*t) * 0.6
	return color.RGBA{uint8(255 * r), uint8(255 * g), uint8(255 * b), 255}
}

func quantile(x []float64, q float64) (float64, bool) {
	if len(x) == 0 {
		return 0, false
	}
	s := append([]float64(nil), x...)
	sortFloats(s)
	return s[int(q*float64(len(s)-1))], true
}

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil
	}
	return b.Bytes()
}
