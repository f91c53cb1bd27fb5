package video

import (
	"slices"
	"strings"

	"tracescan/ocr"
)

// speckShare is the height, as a share of the address word's, under which
// a word read before an address is a content remnant rather than part of
// the mark. A mark's lowest words (small letters only, "anna") stand about
// half as high as its address, which has ascenders and descenders; a speck
// of content read as a letter stood at a fifth ("a" 15 rows high before
// "pgarcia@uni-bonn.de" at 81), and the vote had joined it to the address
// through the dot read beside it ("a.pgarcia@").
const speckShare = 0.3

// withoutSpecks returns the reading without the words before its first
// address word that hold letters or digits but are too low to be letters of
// the mark (see speckShare). Punctuation words stay: the readers of an
// address skip separators at its head.
func withoutSpecks(l ocr.Line) ocr.Line {
	at := slices.IndexFunc(l.Words, func(w ocr.Word) bool { return strings.Contains(w.Text, "@") })
	if at <= 0 {
		return l
	}
	low := func(w ocr.Word) bool {
		return ocr.Alnum(w.Text) > 0 && float64(w.Box.Dy()) < speckShare*float64(l.Words[at].Box.Dy())
	}
	if !slices.ContainsFunc(l.Words[:at], low) {
		return l
	}
	l.Words = slices.Concat(slices.DeleteFunc(slices.Clone(l.Words[:at]), low), l.Words[at:])
	l.Text = wordsText(l.Words)
	return l
}
