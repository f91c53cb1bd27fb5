package audiodiff

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	colHost  = color.RGBA{150, 150, 150, 255}
	colRes   = color.RGBA{210, 30, 30, 255}
	colFloor = color.RGBA{30, 70, 210, 255}
	colRep   = color.RGBA{20, 150, 40, 255}
	colAxis  = color.RGBA{0, 0, 0, 255}
	colGrid  = color.RGBA{225, 225, 225, 255}
)

// spectrumPNG plots the residual spectrum against the codec floor model and
// the host (dB per bin, 0 to fineRate/2 Hz). share, when set, is the part of
// the residual that repeats, plotted as share x residual.
func spectrumPNG(res, floor, host, share []float64) []byte {
	const w, h, left, bottom, top, right = 800, 360, 50, 30, 20, 10
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	db := func(v float64) float64 { return 10 * math.Log10(v+1e-20) }
	hiDB := math.Inf(-1)
	for _, v := range host {
		hiDB = math.Max(hiDB, db(v))
	}
	for _, v := range res {
		hiDB = math.Max(hiDB, db(v))
	}
	hiDB = math.Ceil(hiDB/10)*10 + 5
	loDB := hiDB - 100
	nb := len(res)
	px := func(k int) int { return left + k*(w-left-right)/(nb-1) }
	py := func(v float64) int {
		t := (db(v) - loDB) / (hiDB - loDB)
		t = math.Max(0, math.Min(1, t))
		return top + int((1-t)*float64(h-top-bottom))
	}
	face := basicfont.Face7x13
	label := func(x, y int, s string, c color.Color) {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	for f := 0.0; f <= fineRate/2; f += 1000 {
		k := int(f * stftN / fineRate)
		x := px(min(k, nb-1))
		for y := top; y < h-bottom; y++ {
			img.Set(x, y, colGrid)
		}
		label(x-8, h-bottom+14, fmt.Sprintf("%.0fk", f/1000), colAxis)
	}
	for d := loDB; d <= hiDB; d += 20 {
		y := top + int((1-(d-loDB)/(hiDB-loDB))*float64(h-top-bottom))
		for x := left; x < w-right; x++ {
			img.Set(x, y, colGrid)
		}
		label(2, y+4, fmt.Sprintf("%.0f", d), colAxis)
	}
	curve := func(v []float64, c color.Color) {
		for k := 1; k < len(v); k++ {
			line(img, px(k-1), py(v[k-1]), px(k), py(v[k]), c)
		}
	}
	curve(host, colHost)
	curve(floor, colFloor)
	curve(res, colRes)
	if share != nil {
		rep := make([]float64, nb)
		for k := range rep {
			rep[k] = res[k] * share[k]
		}
		curve(rep, colRep)
	}
	label(left+10, top-6, "dB per bin vs Hz:  grey meeting  red residual  blue codec floor  green repeating part", colAxis)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil
	}
	return b.Bytes()
}

// line draws a straight segment (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
