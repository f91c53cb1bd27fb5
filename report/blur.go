package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// PixelatePNG makes text in a picture unreadable while keeping its layout
// visible: each block of about 1/40 of the longer side becomes its mean
// colour. It is how --redact blurs identity text in evidence pictures.
func PixelatePNG(data []byte) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decoding evidence picture: %w", err)
	}
	b := src.Bounds()
	img := image.NewRGBA(b)
	draw.Draw(img, b, src, b.Min, draw.Src)
	block := max(6, max(b.Dx(), b.Dy())/40)
	for y0 := b.Min.Y; y0 < b.Max.Y; y0 += block {
		for x0 := b.Min.X; x0 < b.Max.X; x0 += block {
			cell := image.Rect(x0, y0, min(x0+block, b.Max.X), min(y0+block, b.Max.Y))
			var r, g, bl, a, n uint32
			for y := cell.Min.Y; y < cell.Max.Y; y++ {
				for x := cell.Min.X; x < cell.Max.X; x++ {
					c := img.RGBAAt(x, y)
					r, g, bl, a, n = r+uint32(c.R), g+uint32(c.G), bl+uint32(c.B), a+uint32(c.A), n+1
				}
			}
			mean := color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), uint8(a / n)}
			draw.Draw(img, cell, &image.Uniform{mean}, image.Point{}, draw.Src)
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("encoding evidence picture: %w", err)
	}
	return out.Bytes(), nil
}
