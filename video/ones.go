package video

import (
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"tracescan/ocr"
)

// Tesseract reads the digit one of a mark as an 'l' or an 'i' beside other
// digits ("patell4" for "patel14", "tanakal0" for "tanaka10"), and the
// looks agree on it, so the vote cannot help. The crop tells them apart:
// a '1' has a flag at the top left of its stem, and where it has a serif at
// the bottom, the serif reaches left too (a foot), where an 'l' is a bare
// stem or, in a monospaced font, has a serif at the top left and a tail to
// the right at the bottom. fixOnes makes a '1' of each character of a run
// of them next to a digit whose stroke shows a one's flag or foot, when it
// finds one stroke per character where the run lies.

// runeOnes are the characters the digit one is read as, and itself.
const runeOnes = "il1I|"

// glyphStroke is one stroke of ink that reaches the baseline, as fixOnes
// judges it.
type glyphStroke struct {
	cx    float64 // centre column
	tall  bool    // reaches well above the small letters
	one   bool    // tall, a flag and no tail to the right alone, or a foot to both sides
	slope float64 // columns per row of the stem's centre line
	// top and bottom are the stroke's first and last rows.
	top, bottom int
}

// fixOnes returns the reading with each run of runeOnes that touches a
// digit set by its strokes in img; other characters are left as read.
func fixOnes(l ocr.Line, img inkImage) ocr.Line {
	if img.ink == nil || !strings.ContainsAny(l.Text, "0123456789") {
		return l
	}
	return fixWords(l, runeOnes, func(wd ocr.Word) string { return onesOf(wd, img) })
}

// onesOf is fixOnes for one word.
func onesOf(wd ocr.Word, img inkImage) string {
	r, runes, mid, base, ok := wordLetters(wd, img)
	if !ok {
		return wd.Text
	}
	var strokes []glyphStroke
	step := float64(r.Dx()) / float64(len(runes))
	near := func(i int) bool { return i >= 0 && i < len(runes) && strings.ContainsRune(runeOnes, runes[i]) }
	for a := 0; a < len(runes); {
		if !strings.ContainsRune(runeOnes, runes[a]) {
			a++
			continue
		}
		b := a
		for b < len(runes) && strings.ContainsRune(runeOnes, runes[b]) {
			b++
		}
		// Next to a digit, and with no other such character a letter
		// away: the letters' places are guessed as of equal width, which
		// in a proportional font can be a letter off after narrow ones,
		// and the stroke of that other character would be taken
		// ("li_rossi21" read "li_ross121").
		if !(a > 0 && unicode.IsDigit(runes[a-1]) || b < len(runes) && unicode.IsDigit(runes[b])) || near(a-2) || near(b+1) {
			a = b
			continue
		}
		if strokes == nil {
			strokes = glyphStrokes(img, r, mid, base)
		}
		// Where the run lies if the word's letters were of equal width,
		// widened by less than half a letter each side: the digit beside
		// it may be a stroke too (a '7').
		lo, hi := float64(r.Min.X)+(float64(a)-0.4)*step, float64(r.Min.X)+(float64(b)+0.4)*step
		var in []glyphStroke
		for _, s := range strokes {
			if s.cx >= lo && s.cx <= hi && math.Abs(s.slope) <= maxStemSlope {
				in = append(in, s)
			}
		}
		if len(in) != b-a && !slices.Contains(runes[a:b], 'i') {
			// Letters read as tall ones: a short stroke in the window is
			// the letter beside the run (an 'r').
			in = slices.DeleteFunc(in, func(s glyphStroke) bool { return !s.tall })
		}
		if len(in) == b-a {
			for i, s := range in {
				// Only towards a one: a one whose flag the rebuild lost is
				// a plain stem too.
				if s.one {
					runes[a+i] = '1'
				}
			}
		}
		a = b
	}
	return string(runes)
}

// maxStemSlope is the lean (columns per row) above which a stroke is a
// diagonal (a '7', the spine of an 's'), not a stem: italic stems lean
// about 0.2.
const maxStemSlope = 0.35

// glyphStrokes finds, in the columns of r, the single strokes of ink that
// reach the baseline (at most 0.4 x-height wide among the small letters: a
// digit's bowl or bar is wider) and judges each (see glyphStroke), in the
// order of their columns.
func glyphStrokes(img inkImage, r image.Rectangle, mid, base int) []glyphStroke {
	return judgedStrokes(img, r, mid, base, judgeStroke, func(s glyphStroke) float64 { return s.cx })
}

// judgeStroke judges one component's pixels (see glyphStrokes). The stem's
// edges are fitted as lines through its rows among the small letters, so
// an italic stem's slant is no flag or foot.
func judgeStroke(px []image.Point, mid, base int, xh float64) (glyphStroke, bool) {
	top, bottom := px[0].Y, px[0].Y
	rows := map[int][2]int{} // row -> leftmost, rightmost column
	for _, p := range px {
		top, bottom = min(top, p.Y), max(bottom, p.Y)
		if lr, ok := rows[p.Y]; ok {
			rows[p.Y] = [2]int{min(lr[0], p.X), max(lr[1], p.X)}
		} else {
			rows[p.Y] = [2]int{p.X, p.X}
		}
	}
	if float64(bottom) < float64(base)-0.15*xh || top > base-int(0.5*xh) {
		return glyphStroke{}, false
	}
	// The stem among the small letters, clear of the flag and the foot.
	var ys, lefts, rights []float64
	var widths []int
	for y := mid + int(0.15*xh+0.5); y <= base-int(0.2*xh+0.5); y++ {
		if lr, ok := rows[y]; ok {
			ys = append(ys, float64(y))
			lefts = append(lefts, float64(lr[0]))
			rights = append(rights, float64(lr[1]))
			widths = append(widths, lr[1]-lr[0]+1)
		}
	}
	if len(ys) < 3 {
		return glyphStroke{}, false
	}
	slices.Sort(widths)
	if float64(widths[len(widths)/2]) > 0.4*xh {
		return glyphStroke{}, false
	}
	left, right := fitLine(ys, lefts), fitLine(ys, rights)
	var cx float64
	for i := range ys {
		cx += (lefts[i] + rights[i]) / 2
	}
	// An 'i' whose dot ran into its stem through a neck is no tall stroke.
	s := glyphStroke{cx: cx / float64(len(ys)), tall: float64(mid-top) >= 0.2*xh && !necked(rows, top, mid, base),
		slope: (left(1) - left(0) + right(1) - right(0)) / 2, top: top, bottom: bottom}
	if !s.tall {
		return s, true
	}
	// How far the ink reaches left and right of the stem's edges over a
	// range of rows.
	reach := func(from, to int) (l, r float64) {
		for y := from; y <= to; y++ {
			if lr, ok := rows[y]; ok {
				l = math.Max(l, left(float64(y))-float64(lr[0]))
				r = math.Max(r, float64(lr[1])-right(float64(y)))
			}
		}
		return l, r
	}
	// The flag reaches left alone: an 'i' whose dot ran into its stem
	// reaches both ways.
	flag, flagR := reach(top, top+int(0.4*float64(bottom-top)))
	if flagR > 0.5*flag {
		flag = 0
	}
	footL, footR := reach(bottom-int(0.15*xh+0.5), bottom)
	const far = 0.2 // of the x-height
	// A flag, unless the stem has a tail to the right alone (a
	// monospaced 'l', whose top serif reaches left too; its tail is
	// short in a small mark); or a foot to both sides (a faint flag is
	// lost in a rebuilt mark, its foot is not).
	tail := footR >= 0.12*xh && footL < 0.5*footR
	s.one = flag >= far*xh && !tail || footL >= far*xh && footR >= far*xh
	return s, true
}

// fitLine is the least-squares line x(y) through the points (ys, xs).
func fitLine(ys, xs []float64) func(float64) float64 {
	var my, mx float64
	for i := range ys {
		my += ys[i]
		mx += xs[i]
	}
	n := float64(len(ys))
	my, mx = my/n, mx/n
	var syy, sxy float64
	for i := range ys {
		syy += (ys[i] - my) * (ys[i] - my)
		sxy += (ys[i] - my) * (xs[i] - mx)
	}
	slope := 0.0
	if syy > 0 {
		slope = sxy / syy
	}
	return func(y float64) float64 { return mx + slope*(y-my) }
}
