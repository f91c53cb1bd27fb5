package video

import (
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"tracescan/ocr"
)

// Tesseract confuses the separators of a local part with one another: a
// dot read as a comma or a semicolon (`keiko,meyer@`), an underscore read
// as itself and a dot beside it (`sofia._ivanova98@`), a small dot not
// read at all, so that the address falls into two words (`maria chen@`).
// The crop tells them apart: a dot is a small blob alone at the baseline,
// an underscore a bar there and a hyphen one in the middle (barsIn).
// fixSeparators sets each such separator by the glyph the crop shows where
// the word's box puts it, and leaves it as read where the crop shows
// neither or both.

// sepChars are the characters read for a separator of a local part
// (colons and equals signs are fixDashes' alone: dashes).
const sepChars = ".,;_-\u2013\u2014\u201e"

// fixSeparators returns the reading with the separators of its local parts
// set by the glyphs img shows (see above).
func fixSeparators(l ocr.Line, img inkImage) ocr.Line {
	if len(l.Words) == 0 || img.ink == nil {
		return l
	}
	// The small letters' rows over the whole line: a word's own box can
	// be mostly remnants (`-_sotia.chen@`, whose content lines at the
	// baseline had set its x-height at half the letters').
	line := l.Words[0].Box
	for _, wd := range l.Words[1:] {
		line = line.Union(wd.Box)
	}
	line = line.Intersect(image.Rect(0, 0, img.w, img.h))
	mid, base, ok := xHeight(img, line)
	if !ok {
		return l
	}
	handle := !strings.Contains(l.Text, "@")
	fixed := make([]ocr.Word, len(l.Words))
	changed := false
	for k, wd := range l.Words {
		fixed[k] = wd
		fixed[k].Text = separatorsIn(wd, handle, img, mid, base)
		changed = changed || fixed[k].Text != wd.Text
	}
	// Then the words split at a separator, joined.
	words := make([]ocr.Word, 0, len(fixed))
	for k := 0; k < len(fixed); k++ {
		wd := fixed[k]
		if k+1 < len(fixed) {
			atNext := k+2 < len(fixed) && strings.HasPrefix(fixed[k+2].Text, "@")
			if joined, ok := joinedAcross(wd, fixed[k+1], atNext, img, mid, base); ok {
				wd, changed = joined, true
				k++
			}
		}
		words = append(words, wd)
	}
	if !changed {
		return l
	}
	texts := make([]string, len(words))
	for i, wd := range words {
		texts[i] = wd.Text
	}
	l.Words = words
	l.Text = strings.Join(texts, " ")
	return l
}

// localEnd returns how many runes of a word are its local part: those
// before its '@', or all of them in a word without one.
func localEnd(runes []rune) int {
	for i, c := range runes {
		if c == '@' {
			return i
		}
	}
	return len(runes)
}

// separatorsIn is fixSeparators within one word: each run of one or two
// separator characters between letters or digits of its local part. A
// word without an '@' has none unless the line is a handle (holds no '@'):
// remnants and Meet codes are not local parts.
func separatorsIn(wd ocr.Word, handle bool, img inkImage, mid, base int) string {
	runes := []rune(wd.Text)
	end := localEnd(runes)
	if end == len(runes) && !handle {
		return wd.Text
	}
	if !strings.ContainsAny(string(runes[:end]), sepChars) {
		return wd.Text
	}
	r := wd.Box.Intersect(image.Rect(0, 0, img.w, img.h))
	if r.Dx() < len(runes) {
		return wd.Text
	}
	bars := barsIn(img, r, mid, base)
	dots := dotsIn(img, r, mid, base)
	step := float64(r.Dx()) / float64(len(runes))
	var out []rune
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		if i >= end || !strings.ContainsRune(sepChars, c) || i == 0 || !isWordRune(runes[i-1]) {
			out = append(out, c)
			continue
		}
		j := i + 1 // the run is runes[i:j]
		if j < end && strings.ContainsRune(sepChars, runes[j]) {
			j++
		}
		if j >= end || !isWordRune(runes[j]) {
			out = append(out, c)
			continue
		}
		want := float64(r.Min.X) + float64(i+j)/2*step
		sep, ok := glyphAt(bars, dots, want, 1.5*step, mid, base)
		if ok && j == i+1 && strings.ContainsRune(dashes, c) && sep != '.' {
			// Hyphens and underscores are fixDashes' (it places
			// their bars more closely: a Meet code's hyphens stay).
			ok = false
		}
		if ok {
			out = append(out, sep)
		} else {
			out = append(out, runes[i:j]...)
		}
		i = j - 1
	}
	return string(out)
}

// glyphAt names the separator the crop shows within reach of column want:
// an underscore or a hyphen by its bar's height, a dot; ok is false when
// it shows none, or a bar and a dot alike.
func glyphAt(bars []bar, dots []float64, want, reach float64, mid, base int) (rune, bool) {
	var sep rune
	for _, b := range bars {
		if math.Abs(float64(b.x0+b.x1)/2-want) < reach {
			if c := b.dash(mid, base); c != 0 {
				sep = c
			}
		}
	}
	hasDot := slices.ContainsFunc(dots, func(cx float64) bool { return math.Abs(cx-want) < reach })
	switch {
	case sep != 0 && !hasDot:
		return sep, true
	case sep == 0 && hasDot:
		return '.', true
	}
	return 0, false
}

// joinedAcross reports whether the word a and the address b after it are
// one local part that Tesseract split at its separator: a holds only
// letters and digits but for separators at its end, b has letters before
// its '@' (or before the next word, when atNext: that word starts with
// the '@') after separators at its start, and a dot, an underscore or a
// hyphen lies between their letters (`maria chen@`, `sofia. ivanova98
// @`). joined is the one word with that separator.
func joinedAcross(a, b ocr.Word, atNext bool, img inkImage, mid, base int) (joined ocr.Word, ok bool) {
	ar, br := []rune(a.Text), []rune(b.Text)
	na, nb := 0, 0 // separators read at a's end and b's start
	for na < len(ar) && strings.ContainsRune(sepChars, ar[len(ar)-1-na]) {
		na++
	}
	for nb < len(br) && strings.ContainsRune(sepChars, br[nb]) {
		nb++
	}
	head, tail := ar[:len(ar)-na], br[nb:]
	if na+nb > 2 || len(head) < 2 || len(tail) == 0 || localEnd(tail) == 0 || (localEnd(tail) == len(tail) && !atNext) {
		return ocr.Word{}, false
	}
	for _, c := range head {
		if !unicode.IsLower(c) && !unicode.IsDigit(c) {
			return ocr.Word{}, false
		}
	}
	stepA := float64(a.Box.Dx()) / float64(len(ar))
	stepB := float64(b.Box.Dx()) / float64(max(1, len(br)))
	if float64(b.Box.Min.X-a.Box.Max.X) > 2*stepA {
		return ocr.Word{}, false
	}
	// From the middle of a's last letter to the middle of b's first.
	x0 := float64(a.Box.Max.X) - (float64(na)+0.5)*stepA
	x1 := float64(b.Box.Min.X) + (float64(nb)+0.5)*stepB
	gap := image.Rect(int(x0), 0, int(x1), img.h).Intersect(image.Rect(0, 0, img.w, img.h))
	if gap.Dx() <= 0 {
		return ocr.Word{}, false
	}
	sep, ok := glyphAt(barsIn(img, gap, mid, base), dotsIn(img, gap, mid, base), (x0+x1)/2, (x1-x0)/2+1, mid, base)
	if !ok {
		return ocr.Word{}, false
	}
	return ocr.Word{Text: string(head) + string(sep) + string(tail), Box: a.Box.Union(b.Box)}, true
}

// dotsIn finds the dots in the columns of r and returns their centre
// columns: strokes (strokesIn) at most half an x-height wide and high,
// compact, at the baseline of the small letters, with no ink above them
// where a letter would have its stroke (the foot of a stem broken off by a
// faint rebuild is no dot).
func dotsIn(img inkImage, r image.Rectangle, mid, base int) []float64 {
	xh := float64(base - mid + 1)
	minSide, maxSide := math.Max(2, 0.12*xh), 0.5*xh
	var out []float64
	for _, px := range strokesIn(img, r, mid, base) {
		if len(px) == 0 {
			continue
		}
		box := image.Rectangle{Min: px[0], Max: px[0].Add(image.Pt(1, 1))}
		for _, p := range px[1:] {
			box = box.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
		}
		w, h := float64(box.Dx()), float64(box.Dy())
		if w < minSide || h < minSide || w > maxSide || h > maxSide || float64(len(px)) < 0.4*w*h {
			continue
		}
		// At the baseline: its bottom near it, its top below the middle
		// of the small letters.
		if math.Abs(float64(box.Max.Y-1-base)) > 0.25*xh || float64(box.Min.Y) < float64(mid)+0.45*xh {
			continue
		}
		if !clearRows(img, box.Min.X, box.Max.X-1, [2][2]int{{mid, box.Min.Y - 2}, {0, -1}}, thinLine(xh)) {
			continue
		}
		out = append(out, float64(box.Min.X+box.Max.X)/2)
	}
	return out
}

// isWordRune reports whether c can stand on either side of a separator:
// a letter or a digit.
func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }
