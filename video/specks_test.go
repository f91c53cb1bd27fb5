package video

import (
	"image"
	"testing"

	"tracescan/ocr"
)

func TestWithoutSpecks(t *testing.T) {
	word := func(text string, y0, y1, x0 int) ocr.Word {
		return ocr.Word{Text: text, Box: image.Rect(x0, y0, x0+20*len(text), y1)}
	}
	line := wordsLine
	for _, tc := range []struct {
		name string
		in   ocr.Line
		want string
	}{
		// A speck of content read as a letter, a fifth as high as the
		// address (95016).
		{"speck before the address",
			line(word("-", 60, 66, 26), word("a", 70, 85, 97), word(".", 76, 81, 179), word("pgarcia@uni-bonn.de", 20, 101, 211)),
			"- . pgarcia@uni-bonn.de"},
		// The head of a local part read as a word of its own, of small
		// letters only: half as high as the address, it stays.
		{"small letters of the mark stay",
			line(word("anna", 45, 85, 20), word("_silva98@firma.eu", 20, 101, 120)),
			"anna _silva98@firma.eu"},
		{"a meeting code stays",
			line(word("tqj-cyvz-ugs", 24, 98, 26), word("lmeyer@mail.example.org", 20, 98, 517)),
			"tqj-cyvz-ugs lmeyer@mail.example.org"},
		// Punctuation is left to the readers of an address.
		{"low punctuation stays",
			line(word(",", 70, 85, 97), word("pgarcia@uni-bonn.de", 20, 101, 211)),
			", pgarcia@uni-bonn.de"},
		// Only what precedes the address: a low word after it is judged
		// elsewhere.
		{"after the address",
			line(word("pgarcia@uni-bonn.de", 20, 101, 10), word("ab", 70, 80, 500)),
			"pgarcia@uni-bonn.de ab"},
		{"no address", line(word("a", 70, 85, 10), word("sofia", 20, 101, 60)), "a sofia"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withoutSpecks(tc.in)
			if got.Text != tc.want {
				t.Errorf("text %q, want %q", got.Text, tc.want)
			}
			var texts []string
			for _, w := range got.Words {
				texts = append(texts, w.Text)
			}
			if j := line(got.Words...).Text; j != got.Text {
				t.Errorf("words %q do not make the text %q", texts, got.Text)
			}
		})
	}
}
