package video

import (
	"image"
	"testing"

	"gocv.io/x/gocv"

	"tracescan/ocr"
	"tracescan/samples/screenshare"
)

// drawnInk renders text in one of the overlay fonts and returns its ink and
// the text's box.
func drawnInk(t *testing.T, font, text string) (inkImage, image.Rectangle) {
	return drawnInkAt(t, font, 40, 128, text)
}

// drawnInkAt is drawnInk at size pixels, ink where the image is darker
// than level.
func drawnInkAt(t *testing.T, font string, size float64, level uint8, text string) (inkImage, image.Rectangle) {
	t.Helper()
	img, box, err := screenshare.RenderText(font, size, text)
	if err != nil {
		t.Fatal(err)
	}
	ink := inkImage{w: img.Rect.Dx(), h: img.Rect.Dy(), ink: make([]bool, len(img.Pix))}
	for i, v := range img.Pix {
		ink.ink[i] = v < level
	}
	return ink, box
}

// drawnRendering is a text drawn in one overlay font at one size, ink
// where it is darker than faintInk.
type drawnRendering struct {
	font string
	ink  inkImage
	box  image.Rectangle
}

// drawnRenderings draws text in each overlay font at two sizes: the
// x-height of a rebuilt crop's letters is about 14-40 pixels.
func drawnRenderings(t *testing.T, text string) []drawnRendering {
	t.Helper()
	var out []drawnRendering
	for _, font := range screenshare.Fonts {
		for _, size := range []float64{28, 44} {
			ink, box := drawnInkAt(t, font, size, faintInk, text)
			out = append(out, drawnRendering{font: font, ink: ink, box: box})
		}
	}
	return out
}

// cropInk reads a rebuilt crop kept in testdata: ink where it is darker
// than level.
func cropInk(t *testing.T, file string, level uint8) inkImage {
	t.Helper()
	m := gocv.IMRead(file, gocv.IMReadGrayScale)
	defer m.Close()
	if m.Empty() {
		t.Fatalf("cannot read %s", file)
	}
	return inkBelow(m, level)
}

func TestFixDashes(t *testing.T) {
	tests := []struct {
		name  string
		drawn string // what the image shows ("" : a crop in testdata)
		file  string
		box   image.Rectangle // the word's box, for crops
		read  string          // what Tesseract read
		want  string
		// remnant draws a line of content at mid-height above each
		// underscore (Tesseract reads the two as '=').
		remnant bool
	}{
		{name: "underscore read as hyphen", drawn: "li_schmidt23", read: "li-schmidt23", want: "li_schmidt23"},
		{name: "hyphen read as underscore", drawn: "uni-bonn", read: "uni_bonn", want: "uni-bonn"},
		{name: "both in one word", drawn: "omar_c@acme-corp.de", read: "omar-c@acme_corp.de", want: "omar_c@acme-corp.de"},
		{name: "em dash for an underscore", drawn: "ab_cd", read: "ab\u2014cd", want: "ab_cd"},
		{name: "equals sign for an underscore", drawn: "olga_schmidt29", read: "olga=schmidt29", want: "olga_schmidt29", remnant: true},
		{name: "equals sign for a hyphen", drawn: "uni-bonn", read: "uni=bonn", want: "uni-bonn"},
		{name: "right as read", drawn: "jo_x-y", read: "jo_x-y", want: "jo_x-y"},
		// Hard negatives: no bar where the dash should be.
		{name: "a round bottom is no underscore", drawn: "boo", read: "b-o", want: "b-o"},
		{name: "the bar of an e is no hyphen", drawn: "bee", read: "b_e", want: "b_e"},
		// Rebuilt crops of two marks (binarised looks, evaluation videos
		// 23018 and 23028), with the boxes Tesseract gave.
		{name: "italic underscore touching its letters", file: "testdata/dash-crop-23018.png",
			box: image.Rect(86, 24, 391, 70), read: "li-schmidt23", want: "li_schmidt23"},
		{name: "underscore read as an em dash", file: "testdata/dash-crop-23028.png",
			box: image.Rect(327, 27, 1438, 95), read: "omar\u2014chen52@contoso.com", want: "omar_chen52@contoso.com"},
	}
	check := func(t *testing.T, ink inkImage, box image.Rectangle, read, want string) {
		t.Helper()
		l := ocr.Line{Text: "x " + read, Words: []ocr.Word{{Text: "x"}, {Text: read, Box: box}}}
		got := fixDashes(l, ink)
		if got.Text != "x "+want || got.Words[1].Text != want {
			t.Errorf("read %q: got %q, want %q", read, got.Text, "x "+want)
		}
	}
	for _, tc := range tests {
		if tc.file != "" {
			t.Run(tc.name, func(t *testing.T) {
				check(t, cropInk(t, tc.file, 128), tc.box, tc.read, tc.want)
			})
			continue
		}
		for _, font := range screenshare.Fonts {
			t.Run(tc.name+"/"+font, func(t *testing.T) {
				ink, box := drawnInk(t, font, tc.drawn)
				if tc.remnant {
					drawRemnants(t, ink, box)
				}
				check(t, ink, box, tc.read, tc.want)
			})
		}
	}
}

// drawRemnants draws a line at mid-height of the small letters above each
// underscore in ink, as long as the underscore and as thick as a stroke.
func drawRemnants(t *testing.T, ink inkImage, box image.Rectangle) {
	t.Helper()
	mid, base, ok := xHeight(ink, box)
	if !ok {
		t.Fatal("no x-height")
	}
	xh := float64(base - mid + 1)
	n := 0
	for _, b := range barsIn(ink, box, mid, base) {
		if (b.cy-float64(mid))/xh < underscoreRow {
			continue
		}
		y0 := mid + int(0.4*xh)
		for y := y0; y < y0+max(3, int(0.15*xh)); y++ {
			for x := b.x0; x < b.x1; x++ {
				ink.ink[y*ink.w+x] = true
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no underscore drawn")
	}
}
