package video

import (
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"gocv.io/x/gocv"

	"tracescan/identity"
	"tracescan/ocr"
)

// Tesseract reads the tall bar of an 'l' as an 'i' in crops that show it
// clearly ("asiiva" for a clean "asilva", "ischmidt" for "lschmidt"). The
// crop tells them apart: an 'i' is a stem as high as the small letters
// with a dot above it, an 'l' one stroke from the height of the ascenders
// down to the baseline. fixStems sets each 'i' of a run of 'i's and 'l's by
// the stems found where the run lies, when it finds one stem per letter
// there and each stem is clearly short or clearly tall.

// faintInk is the gray level of the rebuilt look below which a pixel is
// ink for the stems: the upper part of a mark's letters is often fainter
// than the threshold of the binarised look puts it (an 'l' broken there
// reads as an 'i' with a tall dot), while the gap between an 'i' and its
// dot stays white.
const faintInk = 200

// stem is a narrow stroke of ink that reaches the baseline.
type stem struct {
	cx    float64 // centre column
	tall  bool    // from the ascenders' height, in one stroke
	clear bool    // clearly short or clearly tall
}

// fixStems returns the reading with each 'i' that stands on a tall stem
// in img made an 'l'; other letters are left as read.
func fixStems(l ocr.Line, img inkImage) ocr.Line {
	if img.ink == nil {
		return l
	}
	return fixWords(l, "i", func(wd ocr.Word) string { return stemsOf(wd, img) })
}

// stemsOf is fixStems for one word.
func stemsOf(wd ocr.Word, img inkImage) string {
	r, runes, mid, base, ok := wordLetters(wd, img)
	if !ok {
		return wd.Text
	}
	stems := stemsIn(img, r, mid, base)
	step := float64(r.Dx()) / float64(len(runes))
	for a := 0; a < len(runes); {
		if runes[a] != 'i' && runes[a] != 'l' {
			a++
			continue
		}
		b := a
		for b < len(runes) && (runes[b] == 'i' || runes[b] == 'l') {
			b++
		}
		// Where the run lies if the word's letters were of equal width,
		// widened by about a letter each side.
		lo, hi := float64(r.Min.X)+(float64(a)-0.6)*step, float64(r.Min.X)+(float64(b)+0.6)*step
		var in []stem
		for _, s := range stems {
			if s.cx >= lo && s.cx <= hi {
				in = append(in, s)
			}
		}
		if len(in) == b-a && !slices.ContainsFunc(in, func(s stem) bool { return !s.clear }) {
			for i, s := range in {
				if runes[a+i] == 'i' && s.tall {
					runes[a+i] = 'l'
				}
			}
		}
		a = b
	}
	return string(runes)
}

// stemsIn finds, in the columns of r, the strokes of ink at most 0.6
// x-height wide (an italic 'l' leans) that reach the baseline: short ones
// (an 'i', its dot apart), tall ones (an 'l', reaching 0.33 x-height or
// more above the small letters in one stroke without a neck where a dot
// would join), in the order of their columns. A stroke between the two
// heights is returned as not clear: a letter not to be judged.
func stemsIn(img inkImage, r image.Rectangle, mid, base int) []stem {
	return judgedStrokes(img, r, mid, base, stemOf, func(s stem) float64 { return s.cx })
}

// judgedStrokes is what judge makes of each stroke of strokesIn it keeps,
// in the order of their columns (cx).
func judgedStrokes[S any](img inkImage, r image.Rectangle, mid, base int,
	judge func(px []image.Point, mid, base int, xh float64) (S, bool), cx func(S) float64) []S {
	xh := float64(base - mid + 1)
	var out []S
	for _, px := range strokesIn(img, r, mid, base) {
		if s, ok := judge(px, mid, base, xh); ok {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return cx(out[i]) < cx(out[j]) })
	return out
}

// strokesIn returns the pixels of each stroke of ink (an 8-connected
// component) in the columns of r, from 0.9 x-height above the small
// letters to half of it below their baseline: rows from the image, not
// the box, which may stop short of the ascenders.
func strokesIn(img inkImage, r image.Rectangle, mid, base int) [][]image.Point {
	xh := float64(base - mid + 1)
	y0, y1 := max(0, mid-int(0.9*xh)), min(img.h, base+1+int(0.5*xh))
	w, h := r.Dx(), y1-y0
	if w <= 0 || h <= 0 {
		return nil
	}
	bin := make([]byte, w*h)
	for y := y0; y < y1; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.ink[y*img.w+x] {
				bin[(y-y0)*w+x-r.Min.X] = 255
			}
		}
	}
	m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, bin)
	if err != nil {
		return nil
	}
	defer m.Close()
	labels := gocv.NewMat()
	defer labels.Close()
	n := gocv.ConnectedComponents(m, &labels)
	strokes := make([][]image.Point, n)
	for i, l := range matInt32s(labels) {
		if l > 0 {
			strokes[l] = append(strokes[l], image.Pt(r.Min.X+i%w, y0+i/w))
		}
	}
	return strokes[1:]
}

// stemOf judges one stroke's pixels (see stemsIn).
func stemOf(px []image.Point, mid, base int, xh float64) (stem, bool) {
	b := image.Rectangle{Min: px[0], Max: px[0].Add(image.Pt(1, 1))}
	rowWidth := map[int][2]int{} // row -> leftmost, rightmost column
	for _, p := range px {
		b = b.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
		if lr, ok := rowWidth[p.Y]; ok {
			rowWidth[p.Y] = [2]int{min(lr[0], p.X), max(lr[1], p.X)}
		} else {
			rowWidth[p.Y] = [2]int{p.X, p.X}
		}
	}
	if float64(b.Dx()) > 0.6*xh || float64(b.Max.Y-1) < float64(base)-0.15*xh || b.Min.Y > base-int(0.5*xh) {
		return stem{}, false
	}
	cx := float64(b.Min.X+b.Max.X-1) / 2
	above := float64(mid - b.Min.Y) // how far it reaches above the small letters
	switch {
	case above <= 0.15*xh:
		return stem{cx: cx, clear: true}, true
	case above >= 0.33*xh && !necked(rowWidth, b.Min.Y, mid, base):
		return stem{cx: cx, tall: true, clear: true}, true
	default:
		return stem{cx: cx}, true
	}
}

// necked reports whether a stroke narrows above the small letters to less
// than half its width among them: an 'i' whose dot has run into its stem.
func necked(rowWidth map[int][2]int, top, mid, base int) bool {
	var widths []int
	for y := mid; y <= base; y++ {
		if lr, ok := rowWidth[y]; ok {
			widths = append(widths, lr[1]-lr[0]+1)
		}
	}
	if len(widths) == 0 {
		return true
	}
	slices.Sort(widths)
	stemW := widths[len(widths)/2]
	// The stroke's own end may be cut at a slant: its first rows do not
	// count.
	for y := top + 2; y < mid; y++ {
		lr, ok := rowWidth[y]
		if !ok || 2*(lr[1]-lr[0]+1) < stemW {
			return true
		}
	}
	return false
}

// Tesseract's English model misreads the 'l' a local part starts with more
// than any other letter: it drops it before a 'j' ("jensen" for a clean
// "ljensen", in every look of every tile, where the Latin model keeps
// it), or reads its bar as an 'i' or a capital 'I' ("itanaka", "Itanaka"),
// and the looks agree, so the vote cannot mend it. The crop tells: no
// letter but an 'l' is one lone tall stroke without a flag. fixLead sets a
// local part's first letter by the first glyph of its word: where that is
// a lone tall stem, an 'i' read there is an 'l', and a reading that starts
// with a letter no stem is read as has dropped it.

// leadMisreads are the characters Tesseract reads an 'l' as at the start
// of a word.
const leadMisreads = "iI"

// stemLike are the letters whose glyph can be a stem misread: an 'l' before
// them was not dropped ("ttanaka" is "ltanaka" misread, not "lttanaka");
// any other letter read first lies beyond the stem, which was dropped.
const stemLike = "itf"

// fixLead returns the reading with the first letter of the local part it
// holds set by the word's first glyph in img (see above): the word that
// holds an '@' (or the word before it, when the '@' starts its word), or a
// line's only word when it reads as a handle.
func fixLead(l ocr.Line, img inkImage) ocr.Line {
	if img.ink == nil || len(l.Words) == 0 {
		return l
	}
	at := slices.IndexFunc(l.Words, func(w ocr.Word) bool { return strings.Contains(w.Text, "@") })
	if at > 0 && strings.HasPrefix(l.Words[at].Text, "@") {
		// "itanaka @acme-corp.de": the local part is the word before.
		at--
	}
	if at < 0 {
		if len(l.Words) != 1 {
			return l
		}
		if ids := ocr.Classify(l.Words[0].Text, true); len(ids) == 0 || ids[0].Type != identity.TypeLocalPart {
			return l
		}
		at = 0
	}
	fixed := leadOf(l.Words[at], img)
	if fixed == l.Words[at].Text {
		return l
	}
	l.Words = slices.Clone(l.Words)
	l.Words[at].Text = fixed
	l.Text = wordsText(l.Words)
	return l
}

// leadOf is fixLead for one word.
func leadOf(wd ocr.Word, img inkImage) string {
	r, runes, mid, base, ok := wordLetters(wd, img)
	if !ok || !unicode.IsLetter(runes[0]) || runes[0] == 'l' {
		return wd.Text
	}
	first, gap, ok := firstGlyph(img, r, mid, base)
	xh := float64(base - mid + 1)
	// A lone stroke, clear of the next glyph: a 'k' whose arms broke off
	// its stem touches them.
	if !ok || len(first) != 1 || float64(gap) < 0.1*xh {
		return wd.Text
	}
	// One stroke among the small letters (a monospaced 'l' has serifs),
	// from the ascenders' height down to the baseline, without a one's
	// flag. A stroke that reaches the window's top or runs on below the
	// baseline is a content rule, not a letter.
	g, ok := judgeStroke(first[0], mid, base, xh)
	if !ok || !g.tall || g.one || math.Abs(g.slope) > maxStemSlope {
		return wd.Text
	}
	if float64(mid-g.top) < 0.33*xh || g.top <= max(0, mid-int(0.9*xh)) || float64(g.bottom) > float64(base)+0.15*xh {
		return wd.Text
	}
	switch {
	case strings.ContainsRune(leadMisreads, runes[0]):
		runes[0] = 'l'
	case !unicode.IsUpper(runes[0]) && !strings.ContainsRune(stemLike, runes[0]):
		runes = append([]rune{'l'}, runes...)
	}
	return string(runes)
}

// firstGlyph returns the strokes of the leftmost glyph in the columns of
// r and the least gap, in columns of the same rows, between it and the
// next glyph; ok is false when there are not two glyphs. Glyphs are the
// strokes of strokesIn that cross the middle of the small letters, those
// whose columns there overlap joined (a letter broken in two); dots,
// accents and descenders' hooks are left out (a 'j's hook reaches under
// the letter before it).
func firstGlyph(img inkImage, r image.Rectangle, mid, base int) (strokes [][]image.Point, gap int, ok bool) {
	xh := float64(base - mid + 1)
	y0, y1 := mid+int(0.25*xh), base-int(0.25*xh)
	type span struct {
		x0, x1 int
		rows   map[int][2]int // row of the middle -> leftmost, rightmost column
		px     []image.Point
	}
	var spans []span
	for _, px := range strokesIn(img, r, mid, base) {
		s := span{x0: math.MaxInt, x1: -1, rows: map[int][2]int{}, px: px}
		for _, p := range px {
			if p.Y < y0 || p.Y > y1 {
				continue
			}
			s.x0, s.x1 = min(s.x0, p.X), max(s.x1, p.X)
			if lr, ok := s.rows[p.Y]; ok {
				s.rows[p.Y] = [2]int{min(lr[0], p.X), max(lr[1], p.X)}
			} else {
				s.rows[p.Y] = [2]int{p.X, p.X}
			}
		}
		if s.x1 >= 0 {
			spans = append(spans, s)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].x0 < spans[j].x0 })
	// glyph joins spans[k] and the spans after it that overlap it: one
	// glyph's rows and strokes, and where the next glyph starts.
	glyph := func(k int) (rows map[int][2]int, strokes [][]image.Point, next int) {
		rows = map[int][2]int{}
		end := spans[k].x1
		for next = k; next < len(spans) && (next == k || spans[next].x0 <= end); next++ {
			end = max(end, spans[next].x1)
			strokes = append(strokes, spans[next].px)
			for y, lr := range spans[next].rows {
				if o, ok := rows[y]; ok {
					lr = [2]int{min(o[0], lr[0]), max(o[1], lr[1])}
				}
				rows[y] = lr
			}
		}
		return rows, strokes, next
	}
	if len(spans) == 0 {
		return nil, 0, false
	}
	firstRows, strokes, k := glyph(0)
	if k == len(spans) {
		return nil, 0, false
	}
	nextRows, _, _ := glyph(k)
	gap = math.MaxInt
	for y, lr := range firstRows {
		if o, ok := nextRows[y]; ok {
			gap = min(gap, o[0]-lr[1]-1)
		}
	}
	return strokes, gap, true
}
