package video

import (
	"image"
	"testing"

	"tracescan/ocr"
)

// stemWord draws a word of 20-pixel-wide letters with an x-height of 20
// rows (40-59): 'o' a small letter, 'i' a stem with a dot above it, 'l' a
// stem from the ascenders' height, 'n' an 'i' whose dot has run into its
// stem through a thin neck, 'h' a stem of a height between the two, '|' a
// stray stroke beside the letter.
func stemWord(shape string) (inkImage, ocr.Word) {
	const w, h, mid, base = 200, 90, 40, 59
	img := inkImage{w: w, h: h, ink: make([]bool, w*h)}
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				img.ink[y*w+x] = true
			}
		}
	}
	for k, c := range shape {
		x := 10 + 20*k
		switch c {
		case 'o':
			fill(x+2, mid, x+15, base)
		case 'i':
			fill(x+7, mid, x+11, base)
			fill(x+7, mid-9, x+11, mid-5)
		case 'l':
			fill(x+7, mid-14, x+11, base)
		case 'n':
			fill(x+7, mid, x+11, base)
			fill(x+9, mid-4, x+9, mid-1)
			fill(x+6, mid-10, x+12, mid-5)
		case 'h':
			fill(x+7, mid-4, x+11, base)
		case '|':
			fill(x+7, mid, x+11, base)
			fill(x+15, mid, x+17, base)
		}
	}
	return img, ocr.Word{Box: image.Rect(10, mid-16, 10+20*len(shape), base+2)}
}

func TestFixStems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		shape string // what the crop shows (see stemWord)
		read  string // what Tesseract read
		want  string
	}{
		{"an l read as i", "olo", "oio", "olo"},
		{"an i and an l read as two i", "oilo", "oiio", "oilo"},
		{"an l and an i read right", "olio", "olio", "olio"},
		{"an i stays an i", "oio", "oio", "oio"},
		{"an i whose dot ran into its stem", "ono", "oio", "oio"},
		{"a stem between the two heights is not judged", "oho", "oio", "oio"},
		{"more strokes than letters is not judged", "o|o", "oio", "oio"},
		{"a stroke between the two heights where the run lies", "ohlo", "oixo", "oixo"},
		{"nothing to judge", "ooo", "ooo", "ooo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, wd := stemWord(tc.shape)
			wd.Text = tc.read
			got := fixStems(ocr.Line{Text: tc.read, Words: []ocr.Word{wd}}, img)
			if got.Text != tc.want || got.Words[0].Text != tc.want {
				t.Errorf("fixStems(%q over %q) = %q, want %q", tc.read, tc.shape, got.Text, tc.want)
			}
		})
	}
}
