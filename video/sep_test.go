package video

import (
	"image"
	"strings"
	"testing"

	"tracescan/ocr"
	"tracescan/samples/screenshare"
)

// wordsOf splits what Tesseract read of the drawn text into words with
// boxes: each word's box spans its own advance in the drawing, found by
// drawing the prefix of drawn up to it (read and drawn have the same
// length, a space in read standing for a character of drawn, unless split
// says which runes of drawn each word of read covers).
func wordsOf(t *testing.T, font string, drawn, read string, box image.Rectangle, split [][2]int) ocr.Line {
	t.Helper()
	width := func(s string) int {
		if s == "" {
			return 0
		}
		_, b, err := screenshare.RenderText(font, 40, s)
		if err != nil {
			t.Fatal(err)
		}
		return b.Dx()
	}
	dr := []rune(drawn)
	var words []ocr.Word
	start := 0
	for k, w := range strings.Split(read, " ") {
		n := len([]rune(w))
		from, to := start, start+n
		if split != nil {
			from, to = split[k][0], split[k][1]
		}
		x0, x1 := width(string(dr[:from])), width(string(dr[:to]))
		words = append(words, ocr.Word{Text: w, Box: image.Rect(box.Min.X+x0, box.Min.Y, box.Min.X+x1, box.Max.Y)})
		start += n + 1
	}
	return ocr.Line{Text: read, Words: words}
}

func TestFixSeparators(t *testing.T) {
	tests := []struct {
		name  string
		drawn string
		read  string // as many characters as drawn; a space splits words
		want  string
		// split, when set, gives read's words the boxes of these
		// [from, to) runes of drawn instead.
		split [][2]int
	}{
		{name: "dot read as a comma", drawn: "keiko.meyer@uni-bonn.de", read: "keiko,meyer@uni-bonn.de", want: "keiko.meyer@uni-bonn.de"},
		{name: "dot read as a semicolon", drawn: "keiko.meyer@uni-bonn.de", read: "keiko;meyer@uni-bonn.de", want: "keiko.meyer@uni-bonn.de"},
		{name: "dot read as a hyphen", drawn: "raj.schmidt@x.de", read: "raj-schmidt@x.de", want: "raj.schmidt@x.de"},
		{name: "underscore read as a comma", drawn: "anna_meyer@x.org", read: "anna,meyer@x.org", want: "anna_meyer@x.org"},
		{name: "underscore read as a dot", drawn: "sofia_ivanova98@x.de", read: "sofia.ivanova98@x.de", want: "sofia_ivanova98@x.de"},
		{name: "dot lost between words", drawn: "maria.chen@acme-corp.de", read: "maria chen@acme-corp.de", want: "maria.chen@acme-corp.de"},
		{name: "underscore lost between words", drawn: "maria_chen@acme-corp.de", read: "maria chen@acme-corp.de", want: "maria_chen@acme-corp.de"},
		{name: "underscore read as a dot and itself, split", drawn: "sofia_ivanova98@x.de", read: "sofia. _ivanova98@x.de",
			split: [][2]int{{0, 6}, {5, 20}}, want: "sofia_ivanova98@x.de"},
		{name: "dot read at the end of a word", drawn: "maria.chen@acme-corp.de", read: "maria. chen@acme-corp.de",
			split: [][2]int{{0, 6}, {6, 23}}, want: "maria.chen@acme-corp.de"},
		{name: "split before the at sign too", drawn: "sofia_ivanova98@x.de", read: "sofia. ivanova98 @x.de",
			split: [][2]int{{0, 6}, {6, 15}, {15, 20}}, want: "sofia_ivanova98 @x.de"},
		{name: "handle without an address", drawn: "lucas.chen", read: "lucas,chen", want: "lucas.chen"},
		{name: "right as read", drawn: "jo.x_y@a-b.de", read: "jo.x_y@a-b.de", want: "jo.x_y@a-b.de"},
		// Hard negatives: the crop shows no separator, or the character
		// is not in a local part.
		{name: "a real space", drawn: "maria chen@acme-corp.de", read: "maria chen@acme-corp.de", want: "maria chen@acme-corp.de"},
		{name: "no glyph where the comma is read", drawn: "keikoomeyer@x.de", read: "keiko,meyer@x.de", want: "keiko,meyer@x.de"},
		{name: "the domain is not a local part", drawn: "ab@uni.bonn", read: "ab@uni,bonn", want: "ab@uni,bonn"},
		{name: "a remnant word before an address", drawn: "ry, annah150@x.de", read: "ry, annah150@x.de",
			split: [][2]int{{0, 3}, {4, 17}}, want: "ry, annah150@x.de"},
		{name: "a Meet code is not a local part", drawn: "abc-defg-hij omar@x.de", read: "abc,defg_hij omar@x.de", want: "abc,defg_hij omar@x.de"},
		{name: "a letter's foot is no dot", drawn: "lili@x.de", read: "l.li@x.de", want: "l.li@x.de"},
	}
	for _, tc := range tests {
		for _, font := range screenshare.Fonts {
			t.Run(tc.name+"/"+font, func(t *testing.T) {
				ink, box := drawnInk(t, font, tc.drawn)
				l := wordsOf(t, font, tc.drawn, tc.read, box, tc.split)
				got := fixSeparators(l, ink)
				if got.Text != tc.want {
					t.Errorf("read %q: got %q, want %q", tc.read, got.Text, tc.want)
				}
			})
		}
	}
}

// Rebuilt crops of two marks (binarised looks, evaluation videos 55028
// and 57047) with the words and boxes Tesseract gave.
func TestFixSeparatorsCrops(t *testing.T) {
	tests := []struct {
		file  string
		words []ocr.Word
		want  string
	}{
		{file: "testdata/sep-crop-57047.png", words: []ocr.Word{
			{Text: "\u2014keiko;meyer@uni-bonn.de", Box: image.Rect(131, 17, 1244, 119)},
		}, want: "\u2014keiko.meyer@uni-bonn.de"},
		{file: "testdata/sep-crop-57047.png", words: []ocr.Word{
			{Text: "\u2014keiko,meyer@uni-bonn.de", Box: image.Rect(131, 17, 1244, 119)},
		}, want: "\u2014keiko.meyer@uni-bonn.de"},
		{file: "testdata/sep-crop-55028.png", words: []ocr.Word{
			{Text: "sofia.", Box: image.Rect(126, 38, 275, 89)},
			{Text: "ivanova98", Box: image.Rect(296, 26, 554, 85)},
			{Text: "@uni-bonn.de", Box: image.Rect(578, 38, 946, 85)},
		}, want: "sofia_ivanova98 @uni-bonn.de"},
	}
	for _, tc := range tests {
		var texts []string
		for _, w := range tc.words {
			texts = append(texts, w.Text)
		}
		read := strings.Join(texts, " ")
		t.Run(read, func(t *testing.T) {
			got := fixSeparators(ocr.Line{Text: read, Words: tc.words}, cropInk(t, tc.file, 128))
			if got.Text != tc.want {
				t.Errorf("read %q: got %q, want %q", read, got.Text, tc.want)
			}
		})
	}
}
